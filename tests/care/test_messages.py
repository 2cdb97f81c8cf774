"""What the family is sent: reminders from `sapling send-due`, once, never to a restricted carer."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from sapling.care.messages import schedule_contact_reminders
from sapling.core.models import MessageStatus, OutboxMessage
from tests.care.factories import AppointmentFactory
from tests.factories import CarerFactory

pytestmark = pytest.mark.django_db


def test_send_due_reminds_the_family_of_tomorrow_s_contact_once() -> None:
    tomorrow = AppointmentFactory.create(starts_at=timezone.now() + dt.timedelta(hours=30))
    AppointmentFactory.create(starts_at=timezone.now() + dt.timedelta(days=5))
    CarerFactory.create(child=tomorrow.episode.child, email="mam@example.org")
    out = StringIO()
    call_command("send_due", stdout=out)
    call_command("send_due", stdout=out)
    reminder = OutboxMessage.objects.get(template="care.reminder")
    assert reminder.status == MessageStatus.SENT
    assert "specialist care: 1 contact reminders queued" in out.getvalue()
    assert "specialist care: 0 contact reminders queued" in out.getvalue()


def test_a_cancelled_contact_gets_no_reminder() -> None:
    cancelled = AppointmentFactory.create(
        starts_at=timezone.now() + dt.timedelta(hours=20), outcome="cancelled_by_family"
    )
    CarerFactory.create(child=cancelled.episode.child)
    assert schedule_contact_reminders(timezone.now()) == 0


def test_a_carer_who_may_not_be_contacted_is_sent_nothing() -> None:
    soon = AppointmentFactory.create(starts_at=timezone.now() + dt.timedelta(hours=20))
    CarerFactory.create(child=soon.episode.child, contact_restriction="do_not_contact")
    schedule_contact_reminders(timezone.now())
    message = OutboxMessage.objects.get(template="care.reminder")
    assert message.status == MessageStatus.SUPPRESSED
    assert message.body == ""
