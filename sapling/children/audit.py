from __future__ import annotations


def register() -> None:
    """Every change to a child's record goes into the audit trail."""
    from auditlog.registry import auditlog

    from sapling.children.models import (
        Carer,
        Child,
        PartnerSchool,
        SafeguardingConcern,
        SafeguardingSettings,
        SchoolSummary,
        SharingConsent,
        StatutoryAdviceRequest,
    )

    for model in (
        Child,
        Carer,
        SafeguardingConcern,
        StatutoryAdviceRequest,
        SharingConsent,
        SchoolSummary,
    ):
        auditlog.register(model, exclude_fields=["version", "updated_at", "updated_by"])
    auditlog.register(SafeguardingSettings, exclude_fields=["updated_at", "updated_by"])
    auditlog.register(PartnerSchool)
