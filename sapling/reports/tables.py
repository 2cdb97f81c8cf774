"""The one shape every report figure takes, and the one way it is downloaded.

A report page is Sections of Tables. A Table is what a chart plots, what its table view
shows and what "download data" gives, so the three can never disagree. Values in rows are
plain Python (str, int, Decimal, date, None); `None` is "no figure", shown as a dash and
left empty in downloads. Suppressed commissioner cells are the string "*".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook

from sapling.waitlist.exports import csv_safe

ColumnKind = Literal["text", "count", "percent", "weeks", "rate", "money", "date"]
ChartKind = Literal["line", "bar"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: ColumnKind = "count"


@dataclass(frozen=True)
class ChartSpec:
    """How a table is drawn: `x` is a column key, each of `series` a column plotted against it.

    `bands` pairs a plotted series with (low, high) column keys for an uncertainty band.
    """

    kind: ChartKind
    x: str
    series: tuple[str, ...]
    bands: dict[str, tuple[str, str]] = field(default_factory=dict)
    y_title: str = ""


@dataclass(frozen=True)
class Table:
    slug: str  # unique on its page; names the download (lowercase, hyphens)
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    summary: str  # the figure in a sentence or two, for everyone and for screen readers
    chart: ChartSpec | None = None
    notes: str = ""  # definitions and caveats shown under the table
    # The first and last day its figures cover, when not the period asked for (the
    # before-and-after windows); names the download.
    period: tuple[dt.date, dt.date] | None = None

    def column_values(self, key: str) -> list[Any]:
        index = [column.key for column in self.columns].index(key)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    tables: tuple[Table, ...]
    summary: str = ""


def _plain(value: Any) -> Any:
    """A cell as a download holds it: numbers stay numbers, nothing becomes a formula."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    return csv_safe(value)


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(column.label) for column in table.columns])
    for row in table.rows:
        writer.writerow(["" if value is None else _plain(value) for value in row])
    return buffer.getvalue()


def to_xlsx(tables: list[Table] | tuple[Table, ...]) -> bytes:
    """One worksheet per table, headed by its title, with its notes beneath."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table, used))
        sheet.append([csv_safe(table.title)])
        sheet.append([csv_safe(column.label) for column in table.columns])
        for row in table.rows:
            sheet.append([_xlsx_cell(value) for value in row])
        if table.notes:
            sheet.append([])
            sheet.append([csv_safe(table.notes)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Any) -> Any:
    plain = _plain(value)
    return float(plain) if isinstance(plain, Decimal) else plain


def _sheet_name(table: Table, used: set[str]) -> str:
    # Excel allows 31 characters and no []:*?/\ in a sheet name, unique in the workbook.
    base = table.slug[:28] or "table"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}-{n}", n + 1
    used.add(name)
    return name
