from __future__ import annotations


def register() -> None:
    """Group records that hold a child's or a participant's data go into the audit trail."""
    from auditlog.registry import auditlog

    from sapling.groups.models import Attendance, Enrolment, TopicSuggestion

    auditlog.register(Enrolment, exclude_fields=["version", "updated_at", "updated_by"])
    auditlog.register(Attendance)
    auditlog.register(TopicSuggestion)
