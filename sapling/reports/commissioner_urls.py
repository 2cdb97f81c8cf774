from __future__ import annotations

from django.urls import path

from sapling.reports import commissioner_views as views

# Included into the reports namespace by sapling/reports/urls.py.
urlpatterns = [
    path("quarterly/", views.show_commissioner_tables, name="show_commissioner_tables"),
    path(
        "quarterly/<str:quarter>.<str:file_format>",
        views.download_commissioner_tables,
        name="download_commissioner_tables",
    ),
]
