"""Training and groups on the dashboard: runs, places, attendance, completion and dropout,
digital access, and consultations after training, on hand-made registers."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sapling.accounts.models import Team
from sapling.groups.attendance import Pattern, completed, dropped_out
from sapling.groups.figures import run_figures
from sapling.groups.models import Programme, Run
from sapling.reports import group_report
from sapling.reports.filters import Filters
from tests.consultations.factories import ConsultationFactory, SlotFactory
from tests.groups.factories import (
    AttendanceFactory,
    EnrolmentFactory,
    ProgrammeFactory,
    RunFactory,
    SessionFactory,
)
from tests.reports.table_rows import row as row_of

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
A, P, D = "attended", "apologies", "did_not_attend"
SPRING = Filters(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
TODAY = dt.date(2026, 4, 15)


def _at(day: dt.date, hour: int = 16) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def _run(
    programme: Programme,
    first: dt.date,
    registers: list[list[str]],
    *,
    status: str = "finished",
    capacity: int = 20,
    cancelled: tuple[int, ...] = (),
) -> Run:
    """A run with weekly sessions from `first`, one enrolment per register (one mark per
    session; "" for none). Sessions numbered in `cancelled` were cancelled."""
    run: Run = RunFactory.create(programme=programme, status=status, capacity=capacity)
    sessions = [
        SessionFactory.create(
            run=run,
            number=n + 1,
            starts_at=_at(first + dt.timedelta(weeks=n)),
            status="cancelled" if n + 1 in cancelled else "scheduled",
        )
        for n in range(len(registers[0]) if registers else 1)
    ]
    for marks in registers:
        enrolment = EnrolmentFactory.create(run=run)
        for session, mark in zip(sessions, marks, strict=True):
            if mark:
                AttendanceFactory.create(enrolment=enrolment, session=session, mark=mark)
    return run


@pytest.fixture
def sensory(team: Team) -> Programme:
    programme: Programme = ProgrammeFactory.create(team=team, name="Sensory in class")
    return programme


@pytest.fixture
def parenting(team: Team) -> Programme:
    programme: Programme = ProgrammeFactory.create(
        team=team, name="Parenting online", tier="targeted", audience="parents"
    )
    return programme


def test_a_programmes_runs_give_places_fill_attendance_completion_and_dropout(
    team: Team, sensory: Programme
) -> None:
    run = _run(
        sensory,
        dt.date(2026, 2, 2),
        [
            [A, A, A],  # completed
            [A, D, P],  # dropped out
            [D, D, D],  # never started: neither
            [A, P, A],  # completed
            [A, "", ""],  # withdrew after one session: dropped out
        ],
    )
    withdrawn = run.enrolments.order_by("pk").last()
    assert withdrawn is not None
    withdrawn.status = "withdrawn"
    withdrawn.save()
    EnrolmentFactory.create(run=run, status="reserve", enrolled_at=None)

    table = group_report.programmes_table(team, SPRING)

    row = row_of(table, "Sensory in class")
    assert (row["runs"], row["places_offered"], row["places_taken"]) == (1, 20, 4)
    assert row["fill_rate"] == Decimal("20.0")
    assert row["attendance"] == Decimal("53.8")  # 7 attended of 13 marks
    assert (row["counted"], row["started"], row["dropped_out"]) == (5, 4, 2)
    assert row["completion"] == Decimal("40.0")  # 2 of 5 who had a place
    assert row["dropout"] == Decimal("50.0")  # 2 of 4 who started
    assert "dropout 50.0%" in table.summary


def test_the_dashboard_agrees_with_the_groups_pages_figures_for_a_run(
    team: Team, sensory: Programme
) -> None:
    run = _run(sensory, dt.date(2026, 2, 2), [[A, P, A, D], [A, A, "", ""], ["", D, D, D]])
    withdrew_after_a_place, withdrew_from_reserve = run.enrolments.order_by("pk")[1:3]
    withdrew_after_a_place.status = "withdrawn"
    withdrew_after_a_place.save()
    withdrew_from_reserve.status, withdrew_from_reserve.enrolled_at = "withdrawn", None
    withdrew_from_reserve.save()
    SessionFactory.create(run=run, number=5, starts_at=_at(dt.date(2026, 3, 9)), status="cancelled")

    dashboard = group_report.programme_figures(team, SPRING)[sensory.pk].figures

    assert dashboard == run_figures(run)
    assert (dashboard.counted, dashboard.started, dashboard.dropped_out) == (2, 2, 2)


def test_a_place_kept_as_counts_completes_and_drops_out_as_its_whole_register_would() -> None:
    # The dashboard keeps of each place only how many sessions held it attended and whether
    # it attended the last; completion and dropout must read no more than that.
    for held in range(6):
        for marks in itertools.product([A, P, D, ""], repeat=held):
            for withdrew in (False, True):
                place = group_report.Place(
                    "withdrawn" if withdrew else "enrolled",
                    taken_up=True,
                    came=marks.count(A),
                    came_last=bool(marks) and marks[-1] == A,
                )
                whole = Pattern(marks, withdrew=withdrew)
                kept = place.pattern(held)
                assert (completed(kept), dropped_out(kept)) == (
                    completed(whole),
                    dropped_out(whole),
                ), (marks, withdrew)


def test_sessions_count_in_date_order_and_marks_for_a_cancelled_one_do_not_count(
    team: Team, sensory: Programme
) -> None:
    run = _run(sensory, dt.date(2026, 2, 2), [[A, "", A, A], [A, A, "", A], [D, D, D, A]])
    _one, two, three, four = run.sessions.order_by("number")
    # Session 3 was moved before session 2, so session 2 was the last held; session 4 was
    # cancelled after its register was taken.
    two.starts_at, two.ends_at, three.starts_at, three.ends_at = (
        three.starts_at,
        three.ends_at,
        two.starts_at,
        two.ends_at,
    )
    two.save()
    three.save()
    four.status = "cancelled"
    four.save()

    dashboard = group_report.programme_figures(team, SPRING)[sensory.pk].figures

    assert dashboard == run_figures(run)
    assert (dashboard.marks, dashboard.attended) == (7, 4)
    # The first missed the last session held; the third attended only the cancelled one.
    assert (dashboard.counted, dashboard.started, dashboard.completed) == (3, 2, 1)
    assert dashboard.dropped_out == 1
    assert group_report.places_attended(team, SPRING) == 2


def test_the_figures_take_the_same_few_queries_however_many_runs(
    team: Team, sensory: Programme, django_assert_num_queries: Any
) -> None:
    for week in range(3):
        _run(sensory, dt.date(2026, 1, 5) + dt.timedelta(weeks=week), [[A, D], [A, A], ["", A]])
    _run(sensory, dt.date(2026, 3, 2), [["", ""], ["", ""]], status="open")  # no register yet

    # The runs with their register counts, and their places with theirs.
    with django_assert_num_queries(2):
        figures = group_report.programme_figures(team, SPRING)[sensory.pk]

    assert (figures.runs, figures.places_taken, figures.figures.marks) == (4, 11, 15)
    assert (figures.figures.counted, figures.figures.completed) == (9, 6)


def test_an_open_run_counts_places_and_attendance_but_no_completion_yet(
    team: Team, sensory: Programme, parenting: Programme
) -> None:
    _run(sensory, dt.date(2026, 2, 2), [[A, A], [A, D]], capacity=10)
    _run(parenting, dt.date(2026, 3, 2), [[A, D], [A, A], [D, D]], status="open", capacity=8)

    table = group_report.programmes_table(team, SPRING)

    parents = row_of(table, "Parenting online")
    assert parents["tier"] == "Targeted"
    assert parents["attendance"] == Decimal("50.0")
    assert parents["completion"] is None and parents["dropout"] is None  # no figure, not 0%
    total = row_of(table, "All programmes")
    assert (total["runs"], total["places_offered"], total["places_taken"]) == (2, 18, 5)
    assert total["fill_rate"] == Decimal("27.8")
    assert total["completion"] == Decimal("50.0") and total["dropout"] == Decimal("50.0")


def test_runs_count_in_the_period_their_first_session_held_falls_in(
    team: Team, sensory: Programme
) -> None:
    _run(sensory, dt.date(2025, 12, 29), [[A, A, A]])  # began before the period
    # Its first session was cancelled, so it began on 6 January, inside the period.
    _run(sensory, dt.date(2025, 12, 30), [["", A, A]], cancelled=(1,))
    _run(sensory, dt.date(2026, 3, 31), [[A, A]], status="cancelled")  # cancelled run

    total = row_of(group_report.programmes_table(team, SPRING), "All programmes")

    assert total["runs"] == 1
    assert total["completion"] == Decimal("100.0")


def test_programme_and_tier_filters_choose_the_runs(
    team: Team, sensory: Programme, parenting: Programme
) -> None:
    _run(sensory, dt.date(2026, 2, 2), [[A, A]])
    _run(parenting, dt.date(2026, 2, 2), [[A, D]])

    only_parents = group_report.programmes_table(
        team, Filters(SPRING.date_from, SPRING.date_to, programme_id=parenting.pk)
    )
    universal = group_report.programmes_table(
        team, Filters(SPRING.date_from, SPRING.date_to, tier="universal")
    )
    specialist = group_report.programmes_table(
        team, Filters(SPRING.date_from, SPRING.date_to, tier="specialist")
    )

    assert [row[0] for row in only_parents.rows] == ["Parenting online", "All programmes"]
    assert [row[0] for row in universal.rows] == ["Sensory in class", "All programmes"]
    assert [row[0] for row in specialist.rows] == ["All programmes"]
    assert row_of(specialist, "All programmes")["fill_rate"] is None
    assert specialist.summary == "No runs started in the period."


def test_another_teams_runs_are_not_counted(
    team: Team, other_team: Team, sensory: Programme
) -> None:
    _run(ProgrammeFactory.create(team=other_team), dt.date(2026, 2, 2), [[A, A]])

    total = row_of(group_report.programmes_table(team, SPRING), "All programmes")

    assert total["runs"] == 0 and total["attendance"] is None


def test_attendance_by_month_counts_sessions_held_in_each_month(
    team: Team, sensory: Programme
) -> None:
    # Weekly from 23 March: two sessions in March, one in April (after the period).
    _run(sensory, dt.date(2026, 3, 23), [[A, A, A], [A, D, A], [P, D, ""]])
    _run(sensory, dt.date(2026, 1, 12), [[A, A]], cancelled=(2,))

    table = group_report.attendance_by_month_table(team, SPRING)

    rows = {row[0]: row[1:] for row in table.rows}
    assert list(rows) == ["January 2026", "February 2026", "March 2026"]
    assert rows["January 2026"] == (1, 1, 1, Decimal("100.0"))
    assert rows["February 2026"] == (0, 0, 0, None)
    assert rows["March 2026"] == (2, 6, 3, Decimal("50.0"))
    assert table.summary == "4 of 7 marks recorded were attended (57.1%)."


def test_a_session_counts_in_the_month_of_its_local_start(team: Team, sensory: Programme) -> None:
    # 00:30 on 1 May in summer time is still 30 April in UTC.
    _run(sensory, dt.date(2026, 4, 30), [[A, D]])
    first_may = dt.datetime(2026, 5, 1, 0, 30, tzinfo=LONDON)
    SessionFactory.create(run=_run(sensory, dt.date(2026, 4, 6), []), number=2, starts_at=first_may)

    table = group_report.attendance_by_month_table(
        team, Filters(dt.date(2026, 4, 1), dt.date(2026, 5, 31))
    )

    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["April 2026"] == (2, 1, 1, Decimal("100.0"))
    assert rows["May 2026"] == (2, 1, 0, Decimal("0.0"))


def test_digital_access_needs_are_met_in_time_late_or_not_at_all(
    team: Team, sensory: Programme
) -> None:
    run = _run(sensory, dt.date(2026, 2, 2), [[A]])
    first_day = dt.date(2026, 2, 2)
    for support, arranged_on in [
        ("device_loan", first_day),  # in time: on the day
        ("phone_join", first_day - dt.timedelta(days=3)),  # in time
        ("inclusion_service", first_day + dt.timedelta(days=1)),  # late
        ("", None),  # not supported
    ]:
        EnrolmentFactory.create(
            run=run,
            digital_needs=["device"],
            digital_support=support,
            digital_support_arranged_on=arranged_on,
        )
    EnrolmentFactory.create(run=run, status="reserve", enrolled_at=None, digital_needs=["data"])

    table = group_report.digital_access_table(team, SPRING)

    total = row_of(table, "All programmes")
    assert (total["with_needs"], total["in_time"], total["late"], total["not_supported"]) == (
        4,
        2,
        1,
        1,
    )
    assert total["met"] == Decimal("50.0")
    assert row_of(table, "Sensory in class")["with_needs"] == 4


def test_no_digital_need_is_no_figure(team: Team, sensory: Programme) -> None:
    _run(sensory, dt.date(2026, 2, 2), [[A]])

    table = group_report.digital_access_table(team, SPRING)

    assert row_of(table, "All programmes")["met"] is None
    assert "No places" in table.summary


def _consultation(team: Team, day: dt.date, status: str, referral: str = "", **kw: Any) -> None:
    slot = SlotFactory.create(team=team, starts_at=_at(day, 10))
    ConsultationFactory.create(team=team, slot=slot, status=status, referral=referral, **kw)


def test_consultations_after_training_count_by_month_with_referrals_avoided(team: Team) -> None:
    _consultation(team, dt.date(2026, 2, 3), "held", "avoided")
    _consultation(team, dt.date(2026, 2, 10), "held", "avoided")
    _consultation(team, dt.date(2026, 2, 17), "held", "made")
    _consultation(team, dt.date(2026, 3, 2), "held", "already")
    _consultation(team, dt.date(2026, 3, 9), "not_held")
    _consultation(team, dt.date(2026, 4, 6), "held", "avoided")  # after the period

    table = group_report.consultations_table(team, SPRING)

    rows = {row[0]: row[1:] for row in table.rows}
    # booked, held, not held, to record, avoided, made, already, % avoided
    assert rows["January 2026"] == (0, 0, 0, 0, 0, 0, 0, None)
    assert rows["February 2026"] == (3, 3, 0, 0, 2, 1, 0, Decimal("66.7"))
    assert rows["March 2026"] == (2, 1, 1, 0, 0, 0, 1, Decimal("0.0"))
    assert table.summary.startswith("4 consultations after training were held; after 2")
    referrals_avoided = group_report.comparables()[2].measure(team, SPRING)
    assert (referrals_avoided.value, referrals_avoided.size) == (Decimal("50.0"), 4)


def test_consultations_follow_the_tier_and_programme_filters(
    team: Team, sensory: Programme
) -> None:
    run = _run(sensory, dt.date(2026, 1, 5), [[A]])
    through_sensory = run.enrolments.get()
    _consultation(team, dt.date(2026, 2, 3), "held", "avoided", enrolment=through_sensory)
    _consultation(team, dt.date(2026, 2, 10), "held", "made")  # another programme's attendee

    def held(**filters: Any) -> int:
        chosen = Filters(SPRING.date_from, SPRING.date_to, **filters)
        return group_report.consultation_totals(team, chosen).held

    assert held() == 2
    assert held(tier="universal") == 2
    assert held(tier="targeted") == 0
    assert held(programme_id=sensory.pk) == 1


def test_comparables_give_dropout_and_completion_with_their_sizes(
    team: Team, sensory: Programme
) -> None:
    _run(sensory, dt.date(2026, 2, 2), [[A, A], [A, D], [D, D]])
    dropout, completion, _avoided = group_report.comparables()

    assert dropout.measure(team, SPRING).value == Decimal("50.0")
    assert dropout.measure(team, SPRING).size == 2  # started
    assert completion.measure(team, SPRING).value == Decimal("33.3")
    assert completion.measure(team, SPRING).size == 3  # had a place
    empty = Filters(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert dropout.measure(team, empty).value is None
    assert group_report.comparables()[2].measure(team, empty).value is None


def test_the_section_is_four_tables_with_stable_slugs(team: Team) -> None:
    section = group_report.section(team, SPRING, today=TODAY)

    assert [table.slug for table in section.tables] == [
        "groups-by-programme",
        "group-attendance-by-month",
        "digital-access",
        "consultations-by-month",
    ]
    assert all("locality filter does not apply" in table.notes for table in section.tables)
