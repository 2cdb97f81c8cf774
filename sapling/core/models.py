"""Base models every Sapling record builds on."""

from __future__ import annotations

from typing import Any

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
