"""Every move of a waiting-list entry: join, allocate, stop the clock, adjust it, end it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import User
from sapling.core.lifecycle import IllegalMove
from sapling.core.tokens import revoke_links_for_target
from sapling.referrals.models import Referral
from sapling.triage.models import PRIORITY_RANK, Pathway, Priority
from sapling.waitlist.models import (
    ClockAdjustment,
    EndReason,
    EntryStatus,
    StopReason,
    WaitlistEntry,
)

OPEN = {EntryStatus.WAITING, EntryStatus.ALLOCATED}


@transaction.atomic
def add_to_waiting_list(
    *,
    referral: Referral,
    tier: str,
    pathway: Pathway | None,
    priority: str,
    need_score: int,
    by: User | None,
) -> WaitlistEntry:
    """The clock starts on the local date the referral was received."""
    return WaitlistEntry.objects.create(
        team=referral.team,
        child=referral.child,
        referral=referral,
        tier=tier,
        pathway=pathway,
        priority=priority,
        priority_rank=PRIORITY_RANK[Priority(priority)],
        need_score=need_score,
        clock_start=referral.received_on,
        triaged_by=by,
        updated_by=by,
    )


def _require_open(entry: WaitlistEntry) -> None:
    if entry.status not in OPEN:
        raise IllegalMove(_("This child is no longer on the waiting list"))


@transaction.atomic
def allocate(
    *, entry: WaitlistEntry, to: User, by: User | None, expected_version: int
) -> WaitlistEntry:
    """Allocated children stay on the list, clock running, until first seen."""
    _require_open(entry)
    entry.status = EntryStatus.ALLOCATED
    entry.allocated_to = to
    entry.allocated_at = timezone.now()
    entry.updated_by = by
    entry.save_versioned(expected_version=expected_version)
    return entry


@transaction.atomic
def stop_clock(
    *, entry: WaitlistEntry, on: dt.date, reason: StopReason, by: User | None
) -> WaitlistEntry:
    """The first intervention: a first attended group session or specialist contact.

    Called by the groups and specialist-care features. Idempotent: a second first contact
    leaves the first stop date as it was.
    """
    locked = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.clock_stopped_on is not None:
        return locked
    _require_open(locked)
    if on < locked.clock_start:
        raise IllegalMove(_("The clock cannot stop before it started"))
    locked.status = EntryStatus.SEEN
    locked.clock_stopped_on = on
    locked.stop_reason = reason
    locked.updated_by = by
    locked.save_versioned(expected_version=locked.version)
    _withdraw_check_in_links(locked, "the child has been seen")
    return locked


@transaction.atomic
def end_entry(
    *,
    entry: WaitlistEntry,
    reason: EndReason,
    on: dt.date,
    note: str,
    by: User | None,
    expected_version: int,
) -> WaitlistEntry:
    """Withdrawn, no longer needed, moved away, not brought: the entry ends with a reason."""
    _require_open(entry)
    entry.status = EntryStatus.ENDED
    entry.end_reason = reason
    entry.ended_on = on
    entry.end_note = note
    entry.updated_by = by
    entry.save_versioned(expected_version=expected_version)
    _withdraw_check_in_links(entry, "the child has left the waiting list")
    return entry


def _withdraw_check_in_links(entry: WaitlistEntry, reason: str) -> None:
    """Unanswered check-in links stop working once the child is off the list."""
    for check_in in entry.check_ins.filter(answered_at__isnull=True):
        revoke_links_for_target(check_in, reason)


@transaction.atomic
def adjust_clock(
    *,
    entry: WaitlistEntry,
    rule: str,
    happened_on: dt.date,
    new_clock_start: dt.date,
    reason: str,
    by: User | None,
    expected_version: int,
) -> ClockAdjustment:
    """Move the clock's start under a named rule of the team's; the old start is kept."""
    _require_open(entry)
    adjustment = ClockAdjustment.objects.create(
        entry=entry,
        happened_on=happened_on,
        rule=rule,
        old_clock_start=entry.clock_start,
        new_clock_start=new_clock_start,
        reason=reason,
        recorded_by=by,
    )
    entry.clock_start = new_clock_start
    entry.updated_by = by
    entry.save_versioned(expected_version=expected_version)
    return adjustment
