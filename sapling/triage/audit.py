from __future__ import annotations


def register() -> None:
    """Rules changes, settings and every triage decision go into the audit trail."""
    from auditlog.registry import auditlog

    from sapling.triage.models import Pathway, RulesVersion, TriageDecision, TriageSettings

    auditlog.register(TriageDecision)
    auditlog.register(RulesVersion)
    auditlog.register(TriageSettings)
    auditlog.register(Pathway)
