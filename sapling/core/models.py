"""Base models every Sapling record builds on."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _


class StaleEdit(Exception):
    """Someone else saved the record after this edit began; nothing was overwritten."""

    def __init__(self, record: VersionedModel) -> None:
        self.record = record
        fresh = type(record)._default_manager.filter(pk=record.pk).first()
        self.changed_by = getattr(fresh, "updated_by", None) if fresh else None
        self.changed_at = fresh.updated_at if fresh else None
        super().__init__(self.message())

    def message(self) -> str:
        from django.utils import timezone

        who = str(self.changed_by) if self.changed_by else _("someone else")
        when = timezone.localtime(self.changed_at).strftime("%H:%M") if self.changed_at else ""
        return _("This was changed by %(who)s at %(when)s. Review the changes and try again.") % {
            "who": who,
            "when": when,
        }


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class KeepsDerivedFields(models.Model):
    """A model with fields written only by the module that derives them from other records
    (a copy of the child's locality, a run's register counts). An instance in hand may hold
    older values than the table's, so saving it whole leaves those fields out; the module
    writes them itself."""

    derived_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and kwargs.get("update_fields") is None:
            derived = {
                name
                for klass in type(self).__mro__
                for name in vars(klass).get("derived_fields", ())
            }
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in derived
            ]
        super().save(*args, **kwargs)


class VersionedModel(TimestampedModel):
    """Optimistic locking: a save names the version it started from and fails if it moved."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    def save_versioned(self, *, expected_version: int, **kwargs: Any) -> None:
        """Save only if nobody saved since `expected_version`; bump the version."""
        with transaction.atomic():
            updated = (
                type(self)
                ._default_manager.filter(pk=self.pk, version=expected_version)
                .update(version=expected_version + 1)
            )
            if not updated:
                raise StaleEdit(self)
            self.version = expected_version + 1
            self.save(**kwargs)


class SecureLinkQuerySet(models.QuerySet["SecureLink"]):
    def open(self) -> SecureLinkQuerySet:
        """Links that could still be answered: not revoked and, if single use, not used."""
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(single_use=False) | models.Q(used_at__isnull=True)
        )


class SecureLink(TimestampedModel):
    """One link sent to a family or participant; see sapling/core/tokens.py.

    Only the SHA-256 of the token is kept, so a copy of the database cannot be used to
    answer anyone's questionnaire or check-in.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=100)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    carer = models.ForeignKey(
        "children.Carer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secure_links",
    )
    expires_at = models.DateTimeField()
    single_use = models.BooleanField(default=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)

    objects = SecureLinkQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        # Never the hash or anything about the family: this may reach logs.
        return f"{self.purpose} link {self.pk}"


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    LETTER = "letter", _("Letter")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FOR_PRINT = "queued_for_print", _("Queued for print")
    FAILED = "failed", _("Failed")
    SUPPRESSED = "suppressed", _("Not sent (suppressed)")


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def due(self, now: dt.datetime) -> OutboxMessageQuerySet:
        return self.filter(status=MessageStatus.QUEUED, next_attempt_at__lte=now)

    def for_print(self) -> OutboxMessageQuerySet:
        return self.filter(status=MessageStatus.FOR_PRINT)


class OutboxMessage(TimestampedModel):
    """One letter, reminder or link to one recipient; see sapling/core/outbox.py."""

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    # A carer's address is read when the message is sent, so a corrected email or a new
    # restriction applies to messages already queued.
    carer = models.ForeignKey(
        "children.Carer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    # Only for people who are not carers (school staff): their email or mobile number.
    recipient = models.CharField(max_length=254, blank=True)
    channel = models.CharField(max_length=10, choices=MessageChannel.choices)
    language = models.CharField(max_length=5, choices=settings.LANGUAGES, default="en")
    template = models.CharField(max_length=100)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    # A calendar invitation (.ics) sent with an email; letters and texts go without it.
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_content = models.TextField(blank=True)

    # A secure link is issued only when the message goes out, so no raw token is stored.
    link_purpose = models.CharField(max_length=100, blank=True)
    link_target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    link_target_id = models.PositiveBigIntegerField(null=True, blank=True)
    link_valid_for = models.DurationField(null=True, blank=True)
    link = models.ForeignKey(
        SecureLink, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    status = models.CharField(
        max_length=20, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    send_after = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    suppressed_reason = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(carer__isnull=False) | ~models.Q(recipient=""),
                name="outbox_message_has_a_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.channel} message {self.pk} ({self.status})"

    @property
    def has_link(self) -> bool:
        return bool(self.link_purpose)
