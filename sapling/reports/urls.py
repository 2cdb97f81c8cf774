from __future__ import annotations

from django.urls import include, path

from sapling.reports import settings_views, views

app_name = "reports"
urlpatterns = [
    path("planning/", views.show_planning, name="show_planning"),
    path("planning/scenarios/", views.save_scenario, name="save_scenario"),
    path("planning/scenarios/<int:pk>/rename/", views.rename_scenario, name="rename_scenario"),
    path("planning/scenarios/<int:pk>/archive/", views.archive_scenario, name="archive_scenario"),
    path("planning/compare/", views.compare_scenarios, name="compare_scenarios"),
    path("planning/compare.csv", views.export_comparison, name="export_comparison"),
    path("planning/runs/", views.start_run, name="start_run"),
    path("planning/runs/<int:pk>/", views.show_run, name="show_run"),
    path("planning/runs/<int:pk>/step/", views.step_run, name="step_run"),
    path("planning/runs/<int:pk>/cancel/", views.cancel_run, name="cancel_run"),
    path("planning/runs/<int:pk>/results.csv", views.export_run, name="export_run"),
    path("settings/", settings_views.edit_report_settings, name="edit_report_settings"),
    path("", include("sapling.reports.dashboard_urls")),
    path("", include("sapling.reports.commissioner_urls")),
]
