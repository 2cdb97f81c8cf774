"""Goal Attainment Scaling: goals scaled -2..+2 at baseline, rated at review and discharge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sapling.accounts.models import Team, User
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
) -> GasGoal:
    """Scale a goal: what -2, -1, 0, +1 and +2 look like for this child."""
    if child.team_id != team.pk:
        raise IllegalMove(_("That child is not on this team's books"))
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
) -> list[GasRating]:
    """Rate each of the child's open goals at a review or at discharge, all at once."""
    if time_point not in RATED_AT:
        raise IllegalMove(_("Goals are rated at a review, at discharge or at follow-up"))
    goals = {g.pk: g for g in GasGoal.objects.filter(child=child, closed_on__isnull=True)}
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
