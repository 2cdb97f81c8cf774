"""Outcomes and experience on the dashboard: measure completion, GAS T-score change, family
confidence and the Friends and Family Test, by tier and programme, on hand-made answers."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sapling.accounts.models import Team, User
from sapling.care.models import Episode
from sapling.children.models import Child
from sapling.groups.models import Enrolment, Programme
from sapling.outcomes.instruments import (
    FAMILY_CONFIDENCE,
    FRIENDS_AND_FAMILY_TEST,
    shipped_version,
)
from sapling.outcomes.models import Administration, GasGoal, GasRating, Response
from sapling.reports import outcome_report
from sapling.reports.filters import Filters
from tests.care.factories import EpisodeFactory
from tests.factories import ChildFactory, LocalityFactory, UserFactory
from tests.groups.factories import EnrolmentFactory, ProgrammeFactory, RunFactory
from tests.outcomes.factories import AdministrationFactory, GasGoalFactory
from tests.reports.table_rows import row as row_of

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
SPRING = Filters(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
IN_SPRING = dt.date(2026, 2, 10)


@pytest.fixture
def episode(team: Team) -> Episode:
    found: Episode = EpisodeFactory.create(team=team)
    return found


@pytest.fixture
def parenting(team: Team) -> Programme:
    programme: Programme = ProgrammeFactory.create(
        team=team, name="Parenting online", tier="targeted", audience="parents"
    )
    return programme


def _place(team: Team, programme: Programme, child: Child | None = None) -> Enrolment:
    """A child's place on a run of `programme`."""
    enrolment: Enrolment = EnrolmentFactory.create(
        run=RunFactory.create(programme=programme),
        child=child or ChildFactory.create(team=team),
        participant_email="",
    )
    return enrolment


# --- Measure completion -------------------------------------------------------------------


def test_completion_is_completed_over_measures_due_that_went_out_or_were_due_on_paper(
    team: Team, episode: Episode, parenting: Programme
) -> None:
    carer_fields = {"team": team, "child": episode.child, "episode": episode}
    for status in ["completed", "completed", "sent", "sent", "not_sent"]:
        AdministrationFactory.create(**carer_fields, status=status, due_on=IN_SPRING)
    AdministrationFactory.create(**carer_fields, status="scheduled", due_on=IN_SPRING)  # paper
    AdministrationFactory.create(**carer_fields, status="cancelled", due_on=IN_SPRING)
    AdministrationFactory.create(
        **carer_fields, status="scheduled", recipient_email="t@school.example", due_on=IN_SPRING
    )  # not sent yet: not owed
    AdministrationFactory.create(**carer_fields, status="completed", due_on=dt.date(2026, 4, 1))
    place = _place(team, parenting)
    AdministrationFactory.create(
        team=team, child=place.child, run=place.run, status="completed", due_on=IN_SPRING
    )

    table = outcome_report.completion_table(team, SPRING)

    assert row_of(table, "Specialist")["owed"] == 6
    assert row_of(table, "Specialist")["completion"] == Decimal("33.3")
    assert row_of(table, "Targeted")["completion"] == Decimal("100.0")
    assert row_of(table, "Parenting online")["tier"] == "Targeted"
    assert (row_of(table, "All")["owed"], row_of(table, "All")["completed"]) == (7, 3)
    assert [row[0] for row in table.rows] == ["All", "Targeted", "Parenting online", "Specialist"]


def test_no_measures_due_is_no_figure(team: Team) -> None:
    table = outcome_report.completion_table(team, SPRING)

    assert table.rows == (("All", "", 0, 0, None),)
    assert table.summary == "No measures were due in the period."


# --- GAS ----------------------------------------------------------------------------------


def _goal(team: Team, baseline: int, ratings: list[tuple[dt.date, int]], **fields: Any) -> GasGoal:
    goal: GasGoal = GasGoalFactory.create(team=team, baseline=baseline, **fields)
    rater: User = UserFactory.create()
    for rated_on, level in ratings:
        GasRating.objects.create(
            goal=goal, time_point="review", attainment=level, rated_on=rated_on, rated_by=rater
        )
    return goal


def test_gas_change_is_latest_t_score_minus_baseline_over_the_same_goals(
    team: Team, episode: Episode
) -> None:
    child = episode.child
    # Episode one: two goals from -1; rated -1 then 0, and +1; a later rating is outside.
    _goal(
        team,
        -1,
        [(dt.date(2026, 1, 20), -1), (dt.date(2026, 3, 3), 0)],
        child=child,
        episode=episode,
    )
    _goal(
        team,
        -1,
        [(dt.date(2026, 3, 3), 1), (dt.date(2026, 4, 2), -2)],
        child=child,
        episode=episode,
    )
    # Episode two: one goal from -2, rated -1.
    other: Episode = EpisodeFactory.create(team=team)
    _goal(team, -2, [(IN_SPRING, -1)], child=other.child, episode=other)
    # Rated only before the period: not counted.
    _goal(team, -1, [(dt.date(2025, 12, 1), 2)], child=other.child, episode=other)

    changes = sorted(outcome_report.gas_changes(team, SPRING), key=lambda c: c.goals)
    table = outcome_report.gas_table(team, SPRING)

    spread = math.sqrt(0.7 * 2 + 0.3 * 4)  # two goals of weight 1, rho 0.3
    assert changes[1].baseline == pytest.approx(50 - 20 / spread)
    assert changes[1].latest == pytest.approx(50 + 10 / spread)
    assert (changes[0].baseline, changes[0].latest) == (30, 40)
    everything = row_of(table, "All")
    assert (everything["sets"], everything["goals"], everything["achieved"]) == (2, 3, 2)
    assert everything["change"] == Decimal("14.3")  # mean of 18.6 and 10
    assert everything["achieved_share"] == Decimal("66.7")
    changed = outcome_report.comparables()[2].measure(team, SPRING)
    assert (changed.value, changed.size) == (Decimal("14.3"), 2)


def test_gas_goals_for_a_group_place_count_under_its_programme(
    team: Team, episode: Episode, parenting: Programme
) -> None:
    place = _place(team, parenting)
    _goal(team, -1, [(IN_SPRING, 0)], child=place.child, enrolment=place)
    _goal(team, -1, [(IN_SPRING, -1)], child=episode.child, episode=episode)

    table = outcome_report.gas_table(team, SPRING)
    targeted = outcome_report.gas_table(
        team, Filters(SPRING.date_from, SPRING.date_to, tier="targeted")
    )

    assert row_of(table, "Parenting online")["change"] == Decimal("10.0")
    assert row_of(table, "Specialist")["change"] == Decimal("0.0")
    assert [row[0] for row in targeted.rows] == ["All", "Targeted", "Parenting online"]
    only_parenting = Filters(SPRING.date_from, SPRING.date_to, programme_id=parenting.pk)
    assert [row[0] for row in outcome_report.gas_table(team, only_parenting).rows] == [
        "All",
        "Targeted",
        "Parenting online",
    ]
    specialist = Filters(SPRING.date_from, SPRING.date_to, tier="specialist")
    assert [row[0] for row in outcome_report.gas_table(team, specialist).rows] == [
        "All",
        "Specialist",
    ]


def test_a_goal_counts_once_at_the_last_rating_recorded_on_its_latest_day(
    team: Team, episode: Episode
) -> None:
    goal = _goal(team, -1, [(dt.date(2026, 1, 5), 2)], child=episode.child, episode=episode)
    rater: User = UserFactory.create()
    for time_point, level in [("discharge", 1), ("follow_up", -2)]:
        GasRating.objects.create(
            goal=goal, time_point=time_point, attainment=level, rated_on=IN_SPRING, rated_by=rater
        )

    (change,) = outcome_report.gas_changes(team, SPRING)

    assert (change.goals, change.achieved, change.latest) == (1, 0, 30)
    assert outcome_report.goals_achieved(team, SPRING) == 0


def test_gas_locality_filter_keeps_goals_of_children_of_that_locality(
    team: Team, episode: Episode
) -> None:
    north = LocalityFactory.create(team=team)
    Child.objects.filter(pk=episode.child.pk).update(locality=north)
    elsewhere: Episode = EpisodeFactory.create(team=team)
    _goal(team, -1, [(IN_SPRING, 1)], child=episode.child, episode=episode)
    _goal(team, -1, [(IN_SPRING, -1)], child=elsewhere.child, episode=elsewhere)

    in_north = Filters(SPRING.date_from, SPRING.date_to, locality_id=north.pk)
    (change,) = outcome_report.gas_changes(team, in_north)

    assert (change.goals, change.latest) == (1, 60)
    assert outcome_report.goals_achieved(team, in_north) == 1


def test_no_gas_ratings_is_no_figure(team: Team) -> None:
    table = outcome_report.gas_table(team, SPRING)

    assert row_of(table, "All")["change"] is None and row_of(table, "All")["sets"] == 0
    assert outcome_report.comparables()[2].measure(team, SPRING).value is None


# --- Family confidence and FFT ------------------------------------------------------------


def _answered(instrument: str, answers: dict[str, str], **fields: Any) -> Response:
    version = shipped_version(instrument)
    administration: Administration = AdministrationFactory.create(
        instrument_version=version, status="completed", due_on=IN_SPRING, **fields
    )
    response: Response = Response.objects.create(
        administration=administration,
        instrument_version=version,
        answers=answers,
        mode="link",
        submitted_at=dt.datetime.combine(IN_SPRING, dt.time(19), tzinfo=LONDON),
    )
    return response


def test_fft_positive_is_very_good_or_good_over_every_response_including_dont_know(
    team: Team, episode: Episode
) -> None:
    about = {"team": team, "child": episode.child, "episode": episode}
    for code in ["1", "1", "2", "4", "6"]:  # very good x2, good, poor, don't know
        _answered(FRIENDS_AND_FAMILY_TEST, {"experience": code}, **about)
    _answered(FRIENDS_AND_FAMILY_TEST, {"why": "skipped the question"}, **about)

    table = outcome_report.experience_table(team, SPRING)

    row = row_of(table, "Specialist")
    assert (row["fft_answers"], row["fft_positive"], row["fft_share"]) == (5, 3, Decimal("60.0"))
    assert row["confident_share"] is None  # no confidence answers: no figure, not 0%
    fft = outcome_report.comparables()[0].measure(team, SPRING)
    assert (fft.value, fft.size) == (Decimal("60.0"), 5)


def test_family_confidence_is_extremely_or_somewhat_confident_by_tier_and_programme(
    team: Team, episode: Episode, parenting: Programme
) -> None:
    for code in ["extremely", "somewhat", "neither", "not-very"]:
        _answered(
            FAMILY_CONFIDENCE,
            {"confidence": code},
            team=team,
            child=episode.child,
            episode=episode,
        )
    place = _place(team, parenting)
    for code in ["extremely", "extremely"]:
        _answered(
            FAMILY_CONFIDENCE,
            {"confidence": code},
            team=team,
            child=place.child,
            run=place.run,
            enrolment=place,
        )

    table = outcome_report.experience_table(team, SPRING)

    assert row_of(table, "Specialist")["confident_share"] == Decimal("50.0")
    assert row_of(table, "Parenting online")["confident_share"] == Decimal("100.0")
    assert row_of(table, "All")["confident_share"] == Decimal("66.7")
    assert "4 of 6 (66.7%) extremely or somewhat confident" in table.summary
    only_parenting = Filters(SPRING.date_from, SPRING.date_to, programme_id=parenting.pk)
    confidence = outcome_report.comparables()[1].measure(team, only_parenting)
    assert (confidence.value, confidence.size) == (Decimal("100.0"), 2)


def test_each_instrument_counts_only_its_own_item_when_both_were_answered(
    team: Team, episode: Episode
) -> None:
    about = {"team": team, "child": episode.child, "episode": episode}
    _answered(FAMILY_CONFIDENCE, {"confidence": "extremely"}, **about)
    _answered(FAMILY_CONFIDENCE, {"confidence": "not-very", "experience": "1"}, **about)
    _answered(FRIENDS_AND_FAMILY_TEST, {"experience": "5", "confidence": "extremely"}, **about)

    row = row_of(outcome_report.experience_table(team, SPRING), "Specialist")

    assert (row["confidence_answers"], row["confident"]) == (2, 1)
    assert (row["fft_answers"], row["fft_positive"]) == (1, 0)


def test_locality_filter_keeps_children_of_that_locality(team: Team, episode: Episode) -> None:
    north = LocalityFactory.create(team=team)
    Child.objects.filter(pk=episode.child.pk).update(locality=north)
    elsewhere: Episode = EpisodeFactory.create(team=team)
    _answered(FAMILY_CONFIDENCE, {"confidence": "extremely"}, team=team, child=episode.child)
    _answered(FAMILY_CONFIDENCE, {"confidence": "not-at-all"}, team=team, child=elsewhere.child)

    in_north = Filters(SPRING.date_from, SPRING.date_to, locality_id=north.pk)
    measure = outcome_report.comparables()[1].measure

    assert measure(team, SPRING).value == Decimal("50.0")
    assert measure(team, in_north).value == Decimal("100.0")
    assert measure(team, in_north).size == 1


def test_another_teams_answers_and_answers_outside_the_period_do_not_count(
    team: Team, other_team: Team
) -> None:
    _answered(FAMILY_CONFIDENCE, {"confidence": "extremely"}, team=other_team)
    outside = _answered(FAMILY_CONFIDENCE, {"confidence": "extremely"}, team=team)
    Response.objects.filter(pk=outside.pk).update(
        submitted_at=dt.datetime(2026, 4, 1, 0, 30, tzinfo=LONDON)
    )

    table = outcome_report.experience_table(team, SPRING)

    assert table.rows == (("All", "", 0, 0, None, 0, 0, None),)
    assert table.summary.startswith("No family confidence or Friends and Family Test")


def test_the_section_reads_each_figure_family_once(
    team: Team, episode: Episode, django_assert_num_queries: Any
) -> None:
    about = {"team": team, "child": episode.child, "episode": episode}
    AdministrationFactory.create(**about, status="completed", due_on=IN_SPRING)
    _goal(
        team, -1, [(IN_SPRING, 0), (dt.date(2026, 3, 1), 1)], child=episode.child, episode=episode
    )
    _answered(FAMILY_CONFIDENCE, {"confidence": "extremely"}, **about)
    _answered(FRIENDS_AND_FAMILY_TEST, {"experience": "1"}, **about)

    # Measures due, GAS ratings, the instruments' rules, and responses to both instruments.
    with django_assert_num_queries(4):
        outcome_report.section(team, SPRING, today=dt.date(2026, 4, 15))


def test_the_section_is_three_tables_with_stable_slugs(team: Team) -> None:
    section = outcome_report.section(team, SPRING, today=dt.date(2026, 4, 15))

    assert [table.slug for table in section.tables] == [
        "measure-completion",
        "gas-change",
        "experience",
    ]
