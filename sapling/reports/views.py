from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sapling.core.http import TeamRequest
from sapling.core.permissions import permission_required
from sapling.reports import planning
from sapling.reports.calibration import calibrate
from sapling.reports.forms import WhatIfForm


@require_GET
@permission_required("planning.view")
def show_planning(request: TeamRequest) -> HttpResponse:
    """The calibration from the team's own data, its baseline projection and a what-if."""
    calibration = calibrate(request.team, today=timezone.localdate())
    form = WhatIfForm(request.GET or None)
    base = planning.baseline(calibration)
    base_result = planning.run(base)
    what_if = form.what_if() if form.is_valid() else planning.WhatIf()
    changed = None if what_if.is_baseline() else planning.run(planning.apply(base, what_if))
    changed_scenario = None if what_if.is_baseline() else planning.apply(base, what_if)
    context = {
        "calibration": calibration,
        "form": form,
        "baseline": planning.checkpoints(base_result),
        "baseline_met": planning.first_target_week(base_result),
        "baseline_range": planning.uncertainty(base),
        "changed": planning.checkpoints(changed) if changed else None,
        "changed_met": planning.first_target_week(changed) if changed else None,
        "changed_range": planning.uncertainty(changed_scenario) if changed_scenario else None,
    }
    return render(request, "reports/show_planning.jinja", context)
