from __future__ import annotations


def register() -> None:
    """A consultation can hold what a teacher or parent said about a child: audited."""
    from auditlog.registry import auditlog

    from sapling.consultations.models import Consultation, Slot

    auditlog.register(Consultation, exclude_fields=["version", "updated_at", "updated_by"])
    auditlog.register(Slot, exclude_fields=["version", "updated_at", "updated_by"])
