"""The specialist tier: episodes of care, appointments, the clinical record and discharge."""

from __future__ import annotations

from django.urls import path

from sapling.care import views

app_name = "care"
E = "episodes/<int:pk>/"
urlpatterns = [
    path("caseload/", views.show_caseload, name="show_caseload"),
    path("caseloads/", views.list_caseloads, name="list_caseloads"),
    path("caseloads/<int:user_pk>/", views.show_clinician_caseload, name="show_clinician_caseload"),
    path("diary/", views.show_diary, name="show_diary"),
    path("settings/", views.update_settings, name="update_settings"),
    path("start/<int:entry_pk>/", views.start_episode, name="start_episode"),
    path("appointments/book/", views.book_appointment, name="book_appointment"),
    path("appointments/<int:pk>/", views.show_appointment, name="show_appointment"),
    path("appointments/<int:pk>/outcome/", views.record_outcome, name="record_outcome"),
    path("appointments/<int:pk>/cancel/", views.cancel_appointment, name="cancel_appointment"),
    path(E, views.show_episode, name="show_episode"),
    path(
        E + "safeguarding/",
        views.record_safeguarding_consideration,
        name="record_safeguarding_consideration",
    ),
    path(E + "discharge/", views.discharge_episode, name="discharge_episode"),
    path(E + "letters/<str:recipient>/", views.show_discharge_letter, name="show_discharge_letter"),
    path(E + "notes/add/", views.add_note, name="add_note"),
    path(E + "notes/<int:note_pk>/", views.update_note, name="update_note"),
    path(E + "notes/<int:note_pk>/addendum/", views.add_addendum, name="add_addendum"),
    path(E + "assessments/add/", views.add_assessment, name="add_assessment"),
    path(E + "goals/add/", views.add_goal, name="add_goal"),
    path(E + "goals/<int:goal_pk>/", views.update_goal, name="update_goal"),
    path(E + "care-plan/add/", views.add_intervention, name="add_intervention"),
    path(E + "equipment/add/", views.issue_equipment, name="issue_equipment"),
    path(E + "equipment/<int:loan_pk>/return/", views.return_equipment, name="return_equipment"),
]
