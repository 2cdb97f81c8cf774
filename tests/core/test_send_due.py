"""`sapling send-due`: sends every due message once, however often or concurrently it runs."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sapling.accounts.models import Team
from sapling.children.models import Carer, Child
from sapling.core import outbox
from sapling.core.management.commands.send_due import Command
from sapling.core.models import MessageStatus, OutboxMessage
from sapling.core.outbox import queue_message, send_due
from tests.factories import CarerFactory


@pytest.fixture
def carer(child: Child) -> Carer:
    """Alys's mother, contactable by email."""
    return CarerFactory.create(child=child, email="rhian@example.com")


def _queue(team: Team, carer: Carer, key: str, send_after: dt.datetime | None = None) -> None:
    queue_message(
        team=team,
        carer=carer,
        template="waitlist.resources",
        subject="Activities to try while you wait",
        body="Here are some activities.",
        dedupe_key=key,
        send_after=send_after,
    )


def _run() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("send_due", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_help_states_the_rule() -> None:
    assert "Send every message that is due" in Command.help
    assert "running it twice" in Command.help


def test_running_it_twice_sends_each_message_once(team: Team, carer: Carer) -> None:
    _queue(team, carer, "a")
    _queue(team, carer, "b")
    first, _ = _run()
    second, _ = _run()
    assert len(mail.outbox) == 2
    assert "2/2 due messages processed" in first
    assert "sent 2," in first
    assert "sent 0," in second


def test_a_message_not_yet_due_waits(team: Team, carer: Carer) -> None:
    _queue(team, carer, "later", send_after=timezone.now() + dt.timedelta(days=1))
    _run()
    assert mail.outbox == []
    assert send_due(timezone.now() + dt.timedelta(days=1)).sent == 1


def test_a_message_another_run_claimed_is_left_to_it(
    team: Team, carer: Carer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _queue(team, carer, "a")
    real_claim = outbox._claim

    def claimed_elsewhere_first(message_id: int, now: dt.datetime) -> bool:
        # Another run claims it between our reading the due list and our claim.
        OutboxMessage.objects.filter(pk=message_id).update(status=MessageStatus.SENDING)
        return real_claim(message_id, now)

    monkeypatch.setattr(outbox, "_claim", claimed_elsewhere_first)
    counts = send_due()
    assert (counts.sent, counts.skipped) == (0, 1)
    assert mail.outbox == []


def test_a_run_that_died_mid_send_is_reported_not_resent(team: Team, carer: Carer) -> None:
    _queue(team, carer, "a")
    OutboxMessage.objects.update(
        status=MessageStatus.SENDING, claimed_at=timezone.now() - dt.timedelta(hours=2)
    )
    _, err = _run()
    assert "1 message(s) have been 'sending'" in err
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_message_once(team: Team, carer: Carer) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL; the claim test covers SQLite")
    for n in range(30):
        _queue(team, carer, f"m{n}")
    barrier = threading.Barrier(3)

    def run() -> None:
        try:
            barrier.wait()
            send_due()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(mail.outbox) == 30
    assert OutboxMessage.objects.filter(status=MessageStatus.SENT).count() == 30
