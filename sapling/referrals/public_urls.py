"""The public request-for-help form, at /request-help/: no account needed."""

from __future__ import annotations

from django.urls import path

from sapling.referrals import views

app_name = "request_help"
urlpatterns = [
    path("", views.start_request, name="start_request"),
    path("check/", views.check_answers, name="check_answers"),
    path("sent/", views.request_sent, name="request_sent"),
    path("<slug:step>/", views.answer_question, name="answer_question"),
]
