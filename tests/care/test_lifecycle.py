"""Episodes and appointments: opening from the waiting list, booking, outcomes, the clock,
the not-brought policy and discharge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.care import lifecycle
from sapling.care.models import (
    CareSettings,
    ContactKind,
    ContactOutcome,
    DischargeReason,
    Episode,
    EpisodeStatus,
)
from sapling.core.lifecycle import IllegalMove
from sapling.waitlist.models import (
    EndReason,
    EntryStatus,
    StopReason,
    WaitingWellSettings,
    WaitlistEntry,
)
from tests.care.factories import AppointmentFactory, EpisodeFactory, NoteFactory
from tests.waitlist.factories import WaitlistEntryFactory

pytestmark = pytest.mark.django_db


def _entry(team: Team, **kwargs: object) -> WaitlistEntry:
    start = timezone.localdate() - dt.timedelta(weeks=10)
    return WaitlistEntryFactory.create(team=team, tier="specialist", clock_start=start, **kwargs)


def _open(entry: WaitlistEntry, clinician: User) -> Episode:
    return lifecycle.open_episode(
        entry=entry, lead_clinician=clinician, on=timezone.localdate(), by=clinician
    )


def _past(days: int = 1, hour: int = 10) -> dt.datetime:
    moment = timezone.localtime() - dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _future(days: int = 2, hour: int = 10) -> dt.datetime:
    moment = timezone.localtime() + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _book(episode: Episode, clinician: User, starts_at: dt.datetime, minutes: int = 60):
    return lifecycle.book_appointment(
        episode=episode,
        clinician=clinician,
        kind=ContactKind.CLINIC,
        starts_at=starts_at,
        minutes=minutes,
        location="Clinic",
        video_link="",
        by=clinician,
    )


def _happened(episode: Episode, days_ago: int, outcome: ContactOutcome, clinician: User):
    appointment = AppointmentFactory.create(
        episode=episode, clinician=clinician, starts_at=_past(days_ago)
    )
    return lifecycle.record_outcome(
        appointment=appointment,
        outcome=outcome,
        note="",
        by=clinician,
        expected_version=appointment.version,
    )


# --- Opening an episode -------------------------------------------------------------------


def test_taking_a_child_off_the_specialist_list_opens_an_episode_with_a_lead(
    team: Team, clinician: User
) -> None:
    entry = _entry(team)
    episode = _open(entry, clinician)
    entry.refresh_from_db()
    assert episode.status == EpisodeStatus.OPEN
    assert episode.lead_clinician == clinician
    assert episode.child == entry.child
    # Still on the list, clock running, until the first attended contact.
    assert entry.status == EntryStatus.ALLOCATED
    assert entry.clock_stopped_on is None


def test_it_refuses_an_episode_for_a_child_waiting_for_targeted_support(
    team: Team, clinician: User
) -> None:
    entry = WaitlistEntryFactory.create(team=team, tier="targeted")
    with pytest.raises(IllegalMove, match="specialist"):
        _open(entry, clinician)
    assert not Episode.objects.exists()


def test_it_refuses_a_second_open_episode_for_the_same_child(team: Team, clinician: User) -> None:
    episode = EpisodeFactory.create(team=team)
    second = _entry(team, child=episode.child, referral__child=episode.child)
    with pytest.raises(IllegalMove, match="already has an open episode"):
        _open(second, clinician)


def test_a_re_referred_child_s_new_episode_links_to_the_last_one(
    team: Team, clinician: User
) -> None:
    first = EpisodeFactory.create(
        team=team, status=EpisodeStatus.DISCHARGED, discharged_on=timezone.localdate()
    )
    again = _entry(team, child=first.child, referral__child=first.child)
    second = _open(again, clinician)
    assert second.previous == first
    assert list(first.child.episodes.all()) == [second, first]


# --- Booking and clashes ------------------------------------------------------------------


def test_a_booking_in_the_past_is_refused(team: Team, clinician: User) -> None:
    episode = EpisodeFactory.create(team=team, lead_clinician=clinician)
    with pytest.raises(IllegalMove, match="future"):
        _book(episode, clinician, _past())


def test_double_booking_a_clinician_is_refused_with_the_clash(team: Team, clinician: User) -> None:
    mine = EpisodeFactory.create(team=team, lead_clinician=clinician)
    other = EpisodeFactory.create(team=team, lead_clinician=clinician)
    existing = _book(mine, clinician, _future(hour=10))
    with pytest.raises(lifecycle.Clash) as refused:
        _book(other, clinician, _future(hour=10) + dt.timedelta(minutes=30))
    assert refused.value.found == [existing]
    assert other.appointments.count() == 0


def test_double_booking_a_child_with_two_clinicians_is_refused(
    team: Team, clinician: User, lead: User
) -> None:
    episode = EpisodeFactory.create(team=team, lead_clinician=clinician)
    _book(episode, clinician, _future(hour=10))
    with pytest.raises(lifecycle.Clash):
        _book(episode, lead, _future(hour=10))


def test_back_to_back_and_cancelled_bookings_do_not_clash(team: Team, clinician: User) -> None:
    episode = EpisodeFactory.create(team=team, lead_clinician=clinician)
    first = _book(episode, clinician, _future(hour=10))
    _book(episode, clinician, _future(hour=11))  # starts as the first ends
    lifecycle.record_outcome(
        appointment=first,
        outcome=ContactOutcome.CANCELLED_BY_FAMILY,
        note="",
        by=clinician,
        expected_version=first.version,
    )
    assert _book(episode, clinician, _future(hour=10)).pk


# --- Outcomes and the waiting-list clock --------------------------------------------------


def test_the_first_attended_contact_stops_the_clock_on_its_day(team: Team, clinician: User) -> None:
    episode = _open(_entry(team), clinician)
    _happened(episode, 3, ContactOutcome.ATTENDED, clinician)
    _happened(episode, 1, ContactOutcome.ATTENDED, clinician)
    entry = WaitlistEntry.objects.get(episode=episode)
    assert entry.status == EntryStatus.SEEN
    assert entry.stop_reason == StopReason.SPECIALIST_CONTACT
    assert entry.clock_stopped_on == timezone.localdate() - dt.timedelta(days=3)


def test_a_cancelled_contact_does_not_stop_the_clock(team: Team, clinician: User) -> None:
    episode = _open(_entry(team), clinician)
    _happened(episode, 2, ContactOutcome.CANCELLED_BY_SERVICE, clinician)
    entry = WaitlistEntry.objects.get(episode=episode)
    assert entry.clock_stopped_on is None
    assert entry.status == EntryStatus.ALLOCATED
    assert not entry.adjustments.exists()


def test_in_wales_a_not_brought_first_contact_restarts_the_clock_from_that_day(
    team: Team, clinician: User
) -> None:
    episode = _open(_entry(team), clinician)
    _happened(episode, 2, ContactOutcome.NOT_BROUGHT, clinician)
    entry = WaitlistEntry.objects.get(episode=episode)
    assert entry.clock_stopped_on is None
    assert entry.clock_start == timezone.localdate() - dt.timedelta(days=2)
    assert entry.adjustments.get().rule == "wales.not_brought"


def test_in_england_the_clock_restarts_when_the_family_rebooks(team: Team, clinician: User) -> None:
    WaitingWellSettings.objects.create(team=team, clock_rules="england")
    entry = _entry(team)
    started = entry.clock_start
    episode = _open(entry, clinician)
    _happened(episode, 2, ContactOutcome.NOT_BROUGHT, clinician)
    assert WaitlistEntry.objects.get(pk=entry.pk).clock_start == started
    _book(episode, clinician, _future())
    _book(episode, clinician, _future(days=9))
    entry.refresh_from_db()
    assert entry.clock_start == timezone.localdate()
    assert entry.adjustments.get().rule == "england.first_not_brought"


def test_an_outcome_is_recorded_once(team: Team, clinician: User) -> None:
    episode = _open(_entry(team), clinician)
    appointment = _happened(episode, 1, ContactOutcome.ATTENDED, clinician)
    with pytest.raises(IllegalMove, match="already recorded"):
        lifecycle.record_outcome(
            appointment=appointment,
            outcome=ContactOutcome.NOT_BROUGHT,
            note="",
            by=clinician,
            expected_version=appointment.version,
        )


def test_a_future_contact_cannot_be_recorded_as_attended(team: Team, clinician: User) -> None:
    episode = EpisodeFactory.create(team=team, lead_clinician=clinician)
    appointment = _book(episode, clinician, _future())
    with pytest.raises(IllegalMove, match="not started"):
        lifecycle.record_outcome(
            appointment=appointment,
            outcome=ContactOutcome.ATTENDED,
            note="",
            by=clinician,
            expected_version=appointment.version,
        )


# --- The not-brought policy ---------------------------------------------------------------


def test_the_policy_prompts_after_the_team_s_number_not_brought_in_a_row(
    team: Team, clinician: User
) -> None:
    episode = EpisodeFactory.create(team=team, entry=None, lead_clinician=clinician)
    _happened(episode, 9, ContactOutcome.NOT_BROUGHT, clinician)
    _happened(episode, 8, ContactOutcome.ATTENDED, clinician)
    _happened(episode, 5, ContactOutcome.NOT_BROUGHT, clinician)
    assert lifecycle.not_brought_prompt(episode) == ""
    _happened(episode, 3, ContactOutcome.CANCELLED_BY_FAMILY, clinician)  # not counted
    _happened(episode, 2, ContactOutcome.NOT_BROUGHT, clinician)
    assert "Consider safeguarding" in lifecycle.not_brought_prompt(episode)


def test_the_team_configures_when_the_policy_prompts(team: Team, clinician: User) -> None:
    CareSettings.objects.create(team=team, not_brought_in_a_row=1, not_brought_steps="Ring Mum.")
    episode = EpisodeFactory.create(team=team, entry=None, lead_clinician=clinician)
    _happened(episode, 2, ContactOutcome.NOT_BROUGHT, clinician)
    assert lifecycle.not_brought_prompt(episode) == "Ring Mum."


def test_a_child_is_never_discharged_as_not_brought_without_a_safeguarding_consideration(
    team: Team, clinician: User
) -> None:
    episode = EpisodeFactory.create(team=team, entry=None, lead_clinician=clinician)
    with pytest.raises(IllegalMove, match="safeguarding"):
        lifecycle.discharge(
            episode=episode,
            reason=DischargeReason.NOT_BROUGHT,
            summary="",
            on=timezone.localdate(),
            by=clinician,
            expected_version=episode.version,
        )
    episode.refresh_from_db()
    assert episode.is_open
    lifecycle.record_safeguarding_consideration(
        episode=episode,
        text="Spoke to the school and the health visitor; no concerns known.",
        by=clinician,
        expected_version=episode.version,
    )
    lifecycle.discharge(
        episode=episode,
        reason=DischargeReason.NOT_BROUGHT,
        summary="Not brought three times.",
        on=timezone.localdate(),
        by=clinician,
        expected_version=episode.version,
    )
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.DISCHARGED


# --- Discharge ----------------------------------------------------------------------------


def test_unsigned_notes_block_discharge(team: Team, clinician: User) -> None:
    episode = EpisodeFactory.create(team=team, lead_clinician=clinician)
    NoteFactory.create(episode=episode)
    with pytest.raises(IllegalMove, match="1 unsigned note"):
        lifecycle.discharge(
            episode=episode,
            reason=DischargeReason.GOALS_MET,
            summary="",
            on=timezone.localdate(),
            by=clinician,
            expected_version=episode.version,
        )
    assert Episode.objects.get(pk=episode.pk).is_open


def test_discharge_cancels_booked_contacts_and_ends_an_entry_never_seen(
    team: Team, clinician: User
) -> None:
    episode = _open(_entry(team), clinician)
    booked = _book(episode, clinician, _future())
    lifecycle.discharge(
        episode=episode,
        reason=DischargeReason.MOVED_AWAY,
        summary="Moved to Cardiff.",
        on=timezone.localdate(),
        by=clinician,
        expected_version=episode.version,
    )
    booked.refresh_from_db()
    assert booked.outcome == ContactOutcome.CANCELLED_BY_SERVICE
    entry = WaitlistEntry.objects.get(episode=episode)
    assert entry.status == EntryStatus.ENDED
    assert entry.end_reason == EndReason.MOVED_AWAY
    with pytest.raises(IllegalMove, match="discharged"):
        _book(episode, clinician, _future(days=4))
