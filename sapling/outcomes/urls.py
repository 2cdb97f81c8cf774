from __future__ import annotations

from django.urls import path

from sapling.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.show_overview, name="show_overview"),
    path("instruments/", views.list_instruments, name="list_instruments"),
    path("instruments/upload/", views.upload_instrument, name="upload_instrument"),
    path("instruments/<int:pk>/", views.show_instrument, name="show_instrument"),
    path("children/<int:pk>/", views.show_child_outcomes, name="show_child_outcomes"),
    path("children/<int:pk>/schedule/", views.schedule_measure, name="schedule_measure"),
    path("children/<int:pk>/goals/add/", views.add_gas_goal, name="add_gas_goal"),
    path("children/<int:pk>/goals/rate/", views.rate_gas_goals, name="rate_gas_goals"),
    path("episodes/<int:pk>/", views.show_episode_outcomes, name="show_episode_outcomes"),
    path("episodes/<int:pk>/plan/", views.plan_episode_measure, name="plan_episode_measure"),
    path("episodes/<int:pk>/goals/rate/", views.rate_episode_goals, name="rate_episode_goals"),
    path("goals/<int:pk>/scale/", views.scale_goal, name="scale_goal"),
    path("runs/<int:pk>/", views.show_run_outcomes, name="show_run_outcomes"),
    path("runs/<int:pk>/plan/", views.plan_run_measure, name="plan_run_measure"),
    path("measures/<int:pk>/cancel/", views.cancel_measure, name="cancel_measure"),
    path("measures/<int:pk>/paper/", views.enter_paper_response, name="enter_paper_response"),
    path("responses/<int:pk>/fhir/", views.export_response, name="export_response"),
    # The respondent's side: reached from /l/<token>/, which swaps the token for a session.
    path("answer/", views.answer_questionnaire, name="answer_questionnaire"),
    path("answer/received/", views.questionnaire_received, name="questionnaire_received"),
]
