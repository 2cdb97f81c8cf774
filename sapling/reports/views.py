from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sapling.core.audit import get_or_refuse
from sapling.core.http import TeamRequest
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import StaleEdit
from sapling.core.permissions import permission_required
from sapling.reports import planning, runs, scenarios
from sapling.reports.calibration import Seasonality, calibrate
from sapling.reports.forms import (
    WHAT_IF_FIELDS,
    CompareForm,
    LongRunForm,
    RenameScenarioForm,
    SaveScenarioForm,
    StepForm,
    VersionedForm,
    WhatIfForm,
)
from sapling.reports.models import PlanningRun, PlanningScenario, RunStatus
from sapling.waitlist.exports import csv_safe


def _labels() -> dict[str, str]:
    return {
        "list_size": _("Children waiting"),
        "median_wait": _("Median wait (weeks)"),
        "p92_wait": _("92nd percentile wait (weeks)"),
        "within_target": _("Waiting within target (%)"),
    }


def _planning_page(
    request: TeamRequest, form: WhatIfForm, save_form: SaveScenarioForm | None = None
) -> HttpResponse:
    calibration = calibrate(request.team, today=timezone.localdate())
    base = planning.baseline(calibration)
    base_result = planning.run(base)
    what_if = form.what_if() if form.is_valid() else planning.WhatIf()
    changed_scenario = (
        None if what_if.is_baseline() else planning.apply(base, what_if, calibration.conversions)
    )
    changed = planning.run(changed_scenario) if changed_scenario else None
    if save_form is None and changed_scenario is not None:
        save_form = SaveScenarioForm(initial=form.cleaned_data)
    context = {
        "calibration": calibration,
        "form": form,
        "save_form": save_form,
        "saved": PlanningScenario.objects.live().filter(team=request.team),
        "compare_form": CompareForm(team=request.team),
        "baseline": planning.checkpoints(base_result),
        "baseline_met": planning.first_target_week(base_result),
        "baseline_range": planning.uncertainty(base),
        "changed": planning.checkpoints(changed) if changed else None,
        "changed_met": planning.first_target_week(changed) if changed else None,
        "changed_range": planning.uncertainty(changed_scenario) if changed_scenario else None,
        "what_if_fields": WHAT_IF_FIELDS,
        "seasonality_text": _seasonality_text(calibration.seasonality),
    }
    return render(request, "reports/show_planning.jinja", context)


def _seasonality_text(seasonality: Seasonality) -> str:
    ratio = seasonality.holiday_ratio(seasonality.arrivals)
    if ratio is None:
        return _("Not measured: too little history, so the projection assumes none.")
    capacity = seasonality.holiday_ratio(seasonality.capacity)
    text = _(
        "Over the last %(years)s whole years, referrals in school-holiday weeks ran at "
        "%(ratio)s%% of other weeks"
    ) % {"years": seasonality.years, "ratio": round(ratio * 100)}
    if capacity is not None:
        text += _("; first contacts at %(ratio)s%%") % {"ratio": round(capacity * 100)}
    return text + _(". The projection follows this pattern.")


@require_GET
@permission_required("planning.view")
def show_planning(request: TeamRequest) -> HttpResponse:
    """The calibration from the team's own data, its baseline projection and a what-if."""
    return _planning_page(request, WhatIfForm(request.GET or None))


@require_POST
@permission_required("planning.view")
def save_scenario(request: TeamRequest) -> HttpResponse:
    form = SaveScenarioForm(request.POST)
    if form.is_valid():
        try:
            saved = scenarios.save_scenario(
                team=request.team,
                name=form.cleaned_data["name"],
                what_if=form.what_if(),
                by=request.user,
            )
        except IllegalMove as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("Scenario “%(name)s” saved") % {"name": saved.name})
            return redirect("reports:show_planning")
    return _planning_page(request, WhatIfForm(request.POST), save_form=form)


def _get_scenario(request: TeamRequest, pk: int) -> PlanningScenario:
    return get_or_refuse(request, PlanningScenario.objects.live().filter(team=request.team), pk)


def _refusal(form: Any, error: Exception) -> None:
    form.add_error(None, error.message() if isinstance(error, StaleEdit) else str(error))


@require_http_methods(["GET", "POST"])
@permission_required("planning.view")
def rename_scenario(request: TeamRequest, pk: int) -> HttpResponse:
    scenario = _get_scenario(request, pk)
    form = RenameScenarioForm(
        request.POST or None, initial={"version": scenario.version, "name": scenario.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            scenarios.rename_scenario(
                scenario=scenario,
                name=form.cleaned_data["name"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (StaleEdit, IllegalMove) as error:
            _refusal(form, error)
        else:
            messages.success(request, _("Scenario renamed “%(name)s”") % {"name": scenario.name})
            return redirect("reports:show_planning")
    context = {"form": form, "scenario": scenario}
    return render(request, "reports/rename_scenario.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("planning.view")
def archive_scenario(request: TeamRequest, pk: int) -> HttpResponse:
    scenario = _get_scenario(request, pk)
    form = VersionedForm(request.POST or None, initial={"version": scenario.version})
    if request.method == "POST" and form.is_valid():
        try:
            scenarios.archive_scenario(
                scenario=scenario, by=request.user, expected_version=form.cleaned_data["version"]
            )
        except (StaleEdit, IllegalMove) as error:
            _refusal(form, error)
        else:
            messages.success(request, _("Scenario “%(name)s” archived") % {"name": scenario.name})
            return redirect("reports:show_planning")
    context = {"form": form, "scenario": scenario}
    return render(request, "reports/archive_scenario.jinja", context)


def _compared(request: TeamRequest, form: CompareForm) -> list[tuple[str, Any]]:
    """(name, Scenario) for each chosen scenario, applied to today's calibrated baseline."""
    calibration = calibrate(request.team, today=timezone.localdate())
    base = planning.baseline(calibration)
    return [
        (name, planning.apply(base, what_if, calibration.conversions))
        for name, what_if in form.chosen()
    ]


def _projections(request: TeamRequest, form: CompareForm) -> list[planning.Projection]:
    chosen = _compared(request, form)
    values = planning.compare([scenario for _name, scenario in chosen])
    return [
        planning.projection(name, drawn, scenario.target_share)
        for (name, scenario), drawn in zip(chosen, values, strict=True)
    ]


def _results_context(projections: list[planning.Projection]) -> dict[str, Any]:
    labels = _labels()
    return {
        "projections": projections,
        "labels": labels,
        "chart_data": planning.chart_data(projections, labels),
    }


@require_GET
@permission_required("planning.view")
def compare_scenarios(request: TeamRequest) -> HttpResponse:
    """Up to four scenarios week by week, with the 5-95% range chance gives each."""
    form = CompareForm(request.GET or None, team=request.team)
    context: dict[str, Any] = {"form": form, "query": request.GET.urlencode()}
    if form.is_bound and form.is_valid():
        context |= _results_context(_projections(request, form))
        context["long_run_form"] = LongRunForm(
            initial={"scenario": form.cleaned_data["scenario"]}, team=request.team
        )
    return render(request, "reports/compare_scenarios.jinja", context)


def _csv(projections: list[planning.Projection], filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(planning.CSV_HEADER)
    for row in planning.csv_rows(projections):
        writer.writerow([csv_safe(cell) for cell in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@permission_required("planning.view")
def export_comparison(request: TeamRequest) -> HttpResponse:
    form = CompareForm(request.GET, team=request.team)
    if not form.is_valid():
        return render(
            request, "reports/compare_scenarios.jinja", {"form": form, "query": ""}, status=400
        )
    today = timezone.localdate()
    return _csv(_projections(request, form), f"planning-comparison-{today:%Y-%m-%d}.csv")


@require_POST
@permission_required("planning.view")
def start_run(request: TeamRequest) -> HttpResponse:
    form = LongRunForm(request.POST, team=request.team)
    if form.is_valid():
        chosen = _compared(request, form)
        try:
            run = runs.start_run(
                team=request.team,
                by=request.user,
                names=[name for name, _scenario in chosen],
                scenarios=[scenario for _name, scenario in chosen],
                replications=form.cleaned_data["replications"],
            )
        except IllegalMove as error:
            form.add_error(None, str(error))
        else:
            return redirect("reports:show_run", pk=run.pk)
    choose = CompareForm(request.POST, team=request.team)
    choose.is_valid()
    context = {"form": choose, "long_run_form": form, "query": ""}
    return render(request, "reports/compare_scenarios.jinja", context)


def _get_run(request: TeamRequest, pk: int) -> PlanningRun:
    return get_or_refuse(request, PlanningRun.objects.filter(team=request.team), pk)


def _run_page(request: TeamRequest, run: PlanningRun, form: StepForm | None = None) -> HttpResponse:
    context: dict[str, Any] = {
        "run": run,
        "running": run.status == RunStatus.RUNNING,
        "form": form or StepForm(initial={"done": run.done}),
    }
    if run.done and run.status != RunStatus.RUNNING:
        context |= _results_context(runs.run_projections(run))
    return render(request, "reports/show_run.jinja", context)


@require_GET
@permission_required("planning.view")
def show_run(request: TeamRequest, pk: int) -> HttpResponse:
    return _run_page(request, _get_run(request, pk))


def _progress(run: PlanningRun) -> dict[str, object]:
    return {
        "done": run.done,
        "replications": run.replications,
        "status": run.status,
        "text": _("%(done)s of %(total)s runs done")
        % {"done": f"{run.done:,}", "total": f"{run.replications:,}"},
    }


@require_POST
@permission_required("planning.view")
def step_run(request: TeamRequest, pk: int) -> HttpResponse:
    """Run the next chunk. The page's script asks for JSON and calls again until done;
    without the script, the lead's button does the same and comes back to the page."""
    run = _get_run(request, pk)
    form = StepForm(request.POST)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not form.is_valid():
        return _run_page(request, run, form)
    try:
        run = runs.step_run(run=run, expected_done=form.cleaned_data["done"])
    except IllegalMove as error:
        if not wants_json:
            messages.info(request, str(error))
    if wants_json:
        run.refresh_from_db()
        return JsonResponse(_progress(run))
    return redirect("reports:show_run", pk=run.pk)


@require_POST
@permission_required("planning.view")
def cancel_run(request: TeamRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        return _run_page(request, run, form)
    try:
        runs.cancel_run(run=run, by=request.user)
    except IllegalMove as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("The run was cancelled"))
    return redirect("reports:show_run", pk=run.pk)


@require_GET
@permission_required("planning.view")
def export_run(request: TeamRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    return _csv(runs.run_projections(run), f"planning-run-{run.pk}-{run.created_at:%Y-%m-%d}.csv")
