"""Completion, attendance and dropout per run and programme; digital access counts."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sapling.groups.attendance import attended_universal
from sapling.groups.figures import digital_access, programme_figures, run_figures
from sapling.groups.models import Run
from tests.groups.factories import AttendanceFactory, EnrolmentFactory, run_with_sessions

A, P, D = "attended", "apologies", "did_not_attend"


def _run_with_marks(team, patterns: list[list[str]], *, status: str = "finished") -> Run:
    run = run_with_sessions(len(patterns[0]), programme__team=team, first_in_days=-30)
    sessions = list(run.sessions.order_by("starts_at"))
    for marks in patterns:
        enrolment = EnrolmentFactory.create(run=run)
        for session, mark in zip(sessions, marks, strict=True):
            if mark:
                AttendanceFactory.create(enrolment=enrolment, session=session, mark=mark)
    Run.objects.filter(pk=run.pk).update(status=status)
    run.refresh_from_db()
    return run


def test_a_finished_runs_figures_follow_the_dropout_definition(team) -> None:
    run = _run_with_marks(
        team,
        [
            [A, A, A],  # completed
            [A, D, P],  # dropped out
            [D, D, D],  # never started
            [A, P, A],  # completed
        ],
    )
    figures = run_figures(run)
    assert (figures.counted, figures.started, figures.completed, figures.dropped_out) == (
        4,
        3,
        2,
        1,
    )
    assert figures.attended == 6 and figures.marks == 12
    assert programme_figures(run.programme).dropped_out == 1


def test_an_unfinished_run_counts_attendance_but_no_dropout(team) -> None:
    run = _run_with_marks(team, [[A, D, D]], status="open")
    figures = run_figures(run)
    assert figures.attended == 1
    assert figures.dropout_rate is None and figures.completion_rate is None


def test_attended_universal_needs_one_attended_session_of_a_universal_run(team) -> None:
    run = _run_with_marks(team, [[A, D], [P, D]], status="open")
    came, did_not = run.enrolments.order_by("pk")
    assert attended_universal(came) and not attended_universal(did_not)
    targeted = _run_with_marks(team, [[A, A]])
    targeted.programme.tier = "targeted"
    targeted.programme.save()
    assert not attended_universal(targeted.enrolments.get())


def test_digital_access_counts_support_before_the_first_session(team) -> None:
    run = run_with_sessions(2, programme__team=team, first_in_days=5)
    first_day = timezone.localdate() + dt.timedelta(days=5)
    EnrolmentFactory.create(
        run=run,
        digital_needs=["device"],
        digital_support="device_loan",
        digital_support_arranged_on=first_day - dt.timedelta(days=1),
    )
    EnrolmentFactory.create(
        run=run,
        digital_needs=["data", "confidence"],
        digital_support="phone_join",
        digital_support_arranged_on=first_day + dt.timedelta(days=3),
    )
    EnrolmentFactory.create(run=run, digital_needs=["confidence"])
    EnrolmentFactory.create(run=run)
    counts = digital_access(run.enrolments.all())
    assert (counts.with_needs, counts.supported_in_time, counts.supported_late) == (3, 1, 1)
    assert counts.not_supported == 1
    assert counts.by_need["Not confident joining online"] == 2
