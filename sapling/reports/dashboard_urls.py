from __future__ import annotations

from django.urls import path

from sapling.reports import dashboard_views as views

# Included into the reports namespace by sapling/reports/urls.py.
urlpatterns = [
    path("dashboard/", views.show_dashboard, name="show_dashboard"),
    # Every table on the dashboard, with the page's filters, as CSV or XLSX.
    path(
        "dashboard/data/<slug:table>.<str:file_format>",
        views.download_dashboard_table,
        name="download_dashboard_table",
    ),
    path("dashboard/quarter/<str:quarter>/", views.print_quarter, name="print_quarter"),
    path("before-and-after/", views.show_before_after, name="show_before_after"),
]
