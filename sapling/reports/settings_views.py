"""The lead's report settings page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sapling.core.http import TeamRequest
from sapling.core.models import StaleEdit
from sapling.core.permissions import permission_required
from sapling.reports.models import ReportSettings
from sapling.reports.settings_forms import (
    CATCHMENT_FIELDS,
    MONEY_FIELDS,
    SERVICE_CHANGE_FIELDS,
    ReportSettingsForm,
)


@require_http_methods(["GET", "POST"])
@permission_required("reports.configure")
def edit_report_settings(request: TeamRequest) -> HttpResponse:
    settings_row = ReportSettings.for_team(request.team)
    form = ReportSettingsForm(request.POST or None, instance=settings_row, team=request.team)
    if request.method == "POST" and form.is_valid():
        try:
            form.save_versioned(by=request.user)
        except StaleEdit as stale:
            form.add_error(None, stale.message())
        else:
            messages.success(request, _("The report settings have been saved"))
            return redirect("reports:edit_report_settings")
    context = {
        "form": form,
        "catchment_fields": CATCHMENT_FIELDS,
        "service_change_fields": SERVICE_CHANGE_FIELDS,
        "money_fields": MONEY_FIELDS,
    }
    return render(request, "reports/edit_report_settings.jinja", context)
