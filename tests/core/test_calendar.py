"""Calendar invitations: one .ics per message, stable event ids, sent with emails only."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar

from sapling.accounts.models import Team
from sapling.children.models import Child
from sapling.core.calendar import CalendarEvent, calendar_file
from sapling.core.models import OutboxMessage
from sapling.core.outbox import Attachment, queue_message, send_due
from tests.factories import CarerFactory

LONDON = ZoneInfo("Europe/London")


def _session(number: int, **changes: object) -> CalendarEvent:
    start = dt.datetime(2026, 12, 1 + 7 * number, 10, 0, tzinfo=LONDON)
    fields: dict[str, object] = {
        "uid": f"group-session-{number}",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=1, minutes=30),
        "summary": "Parenting and sensory needs: session",
        "location": "https://meet.example.nhs.uk/abc",
    }
    fields.update(changes)
    return CalendarEvent(**fields)  # type: ignore[arg-type]


def test_a_run_of_sessions_is_one_file_with_an_event_each_in_utc() -> None:
    parsed = Calendar.from_ical(calendar_file([_session(0), _session(1)]))
    events = parsed.walk("VEVENT")
    assert [str(event["uid"]).split("@")[0] for event in events] == [
        "group-session-0",
        "group-session-1",
    ]
    # 10:00 in London on 1 December is 10:00 UTC; times are written in UTC.
    assert events[0].decoded("dtstart") == dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    assert str(events[0]["location"]) == "https://meet.example.nhs.uk/abc"
    assert str(events[0]["status"]) == "CONFIRMED"


def test_a_cancelled_event_keeps_its_id_and_says_so_with_a_newer_sequence() -> None:
    parsed = Calendar.from_ical(calendar_file([_session(0, cancelled=True, sequence=2)]))
    (event,) = parsed.walk("VEVENT")
    assert str(event["uid"]).startswith("group-session-0@")
    assert str(event["status"]) == "CANCELLED"
    assert event.decoded("sequence") == 2


def test_an_event_that_ends_before_it_starts_is_refused() -> None:
    start = dt.datetime(2026, 12, 1, 10, tzinfo=LONDON)
    with pytest.raises(ValueError, match="end after it starts"):
        calendar_file([_session(0, ends_at=start - dt.timedelta(minutes=5))])


@pytest.mark.django_db
def test_an_email_carries_its_invitation_and_a_letter_does_not(team: Team, child: Child) -> None:
    carer = CarerFactory.create(child=child, email="rhian@example.com", address="1 Heol y Coed")
    invitation = Attachment("sessions.ics", calendar_file([_session(0)]))
    for channel in ("email", "letter"):
        queue_message(
            team=team,
            carer=carer,
            template="groups.confirmation",
            subject="Your place",
            body="You have a place.",
            dedupe_key=f"test:{channel}",
            channel=channel,
            attachment=invitation,
        )
    send_due()
    (sent,) = mail.outbox
    (name, content, mimetype) = sent.attachments[0]
    assert (name, mimetype) == ("sessions.ics", "text/calendar")
    assert "group-session-0@" in content
    letter = OutboxMessage.objects.get(dedupe_key="test:letter")
    assert letter.attachment_name == ""
