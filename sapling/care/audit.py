from __future__ import annotations


def register() -> None:
    """Every change to a child's specialist record goes into the audit trail."""
    from auditlog.registry import auditlog

    from sapling.care import models

    auditlog.register(models.Episode, exclude_fields=["version", "updated_at", "updated_by"])
    auditlog.register(models.Appointment, exclude_fields=["version", "updated_at", "updated_by"])
    for model in (
        models.Assessment,
        models.Note,
        models.Addendum,
        models.Goal,
        models.Intervention,
        models.EquipmentLoan,
    ):
        auditlog.register(model, exclude_fields=["updated_at"])
