"""The message outbox: every letter, reminder and link leaves Sapling through here.

queue_message() records a message, or refuses it when the carer may not be contacted;
send_due() sends what is due. Guarantees (docs/shared-services.md):

- A carer with a contact restriction, or without consent, is never queued or sent to; the
  restriction is checked again at send time, so a later restriction stops queued messages.
- The same dedupe_key queues one message, however often it is asked for.
- Each message is claimed by a conditional UPDATE (queued -> sending) before it is sent,
  so two send_due runs at once never send it twice, on SQLite or PostgreSQL.
- A failed send is retried with growing delays, up to MAX_ATTEMPTS, then marked failed.
- A secure link is issued only as the message goes out, so no raw token is ever stored.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from sapling.core.models import MessageChannel, MessageStatus, OutboxMessage, SecureLink
from sapling.core.tokens import MAX_LIFETIME, LinkRefused, issue_link, link_url

if TYPE_CHECKING:
    from sapling.accounts.models import Team
    from sapling.children.models import Carer

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Delay after the n-th failed attempt: 5, 10, 20, 40 minutes.
FIRST_RETRY_DELAY = dt.timedelta(minutes=5)
# A message claimed this long ago and still "sending" means a run died mid-send. It is
# reported, never re-sent automatically: it may already have reached the family.
STUCK_AFTER = dt.timedelta(hours=1)
# Where the secure link goes in a body or subject.
LINK_PLACEHOLDER = "{link}"
_RAW_LINK = re.compile(r"/l/[A-Za-z0-9_-]{20,}/")


class PermanentFailure(Exception):
    """A send that cannot succeed on retry (no SMS service, address refused)."""


@dataclass(frozen=True)
class LinkRequest:
    """A secure link to issue when the message is sent, replacing {link} in the body."""

    purpose: str
    target: models.Model
    valid_for: dt.timedelta


@dataclass(frozen=True)
class Attachment:
    """A text file sent with an email, such as a calendar invitation (.ics)."""

    name: str
    content: str
    mimetype: str = "text/calendar"


@dataclass
class SendCounts:
    sent: int = 0
    for_print: int = 0
    retrying: int = 0
    failed: int = 0
    suppressed: int = 0
    skipped: int = 0  # claimed by another send_due run first
    stuck: int = 0


# --- Who may be sent what -----------------------------------------------------------------


def _address(carer: Carer, channel: str) -> str:
    return {
        MessageChannel.EMAIL: carer.email,
        MessageChannel.SMS: carer.phone,
        MessageChannel.LETTER: carer.address,
    }.get(MessageChannel(channel), "")


def refusal_reason(carer: Carer | None, channel: str) -> str:
    """Why this carer must not be sent this message now, or "" if they may be."""
    if carer is None:
        return ""
    if not carer.may_be_contacted:
        if not carer.consent_to_contact:
            return "no consent to contact"
        return f"contact restriction: {carer.contact_restriction}"
    if not _address(carer, channel):
        return f"no {channel} address"
    return ""


# --- Queuing ------------------------------------------------------------------------------


def _channel_for(carer: Carer | None, channel: str | None) -> str:
    if channel:
        return MessageChannel(channel).value
    if carer is None:
        return MessageChannel.EMAIL.value
    # A carer who prefers phone calls gets a letter: a message still needs a channel, and
    # a letter reaches everyone with an address. Pass channel= to choose otherwise.
    preferred = carer.preferred_channel
    return preferred if preferred in MessageChannel.values else MessageChannel.LETTER.value


def _check_arguments(
    carer: Carer | None,
    recipient: str,
    channel: str,
    text: tuple[str, str],
    link: LinkRequest | None,
) -> None:
    subject, body = text
    if (carer is None) == (not recipient):
        raise ValueError("give exactly one of carer= or recipient=")
    if carer is None and channel == MessageChannel.LETTER:
        raise ValueError("letters go to carers only")
    if _RAW_LINK.search(body) or _RAW_LINK.search(subject):
        raise ValueError("pass link=LinkRequest(...) and put {link} in the body: never a token")
    if link is not None and LINK_PLACEHOLDER not in body:
        raise ValueError("a message with a link needs {link} in its body")
    if link is not None and not dt.timedelta(0) < link.valid_for <= MAX_LIFETIME:
        raise ValueError(f"a link may last at most {MAX_LIFETIME.days} days")


def queue_message(
    *,
    team: Team,
    carer: Carer | None = None,
    recipient: str = "",
    template: str,
    subject: str,
    body: str,
    dedupe_key: str,
    channel: str | None = None,
    send_after: dt.datetime | None = None,
    link: LinkRequest | None = None,
    attachment: Attachment | None = None,
) -> OutboxMessage | None:
    """Queue one message, or return None when the carer may not be contacted.

    `body` is the finished text in the family's language; put `{link}` where a secure
    link belongs and pass `link=`. A refusal is kept as a "suppressed" row with its reason
    and without the text. Queuing a dedupe_key again returns the message already queued.
    An attachment (a calendar invitation) goes with emails only: GOV.UK Notify's plain
    templates and letters carry the dates in the body instead.
    """
    channel = _channel_for(carer, channel)
    _check_arguments(carer, recipient, channel, (subject, body), link)
    reason = refusal_reason(carer, channel)
    message = OutboxMessage(
        team=team,
        carer=carer,
        recipient=recipient,
        channel=channel,
        language=carer.preferred_language if carer else settings.LANGUAGE_CODE,
        template=template,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        send_after=send_after or timezone.now(),
    )
    message.next_attempt_at = message.send_after
    if attachment is not None and channel == MessageChannel.EMAIL:
        message.attachment_name = attachment.name
        message.attachment_content = attachment.content
    if link is not None:
        message.link_purpose = link.purpose
        message.link_target_type = ContentType.objects.get_for_model(link.target)
        message.link_target_id = link.target.pk
        message.link_valid_for = link.valid_for
    if reason:
        _suppress_fields(message, reason)
    saved = _save_once(message)
    if saved.status == MessageStatus.SUPPRESSED:
        logger.info("outbox: message %s not queued (%s)", saved.pk, saved.suppressed_reason)
        return None
    return saved


def _save_once(message: OutboxMessage) -> OutboxMessage:
    """Insert the message, or return the one already holding its dedupe_key."""
    try:
        with transaction.atomic():
            message.save()
            return message
    except IntegrityError:
        existing = OutboxMessage.objects.filter(dedupe_key=message.dedupe_key).first()
        if existing is None:  # a different constraint failed: not a duplicate
            raise
    if existing.status == MessageStatus.SUPPRESSED and message.status == MessageStatus.QUEUED:
        # Refused before, allowed now (a restriction was lifted): queue it this time.
        return _requeue(existing, message)
    return existing


def _requeue(existing: OutboxMessage, message: OutboxMessage) -> OutboxMessage:
    updated = OutboxMessage.objects.filter(
        pk=existing.pk, status=MessageStatus.SUPPRESSED, sent_at__isnull=True
    ).update(
        status=MessageStatus.QUEUED,
        suppressed_reason="",
        subject=message.subject,
        body=message.body,
        channel=message.channel,
        send_after=message.send_after,
        next_attempt_at=message.next_attempt_at,
        attempts=0,
        updated_at=timezone.now(),
    )
    existing.refresh_from_db()
    if not updated:
        logger.info("outbox: message %s stays suppressed", existing.pk)
    return existing


def _suppress_fields(message: OutboxMessage, reason: str) -> None:
    # What was meant for someone who must not hear it is not kept.
    message.status = MessageStatus.SUPPRESSED
    message.suppressed_reason = reason[:200]
    message.subject = ""
    message.body = ""
    message.attachment_content = ""


# --- Backends -----------------------------------------------------------------------------


def notify_configured() -> bool:
    return bool(settings.SAPLING_NOTIFY_API_KEY)


def _send_email(address: str, subject: str, body: str, message: OutboxMessage) -> str:
    if notify_configured():
        return _notify("email", address, subject, body)
    email = EmailMessage(subject=subject, body=body, to=[address])
    if message.attachment_name:
        email.attach(message.attachment_name, message.attachment_content, "text/calendar")
    email.send()
    return ""


def _send_sms(address: str, subject: str, body: str, message: OutboxMessage) -> str:
    if not notify_configured():
        raise PermanentFailure("text messages need GOV.UK Notify (SAPLING_NOTIFY_API_KEY)")
    return _notify("sms", address, subject, body)


def _notify(kind: str, address: str, subject: str, body: str) -> str:
    from notifications_python_client.errors import HTTPError
    from notifications_python_client.notifications import NotificationsAPIClient

    client = NotificationsAPIClient(settings.SAPLING_NOTIFY_API_KEY)
    personalisation = {"subject": subject, "body": body}
    try:
        if kind == "email":
            response = client.send_email_notification(
                email_address=address,
                template_id=settings.SAPLING_NOTIFY_EMAIL_TEMPLATE_ID,
                personalisation=personalisation,
            )
        else:
            response = client.send_sms_notification(
                phone_number=address,
                template_id=settings.SAPLING_NOTIFY_SMS_TEMPLATE_ID,
                personalisation=personalisation,
            )
    except HTTPError as error:
        # Notify answers 400 for a bad address or template and 403 for a bad key: retrying
        # cannot help. 429 and 5xx are worth another go.
        if error.status_code in {400, 403}:
            raise PermanentFailure(f"GOV.UK Notify refused it ({error.status_code})") from error
        raise
    return str(response.get("id", "")) if isinstance(response, dict) else ""


SENDERS: dict[str, Callable[[str, str, str, OutboxMessage], str]] = {
    MessageChannel.EMAIL: _send_email,
    MessageChannel.SMS: _send_sms,
}


# --- Sending ------------------------------------------------------------------------------


def render(message: OutboxMessage, now: dt.datetime) -> tuple[str, str]:
    """Subject and body as they go out, issuing the message's secure link if it has one.

    The print list calls this for letters when it prints them, for the same reason.
    """
    if not message.has_link:
        return message.subject, message.body
    assert message.link_target_type is not None and message.link_valid_for is not None
    target = message.link_target_type.get_object_for_this_type(pk=message.link_target_id)
    link, raw_token = issue_link(
        purpose=message.link_purpose,
        target=target,
        carer=message.carer,
        expires_at=now + message.link_valid_for,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(link=link)
    message.link = link
    url = link_url(raw_token)
    return (
        message.subject.replace(LINK_PLACEHOLDER, url),
        message.body.replace(LINK_PLACEHOLDER, url),
    )


def _claim(message_id: int, now: dt.datetime) -> bool:
    """Take the message for this run; False if another run took it first."""
    return (
        OutboxMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
        == 1
    )


def _finish(message: OutboxMessage, status: str, now: dt.datetime, **fields: object) -> None:
    OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=status, updated_at=now, **fields
    )


def _suppress(message: OutboxMessage, reason: str, now: dt.datetime) -> None:
    _finish(
        message,
        MessageStatus.SUPPRESSED,
        now,
        suppressed_reason=reason[:200],
        subject="",
        body="",
        attachment_content="",
    )
    logger.info("outbox: message %s suppressed at send time (%s)", message.pk, reason)


def _failed(message: OutboxMessage, error: Exception, now: dt.datetime, counts: SendCounts) -> None:
    text = f"{type(error).__name__}: {error}"[:500]
    permanent = isinstance(error, PermanentFailure | LinkRefused)
    if message.link_id:
        SecureLink.objects.filter(pk=message.link_id).update(
            revoked_at=now, revoked_reason="the message carrying it was not sent"
        )
    if permanent or message.attempts >= MAX_ATTEMPTS:
        _finish(message, MessageStatus.FAILED, now, last_error=text)
        counts.failed += 1
        logger.warning("outbox: message %s failed for good: %s", message.pk, text)
        return
    delay = FIRST_RETRY_DELAY * 2 ** (message.attempts - 1)
    _finish(message, MessageStatus.QUEUED, now, last_error=text, next_attempt_at=now + delay)
    counts.retrying += 1


def _deliver(message: OutboxMessage, now: dt.datetime, counts: SendCounts) -> None:
    carer = message.carer
    reason = refusal_reason(carer, message.channel)
    if reason:
        _suppress(message, reason, now)
        counts.suppressed += 1
        return
    if message.channel == MessageChannel.LETTER:
        # Printing renders the letter (and issues its link) when it is printed.
        _finish(message, MessageStatus.FOR_PRINT, now)
        counts.for_print += 1
        return
    address = _address(carer, message.channel) if carer else message.recipient
    try:
        subject, body = render(message, now)
        provider_id = SENDERS[message.channel](address, subject, body, message)
    except Exception as error:
        # Whatever a backend raises (SMTP, network, Notify) is one failed attempt.
        _failed(message, error, now, counts)
        return
    _finish(message, MessageStatus.SENT, now, sent_at=now, provider_id=provider_id, last_error="")
    counts.sent += 1


def send_due(
    now: dt.datetime | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> SendCounts:
    """Send every due queued message once; safe to run twice or at the same time."""
    now = now or timezone.now()
    counts = SendCounts()
    due_ids = list(
        OutboxMessage.objects.due(now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
    for done, message_id in enumerate(due_ids, start=1):
        if _claim(message_id, now):
            message = OutboxMessage.objects.select_related("carer").get(pk=message_id)
            _deliver(message, now, counts)
        else:
            counts.skipped += 1
        if progress:
            progress(done, len(due_ids))
    counts.stuck = OutboxMessage.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).count()
    return counts


class AlreadyPrinted(Exception):
    """Someone printed this letter first; it is not printed twice."""


class LetterWithheld(Exception):
    """The carer may no longer be sent this letter; it was suppressed, not printed."""


def print_letter(message: OutboxMessage, now: dt.datetime) -> tuple[str, str]:
    """Take a letter off the print list and give its text, issuing its link now.

    The carer's restriction is checked again, as for any message at send time: a letter
    to a carer restricted since it was queued is suppressed (LetterWithheld), not printed.
    """
    withheld, text = _print(message, now)
    if withheld:
        raise LetterWithheld(withheld)
    return text


@transaction.atomic
def _print(message: OutboxMessage, now: dt.datetime) -> tuple[str, tuple[str, str]]:
    """(why it was withheld, or "", and the letter's subject and body)."""
    taken = OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.FOR_PRINT).update(
        status=MessageStatus.SENDING, claimed_at=now, updated_at=now
    )
    if not taken:
        raise AlreadyPrinted
    reason = refusal_reason(message.carer, MessageChannel.LETTER) if message.carer else ""
    if reason:
        _suppress(message, reason, now)
        return reason, ("", "")
    subject, body = render(message, now)
    _finish(message, MessageStatus.SENT, now, sent_at=now)
    return "", (subject, body)
