"""The waiting list's two orders, and which one is live."""

from __future__ import annotations

import datetime as dt

import pytest

from sapling.accounts.models import Team
from sapling.triage.models import LiveOrder, TriageSettings
from sapling.waitlist.models import WaitlistEntry
from sapling.waitlist.ordering import in_order, live_order, with_positions
from tests.waitlist.factories import WaitlistEntryFactory

pytestmark = pytest.mark.django_db


def _entries(team: Team) -> dict[str, WaitlistEntry]:
    def make(name: str, rank: int, need: int, start: dt.date) -> WaitlistEntry:
        priority = ["urgent", "soon", "routine"][rank]
        return WaitlistEntryFactory.create(
            team=team,
            priority=priority,
            priority_rank=rank,
            need_score=need,
            clock_start=start,
            referral__child__given_name=name,
        )

    return {
        "urgent_new": make("urgent_new", 0, 0, dt.date(2025, 3, 1)),
        "routine_old_low": make("routine_old_low", 2, 0, dt.date(2025, 1, 1)),
        "routine_new_high": make("routine_new_high", 2, 5, dt.date(2025, 2, 1)),
        "soon_mid": make("soon_mid", 1, 1, dt.date(2025, 2, 1)),
        "routine_old_high": make("routine_old_high", 2, 5, dt.date(2025, 1, 15)),
    }


def _names(entries: object) -> list[str]:
    return [e.child.given_name for e in entries]  # type: ignore[attr-defined]


def test_plain_order_is_priority_then_longest_wait(team: Team) -> None:
    _entries(team)
    ordered = in_order(WaitlistEntry.objects.for_team(team), LiveOrder.PLAIN)
    assert _names(ordered) == [
        "urgent_new",
        "soon_mid",
        "routine_old_low",
        "routine_old_high",
        "routine_new_high",
    ]


def test_need_adjusted_order_reorders_only_within_a_priority(team: Team) -> None:
    _entries(team)
    ordered = in_order(WaitlistEntry.objects.for_team(team), LiveOrder.NEED_ADJUSTED)
    assert _names(ordered) == [
        "urgent_new",
        "soon_mid",
        "routine_old_high",
        "routine_new_high",
        "routine_old_low",
    ]


def test_ties_fall_by_entry_id(team: Team) -> None:
    first = WaitlistEntryFactory.create(team=team, clock_start=dt.date(2025, 1, 1))
    second = WaitlistEntryFactory.create(team=team, clock_start=dt.date(2025, 1, 1))
    ordered = list(in_order(WaitlistEntry.objects.for_team(team), LiveOrder.PLAIN))
    assert ordered == [first, second]


def test_each_entry_knows_its_place_in_both_orders(team: Team) -> None:
    entries = _entries(team)
    ordered = list(with_positions(WaitlistEntry.objects.for_team(team), LiveOrder.PLAIN))
    places = {e.child.given_name: (e.position, e.other_position) for e in ordered}  # type: ignore[attr-defined]
    assert places["routine_old_low"] == (3, 5)
    assert places["routine_new_high"] == (5, 4)
    assert places["urgent_new"] == (1, 1)
    assert ordered[0].pk == entries["urgent_new"].pk


def test_positions_count_over_the_whole_list_not_the_page(team: Team) -> None:
    _entries(team)
    page = list(with_positions(WaitlistEntry.objects.for_team(team), LiveOrder.PLAIN)[3:5])
    assert [e.position for e in page] == [4, 5]  # type: ignore[attr-defined]
    assert [e.other_position for e in page] == [3, 4]  # type: ignore[attr-defined]


def test_the_live_order_is_plain_until_the_team_chooses(team: Team) -> None:
    assert live_order(team) == LiveOrder.PLAIN
    TriageSettings.objects.create(team=team, live_order=LiveOrder.NEED_ADJUSTED)
    assert live_order(team) == LiveOrder.NEED_ADJUSTED
