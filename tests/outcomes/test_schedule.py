"""Measures fall due for specialist episodes and group runs, once each, by send-due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.care.models import Episode
from sapling.core.lifecycle import IllegalMove
from sapling.groups.models import Run
from sapling.outcomes import administration as admin
from sapling.outcomes.gas import add_goal, rate_goals, results
from sapling.outcomes.instruments import FAMILY_CONFIDENCE, SESSION_FEEDBACK, shipped_version
from sapling.outcomes.models import Administration, GasGoal, TimePoint
from sapling.outcomes.schedule import plan_measure, schedule_due_measures
from tests.care.factories import EpisodeFactory, GoalFactory
from tests.conftest import logged_in
from tests.factories import CarerFactory, ChildFactory
from tests.groups.factories import AttendanceFactory, EnrolmentFactory, run_with_sessions
from tests.outcomes.factories import GasGoalFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()
TODAY = timezone.localdate(NOW)
LEVELS = ["Needs full help", "Needs help with zips", "Does it alone", "Also helps a sibling", "x"]


@pytest.fixture
def episode(team: Team) -> Episode:
    episode: Episode = EpisodeFactory.create(team=team)
    episode.child.carers.update(parental_responsibility=False)
    CarerFactory.create(child=episode.child, email="mum@example.com", parental_responsibility=True)
    CarerFactory.create(
        child=episode.child, email="gran@example.com", parental_responsibility=False
    )
    return episode


def _discharge(episode: Episode) -> None:
    Episode.objects.filter(pk=episode.pk).update(status="discharged", discharged_on=TODAY)


def test_a_discharged_episode_asks_the_parent_with_responsibility_once(
    episode: Episode,
) -> None:
    assert schedule_due_measures(NOW).episodes == 0  # still open
    _discharge(episode)
    assert schedule_due_measures(NOW).episodes == 1, list(
        Administration.objects.values_list("carer__email", "instrument_version__instrument__name")
    )
    assert schedule_due_measures(NOW).episodes == 0
    made = Administration.objects.get()
    assert made.carer is not None and made.carer.email == "mum@example.com"
    assert (made.episode, made.child, made.time_point) == (episode, episode.child, "discharge")
    assert made.instrument_version.instrument.name == FAMILY_CONFIDENCE
    assert admin.schedule_measures(NOW).sent == 1


def test_in_england_the_friends_and_family_test_goes_too(episode: Episode) -> None:
    Team.objects.filter(pk=episode.team_id).update(nation="england")
    _discharge(episode)
    assert schedule_due_measures(NOW).episodes == 2


def test_a_planned_review_measure_falls_due_on_the_review_date(
    episode: Episode, clinician: User
) -> None:
    plan_measure(
        team=episode.team,
        version=shipped_version(FAMILY_CONFIDENCE),
        time_point=TimePoint.REVIEW,
        respondent="parent",
        by=clinician,
        episode=episode,
    )
    Episode.objects.filter(pk=episode.pk).update(review_due_on=TODAY + dt.timedelta(days=1))
    assert schedule_due_measures(NOW).episodes == 0
    Episode.objects.filter(pk=episode.pk).update(review_due_on=TODAY)
    assert schedule_due_measures(NOW).episodes == 1
    with pytest.raises(IllegalMove, match="already planned"):
        plan_measure(
            team=episode.team,
            version=shipped_version(FAMILY_CONFIDENCE),
            time_point=TimePoint.REVIEW,
            respondent="parent",
            by=clinician,
            episode=episode,
        )


def test_a_run_asks_for_feedback_after_each_session_attended_and_experience_at_the_end(
    team: Team,
) -> None:
    run: Run = run_with_sessions(2, first_in_days=-14, programme__team=team)
    child = ChildFactory.create(team=team)
    parent = CarerFactory.create(child=child, email="p@example.com")
    family_place = EnrolmentFactory.create(run=run, child=child, participant_email="")
    family_place.carers.add(parent)
    teacher_place = EnrolmentFactory.create(run=run)
    first, second = run.sessions.order_by("number")
    AttendanceFactory.create(enrolment=family_place, session=first)
    AttendanceFactory.create(enrolment=teacher_place, session=first, mark="did_not_attend")
    AttendanceFactory.create(enrolment=teacher_place, session=second)
    made = schedule_due_measures(NOW).runs
    assert schedule_due_measures(NOW).runs == 0
    feedback = Administration.objects.filter(instrument_version__instrument__name=SESSION_FEEDBACK)
    assert {(a.enrolment_id, a.session_id) for a in feedback} == {
        (family_place.pk, first.pk),
        (teacher_place.pk, second.pk),
    }
    teacher = feedback.get(enrolment=teacher_place)
    assert (teacher.child, teacher.carer, teacher.recipient_email) == (
        None,
        None,
        teacher_place.participant_email,
    )
    # Wales: family confidence at the end, for the child's carers only.
    end = Administration.objects.get(time_point="run_end")
    assert (end.carer, end.child) == (parent, child)
    assert made == 3


def _add_places(run: Run, places: int) -> None:
    for _ in range(places):
        place = EnrolmentFactory.create(run=run)
        for session in run.sessions.all():
            AttendanceFactory.create(enrolment=place, session=session)


def _queries_to_ask_again() -> int:
    with CaptureQueriesContext(connection) as asked:
        assert schedule_due_measures(NOW).runs == 0
    return len(asked)


def test_asking_again_about_a_run_already_asked_costs_the_same_whatever_its_size(
    team: Team,
) -> None:
    run: Run = run_with_sessions(3, first_in_days=-21, programme__team=team)
    _add_places(run, 2)
    assert schedule_due_measures(NOW).runs == 2 * 3  # feedback after each session attended
    small = _queries_to_ask_again()
    _add_places(run, 10)
    assert schedule_due_measures(NOW).runs == 10 * 3
    # The run's administrations are read at once, not looked up place by place.
    assert _queries_to_ask_again() == small


def test_an_unfinished_run_asks_nothing_at_its_end(team: Team) -> None:
    run: Run = run_with_sessions(2, first_in_days=-3, programme__team=team)
    place = EnrolmentFactory.create(run=run)
    AttendanceFactory.create(enrolment=place, session=run.sessions.get(number=1))
    schedule_due_measures(NOW)
    assert not Administration.objects.filter(time_point="run_end").exists()


def test_gas_on_an_episode_goal(episode: Episode, clinician: User) -> None:
    goal = GoalFactory.create(episode=episode, text="Do up my coat")
    gas_goal = add_goal(
        team=episode.team,
        child=episode.child,
        goal_text="ignored: the episode's words are kept",
        levels=LEVELS,
        weight=1,
        baseline=-1,
        set_on=TODAY,
        by=clinician,
        care_goal=goal,
    )
    assert (gas_goal.goal_text, gas_goal.episode) == ("Do up my coat", episode)
    with pytest.raises(IllegalMove, match="scaled already"):
        add_goal(
            team=episode.team,
            child=episode.child,
            goal_text="",
            levels=LEVELS,
            weight=1,
            baseline=-1,
            set_on=TODAY,
            by=clinician,
            care_goal=goal,
        )
    other = GasGoalFactory.create(team=episode.team, child=episode.child, weight=2)
    rate_goals(
        child=episode.child,
        ratings={gas_goal.pk: 1},
        time_point="discharge",
        rated_on=TODAY,
        by=clinician,
        episode=episode,
    )
    found = results(GasGoal.objects.filter(episode=episode))
    assert [r.t_score for r in found] == [40.0, 60.0]
    assert other.episode is None


def test_rating_refuses_a_missing_goal_and_a_second_rating_the_same_day(
    team: Team, clinician: User
) -> None:
    child = ChildFactory.create(team=team)
    first = GasGoalFactory.create(team=team, child=child)
    second = GasGoalFactory.create(team=team, child=child)
    with pytest.raises(IllegalMove, match="Rate every goal"):
        rate_goals(
            child=child, ratings={first.pk: 0}, time_point="review", rated_on=TODAY, by=clinician
        )
    rate_goals(
        child=child,
        ratings={first.pk: 0, second.pk: 2},
        time_point="review",
        rated_on=TODAY,
        by=clinician,
    )
    with pytest.raises(IllegalMove, match="already rated"):
        rate_goals(
            child=child,
            ratings={first.pk: 1, second.pk: 1},
            time_point="review",
            rated_on=TODAY,
            by=clinician,
        )
    with pytest.raises(IllegalMove, match="from -2 to \\+2"):
        rate_goals(
            child=child,
            ratings={first.pk: 3, second.pk: 1},
            time_point="discharge",
            rated_on=TODAY,
            by=clinician,
        )


def test_the_episode_page_scales_and_rates_goals(episode: Episode, clinician: User) -> None:
    goal = GoalFactory.create(episode=episode, text="Do up my coat")
    client = logged_in(clinician)
    page = reverse("outcomes:show_episode_outcomes", args=[episode.pk])
    assert "Scale this goal" in client.get(page).content.decode()
    form = {"much_less": "a", "less": "b", "expected": "c", "more": "d", "much_more": "e"}
    saved = client.post(
        reverse("outcomes:scale_goal", args=[goal.pk]), {**form, "baseline": "-1", "weight": "1"}
    )
    assert saved.status_code == 302
    gas_goal = GasGoal.objects.get(goal=goal)
    rated = client.post(
        reverse("outcomes:rate_episode_goals", args=[episode.pk]),
        {"time_point": "discharge", f"goal_{gas_goal.pk}": "0"},
    )
    assert rated.status_code == 302
    shown = client.get(page).content.decode()
    assert "50.0" in shown  # the expected outcome on the only goal
    assert "Do up my coat" in shown


def test_a_participants_session_feedback_names_nobody_and_goes_back_to_the_group(
    team: Team, clinician: User
) -> None:
    from django.core import mail

    from sapling.core.outbox import send_due

    run: Run = run_with_sessions(1, first_in_days=-2, programme__team=team)
    place = EnrolmentFactory.create(run=run, participant_name="Gwen Davies")
    AttendanceFactory.create(enrolment=place, session=run.sessions.get())
    admin.schedule_measures(NOW)
    send_due(NOW)
    message = next(m for m in mail.outbox if m.to == [place.participant_email])
    assert message.subject == "How was the session? One question"
    measure = Administration.objects.get(time_point="session")
    client = logged_in(clinician)
    page = client.get(reverse("outcomes:enter_paper_response", args=[measure.pk]))
    assert "Gwen Davies" in page.content.decode()  # staff see who it is from
    saved = client.post(reverse("outcomes:enter_paper_response", args=[measure.pk]), {"q0": "5"})
    assert saved["Location"] == reverse("outcomes:show_run_outcomes", args=[run.pk])
    shown = client.get(saved["Location"]).content.decode()
    assert "100%" in shown  # helpful or very helpful
