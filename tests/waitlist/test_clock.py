"""Waiting-time arithmetic: local dates across the clock changes, completed weeks, rules."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sapling.accounts.models import Team, User
from sapling.waitlist import lifecycle
from sapling.waitlist.clock import (
    clock_rules_for,
    days_waited,
    local_date,
    start_of_week,
    weeks_waited,
)
from sapling.waitlist.models import ClockRules, WaitingWellSettings, WaitlistEntry
from tests.waitlist.factories import WaitlistEntryFactory

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")


def _entry(start: dt.date) -> WaitlistEntry:
    return WaitlistEntry(clock_start=start)


def test_a_request_late_on_25_october_utc_is_received_on_the_26th_in_london() -> None:
    # 23:30 UTC on Saturday 25 October 2025 is 00:30 BST on Sunday the 26th; the clocks go
    # back at 02:00 BST that morning.
    received = dt.datetime(2025, 10, 25, 23, 30, tzinfo=UTC)
    assert local_date(received) == dt.date(2025, 10, 26)
    # The same moment an hour earlier in UTC is still the 25th in London.
    assert local_date(dt.datetime(2025, 10, 25, 22, 30, tzinfo=UTC)) == dt.date(2025, 10, 25)


def test_after_the_clocks_go_back_london_midnight_is_utc_midnight() -> None:
    assert local_date(dt.datetime(2025, 10, 26, 23, 30, tzinfo=UTC)) == dt.date(2025, 10, 26)


def test_weeks_count_calendar_days_not_hours_across_the_clock_change() -> None:
    # 26 October to 2 November 2025 is 169 hours (one 25-hour day) but 7 days: one week.
    entry = _entry(dt.date(2025, 10, 26))
    assert days_waited(entry, dt.date(2025, 11, 2)) == 7
    assert weeks_waited(entry, dt.date(2025, 11, 2)) == 1
    # Spring forward (29 March 2026): a 23-hour day still counts as a day.
    spring = _entry(dt.date(2026, 3, 28))
    assert weeks_waited(spring, dt.date(2026, 4, 4)) == 1
    assert weeks_waited(spring, dt.date(2026, 4, 3)) == 0


def test_the_local_date_decides_the_completed_weeks() -> None:
    received = dt.datetime(2025, 10, 25, 23, 30, tzinfo=UTC)
    by_local = _entry(local_date(received))
    by_utc = _entry(received.date())
    # On 8 November: 13 days from the 26th (1 week), 14 days from the 25th (2 weeks).
    assert weeks_waited(by_local, dt.date(2025, 11, 8)) == 1
    assert weeks_waited(by_utc, dt.date(2025, 11, 8)) == 2


def test_the_clock_stops_at_the_first_intervention() -> None:
    entry = _entry(dt.date(2025, 1, 6))
    entry.clock_stopped_on = dt.date(2025, 2, 3)
    assert weeks_waited(entry, dt.date(2025, 12, 1)) == 4


def test_weeks_start_on_monday() -> None:
    assert start_of_week(dt.date(2025, 10, 26)) == dt.date(2025, 10, 20)  # a Sunday
    assert start_of_week(dt.date(2025, 10, 27)) == dt.date(2025, 10, 27)


@pytest.mark.django_db
def test_teams_use_nhs_wales_rules_unless_they_choose_england(team: Team) -> None:
    assert [r.key for r in clock_rules_for(team)] == ["wales.could_not_attend", "wales.not_brought"]
    WaitingWellSettings.objects.create(team=team, clock_rules=ClockRules.ENGLAND)
    assert [r.key for r in clock_rules_for(team)] == ["england.first_not_brought"]


@pytest.mark.django_db
def test_an_adjustment_is_recorded_with_its_rule_and_the_old_start(
    team: Team, clinician: User
) -> None:
    entry = WaitlistEntryFactory.create(team=team, clock_start=dt.date(2025, 1, 6))
    adjustment = lifecycle.adjust_clock(
        entry=entry,
        rule="wales.could_not_attend",
        happened_on=dt.date(2025, 3, 3),
        new_clock_start=dt.date(2025, 3, 3),
        reason="Mum rang to cancel: family holiday",
        by=clinician,
        expected_version=entry.version,
    )
    entry.refresh_from_db()
    assert entry.clock_start == dt.date(2025, 3, 3)
    assert adjustment.old_clock_start == dt.date(2025, 1, 6)
    assert adjustment.rule == "wales.could_not_attend"
    assert list(entry.adjustments.all()) == [adjustment]
