"""Before and after: equal windows either side of the service change date, the change
(absolute and relative) and each group's size, on hand-made figures and referrals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from sapling.accounts.models import Team
from sapling.reports import before_after, demand, sections, waiting_report
from sapling.reports.before_after import Comparison, Windows, windows
from sapling.reports.filters import Comparable, Filters, PeriodFigure
from sapling.reports.models import ReportSettings
from sapling.reports.tables import Table
from tests.factories import ChildFactory, LocalityFactory, ReferralFactory

CHANGE = dt.date(2026, 1, 1)
TODAY = dt.date(2026, 6, 30)
ANY_PERIOD = Filters(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 1, 31))


def test_the_windows_are_twelve_months_each_side_when_the_data_allows() -> None:
    span = windows(dt.date(2025, 6, 1), today=dt.date(2026, 12, 1), first_data=dt.date(2020, 1, 1))

    assert span == Windows(dt.date(2025, 6, 1), 365)
    assert span.before == (dt.date(2024, 6, 1), dt.date(2025, 5, 31))
    assert span.after == (dt.date(2025, 6, 1), dt.date(2026, 5, 31))


def test_a_recent_change_shortens_both_windows_to_the_days_since_it() -> None:
    # 1 January to 30 June is 181 days; the before window is the 181 days up to 31 December.
    span = windows(CHANGE, today=TODAY, first_data=dt.date(2020, 1, 1))

    assert span is not None
    assert span.before == (dt.date(2025, 7, 4), dt.date(2025, 12, 31))
    assert span.after == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def test_records_starting_shortly_before_the_change_shorten_both_windows() -> None:
    span = windows(CHANGE, today=TODAY, first_data=dt.date(2025, 11, 1))

    assert span is not None
    assert span.days == 61
    assert span.after == (dt.date(2026, 1, 1), dt.date(2026, 3, 2))


@pytest.mark.parametrize(
    ("today", "first_data"),
    [
        (dt.date(2025, 12, 31), dt.date(2020, 1, 1)),  # the change has not happened yet
        (TODAY, None),  # no records at all
        (TODAY, CHANGE),  # no records before the change
    ],
)
def test_no_windows_when_one_side_would_be_empty(
    today: dt.date, first_data: dt.date | None
) -> None:
    assert windows(CHANGE, today=today, first_data=first_data) is None


def _fixed(unit: str, before: Decimal | None, after: Decimal | None) -> Comparable:
    """A figure that is `before` over any period starting before the change, else `after`."""

    def measure(team: Team, filters: Filters) -> PeriodFigure:
        if filters.date_from < CHANGE:
            return PeriodFigure(before, 10)
        return PeriodFigure(after, 12)

    return Comparable("fixed", "A fixed figure", unit, measure)


@pytest.mark.parametrize(
    ("unit", "before", "after", "change", "relative"),
    [
        ("weeks", Decimal(40), Decimal(30), Decimal(-10), Decimal("-25.0")),
        ("weeks", Decimal(3), Decimal(4), Decimal(1), Decimal("33.3")),
        # A percentage changes in percentage points: no relative change.
        ("%", Decimal("80.0"), Decimal("92.5"), Decimal("12.5"), None),
        # From zero, a relative change means nothing.
        ("children", Decimal(0), Decimal(5), Decimal(5), None),
        # No figure on one side: no change at all.
        ("weeks", None, Decimal(5), None, None),
    ],
)
def test_the_change_is_after_minus_before_and_relative_where_meaningful(
    team: Team,
    unit: str,
    before: Decimal | None,
    after: Decimal | None,
    change: Decimal | None,
    relative: Decimal | None,
) -> None:
    span = Windows(CHANGE, 181)

    comparison = before_after.compare(_fixed(unit, before, after), team, ANY_PERIOD, span)

    assert comparison == Comparison(
        comparison.comparable, PeriodFigure(before, 10), PeriodFigure(after, 12)
    )
    assert (comparison.change, comparison.relative_change) == (change, relative)


def _only(comparables: list[Comparable], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sections, "comparables", lambda: comparables)


def _table(team: Team, filters: Filters = ANY_PERIOD) -> Table:
    section = before_after.section(team, filters, today=TODAY)
    assert [table.slug for table in section.tables] == ["before-after"]
    return section.tables[0]


def test_without_a_change_date_it_says_so_and_links_to_the_settings(team: Team) -> None:
    table = _table(team)

    assert table.rows == ()
    assert table.summary == (
        "No service change date is set, so there is nothing to compare before and after."
    )
    assert "/reports/settings/" in table.notes


def test_a_change_date_with_no_records_before_it_says_so(team: Team) -> None:
    ReportSettings.objects.create(team=team, service_change_date=CHANGE)
    ReferralFactory.create(team=team, received_on=dt.date(2026, 2, 1))

    table = _table(team)

    assert table.rows == ()
    assert "leaves no records on one side of it" in table.summary


def _set_change(team: Team) -> None:
    ReportSettings.objects.create(
        team=team, service_change_date=CHANGE, service_change_label="Tiered triage"
    )


def test_each_figure_is_shown_before_and_after_with_its_change_and_group_sizes(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_change(team)
    ReferralFactory.create(team=team, received_on=dt.date(2025, 1, 1))  # records start here
    _only([_fixed("weeks", Decimal(40), Decimal(30))], monkeypatch)

    table = _table(team)

    assert table.rows == (
        (
            "A fixed figure",
            "weeks",
            Decimal(40),
            Decimal(30),
            Decimal(-10),
            Decimal("-25.0"),
            10,
            12,
        ),
    )
    assert table.columns[2].label == "Before (4 Jul 2025 to 31 Dec 2025)"
    assert table.columns[3].label == "After (1 Jan 2026 to 30 Jun 2026)"
    assert table.summary == (
        "Compared over 181 days either side of 1 January 2026 (Tiered triage). "
        "A fixed figure: 40 weeks before and 30 weeks after (groups of 10 and 12)."
    )
    assert "the service change date sets them, not a date range" in table.notes


def _referrals(team: Team, n: int, day: dt.date, **fields: Any) -> None:
    for _ in range(n):
        ReferralFactory.create(team=team, received_on=day, **fields)


def test_referrals_a_month_compare_across_the_change_in_the_locality_filtered_to(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """181 days is 181 x 12 / 365.25 = 5.95 months: 6 referrals is 1.0 a month, 12 is 2.0."""
    _set_change(team)
    north = LocalityFactory.create(team=team)

    def in_north(n: int, day: dt.date) -> None:
        for _ in range(n):
            ReferralFactory.create(
                team=team, received_on=day, child=ChildFactory.create(team=team, locality=north)
            )

    _referrals(team, 1, dt.date(2025, 1, 1))  # before both windows: only dates the records
    in_north(6, dt.date(2025, 9, 1))
    in_north(12, dt.date(2026, 3, 1))
    _referrals(team, 5, dt.date(2026, 3, 1))  # no locality: filtered out
    _only([*demand.comparables(), *waiting_report.comparables()], monkeypatch)
    # The date range set on the dashboard does not move the windows.
    filters = Filters(dt.date(2026, 6, 1), dt.date(2026, 6, 30), locality_id=north.pk)

    rows = {row[0]: row[1:] for row in _table(team, filters).rows}

    assert rows["Referrals a month"] == (
        "referrals a month",
        Decimal("1.0"),
        Decimal("2.0"),
        Decimal("1.0"),
        Decimal("100.0"),
        6,
        12,
    )
    assert rows["Median weeks waited at first intervention"][1:] == (None, None, None, None, 0, 0)
