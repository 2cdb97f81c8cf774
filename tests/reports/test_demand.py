"""Demand: referrals per month by source, tier and locality, and re-referrals, on
hand-made referrals with known counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sapling.accounts.models import Team
from sapling.children.models import Child
from sapling.referrals.models import Referral
from sapling.reports import demand
from sapling.reports.filters import Filters
from sapling.reports.tables import Table, to_csv
from sapling.waitlist.clock import local_date
from tests.factories import ChildFactory, LocalityFactory, ReferralFactory
from tests.waitlist.factories import WaitlistEntryFactory

TODAY = dt.date(2026, 6, 30)
SPRING = Filters(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 5, 31))


def _referral(team: Team, day: dt.date, **fields: Any) -> Referral:
    return ReferralFactory.create(team=team, received_on=day, **fields)


def _rows(table: Table) -> dict[str, dict[str, Any]]:
    """{first cell: {column key: value}} for reading a table by name."""
    keys = [column.key for column in table.columns]
    return {row[0]: dict(zip(keys, row, strict=True)) for row in table.rows}


def test_referrals_count_in_their_month_by_source_and_an_empty_month_shows_0(team: Team) -> None:
    _referral(team, dt.date(2026, 3, 1), source="gp")
    _referral(team, dt.date(2026, 3, 31), source="school")
    _referral(team, dt.date(2026, 3, 15), source="school")
    _referral(team, dt.date(2026, 5, 2), source="gp")
    _referral(team, dt.date(2026, 2, 28), source="gp")  # before the period
    _referral(team, dt.date(2026, 6, 1), source="gp")  # after it

    table = demand.referrals_by_source(team, SPRING)

    assert table.slug == "referrals-by-month"
    assert [column.key for column in table.columns] == ["month", "school", "gp", "total"]
    assert table.rows == (
        ("March 2026", 2, 1, 3),
        ("April 2026", 0, 0, 0),
        ("May 2026", 0, 1, 1),
    )
    assert "4 referrals were received in 3 months; the most, 3, in March 2026" in table.summary
    assert to_csv(table).splitlines()[2] == "April 2026,0,0,0"


def test_a_referral_at_half_past_midnight_bst_on_the_1st_counts_in_that_month(
    team: Team,
) -> None:
    # 23:30 UTC on 31 May 2026 is 00:30 BST on 1 June: the referral was received in June.
    received = local_date(dt.datetime(2026, 5, 31, 23, 30, tzinfo=dt.UTC))
    _referral(team, received)

    table = demand.referrals_by_source(
        team, Filters(date_from=dt.date(2026, 5, 1), date_to=dt.date(2026, 6, 30))
    )

    assert [(row[0], row[-1]) for row in table.rows] == [("May 2026", 0), ("June 2026", 1)]


def test_no_referrals_gives_zero_months_and_says_so(team: Team) -> None:
    table = demand.referrals_by_source(team, SPRING)

    assert [row[-1] for row in table.rows] == [0, 0, 0]
    assert table.summary == "No referrals were received in the period."


def test_referrals_by_tier_follow_where_triage_sent_them(team: Team) -> None:
    march = dt.date(2026, 3, 10)
    _referral(team, march, status="universal")
    WaitlistEntryFactory.create(team=team, tier="targeted", referral__received_on=march)
    WaitlistEntryFactory.create(team=team, tier="specialist", referral__received_on=march)
    # Seen since, and closed: still a specialist referral.
    WaitlistEntryFactory.create(
        team=team,
        tier="specialist",
        status="seen",
        referral__received_on=march,
        referral__status="closed",
    )
    _referral(team, march, status="received")
    _referral(team, march, status="declined")
    _referral(team, march, status="redirected")
    _referral(team, march, status="withdrawn")

    table = demand.referrals_by_tier(team, SPRING)
    march_row = _rows(table)["March 2026"]

    assert march_row == {
        "month": "March 2026",
        "universal": 1,
        "targeted": 1,
        "specialist": 2,
        "not_triaged": 1,
        "declined": 2,
        "withdrawn": 1,
        "total": 8,
    }
    assert _rows(table)["April 2026"]["total"] == 0


def test_the_tier_filter_keeps_referrals_triaged_to_that_tier(team: Team) -> None:
    march = dt.date(2026, 3, 10)
    _referral(team, march, status="universal")
    WaitlistEntryFactory.create(team=team, tier="targeted", referral__received_on=march)
    WaitlistEntryFactory.create(team=team, tier="specialist", referral__received_on=march)

    def total(tier: str) -> int:
        filters = Filters(SPRING.date_from, SPRING.date_to, tier=tier)
        return int(_rows(demand.referrals_by_source(team, filters))["March 2026"]["total"])

    assert (total("universal"), total("targeted"), total("specialist")) == (1, 1, 1)


def test_referrals_by_locality_show_every_locality_and_the_filter_narrows_all_tables(
    team: Team, other_team: Team
) -> None:
    north, south, _east = (
        LocalityFactory.create(team=team, name=n) for n in ("North", "South", "East")
    )
    march = dt.date(2026, 3, 10)
    for _ in range(3):
        _referral(team, march, child=ChildFactory.create(team=team, locality=north))
    _referral(team, march, child=ChildFactory.create(team=team, locality=south))
    _referral(team, march, child=ChildFactory.create(team=team))
    _referral(other_team, march)  # another team's referral never counts

    table = demand.referrals_by_locality(team, SPRING)

    assert table.rows == (
        ("East", 0, Decimal("0.0")),
        ("North", 3, Decimal("60.0")),
        ("South", 1, Decimal("20.0")),
        ("No locality recorded", 1, Decimal("20.0")),
    )
    north_only = Filters(SPRING.date_from, SPRING.date_to, locality_id=north.pk)
    assert demand.referrals_by_locality(team, north_only).rows == (("North", 3, Decimal("100.0")),)
    assert _rows(demand.referrals_by_source(team, north_only))["March 2026"]["total"] == 3


def _child_referred_on(team: Team, *days: dt.date) -> Child:
    child = ChildFactory.create(team=team)
    for day in days:
        _referral(team, day, child=child)
    return child


def test_a_re_referral_follows_another_referral_within_365_days(team: Team) -> None:
    # Earlier referral 365 days before: a re-referral in April.
    _child_referred_on(team, dt.date(2025, 4, 10), dt.date(2026, 4, 10))
    # 366 days before: too long ago, not a re-referral.
    _child_referred_on(team, dt.date(2025, 3, 9), dt.date(2026, 3, 10))
    # Two on the same day: a duplicate, not a re-referral.
    _child_referred_on(team, dt.date(2026, 3, 20), dt.date(2026, 3, 20))
    # Both in the period: the second (May) is a re-referral, the first (March) is not.
    _child_referred_on(team, dt.date(2026, 3, 25), dt.date(2026, 5, 5))

    table = demand.re_referrals(team, SPRING)

    assert table.rows == (
        ("March 2026", 4, 0, Decimal("0.0")),
        ("April 2026", 1, 1, Decimal("100.0")),
        ("May 2026", 1, 1, Decimal("100.0")),
    )
    assert "2 of 6 referrals (33.3%) were re-referrals" in table.summary


def test_a_month_with_no_referrals_has_no_re_referral_rate(team: Team) -> None:
    table = demand.re_referrals(team, SPRING)

    assert [row[3] for row in table.rows] == [None, None, None]


def test_the_programme_filter_is_said_not_to_apply(team: Team) -> None:
    filters = Filters(SPRING.date_from, SPRING.date_to, programme_id=1)

    tables = demand.section(team, filters, today=TODAY).tables

    assert [t.slug for t in tables] == [
        "referrals-by-month",
        "referrals-by-tier",
        "referrals-by-locality",
        "re-referrals",
    ]
    assert all("programme filter does not apply" in t.notes for t in tables)


def test_referrals_a_month_is_the_mean_over_the_period_in_average_months(team: Team) -> None:
    """A year of 365 days is 365 / 30.4375 = 11.99 months: 24 referrals is 2.0 a month."""
    for n in range(24):
        _referral(team, dt.date(2025, 1, 1) + dt.timedelta(days=15 * n))
    year = Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31))

    figure = demand.referrals_a_month(team, year)

    assert (figure.value, figure.size) == (Decimal("2.0"), 24)


def test_the_re_referral_rate_is_over_the_referrals_in_the_period(team: Team) -> None:
    _child_referred_on(team, dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    _child_referred_on(team, dt.date(2026, 3, 2))
    _child_referred_on(team, dt.date(2026, 3, 3))

    figure = demand.re_referral_rate(team, SPRING)

    assert (figure.value, figure.size) == (Decimal("25.0"), 4)
    assert [c.slug for c in demand.comparables()] == ["referrals-a-month", "re-referral-rate"]


def test_the_section_asks_the_database_the_same_few_questions_however_many_referrals(
    team: Team, django_assert_num_queries: Any
) -> None:
    LocalityFactory.create(team=team)
    for n in range(12):
        _child_referred_on(team, dt.date(2026, 3, 1) + dt.timedelta(days=7 * n))

    # Counts by day, source, tier and re-referral (read once for three tables), by
    # locality, and the team's localities.
    with django_assert_num_queries(3):
        demand.section(team, SPRING, today=TODAY)


def test_filtered_to_a_locality_its_count_comes_from_the_day_counts(
    team: Team, django_assert_num_queries: Any
) -> None:
    north = LocalityFactory.create(team=team, name="North")
    for day in (dt.date(2026, 3, 2), dt.date(2026, 4, 6)):
        _referral(team, day, child=ChildFactory.create(team=team, locality=north))
    _referral(team, dt.date(2026, 3, 2))  # no locality: filtered out
    north_only = Filters(SPRING.date_from, SPRING.date_to, locality_id=north.pk)

    # The counts by day (every referral in them is in North) and the team's localities.
    with django_assert_num_queries(2):
        section = demand.section(team, north_only, today=TODAY)

    assert section.tables[2].rows == (("North", 2, Decimal("100.0")),)
