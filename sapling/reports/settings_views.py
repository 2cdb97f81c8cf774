"""(being built)"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from sapling.core.http import TeamRequest
from sapling.core.permissions import permission_required


@require_http_methods(["GET", "POST"])
@permission_required("reports.configure")
def edit_report_settings(request: TeamRequest, **kwargs: Any) -> HttpResponse:
    return render(request, "reports/being_built.jinja", {"title": "edit_report_settings"})
