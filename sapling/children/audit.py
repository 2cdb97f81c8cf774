from __future__ import annotations


def register() -> None:
    """Every change to a child's record goes into the audit trail."""
    from auditlog.registry import auditlog

    from sapling.children.models import Carer, Child

    auditlog.register(Child, exclude_fields=["version", "updated_at", "updated_by"])
    auditlog.register(Carer, exclude_fields=["version", "updated_at", "updated_by"])
