from __future__ import annotations

from django.urls import path

from sapling.waitlist import views

app_name = "waitlist"
urlpatterns = [
    path("", views.list_entries, name="list_entries"),
    path("export.csv", views.export_entries, name="export_entries"),
    path("<int:pk>/", views.show_entry, name="show_entry"),
    path("<int:pk>/allocate/", views.allocate_entry, name="allocate_entry"),
    path("<int:pk>/end/", views.end_entry, name="end_entry"),
    path("<int:pk>/adjust-clock/", views.adjust_clock, name="adjust_clock"),
    path(
        "<int:pk>/check-ins/<int:check_in_pk>/record-call/",
        views.record_check_in_call,
        name="record_check_in_call",
    ),
    # The family's side: reached from /l/<token>/, which swaps the token for a session.
    path("check-in/", views.answer_check_in, name="answer_check_in"),
    path("check-in/received/", views.check_in_received, name="check_in_received"),
]
