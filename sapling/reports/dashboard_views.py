"""(being built)"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sapling.core.http import TeamRequest
from sapling.core.permissions import permission_required


@require_GET
@permission_required("reports.view_dashboard")
def show_dashboard(request: TeamRequest, **kwargs: Any) -> HttpResponse:
    return render(request, "reports/being_built.jinja", {"title": "show_dashboard"})


@require_GET
@permission_required("reports.view_dashboard")
def download_dashboard_table(request: TeamRequest, **kwargs: Any) -> HttpResponse:
    return render(request, "reports/being_built.jinja", {"title": "download_dashboard_table"})


@require_GET
@permission_required("reports.view_dashboard")
def print_quarter(request: TeamRequest, **kwargs: Any) -> HttpResponse:
    return render(request, "reports/being_built.jinja", {"title": "print_quarter"})
