"""Return on investment: an estimate from the lead's assumptions, on hand-made figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sapling.accounts.models import Team
from sapling.care.models import Episode
from sapling.children.models import Child
from sapling.outcomes.models import GasRating
from sapling.reports import roi
from sapling.reports.filters import Filters
from sapling.reports.models import ReportSettings
from sapling.reports.tables import Table
from tests.care.factories import AppointmentFactory, EpisodeFactory
from tests.consultations.factories import ConsultationFactory, SlotFactory
from tests.factories import LocalityFactory, UserFactory
from tests.groups.factories import (
    AttendanceFactory,
    EnrolmentFactory,
    ProgrammeFactory,
    RunFactory,
    SessionFactory,
)
from tests.outcomes.factories import GasGoalFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
SPRING = Filters(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
IN_SPRING = dt.date(2026, 2, 10)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def _amounts(table: Table) -> dict[str, tuple[Any, Any, Any]]:
    return {row[1]: (row[2], row[3], row[4]) for row in table.rows}


def _contacts(episode: Episode, outcomes: list[str], day: dt.date = IN_SPRING) -> None:
    for hour, outcome in enumerate(outcomes, start=9):
        AppointmentFactory.create(episode=episode, starts_at=_at(day, hour), outcome=outcome)


def _group_places(team: Team, marks: list[str]) -> None:
    run = RunFactory.create(programme=ProgrammeFactory.create(team=team), status="finished")
    session = SessionFactory.create(run=run, number=1, starts_at=_at(IN_SPRING, 16))
    for mark in marks:
        enrolment = EnrolmentFactory.create(run=run)
        if mark:
            AttendanceFactory.create(enrolment=enrolment, session=session, mark=mark)


def _consultations(team: Team, referrals: list[str]) -> None:
    for n, referral in enumerate(referrals):
        slot = SlotFactory.create(team=team, starts_at=_at(IN_SPRING + dt.timedelta(days=n)))
        ConsultationFactory.create(team=team, slot=slot, status="held", referral=referral)


def _goal_rated(team: Team, episode: Episode, level: int) -> None:
    goal = GasGoalFactory.create(team=team, child=episode.child, episode=episode)
    GasRating.objects.create(
        goal=goal,
        time_point="review",
        attainment=level,
        rated_on=IN_SPRING,
        rated_by=UserFactory.create(),
    )


@pytest.fixture
def episode(team: Team) -> Episode:
    found: Episode = EpisodeFactory.create(team=team)
    return found


def test_the_estimate_multiplies_each_figure_by_the_leads_assumption(
    team: Team, episode: Episode
) -> None:
    ReportSettings.objects.create(
        team=team,
        cost_per_specialist_contact=Decimal("100"),
        cost_per_group_place=Decimal("25.50"),
        cost_per_consultation=Decimal("50"),
        value_per_referral_avoided=Decimal("600"),
        value_per_goal_achieved=Decimal("10"),
    )
    _contacts(episode, ["attended", "attended", "attended", "booked"])
    _contacts(episode, ["not_brought", "cancelled_by_family"], day=dt.date(2026, 2, 11))
    _contacts(episode, ["attended"], day=dt.date(2026, 4, 1))  # after the period
    _group_places(team, ["attended", "attended", "did_not_attend", ""])
    _consultations(team, ["avoided", "avoided", "made"])
    for level in (0, 1, -1):
        _goal_rated(team, episode, level)

    table = roi.roi_table(team, SPRING)

    amounts = _amounts(table)
    assert amounts["Specialist contacts attended"] == (3, Decimal("100"), Decimal("300.00"))
    assert amounts["Group and training places attended"] == (2, Decimal("25.50"), Decimal("51.00"))
    assert amounts["Consultations after training held"] == (3, Decimal("50"), Decimal("150.00"))
    assert amounts["Total cost"][2] == Decimal("501.00")
    assert amounts["Specialist referrals avoided after consultation"][2] == Decimal("1200.00")
    assert amounts["GAS goals achieved (rated 0 or better)"] == (2, Decimal("10"), Decimal("20.00"))
    assert amounts["Total value"][2] == Decimal("1220.00")
    assert amounts["Net value (value minus cost)"][2] == Decimal("719.00")
    assert amounts["Value for each £100 spent"][2] == Decimal("244")
    assert table.summary.startswith(
        "Estimate: delivering the service cost about £501 and returned about £1,220"
    )


def test_it_is_labelled_an_estimate_with_a_link_to_change_the_assumptions(team: Team) -> None:
    table = roi.roi_table(team, SPRING)

    assert "estimate" in table.title.lower()
    assert "not an account of money spent or saved" in table.notes
    assert "/reports/settings/" in table.notes
    # The defaults are shown beside what they multiply.
    assert _amounts(table)["Specialist contacts attended"][1] == Decimal("95.00")


def test_nothing_delivered_is_no_figure_not_a_ratio_of_zero(team: Team) -> None:
    table = roi.roi_table(team, SPRING)

    assert _amounts(table)["Value for each £100 spent"][2] is None
    assert _amounts(table)["Total cost"][2] == Decimal("0.00")
    assert "no figure" in table.summary


def test_specialist_contacts_follow_the_tier_programme_and_locality_filters(
    team: Team, episode: Episode
) -> None:
    north = LocalityFactory.create(team=team)
    Child.objects.filter(pk=episode.child.pk).update(locality=north)
    _contacts(episode, ["attended", "attended"])
    _contacts(EpisodeFactory.create(team=team), ["attended"])

    def contacts(**filters: Any) -> int:
        chosen = Filters(SPRING.date_from, SPRING.date_to, **filters)
        return roi.specialist_contacts_attended(team, chosen)

    assert contacts() == 3
    assert contacts(locality_id=north.pk) == 2
    assert contacts(tier="specialist") == 3
    assert contacts(tier="targeted") == 0
    assert contacts(programme_id=ProgrammeFactory.create(team=team).pk) == 0


def test_another_teams_work_is_not_priced(team: Team, other_team: Team) -> None:
    _contacts(EpisodeFactory.create(team=other_team), ["attended"])
    _consultations(other_team, ["avoided"])

    amounts = _amounts(roi.roi_table(team, SPRING))

    assert amounts["Specialist contacts attended"][0] == 0
    assert amounts["Specialist referrals avoided after consultation"][0] == 0


def test_the_section_is_the_estimate(team: Team) -> None:
    section = roi.section(team, SPRING, today=dt.date(2026, 4, 15))

    assert [table.slug for table in section.tables] == ["roi-estimate"]
