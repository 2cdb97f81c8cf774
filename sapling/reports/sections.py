"""The service dashboard's sections, in the order the page shows them, and the
before-and-after comparison, which has a page of its own.

Each module's `section(team, filters, *, today)` returns a Section of Tables; the pages, the
printable quarterly report and the downloads all come from these, so a figure means the
same everywhere. The before-and-after comparison is not on the dashboard: its windows are
set by the service change date, so the dashboard's date range would not apply to it, and it
works out every comparable figure twice (docs/reports.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from sapling.accounts.models import Team
from sapling.reports import (
    before_after,
    demand,
    equity,
    group_report,
    memo,
    outcome_report,
    roi,
    waiting_report,
)
from sapling.reports.filters import Comparable, Filters
from sapling.reports.tables import Section, Table

SectionFunction = Callable[..., Section]

SECTIONS: tuple[SectionFunction, ...] = (
    demand.section,
    waiting_report.section,
    equity.section,
    group_report.section,
    outcome_report.section,
    roi.section,
)


def all_sections(team: Team, filters: Filters, *, today: dt.date) -> list[Section]:
    # Sections share figures (roi reuses the groups' and outcomes' measures), so each is
    # worked out once for the page.
    with memo.remembering():
        return [make(team, filters, today=today) for make in SECTIONS]


def before_and_after(team: Team, filters: Filters, *, today: dt.date) -> Section:
    # Two comparables may share a figure (median weeks and % within target read the same
    # waits), so each is worked out once per window.
    with memo.remembering():
        return before_after.section(team, filters, today=today)


def find_table(sections: Iterable[Section], slug: str) -> Table | None:
    for section in sections:
        for table in section.tables:
            if table.slug == slug:
                return table
    return None


def table_named(team: Team, filters: Filters, slug: str, *, today: dt.date) -> Table | None:
    """One table as the dashboard shows it, working out only the sections up to the one
    that holds it (a download of a demand table need not wait for the return on investment).
    The before-and-after table comes from its own page's section."""
    if slug == before_after.SLUG:
        return find_table([before_and_after(team, filters, today=today)], slug)
    with memo.remembering():
        return find_table((make(team, filters, today=today) for make in SECTIONS), slug)


def comparables() -> list[Comparable]:
    """Every figure the before-and-after comparison can show."""
    return [
        *demand.comparables(),
        *waiting_report.comparables(),
        *group_report.comparables(),
        *outcome_report.comparables(),
    ]
