"""Each run's register counts, kept on the run and its places for the reports, follow its
sessions and marks however they change (sapling/groups/register_counts.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sapling.accounts.models import Team
from sapling.groups import lifecycle, register_counts
from sapling.groups.models import Attendance, Enrolment, Run
from tests.groups.factories import EnrolmentFactory, run_with_sessions

pytestmark = pytest.mark.django_db


def counts(run: Run) -> tuple[int, int, int]:
    run.refresh_from_db()
    return (run.sessions_held, run.marks_recorded, run.marks_attended)


def place(enrolment: Enrolment) -> tuple[int, bool]:
    enrolment.refresh_from_db()
    return (enrolment.sessions_attended, enrolment.attended_last_held)


@pytest.fixture
def held_run(team: Team) -> Run:
    """Three sessions, all started: their registers can be taken."""
    return run_with_sessions(3, programme__team=team, first_in_days=-20)


def take(run: Run, number: int, marks: dict[Enrolment, str]) -> None:
    lifecycle.record_register(
        session=run.sessions.get(number=number),
        marks={enrolment.pk: mark for enrolment, mark in marks.items()},
        by=None,
    )


def test_a_new_run_counts_its_sessions_and_no_marks(team: Team) -> None:
    run = lifecycle.create_run(
        programme=run_with_sessions(1, programme__team=team).programme,
        title="Sensory, summer",
        term="Summer",
        venue="",
        meeting_link="https://meet.example.org/x",
        capacity=10,
        language="en",
        facilitators=[],
        sessions=lifecycle.weekly_sessions(
            timezone.now() + dt.timedelta(days=7), count=4, minutes=60
        ),
        by=None,
    )
    assert counts(run) == (4, 0, 0)


def test_registers_taken_count_marks_and_each_places_attendance(held_run: Run) -> None:
    alys, bryn = EnrolmentFactory.create(run=held_run), EnrolmentFactory.create(run=held_run)
    take(held_run, 1, {alys: "attended", bryn: "attended"})
    take(held_run, 2, {alys: "attended", bryn: "apologies"})
    take(held_run, 3, {alys: "did_not_attend", bryn: "attended"})

    assert counts(held_run) == (3, 6, 4)
    assert place(alys) == (2, False)
    assert place(bryn) == (2, True)


def test_a_corrected_mark_is_recounted(held_run: Run) -> None:
    alys = EnrolmentFactory.create(run=held_run)
    take(held_run, 3, {alys: "did_not_attend"})
    take(held_run, 3, {alys: "attended"})
    assert counts(held_run) == (3, 1, 1)
    assert place(alys) == (1, True)


def test_a_deleted_mark_is_no_longer_counted(held_run: Run) -> None:
    alys = EnrolmentFactory.create(run=held_run)
    take(held_run, 1, {alys: "attended"})
    Attendance.objects.get().delete()
    assert counts(held_run) == (3, 0, 0)
    assert place(alys) == (0, False)


def test_a_cancelled_session_is_not_held_and_the_one_before_becomes_the_last(
    team: Team,
) -> None:
    run = run_with_sessions(3, programme__team=team, first_in_days=-15)  # the third is ahead
    alys = EnrolmentFactory.create(run=run)
    take(run, 2, {alys: "attended"})
    assert place(alys) == (1, False)

    third = run.sessions.get(number=3)
    lifecycle.cancel_session(session=third, reason="Ill", by=None, expected_version=third.version)

    assert counts(run) == (2, 1, 1)
    assert place(alys) == (1, True)


def test_saving_a_run_or_place_held_before_a_register_keeps_the_new_counts(
    held_run: Run,
) -> None:
    alys = EnrolmentFactory.create(run=held_run)
    stale_run, stale_place = Run.objects.get(pk=held_run.pk), Enrolment.objects.get(pk=alys.pk)
    take(held_run, 1, {alys: "attended"})

    stale_run.title = "Renamed"
    stale_run.save()
    stale_place.participant_role = "Teacher"
    stale_place.save()

    assert counts(held_run) == (3, 1, 1)
    assert place(alys) == (1, False)
    assert register_counts.out_of_step() == []


def test_out_of_step_names_a_run_whose_counts_were_changed_behind_its_back(
    held_run: Run,
) -> None:
    alys = EnrolmentFactory.create(run=held_run)
    take(held_run, 1, {alys: "attended"})
    assert register_counts.out_of_step() == []
    Enrolment.objects.filter(pk=alys.pk).update(sessions_attended=0)
    assert register_counts.out_of_step() == [held_run.pk]
    register_counts.recount([held_run.pk])
    assert register_counts.out_of_step() == []


def test_inside_deferred_runs_are_recounted_once_at_the_end(held_run: Run) -> None:
    alys = EnrolmentFactory.create(run=held_run)
    with register_counts.deferred():
        Attendance.objects.create(
            enrolment=alys,
            session=held_run.sessions.get(number=1),
            mark="attended",
            recorded_at=timezone.now(),
        )
        assert counts(held_run) == (3, 0, 0)
    assert counts(held_run) == (3, 1, 1)
