from __future__ import annotations

from django.urls import path

from sapling.reports import views

app_name = "reports"
urlpatterns = [
    path("planning/", views.show_planning, name="show_planning"),
]
