"""Calibrating the planning engine from hand-made waiting-list histories."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from sapling.accounts.models import Membership, Team, User
from sapling.planning.engine import SCHOOL_HOLIDAY_WEEKS, project
from sapling.planning.scenario import scenario_from_dict
from sapling.reports.calibration import (
    Calibration,
    Seasonality,
    calibrate,
    season_profile,
    week_of_year,
)
from sapling.reports.planning import WhatIf, apply
from sapling.triage.settings_store import set_live_order
from sapling.waitlist.models import WaitlistEntry
from tests.care.factories import AppointmentFactory, EpisodeFactory
from tests.factories import ChildFactory, MembershipFactory
from tests.groups.factories import AttendanceFactory, EnrolmentFactory, RunFactory, SessionFactory
from tests.waitlist.factories import WaitlistEntryFactory

TODAY = dt.date(2025, 6, 30)
RANK = {"urgent": 0, "soon": 1, "routine": 2}


def _days(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def _entry(team: Team, tier: str, priority: str, started: int, **fields: Any) -> WaitlistEntry:
    """An entry whose clock started ``started`` days before TODAY."""
    return WaitlistEntryFactory.create(
        team=team,
        tier=tier,
        priority=priority,
        priority_rank=RANK[priority],
        clock_start=_days(started),
        **fields,
    )


def _stopped(team: Team, tier: str, priority: str, started: int, stopped: int) -> None:
    reason = "group_session" if tier == "targeted" else "specialist_contact"
    _entry(
        team,
        tier,
        priority,
        started,
        status="seen",
        clock_stopped_on=_days(stopped),
        stop_reason=reason,
    )


def _ended(team: Team, tier: str, priority: str, started: int, ended: int, why: str) -> None:
    _entry(team, tier, priority, started, status="ended", ended_on=_days(ended), end_reason=why)


@pytest.fixture
def history(team: Team, other_team: Team) -> Team:
    # Targeted routine: 3 open from 10 weeks ago, 2 seen (started 20 weeks ago, seen 5 weeks
    # ago), 1 open from 60 weeks ago and 1 seen 56 weeks ago: the last two arrived earlier.
    for _ in range(3):
        _entry(team, "targeted", "routine", 70)
    for _ in range(2):
        _stopped(team, "targeted", "routine", 140, 35)
    _entry(team, "targeted", "routine", 420)
    _stopped(team, "targeted", "routine", 560, 392)
    # Targeted soon: the first day of the window counts, the day before does not.
    _entry(team, "targeted", "soon", 363)
    _entry(team, "targeted", "soon", 364)
    # Specialist soon: 4 waiting since before the window; one withdrawn 73 days ago, one
    # removed at validation 3 days ago; and one ended long before the window.
    for _ in range(2):
        _entry(team, "specialist", "soon", 700)
    _ended(team, "specialist", "soon", 700, 73, "withdrawn")
    _ended(team, "specialist", "soon", 700, 3, "validation")
    _ended(team, "specialist", "soon", 700, 420, "moved_away")
    # Specialist urgent: seen today, which is inside the window.
    _stopped(team, "specialist", "urgent", 7, 0)
    # Another team's children never count.
    for _ in range(5):
        _entry(other_team, "targeted", "routine", 14)
    return team


def test_arrival_rates_count_clock_starts_in_the_window(history: Team) -> None:
    calibration = calibrate(history, today=TODAY)

    routine = calibration.classes["targeted", "routine"]
    assert routine.arrivals == 5
    assert routine.arrival_rate == pytest.approx(5 / 52)
    assert calibration.classes["targeted", "soon"].arrivals == 1
    assert calibration.classes["specialist", "soon"].arrivals == 0
    assert calibration.classes["specialist", "urgent"].arrival_rate == pytest.approx(1 / 52)
    assert calibration.window_start == _days(363)


def test_capacity_is_clock_stops_in_the_window_per_tier(history: Team) -> None:
    calibration = calibrate(history, today=TODAY)

    assert calibration.capacity == {
        "targeted": pytest.approx(2 / 52),
        "specialist": pytest.approx(1 / 52),
    }
    assert calibration.stops == {
        "targeted": {"group_session": 2},
        "specialist": {"specialist_contact": 1},
    }
    assert calibration.classes["targeted", "routine"].stopped == 2


def test_withdrawal_is_a_weekly_hazard_over_the_average_list(history: Team) -> None:
    calibration = calibrate(history, today=TODAY)

    soon = calibration.classes["specialist", "soon"]
    # Any end reason counts; the ending 60 weeks ago does not.
    assert soon.ended == 2
    # At the window's 52 week-ends: 2 always waiting, the one withdrawn 73 days ago at 41
    # of them, the one removed 3 days ago at 51 of them (gone by today).
    assert soon.average_list == pytest.approx((2 * 52 + 41 + 51) / 52)
    assert soon.withdrawal_rate == pytest.approx(2 / 196)
    assert calibration.classes["targeted", "routine"].withdrawal_rate == 0


def test_current_list_by_completed_weeks(history: Team) -> None:
    calibration = calibrate(history, today=TODAY)

    assert calibration.current_list["targeted", "routine"] == {10: 3, 60: 1}
    assert calibration.current_list["targeted", "soon"] == {51: 1, 52: 1}
    assert calibration.current_list["specialist", "soon"] == {100: 2}
    assert calibration.list_size() == 8
    assert calibration.classes["specialist", "soon"].waiting_now == 2


def test_a_handful_of_queries(history: Team, django_assert_max_num_queries: Any) -> None:
    # Seven over the waiting list, staff and triage; six over groups and specialist care.
    with django_assert_max_num_queries(14):
        calibrate(history, today=TODAY)


def test_target_staff_and_order_come_from_the_team(
    history: Team, clinician: User, lead: User, administrator: User
) -> None:
    Team.objects.filter(pk=history.pk).update(target_weeks=18, target_share=Decimal("0.92"))
    Membership.objects.filter(user=clinician).update(
        wte=Decimal("0.8"), clinical_hours_per_week=Decimal("22.5")
    )
    Membership.objects.filter(user=lead).update(
        wte=Decimal("0.5"), clinical_hours_per_week=Decimal("7.5")
    )
    history.refresh_from_db()

    calibration = calibrate(history, today=TODAY)

    assert (calibration.target_weeks, calibration.target_share) == (18, 0.92)
    # Administrators give no clinical time.
    assert calibration.clinicians == 2
    assert calibration.wte == pytest.approx(1.3)
    assert calibration.clinical_hours == pytest.approx(30.0)
    assert (calibration.live_order, calibration.order) == ("plain", "priority")
    assert calibration.to_scenario_dict()["target"] == {"weeks": 18.0, "share": 0.92}


def test_need_adjusted_order_still_serves_priority_first(history: Team) -> None:
    set_live_order(team=history, live_order="need_adjusted")

    calibration = calibrate(history, today=TODAY)
    data = calibration.to_scenario_dict()

    assert (calibration.live_order, data["order"]) == ("need_adjusted", "need")
    weights = data["need_weights"]
    # A class just arrived outranks the next class at the deepest band (105 weeks' worth).
    assert weights["urgent"] > weights["soon"] * 105
    assert weights["soon"] > weights["routine"] * 105
    assert scenario_from_dict(data).order == "need"


def _check_runs(calibration: Calibration) -> None:
    scenario = scenario_from_dict(calibration.to_scenario_dict(weeks=52))
    assert scenario.tiers == ("targeted", "specialist")
    assert scenario.priorities == ("urgent", "soon", "routine")
    result = project(scenario, mode="expected")

    assert result.initial_size == pytest.approx(calibration.list_size())
    assert result.list_size.shape == (1, 52)
    # The first week's list is today's, plus that week's arrivals, less those seen or gone.
    moved = result.arrivals[0, 0] - result.served[0, 0] - result.withdrawn[0, 0]
    assert result.list_size[0, 0] == pytest.approx(calibration.list_size() + moved, rel=1e-5)


def test_the_scenario_dict_builds_and_projects(history: Team) -> None:
    calibration = calibrate(history, today=TODAY)
    data = calibration.to_scenario_dict()

    assert data["arrivals"]["targeted"]["routine"] == pytest.approx(5 / 52)
    assert data["withdrawal"]["specialist"]["soon"] == pytest.approx(2 / 196)
    assert data["initial_list"]["targeted"]["routine"][10] == 3
    # Wales's "everyone within the target" is planned as 0.999, and the lead is told.
    assert data["target"]["share"] == 0.999
    assert any("planned as 0.999" in warning for warning in calibration.warnings)
    _check_runs(calibration)


def test_an_empty_team_still_gives_a_scenario(team: Team) -> None:
    calibration = calibrate(team, today=TODAY)

    assert calibration.list_size() == 0
    assert any("less than 52 weeks of history" in w for w in calibration.warnings)
    _check_runs(calibration)


def test_thin_data_is_flagged_class_by_class(team: Team) -> None:
    _entry(team, "targeted", "routine", 400)  # history reaches back past the window
    for day in range(30):
        _entry(team, "targeted", "routine", 7 + day)

    warnings = calibrate(team, today=TODAY).warnings

    assert not any("routine targeted arrivals" in w for w in warnings)
    assert "Only 0 urgent targeted arrivals in 52 weeks" in " ".join(warnings)
    assert any("Only 0 first contacts in specialist" in w for w in warnings)
    assert not any("less than 52 weeks of history" in w for w in warnings)


def _at(days_before: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(_days(days_before), dt.time(10)))


def test_group_places_and_specialist_contacts_delivered_in_the_window(
    team: Team, other_team: Team
) -> None:
    targeted = RunFactory.create(programme__team=team, programme__tier="targeted")
    sessions = [
        SessionFactory.create(run=targeted, number=n + 1, starts_at=_at(days))
        for n, days in enumerate((370, 350, 343))  # the first before the window
    ]
    child = ChildFactory.create(team=team)
    early = EnrolmentFactory.create(run=targeted)  # first attended before the window
    AttendanceFactory.create(enrolment=early, session=sessions[0])
    AttendanceFactory.create(enrolment=early, session=sessions[1])
    for enrolment in (
        EnrolmentFactory.create(run=targeted, child=child, participant_email=""),
        EnrolmentFactory.create(run=targeted),
    ):
        AttendanceFactory.create(enrolment=enrolment, session=sessions[1])
        AttendanceFactory.create(enrolment=enrolment, session=sessions[2])
    absent = EnrolmentFactory.create(run=targeted)
    AttendanceFactory.create(enrolment=absent, session=sessions[2], mark="did_not_attend")
    universal = RunFactory.create(programme__team=team, programme__tier="universal")
    AttendanceFactory.create(
        enrolment=EnrolmentFactory.create(run=universal),
        session=SessionFactory.create(run=universal, starts_at=_at(10)),
    )
    other = RunFactory.create(programme__team=other_team, programme__tier="targeted")
    AttendanceFactory.create(
        enrolment=EnrolmentFactory.create(run=other),
        session=SessionFactory.create(run=other, starts_at=_at(10)),
    )

    done = EpisodeFactory.create(team=team, discharged_on=_days(5), status="discharged")
    for days, outcome in ((40, "attended"), (30, "attended"), (20, "not_brought")):
        AppointmentFactory.create(episode=done, starts_at=_at(days), outcome=outcome)
    open_episode = EpisodeFactory.create(team=team)
    AppointmentFactory.create(episode=open_episode, starts_at=_at(400), outcome="attended")
    AppointmentFactory.create(episode=open_episode, starts_at=_at(2), outcome="attended")

    delivered = calibrate(team, today=TODAY).delivered
    assert delivered.group_places == {"targeted": 2, "universal": 1}
    assert delivered.child_places == 1
    assert delivered.group_attendances == 6  # 5 targeted (in the window) + 1 universal
    assert delivered.places_a_week("targeted") == pytest.approx(2 / 52)
    assert delivered.specialist_contacts == 3  # two for the discharged episode, one open
    assert delivered.contacts_per_episode == 2.0
    assert delivered.discharged_episodes == 1


def test_no_groups_or_contacts_yet(team: Team) -> None:
    delivered = calibrate(team, today=TODAY).delivered
    assert delivered.group_places == {} and delivered.contacts_a_week == 0
    assert delivered.contacts_per_episode is None


# --- what staff and groups mean in children a week, and seasonality ----------------------


def test_conversions_use_the_teams_own_figures(team: Team) -> None:
    MembershipFactory.create(
        team=team, role="clinician", wte=Decimal("1.0"), clinical_hours_per_week=Decimal("30")
    )
    done = EpisodeFactory.create(team=team, discharged_on=_days(5), status="discharged")
    for days, minutes in ((40, 60), (30, 90)):
        AppointmentFactory.create(
            episode=done,
            starts_at=_at(days),
            ends_at=_at(days) + dt.timedelta(minutes=minutes),
            outcome="attended",
        )
    run = RunFactory.create(programme__team=team, programme__tier="targeted")
    session = SessionFactory.create(run=run, starts_at=_at(20))
    for _ in range(3):
        child = ChildFactory.create(team=team)
        enrolment = EnrolmentFactory.create(run=run, child=child, participant_email="")
        AttendanceFactory.create(enrolment=enrolment, session=session)
    AttendanceFactory.create(enrolment=EnrolmentFactory.create(run=run), session=session)

    conversions = calibrate(team, today=TODAY).conversions

    assert conversions.contacts_per_episode == 2.0
    assert conversions.hours_per_contact == pytest.approx(1.25 + 0.5)  # booked + overhead
    assert conversions.clinical_share == pytest.approx(30 / 37.5)
    assert conversions.children_per_run == 3.0  # the adult's place is not a child's
    # 37.5 hours x 80% clinical x 88% not on leave / (2 contacts x 1.75 hours)
    assert conversions.children_per_wte == pytest.approx(37.5 * 0.8 * 0.88 / 3.5)
    assert conversions.children_per_run_a_term == pytest.approx(3 / 13)
    assert conversions.measured == {
        "contacts_per_episode",
        "hours_per_contact",
        "clinical_share",
        "children_per_run",
    }


def test_conversions_fall_back_to_the_documented_defaults(team: Team) -> None:
    conversions = calibrate(team, today=TODAY).conversions
    assert conversions.measured == frozenset()
    assert conversions.children_per_wte == pytest.approx(37.5 * 0.7 * 0.88 / (6 * 1.5))
    assert conversions.children_per_run_a_term == pytest.approx(10 / 13)


def test_half_a_clinician_is_the_converted_first_contacts(history: Team) -> None:
    calibration = calibrate(history, today=TODAY)
    base = scenario_from_dict(calibration.to_scenario_dict())
    conversions = calibration.conversions
    by_staff = project(apply(base, WhatIf(extra_wte=0.5), conversions), mode="expected")
    by_contacts = project(
        apply(base, WhatIf(extra_specialist=0.5 * conversions.children_per_wte), conversions),
        mode="expected",
    )
    unchanged = project(base, mode="expected")
    assert by_staff.list_size.tolist() == by_contacts.list_size.tolist()
    assert by_staff.list_size[0, -1] < unchanged.list_size[0, -1]
    by_runs = project(apply(base, WhatIf(extra_runs_per_term=1), conversions), mode="expected")
    by_places = project(
        apply(base, WhatIf(extra_targeted=conversions.children_per_run_a_term), conversions),
        mode="expected",
    )
    assert by_runs.list_size.tolist() == by_places.list_size.tolist()


def _daily(rate: Any, start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    days = (end - start).days + 1
    return [(day, rate(day)) for day in (start + dt.timedelta(days=k) for k in range(days))]


def test_school_holidays_show_in_the_measured_profile() -> None:
    def rate(day: dt.date) -> int:
        return 5 if week_of_year(day) in SCHOOL_HOLIDAY_WEEKS else 10

    profile = season_profile(_daily(rate, _days(800), TODAY), TODAY, 2)
    assert profile is not None
    assert sum(profile) / 52 == pytest.approx(1, abs=1e-3)
    # Week 32 is mid-summer (its neighbours are holidays too); week 10 is mid-term.
    assert profile[32] / profile[10] == pytest.approx(0.5, abs=1e-3)
    ratio = Seasonality.holiday_ratio(profile)
    assert ratio is not None and ratio < 0.7


def test_a_growing_service_is_not_mistaken_for_a_season() -> None:
    def rate(day: dt.date) -> int:
        return 2 if day <= _days(364) else 6  # three times the referrals in the latest year

    profile = season_profile(_daily(rate, _days(900), TODAY), TODAY, 2)
    assert profile is not None
    assert max(profile) == pytest.approx(1, abs=1e-3)
    assert min(profile) == pytest.approx(1, abs=1e-3)


def test_too_little_history_means_no_seasonality(team: Team) -> None:
    _entry(team, "specialist", "routine", 100)
    calibration = calibrate(team, today=TODAY)
    assert calibration.seasonality.arrivals is None
    assert "seasonality" not in calibration.to_scenario_dict()
    assert any("seasonality" in warning for warning in calibration.warnings)
    assert season_profile([(TODAY, 3)], TODAY, 1) is None  # a year, but too few referrals


def test_measured_seasonality_goes_into_the_baseline(team: Team) -> None:
    for weeks_ago in range(0, 110, 2):  # two years of referrals, more in term time
        started = weeks_ago * 7
        for _ in range(2 if week_of_year(_days(started)) in SCHOOL_HOLIDAY_WEEKS else 6):
            _entry(team, "specialist", "routine", started, status="ended", ended_on=TODAY)
    calibration = calibrate(team, today=TODAY)
    assert calibration.seasonality.years == 2
    profile = calibration.to_scenario_dict()["seasonality"]["profile"]
    assert profile == list(calibration.seasonality.arrivals or ())
    ratio = Seasonality.holiday_ratio(calibration.seasonality.arrivals)
    assert ratio is not None and ratio < 1
