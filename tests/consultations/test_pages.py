"""The consultation pages: publishing, the team's slots, recording, and booking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.consultations.invitations import PURPOSE
from sapling.consultations.models import (
    Consultation,
    ConsultationStatus,
    Mode,
    ReferralOutcome,
    Slot,
    SlotStatus,
)
from sapling.core.models import OutboxMessage, SecureLink
from sapling.core.tokens import issue_link
from sapling.groups.models import Enrolment
from tests.conftest import logged_in
from tests.consultations.factories import (
    ConsultationFactory,
    SlotFactory,
    attended,
    attendee,
    in_days,
)
from tests.groups.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _slot_form(clinician: User, day: dt.date, **changes: Any) -> dict[str, Any]:
    data = {
        "clinician": clinician.pk,
        "date_day": day.day,
        "date_month": day.month,
        "date_year": day.year,
        "time": "14:00",
        "minutes": "30",
        "mode": "online",
        "meeting_link": "https://meet.example.nhs.uk/ot",
    }
    data.update(changes)
    return data


def _next_week() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=7)


# --- Publishing -------------------------------------------------------------------------------


def test_a_clinician_publishes_a_slot_and_sees_it_listed(clinician: User) -> None:
    client = logged_in(clinician)
    response = client.post(reverse("consultations:add_slot"), _slot_form(clinician, _next_week()))
    assert response.status_code == 302
    slot = Slot.objects.get()
    assert timezone.localtime(slot.starts_at).time() == dt.time(14, 0)
    assert slot.created_by == clinician
    listing = client.get(reverse("consultations:list_slots"))
    assert "14:00 to 14:30" in listing.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"meeting_link": "http://meet.example.nhs.uk/ot"}, "starts with https://"),
        ({"meeting_link": ""}, "Enter the meeting link for an online slot"),
        ({"time": "25:00"}, "Enter the start time as hours and minutes"),
        ({"date_year": "2020"}, "The slot must start in the future"),
    ],
)
def test_a_slot_that_cannot_be_published_is_refused_with_a_clear_message(
    clinician: User, changes: dict[str, str], message: str
) -> None:
    data = _slot_form(clinician, _next_week(), **changes)
    response = logged_in(clinician).post(reverse("consultations:add_slot"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Slot.objects.exists()


def test_an_overlapping_slot_is_refused_naming_the_slot_in_the_way(
    team: Team, clinician: User
) -> None:
    client = logged_in(clinician)
    client.post(reverse("consultations:add_slot"), _slot_form(clinician, _next_week()))
    response = client.post(
        reverse("consultations:add_slot"), _slot_form(clinician, _next_week(), time="14:15")
    )
    assert "already has a slot from 14:00 to 14:30" in response.content.decode()
    assert Slot.objects.count() == 1


def test_a_phone_slot_needs_no_link(clinician: User) -> None:
    data = _slot_form(clinician, _next_week(), mode="phone", meeting_link="")
    logged_in(clinician).post(reverse("consultations:add_slot"), data)
    assert Slot.objects.get().mode == Mode.PHONE


def test_the_list_of_slots_takes_a_fixed_number_of_queries(
    team: Team, clinician: User, django_assert_num_queries: Any
) -> None:
    SlotFactory.create_batch(3, team=team)
    ConsultationFactory.create_batch(3, team=team, slot__starts_at=in_days(-2))
    client = logged_in(clinician)
    client.get(reverse("consultations:list_slots"))  # warm the session
    with django_assert_num_queries(6):
        response = client.get(reverse("consultations:list_slots"))
    assert response.content.decode().count("Booked by") == 3


def test_another_teams_slots_are_not_listed(team: Team, other_team: Team, clinician: User) -> None:
    SlotFactory.create(team=other_team, starts_at=in_days(5, 9))
    response = logged_in(clinician).get(reverse("consultations:list_slots"))
    assert "No slots are published" in response.content.decode()


# --- Withdrawing and recording ----------------------------------------------------------------


def test_a_clinician_withdraws_an_open_slot_with_a_reason(team: Team, clinician: User) -> None:
    slot = SlotFactory.create(team=team)
    response = logged_in(clinician).post(
        reverse("consultations:withdraw_slot", args=[slot.pk]),
        {"version": slot.version, "reason": "Called to a clinic"},
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.status == SlotStatus.WITHDRAWN
    assert slot.withdrawn_reason == "Called to a clinic"


def test_the_ot_records_the_advice_given(team: Team, clinician: User) -> None:
    consultation = ConsultationFactory.create(team=team, slot__starts_at=in_days(-1))
    url = reverse("consultations:record_consultation", args=[consultation.slot_id])
    response = logged_in(clinician).post(
        url,
        {
            "version": consultation.version,
            "held": "yes",
            "advice": "A movement break before writing; ear defenders at assembly.",
            "referral": ReferralOutcome.AVOIDED,
        },
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.HELD
    assert consultation.referral == ReferralOutcome.AVOIDED
    page = logged_in(clinician).get(reverse("consultations:show_slot", args=[consultation.slot_id]))
    assert "Referral avoided" in page.content.decode()


def test_a_record_without_advice_is_refused_beside_the_advice_box(
    team: Team, clinician: User
) -> None:
    consultation = ConsultationFactory.create(team=team, slot__starts_at=in_days(-1))
    url = reverse("consultations:record_consultation", args=[consultation.slot_id])
    response = logged_in(clinician).post(
        url, {"version": consultation.version, "held": "yes", "referral": "made"}
    )
    body = response.content.decode()
    assert 'href="#id_advice"' in body
    assert "Enter the advice you gave" in body
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.BOOKED


def test_a_stale_record_says_who_changed_it(team: Team, clinician: User, lead: User) -> None:
    consultation = ConsultationFactory.create(team=team, slot__starts_at=in_days(-1))
    url = reverse("consultations:record_consultation", args=[consultation.slot_id])
    data = {"version": 1, "held": "no", "not_held_reason": "No answer"}
    logged_in(lead).post(url, data)
    response = logged_in(clinician).post(url, {**data, "not_held_reason": "Rang twice"})
    assert "This was changed by" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.not_held_reason == "No answer"


def test_an_open_slot_has_nothing_to_record(team: Team, clinician: User) -> None:
    slot = SlotFactory.create(team=team)
    url = reverse("consultations:record_consultation", args=[slot.pk])
    assert logged_in(clinician).get(url).status_code == 404


# --- Partners ---------------------------------------------------------------------------------


def test_a_partner_who_has_not_attended_training_is_told_when_they_can_book(
    team: Team, partner: User
) -> None:
    SlotFactory.create(team=team)
    client = logged_in(partner)
    response = client.get(reverse("consultations:book_consultation"))
    assert "after you have attended one of our universal training" in response.content.decode()
    slot = Slot.objects.get()
    client.post(reverse("consultations:book_consultation"), {"slot": slot.pk, "question": "Q"})
    assert not Consultation.objects.exists()


def _trained(team: Team, partner: User) -> Enrolment:
    enrolment = EnrolmentFactory.create(
        run__programme__team=team, user=partner, participant_email=""
    )
    attended(enrolment)
    return enrolment


def test_a_partner_who_attended_books_from_their_account(team: Team, partner: User) -> None:
    training = _trained(team, partner)
    slot = SlotFactory.create(team=team)
    client = logged_in(partner)
    response = client.post(
        reverse("consultations:book_consultation"),
        {"slot": slot.pk, "question": "Pencil grip in year 2"},
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert (consultation.user, consultation.enrolment) == (partner, training)
    assert consultation.email == partner.email
    mine = client.get(reverse("consultations:list_my_consultations")).content.decode()
    assert "https://meet.example.nhs.uk/ot-advice" in mine


def test_a_partner_is_told_when_someone_else_took_the_slot_first(team: Team, partner: User) -> None:
    _trained(team, partner)
    slot = SlotFactory.create(team=team)
    ConsultationFactory.create(team=team, slot=slot)  # booked since the page was shown
    response = logged_in(partner).post(
        reverse("consultations:book_consultation"), {"slot": slot.pk, "question": "Q"}
    )
    assert "Select a valid choice" in response.content.decode()
    assert Consultation.objects.count() == 1


# --- Attendees, through their secure link -----------------------------------------------------


def _open_link(client: Client, enrolment: Enrolment, **kwargs: Any) -> SecureLink:
    link, token = issue_link(
        purpose=PURPOSE, target=enrolment, expires_at=timezone.now() + dt.timedelta(days=14)
    )
    response = client.get(f"/l/{token}/")
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:book_with_link")
    return link


def test_an_attendee_books_through_their_link_and_sees_the_confirmation(team: Team) -> None:
    teacher = attendee(team, participant_email="sian@school.example.org")
    slot = SlotFactory.create(team=team, mode=Mode.PHONE, meeting_link="")
    client = Client()
    _open_link(client, teacher)
    page = client.get(reverse("consultations:book_with_link"))
    assert "sian@school.example.org" in page.content.decode()
    response = client.post(
        reverse("consultations:book_with_link"),
        {"slot": slot.pk, "question": "Sensory breaks", "phone": "07700 900456"},
    )
    assert response["Location"] == reverse("consultations:booking_confirmed")
    confirmed = client.get(response["Location"]).content.decode()
    assert "will phone you on 07700 900456" in confirmed
    consultation = Consultation.objects.get()
    assert (consultation.enrolment, consultation.name) == (teacher, "Siân Jenkins")
    assert OutboxMessage.objects.filter(recipient="sian@school.example.org").count() == 1
    again = client.get(reverse("consultations:book_with_link")).content.decode()
    assert "You have already booked a consultation" in again


def test_a_link_booking_of_a_taken_slot_keeps_the_link_working(team: Team) -> None:
    teacher = attendee(team)
    taken, free = SlotFactory.create_batch(2, team=team)
    client = Client()
    link = _open_link(client, teacher)
    ConsultationFactory.create(team=team, slot=taken)
    response = client.post(
        reverse("consultations:book_with_link"), {"slot": taken.pk, "question": "Q"}
    )
    assert "Select a valid choice" in response.content.decode()
    link.refresh_from_db()
    assert link.used_at is None
    client.post(reverse("consultations:book_with_link"), {"slot": free.pk, "question": "Q"})
    assert Consultation.objects.get(enrolment=teacher).slot == free


def test_a_phone_booking_without_a_number_is_refused_beside_the_number(team: Team) -> None:
    teacher = attendee(team)
    slot = SlotFactory.create(team=team, mode=Mode.PHONE, meeting_link="")
    client = Client()
    link = _open_link(client, teacher)
    response = client.post(
        reverse("consultations:book_with_link"), {"slot": slot.pk, "question": "Q"}
    )
    assert 'href="#id_phone"' in response.content.decode()
    link.refresh_from_db()
    assert link.used_at is None


def test_an_expired_or_wrong_link_books_nothing(team: Team) -> None:
    teacher = attendee(team)
    SlotFactory.create(team=team)
    client = Client()
    link = _open_link(client, teacher)
    SecureLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    expired = client.get(reverse("consultations:book_with_link"))
    assert expired.status_code == 404
    assert "This link has expired" in expired.content.decode()
    wrong = Client().get("/l/" + "x" * 43 + "/")
    assert "This link cannot be used" in wrong.content.decode()
    assert Client().get(reverse("consultations:book_with_link")).status_code == 404


def test_a_clinician_can_list_only_their_own_slots(team: Team, clinician: User, lead: User) -> None:
    SlotFactory.create(team=team, clinician=clinician, starts_at=in_days(3, 9))
    SlotFactory.create(team=team, clinician=lead, starts_at=in_days(4, 11))
    client = logged_in(clinician)
    everyone = client.get(reverse("consultations:list_slots")).content.decode()
    mine = client.get(reverse("consultations:list_slots") + "?mine=1").content.decode()
    assert "11:00 to 11:30" in everyone
    assert "09:00 to 09:30" in mine
    assert "11:00 to 11:30" not in mine
