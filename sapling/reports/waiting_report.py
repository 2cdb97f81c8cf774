"""Waiting: the list now, the list week by week, the longest waits, and waits at the clock
stop, per tier.

Every figure comes from sapling.reports.metrics over counts a GROUP BY produced: one pass
over the entries counts the list now per (tier, clock start) and the children seen per
(tier, days from clock start to clock stop); the weekly Snapshot rows give the trend.
docs/metrics.md ("Waiting over time") defines each figure and how it compares with the
national returns.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, DurationField, F, Q, QuerySet, When
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from sapling.accounts.models import Team
from sapling.reports.filters import Comparable, Filters, PeriodFigure
from sapling.reports.memo import memoised
from sapling.reports.metrics import (
    Target,
    WaitFigures,
    group_days_counts,
    snapshot_weeks,
    wait_figures,
    waited_at_least,
    weeks_figures,
)
from sapling.reports.tables import ChartSpec, Column, Section, Table
from sapling.triage.models import Tier
from sapling.waitlist.figures import TIER_ORDER
from sapling.waitlist.lifecycle import OPEN
from sapling.waitlist.models import Snapshot, WaitlistEntry, WaitlistEntryQuerySet

ALL = "all"
TierDays = list[tuple[str, int, int]]  # (tier, days waited, children)


def target_of(team: Team) -> Target:
    return Target(weeks=team.target_weeks, share=team.target_share)


def entries_for(team: Team, filters: Filters) -> WaitlistEntryQuerySet:
    """The team's waiting-list entries in the locality and tier filtered to (any status)."""
    found = WaitlistEntry.objects.for_team(team)
    if filters.locality_id is not None:
        found = found.filter(child_locality_id=filters.locality_id)
    if filters.tier:
        found = found.filter(tier=filters.tier)
    return found.order_by()


# On the list now: WaitlistEntryQuerySet.open(), as a condition one query can also count by.
ON_LIST = Q(status__in=OPEN)


def stopped_in(filters: Filters) -> Q:
    """Entries whose clock stopped in the period: the children first seen in it."""
    return Q(clock_stopped_on__gte=filters.date_from, clock_stopped_on__lte=filters.date_to)


# Children seen are counted by days waited (the ORM's portable date subtraction), not by
# start and stop dates: a year's clock stops are a thousand rows rather than twenty thousand.
DAYS_TO_STOP = F("clock_stopped_on") - F("clock_start")


def listed_and_seen_counts(
    entries: WaitlistEntryQuerySet, filters: Filters, *fields: str
) -> QuerySet[WaitlistEntry, tuple[Any, ...]]:
    """One pass over the entries on the list now and those whose clock stopped in the
    period (an entry can be both): rows of `fields`, the clock start (None if not on the
    list), the time waited to the clock stop (None if it did not stop in the period), and
    the number of entries. The waiting section counts them by tier, equity by the child's
    characteristics."""
    return (
        entries.filter(ON_LIST | stopped_in(filters))
        .annotate(
            listed_since=Case(When(ON_LIST, then=F("clock_start"))),
            waited_to_stop=Case(
                When(stopped_in(filters), then=DAYS_TO_STOP), output_field=DurationField()
            ),
        )
        .values_list(*fields, "listed_since", "waited_to_stop")
        .annotate(n=Count("pk"))
    )


def listed_and_seen(team: Team, filters: Filters, *, today: dt.date) -> tuple[TierDays, TierDays]:
    """(tier, days waited, n) for the children on the list now (days to today) and for those
    seen in the period (days to the clock stop): one pass over the entries for both."""
    rows = listed_and_seen_counts(entries_for(team, filters), filters, "tier")
    listed: TierDays = []
    seen: TierDays = []
    for tier, start, waited, n in rows:
        if start is not None:
            listed.append((tier, (today - start).days, n))
        if waited is not None:
            seen.append((tier, waited.days, n))
    return listed, seen


@memoised
def seen_days(team: Team, filters: Filters) -> TierDays:
    """(tier, days waited to the clock stop, n) for children whose clock stopped in the
    period: one query (before/after asks for each window)."""
    rows = (
        entries_for(team, filters)
        .filter(stopped_in(filters))
        .annotate(waited=DAYS_TO_STOP)
        .values_list("tier", "waited")
        .annotate(n=Count("pk"))
    )
    return [(tier, waited.days, n) for tier, waited, n in rows]


def in_tier_order(grouped: dict[str, Counter[int]]) -> dict[str, Counter[int]]:
    """The counts per tier in the tiers' order, then all tiers together under ALL."""
    tiers = sorted(grouped, key=lambda tier: TIER_ORDER.get(tier, 99))
    everyone: Counter[int] = Counter()
    for counts in grouped.values():
        everyone.update(counts)
    return {**{tier: grouped[tier] for tier in tiers}, ALL: everyone}


def days_by_tier(rows: TierDays) -> dict[str, Counter[int]]:
    """{tier: {days: n}} in the tiers' order, then all tiers together under ALL."""
    return in_tier_order(group_days_counts(rows))


def per_tier(rows: TierDays, target: Target) -> dict[str, WaitFigures]:
    """Figures per tier in the tiers' order, then for all tiers together under ALL."""
    return {
        tier: wait_figures(counts, target=target) for tier, counts in days_by_tier(rows).items()
    }


def tier_label(tier: str) -> str:
    return _("All tiers") if tier == ALL else str(Tier(tier).label)


def _figure_columns(count_label: str, within_label: str) -> tuple[Column, ...]:
    return (
        Column("tier", _("Tier"), "text"),
        Column("children", count_label),
        Column("median_weeks", _("Median weeks"), "weeks"),
        Column("p92_weeks", _("92nd percentile weeks"), "weeks"),
        Column("within_target", within_label, "percent"),
    )


def _summary_values(overall: WaitFigures, team: Team) -> dict[str, object]:
    """The figures a waiting table's summary sentence names."""
    return {
        "n": overall.waiting,
        "median": overall.median_weeks,
        "p92": overall.p92_weeks,
        "within": overall.percent_within_target,
        "weeks": team.target_weeks,
    }


def _figure_row(tier: str, figures: WaitFigures) -> tuple[object, ...]:
    return (
        tier_label(tier),
        figures.waiting,
        figures.median_weeks,
        figures.p92_weeks,
        figures.percent_within_target,
    )


def _not_applying(filters: Filters, *, locality: bool = False, period: bool = False) -> str:
    """A sentence naming each filter set on the dashboard that this table cannot honour."""
    notes = []
    if period:
        notes.append(_("The date range does not apply: this is the list today."))
    if locality and filters.locality_id is not None:
        notes.append(
            _("The locality filter does not apply: weekly snapshots are kept by tier only.")
        )
    if filters.programme_id is not None:
        notes.append(_("The programme filter does not apply to waits."))
    return " ".join(notes)


def _join(*sentences: str) -> str:
    return " ".join(sentence for sentence in sentences if sentence)


def waiting_now(figures: dict[str, WaitFigures], team: Team, filters: Filters) -> Table:
    overall = figures[ALL]
    return Table(
        slug="waiting-now",
        title=_("Children waiting now"),
        columns=_figure_columns(
            _("Children waiting"),
            _("Within %(weeks)s weeks") % {"weeks": team.target_weeks},
        ),
        rows=tuple(_figure_row(tier, tier_figures) for tier, tier_figures in figures.items()),
        summary=_(
            "%(n)s children are waiting: median %(median)s weeks, 92nd percentile %(p92)s "
            "weeks; %(within)s%% have waited less than the %(weeks)s-week target."
        )
        % _summary_values(overall, team)
        if overall.waiting
        else _("No children are waiting."),
        chart=ChartSpec(
            "bar", x="tier", series=("median_weeks", "p92_weeks"), y_title=_("Weeks waited")
        ),
        notes=_join(
            _(
                "Children on the list today (waiting or allocated, not yet seen). Weeks are "
                "completed weeks since the clock started; percentiles are nearest rank."
            ),
            _not_applying(filters, period=True),
        ),
    )


def snapshot_rows(team: Team, filters: Filters) -> list[tuple[dt.date, str, dict[str, int]]]:
    """(week starting, tier, counts by completed weeks) for the weeks in the period: one query."""
    rows = Snapshot.objects.filter(
        team=team, week_starting__gte=filters.date_from, week_starting__lte=filters.date_to
    )
    if filters.tier:
        rows = rows.filter(tier=filters.tier)
    return list(
        rows.order_by("week_starting").values_list("week_starting", "tier", "counts_by_week")
    )


def weekly_figures(
    rows: Iterable[tuple[dt.date, str, dict[str, int]]], target: Target
) -> dict[dt.date, dict[str, WaitFigures]]:
    """{week: {tier or ALL: figures}} from snapshot rows (one per tier, pathway, priority)."""
    # Folded in completed weeks, as the snapshots count them: five years of weekly rows
    # need no detour through days.
    by_week: dict[dt.date, dict[str, Counter[int]]] = {}
    for week, tier, counts in rows:
        tiers = by_week.setdefault(week, {})
        tiers.setdefault(tier, Counter()).update(snapshot_weeks(counts))
    return {
        week: {
            tier: weeks_figures(weeks, target=target)
            for tier, weeks in in_tier_order(tiers).items()
        }
        for week, tiers in sorted(by_week.items())
    }


def waiting_over_time(team: Team, filters: Filters) -> Table:
    weeks = weekly_figures(snapshot_rows(team, filters), target_of(team))
    tiers = sorted(
        {tier for figures in weeks.values() for tier in figures if tier != ALL},
        key=lambda tier: TIER_ORDER.get(tier, 99),
    )
    columns = [
        Column("week", _("Week starting"), "date"),
        Column("waiting", _("Children waiting")),
        Column("median_weeks", _("Median weeks"), "weeks"),
        Column("p92_weeks", _("92nd percentile weeks"), "weeks"),
        Column("within_target", _("% within target"), "percent"),
    ]
    for tier in tiers:
        name = tier_label(tier)
        columns += [
            Column(f"waiting_{tier}", _("%(tier)s: waiting") % {"tier": name}),
            Column(f"median_{tier}", _("%(tier)s: median weeks") % {"tier": name}, "weeks"),
            Column(f"p92_{tier}", _("%(tier)s: 92nd percentile") % {"tier": name}, "weeks"),
            Column(f"within_{tier}", _("%(tier)s: %% within target") % {"tier": name}, "percent"),
        ]
    empty = wait_figures({}, target=target_of(team))
    rows = []
    for week, figures in weeks.items():
        row: list[object] = [week, *_figure_row(ALL, figures[ALL])[1:]]
        for tier in tiers:
            row += _figure_row(tier, figures.get(tier, empty))[1:]
        rows.append(tuple(row))
    return Table(
        slug="waiting-over-time",
        title=_("The waiting list week by week"),
        columns=tuple(columns),
        rows=tuple(rows),
        summary=_over_time_summary(weeks),
        chart=ChartSpec(
            "line", x="week", series=("median_weeks", "p92_weeks"), y_title=_("Weeks waited")
        ),
        notes=_join(
            _(
                "From the weekly snapshots of the list (sapling snapshot-waitlist): each week "
                "is the list as it stood on the last day the snapshot was taken that week. "
                "Weeks with no snapshot are not shown."
            ),
            _not_applying(filters, locality=True),
        ),
    )


def _over_time_summary(weeks: dict[dt.date, dict[str, WaitFigures]]) -> str:
    if not weeks:
        return _("No weekly snapshots were taken in the period.")
    first, last = min(weeks), max(weeks)
    return _(
        "In the week of %(first)s, %(n1)s children were waiting (median %(m1)s weeks); in the "
        "week of %(last)s, %(n2)s (median %(m2)s weeks)."
    ) % {
        "first": formats.date_format(first, "j F Y"),
        "n1": weeks[first][ALL].waiting,
        "m1": weeks[first][ALL].median_weeks,
        "last": formats.date_format(last, "j F Y"),
        "n2": weeks[last][ALL].waiting,
        "m2": weeks[last][ALL].median_weeks,
    }


def longest_waits(rows: TierDays, team: Team, filters: Filters) -> Table:
    target = team.target_weeks
    table_rows = []
    for tier, days in days_by_tier(rows).items():
        figures = wait_figures(days, target=target_of(team))
        table_rows.append(
            (
                tier_label(tier),
                figures.waiting,
                figures.longest_weeks,
                figures.over_target,
                waited_at_least(days, 2 * target),
            )
        )
    everyone = table_rows[-1]
    return Table(
        slug="longest-waits",
        title=_("The longest waits now"),
        columns=(
            Column("tier", _("Tier"), "text"),
            Column("children", _("Children waiting")),
            Column("longest_weeks", _("Longest wait (weeks)"), "weeks"),
            Column("over_target", _("Waited %(weeks)s weeks or more") % {"weeks": target}),
            Column(
                "over_twice_target", _("Waited %(weeks)s weeks or more") % {"weeks": 2 * target}
            ),
        ),
        rows=tuple(table_rows),
        summary=_(
            "The longest wait is %(longest)s weeks; %(over)s children have waited %(target)s "
            "weeks or more, %(twice)s of them %(double)s weeks or more."
        )
        % {
            "longest": everyone[2],
            "over": everyone[3],
            "target": target,
            "twice": everyone[4],
            "double": 2 * target,
        }
        if everyone[1]
        else _("No children are waiting."),
        chart=ChartSpec(
            "bar", x="tier", series=("over_target", "over_twice_target"), y_title=_("Children")
        ),
        notes=_join(
            _(
                "Counts only, no names. The waiting list (%(url)s) shows who is waiting, in "
                "priority order and then longest wait first; filter it by tier there."
            )
            % {"url": reverse("waitlist:list_entries")},
            _not_applying(filters, period=True),
        ),
    )


def waits_at_clock_stop(figures: dict[str, WaitFigures], team: Team, filters: Filters) -> Table:
    overall = figures[ALL]
    return Table(
        slug="waits-at-clock-stop",
        title=_("How long children seen in the period had waited"),
        columns=_figure_columns(
            _("Children seen"),
            _("Seen within %(weeks)s weeks") % {"weeks": team.target_weeks},
        ),
        rows=tuple(_figure_row(tier, tier_figures) for tier, tier_figures in figures.items()),
        summary=_(
            "%(n)s children were first seen in the period after a median wait of %(median)s "
            "weeks (92nd percentile %(p92)s weeks); %(within)s%% were seen within the "
            "%(weeks)s-week target."
        )
        % _summary_values(overall, team)
        if overall.waiting
        else _("No children were first seen in the period."),
        chart=ChartSpec(
            "bar", x="tier", series=("median_weeks", "p92_weeks"), y_title=_("Weeks waited")
        ),
        notes=_join(
            _(
                "Children whose clock stopped in the period: the first group session or first "
                "specialist contact they attended. Weeks are completed weeks from the clock "
                "start to that date."
            ),
            _not_applying(filters),
        ),
    )


def section(team: Team, filters: Filters, *, today: dt.date) -> Section:
    waiting, seen = listed_and_seen(team, filters, today=today)
    target = target_of(team)
    return Section(
        slug="waiting",
        title=_("Waiting"),
        tables=(
            waiting_now(per_tier(waiting, target), team, filters),
            waiting_over_time(team, filters),
            longest_waits(waiting, team, filters),
            waits_at_clock_stop(per_tier(seen, target), team, filters),
        ),
    )


def _seen_figures(team: Team, filters: Filters) -> WaitFigures:
    return per_tier(seen_days(team, filters), target_of(team))[ALL]


def median_weeks_at_first_intervention(team: Team, filters: Filters) -> PeriodFigure:
    figures = _seen_figures(team, filters)
    median = figures.median_weeks
    return PeriodFigure(None if median is None else Decimal(median), figures.waiting)


def seen_within_target(team: Team, filters: Filters) -> PeriodFigure:
    figures = _seen_figures(team, filters)
    return PeriodFigure(figures.percent_within_target, figures.waiting)


@memoised
def waiting_on(team: Team, filters: Filters, day: dt.date) -> WaitFigures:
    """The list as it stood at the end of `day`: entries whose clock had started by then,
    neither seen nor taken off the list by then, with their days waited on that day (one
    query). Rebuilt from the entries, not the snapshots, so the locality filter applies."""
    rows = (
        entries_for(team, filters)
        .filter(clock_start__lte=day)
        .filter(Q(clock_stopped_on__isnull=True) | Q(clock_stopped_on__gt=day))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .values_list("clock_start")
        .annotate(n=Count("pk"))
    )
    return wait_figures({(day - start).days: n for start, n in rows}, target=target_of(team))


def waiting_at_end(team: Team, filters: Filters) -> PeriodFigure:
    figures = waiting_on(team, filters, filters.date_to)
    return PeriodFigure(Decimal(figures.waiting), figures.waiting)


def p92_waiting_at_end(team: Team, filters: Filters) -> PeriodFigure:
    figures = waiting_on(team, filters, filters.date_to)
    p92 = figures.p92_weeks
    return PeriodFigure(None if p92 is None else Decimal(p92), figures.waiting)


def comparables() -> list[Comparable]:
    return [
        Comparable(
            "median-weeks-at-first-intervention",
            _("Median weeks waited at first intervention"),
            _("weeks"),
            median_weeks_at_first_intervention,
        ),
        Comparable("seen-within-target", _("Children seen within target"), "%", seen_within_target),
        Comparable(
            "children-waiting-at-end",
            _("Children waiting (end of period)"),
            _("children"),
            waiting_at_end,
        ),
        Comparable(
            "p92-weeks-waiting-at-end",
            _("92nd percentile weeks waited by children on the list (end of period)"),
            _("weeks"),
            p92_waiting_at_end,
        ),
    ]
