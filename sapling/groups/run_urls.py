from __future__ import annotations

from django.urls import path

from sapling.groups import run_views as views

app_name = "runs"
urlpatterns = [
    path("", views.list_runs, name="list_runs"),
    path("programmes/add/", views.add_programme, name="add_programme"),
    path("programmes/<int:pk>/runs/add/", views.add_run, name="add_run"),
    path("runs/<int:pk>/", views.show_run, name="show_run"),
    path("runs/<int:pk>/open/", views.open_run, name="open_run"),
    path("runs/<int:pk>/finish/", views.finish_run, name="finish_run"),
    path("runs/<int:pk>/cancel/", views.cancel_run, name="cancel_run"),
    path("runs/<int:pk>/enrol/", views.enrol_child, name="enrol_child"),
    path(
        "runs/<int:pk>/enrolments/<int:enrolment_pk>/withdraw/",
        views.withdraw_enrolment,
        name="withdraw_enrolment",
    ),
    path(
        "runs/<int:pk>/enrolments/<int:enrolment_pk>/digital-access/",
        views.update_digital_access,
        name="update_digital_access",
    ),
    path("sessions/<int:pk>/register/", views.take_register, name="take_register"),
    path("sessions/<int:pk>/topics/", views.session_topics, name="session_topics"),
    path("sessions/<int:pk>/move/", views.move_session, name="move_session"),
    path("sessions/<int:pk>/cancel/", views.cancel_session, name="cancel_session"),
    path("training/", views.list_training, name="list_training"),
    path("training/<int:pk>/book/", views.book_training, name="book_training"),
]
