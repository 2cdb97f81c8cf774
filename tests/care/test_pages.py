"""The care pages as a user meets them: what they show, and the clear messages bad input gets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.care.models import ContactOutcome, Episode, EpisodeStatus, Note
from sapling.core.models import OutboxMessage
from sapling.waitlist.models import EntryStatus, WaitlistEntry
from tests.care.factories import (
    AppointmentFactory,
    EpisodeFactory,
    GoalFactory,
    NoteFactory,
)
from tests.conftest import logged_in
from tests.factories import CarerFactory
from tests.waitlist.factories import WaitlistEntryFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _in(days: int, hour: int) -> dt.datetime:
    moment = timezone.localtime() + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _booking(episode: Episode, clinician: User, starts: dt.datetime, **extra: str) -> dict:
    return {
        "episode": episode.pk,
        "clinician": clinician.pk,
        "kind": "home",
        "day_day": starts.day,
        "day_month": starts.month,
        "day_year": starts.year,
        "start": f"{starts:%H:%M}",
        "minutes": "45",
        "location": "Home",
        **extra,
    }


def test_a_specialist_entry_offers_to_start_an_episode_to_clinical_staff_only(
    team: Team, clinician: User, administrator: User
) -> None:
    specialist = WaitlistEntryFactory.create(team=team, tier="specialist")
    targeted = WaitlistEntryFactory.create(team=team, tier="targeted")
    start = reverse("care:start_episode", args=[specialist.pk])
    page = _text(logged_in(clinician).get(reverse("waitlist:show_entry", args=[specialist.pk])))
    assert start in page
    page = _text(logged_in(administrator).get(reverse("waitlist:show_entry", args=[specialist.pk])))
    assert start not in page
    page = _text(logged_in(clinician).get(reverse("waitlist:show_entry", args=[targeted.pk])))
    assert "Start episode of care" not in page


def test_starting_an_episode_leads_to_its_page(team: Team, clinician: User) -> None:
    entry = WaitlistEntryFactory.create(team=team, tier="specialist")
    response = logged_in(clinician).post(
        reverse("care:start_episode", args=[entry.pk]), {"lead_clinician": clinician.pk}
    )
    episode = Episode.objects.get(entry=entry)
    assert response["Location"] == reverse("care:show_episode", args=[episode.pk])
    again = logged_in(clinician).post(
        reverse("care:start_episode", args=[entry.pk]), {"lead_clinician": clinician.pk}
    )
    assert "already started" in _text(again)


def test_the_office_books_a_contact_and_the_family_is_sent_an_invitation(
    team: Team, clinician: User, administrator: User
) -> None:
    episode = EpisodeFactory.create(team=team, lead_clinician=clinician)
    CarerFactory.create(child=episode.child, email="mam@example.org", preferred_channel="email")
    response = logged_in(administrator).post(
        reverse("care:book_appointment"), _booking(episode, clinician, _in(3, 9))
    )
    assert response.status_code == 302
    appointment = episode.appointments.get()
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=45)
    message = OutboxMessage.objects.get(template="care.invitation")
    assert message.attachment_name == "appointment.ics"
    assert "BEGIN:VEVENT" in message.attachment_content
    assert "Home" in message.body


def test_a_booking_in_the_past_gets_a_clear_message(team: Team, clinician: User) -> None:
    episode = EpisodeFactory.create(team=team, lead_clinician=clinician)
    response = logged_in(clinician).post(
        reverse("care:book_appointment"), _booking(episode, clinician, _in(-2, 9))
    )
    assert "The date and time must be in the future" in _text(response)
    assert not episode.appointments.exists()


def test_a_double_booking_is_refused_with_the_clash_shown(team: Team, clinician: User) -> None:
    booked = AppointmentFactory.create(
        episode__team=team, episode__lead_clinician=clinician, starts_at=_in(3, 10)
    )
    other = EpisodeFactory.create(team=team, lead_clinician=clinician)
    response = logged_in(clinician).post(
        reverse("care:book_appointment"), _booking(other, clinician, _in(3, 10))
    )
    page = _text(response)
    assert "That time clashes with another booking" in page
    assert booked.episode.child.full_name in page
    assert not other.appointments.exists()


def test_recording_the_first_contact_as_attended_takes_the_child_off_the_list(
    team: Team, clinician: User
) -> None:
    appointment = AppointmentFactory.create(
        episode__team=team, episode__lead_clinician=clinician, starts_at=_in(-1, 10)
    )
    response = logged_in(clinician).post(
        reverse("care:record_outcome", args=[appointment.pk]),
        {"outcome": "attended", "note": "", "version": appointment.version},
    )
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(episode=appointment.episode)
    assert entry.status == EntryStatus.SEEN
    assert entry.clock_stopped_on == timezone.localdate() - dt.timedelta(days=1)


def test_the_office_cancels_a_contact_and_the_family_is_told(
    team: Team, administrator: User
) -> None:
    appointment = AppointmentFactory.create(episode__team=team)
    CarerFactory.create(child=appointment.episode.child, email="dad@example.org")
    logged_in(administrator).post(
        reverse("care:cancel_appointment", args=[appointment.pk]),
        {"outcome": "cancelled_by_family", "note": "Poorly", "version": appointment.version},
    )
    appointment.refresh_from_db()
    assert appointment.outcome == ContactOutcome.CANCELLED_BY_FAMILY
    assert OutboxMessage.objects.filter(template="care.cancelled").count() == 1


def test_signing_an_empty_note_gets_a_clear_message(team: Team, clinician: User) -> None:
    episode = EpisodeFactory.create(team=team, lead_clinician=clinician)
    response = logged_in(clinician).post(
        reverse("care:add_note", args=[episode.pk]), {"text": "", "sign": "1"}
    )
    assert "Write the note before signing it" in _text(response)
    assert not Note.objects.exists()


def test_editing_a_signed_note_is_refused_with_a_clear_message(team: Team, clinician: User) -> None:
    note = NoteFactory.create(
        episode__team=team, episode__lead_clinician=clinician, signed_at=timezone.now()
    )
    url = reverse("care:update_note", args=[note.episode_id, note.pk])
    response = logged_in(clinician).post(url, {"text": "Rewritten", "sign": "1"})
    assert "cannot be changed: add an addendum instead" in _text(response)
    note.refresh_from_db()
    assert note.text != "Rewritten"


def test_discharging_with_unsigned_notes_gets_a_clear_message(team: Team, clinician: User) -> None:
    episode = EpisodeFactory.create(team=team, lead_clinician=clinician)
    NoteFactory.create(episode=episode)
    response = logged_in(clinician).post(
        reverse("care:discharge_episode", args=[episode.pk]),
        {"reason": "goals_met", "summary": "Done", "version": episode.version},
    )
    assert "Sign or complete the 1 unsigned note(s) before discharging" in _text(response)
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.OPEN


def test_discharge_queues_the_family_letter_in_their_language_and_prints_for_the_gp(
    team: Team, clinician: User
) -> None:
    episode = EpisodeFactory.create(team=team, lead_clinician=clinician)
    GoalFactory.create(episode=episode, text="Ride my bike to school")
    CarerFactory.create(
        child=episode.child,
        preferred_language="cy",
        preferred_channel="letter",
        address="1 Heol y Bryn\nAbertawe\nSA1 1AA",
    )
    logged_in(clinician).post(
        reverse("care:discharge_episode", args=[episode.pk]),
        {"reason": "goals_met", "summary": "Rides to school now.", "version": episode.version},
    )
    letter = OutboxMessage.objects.get(template="care.discharge")
    assert letter.channel == "letter"
    assert letter.language == "cy"
    assert "Ride my bike to school" in letter.body
    gp = _text(
        logged_in(clinician).get(reverse("care:show_discharge_letter", args=[episode.pk, "gp"]))
    )
    assert "Goals met" in gp
    assert "Rides to school now." in gp
    assert episode.child.full_name in gp


def test_the_caseload_shows_next_contact_and_overdue_actions(team: Team, clinician: User) -> None:
    episode = EpisodeFactory.create(
        team=team, lead_clinician=clinician, review_due_on=timezone.localdate()
    )
    NoteFactory.create(episode=episode)
    AppointmentFactory.create(episode=episode, starts_at=_in(4, 11))
    page = _text(logged_in(clinician).get(reverse("care:show_caseload")))
    assert episode.child.full_name in page
    assert "1 unsigned note" in page
    assert "Review due" in page
    assert f"{_in(4, 11):%-d %B %Y} 11:00" in page


def test_the_lead_sees_counts_per_clinician(team: Team, clinician: User, lead: User) -> None:
    EpisodeFactory.create_batch(2, team=team, lead_clinician=clinician)
    response = logged_in(lead).get(reverse("care:list_caseloads"))
    page = _text(response)
    assert reverse("care:show_clinician_caseload", args=[clinician.pk]) in page
    assert '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">2</td>' in page


def test_the_diary_shows_the_week_for_a_clinician_and_for_the_team(
    team: Team, clinician: User, lead: User, administrator: User
) -> None:
    mine = AppointmentFactory.create(
        episode__team=team, episode__lead_clinician=clinician, starts_at=_in(0, 23)
    )
    theirs = AppointmentFactory.create(
        episode__team=team, episode__lead_clinician=lead, starts_at=_in(0, 23)
    )
    own = _text(logged_in(clinician).get(reverse("care:show_diary")))
    assert mine.episode.child.full_name in own
    assert theirs.episode.child.full_name not in own
    everyone = _text(logged_in(administrator).get(reverse("care:show_diary")))
    assert mine.episode.child.full_name in everyone
    assert theirs.episode.child.full_name in everyone


def test_the_episode_page_prompts_the_team_s_not_brought_policy(
    team: Team, clinician: User, lead: User
) -> None:
    logged_in(lead).post(
        reverse("care:update_settings"),
        {
            "not_brought_in_a_row": "1",
            "not_brought_steps": "Phone the family and the school nurse.",
            "default_minutes": "45",
        },
    )
    episode = EpisodeFactory.create(team=team, entry=None, lead_clinician=clinician)
    url = reverse("care:show_episode", args=[episode.pk])
    assert "Phone the family and the school nurse." not in _text(logged_in(clinician).get(url))
    AppointmentFactory.create(episode=episode, starts_at=_in(-3, 10), outcome="not_brought")
    page = _text(logged_in(clinician).get(url))
    assert "Not brought: act on the team" in page
    assert "Phone the family and the school nurse." in page
    assert reverse("care:record_safeguarding_consideration", args=[episode.pk]) in page


def test_a_stale_discharge_says_who_changed_the_episode(team: Team, clinician: User) -> None:
    episode = EpisodeFactory.create(team=team, lead_clinician=clinician)
    started_at = episode.version
    logged_in(clinician).post(
        reverse("care:record_safeguarding_consideration", args=[episode.pk]),
        {"text": "Discussed with the school: no concerns.", "version": started_at},
    )
    response = logged_in(clinician).post(
        reverse("care:discharge_episode", args=[episode.pk]),
        {"reason": "goals_met", "summary": "Done", "version": started_at},
    )
    assert "This was changed by" in _text(response)
    assert Episode.objects.get(pk=episode.pk).is_open
