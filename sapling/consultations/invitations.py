"""Who may book a consultation, the booking link sent after training, and confirmations.

The rules `schedule_booking_invitations` applies (run by `sapling send-due`, idempotent):

1. Everyone without an account who attended at least one session of a universal-tier
   run (a teacher or parent who booked on the public page) is sent, once, an email with
   a secure link to book a consultation. Partners with accounts book from their account.
2. Only attendance in the last INVITE_WITHIN days counts: the offer follows the training,
   and switching the feature on does not write to everyone trained in years past.
3. The invitation waits until the team has a slot on offer, so the link (which works
   for 14 days, once) is not spent on an empty page.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sapling.accounts.models import Team, User
from sapling.consultations.models import Consultation, Mode, Slot
from sapling.core import tokens
from sapling.core.calendar import CalendarEvent, calendar_file
from sapling.core.jinja import localdate
from sapling.core.models import OutboxMessage, SecureLink
from sapling.core.outbox import Attachment, LinkRequest, queue_message
from sapling.groups.attendance import attended_universal
from sapling.groups.models import Enrolment, Mark, ProgrammeTier

PURPOSE = "consultations.book"
LINK_LIFETIME = dt.timedelta(days=14)
INVITE_WITHIN = dt.timedelta(days=56)


# --- Who may book ---------------------------------------------------------------------------


def partner_training(team: Team, user: User) -> Enrolment | None:
    """The universal training this partner attended, if any (most recent first)."""
    enrolments = (
        Enrolment.objects.filter(
            run__team=team, user=user, run__programme__tier=ProgrammeTier.UNIVERSAL
        )
        .select_related("run__programme")
        .order_by("-pk")
    )
    return next((e for e in enrolments if attended_universal(e)), None)


# --- Invitations (sapling send-due) ---------------------------------------------------------


def _invitation_text(enrolment: Enrolment) -> tuple[str, str]:
    with translation.override(enrolment.run.language or settings.LANGUAGE_CODE):
        subject = _("Book a free consultation with an occupational therapist")
        body = "\n".join(
            [
                _("Dear %(name)s,") % {"name": enrolment.participant_name},
                "",
                _(
                    "Thank you for coming to %(training)s. If you would like advice about a "
                    "child you support, you can book a consultation with one of our "
                    "occupational therapists, online or by phone:"
                )
                % {"training": enrolment.run.title},
                "{link}",
                _("The link works once and for 14 days."),
            ]
        )
        return str(subject), body


def _attendees(now: dt.datetime) -> list[Enrolment]:
    """Participants without accounts who attended a universal session recently."""
    return list(
        Enrolment.objects.filter(
            run__programme__tier=ProgrammeTier.UNIVERSAL,
            user__isnull=True,
            child__isnull=True,
            attendances__mark=Mark.ATTENDED,
            attendances__session__starts_at__gte=now - INVITE_WITHIN,
            attendances__session__starts_at__lte=now,
        )
        .exclude(participant_email="")
        .select_related("run__programme", "run__team")
        .distinct()
        .order_by("pk")
    )


def invitation_key(enrolment: Enrolment) -> str:
    return f"{PURPOSE}:{enrolment.pk}"


def schedule_booking_invitations(now: dt.datetime | None = None) -> int:
    """Queue each booking invitation due (see the module's rules); how many were queued."""
    now = now or timezone.now()
    done = set(
        OutboxMessage.objects.filter(dedupe_key__startswith=f"{PURPOSE}:").values_list(
            "dedupe_key", flat=True
        )
    )
    offering = set(Slot.objects.bookable(now).values_list("team_id", flat=True))
    queued = 0
    for enrolment in _attendees(now):
        key = invitation_key(enrolment)
        if key in done or enrolment.run.team_id not in offering:
            continue
        if not attended_universal(enrolment):
            continue
        subject, body = _invitation_text(enrolment)
        queue_message(
            team=enrolment.run.team,
            recipient=enrolment.participant_email,
            template=PURPOSE,
            subject=subject,
            body=body,
            dedupe_key=key,
            send_after=now,
            link=LinkRequest(purpose=PURPOSE, target=enrolment, valid_for=LINK_LIFETIME),
        )
        queued += 1
    return queued


# --- The link, once opened ------------------------------------------------------------------


def live_link(pk: int, now: dt.datetime | None = None) -> SecureLink:
    """The booking link a visitor's session holds, if it can still be used."""
    return tokens.live_link(pk, purpose=PURPOSE, now=now)


def enrolment_for(link: SecureLink) -> Enrolment:
    return Enrolment.objects.select_related("run__team").get(pk=link.target_id)


def booked_with(link: SecureLink) -> Consultation | None:
    """The consultation this link booked, for the page shown when it is opened again."""
    return (
        Consultation.objects.filter(enrolment_id=link.target_id, booked_at__gte=link.created_at)
        .select_related("slot__clinician")
        .order_by("-pk")
        .first()
    )


# --- Confirmation ---------------------------------------------------------------------------


def where(slot: Slot, phone: str) -> str:
    """How to join, in words: the meeting link, or the number the OT will call."""
    if slot.mode == Mode.ONLINE:
        return _("Online: join at %(link)s") % {"link": slot.meeting_link}
    return _("By phone: the occupational therapist will call you on %(phone)s") % {"phone": phone}


def calendar_event(consultation: Consultation) -> CalendarEvent:
    slot = consultation.slot
    return CalendarEvent(
        uid=f"consultation-slot-{slot.pk}",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary=_("Consultation with an occupational therapist"),
        location=slot.meeting_link if slot.mode == Mode.ONLINE else _("Phone call"),
        description=where(slot, consultation.phone),
        sequence=slot.version,
    )


def send_confirmation(consultation: Consultation) -> OutboxMessage | None:
    """Email the person who booked: when, how to join, and a calendar invitation."""
    if not consultation.email:
        return None  # a partner account without an email: their bookings page has it all
    slot = consultation.slot
    subject = _("Your consultation with an occupational therapist is booked")
    body = "\n".join(
        [
            _("Dear %(name)s,") % {"name": consultation.name},
            "",
            _("Your consultation is booked for %(when)s (%(minutes)s minutes).")
            % {"when": localdate(slot.starts_at, "%H:%M on %A %-d %B %Y"), "minutes": slot.minutes},
            where(slot, consultation.phone),
            "",
            _("The calendar invitation attached adds it to your calendar."),
            _("If you cannot make it, please let the team know."),
        ]
    )
    return queue_message(
        team=consultation.team,
        recipient=consultation.email,
        template="consultations.confirmation",
        subject=str(subject),
        body=body,
        dedupe_key=f"consultations.confirmation:{consultation.pk}",
        attachment=Attachment("consultation.ics", calendar_file([calendar_event(consultation)])),
    )


def partner_bookings(user: User, team: Team) -> list[Consultation]:
    return list(
        Consultation.objects.for_team(team)
        .filter(user=user)
        .select_related("slot__clinician")
        .order_by("-slot__starts_at")
    )
