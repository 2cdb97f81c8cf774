"""(being built)"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sapling.core.http import TeamRequest
from sapling.core.permissions import permission_required


@require_GET
@permission_required("reports.view_commissioner")
def show_commissioner_tables(request: TeamRequest, **kwargs: Any) -> HttpResponse:
    return render(request, "reports/being_built.jinja", {"title": "show_commissioner_tables"})


@require_GET
@permission_required("reports.view_commissioner")
def download_commissioner_tables(request: TeamRequest, **kwargs: Any) -> HttpResponse:
    return render(request, "reports/being_built.jinja", {"title": "download_commissioner_tables"})
