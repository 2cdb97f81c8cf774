"""Every change to a slot or a consultation: publish, withdraw, book, record.

Each is one transaction that checks the move is allowed and refuses it with a message a
clinician, teacher or parent can act on (IllegalMove), changing nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import Membership, Team, User
from sapling.consultations.models import (
    Consultation,
    ConsultationStatus,
    Mode,
    ReferralOutcome,
    Slot,
    SlotStatus,
)
from sapling.core.jinja import localdate
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import SecureLink
from sapling.core.roles import PERMISSIONS
from sapling.core.tokens import consume_link
from sapling.groups.models import Enrolment, validate_https

LENGTHS = (15, 20, 30, 45, 60)
# The longest slot there is: a slot starting this long before a new one cannot overlap it.
_LONGEST = dt.timedelta(minutes=240)


class Refused(IllegalMove):
    """A move refused because of one answer; `field` names the form field to change."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class SlotTaken(Refused):
    """Someone else booked the slot first (or it was withdrawn, or it has started)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="slot")


def _when(moment: dt.datetime) -> str:
    return localdate(moment, "%H:%M on %-d %B %Y")


def _offers_consultations(team: Team, user: User) -> bool:
    roles = PERMISSIONS["consultations.offer"]
    return Membership.objects.filter(team=team, user=user, active=True, role__in=roles).exists()


def _refuse_overlap(clinician: User, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    nearby = Slot.objects.live().filter(
        clinician=clinician, starts_at__lt=ends_at, starts_at__gt=starts_at - _LONGEST
    )
    for other in nearby:
        if other.ends_at > starts_at:
            name = clinician.get_full_name() or clinician.get_username()
            raise Refused(
                _("%(name)s already has a slot from %(start)s to %(end)s on %(day)s")
                % {
                    "name": name,
                    "start": localdate(other.starts_at, "%H:%M"),
                    "end": localdate(other.ends_at, "%H:%M"),
                    "day": localdate(other.starts_at),
                },
                field="time",
            )


def check_meeting_link(mode: str, meeting_link: str) -> str:
    """The link an online slot gives (https only); phone slots keep none."""
    if mode == Mode.PHONE:
        return ""
    if not meeting_link:
        raise Refused(_("Enter the meeting link for an online slot"), field="meeting_link")
    try:
        validate_https(meeting_link)
    except ValidationError as error:
        raise Refused(error.messages[0], field="meeting_link") from None
    return meeting_link


@transaction.atomic
def publish_slot(
    *,
    team: Team,
    clinician: User,
    starts_at: dt.datetime,
    minutes: int,
    mode: str,
    meeting_link: str = "",
    by: User,
    now: dt.datetime | None = None,
) -> Slot:
    """Offer a time for a consultation: in the future, https if online, no overlap."""
    now = now or timezone.now()
    if starts_at <= now:
        raise Refused(
            _("The slot must start in the future: %(when)s has passed")
            % {"when": _when(starts_at)},
            field="date",
        )
    if minutes not in LENGTHS:
        raise Refused(_("Choose how long the slot is"), field="minutes")
    if not _offers_consultations(team, clinician):
        raise Refused(_("Choose a clinician of this team"), field="clinician")
    link = check_meeting_link(Mode(mode), meeting_link.strip())
    # Serialise publishing per clinician, so two slots saved at once cannot overlap.
    User.objects.select_for_update().filter(pk=clinician.pk).first()
    _refuse_overlap(clinician, starts_at, starts_at + dt.timedelta(minutes=minutes))
    return Slot.objects.create(
        team=team,
        clinician=clinician,
        starts_at=starts_at,
        minutes=minutes,
        mode=mode,
        meeting_link=link,
        created_by=by,
        updated_by=by,
    )


@transaction.atomic
def withdraw_slot(*, slot: Slot, reason: str, by: User, expected_version: int) -> Slot:
    """Take an unbooked slot off offer; it stays on record with the reason."""
    if slot.status == SlotStatus.BOOKED:
        raise IllegalMove(
            _(
                "This slot is booked, so it cannot be withdrawn. Contact the person who "
                "booked it to rearrange, then record that it did not take place."
            )
        )
    if slot.status == SlotStatus.WITHDRAWN:
        raise IllegalMove(_("This slot has already been withdrawn"))
    slot.status = SlotStatus.WITHDRAWN
    slot.withdrawn_reason = reason
    slot.updated_by = by
    slot.save_versioned(expected_version=expected_version)
    return slot


@dataclass(frozen=True)
class Booker:
    """Who is booking: a partner with an account, or an attendee through their link."""

    name: str
    email: str
    role: str = ""
    setting: str = ""
    user: User | None = None
    enrolment: Enrolment | None = None


def _claim(slot: Slot, now: dt.datetime) -> None:
    """Take the slot in one conditional UPDATE: of two racing bookings, one wins."""
    claimed = Slot.objects.filter(
        pk=slot.pk, team_id=slot.team_id, status=SlotStatus.OPEN, starts_at__gt=now
    ).update(status=SlotStatus.BOOKED, version=F("version") + 1, updated_at=now)
    if not claimed:
        raise SlotTaken(
            _("Sorry, someone else has just booked the slot at %(when)s. Choose another time.")
            % {"when": _when(slot.starts_at)}
        )
    slot.refresh_from_db()


def _refuse_second_booking(user: User | None, now: dt.datetime) -> None:
    if user is None:
        return
    upcoming = (
        Consultation.objects.filter(
            user=user, status=ConsultationStatus.BOOKED, slot__starts_at__gt=now
        )
        .select_related("slot")
        .first()
    )
    if upcoming is not None:
        raise IllegalMove(
            _(
                "You already have a consultation booked at %(when)s. You can book another "
                "once it has taken place."
            )
            % {"when": _when(upcoming.slot.starts_at)}
        )


@transaction.atomic
def book_slot(
    *, slot: Slot, booker: Booker, question: str, phone: str = "", now: dt.datetime | None = None
) -> Consultation:
    """Book the slot for this person and send them a confirmation with a calendar file."""
    from sapling.consultations.invitations import send_confirmation

    now = now or timezone.now()
    if slot.mode == Mode.PHONE and not phone.strip():
        raise Refused(
            _("Enter a phone number so the occupational therapist can call you"), field="phone"
        )
    _refuse_second_booking(booker.user, now)
    _claim(slot, now)
    consultation = Consultation.objects.create(
        team_id=slot.team_id,
        slot=slot,
        enrolment=booker.enrolment,
        user=booker.user,
        name=booker.name,
        role=booker.role,
        setting=booker.setting,
        email=booker.email,
        phone=phone.strip(),
        question=question,
        booked_at=now,
    )
    send_confirmation(consultation)
    return consultation


@transaction.atomic
def record_consultation(
    *,
    consultation: Consultation,
    held: bool,
    advice: str = "",
    referral: str = "",
    not_held_reason: str = "",
    by: User,
    expected_version: int,
    now: dt.datetime | None = None,
) -> Consultation:
    """The OT records the advice given and the referral outcome, or that it did not happen.

    A record can be corrected later; the version check stops two people overwriting each
    other, and the audit trail keeps every earlier answer.
    """
    now = now or timezone.now()
    if consultation.slot.starts_at > now:
        raise IllegalMove(
            _("You can record this consultation once it has started (at %(when)s)")
            % {"when": _when(consultation.slot.starts_at)}
        )
    if held and not advice.strip():
        raise Refused(_("Enter the advice you gave"), field="advice")
    if held and referral not in ReferralOutcome.values:
        raise Refused(
            _("Choose whether a referral was avoided, made, or already made"), field="referral"
        )
    if not held and not not_held_reason.strip():
        raise Refused(_("Enter why the consultation did not take place"), field="not_held_reason")
    consultation.status = ConsultationStatus.HELD if held else ConsultationStatus.NOT_HELD
    consultation.advice = advice.strip() if held else ""
    consultation.referral = referral if held else ""
    consultation.not_held_reason = "" if held else not_held_reason.strip()
    consultation.recorded_at = now
    consultation.recorded_by = by
    consultation.updated_by = by
    consultation.save_versioned(expected_version=expected_version)
    return consultation


@transaction.atomic
def book_with_link(
    *, link: SecureLink, slot: Slot, question: str, phone: str = "", now: dt.datetime | None = None
) -> Consultation:
    """An attendee books through their invitation: the link is used up in the same
    transaction, so if the slot was taken meanwhile the link still works for another."""
    now = now or timezone.now()
    consume_link(link, now=now)
    enrolment = Enrolment.objects.select_related("run").get(pk=link.target_id)
    if slot.team_id != enrolment.run.team_id:
        raise SlotTaken(_("Choose one of the times shown"))
    booker = Booker(
        name=enrolment.participant_name,
        email=enrolment.participant_email,
        role=enrolment.participant_role,
        setting=enrolment.participant_setting,
        enrolment=enrolment,
    )
    return book_slot(slot=slot, booker=booker, question=question, phone=phone, now=now)
