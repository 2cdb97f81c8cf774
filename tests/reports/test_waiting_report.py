"""Waiting: the list now, week by week, the longest waits and waits at the clock stop, on
hand-made entries and snapshots.

Percentiles are nearest rank: of N children sorted by completed weeks waited, the p-th
percentile is the one at position ceil(p/100 x N), counting from 1; the median is the 50th
(the lower middle value when N is even). Within target is fewer completed weeks than the
team's target (14 here).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sapling.accounts.models import Team
from sapling.reports import waiting_report
from sapling.reports.filters import Filters
from sapling.reports.tables import Table
from sapling.waitlist.models import Snapshot, WaitlistEntry
from tests.factories import ChildFactory, LocalityFactory
from tests.waitlist.factories import WaitlistEntryFactory

TODAY = dt.date(2026, 6, 30)
SPRING = Filters(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 5, 31))


def _waiting(team: Team, tier: str, days: int, **fields: Any) -> WaitlistEntry:
    start = TODAY - dt.timedelta(days=days)
    return WaitlistEntryFactory.create(
        team=team, tier=tier, clock_start=start, referral__received_on=start, **fields
    )


def _seen(team: Team, tier: str, *, stopped: dt.date, days: int) -> WaitlistEntry:
    return _waiting(
        team,
        tier,
        (TODAY - stopped).days + days,
        status="seen",
        clock_stopped_on=stopped,
        stop_reason="specialist_contact",
    )


def _by_tier(table: Table) -> dict[str, tuple[Any, ...]]:
    return {row[0]: row[1:] for row in table.rows}


def _list_now(team: Team) -> None:
    """Targeted children at 0, 1, 2 and 20 completed weeks; one specialist at 30 weeks."""
    for days in (0, 7 + 6, 14, 140):
        _waiting(team, "targeted", days)
    _waiting(team, "specialist", 210)
    # Not on the list: seen, and ended.
    _waiting(team, "targeted", 400, status="seen", clock_stopped_on=TODAY)
    _waiting(team, "targeted", 400, status="ended", ended_on=TODAY)


def test_waiting_now_gives_size_median_p92_and_within_target_per_tier(team: Team) -> None:
    """Targeted weeks 0, 1, 2, 20: median position ceil(2) = 1 week, 92nd ceil(3.68) = 4th =
    20 weeks, 3 of 4 within 14 weeks. All five: median position 3 = 2 weeks, 92nd position
    ceil(4.6) = 5 = 30 weeks, 3 of 5 within."""
    _list_now(team)

    table = waiting_report.section(team, SPRING, today=TODAY).tables[0]

    assert table.slug == "waiting-now"
    assert _by_tier(table) == {
        "Targeted": (4, 1, 20, Decimal("75.0")),
        "Specialist": (1, 30, 30, Decimal("0.0")),
        "All tiers": (5, 2, 30, Decimal("60.0")),
    }
    assert "5 children are waiting: median 2 weeks, 92nd percentile 30 weeks; 60.0%" in (
        table.summary
    )
    assert "The date range does not apply" in table.notes


def test_the_longest_waits_count_children_over_the_target_and_twice_it(team: Team) -> None:
    _list_now(team)

    table = waiting_report.section(team, SPRING, today=TODAY).tables[2]

    assert table.slug == "longest-waits"
    assert [c.label for c in table.columns[3:]] == [
        "Waited 14 weeks or more",
        "Waited 28 weeks or more",
    ]
    assert _by_tier(table) == {
        "Targeted": (4, 20, 1, 0),
        "Specialist": (1, 30, 1, 1),
        "All tiers": (5, 30, 2, 1),
    }
    assert "/waiting-list/" in table.notes
    assert "given_name" not in str(table.rows)


def test_the_locality_filter_narrows_the_list_now(team: Team) -> None:
    north = LocalityFactory.create(team=team)
    _list_now(team)
    _waiting(team, "specialist", 70, child=ChildFactory.create(team=team, locality=north))
    filters = Filters(SPRING.date_from, SPRING.date_to, locality_id=north.pk)

    table = waiting_report.section(team, filters, today=TODAY).tables[0]

    assert _by_tier(table) == {
        "Specialist": (1, 10, 10, Decimal("100.0")),
        "All tiers": (1, 10, 10, Decimal("100.0")),
    }


def _snapshot(team: Team, week: dt.date, tier: str, priority: str, counts: dict[str, int]) -> None:
    Snapshot.objects.create(
        team=team, week_starting=week, tier=tier, priority=priority, counts_by_week=counts
    )


def _snapshots(team: Team) -> None:
    first, second = dt.date(2026, 3, 2), dt.date(2026, 3, 9)
    _snapshot(team, first, "targeted", "routine", {"0": 2})
    _snapshot(team, first, "targeted", "urgent", {"15": 1})
    _snapshot(team, first, "specialist", "routine", {"3": 1})
    _snapshot(team, second, "targeted", "routine", {"1": 1})
    _snapshot(team, dt.date(2026, 2, 23), "targeted", "routine", {"40": 9})  # before the period


def test_waiting_over_time_folds_each_weeks_snapshot_rows(team: Team) -> None:
    """Week of 2 March: weeks 0, 0, 3, 15. Median position 2 = 0 weeks, 92nd position
    ceil(3.68) = 4 = 15 weeks, 3 of 4 within. Targeted alone 0, 0, 15: median position 2 = 0,
    92nd position ceil(2.76) = 3 = 15, 2 of 3 within."""
    _snapshots(team)

    table = waiting_report.section(team, SPRING, today=TODAY).tables[1]

    assert table.slug == "waiting-over-time"
    # Week, then all tiers, targeted and specialist: waiting, median, 92nd, % within.
    assert [row[:5] for row in table.rows] == [
        (dt.date(2026, 3, 2), 4, 0, 15, Decimal("75.0")),
        (dt.date(2026, 3, 9), 1, 1, 1, Decimal("100.0")),
    ]
    assert [row[5:9] for row in table.rows] == [
        (3, 0, 15, Decimal("66.7")),
        (1, 1, 1, Decimal("100.0")),
    ]
    assert [row[9:] for row in table.rows] == [
        (1, 3, 3, Decimal("100.0")),
        (0, None, None, None),
    ]
    assert table.chart is not None and table.chart.series == ("median_weeks", "p92_weeks")


def test_waiting_over_time_honours_the_tier_and_says_locality_does_not_apply(
    team: Team,
) -> None:
    _snapshots(team)
    north = LocalityFactory.create(team=team)
    filters = Filters(SPRING.date_from, SPRING.date_to, locality_id=north.pk, tier="specialist")

    table = waiting_report.section(team, filters, today=TODAY).tables[1]

    assert table.rows == (
        (dt.date(2026, 3, 2), 1, 3, 3, Decimal("100.0"), 1, 3, 3, Decimal("100.0")),
    )
    assert "locality filter does not apply" in table.notes


def test_no_snapshots_in_the_period_says_so(team: Team) -> None:
    table = waiting_report.section(team, SPRING, today=TODAY).tables[1]

    assert table.rows == ()
    assert table.summary == "No weekly snapshots were taken in the period."


def _seen_in_spring(team: Team) -> None:
    """Targeted seen after 1, 7 and 14 completed weeks; specialist after 28."""
    _seen(team, "targeted", stopped=dt.date(2026, 3, 1), days=10)
    _seen(team, "targeted", stopped=dt.date(2026, 4, 15), days=50)
    _seen(team, "targeted", stopped=dt.date(2026, 5, 31), days=100)
    _seen(team, "specialist", stopped=dt.date(2026, 4, 1), days=200)
    _seen(team, "specialist", stopped=dt.date(2026, 6, 1), days=3)  # after the period


def test_waits_at_clock_stop_are_over_children_seen_in_the_period(team: Team) -> None:
    """All four: weeks 1, 7, 14, 28: median position 2 = 7 weeks, 92nd position 4 = 28
    weeks, 2 of 4 seen in fewer than 14 weeks."""
    _seen_in_spring(team)

    table = waiting_report.section(team, SPRING, today=TODAY).tables[3]

    assert table.slug == "waits-at-clock-stop"
    assert _by_tier(table) == {
        "Targeted": (3, 7, 14, Decimal("66.7")),
        "Specialist": (1, 28, 28, Decimal("0.0")),
        "All tiers": (4, 7, 28, Decimal("50.0")),
    }
    assert "4 children were first seen in the period after a median wait of 7 weeks" in (
        table.summary
    )


def test_an_entry_on_the_list_with_a_clock_stop_in_the_period_counts_in_both(
    team: Team,
) -> None:
    """The list and the clock stops are read in one pass; an entry back on the list after a
    stop in the period still counts in each, as it would asked apart: 100 days (14 weeks)
    waited today, 24 days (3 weeks) to the stop on 15 April."""
    _waiting(team, "targeted", 100, clock_stopped_on=dt.date(2026, 4, 15))

    tables = waiting_report.section(team, SPRING, today=TODAY).tables

    assert _by_tier(tables[0])["All tiers"] == (1, 14, 14, Decimal("0.0"))
    assert _by_tier(tables[3])["All tiers"] == (1, 3, 3, Decimal("100.0"))


def test_the_wait_comparables_measure_the_children_seen_in_the_period(team: Team) -> None:
    _seen_in_spring(team)

    median = waiting_report.median_weeks_at_first_intervention(team, SPRING)
    within = waiting_report.seen_within_target(team, SPRING)

    assert (median.value, median.size) == (Decimal(7), 4)
    assert (within.value, within.size) == (Decimal("50.0"), 4)


def test_children_waiting_at_the_end_of_the_period_rebuilds_the_list_on_its_last_day(
    team: Team,
) -> None:
    """On 31 May: one child waiting since 1 January (150 days, 21 weeks), one since 1 May
    (4 weeks) and seen the next day; the rest were seen or ended by then, or not yet
    referred. 92nd percentile of 4, 21: position ceil(1.84) = 2 = 21 weeks."""

    def entry(start: dt.date, **fields: Any) -> None:
        WaitlistEntryFactory.create(
            team=team, clock_start=start, referral__received_on=start, **fields
        )

    entry(dt.date(2026, 1, 1))
    entry(dt.date(2026, 5, 1), status="seen", clock_stopped_on=dt.date(2026, 6, 1))
    entry(dt.date(2026, 1, 1), status="seen", clock_stopped_on=dt.date(2026, 5, 31))
    entry(dt.date(2026, 1, 1), status="ended", ended_on=dt.date(2026, 4, 1))
    entry(dt.date(2026, 6, 1))

    waiting = waiting_report.waiting_at_end(team, SPRING)
    p92 = waiting_report.p92_waiting_at_end(team, SPRING)

    assert (waiting.value, waiting.size) == (Decimal(2), 2)
    assert (p92.value, p92.size) == (Decimal(21), 2)
    assert [c.slug for c in waiting_report.comparables()] == [
        "median-weeks-at-first-intervention",
        "seen-within-target",
        "children-waiting-at-end",
        "p92-weeks-waiting-at-end",
    ]


def test_an_empty_service_has_no_figures_and_says_so(team: Team) -> None:
    tables = waiting_report.section(team, SPRING, today=TODAY).tables

    assert [t.summary for t in tables] == [
        "No children are waiting.",
        "No weekly snapshots were taken in the period.",
        "No children are waiting.",
        "No children were first seen in the period.",
    ]
    assert _by_tier(tables[0]) == {"All tiers": (0, None, None, None)}


def test_the_section_asks_the_database_the_same_few_questions_however_long_the_list(
    team: Team, django_assert_num_queries: Any
) -> None:
    _list_now(team)
    _snapshots(team)
    _seen_in_spring(team)

    # The list now (for two tables) and the children seen in one pass, and the snapshots.
    with django_assert_num_queries(2):
        waiting_report.section(team, SPRING, today=TODAY)
