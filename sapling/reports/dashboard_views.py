"""The lead's service dashboard, each of its tables as a download, a quarter's report ready
to print, and the before-and-after comparison. Every figure comes from `sections`, so the
pages and the downloads agree."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sapling.core.http import TeamRequest
from sapling.core.permissions import permission_required
from sapling.reports import dashboard_display, sections
from sapling.reports.dashboard_forms import DashboardFiltersForm, ScopeFiltersForm
from sapling.reports.filters import Filters, Quarter
from sapling.reports.tables import to_csv, to_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}


def _dashboard(request: TeamRequest, form: DashboardFiltersForm, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    shown = sections.all_sections(request.team, form.filters(), today=today)
    context: dict[str, Any] = {
        "form": form,
        "filters": form.filters(),
        "sections": shown,
        "display": dashboard_display,
        "glance_rows": dashboard_display.at_a_glance(shown),
        "chart_data": dashboard_display.chart_data(shown),
        # Downloads carry the filters the page shows: none when the form had errors.
        "query": request.GET.urlencode() if form.is_bound and form.is_valid() else "",
        "quarters": dashboard_display.recent_quarters(today),
    }
    return render(request, "reports/dashboard/show_dashboard.jinja", context, status=status)


def _filters_form(request: TeamRequest) -> DashboardFiltersForm:
    return DashboardFiltersForm(request.GET or None, team=request.team, today=timezone.localdate())


@require_GET
@permission_required("reports.view_dashboard")
def show_dashboard(request: TeamRequest) -> HttpResponse:
    return _dashboard(request, _filters_form(request))


@require_GET
@permission_required("reports.view_dashboard")
def download_dashboard_table(request: TeamRequest, table: str, file_format: str) -> HttpResponse:
    """One table, with the page's filters from the query string, as CSV or XLSX."""
    if file_format not in FORMATS:
        raise Http404
    form = _filters_form(request)
    if form.is_bound and not form.is_valid():
        return _dashboard(request, form, status=400)
    filters = form.filters()
    found = sections.table_named(request.team, filters, table, today=timezone.localdate())
    if found is None:
        raise Http404
    body = to_csv(found) if file_format == "csv" else to_xlsx([found])
    date_from, date_to = found.period or (filters.date_from, filters.date_to)
    name = dashboard_display.download_name(found, date_from, date_to, file_format)
    response = HttpResponse(body, content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@permission_required("reports.view_dashboard")
def print_quarter(request: TeamRequest, quarter: str) -> HttpResponse:
    """One quarter's figures, every table shown, laid out for printing."""
    today = timezone.localdate()
    try:
        chosen = Quarter.from_slug(quarter)
        period = Filters(chosen.start, chosen.end)  # a year out of range raises ValueError too
    except ValueError:
        raise Http404 from None
    if chosen.start > today:
        raise Http404
    shown = sections.all_sections(request.team, period, today=today)
    context = {"quarter": chosen, "sections": shown, "today": today, "display": dashboard_display}
    return render(request, "reports/dashboard/print_quarter.jinja", context)


@require_GET
@permission_required("reports.view_dashboard")
def show_before_after(request: TeamRequest) -> HttpResponse:
    """Each comparable figure either side of the service change date, for the locality, tier
    and programme chosen. Its table downloads through download_dashboard_table."""
    today = timezone.localdate()
    form = ScopeFiltersForm(request.GET or None, team=request.team, today=today)
    shown = sections.before_and_after(request.team, form.filters(), today=today)
    context: dict[str, Any] = {
        "form": form,
        "section": shown,
        "display": dashboard_display,
        "query": request.GET.urlencode() if form.is_bound and form.is_valid() else "",
    }
    return render(request, "reports/dashboard/show_before_after.jinja", context)
