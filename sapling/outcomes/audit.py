from __future__ import annotations


def register() -> None:
    """Every change to a child's measures goes into the audit trail."""
    from auditlog.registry import auditlog

    from sapling.outcomes.models import Administration, GasGoal, GasRating, Response

    auditlog.register(Administration, exclude_fields=["version", "updated_at", "draft"])
    auditlog.register(Response)
    auditlog.register(GasGoal, exclude_fields=["version", "updated_at"])
    auditlog.register(GasRating)
