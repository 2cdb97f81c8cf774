from __future__ import annotations

from django.urls import path

from sapling.triage import views

app_name = "triage"
urlpatterns = [
    path("", views.list_referrals, name="list_referrals"),
    path("rules/", views.update_rules, name="update_rules"),
    path("settings/", views.update_settings, name="update_settings"),
    path("<int:pk>/", views.triage_referral, name="triage_referral"),
    path("<int:pk>/decide/", views.decide_referral, name="decide_referral"),
]
