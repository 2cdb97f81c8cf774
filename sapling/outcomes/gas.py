"""Goal Attainment Scaling: goals scaled -2..+2 at baseline, rated at review and discharge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sapling.accounts.models import Team, User
from sapling.care.models import Episode, Goal
from sapling.children.models import Child
from sapling.core.lifecycle import IllegalMove
from sapling.outcomes.models import GasGoal, GasRating, TimePoint
from sapling.outcomes.scoring import gas_t_score

LEVELS = ("much_less", "less", "expected", "more", "much_more")
RATED_AT = (TimePoint.REVIEW, TimePoint.DISCHARGE, TimePoint.FOLLOW_UP)


@transaction.atomic
def add_goal(
    *,
    team: Team,
    child: Child,
    goal_text: str,
    levels: Sequence[str],
    weight: int,
    baseline: int,
    set_on: dt.date,
    by: User,
    care_goal: Goal | None = None,
) -> GasGoal:
    """Scale a goal: what -2, -1, 0, +1 and +2 look like for this child.

    With `care_goal`, the specialist episode's goal is scaled: its words are the goal's.
    """
    if child.team_id != team.pk:
        raise IllegalMove(_("That child is not on this team's books"))
    if care_goal is not None:
        if care_goal.episode.child_id != child.pk:
            raise IllegalMove(_("That goal is another child's"))
        if GasGoal.objects.filter(goal=care_goal).exists():
            raise IllegalMove(_("This goal has been scaled already"))
        goal_text = care_goal.text
    if len(levels) != len(LEVELS) or any(not text.strip() for text in levels):
        raise IllegalMove(_("Describe all five levels, from -2 to +2"))
    if len({text.strip().lower() for text in levels}) != len(LEVELS):
        raise IllegalMove(_("Each level needs a different description"))
    if baseline not in (-2, -1, 0):
        raise IllegalMove(_("The baseline level must be -2, -1 or 0"))
    return GasGoal.objects.create(
        team=team,
        child=child,
        goal_text=goal_text,
        weight=weight,
        baseline=baseline,
        set_on=set_on,
        set_by=by,
        updated_by=by,
        goal=care_goal,
        episode=care_goal.episode if care_goal is not None else None,
        **dict(zip(LEVELS, (text.strip() for text in levels), strict=True)),
    )


@transaction.atomic
def rate_goals(
    *,
    child: Child,
    ratings: dict[int, int],
    time_point: str,
    rated_on: dt.date,
    by: User,
    episode: Episode | None = None,
) -> list[GasRating]:
    """Rate each of the child's open goals (of one episode, if given) all at once."""
    if time_point not in RATED_AT:
        raise IllegalMove(_("Goals are rated at a review, at discharge or at follow-up"))
    goals = {g.pk: g for g in open_goals(child, episode)}
    if not goals:
        raise IllegalMove(_("This child has no goals to rate"))
    if set(ratings) != set(goals):
        raise IllegalMove(_("Rate every goal"))
    if any(level not in (-2, -1, 0, 1, 2) for level in ratings.values()):
        raise IllegalMove(_("Each rating must be from -2 to +2"))
    try:
        with transaction.atomic():
            return [
                GasRating.objects.create(
                    goal=goals[pk],
                    time_point=time_point,
                    attainment=level,
                    rated_on=rated_on,
                    rated_by=by,
                )
                for pk, level in sorted(ratings.items())
            ]
    except IntegrityError as error:
        raise IllegalMove(
            _("These goals were already rated at this time point on %(date)s")
            % {"date": f"{rated_on:%-d %B %Y}"}
        ) from error


def open_goals(child: Child, episode: Episode | None = None) -> list[GasGoal]:
    found = GasGoal.objects.filter(child=child, closed_on__isnull=True)
    if episode is not None:
        found = found.filter(episode=episode)
    return list(found.prefetch_related("ratings"))


@dataclass(frozen=True)
class GasResult:
    label: str
    rated_on: dt.date | None
    goals: int
    t_score: float


def results(goals: Iterable[GasGoal]) -> list[GasResult]:
    """The T-score at baseline and at each rating occasion (goals rated that day)."""
    goals = list(goals)
    if not goals:
        return []
    found = [
        GasResult(
            str(TimePoint.BASELINE.label),
            min(g.set_on for g in goals),
            len(goals),
            round(gas_t_score([g.baseline for g in goals], [g.weight for g in goals]), 1),
        )
    ]
    occasions: dict[tuple[dt.date, str], list[tuple[int, int]]] = {}
    for goal in goals:
        for rating in goal.ratings.all():
            occasions.setdefault((rating.rated_on, rating.time_point), []).append(
                (rating.attainment, goal.weight)
            )
    for (day, point), pairs in sorted(occasions.items()):
        t_score = gas_t_score([a for a, _w in pairs], [w for _a, w in pairs])
        found.append(GasResult(str(TimePoint(point).label), day, len(pairs), round(t_score, 1)))
    return found
