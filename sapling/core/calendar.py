"""Calendar invitations (.ics, RFC 5545) for group sessions and appointments.

One file can hold every session of a run. Each event keeps a stable UID, so a calendar
that receives a later file (a session moved or cancelled) updates the event it already
has instead of adding a second one; SEQUENCE tells it which version is newer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

PRODUCT_ID = "-//Sapling//Children's occupational therapy//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable for the life of the event, e.g. "group-session-42"
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    sequence: int = 0  # raise it each time the event changes
    cancelled: bool = False


def calendar_file(events: Iterable[CalendarEvent], *, now: dt.datetime | None = None) -> str:
    """The text of an .ics file holding these events."""
    stamp = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for item in events:
        calendar.add_component(_event(item, stamp))
    return calendar.to_ical().decode()


def _event(item: CalendarEvent, stamp: dt.datetime) -> Event:
    if item.ends_at <= item.starts_at:
        raise ValueError("an event must end after it starts")
    event = Event()
    domain = settings.SAPLING_BASE_URL.split("://")[-1].split("/")[0] or "sapling"
    event.add("uid", f"{item.uid}@{domain}")
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", item.starts_at.astimezone(dt.UTC))
    event.add("dtend", item.ends_at.astimezone(dt.UTC))
    event.add("summary", item.summary)
    event.add("sequence", item.sequence)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    return event
