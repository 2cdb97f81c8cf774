"""The quarterly tables commissioners and funders see, and their downloads.

The only choice offered is the quarter: any free filter would let two sets of rounded,
suppressed figures be subtracted from each other to reveal a small count.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sapling.core.forms import SaplingForm
from sapling.core.http import TeamRequest
from sapling.core.permissions import permission_required
from sapling.reports import commissioner, dashboard_display
from sapling.reports.dashboard_views import FORMATS
from sapling.reports.filters import Quarter
from sapling.reports.tables import Table, to_csv, to_xlsx
from sapling.waitlist.exports import csv_safe

TEMPLATE = "reports/commissioner/show_commissioner_tables.jinja"


class QuarterForm(SaplingForm):
    """The one choice on the page: a quarter the team has data for."""

    quarter = forms.ChoiceField(label=gettext_lazy("Quarter"))

    def __init__(self, *args: Any, quarters: list[Quarter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["quarter"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(q.slug, q.label) for q in quarters]
        field.initial = quarters[0].slug
        field.error_messages["invalid_choice"] = gettext_lazy("Choose a quarter from the list")
        field.error_messages["required"] = gettext_lazy("Choose a quarter from the list")


def _offered(request: TeamRequest) -> list[Quarter]:
    return commissioner.available_quarters(request.team, today=timezone.localdate())


@require_GET
@permission_required("reports.view_commissioner")
def show_commissioner_tables(request: TeamRequest) -> HttpResponse:
    quarters = _offered(request)
    form = QuarterForm(request.GET or None, quarters=quarters)
    context: dict[str, Any] = {"form": form, "display": dashboard_display}
    if form.is_bound and not form.is_valid():
        context.update(quarter=None, sections=[])
        return render(request, TEMPLATE, context, status=400)
    chosen = Quarter.from_slug(form.cleaned_data["quarter"]) if form.is_bound else quarters[0]
    context.update(
        quarter=chosen, sections=commissioner.quarter_tables(request.team, chosen).sections
    )
    return render(request, TEMPLATE, context)


@require_GET
@permission_required("reports.view_commissioner")
def download_commissioner_tables(
    request: TeamRequest, quarter: str, file_format: str
) -> HttpResponse:
    """All the quarter's tables: CSV as one file of blocks, each headed by its title;
    XLSX with one sheet per table."""
    if file_format not in FORMATS:
        raise Http404
    chosen = next((q for q in _offered(request) if q.slug == quarter), None)
    if chosen is None:
        raise Http404
    tables = commissioner.quarter_tables(request.team, chosen).tables
    body = _csv(request, chosen, tables) if file_format == "csv" else to_xlsx(tables)
    response = HttpResponse(body, content_type=FORMATS[file_format])
    name = f"quarterly-tables-{chosen.slug}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv(request: TeamRequest, quarter: Quarter, tables: tuple[Table, ...]) -> str:
    heading = _("Quarterly tables: %(team)s, %(quarter)s")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(heading % {"team": request.team.name, "quarter": quarter.label})])
    writer.writerow([csv_safe(commissioner.suppression_note())])
    for table in tables:
        writer.writerow([])
        writer.writerow([csv_safe(table.title)])
        buffer.write(to_csv(table))
    return buffer.getvalue()
