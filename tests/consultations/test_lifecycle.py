"""Publishing, withdrawing, booking and recording consultations: the domain rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.consultations import lifecycle
from sapling.consultations.lifecycle import Booker, Refused, SlotTaken
from sapling.consultations.models import (
    Consultation,
    ConsultationStatus,
    Mode,
    ReferralOutcome,
    Slot,
    SlotStatus,
)
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import OutboxMessage, StaleEdit
from tests.consultations.factories import ConsultationFactory, SlotFactory, attendee, in_days

pytestmark = pytest.mark.django_db


def _publish(team: Team, clinician: User, starts_at: dt.datetime, **kwargs: object) -> Slot:
    arguments: dict[str, object] = {
        "team": team,
        "clinician": clinician,
        "starts_at": starts_at,
        "minutes": 30,
        "mode": Mode.ONLINE,
        "meeting_link": "https://meet.example.nhs.uk/ot",
        "by": clinician,
    }
    arguments.update(kwargs)
    return lifecycle.publish_slot(**arguments)  # type: ignore[arg-type]


def test_a_clinician_publishes_an_online_slot(team: Team, clinician: User) -> None:
    slot = _publish(team, clinician, in_days(3, 14))
    assert slot.status == SlotStatus.OPEN
    assert slot.ends_at - slot.starts_at == dt.timedelta(minutes=30)


def test_a_phone_slot_keeps_no_meeting_link(team: Team, clinician: User) -> None:
    slot = _publish(team, clinician, in_days(3), mode=Mode.PHONE, meeting_link="https://x.org")
    assert slot.meeting_link == ""


def test_a_slot_in_the_past_is_refused(team: Team, clinician: User) -> None:
    with pytest.raises(Refused, match="must start in the future") as refused:
        _publish(team, clinician, timezone.now() - dt.timedelta(minutes=1))
    assert refused.value.field == "date"
    assert not Slot.objects.exists()


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("http://meet.example.nhs.uk/ot", "starts with https://"),
        ("", "Enter the meeting link"),
    ],
)
def test_an_online_slot_needs_an_https_link(
    team: Team, clinician: User, link: str, message: str
) -> None:
    with pytest.raises(Refused, match=message) as refused:
        _publish(team, clinician, in_days(3), meeting_link=link)
    assert refused.value.field == "meeting_link"
    assert not Slot.objects.exists()


@pytest.mark.parametrize(
    ("hour", "minute", "overlaps"),
    [(13, 45, True), (14, 15, True), (14, 0, True), (13, 30, False), (14, 30, False)],
)
def test_a_slot_overlapping_the_same_clinicians_slot_is_refused(
    team: Team, clinician: User, hour: int, minute: int, overlaps: bool
) -> None:
    _publish(team, clinician, in_days(3, 14))  # 14:00 to 14:30
    starts_at = in_days(3, hour) + dt.timedelta(minutes=minute)
    if overlaps:
        with pytest.raises(Refused, match="already has a slot from 14:00 to 14:30"):
            _publish(team, clinician, starts_at)
        assert Slot.objects.count() == 1
    else:
        _publish(team, clinician, starts_at)
        assert Slot.objects.count() == 2


def test_another_clinician_may_offer_the_same_time(team: Team, clinician: User, lead: User) -> None:
    _publish(team, clinician, in_days(3, 14))
    _publish(team, lead, in_days(3, 14), by=lead)
    assert Slot.objects.count() == 2


def test_a_withdrawn_slot_no_longer_blocks_the_time(team: Team, clinician: User) -> None:
    slot = _publish(team, clinician, in_days(3, 14))
    lifecycle.withdraw_slot(slot=slot, reason="Training day", by=clinician, expected_version=1)
    _publish(team, clinician, in_days(3, 14))
    assert Slot.objects.filter(status=SlotStatus.OPEN).count() == 1


def test_only_someone_who_offers_consultations_can_hold_a_slot(
    team: Team, administrator: User, lead: User
) -> None:
    with pytest.raises(Refused, match="Choose a clinician"):
        _publish(team, administrator, in_days(3), by=lead)


def test_a_booked_slot_cannot_be_withdrawn(team: Team) -> None:
    consultation = ConsultationFactory.create(team=team)
    slot = consultation.slot
    with pytest.raises(IllegalMove, match="is booked"):
        lifecycle.withdraw_slot(
            slot=slot, reason="Leave", by=slot.clinician, expected_version=slot.version
        )
    slot.refresh_from_db()
    assert slot.status == SlotStatus.BOOKED


def test_withdrawing_with_a_stale_version_is_refused(team: Team, clinician: User) -> None:
    slot = _publish(team, clinician, in_days(3))
    with pytest.raises(StaleEdit):
        lifecycle.withdraw_slot(slot=slot, reason="Leave", by=clinician, expected_version=0)


def _booker(team: Team) -> Booker:
    enrolment = attendee(team)
    return Booker(name="Siân Jenkins", email="sian@school.example.org", enrolment=enrolment)


def test_booking_takes_the_slot_and_sends_a_confirmation_with_a_calendar_file(
    team: Team,
) -> None:
    slot = SlotFactory.create(team=team)
    consultation = lifecycle.book_slot(slot=slot, booker=_booker(team), question="Ear defenders?")
    slot.refresh_from_db()
    assert slot.status == SlotStatus.BOOKED
    assert consultation.status == ConsultationStatus.BOOKED
    message = OutboxMessage.objects.get(template="consultations.confirmation")
    assert message.recipient == "sian@school.example.org"
    assert "https://meet.example.nhs.uk/ot-advice" in message.body
    assert message.attachment_name == "consultation.ics"
    assert "BEGIN:VEVENT" in message.attachment_content


def test_a_slot_someone_else_just_booked_is_refused(team: Team) -> None:
    slot = SlotFactory.create(team=team)
    stale_copy = Slot.objects.get(pk=slot.pk)  # the second person loaded the page earlier
    lifecycle.book_slot(slot=slot, booker=_booker(team), question="First")
    with pytest.raises(SlotTaken, match="someone else has just booked"):
        lifecycle.book_slot(slot=stale_copy, booker=_booker(team), question="Second")
    assert Consultation.objects.count() == 1
    assert OutboxMessage.objects.filter(template="consultations.confirmation").count() == 1


def test_a_slot_that_has_started_cannot_be_booked(team: Team) -> None:
    slot = SlotFactory.create(team=team, starts_at=timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(SlotTaken):
        lifecycle.book_slot(slot=slot, booker=_booker(team), question="Too late")


def test_a_phone_slot_needs_a_number_to_call(team: Team) -> None:
    slot = SlotFactory.create(team=team, mode=Mode.PHONE, meeting_link="")
    with pytest.raises(IllegalMove, match="phone number"):
        lifecycle.book_slot(slot=slot, booker=_booker(team), question="Q", phone=" ")
    slot.refresh_from_db()
    assert slot.status == SlotStatus.OPEN


def test_a_partner_holds_one_upcoming_consultation_at_a_time(team: Team, partner: User) -> None:
    booker = Booker(name="Partner", email=partner.email, user=partner)
    first, second = SlotFactory.create_batch(2, team=team)
    lifecycle.book_slot(slot=first, booker=booker, question="Q")
    with pytest.raises(IllegalMove, match="already have a consultation booked"):
        lifecycle.book_slot(slot=second, booker=booker, question="Q")
    second.refresh_from_db()
    assert second.status == SlotStatus.OPEN


def _past_consultation(team: Team) -> Consultation:
    return ConsultationFactory.create(team=team, slot__starts_at=in_days(-1))


def test_the_ot_records_advice_and_the_referral_outcome(team: Team, clinician: User) -> None:
    consultation = _past_consultation(team)
    lifecycle.record_consultation(
        consultation=consultation,
        held=True,
        advice="Try a quiet corner and ear defenders at assembly.",
        referral=ReferralOutcome.AVOIDED,
        by=clinician,
        expected_version=1,
    )
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.HELD
    assert consultation.referral == ReferralOutcome.AVOIDED
    assert consultation.recorded_by == clinician


@pytest.mark.parametrize(
    ("held", "advice", "referral", "reason", "message"),
    [
        (True, "", ReferralOutcome.MADE, "", "Enter the advice"),
        (True, "Advice", "", "", "avoided, made, or already"),
        (False, "", "", "", "did not take place"),
    ],
)
def test_an_incomplete_record_is_refused(
    team: Team,
    clinician: User,
    held: bool,
    advice: str,
    referral: str,
    reason: str,
    message: str,
) -> None:
    consultation = _past_consultation(team)
    with pytest.raises(IllegalMove, match=message):
        lifecycle.record_consultation(
            consultation=consultation,
            held=held,
            advice=advice,
            referral=referral,
            not_held_reason=reason,
            by=clinician,
            expected_version=1,
        )
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.BOOKED


def test_a_consultation_cannot_be_recorded_before_it_starts(team: Team, clinician: User) -> None:
    consultation = ConsultationFactory.create(team=team)
    with pytest.raises(IllegalMove, match="once it has started"):
        lifecycle.record_consultation(
            consultation=consultation,
            held=True,
            advice="Advice",
            referral=ReferralOutcome.MADE,
            by=clinician,
            expected_version=1,
        )


def test_a_record_saved_meanwhile_by_someone_else_is_not_overwritten(
    team: Team, clinician: User, lead: User
) -> None:
    consultation = _past_consultation(team)
    stale = Consultation.objects.get(pk=consultation.pk)
    lifecycle.record_consultation(
        consultation=consultation,
        held=False,
        not_held_reason="Did not answer",
        by=lead,
        expected_version=1,
    )
    with pytest.raises(StaleEdit):
        lifecycle.record_consultation(
            consultation=stale,
            held=True,
            advice="A",
            referral="made",
            by=clinician,
            expected_version=1,
        )
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.NOT_HELD
