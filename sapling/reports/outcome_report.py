"""Outcomes and experience by tier and programme: measure completion, GAS T-score change,
family confidence and the Friends and Family Test (docs/metrics.md, "Outcomes and
experience").

Each figure is one grouped query; rows are then added up in Python into "All", each tier,
and each programme under its tier.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from sapling.accounts.models import Team
from sapling.groups.models import Enrolment, Programme
from sapling.outcomes.instruments import FAMILY_CONFIDENCE, FRIENDS_AND_FAMILY_TEST
from sapling.outcomes.models import (
    Administration,
    AdministrationStatus,
    GasRating,
    InstrumentVersion,
    Response,
)
from sapling.outcomes.scoring import gas_t_score
from sapling.reports.filters import Comparable, Filters, PeriodFigure
from sapling.reports.group_report import period_bounds
from sapling.reports.memo import memoised
from sapling.reports.metrics import percent
from sapling.reports.tables import ChartSpec, Column, Section, Table
from sapling.triage.models import Tier

# What a figure is about: its tier ("" if neither an episode nor a run) and programme.
Key = tuple[str, int | None]


def _tier(prefix: str) -> Case:
    """An episode is specialist care; a run is its programme's tier."""
    return Case(
        When(**{f"{prefix}episode__isnull": False}, then=Value(Tier.SPECIALIST.value)),
        When(**{f"{prefix}run__isnull": False}, then=F(f"{prefix}run__programme__tier")),
        default=Value(""),
        output_field=CharField(),
    )


def _scoped(found: QuerySet[Any], filters: Filters, *, prefix: str) -> QuerySet[Any]:
    """Tier, programme and locality filters; `prefix` reaches the administration. A group
    participant with no child record has no locality."""
    found = found.annotate(tier=_tier(prefix), programme=F(f"{prefix}run__programme_id"))
    if filters.tier is not None:
        found = found.filter(tier=filters.tier)
    if filters.programme_id is not None:
        found = found.filter(programme=filters.programme_id)
    if filters.locality_id is not None:
        found = found.filter(child_locality_id=filters.locality_id)
    return found


def _gas_scoped(ratings: QuerySet[GasRating], filters: Filters) -> QuerySet[GasRating]:
    """Tier, programme and locality filters on GAS ratings, by their goal's."""
    # A GAS goal names its episode, or the targeted group place (enrolment) it is for. A
    # place's programme is looked up for goals with a place alone: joining every goal to
    # the enrolments made PostgreSQL hash the whole enrolment table (about 40 ms on the
    # benchmark, whose goals are all specialist).
    place = Enrolment.objects.filter(pk=OuterRef("goal__enrolment_id")).order_by()
    has_place = Q(goal__enrolment__isnull=False)
    found = ratings.annotate(
        tier=Case(
            When(goal__episode__isnull=False, then=Value(Tier.SPECIALIST.value)),
            When(has_place, then=Subquery(place.values("run__programme__tier"))),
            default=Value(""),
            output_field=CharField(),
        ),
        programme=Case(When(has_place, then=Subquery(place.values("run__programme_id")))),
    )
    if filters.tier is not None:
        found = found.filter(tier=filters.tier)
    if filters.programme_id is not None:
        found = found.filter(programme=filters.programme_id)
    if filters.locality_id is not None:
        found = found.filter(child_locality_id=filters.locality_id)
    return found


# --- Measure completion -------------------------------------------------------------------


@memoised
def completion_counts(team: Team, filters: Filters) -> dict[Key, tuple[int, int]]:
    """(owed, completed) per key, for administrations due in the period.

    Owed is what results.completion_rates counts: not cancelled, and not still scheduled
    to go to someone (a measure due on paper, with no recipient, is owed from its due date).
    """
    owed = (
        Administration.objects.for_team(team)
        .filter(due_on__gte=filters.date_from, due_on__lte=filters.date_to)
        .exclude(status=AdministrationStatus.CANCELLED)
        .exclude(status=AdministrationStatus.SCHEDULED, carer__isnull=False)
        .exclude(status=AdministrationStatus.SCHEDULED, recipient_email__gt="")
    )
    rows = (
        _scoped(owed, filters, prefix="")
        .values("tier", "programme")
        .annotate(
            owed=Count("pk"), done=Count("pk", filter=Q(status=AdministrationStatus.COMPLETED))
        )
        .order_by()
    )
    return {(row["tier"], row["programme"]): (row["owed"], row["done"]) for row in rows}


# --- GAS ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GasChange:
    """One child's goal set (an episode, or a targeted group place) rated in the period."""

    key: Key
    goals: int
    achieved: int  # goals whose latest rating is 0 (as expected) or better
    baseline: float
    latest: float

    @property
    def change(self) -> float:
        return self.latest - self.baseline


# A goal set: one episode's goals, one place's, or (linked to neither) one child's.
Unit = tuple[str, int]


def ratings_in_period(team: Team, filters: Filters) -> QuerySet[Any]:
    """The period's ratings of the team's GAS goals, oldest first (by day, then as
    recorded), each with its goal's tier and programme."""
    rated = GasRating.objects.filter(
        goal__team=team, rated_on__gte=filters.date_from, rated_on__lte=filters.date_to
    )
    return _gas_scoped(rated, filters).order_by("rated_on", "pk")


def goals_achieved(team: Team, filters: Filters) -> int:
    """Goals whose latest rating in the period is 0 (as expected) or better, added up from
    the goal sets (which the GAS table reads anyway)."""
    return sum(change.achieved for change in gas_changes(team, filters))


@memoised
def gas_changes(team: Team, filters: Filters) -> list[GasChange]:
    """Per goal set, the T-score at baseline and at each goal's latest rating in the period.

    Goals rated in the period count, at their latest rating in it; the baseline T-score is
    over the same goals, at the levels recorded when they were set, with the same weights.
    """
    ratings = ratings_in_period(team, filters).values_list(
        "goal_id",
        "goal__episode_id",
        "goal__enrolment_id",
        "goal__child_id",
        "tier",
        "programme",
        "goal__baseline",
        "goal__weight",
        "attainment",
    )
    # Oldest first, so each goal is left at its latest rating. (Reading the ratings once
    # is cheaper than asking for each goal's latest one: a subquery per goal.)
    goals = {rating[0]: rating[1:] for rating in ratings}
    keys: dict[Unit, Key] = {}
    # Each set's (baseline, weight, level) per goal, as tuples rather than lists: tuples of
    # numbers drop out of the garbage collector's watch, while tens of thousands of lists
    # brought on a full collection here on most dashboard loads (60-100 ms on the benchmark).
    levels: dict[Unit, tuple[tuple[int, int, int], ...]] = {}
    for episode, enrolment, child, tier, programme, baseline, weight, level in goals.values():
        unit = (
            ("episode", episode)
            if episode
            else ("place", enrolment)
            if enrolment
            else ("child", child)
        )
        keys.setdefault(unit, (tier, programme))
        levels[unit] = (*levels.get(unit, ()), (baseline, weight, level))
    changes = []
    for unit, goal_levels in levels.items():
        goals_in_set, achieved, baseline_score, latest_score = _goal_set_figures(goal_levels)
        changes.append(GasChange(keys[unit], goals_in_set, achieved, baseline_score, latest_score))
    return changes


@lru_cache(maxsize=4096)
def _goal_set_figures(goals: tuple[tuple[int, int, int], ...]) -> tuple[int, int, float, float]:
    """A goal set's goals, goals achieved, and T-scores at baseline and at the latest
    ratings, from each goal's (baseline, weight, latest level)."""
    # Goal sets repeat the same few levels and weights, so each one's figures are worked
    # out once (and a large team has tens of thousands of sets).
    baselines, weights, latest = zip(*goals, strict=True)
    achieved = sum(level >= 0 for level in latest)
    return len(latest), achieved, gas_t_score(baselines, weights), gas_t_score(latest, weights)


# --- Family confidence and the Friends and Family Test -----------------------------------


# The experience measures the dashboard shows.
EXPERIENCE = (FAMILY_CONFIDENCE, FRIENDS_AND_FAMILY_TEST)


def positive_counts(team: Team, filters: Filters, instrument: str) -> dict[Key, tuple[int, int]]:
    """(answers, positive) per key, over responses submitted in the period to `instrument`
    (one of EXPERIENCE).

    Positive is the instrument's own headline rule (scoring "positive": its item and codes),
    counted as outcomes.scoring.positive_share counts it: every answer to the item, "Don't
    know" included, is in the total; a response that skipped the item is not.
    """
    return _experience_counts(team, filters)[instrument]


@memoised
def _experience_counts(team: Team, filters: Filters) -> dict[str, dict[Key, tuple[int, int]]]:
    """positive_counts for each EXPERIENCE instrument, from one grouped query: the team's
    administrations are read once for all of them."""
    rules = {
        pk: (name, scoring["positive"])
        for pk, name, scoring in InstrumentVersion.objects.filter(
            instrument__name__in=EXPERIENCE
        ).values_list("pk", "instrument__name", "scoring")
        if scoring.get("positive")
    }
    counts: dict[str, dict[Key, list[int]]] = {
        name: defaultdict(lambda: [0, 0]) for name in EXPERIENCE
    }
    for row in _answers(team, filters, rules):
        if row["answer"] in (None, ""):  # skipped the item
            continue
        name, rule = rules[row["instrument_version_id"]]
        codes = {str(code) for code in rule["codes"]}
        totals = counts[name][(row["tier"], row["programme"])]
        totals[0] += row["n"]
        totals[1] += row["n"] if row["answer"] in codes else 0
    return {
        name: {key: (total, positive) for key, (total, positive) in found.items()}
        for name, found in counts.items()
    }


def _answers(
    team: Team, filters: Filters, rules: dict[int, tuple[str, dict[str, Any]]]
) -> QuerySet[Any]:
    """The period's responses to the versions in `rules`, counted by version, key and
    `answer`: each version's answer to its rule's item."""
    items: dict[str, list[int]] = defaultdict(list)
    for pk, (_name, rule) in rules.items():
        items[rule["item"]].append(pk)
    if not items:
        return Response.objects.none()
    start, end = period_bounds(filters)
    responses = Response.objects.filter(
        administration__team=team,
        submitted_at__gte=start,
        submitted_at__lt=end,
        instrument_version__in=list(rules),
    )
    answer = Case(
        *(
            When(instrument_version__in=pks, then=KT(f"answers__{item}"))
            for item, pks in items.items()
        )
    )
    return (
        _scoped(responses, filters, prefix="administration__")
        .annotate(answer=answer)
        .values("instrument_version_id", "tier", "programme", "answer")
        .annotate(n=Count("pk"))
        .order_by()
    )


# --- Rows by tier and programme -----------------------------------------------------------

_TIER_ORDER = (Tier.UNIVERSAL, Tier.TARGETED, Tier.SPECIALIST)


@dataclass(frozen=True)
class Group:
    """A row of a breakdown: everything, one tier, or one programme."""

    label: str
    tier: str
    keys: frozenset[Key]


def breakdown(keys: Iterable[Key], names: dict[int, str]) -> list[Group]:
    """All, then each tier with its programmes beneath, then anything in no tier."""
    keys = set(keys)
    groups = [Group(_("All"), "", frozenset(keys))]
    for tier in _TIER_ORDER:
        in_tier = {key for key in keys if key[0] == tier}
        if not in_tier:
            continue
        groups.append(Group(str(tier.label), str(tier.label), frozenset(in_tier)))
        programmes = sorted(
            (key for key in in_tier if key[1] is not None), key=lambda k: names.get(k[1] or 0, "")
        )
        for key in programmes:
            groups.append(Group(names.get(key[1] or 0, ""), str(tier.label), frozenset([key])))
    other = {key for key in keys if key[0] not in _TIER_ORDER}
    if other:
        groups.append(Group(_("Not linked to care or a group"), "", frozenset(other)))
    return groups


def _programme_names(keys: Iterable[Key]) -> dict[int, str]:
    ids = {key[1] for key in keys if key[1] is not None}
    return dict(Programme.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def _sum(counts: dict[Key, tuple[int, int]], keys: Iterable[Key]) -> tuple[int, int]:
    found = [counts[key] for key in keys if key in counts]
    return sum(a for a, _b in found), sum(b for _a, b in found)


def _mean(values: list[float]) -> Decimal | None:
    if not values:
        return None
    return Decimal(str(sum(values) / len(values))).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _shown(value: Decimal | None, unit: str = "%") -> str:
    return _("no figure") if value is None else f"{value}{unit}"


def _filters_note() -> str:
    return _(
        "Tier: specialist care for measures about an episode, the programme's tier for a "
        "group run. The locality filter uses the child's locality, so group participants "
        "with no child record are left out when it is set."
    )


def completion_table(team: Team, filters: Filters) -> Table:
    counts = completion_counts(team, filters)
    names = _programme_names(counts)
    rows = []
    for group in breakdown(counts, names):
        owed, done = _sum(counts, group.keys)
        rows.append((group.label, group.tier, owed, done, percent(done, owed)))
    owed, done = _sum(counts, counts)
    summary = (
        _("%(done)s of %(owed)s measures due in the period were completed (%(percent)s).")
        % {"done": done, "owed": owed, "percent": _shown(percent(done, owed))}
        if owed
        else _("No measures were due in the period.")
    )
    return Table(
        slug="measure-completion",
        title=_("Outcome measure completion"),
        columns=(
            Column("group", _("Tier or programme"), "text"),
            Column("tier", _("Tier"), "text"),
            Column("owed", _("Measures due")),
            Column("completed", _("Completed")),
            Column("completion", _("Completion (%)"), "percent"),
        ),
        rows=tuple(rows),
        summary=summary,
        chart=ChartSpec("bar", "group", ("completion",), y_title="%"),
        notes=" ".join(
            [
                _(
                    "Measures due in the period (by due date) that were sent, or due on paper, "
                    "and not cancelled; completed ÷ due. Measures still waiting to be sent are "
                    "not counted."
                ),
                _filters_note(),
            ]
        ),
    )


def gas_table(team: Team, filters: Filters) -> Table:
    changes = gas_changes(team, filters)
    keys = {change.key for change in changes}
    rows = []
    for group in breakdown(keys, _programme_names(keys)):
        found = [change for change in changes if change.key in group.keys]
        goals = sum(change.goals for change in found)
        achieved = sum(change.achieved for change in found)
        rows.append(
            (
                group.label,
                group.tier,
                len(found),
                goals,
                achieved,
                percent(achieved, goals),
                _mean([change.baseline for change in found]),
                _mean([change.latest for change in found]),
                _mean([change.change for change in found]),
            )
        )
    mean_change = _mean([change.change for change in changes])
    summary = (
        _(
            "Across %(sets)s children's goal sets rated in the period, the GAS T-score changed "
            "by %(change)s points on average from baseline."
        )
        % {"sets": len(changes), "change": _shown(mean_change, "")}
        if changes
        else _("No GAS goals were rated in the period.")
    )
    return Table(
        slug="gas-change",
        title=_("Goal Attainment Scaling: T-score change"),
        columns=(
            Column("group", _("Tier or programme"), "text"),
            Column("tier", _("Tier"), "text"),
            Column("sets", _("Goal sets")),
            Column("goals", _("Goals")),
            Column("achieved", _("Goals achieved")),
            Column("achieved_share", _("Goals achieved (%)"), "percent"),
            Column("baseline", _("Mean T-score at baseline"), "rate"),
            Column("latest", _("Mean T-score at latest rating"), "rate"),
            Column("change", _("Mean change"), "rate"),
        ),
        rows=tuple(rows),
        summary=summary,
        chart=ChartSpec("bar", "group", ("baseline", "latest"), y_title=_("T-score")),
        notes=" ".join(
            [
                _(
                    "A goal set is one specialist episode's goals, or one targeted group "
                    "place's. Goals rated in the period count, at their latest rating in it. "
                    "T-scores are Kiresuk and Sherman's (rho 0.3, the goals' weights): "
                    "baseline over the levels recorded when the goals were set, latest over the "
                    "latest ratings; change = latest minus baseline, averaged over goal sets. 50 "
                    "means every goal met as expected. Achieved: latest rating 0 or better."
                ),
                _filters_note(),
            ]
        ),
    )


def experience_table(team: Team, filters: Filters) -> Table:
    counts = _experience_counts(team, filters)
    confidence, fft = counts[FAMILY_CONFIDENCE], counts[FRIENDS_AND_FAMILY_TEST]
    keys = set(confidence) | set(fft)
    rows = []
    for group in breakdown(keys, _programme_names(keys)):
        confidence_answers, confident = _sum(confidence, group.keys)
        fft_answers, fft_positive = _sum(fft, group.keys)
        rows.append(
            (
                group.label,
                group.tier,
                confidence_answers,
                confident,
                percent(confident, confidence_answers),
                fft_answers,
                fft_positive,
                percent(fft_positive, fft_answers),
            )
        )
    answers, confident = _sum(confidence, confidence)
    fft_answers, fft_positive = _sum(fft, fft)
    parts = []
    if answers:
        parts.append(
            _(
                "Family confidence: %(confident)s of %(answers)s (%(percent)s) extremely or "
                "somewhat confident."
            )
            % {
                "confident": confident,
                "answers": answers,
                "percent": _shown(percent(confident, answers)),
            }
        )
    if fft_answers:
        parts.append(
            _(
                "Friends and Family Test: %(positive)s of %(answers)s responses (%(percent)s) "
                "very good or good."
            )
            % {
                "positive": fft_positive,
                "answers": fft_answers,
                "percent": _shown(percent(fft_positive, fft_answers)),
            }
        )
    summary = " ".join(parts) or _(
        "No family confidence or Friends and Family Test responses were submitted in the period."
    )
    return Table(
        slug="experience",
        title=_("Family confidence and the Friends and Family Test"),
        columns=(
            Column("group", _("Tier or programme"), "text"),
            Column("tier", _("Tier"), "text"),
            Column("confidence_answers", _("Confidence answers")),
            Column("confident", _("Extremely or somewhat confident")),
            Column("confident_share", _("Confident (%)"), "percent"),
            Column("fft_answers", _("FFT responses")),
            Column("fft_positive", _("FFT very good or good")),
            Column("fft_share", _("FFT positive (%)"), "percent"),
        ),
        rows=tuple(rows),
        summary=summary,
        chart=ChartSpec("bar", "group", ("confident_share", "fft_share"), y_title="%"),
        notes=" ".join(
            [
                _(
                    "Responses submitted in the period. Family confidence: answers "
                    "'extremely' or 'somewhat confident' ÷ all answers to the question. FFT "
                    "positive: 'very good' or 'good' ÷ all responses to the question, "
                    "'don't know' included, as NHS England calculates the Friends and Family "
                    "Test percentage positive."
                ),
                _filters_note(),
            ]
        ),
    )


def section(team: Team, filters: Filters, *, today: dt.date) -> Section:
    return Section(
        slug="outcomes",
        title=_("Outcomes and experience"),
        tables=(
            completion_table(team, filters),
            gas_table(team, filters),
            experience_table(team, filters),
        ),
    )


def _share(instrument: str) -> Callable[[Team, Filters], PeriodFigure]:
    def measure(team: Team, filters: Filters) -> PeriodFigure:
        counts = positive_counts(team, filters, instrument)
        answers, positive = _sum(counts, counts)
        return PeriodFigure(percent(positive, answers), answers)

    return measure


def _gas_change(team: Team, filters: Filters) -> PeriodFigure:
    changes = gas_changes(team, filters)
    return PeriodFigure(_mean([change.change for change in changes]), len(changes))


def comparables() -> list[Comparable]:
    return [
        Comparable("fft-positive", _("FFT % positive"), "%", _share(FRIENDS_AND_FAMILY_TEST)),
        Comparable("family-confidence", _("Family confidence %"), "%", _share(FAMILY_CONFIDENCE)),
        Comparable("gas-change", _("Mean GAS T-score change"), _("T-score points"), _gas_change),
    ]
