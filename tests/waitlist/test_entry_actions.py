"""The entry page and its actions: allocate, end, adjust the clock, record a call."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.waitlist.models import ClockAdjustment, EntryStatus, WaitlistEntry
from tests.conftest import logged_in
from tests.waitlist.factories import CheckInFactory, WaitlistEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(team: Team) -> WaitlistEntry:
    start = timezone.localdate() - dt.timedelta(weeks=8)
    return WaitlistEntryFactory.create(team=team, clock_start=start)


def test_the_entry_page_is_audited_as_a_view_of_the_child(
    entry: WaitlistEntry, clinician: User
) -> None:
    response = logged_in(clinician).get(reverse("waitlist:show_entry", args=[entry.pk]))
    assert response.status_code == 200
    event = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert event.object_pk == str(entry.child_id)


def test_another_teams_entry_is_not_found_and_the_attempt_recorded(
    other_team: Team, clinician: User
) -> None:
    theirs = WaitlistEntryFactory.create(team=other_team)
    client = logged_in(clinician)
    for name in ("show_entry", "allocate_entry", "end_entry", "adjust_clock"):
        assert client.get(reverse(f"waitlist:{name}", args=[theirs.pk])).status_code == 404
    refused = LogEntry.objects.filter(additional_data__event="refused")
    assert refused.count() == 4
    assert {e.object_pk for e in refused} == {str(theirs.pk)}


def test_it_allocates_to_a_clinician(entry: WaitlistEntry, clinician: User) -> None:
    url = reverse("waitlist:allocate_entry", args=[entry.pk])
    response = logged_in(clinician).post(url, {"clinician": clinician.pk, "version": entry.version})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ALLOCATED
    assert entry.allocated_to == clinician


def test_a_stale_allocation_says_who_changed_it_and_overwrites_nothing(
    entry: WaitlistEntry, clinician: User, lead: User
) -> None:
    url = reverse("waitlist:allocate_entry", args=[entry.pk])
    started_at = entry.version
    logged_in(lead).post(url, {"clinician": lead.pk, "version": started_at})
    response = logged_in(clinician).post(url, {"clinician": clinician.pk, "version": started_at})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"This was changed by {lead}" in page
    assert "Review the changes and try again" in page
    entry.refresh_from_db()
    assert entry.allocated_to == lead


def test_ending_needs_a_reason_and_details(entry: WaitlistEntry, administrator: User) -> None:
    url = reverse("waitlist:end_entry", args=[entry.pk])
    client = logged_in(administrator)
    response = client.post(url, {"reason": "moved_away", "note": "", "version": entry.version})
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WAITING
    response = client.post(
        url, {"reason": "moved_away", "note": "Moved to Cardiff", "version": entry.version}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.end_reason, entry.end_note) == (
        EntryStatus.ENDED,
        "moved_away",
        "Moved to Cardiff",
    )


def test_an_ended_entry_cannot_be_ended_again(entry: WaitlistEntry, clinician: User) -> None:
    url = reverse("waitlist:end_entry", args=[entry.pk])
    client = logged_in(clinician)
    client.post(url, {"reason": "withdrawn", "note": "Family withdrew", "version": entry.version})
    entry.refresh_from_db()
    response = client.post(url, {"reason": "moved_away", "note": "Again", "version": entry.version})
    assert "no longer on the waiting list" in response.content.decode()


def test_a_cancellation_restarts_the_clock_as_a_recorded_event(
    entry: WaitlistEntry, clinician: User
) -> None:
    cancelled = timezone.localdate() - dt.timedelta(days=3)
    old_start = entry.clock_start
    response = logged_in(clinician).post(
        reverse("waitlist:adjust_clock", args=[entry.pk]),
        {
            "rule": "wales.could_not_attend",
            "happened_on_day": cancelled.day,
            "happened_on_month": cancelled.month,
            "happened_on_year": cancelled.year,
            "reason": "Dad phoned to cancel",
            "version": entry.version,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.clock_start == cancelled
    adjustment = ClockAdjustment.objects.get(entry=entry)
    assert (adjustment.rule, adjustment.old_clock_start, adjustment.recorded_by) == (
        "wales.could_not_attend",
        old_start,
        clinician,
    )


def test_an_adjustment_before_the_clock_started_is_refused(
    entry: WaitlistEntry, clinician: User
) -> None:
    before = entry.clock_start - dt.timedelta(days=1)
    response = logged_in(clinician).post(
        reverse("waitlist:adjust_clock", args=[entry.pk]),
        {
            "rule": "wales.not_brought",
            "happened_on_day": before.day,
            "happened_on_month": before.month,
            "happened_on_year": before.year,
            "reason": "Missed",
            "version": entry.version,
        },
    )
    assert response.status_code == 200
    assert not ClockAdjustment.objects.exists()


def test_a_clinician_records_an_answer_from_a_call(entry: WaitlistEntry, clinician: User) -> None:
    check_in = CheckInFactory.create(entry=entry, clinician_prompted_at=timezone.now())
    url = reverse("waitlist:record_check_in_call", args=[entry.pk, check_in.pk])
    response = logged_in(clinician).post(url, {"answer": "still_needed", "comment": "Spoke to mum"})
    assert response.status_code == 302
    check_in.refresh_from_db()
    assert check_in.answer == "still_needed"
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WAITING  # never removed automatically


def test_the_entry_page_flags_a_family_saying_worse(entry: WaitlistEntry, clinician: User) -> None:
    CheckInFactory.create(entry=entry, answer="worse", answered_at=timezone.now())
    response = logged_in(clinician).get(reverse("waitlist:show_entry", args=[entry.pk]))
    assert "The family says things have got worse" in response.content.decode()


def test_a_partner_cannot_change_an_entry(entry: WaitlistEntry, partner: User) -> None:
    url = reverse("waitlist:allocate_entry", args=[entry.pk])
    assert logged_in(partner).post(url, {"version": 1}).status_code == 404
