"""Completion, attendance and dropout per run and per programme, and digital access counts.

Completion and dropout count finished runs only and use `attendance.dropped_out` and
`attendance.completed` (docs/metrics.md, "Dropout"), so every page gives the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from sapling.groups.attendance import completed, counted_enrolments, dropped_out, pattern_for
from sapling.groups.models import (
    DigitalNeed,
    Enrolment,
    EnrolmentStatus,
    Mark,
    Programme,
    Run,
    RunStatus,
    SessionStatus,
)


@dataclass
class Figures:
    finished_runs: int = 0
    counted: int = 0  # enrolled people on finished runs
    started: int = 0  # attended at least one session
    completed: int = 0
    dropped_out: int = 0
    marks: int = 0  # marks recorded for sessions held
    attended: int = 0

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.counted if self.counted else None

    @property
    def dropout_rate(self) -> float | None:
        """Dropouts among those who started (attended at least once)."""
        return self.dropped_out / self.started if self.started else None

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.marks if self.marks else None

    def add(self, other: Figures) -> None:
        for name in ("finished_runs", "counted", "started", "completed", "dropped_out"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.marks += other.marks
        self.attended += other.attended


def run_figures(run: Run) -> Figures:
    """One run's figures. Attendance counts any run; completion and dropout finished ones."""
    figures = Figures()
    enrolments = list(run.enrolments.prefetch_related("attendances").select_related("run"))
    held = {s.pk for s in run.sessions.all() if s.status != SessionStatus.CANCELLED}
    for enrolment in enrolments:
        for attendance in enrolment.attendances.all():
            if attendance.session_id in held:
                figures.marks += 1
                figures.attended += attendance.mark == Mark.ATTENDED
    if run.status == RunStatus.FINISHED:
        figures.finished_runs = 1
        for enrolment in counted_enrolments(run.status, enrolments):
            pattern = pattern_for(enrolment)
            figures.counted += 1
            figures.started += Mark.ATTENDED in pattern.marks
            figures.completed += completed(pattern)
            figures.dropped_out += dropped_out(pattern)
    return figures


def programme_figures(programme: Programme) -> Figures:
    total = Figures()
    for run in programme.runs.prefetch_related("sessions"):
        total.add(run_figures(run))
    return total


@dataclass
class DigitalAccess:
    """Digital access needs on enrolments, and whether support came before session one."""

    with_needs: int = 0
    by_need: dict[str, int] = field(default_factory=dict)
    supported_in_time: int = 0
    supported_late: int = 0
    not_supported: int = 0


def digital_access(enrolments: Iterable[Enrolment]) -> DigitalAccess:
    counts = DigitalAccess(by_need={str(n.label): 0 for n in DigitalNeed})
    labels = dict(DigitalNeed.choices)
    for enrolment in enrolments:
        if enrolment.status == EnrolmentStatus.RESERVE or not enrolment.digital_needs:
            continue
        counts.with_needs += 1
        for need in enrolment.digital_needs:
            label = str(labels.get(need, need))
            counts.by_need[label] = counts.by_need.get(label, 0) + 1
        first = min(
            (s.starts_at for s in enrolment.run.sessions.all() if s.status != "cancelled"),
            default=None,
        )
        arranged = enrolment.digital_support_arranged_on
        if not enrolment.digital_support or arranged is None:
            counts.not_supported += 1
        elif first is None or arranged <= timezone.localdate(first):
            counts.supported_in_time += 1
        else:
            counts.supported_late += 1
    return counts
