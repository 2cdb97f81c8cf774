"""Confirmations with .ics, reminders with topic links, through the outbox and send-due."""

from __future__ import annotations

import datetime as dt
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from sapling.core.models import OutboxMessage, SecureLink
from sapling.groups import lifecycle, notices
from tests.factories import CarerFactory
from tests.groups.factories import later, run_with_sessions
from tests.waitlist.factories import WaitlistEntryFactory


def _book(run, n: int = 1):
    return lifecycle.book_public(
        run=run, name=f"Sam Jones{n}", role="Teacher", setting="Ysgol", email=f"s{n}@e.org"
    )


def test_the_confirmation_carries_every_session_in_one_calendar_file(team) -> None:
    run = run_with_sessions(3, programme__team=team)
    lifecycle.cancel_session(
        session=run.sessions.get(number=3), reason="", by=None, expected_version=1
    )
    _book(run)
    message = OutboxMessage.objects.get(template="groups.confirmation")
    assert message.attachment_name == "sessions.ics"
    events = Calendar.from_ical(message.attachment_content).walk("VEVENT")
    sessions = list(run.sessions.exclude(status="cancelled"))
    assert [str(e["UID"]).split("@")[0] for e in events] == [
        f"group-session-{s.pk}" for s in sessions
    ]
    assert [e.decoded("DTSTART") for e in events] == [s.starts_at for s in sessions]
    assert all(str(e["LOCATION"]) == run.meeting_link for e in events)
    assert "Session 1:" in message.body and "Session 3:" not in message.body


def test_reminders_go_two_days_before_and_running_send_due_twice_sends_nothing_twice(
    team,
) -> None:
    run = run_with_sessions(2, programme__team=team, first_in_days=1)
    _book(run, 1), _book(run, 2)
    call_command("send_due", stdout=io.StringIO())
    reminders = OutboxMessage.objects.filter(template="groups.reminder")
    assert reminders.count() == 2  # the second session is 8 days away: not yet
    sent = len(mail.outbox)
    call_command("send_due", stdout=io.StringIO())
    assert OutboxMessage.objects.filter(template="groups.reminder").count() == 2
    assert len(mail.outbox) == sent
    assert notices.schedule_reminders() == 0


def test_each_reminder_carries_a_fresh_personal_topic_link_until_the_session_starts(
    team,
) -> None:
    run = run_with_sessions(1, programme__team=team, first_in_days=1)
    _book(run)
    call_command("send_due", stdout=io.StringIO())
    reminder = next(m for m in mail.outbox if "Reminder" in m.subject)
    assert "/l/" in reminder.body
    link = SecureLink.objects.get(purpose=notices.TOPIC_PURPOSE)
    session = run.sessions.get()
    assert link.expires_at - session.starts_at < dt.timedelta(minutes=1)
    assert link.target is not None and link.target.session == session


def test_a_moved_session_gets_a_new_reminder_for_its_new_time(team) -> None:
    run = run_with_sessions(1, programme__team=team, first_in_days=1)
    _book(run)
    now = timezone.now()
    assert notices.schedule_reminders(now) == 1
    session = run.sessions.get()
    lifecycle.move_session(
        session=session,
        starts_at=later(1, hour=20),
        ends_at=later(1, hour=21),
        reason="",
        by=None,
        expected_version=session.version,
    )
    assert notices.schedule_reminders(now) == 1
    assert notices.schedule_reminders(now) == 0


def test_carers_who_may_not_be_contacted_are_not_sent_reminders(team) -> None:
    run = run_with_sessions(1, programme__team=team, programme__tier="targeted", first_in_days=1)
    entry = WaitlistEntryFactory.create(team=team)
    allowed = CarerFactory.create(child=entry.child, email="ok@e.org")
    barred = CarerFactory.create(
        child=entry.child, email="no@e.org", contact_restriction="do_not_contact"
    )
    lifecycle.enrol_child(run=run, entry=entry, carers=[allowed, barred], by=None)
    notices.schedule_reminders()
    queued = OutboxMessage.objects.filter(template="groups.reminder", status="queued")
    assert [m.carer for m in queued] == [allowed]
