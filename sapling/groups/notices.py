"""What participants are sent, always through the shared outbox (sapling/core/outbox.py).

- On enrolment: a confirmation with an .ics holding every session (or a reserve notice).
- When a reserve gets a place: the same confirmation, saying so.
- When a session moves or is cancelled: a notice with that event's .ics: same UID, a
  higher SEQUENCE (the session's version), and STATUS:CANCELLED if cancelled.
- When a run is cancelled: a notice.
- Two days before each session (`schedule_reminders`, run by `sapling send-due`): a
  reminder carrying a fresh personal topic link that works until the session starts.

Every message's dedupe key names the record and the occasion, so running send-due again
queues nothing twice; a moved session's reminder names the new version, so the new time
gets its own reminder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sapling.children.models import Carer
from sapling.core.calendar import CalendarEvent, calendar_file
from sapling.core.models import OutboxMessage
from sapling.core.outbox import Attachment, LinkRequest, queue_message
from sapling.groups.models import (
    Enrolment,
    EnrolmentStatus,
    Run,
    RunStatus,
    Session,
    SessionStatus,
    TopicInvitation,
)

TOPIC_PURPOSE = "groups.topic"
REMIND_BEFORE = dt.timedelta(days=2)


@dataclass(frozen=True)
class Recipient:
    key: str  # for dedupe keys: "c12" for a carer, "p" for the participant
    carer: Carer | None
    address: str
    language: str
    greeting_name: str


def recipients(enrolment: Enrolment) -> list[Recipient]:
    """Who hears about this place: the child's chosen carers, or the participant."""
    if enrolment.child_id is not None:
        return [
            Recipient(f"c{c.pk}", c, "", c.preferred_language, c.given_name)
            for c in enrolment.carers.all()
        ]
    if enrolment.user is not None:
        user = enrolment.user
        if not user.email:
            return []
        return [Recipient("p", None, user.email, user.preferred_language, user.first_name)]
    return [
        Recipient(
            "p",
            None,
            enrolment.participant_email,
            enrolment.run.language,
            enrolment.participant_name.split(" ")[0],
        )
    ]


def _when(session: Session) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    return f"{start:%A %-d %B %Y, %H:%M}-{end:%H:%M}"


def where(run: Run) -> str:
    parts = [run.venue] if run.venue else []
    if run.meeting_link:
        parts.append(run.meeting_link)
    return " / ".join(parts)


def calendar_event(session: Session) -> CalendarEvent:
    run = session.run
    return CalendarEvent(
        uid=f"group-session-{session.pk}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=f"{run.title}: {_('session')} {session.number}",
        location=where(run),
        description=run.programme.name,
        sequence=session.version - 1,
        cancelled=session.status == SessionStatus.CANCELLED,
    )


def run_calendar(run: Run, now: dt.datetime) -> Attachment:
    events = [calendar_event(s) for s in run.sessions.all() if s.status != SessionStatus.CANCELLED]
    return Attachment("sessions.ics", calendar_file(events, now=now))


def _session_lines(run: Run) -> list[str]:
    return [
        f"- {_('Session')} {s.number}: {_when(s)}"
        for s in run.sessions.all()
        if s.status != SessionStatus.CANCELLED
    ]


def _queue(
    enrolment: Enrolment,
    who: Recipient,
    *,
    template: str,
    occasion: str,
    subject: str,
    lines: list[str],
    now: dt.datetime,
    send_after: dt.datetime | None = None,
    attachment: Attachment | None = None,
    link: LinkRequest | None = None,
) -> bool:
    """Queue one message; True if it is new (not a repeat of one already queued)."""
    key = f"{template}:{occasion}:{enrolment.pk}:{who.key}"
    if OutboxMessage.objects.filter(dedupe_key=key).exclude(status="suppressed").exists():
        return False
    message = queue_message(
        team=enrolment.run.team,
        carer=who.carer,
        recipient=who.address,
        template=template,
        subject=subject,
        body="\n".join(lines),
        dedupe_key=key,
        send_after=send_after or now,
        attachment=attachment,
        link=link,
    )
    return message is not None


def _each(enrolment: Enrolment) -> Iterable[Recipient]:
    for who in recipients(enrolment):
        with translation.override(who.language):
            yield who


def _hello(who: Recipient) -> str:
    return _("Hello %(name)s,") % {"name": who.greeting_name} if who.greeting_name else ""


def _about(enrolment: Enrolment) -> str:
    if enrolment.child is not None:
        name = enrolment.child.preferred_name or enrolment.child.given_name
        return _("%(name)s has a place on %(run)s.") % {"name": name, "run": enrolment.run.title}
    return _("You have a place on %(run)s.") % {"run": enrolment.run.title}


def confirmation(enrolment: Enrolment, *, now: dt.datetime, promoted: bool = False) -> None:
    run = enrolment.run
    for who in _each(enrolment):
        lines = [_hello(who)]
        if promoted:
            lines.append(_("A place has come free and it is yours."))
        lines += [_about(enrolment), "", _("Sessions:"), *_session_lines(run)]
        if where(run):
            lines += ["", _("Where: %(where)s") % {"where": where(run)}]
        lines += [
            "",
            _("The calendar invitation attached holds every session."),
            _(
                "Before each session we will send a reminder with a link to tell us what "
                "you would like the session to cover."
            ),
            _("If you cannot come, please tell us so we can offer the place to someone else."),
        ]
        _queue(
            enrolment,
            who,
            template="groups.promoted" if promoted else "groups.confirmation",
            occasion=str(run.pk),
            subject=_("Your place on %(run)s") % {"run": run.title},
            lines=lines,
            now=now,
            attachment=run_calendar(run, now),
        )


def promoted(enrolment: Enrolment, *, now: dt.datetime) -> None:
    confirmation(enrolment, now=now, promoted=True)


def on_reserve(enrolment: Enrolment, *, now: dt.datetime) -> None:
    run = enrolment.run
    for who in _each(enrolment):
        _queue(
            enrolment,
            who,
            template="groups.reserve",
            occasion=str(run.pk),
            subject=_("You are on the reserve list for %(run)s") % {"run": run.title},
            lines=[
                _hello(who),
                _("%(run)s is full. You are on its reserve list.") % {"run": run.title},
                _(
                    "If a place comes free, it goes to the first person on the list and we "
                    "will email you the dates straight away."
                ),
            ],
            now=now,
        )


def session_changed(enrolment: Enrolment, session: Session, *, now: dt.datetime) -> None:
    run = session.run
    cancelled = session.status == SessionStatus.CANCELLED
    event = calendar_event(session)
    for who in _each(enrolment):
        if cancelled:
            subject = _("Session %(n)s of %(run)s is cancelled") % {
                "n": session.number,
                "run": run.title,
            }
            what = _("Session %(n)s (%(when)s) is cancelled.") % {
                "n": session.number,
                "when": _when(session),
            }
        else:
            subject = _("Session %(n)s of %(run)s has moved") % {
                "n": session.number,
                "run": run.title,
            }
            what = _("Session %(n)s has moved to %(when)s.") % {
                "n": session.number,
                "when": _when(session),
            }
        lines = [_hello(who), what]
        if session.change_reason:
            lines.append(_("Reason: %(reason)s") % {"reason": session.change_reason})
        lines.append(_("The attached calendar file updates the entry in your calendar."))
        _queue(
            enrolment,
            who,
            template="groups.session_changed",
            occasion=f"{session.pk}:{session.version}",
            subject=subject,
            lines=lines,
            now=now,
            attachment=Attachment("session.ics", calendar_file([event], now=now)),
        )


def run_cancelled(enrolment: Enrolment, *, now: dt.datetime) -> None:
    run = enrolment.run
    for who in _each(enrolment):
        lines = [_hello(who), _("We are sorry: %(run)s is cancelled.") % {"run": run.title}]
        if run.closed_reason:
            lines.append(_("Reason: %(reason)s") % {"reason": run.closed_reason})
        events = [
            replace(calendar_event(s), cancelled=True, sequence=s.version)
            for s in run.sessions.exclude(status=SessionStatus.CANCELLED)
        ]
        _queue(
            enrolment,
            who,
            template="groups.run_cancelled",
            occasion=str(run.pk),
            subject=_("%(run)s is cancelled") % {"run": run.title},
            lines=lines,
            now=now,
            attachment=Attachment("sessions.ics", calendar_file(events, now=now))
            if events
            else None,
        )


# --- Reminders (sapling send-due) ---------------------------------------------------------


def reminder(enrolment: Enrolment, session: Session, *, now: dt.datetime) -> int:
    """Queue this session's reminder, with a topic link valid until the session starts."""
    valid_for = session.starts_at - now
    if valid_for <= dt.timedelta(0):
        return 0
    invitation, _created = TopicInvitation.objects.get_or_create(
        enrolment=enrolment, session=session
    )
    run = session.run
    queued = 0
    for who in _each(enrolment):
        lines = [
            _hello(who),
            _("A reminder: session %(n)s of %(run)s is on %(when)s.")
            % {"n": session.number, "run": run.title, "when": _when(session)},
        ]
        if where(run):
            lines.append(_("Where: %(where)s") % {"where": where(run)})
        lines += [
            "",
            _(
                "Is there a topic, a question or a challenge you would like this session to "
                "cover? Tell the facilitators here:"
            ),
            "{link}",
            _("This link is personal to you and works until the session starts."),
        ]
        queued += _queue(
            enrolment,
            who,
            template="groups.reminder",
            occasion=f"{session.pk}:{session.version}",
            subject=_("Reminder: %(run)s, session %(n)s") % {"run": run.title, "n": session.number},
            lines=lines,
            now=now,
            link=LinkRequest(
                purpose=TOPIC_PURPOSE,
                target=invitation,
                valid_for=min(valid_for, dt.timedelta(days=14)),
            ),
        )
    return queued


def schedule_reminders(now: dt.datetime | None = None) -> int:
    """Queue reminders for sessions starting within two days; safe to run any time."""
    now = now or timezone.now()
    sessions = (
        Session.objects.filter(
            run__status__in=[RunStatus.PLANNED, RunStatus.OPEN],
            status__in=[SessionStatus.SCHEDULED, SessionStatus.MOVED],
            starts_at__gt=now,
            starts_at__lte=now + REMIND_BEFORE,
        )
        .select_related("run__programme", "run__team")
        .order_by("starts_at", "pk")
    )
    queued = 0
    for session in sessions:
        enrolments = session.run.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related(
            "child", "user", "run__team"
        )
        for enrolment in enrolments.prefetch_related("carers"):
            queued += reminder(enrolment, session, now=now)
    return queued
