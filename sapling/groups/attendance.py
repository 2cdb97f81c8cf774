"""Who attended what, and the one definition of dropout (docs/metrics.md, "Dropout").

`dropped_out` is a pure function over one person's attendance pattern, so every report,
page and export that counts dropout calls it and gets the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sapling.groups.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    Mark,
    ProgrammeTier,
    RunStatus,
    SessionStatus,
)


def attended_universal(enrolment: Enrolment) -> bool:
    """Did this person attend at least one session of a universal-tier run?"""
    if enrolment.run.programme.tier != ProgrammeTier.UNIVERSAL:
        return False
    return Attendance.objects.filter(enrolment=enrolment, mark=Mark.ATTENDED).exists()


def has_attended(enrolment: Enrolment) -> bool:
    return Attendance.objects.filter(enrolment=enrolment, mark=Mark.ATTENDED).exists()


@dataclass(frozen=True)
class Pattern:
    """One person's marks for a finished run's sessions that took place, in order.

    `marks` has one item per session held: a Mark value, or "" where no mark was recorded
    (counted as missed). `withdrew` is true if their enrolment ended withdrawn.
    """

    marks: Sequence[str]
    withdrew: bool = False


def dropped_out(pattern: Pattern) -> bool:
    """Enrolled, attended at least one session, then missed every remaining session
    (apologies and no mark count as missed) or withdrew.

    Someone who never attended did not drop out (they never started); someone who attended
    the last session held did not drop out.
    """
    attended_at = [i for i, mark in enumerate(pattern.marks) if mark == Mark.ATTENDED]
    if not attended_at:
        return False
    if pattern.withdrew:
        return True
    return attended_at[-1] < len(pattern.marks) - 1


def completed(pattern: Pattern) -> bool:
    """Attended the last session held, and did not withdraw."""
    return not pattern.withdrew and bool(pattern.marks) and pattern.marks[-1] == Mark.ATTENDED


def pattern_for(enrolment: Enrolment) -> Pattern:
    """The attendance pattern of one enrolment over its run's sessions that took place."""
    sessions = [s for s in enrolment.run.sessions.all() if s.status != SessionStatus.CANCELLED]
    marks = {a.session_id: a.mark for a in enrolment.attendances.all()}
    return Pattern(
        marks=[marks.get(s.pk, "") for s in sorted(sessions, key=lambda s: s.starts_at)],
        withdrew=enrolment.status == EnrolmentStatus.WITHDRAWN,
    )


def counted_enrolments(run_status: str, enrolments: Sequence[Enrolment]) -> list[Enrolment]:
    """Enrolments that count for completion and dropout: finished runs only, and never
    reserve places that were not taken up."""
    if run_status != RunStatus.FINISHED:
        return []
    return [
        e
        for e in enrolments
        if e.status == EnrolmentStatus.ENROLLED
        or (e.status == EnrolmentStatus.WITHDRAWN and e.enrolled_at is not None)
    ]
