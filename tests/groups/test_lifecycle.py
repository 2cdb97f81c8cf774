"""Runs, sessions, enrolment, reserve lists and registers, through the domain functions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sapling.core.lifecycle import IllegalMove
from sapling.core.models import OutboxMessage
from sapling.groups import lifecycle
from sapling.groups.lifecycle import SessionTimes
from sapling.groups.models import Attendance, EnrolmentStatus, RunStatus, SessionStatus
from sapling.waitlist.models import EntryStatus, StopReason
from tests.factories import CarerFactory
from tests.groups.factories import (
    EnrolmentFactory,
    ProgrammeFactory,
    later,
    run_with_sessions,
)
from tests.waitlist.factories import WaitlistEntryFactory


def _book(run, n: int):
    return lifecycle.book_public(
        run=run,
        name=f"Person {n}",
        role="Teacher",
        setting="Ysgol Bryn",
        email=f"person{n}@school.example.org",
    )


# --- Creating runs -------------------------------------------------------------------------


def test_a_run_is_created_with_numbered_sessions_in_date_order(team, lead) -> None:
    programme = ProgrammeFactory.create(team=team)
    run = lifecycle.create_run(
        programme=programme,
        title="Sensory, spring",
        term="Spring",
        venue="",
        meeting_link="https://meet.example.org/x",
        capacity=12,
        language="en",
        facilitators=[lead],
        sessions=[SessionTimes(later(14), later(14, 19)), SessionTimes(later(7), later(7, 19))],
        by=lead,
    )
    assert run.status == RunStatus.PLANNED
    assert [s.starts_at for s in run.sessions.all()] == [later(7), later(14)]
    assert list(run.facilitators.all()) == [lead]


@pytest.mark.parametrize(
    ("venue", "link", "when", "message"),
    [
        ("", "http://meet.example.org/x", 7, "must start with https://"),
        ("", "", 7, "needs a meeting link"),
        ("", "https://meet.example.org/x", -1, "cannot start in the past"),
    ],
)
def test_bad_runs_are_refused_with_a_clear_message(team, venue, link, when, message) -> None:
    programme = ProgrammeFactory.create(team=team, delivery="online")
    with pytest.raises(IllegalMove, match=message):
        lifecycle.create_run(
            programme=programme,
            title="T",
            term="",
            venue=venue,
            meeting_link=link,
            capacity=5,
            language="en",
            facilitators=[],
            sessions=[SessionTimes(later(when), later(when, 19))],
            by=None,
        )
    assert not programme.runs.exists()


def test_weekly_sessions_keep_the_local_time() -> None:
    first = later(3, hour=10)
    times = lifecycle.weekly_sessions(first, minutes=90, count=3)
    assert [timezone.localtime(t.starts_at).hour for t in times] == [10, 10, 10]
    assert times[2].starts_at.date() - times[0].starts_at.date() == dt.timedelta(days=14)
    assert times[0].ends_at - times[0].starts_at == dt.timedelta(minutes=90)


# --- Enrolment and capacity ----------------------------------------------------------------


def test_a_full_run_puts_newcomers_on_the_reserve_list_in_order(team) -> None:
    run = run_with_sessions(2, programme__team=team, capacity=2)
    first, second, third, fourth = (_book(run, n) for n in range(4))
    assert [e.status for e in (first, second)] == [EnrolmentStatus.ENROLLED] * 2
    assert (third.status, third.reserve_position) == (EnrolmentStatus.RESERVE, 1)
    assert (fourth.status, fourth.reserve_position) == (EnrolmentStatus.RESERVE, 2)
    assert lifecycle.places_left(run) == 0
    templates = list(OutboxMessage.objects.order_by("pk").values_list("template", flat=True))
    assert templates == ["groups.confirmation"] * 2 + ["groups.reserve"] * 2


def test_a_freed_place_goes_to_the_first_reserve_who_is_told(team) -> None:
    run = run_with_sessions(2, programme__team=team, capacity=1)
    first, second, third = (_book(run, n) for n in range(3))
    lifecycle.withdraw(enrolment=first, reason="Ill", by=None, expected_version=first.version)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == EnrolmentStatus.ENROLLED and second.reserve_position is None
    assert third.status == EnrolmentStatus.RESERVE
    assert lifecycle.reserve_rank(third) == 1
    promoted = OutboxMessage.objects.get(template="groups.promoted")
    assert promoted.recipient == second.participant_email
    assert "A place has come free" in promoted.body
    assert "BEGIN:VCALENDAR" in promoted.attachment_content


def test_leaving_the_reserve_list_frees_no_place(team) -> None:
    run = run_with_sessions(1, programme__team=team, capacity=1)
    _first, second, third = (_book(run, n) for n in range(3))
    lifecycle.withdraw(enrolment=second, reason="", by=None, expected_version=second.version)
    third.refresh_from_db()
    assert third.status == EnrolmentStatus.RESERVE
    assert lifecycle.reserve_rank(third) == 1


def test_the_same_email_cannot_book_twice_but_can_again_after_withdrawing(team) -> None:
    run = run_with_sessions(1, programme__team=team)
    booked = _book(run, 1)
    with pytest.raises(IllegalMove, match="already has a place"):
        lifecycle.book_public(
            run=run, name="X", role="", setting="", email="PERSON1@school.example.org"
        )
    lifecycle.withdraw(enrolment=booked, reason="", by=None, expected_version=booked.version)
    assert _book(run, 1).status == EnrolmentStatus.ENROLLED


def test_public_booking_needs_an_open_universal_run(team) -> None:
    planned = run_with_sessions(1, programme__team=team, status="planned")
    with pytest.raises(IllegalMove, match="not open for booking"):
        _book(planned, 1)
    targeted = run_with_sessions(1, programme__team=team, programme__tier="targeted")
    with pytest.raises(IllegalMove, match="offered by the team"):
        _book(targeted, 1)


def test_a_partner_books_for_themselves_once(team, partner) -> None:
    run = run_with_sessions(1, programme__team=team)
    enrolment = lifecycle.book_partner(run=run, user=partner)
    assert enrolment.user == partner and enrolment.status == EnrolmentStatus.ENROLLED
    assert OutboxMessage.objects.get().recipient == partner.email
    with pytest.raises(IllegalMove, match="already have a place"):
        lifecycle.book_partner(run=run, user=partner)


def _targeted(team, **fields):
    return run_with_sessions(
        3,
        programme__team=team,
        programme__tier="targeted",
        programme__audience="parents",
        programme__topic="parenting",
        **fields,
    )


def test_a_child_from_the_waiting_list_is_enrolled_with_their_carers(team, administrator) -> None:
    run = _targeted(team)
    entry = WaitlistEntryFactory.create(team=team)
    carer = CarerFactory.create(child=entry.child)
    enrolment = lifecycle.enrol_child(run=run, entry=entry, carers=[carer], by=administrator)
    assert enrolment.child == entry.child and enrolment.waitlist_entry == entry
    assert list(enrolment.carers.all()) == [carer]
    message = OutboxMessage.objects.get()
    assert message.carer == carer and message.template == "groups.confirmation"


def test_a_child_cannot_be_enrolled_twice_in_one_run(team) -> None:
    run = _targeted(team)
    entry = WaitlistEntryFactory.create(team=team)
    lifecycle.enrol_child(run=run, entry=entry, carers=[], by=None)
    with pytest.raises(IllegalMove, match="already has a place on this run"):
        lifecycle.enrol_child(run=run, entry=entry, carers=[], by=None)


def test_a_child_holds_one_live_place_across_runs(team) -> None:
    first, second = _targeted(team), _targeted(team)
    entry = WaitlistEntryFactory.create(team=team)
    lifecycle.enrol_child(run=first, entry=entry, carers=[], by=None)
    with pytest.raises(IllegalMove, match=f"already has a place on {first.title}"):
        lifecycle.enrol_child(run=second, entry=entry, carers=[], by=None)


def test_carers_of_another_child_are_refused(team) -> None:
    run = _targeted(team)
    entry = WaitlistEntryFactory.create(team=team)
    stranger = CarerFactory.create(child__team=team)
    with pytest.raises(IllegalMove, match="carers of this child"):
        lifecycle.enrol_child(run=run, entry=entry, carers=[stranger], by=None)


def test_nobody_joins_a_finished_or_cancelled_run(team) -> None:
    run = _targeted(team, status="cancelled")
    entry = WaitlistEntryFactory.create(team=team)
    with pytest.raises(IllegalMove, match="finished or cancelled"):
        lifecycle.enrol_child(run=run, entry=entry, carers=[], by=None)


# --- Sessions moved and cancelled ----------------------------------------------------------


def test_moving_a_session_tells_everyone_enrolled_with_the_same_uid_and_a_higher_sequence(
    team, lead
) -> None:
    run = run_with_sessions(2, programme__team=team)
    _book(run, 1)
    session = run.sessions.get(number=1)
    lifecycle.move_session(
        session=session,
        starts_at=later(9),
        ends_at=later(9, 19),
        reason="Room booked",
        by=lead,
        expected_version=session.version,
    )
    assert session.status == SessionStatus.MOVED
    notice = OutboxMessage.objects.get(template="groups.session_changed")
    assert "has moved" in notice.body and "Room booked" in notice.body
    assert f"UID:group-session-{session.pk}@" in notice.attachment_content
    assert "SEQUENCE:1" in notice.attachment_content


def test_a_session_cannot_move_into_the_past(team) -> None:
    run = run_with_sessions(1, programme__team=team)
    session = run.sessions.get()
    with pytest.raises(IllegalMove, match="cannot start in the past"):
        lifecycle.move_session(
            session=session,
            starts_at=later(-2),
            ends_at=later(-2, 19),
            reason="",
            by=None,
            expected_version=session.version,
        )


def test_cancelling_a_session_with_people_enrolled_sends_a_cancelled_event(team) -> None:
    run = run_with_sessions(2, programme__team=team)
    _book(run, 1), _book(run, 2)
    session = run.sessions.get(number=1)
    lifecycle.cancel_session(
        session=session, reason="Facilitator ill", by=None, expected_version=session.version
    )
    notices = OutboxMessage.objects.filter(template="groups.session_changed")
    assert notices.count() == 2
    assert all("STATUS:CANCELLED" in n.attachment_content for n in notices)
    assert all("is cancelled" in n.body for n in notices)
    with pytest.raises(IllegalMove, match="was cancelled"):
        lifecycle.record_register(
            session=session, marks={}, by=None, now=session.starts_at + dt.timedelta(hours=1)
        )


def test_cancelling_a_run_tells_enrolled_and_reserves(team) -> None:
    run = run_with_sessions(1, programme__team=team, capacity=1)
    _book(run, 1), _book(run, 2)
    lifecycle.cancel_run(run=run, reason="Too few", by=None, expected_version=run.version)
    assert OutboxMessage.objects.filter(template="groups.run_cancelled").count() == 2


# --- Registers and the waiting-list clock ---------------------------------------------------


def test_first_attended_group_session_stops_the_childs_clock_once(team, clinician) -> None:
    run = _targeted(team)
    entry = WaitlistEntryFactory.create(team=team)
    enrolment = lifecycle.enrol_child(run=run, entry=entry, carers=[], by=None)
    first, second, _third = run.sessions.all()
    after = second.starts_at + dt.timedelta(hours=2)
    lifecycle.record_register(
        session=first, marks={enrolment.pk: "did_not_attend"}, by=clinician, now=after
    )
    entry.refresh_from_db()
    assert entry.clock_stopped_on is None
    lifecycle.record_register(
        session=second, marks={enrolment.pk: "attended"}, by=clinician, now=after
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SEEN
    assert entry.stop_reason == StopReason.GROUP_SESSION
    assert entry.clock_stopped_on == timezone.localdate(second.starts_at)
    # Correcting the first session to "attended" later does not move the stop date.
    lifecycle.record_register(
        session=first, marks={enrolment.pk: "attended"}, by=clinician, now=after
    )
    entry.refresh_from_db()
    assert entry.clock_stopped_on == timezone.localdate(second.starts_at)


def test_a_register_cannot_be_taken_before_the_session_starts(team) -> None:
    run = run_with_sessions(1, programme__team=team)
    enrolment = EnrolmentFactory.create(run=run)
    with pytest.raises(IllegalMove, match="once the session has started"):
        lifecycle.record_register(
            session=run.sessions.get(), marks={enrolment.pk: "attended"}, by=None
        )
    assert not Attendance.objects.exists()


def test_a_register_refuses_people_from_another_run(team) -> None:
    run = run_with_sessions(1, programme__team=team, first_in_days=-1)
    stranger = EnrolmentFactory.create()
    with pytest.raises(IllegalMove, match="not on this session"):
        lifecycle.record_register(
            session=run.sessions.get(), marks={stranger.pk: "attended"}, by=None
        )


def test_a_run_finishes_only_after_its_last_session(team) -> None:
    run = run_with_sessions(2, programme__team=team, first_in_days=-3)
    with pytest.raises(IllegalMove, match="after its last session"):
        lifecycle.finish_run(run=run, by=None, expected_version=run.version)
    lifecycle.finish_run(
        run=run, by=None, expected_version=run.version, now=timezone.now() + dt.timedelta(days=5)
    )
    assert run.status == RunStatus.FINISHED


def test_digital_support_needs_a_date_and_a_need(team) -> None:
    enrolment = EnrolmentFactory.create(run__programme__team=team)
    with pytest.raises(IllegalMove, match="date the support"):
        lifecycle.record_digital_access(
            enrolment=enrolment,
            needs=["device"],
            support="device_loan",
            arranged_on=None,
            by=None,
            expected_version=enrolment.version,
        )
    lifecycle.record_digital_access(
        enrolment=enrolment,
        needs=["device"],
        support="device_loan",
        arranged_on=timezone.localdate(),
        by=None,
        expected_version=enrolment.version,
    )
    enrolment.refresh_from_db()
    assert enrolment.digital_support == "device_loan"
