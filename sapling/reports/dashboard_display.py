"""How the dashboard shows its Tables: each cell as text, and each chart as the data
sapling/report-charts.js draws. The figures themselves come from the sections unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sapling.reports.filters import Quarter
from sapling.reports.tables import Column, Section, Table

NO_FIGURE = "\u2013"  # an en dash: "no figure", as tables.py promises


def cell(value: Any, kind: str) -> str:
    """A value as the table view shows it; downloads keep the raw value."""
    if value is None:
        return NO_FIGURE
    if isinstance(value, str):
        return value  # text, or a suppressed "*"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return value.strftime("%-d %b %Y")
    number = Decimal(str(value))
    if kind == "count":
        return f"{number:,.0f}"
    if kind == "percent":
        return f"{number:,.1f}%".replace(".0%", "%")
    if kind == "money":
        return f"£{number:,.0f}"
    if kind in ("weeks", "rate"):
        return f"{number:,.1f}"
    return f"{number:,}" if number == number.to_integral_value() else f"{number:,.1f}"


def is_numeric(column: Column) -> bool:
    return column.kind not in ("text", "date")


def table_rows(table: Table) -> list[list[str]]:
    return [
        [cell(value, column.kind) for value, column in zip(row, table.columns, strict=True)]
        for row in table.rows
    ]


def _plotted(value: Any) -> Any:
    """A value as JSON for Plotly: a gap for "no figure" or a suppressed cell."""
    if value is None or (isinstance(value, str) and value == "*"):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _chart(table: Table) -> dict[str, Any]:
    assert table.chart is not None
    spec = table.chart
    labels = {column.key: column.label for column in table.columns}
    x = [_plotted(v) if v is not None else "" for v in table.column_values(spec.x)]

    def series(key: str) -> dict[str, Any]:
        drawn: dict[str, Any] = {
            "name": labels[key],
            "y": [_plotted(v) for v in table.column_values(key)],
        }
        if key in spec.bands:
            low, high = spec.bands[key]
            drawn["low"] = [_plotted(v) for v in table.column_values(low)]
            drawn["high"] = [_plotted(v) for v in table.column_values(high)]
        return drawn

    kinds = {column.key: column.kind for column in table.columns}
    return {
        "kind": spec.kind,
        # Counts of several kinds (referrals by source) add up, so their bars stack.
        "stacked": len(spec.series) > 2 and all(kinds[key] == "count" for key in spec.series),
        "x": x,
        "x_title": labels[spec.x],
        "y_title": spec.y_title,
        "series": [series(key) for key in spec.series],
    }


def chart_data(sections: list[Section]) -> dict[str, Any]:
    """Every chart on the page, by table slug, for the page's JSON data block."""
    return {
        table.slug: _chart(table)
        for section in sections
        for table in section.tables
        if table.chart is not None and table.rows
    }


def at_a_glance(sections: list[Section]) -> list[dict[str, Any]]:
    """Each section's headline: the summary of its first table, which the sections put
    first because it is their main figure, as rows of the NHS.UK summary list."""
    return [
        {"key": {"text": section.title}, "value": {"text": section.tables[0].summary}}
        for section in sections
        if section.tables and section.tables[0].summary
    ]


def recent_quarters(today: dt.date, count: int = 4) -> list[Quarter]:
    """The quarter under way and the complete quarters before it, latest first."""
    quarters = [Quarter.containing(today)]
    while len(quarters) < count + 1:
        quarters.append(quarters[-1].previous())
    return quarters


def download_name(table: Table, date_from: dt.date, date_to: dt.date, extension: str) -> str:
    return f"sapling-{table.slug}-{date_from:%Y-%m-%d}-to-{date_to:%Y-%m-%d}.{extension}"


# Where each section's figures are defined (the guides in the docs folder).
_DEFINITIONS = {"equity": "docs/equity.md"}


def definitions(section: Section) -> str:
    return _DEFINITIONS.get(section.slug, "docs/metrics.md")
