"""What the family hears about specialist care, through the one outbox: the invitation to
each contact (with an .ics file), its cancellation, the reminder before it, and the
discharge letter. Every message is in the carer's preferred language where a translation
exists; carers who may not be contacted are never sent anything (the outbox refuses them).

The reminder rule `schedule_contact_reminders` applies (run by `sapling send-due`, idempotent):
each contact still booked that starts within the next REMIND_BEFORE gets one reminder per
carer; the dedupe key names the contact and the carer, so a second run queues nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sapling.care.models import Appointment, ContactKind, ContactOutcome, Episode
from sapling.children.models import Carer
from sapling.core.calendar import CalendarEvent, calendar_file
from sapling.core.models import OutboxMessage
from sapling.core.outbox import Attachment, queue_message
from sapling.waitlist.checkins import recipients

REMIND_BEFORE = dt.timedelta(hours=48)


def _first_name(episode: Episode) -> str:
    return episode.child.preferred_name or episode.child.given_name


def _when(appointment: Appointment) -> str:
    return f"{timezone.localtime(appointment.starts_at):%A %-d %B %Y, %H:%M}"


def _where(appointment: Appointment) -> str:
    if appointment.kind == ContactKind.ONLINE:
        return _("Online: %(link)s") % {"link": appointment.video_link}
    if appointment.kind == ContactKind.PHONE:
        return _("We will phone you")
    return appointment.location


def _event(appointment: Appointment, *, cancelled: bool = False) -> CalendarEvent:
    name = _first_name(appointment.episode)
    return CalendarEvent(
        uid=f"care-appointment-{appointment.pk}",
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        summary=_("Occupational therapy for %(name)s") % {"name": name},
        location=appointment.video_link or appointment.location,
        description=str(appointment.get_kind_display()),
        sequence=1 if cancelled else 0,
        cancelled=cancelled,
    )


def _appointment_text(appointment: Appointment, occasion: str) -> tuple[str, str]:
    name = _first_name(appointment.episode)
    facts = [
        _("When: %(when)s") % {"when": _when(appointment)},
        _("Type: %(kind)s") % {"kind": appointment.get_kind_display()},
        _("Where: %(where)s") % {"where": _where(appointment)},
    ]
    if occasion == "cancelled":
        subject = _("Appointment cancelled for %(name)s") % {"name": name}
        opening = _("We have cancelled this occupational therapy appointment for %(name)s:")
        closing = _("We will be in touch to arrange another time.")
    elif occasion == "reminder":
        subject = _("Reminder: occupational therapy for %(name)s") % {"name": name}
        opening = _("A reminder of the occupational therapy appointment for %(name)s:")
        closing = _("If you cannot come, please phone us as soon as you can.")
    else:
        subject = _("Occupational therapy appointment for %(name)s") % {"name": name}
        opening = _("We have booked an occupational therapy appointment for %(name)s:")
        closing = _("If you cannot come, please phone us as soon as you can.")
    body = "\n".join([opening % {"name": name}, "", *facts, "", closing])
    return str(subject), body


def _send_about(appointment: Appointment, occasion: str, **extra: object) -> list[OutboxMessage]:
    queued = []
    carers = recipients(appointment.episode.child.carers.all())
    for carer in carers:
        with translation.override(carer.preferred_language):
            subject, body = _appointment_text(appointment, occasion)
            ics = calendar_file([_event(appointment, cancelled=occasion == "cancelled")])
        message = queue_message(
            team=appointment.team,
            carer=carer,
            template=f"care.{occasion}",
            subject=subject,
            body=body,
            dedupe_key=f"care.{occasion}:{appointment.pk}:{carer.pk}",
            attachment=Attachment("appointment.ics", ics),
            **extra,  # type: ignore[arg-type]
        )
        if message is not None:
            queued.append(message)
    return queued


def send_invitation(appointment: Appointment) -> list[OutboxMessage]:
    """The booking, with a calendar file, to each carer who may be contacted."""
    return _send_about(appointment, "invitation")


def send_cancellation(appointment: Appointment) -> list[OutboxMessage]:
    return _send_about(appointment, "cancelled")


def schedule_contact_reminders(now: dt.datetime) -> int:
    """Queue a reminder for each booked contact starting within REMIND_BEFORE (once)."""
    due = Appointment.objects.filter(
        outcome=ContactOutcome.BOOKED, starts_at__gt=now, starts_at__lte=now + REMIND_BEFORE
    ).select_related("episode__child", "team")
    before = OutboxMessage.objects.filter(template="care.reminder").count()
    for appointment in due:
        _send_about(appointment, "reminder")
    return OutboxMessage.objects.filter(template="care.reminder").count() - before


# --- Discharge letters --------------------------------------------------------------------


class Recipient:
    FAMILY = "family"
    REFERRER = "referrer"
    GP = "gp"
    ALL = (FAMILY, REFERRER, GP)


def measures_due_at_discharge(episode: Episode) -> list[str]:
    """The outcome measures due at discharge. A placeholder the outcomes feature fills in:
    until it does, there are none to list."""
    return []


def discharge_letter(
    episode: Episode, recipient: str, carer: Carer | None = None
) -> dict[str, object]:
    """The discharge summary for the family, the referrer or the GP, in the active language."""
    child = episode.child
    name = _first_name(episode)
    referral = episode.referral
    if recipient == Recipient.FAMILY:
        greeting = (
            _("Dear %(name)s,") % {"name": f"{carer.given_name} {carer.family_name}"}
            if carer
            else _("Dear parent or carer,")
        )
        opening = _(
            "%(name)s has now finished their time with the children's occupational therapy "
            "service. Thank you for working with us."
        ) % {"name": name}
    else:
        if recipient == Recipient.REFERRER and referral and referral.referrer_name:
            greeting = _("Dear %(name)s,") % {"name": referral.referrer_name}
        else:
            greeting = _("Dear colleague,")
        opening = _(
            "%(name)s (born %(born)s%(nhs)s) has been discharged from specialist children's "
            "occupational therapy."
        ) % {
            "name": child.full_name,
            "born": f"{child.date_of_birth:%-d %B %Y}",
            "nhs": f", NHS number {child.nhs_number}" if child.nhs_number else "",
        }
    goals = [f"{goal.text} ({goal.get_status_display()})" for goal in episode.goals.all()]
    plan = [
        f"{item.get_kind_display()}: {item.description}" for item in episode.interventions.all()
    ]
    equipment = [
        loan.item + (f" ({_('returned')})" if loan.returned_on else f" ({_('kept')})")
        for loan in episode.equipment.all()
    ]
    sections = [
        (_("Why we are discharging"), [str(episode.get_discharge_reason_display())]),
        (_("Summary"), [episode.discharge_summary] if episode.discharge_summary else []),
        (_("Goals"), goals),
        (_("What we agreed"), plan),
        (_("Equipment"), equipment),
        (_("Outcome measures due at discharge"), measures_due_at_discharge(episode)),
    ]
    closing = _(
        "If things change, you can ask for help again: %(name)s's history stays with us and "
        "a new request is linked to it."
    ) % {"name": name}
    return {
        "subject": _("Discharge summary for %(name)s") % {"name": child.full_name},
        "greeting": greeting,
        "opening": opening,
        "sections": [(str(title), items) for title, items in sections if items],
        "closing": closing,
        "dates": _("Seen from %(start)s to %(end)s")
        % {
            "start": f"{episode.opened_on:%-d %B %Y}",
            "end": f"{episode.discharged_on:%-d %B %Y}" if episode.discharged_on else "",
        },
        "signature": _("Children's occupational therapy, %(team)s") % {"team": episode.team},
    }


def letter_text(letter: dict[str, object]) -> str:
    """The letter as plain text, for the outbox."""
    parts = [str(letter["greeting"]), str(letter["opening"]), str(letter["dates"])]
    for title, items in letter["sections"]:  # type: ignore[attr-defined]
        parts.append("\n".join([str(title), *(f"- {item}" for item in items)]))
    parts += [str(letter["closing"]), str(letter["signature"])]
    return "\n\n".join(parts)


def send_discharge_letters(episode: Episode) -> list[OutboxMessage]:
    """The family's discharge letter to each carer, by letter or email as they prefer."""
    queued = []
    for carer in recipients(episode.child.carers.all()):
        with translation.override(carer.preferred_language):
            letter = discharge_letter(episode, Recipient.FAMILY, carer)
            subject, body = str(letter["subject"]), letter_text(letter)
        message = queue_message(
            team=episode.team,
            carer=carer,
            template="care.discharge",
            subject=subject,
            body=body,
            dedupe_key=f"care.discharge:{episode.pk}:{carer.pk}",
        )
        if message is not None:
            queued.append(message)
    return queued
