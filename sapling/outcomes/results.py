"""What the measures say: scores and change from baseline, completion, experience."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from sapling.accounts.models import Team
from sapling.outcomes.models import (
    Administration,
    AdministrationStatus,
    InstrumentKind,
    Response,
    TimePoint,
)
from sapling.outcomes.scoring import Share, mean, positive_share

BASELINES = {TimePoint.BASELINE, TimePoint.RUN_START}


@dataclass(frozen=True)
class ScoreLine:
    """One score of one instrument for one child: each response's value and the change."""

    instrument: str
    label: str
    higher_is_better: bool
    points: list[tuple[Response, float | None]]
    baseline: float | None
    latest: float | None

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.latest is None or len(self.points) < 2:
            return None
        return round(self.latest - self.baseline, 2)


def score_lines(responses: Iterable[Response]) -> list[ScoreLine]:
    """Per instrument and score, oldest first; baseline is the first baseline-time response
    (or the first response if none was taken at baseline)."""
    by_instrument: dict[str, list[Response]] = {}
    for response in sorted(responses, key=lambda r: r.submitted_at):
        by_instrument.setdefault(response.instrument_version.instrument.title, []).append(response)
    lines = []
    for title, found in by_instrument.items():
        for rule in found[-1].instrument_version.scoring.get("scores", []):
            points = [(r, r.scores.get(rule["key"])) for r in found]
            at_baseline = [v for r, v in points if r.administration.time_point in BASELINES]
            baseline = at_baseline[0] if at_baseline else points[0][1]
            lines.append(
                ScoreLine(
                    title,
                    rule["label"],
                    bool(rule.get("higher_is_better", True)),
                    points,
                    baseline,
                    points[-1][1],
                )
            )
    return lines


@dataclass(frozen=True)
class Completion:
    instrument: str
    time_point: str
    sent: int
    completed: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.completed / self.sent) if self.sent else None


def completion_rates(administrations: QuerySet[Administration]) -> list[Completion]:
    """Of the measures that went out (or were due on paper), how many came back."""
    rows = (
        administrations.exclude(status=AdministrationStatus.CANCELLED)
        .exclude(status=AdministrationStatus.SCHEDULED, carer__isnull=False)
        .exclude(status=AdministrationStatus.SCHEDULED, recipient_email__gt="")
        .values("instrument_version__instrument__title", "time_point")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=AdministrationStatus.COMPLETED)),
        )
        .order_by("instrument_version__instrument__title", "time_point")
    )
    return [
        Completion(
            r["instrument_version__instrument__title"],
            str(TimePoint(r["time_point"]).label),
            r["total"],
            r["done"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Experience:
    instrument: str
    label: str
    share: Share


def experience(responses: QuerySet[Response]) -> list[Experience]:
    """Each experience measure's headline share (FFT % positive, confidence %)."""
    found: dict[int, tuple[Any, list[dict[str, Any]]]] = {}
    kinds = [InstrumentKind.PREM, InstrumentKind.SESSION_FEEDBACK]
    for response in responses.filter(instrument_version__instrument__kind__in=kinds).select_related(
        "instrument_version__instrument"
    ):
        version = response.instrument_version
        entry = found.setdefault(version.instrument_id, (version, []))
        entry[1].append(response.answers)
    results = []
    for version, answer_sets in found.values():
        rule = version.scoring.get("positive")
        if rule:
            results.append(
                Experience(
                    version.instrument.title,
                    rule["label"],
                    positive_share(version.scoring, answer_sets),
                )
            )
    return sorted(results, key=lambda e: e.instrument)


def team_responses(team: Team) -> QuerySet[Response]:
    return Response.objects.filter(administration__team=team)


@dataclass(frozen=True)
class SessionFeedback:
    """What a session's participants said: how many answered, the mean rating, comments."""

    session: Any
    answers: int
    mean_rating: float | None
    share: Share
    comments: list[str]


def session_feedback(run: Any) -> list[SessionFeedback]:
    """Per session of a group run, for its facilitators (comments without names)."""
    found = []
    responses = Response.objects.filter(
        administration__run=run, administration__session__isnull=False
    )
    by_session: dict[int, list[Response]] = {}
    for response in responses.select_related("instrument_version"):
        by_session.setdefault(response.administration.session_id or 0, []).append(response)
    for session in run.sessions.all():
        given = by_session.get(session.pk, [])
        ratings = [r.scores.get("rating") for r in given]
        scoring = given[0].instrument_version.scoring if given else {}
        found.append(
            SessionFeedback(
                session,
                len(given),
                mean(ratings),
                positive_share(scoring, [r.answers for r in given]),
                [str(r.answers["comment"]) for r in given if r.answers.get("comment")],
            )
        )
    return found


def by_programme(team: Team) -> list[tuple[str, list[Experience]]]:
    """Experience results per programme of training and groups."""
    from sapling.groups.models import Programme

    rows = []
    for programme in Programme.objects.filter(team=team).order_by("name"):
        found = experience(
            team_responses(team).filter(
                administration__run__programme=programme, administration__session__isnull=True
            )
        )
        if found:
            rows.append((programme.name, found))
    return rows
