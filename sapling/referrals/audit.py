from __future__ import annotations


def register() -> None:
    """Every change to a referral goes into the audit trail beside the child's record."""
    from auditlog.registry import auditlog

    from sapling.referrals.models import Referral

    auditlog.register(Referral, exclude_fields=["version", "updated_at", "updated_by"])
