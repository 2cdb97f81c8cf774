"""The demo service's outcome and experience measures.

Built on the specialist episodes and groups the other demo features made:
- Every goal set in an episode is scaled for Goal Attainment Scaling (baseline -1 or -2);
  episodes open for more than six weeks were rated at a review, and the discharged one at
  discharge, so the child's record shows T-scores moving.
- Each open episode has family confidence planned at its review.
- The rules `sapling send-due` applies then make the measures due (family confidence at
  discharge, session feedback after each group session attended, experience at the end
  of a finished run); most were answered through their secure links a day later, a few
  on paper, and the rest are still to be sent, so `sapling send-due` has work to show.
Everything goes through the outcomes domain functions.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from sapling.accounts.models import Team
from sapling.care.models import Episode, EpisodeStatus, Goal
from sapling.core.models import OutboxMessage, SecureLink
from sapling.core.tokens import issue_link
from sapling.demo.flow import Cast
from sapling.outcomes import administration as admin
from sapling.outcomes import gas, schedule
from sapling.outcomes.instruments import FAMILY_CONFIDENCE, load_shipped, shipped_version
from sapling.outcomes.models import (
    Administration,
    AdministrationStatus,
    GasGoal,
    GasRating,
    MeasurePlan,
    Response,
    TimePoint,
)

LONDON = ZoneInfo("Europe/London")
ANSWER_SHARE = 0.8
PAPER_SHARE = 0.1
LEVELS = [
    "Cannot do it yet, even with help",
    "Does it with a lot of help",
    "Does it with a little help or a reminder",
    "Does it alone most days",
    "Does it alone every day and in new places",
]
COMMENTS = [
    "Really useful, thank you.",
    "Good to hear other parents have the same worries.",
    "Could the session be a bit longer?",
    "The ideas for mornings have helped already.",
    "Diolch yn fawr!",
]


def _scale_goals(team: Team, cast: Cast, rng: random.Random, today: dt.date) -> None:
    goals = Goal.objects.filter(episode__team=team).select_related("episode__child")
    for goal in goals.order_by("pk"):
        episode = goal.episode
        gas.add_goal(
            team=team,
            child=episode.child,
            goal_text=goal.text,
            levels=LEVELS,
            weight=rng.choice([1, 1, 1, 2]),
            baseline=rng.choice([-1, -1, -2]),
            set_on=goal.set_on,
            by=episode.lead_clinician,
            care_goal=goal,
        )
    for episode in Episode.objects.filter(team=team).order_by("pk"):
        goals_here = gas.open_goals(episode.child, episode)
        if not goals_here:
            continue
        if episode.status == EpisodeStatus.DISCHARGED and episode.discharged_on:
            point, day, spread = TimePoint.DISCHARGE, episode.discharged_on, [0, 0, 1, 1, 2]
        elif (today - episode.opened_on).days > 42:
            point, day, spread = TimePoint.REVIEW, today - dt.timedelta(days=3), [-1, 0, 0, 1]
        else:
            continue
        gas.rate_goals(
            child=episode.child,
            episode=episode,
            ratings={g.pk: rng.choice(spread) for g in goals_here},
            time_point=point,
            rated_on=day,
            by=episode.lead_clinician,
        )


def _plan_reviews(team: Team, cast: Cast) -> None:
    version = shipped_version(FAMILY_CONFIDENCE)
    for episode in Episode.objects.filter(team=team, status=EpisodeStatus.OPEN).order_by("pk"):
        schedule.plan_measure(
            team=team,
            version=version,
            time_point=TimePoint.REVIEW,
            respondent="parent",
            by=episode.lead_clinician,
            episode=episode,
        )


def _answers(measure: Administration, rng: random.Random) -> dict[str, object]:
    name = measure.instrument_version.instrument.name
    if measure.time_point == TimePoint.SESSION:
        found: dict[str, object] = {"rating": rng.choice(["5", "5", "4", "4", "3"])}
        if rng.random() < 0.3:
            found["comment"] = rng.choice(COMMENTS)
        return found
    if name == FAMILY_CONFIDENCE:
        # The reference case: every family extremely or somewhat confident.
        return {"confidence": rng.choice(["extremely", "extremely", "somewhat"])}
    return {"experience": rng.choice(["1", "1", "2", "3"])}


def _answer(measure: Administration, rng: random.Random, cast: Cast) -> None:
    day = measure.due_on + dt.timedelta(days=1)
    when = dt.datetime.combine(day, dt.time(19, rng.randrange(60)), tzinfo=LONDON)
    when = min(when, timezone.now())
    Administration.objects.filter(pk=measure.pk).update(
        status=AdministrationStatus.SENT, sent_at=when - dt.timedelta(hours=20)
    )
    measure.refresh_from_db()
    if (measure.carer is None and not measure.recipient_email) or rng.random() < PAPER_SHARE:
        admin.enter_paper_response(
            administration=measure, answers=_answers(measure, rng), language="en", by=cast.lead
        )
        return
    link, _token = issue_link(
        purpose=admin.PURPOSE,
        target=measure,
        carer=measure.carer,
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    language = measure.carer.preferred_language if measure.carer else "en"
    admin.submit_answers(
        link=link,
        answers=_answers(measure, rng),
        language=admin.language_for(measure.instrument_version, language),
        now=when,
    )


def load(*, team: Team, cast: Cast, rng: random.Random, today: dt.date) -> None:
    load_shipped()
    _scale_goals(team, cast, rng, today)
    _plan_reviews(team, cast)
    schedule.schedule_due_measures(timezone.now())
    due = Administration.objects.filter(
        team=team, status=AdministrationStatus.SCHEDULED, due_on__lt=today
    ).select_related("carer", "instrument_version__instrument")
    for measure in due.order_by("due_on", "pk"):
        if not (measure.carer and not measure.carer.may_be_contacted) and (
            rng.random() < ANSWER_SHARE
        ):
            _answer(measure, rng, cast)


def delete(team: Team) -> None:
    """Everything above, with the links, messages and audit trail that point at it."""
    from django.contrib.contenttypes.models import ContentType

    from sapling.demo.service import _delete_audit_entries

    measures = Administration.objects.filter(team=team)
    kind = ContentType.objects.get_for_model(Administration)
    OutboxMessage.objects.filter(
        Q(link_target_type=kind, link_target_id__in=measures.values("pk"))
        | Q(team=team, template__startswith="outcomes.")
    ).delete()
    SecureLink.objects.filter(target_type=kind, target_id__in=measures.values("pk")).delete()
    for model, records in [
        (Response, Response.objects.filter(administration__team=team)),
        (Administration, measures),
        (GasRating, GasRating.objects.filter(goal__team=team)),
        (GasGoal, GasGoal.objects.filter(team=team)),
    ]:
        _delete_audit_entries(model, records)
        records.delete()
    MeasurePlan.objects.filter(team=team).delete()
