"""`sapling snapshot-waitlist`: this week's counts per group, idempotent within a week."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from sapling.accounts.models import Team
from sapling.waitlist.models import EntryStatus, Snapshot
from tests.waitlist.factories import PathwayFactory, WaitlistEntryFactory

pytestmark = pytest.mark.django_db
THURSDAY = dt.date(2025, 11, 6)
MONDAY = dt.date(2025, 11, 3)


def _snapshot(day: dt.date = THURSDAY) -> str:
    out = StringIO()
    call_command("snapshot_waitlist", date=day, stdout=out)
    return out.getvalue()


def test_it_stores_counts_by_completed_weeks_per_group(team: Team) -> None:
    sensory = PathwayFactory.create(team=team, name="Sensory")
    for days in (0, 6, 7, 20):
        WaitlistEntryFactory.create(team=team, clock_start=THURSDAY - dt.timedelta(days=days))
    WaitlistEntryFactory.create(
        team=team, pathway=sensory, priority="urgent", priority_rank=0, clock_start=THURSDAY
    )
    WaitlistEntryFactory.create(team=team, status=EntryStatus.ENDED, clock_start=THURSDAY)
    output = _snapshot()
    rows = {(s.pathway_id, s.priority): s for s in Snapshot.objects.all()}
    assert rows[(None, "routine")].counts_by_week == {"0": 2, "1": 1, "2": 1}
    assert rows[(None, "routine")].week_starting == MONDAY
    assert rows[(sensory.pk, "urgent")].counts_by_week == {"0": 1}
    assert "week starting 3 November 2025" in output
    assert "2 snapshot rows stored" in output


def test_running_it_again_in_the_same_week_replaces_the_rows(team: Team) -> None:
    entry = WaitlistEntryFactory.create(team=team, clock_start=THURSDAY)
    _snapshot()
    WaitlistEntryFactory.create(team=team, clock_start=THURSDAY)
    _snapshot(THURSDAY + dt.timedelta(days=1))
    assert Snapshot.objects.count() == 1
    assert Snapshot.objects.get().counts_by_week == {"0": 2}
    # A group that emptied since the last run this week is dropped, not left stale.
    entry.priority, entry.priority_rank = "soon", 1
    entry.save()
    _snapshot(THURSDAY + dt.timedelta(days=2))
    assert sorted(Snapshot.objects.values_list("priority", flat=True)) == ["routine", "soon"]


def test_a_new_week_keeps_last_weeks_rows(team: Team) -> None:
    WaitlistEntryFactory.create(team=team, clock_start=THURSDAY)
    _snapshot()
    _snapshot(THURSDAY + dt.timedelta(weeks=1))
    assert sorted(Snapshot.objects.values_list("week_starting", flat=True)) == [
        MONDAY,
        MONDAY + dt.timedelta(weeks=1),
    ]
    latest = Snapshot.objects.get(week_starting=MONDAY + dt.timedelta(weeks=1))
    assert latest.counts_by_week == {"1": 1}


def test_the_help_states_the_rule() -> None:
    from sapling.waitlist.management.commands.snapshot_waitlist import Command

    assert "Idempotent within a week" in Command.help
    assert "Monday" in Command.help
