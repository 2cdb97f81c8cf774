"""The message outbox: dedupe, contact restrictions, links, backends and retries."""

from __future__ import annotations

import datetime as dt
import re
import smtplib
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from notifications_python_client.errors import HTTPError

from sapling.accounts.models import Team
from sapling.children.models import Carer, Child
from sapling.core.models import MessageStatus, OutboxMessage, SecureLink
from sapling.core.outbox import (
    FIRST_RETRY_DELAY,
    MAX_ATTEMPTS,
    LinkRequest,
    queue_message,
    send_due,
)
from sapling.core.tokens import LinkRevoked, consume_link, resolve_link
from tests.core.test_tokens import database_text
from tests.factories import CarerFactory

NOTIFY_CLIENT = "notifications_python_client.notifications.NotificationsAPIClient"


@pytest.fixture
def carer(child: Child) -> Carer:
    """Alys's mother, who reads Welsh and agreed to be contacted by email."""
    return CarerFactory.create(
        child=child,
        email="rhian@example.com",
        phone="07700900123",
        address="1 Heol y Coed, Abertawe",
        preferred_language="cy",
    )


def _queue(team: Team, carer: Carer | None, key: str = "check-in:1", **extra: Any) -> Any:
    fields: dict[str, Any] = {
        "template": "waitlist.check_in",
        "subject": "Ydych chi dal angen ein help?",
        "body": "Diolch am aros.",
        "dedupe_key": key,
    }
    fields.update(extra)
    return queue_message(team=team, carer=carer, **fields)


def test_a_message_to_a_carer_is_queued_in_their_language_and_channel(
    team: Team, carer: Carer
) -> None:
    message = _queue(team, carer)
    assert message.status == MessageStatus.QUEUED
    assert message.language == "cy"
    assert message.channel == "email"
    assert message.recipient == ""  # the carer's address is read when it is sent


def test_queuing_the_same_message_twice_creates_one(team: Team, carer: Carer) -> None:
    first = _queue(team, carer)
    second = _queue(team, carer, body="Changed text")
    assert second.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert OutboxMessage.objects.get().body == "Diolch am aros."


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"contact_restriction": "do_not_contact"}, "contact restriction: do_not_contact"),
        ({"contact_restriction": "no_information"}, "contact restriction: no_information"),
        ({"consent_to_contact": False}, "no consent to contact"),
        ({"email": ""}, "no email address"),
    ],
)
def test_a_carer_who_may_not_be_contacted_is_never_queued(
    team: Team, child: Child, changes: dict[str, Any], reason: str
) -> None:
    carer = CarerFactory.create(child=child, **changes)
    assert _queue(team, carer) is None
    refused = OutboxMessage.objects.get()
    assert refused.status == MessageStatus.SUPPRESSED
    assert refused.suppressed_reason == reason
    assert refused.body == "" and refused.subject == ""
    assert send_due().sent == 0
    assert mail.outbox == []


def test_a_restriction_added_after_queuing_stops_the_message(team: Team, carer: Carer) -> None:
    message = _queue(team, carer)
    Carer.objects.filter(pk=carer.pk).update(contact_restriction="do_not_contact")
    counts = send_due()
    assert (counts.sent, counts.suppressed) == (0, 1)
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == MessageStatus.SUPPRESSED
    assert message.body == ""


def test_a_message_refused_before_is_queued_once_the_restriction_is_lifted(
    team: Team, child: Child
) -> None:
    carer = CarerFactory.create(child=child, contact_restriction="do_not_contact")
    assert _queue(team, carer) is None
    Carer.objects.filter(pk=carer.pk).update(contact_restriction="none")
    carer.refresh_from_db()
    message = _queue(team, carer)
    assert message is not None and message.status == MessageStatus.QUEUED
    assert send_due().sent == 1


def test_a_message_to_school_staff_goes_to_the_given_address(team: Team) -> None:
    message = queue_message(
        team=team,
        recipient="senco@ysgol.example.org",
        template="groups.invitation",
        subject="Training invitation",
        body="You are invited.",
        dedupe_key="invite:1",
    )
    assert message is not None
    send_due()
    assert [m.to for m in mail.outbox] == [["senco@ysgol.example.org"]]


def test_a_message_needs_exactly_one_recipient(team: Team, carer: Carer) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        _queue(team, None)
    with pytest.raises(ValueError, match="exactly one"):
        _queue(team, carer, recipient="someone@example.com")


def test_a_raw_token_in_a_body_is_refused(team: Team, carer: Carer) -> None:
    with pytest.raises(ValueError, match="never a token"):
        _queue(team, carer, body="Answer at https://x/l/" + "a" * 43 + "/")


def test_a_link_is_issued_only_when_the_message_is_sent(
    team: Team, carer: Carer, child: Child
) -> None:
    _queue(
        team,
        carer,
        body="Dywedwch wrthym: {link}",
        link=LinkRequest(purpose="waitlist.check_in", target=child, valid_for=dt.timedelta(days=7)),
    )
    assert not SecureLink.objects.exists()
    send_due()
    [sent] = mail.outbox
    token = re.search(r"/l/([A-Za-z0-9_-]+)/", str(sent.body))
    assert token is not None
    link = resolve_link(token.group(1), purpose="waitlist.check_in")
    assert link.target == child and link.carer == carer
    assert OutboxMessage.objects.get().link == link
    assert token.group(1) not in database_text()


def test_a_letter_waits_on_the_print_list(team: Team, carer: Carer) -> None:
    _queue(team, carer, channel="letter")
    counts = send_due()
    assert counts.for_print == 1
    assert mail.outbox == []
    assert OutboxMessage.objects.for_print().count() == 1


@pytest.fixture
def notify(settings: Any) -> Any:
    settings.SAPLING_NOTIFY_API_KEY = "test-key"
    settings.SAPLING_NOTIFY_EMAIL_TEMPLATE_ID = "email-template"
    settings.SAPLING_NOTIFY_SMS_TEMPLATE_ID = "sms-template"
    with mock.patch(NOTIFY_CLIENT) as client_class:
        client = client_class.return_value
        client.send_email_notification.return_value = {"id": "notify-email-1"}
        client.send_sms_notification.return_value = {"id": "notify-sms-1"}
        yield client_class


def test_notify_sends_email_with_the_subject_and_body(
    team: Team, carer: Carer, notify: Any
) -> None:
    message = _queue(team, carer)
    assert send_due().sent == 1
    notify.assert_called_once_with("test-key")
    notify.return_value.send_email_notification.assert_called_once_with(
        email_address="rhian@example.com",
        template_id="email-template",
        personalisation={"subject": "Ydych chi dal angen ein help?", "body": "Diolch am aros."},
    )
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.provider_id == "notify-email-1"


def test_notify_sends_text_messages(team: Team, carer: Carer, notify: Any) -> None:
    _queue(team, carer, channel="sms")
    assert send_due().sent == 1
    notify.return_value.send_sms_notification.assert_called_once_with(
        phone_number="07700900123",
        template_id="sms-template",
        personalisation={"subject": "Ydych chi dal angen ein help?", "body": "Diolch am aros."},
    )


def test_a_text_message_without_notify_fails_without_retrying(team: Team, carer: Carer) -> None:
    message = _queue(team, carer, channel="sms")
    assert send_due().failed == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "SAPLING_NOTIFY_API_KEY" in message.last_error


@pytest.mark.parametrize(("status_code", "status"), [(400, "failed"), (500, "queued")])
def test_notify_refusals_fail_and_outages_retry(
    team: Team, carer: Carer, notify: Any, status_code: int, status: str
) -> None:
    response = mock.Mock(status_code=status_code)
    response.json.return_value = {"errors": [{"error": "Error"}]}
    notify.return_value.send_email_notification.side_effect = HTTPError(response)
    message = _queue(team, carer)
    send_due()
    message.refresh_from_db()
    assert message.status == status
    assert str(status_code) in message.last_error


def test_a_failed_send_is_retried_with_growing_delays_then_given_up(
    team: Team, carer: Carer
) -> None:
    message = _queue(team, carer)
    now = timezone.now()
    with mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPException("down")
    ):
        for attempt in range(1, MAX_ATTEMPTS):
            assert send_due(now).retrying == 1
            message.refresh_from_db()
            delay = FIRST_RETRY_DELAY * 2 ** (attempt - 1)
            assert (message.status, message.attempts) == ("queued", attempt)
            assert message.next_attempt_at == now + delay
            assert send_due(now + delay - dt.timedelta(seconds=1)).retrying == 0  # not yet
            now += delay
        assert send_due(now).failed == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", MAX_ATTEMPTS)
    assert message.last_error == "SMTPException: down"
    assert send_due(now + dt.timedelta(days=1)).failed == 0


def test_a_retry_that_succeeds_is_sent_once(team: Team, carer: Carer) -> None:
    message = _queue(team, carer)
    now = timezone.now()
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("timeout")):
        send_due(now)
    send_due(now + FIRST_RETRY_DELAY)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")
    assert len(mail.outbox) == 1


def test_the_link_of_a_failed_attempt_is_revoked(team: Team, carer: Carer, child: Child) -> None:
    _queue(
        team,
        carer,
        body="{link}",
        link=LinkRequest(purpose="waitlist.check_in", target=child, valid_for=dt.timedelta(days=7)),
    )
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("timeout")):
        send_due()
    link = SecureLink.objects.get()
    assert link.revoked_at is not None
    with pytest.raises(LinkRevoked):
        consume_link(link)
