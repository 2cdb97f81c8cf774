"""Reach and equity: who the service supports, how long they wait and how they do, by
deprivation, ethnicity, additional learning needs and care experience.

Every figure is a few GROUP BY queries folded here; docs/equity.md defines them. Children
are placed in deprivation quintiles of one index only, the newest loaded for the team's
nation (WIMD for Wales, IMD for England), so a Welsh quintile is never added to an English
one; children in an ambiguous area, in another nation's index or with no known area are
counted in their own rows, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sapling.accounts.models import Team
from sapling.areas.models import (
    AreaStatus,
    ChildPopulation,
    DeprivationIndex,
    DeprivationRank,
    Lsoa,
)
from sapling.care.models import Appointment, ContactOutcome
from sapling.children import ethnicity
from sapling.children.models import Child, YesNoUnknown
from sapling.groups.models import Attendance, Mark
from sapling.outcomes.models import GasRating, TimePoint
from sapling.reports.filters import Filters
from sapling.reports.metrics import Target, wait_figures
from sapling.reports.models import ReportSettings
from sapling.reports.tables import ChartSpec, Column, Section, Table
from sapling.reports.waiting_report import listed_and_seen_counts
from sapling.triage.models import Tier
from sapling.waitlist.models import WaitlistEntry, WaitlistEntryQuerySet

QUINTILES = ("1", "2", "3", "4", "5")
AMBIGUOUS, OUTSIDE, UNKNOWN = "ambiguous", "outside", "unknown"
BANDS = (*QUINTILES, AMBIGUOUS, OUTSIDE, UNKNOWN)
AREA_FIELDS = ("area_status", "deprivation_index", "deprivation_quintile")
CHILD_FIELDS = (
    *AREA_FIELDS,
    "ethnicity_system",
    "ethnicity_code",
    "additional_learning_needs",
    "care_experienced",
)


def band_labels() -> dict[str, str]:
    return {
        "1": _("Quintile 1 (most deprived)"),
        "2": _("Quintile 2"),
        "3": _("Quintile 3"),
        "4": _("Quintile 4"),
        "5": _("Quintile 5 (least deprived)"),
        AMBIGUOUS: _("Ambiguous area"),
        OUTSIDE: _("Outside the index"),
        UNKNOWN: _("Unknown area"),
    }


def team_index(team: Team) -> DeprivationIndex | None:
    """The one index the team's quintiles come from: the newest of its nation's."""
    return DeprivationIndex.objects.filter(nation=team.nation).order_by("-edition").first()


def band_of(area_status: str, index_key: str, quintile: int | None, *, within: str) -> str:
    """A child's deprivation band, from the fields stamped when their postcode was saved.

    An ambiguous area stays ambiguous even where its candidate areas agree on a quintile:
    the report counts where children live, not where they probably live.
    """
    if area_status == AreaStatus.AMBIGUOUS:
        return AMBIGUOUS
    if area_status != AreaStatus.KNOWN or not index_key:
        return UNKNOWN
    if index_key != within or quintile not in range(1, 6):
        return OUTSIDE
    return str(quintile)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def per_thousand(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(1000 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- The catchment and its child population ----------------------------------------------


@dataclass(frozen=True)
class Catchment:
    local_authorities: tuple[str, ...]
    lsoa_codes: tuple[str, ...]
    age_from: int
    age_to: int

    @classmethod
    def for_team(cls, team: Team) -> Catchment:
        chosen = ReportSettings.for_team(team)
        return cls(
            tuple(chosen.catchment_local_authorities or ()),
            tuple(chosen.catchment_lsoas or ()),
            chosen.population_age_from,
            chosen.population_age_to,
        )

    @property
    def is_set(self) -> bool:
        return bool(self.local_authorities or self.lsoa_codes)

    def area_codes(self) -> QuerySet[Lsoa, Any]:
        """The catchment's LSOA codes, as a subquery: the union of both ways of naming it."""
        return Lsoa.objects.filter(
            Q(local_authority__in=self.local_authorities) | Q(code__in=self.lsoa_codes)
        ).values("code")

    def codes(self) -> set[str]:
        return set(self.area_codes().values_list("code", flat=True)) if self.is_set else set()

    def born_between(self, filters: Filters) -> tuple[dt.date, dt.date]:
        """Dates of birth of children inside the age band on some day of the period."""
        earliest = _years_before(filters.date_from, self.age_to + 1) + dt.timedelta(days=1)
        return earliest, _years_before(filters.date_to, self.age_from)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Population:
    by_band: dict[str, int]
    mid_year: int | None
    # Ages in the band with no estimates (the shipped file stops at 17): then no rates,
    # rather than rates over part of the band.
    missing_ages: tuple[int, ...] = ()

    @property
    def in_quintiles(self) -> int:
        return sum(self.by_band.get(q, 0) for q in QUINTILES)


def child_population(catchment: Catchment, index: DeprivationIndex | None) -> Population:
    """Children in the age band in the catchment's areas, at the latest mid-year loaded."""
    if not catchment.is_set:
        return Population({}, None)
    rows = ChildPopulation.objects.filter(
        lsoa_code__in=catchment.area_codes(), age__range=(catchment.age_from, catchment.age_to)
    ).order_by()
    # The latest year and the ages it has, from one small query of the (year, age) pairs.
    ages_by_year: defaultdict[int, set[int]] = defaultdict(set)
    for year, age in rows.values_list("mid_year", "age").distinct():
        ages_by_year[year].add(age)
    if not ages_by_year:
        return Population({}, None)
    mid_year = max(ages_by_year)
    missing = tuple(
        age
        for age in range(catchment.age_from, catchment.age_to + 1)
        if age not in ages_by_year[mid_year]
    )
    if missing:
        return Population({}, None, missing)
    counts = rows.filter(mid_year=mid_year).values_list("lsoa_code").annotate(n=Sum("count"))
    quintiles: dict[str, int] = {}
    if index is not None:
        quintiles = dict(
            DeprivationRank.objects.filter(
                index=index, lsoa_code__in=catchment.area_codes()
            ).values_list("lsoa_code", "quintile")
        )
    by_band: Counter[str] = Counter()
    for code, n in counts:
        quintile = quintiles.get(code)
        by_band[str(quintile) if quintile else OUTSIDE] += n
    return Population(dict(by_band), mid_year)


# --- Children supported ------------------------------------------------------------------


def _instants(filters: Filters) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def supported_children(team: Team, filters: Filters) -> QuerySet[Child, Child]:
    """Children with a group session or a specialist contact attended in the period, or
    whose wait ended in it (their first such attendance, which history imported without
    registers records only as the clock stop).

    The tier filter keeps group sessions of that tier's programmes and waits of that tier
    (specialist: contacts too); a programme filter keeps only that programme's sessions; a
    locality filter keeps the records of that locality's children (each record's copy of
    the child's locality, KeepsChildLocality).
    """
    return Child.objects.for_team(team).filter(pk__in=_supported_ids(team, filters))


def _supported_ids(team: Team, filters: Filters) -> QuerySet[Any, Any]:
    """The ids of the children supported, as one subquery: a UNION ALL of the attendances,
    contacts and ended waits of the period, each read from its own few rows (a child comes
    once per record; the IN using it counts each child once). Asking instead, of every
    child of the team, whether they are in one set or another was slower on a large team.
    """
    start, end = _instants(filters)
    sessions = Attendance.objects.filter(
        mark=Mark.ATTENDED,
        session__run__team=team,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
        enrolment__child__isnull=False,
    )
    if filters.programme_id is not None:
        sessions = sessions.filter(session__run__programme_id=filters.programme_id)
    if filters.tier is not None:
        sessions = sessions.filter(session__run__programme__tier=filters.tier)
    if filters.locality_id is not None:
        sessions = sessions.filter(enrolment__child_locality_id=filters.locality_id)
    reached: list[QuerySet[Any, Any]] = [sessions.values("enrolment__child")]
    if filters.programme_id is None and filters.tier in (None, Tier.SPECIALIST):
        contacts = Appointment.objects.filter(
            team=team, outcome=ContactOutcome.ATTENDED, starts_at__gte=start, starts_at__lt=end
        )
        if filters.locality_id is not None:
            contacts = contacts.filter(child_locality_id=filters.locality_id)
        reached.append(contacts.values("episode__child"))
    if filters.programme_id is None:
        stops = WaitlistEntry.objects.for_team(team).filter(
            clock_stopped_on__range=(filters.date_from, filters.date_to)
        )
        if filters.tier is not None:
            stops = stops.filter(tier=filters.tier)
        if filters.locality_id is not None:
            stops = stops.filter(child_locality_id=filters.locality_id)
        reached.append(stops.values("child"))
    # Unordered: an ORDER BY inside a UNION is refused by SQLite and wasted by PostgreSQL.
    first, *others = (ids.order_by() for ids in reached)
    return first.union(*others, all=True) if others else first


@dataclass(frozen=True)
class Reach:
    supported: dict[str, int]  # every child supported, by band
    counted: dict[str, int]  # of whom living in the catchment and in the age band
    population: Population
    catchment_set: bool
    index: DeprivationIndex | None  # the one index the bands come from

    @property
    def counted_in_quintiles(self) -> int:
        return sum(self.counted.get(q, 0) for q in QUINTILES)

    def share_supported(self, band: str) -> Decimal | None:
        return percent(self.counted.get(band, 0), self.counted_in_quintiles)

    def share_population(self, band: str) -> Decimal | None:
        return percent(self.population.by_band.get(band, 0), self.population.in_quintiles)

    def rate(self, band: str) -> Decimal | None:
        return per_thousand(self.counted.get(band, 0), self.population.by_band.get(band, 0))


def reach(team: Team, filters: Filters) -> Reach:
    catchment = Catchment.for_team(team)
    index = team_index(team)
    within = index.key if index else ""
    # Grouped by area as well, and the catchment looked up in Python: a correlated lookup
    # per child is many times slower on a large team.
    in_age_band = Q(date_of_birth__range=catchment.born_between(filters))
    rows = (
        supported_children(team, filters)
        .order_by()
        .values(*AREA_FIELDS, "lsoa_code")
        .annotate(n=Count("pk"), n_in_age_band=Count("pk", filter=in_age_band))
    )
    catchment_codes = catchment.codes()
    supported: Counter[str] = Counter()
    counted_by_band: Counter[str] = Counter()
    for row in rows:
        band = band_of(*(row[name] for name in AREA_FIELDS), within=within)
        supported[band] += row["n"]
        if not catchment.is_set:
            counted_by_band[band] += row["n"]
        elif row["lsoa_code"] in catchment_codes:
            counted_by_band[band] += row["n_in_age_band"]
    population = child_population(catchment, index)
    return Reach(dict(supported), dict(counted_by_band), population, catchment.is_set, index)


# --- Groups of children: the dimensions compared -----------------------------------------


@dataclass(frozen=True)
class Dimension:
    slug: str  # "quintile", "ethnicity", ...
    title: str
    heading: str  # the first column's label
    fields: tuple[str, ...]  # the child's fields it reads
    label: Callable[..., tuple[Any, str]]  # those fields' values -> (sort key, label)


def dimensions(index: DeprivationIndex | None) -> tuple[Dimension, ...]:
    within = index.key if index else ""
    labels = band_labels()

    def by_band(status: str, index_key: str, quintile: int | None) -> tuple[Any, str]:
        band = band_of(status, index_key, quintile, within=within)
        return BANDS.index(band), labels[band]

    def by_ethnicity(system: str, code: str) -> tuple[Any, str]:
        if not code:
            return (2, ""), _("Not recorded")
        described = ethnicity.describe(system, code)
        return (1 if code in ("Z", "99") else 0, described), described

    def yes_no(yes: str, no: str, unknown: str) -> Callable[[str], tuple[Any, str]]:
        words: dict[str, str] = {YesNoUnknown.YES.value: yes, YesNoUnknown.NO.value: no}

        def label(value: str) -> tuple[Any, str]:
            return (list(words).index(value) if value in words else 2), words.get(value, unknown)

        return label

    return (
        Dimension(
            "quintile", _("deprivation quintile"), _("Deprivation quintile"), AREA_FIELDS, by_band
        ),
        Dimension(
            "ethnicity",
            _("ethnicity"),
            _("Ethnicity"),
            ("ethnicity_system", "ethnicity_code"),
            by_ethnicity,
        ),
        Dimension(
            "aln",
            _("additional learning needs"),
            _("Additional learning needs"),
            ("additional_learning_needs",),
            yes_no(_("ALN"), _("No ALN"), _("Not known")),
        ),
        Dimension(
            "care-experienced",
            _("care experience"),
            _("Care experience"),
            ("care_experienced",),
            yes_no(_("Care-experienced"), _("Not care-experienced"), _("Not known")),
        ),
    )


# A grouped row, as the queries below give it: (*the child's CHILD_FIELDS, what is
# counted (days waited, goal met or not), how many). Tuples, as a large team has tens of
# thousands of rows.
Row = tuple[Any, ...]


def labelled(rows: Iterable[Row], dimension: Dimension) -> dict[str, tuple[Any, Counter[Any]]]:
    """{group label: (sort key, {what is counted: how many})}: rows added up by the
    dimension's fields, then each distinct set of values labelled once."""
    positions = [CHILD_FIELDS.index(name) for name in dimension.fields]
    values_of = itemgetter(*positions)
    grouped: defaultdict[Any, Counter[Any]] = defaultdict(Counter)
    for row in rows:
        grouped[values_of(row)][row[-2]] += row[-1]
    found: dict[str, tuple[Any, Counter[Any]]] = {}
    for values, counts in grouped.items():
        sort_key, label = dimension.label(*(values if len(positions) > 1 else (values,)))
        if label in found:
            found[label][1].update(counts)
        else:
            found[label] = (sort_key, counts)
    return found


def in_order(groups: dict[str, tuple[Any, Counter[Any]]]) -> list[str]:
    return sorted(groups, key=lambda label: groups[label][0])


# --- Waits -------------------------------------------------------------------------------


def _entries(team: Team, filters: Filters) -> WaitlistEntryQuerySet:
    entries = WaitlistEntry.objects.for_team(team)
    if filters.tier is not None:
        entries = entries.filter(tier=filters.tier)
    if filters.locality_id is not None:
        entries = entries.filter(child_locality_id=filters.locality_id)
    else:
        # The child's team too: the same rows (a child is only on their own team's list),
        # but PostgreSQL then reads the team's children by its index instead of hashing
        # every child of every team. (With a locality, its index already does that.)
        entries = entries.filter(child__team=team)
    return entries.order_by()


def wait_rows(team: Team, filters: Filters, *, today: dt.date) -> tuple[list[Row], list[Row]]:
    """(children seen in the period, children waiting today) as rows counting days waited,
    folded by every dimension. One query gives both, as they join the same children: the
    entries whose clock stopped in the period or that are on the list today (an entry can
    be both), grouped by their days waited to the clock stop (None if it did not stop in
    the period) and their clock start (None if not on the list), as the waiting section
    counts them by tier (grouped by the time waited, not by both clock dates: a third of
    the rows)."""
    fields = (f"child__{name}" for name in CHILD_FIELDS)
    rows = listed_and_seen_counts(_entries(team, filters), filters, *fields)
    seen: list[Row] = []
    waiting: list[Row] = []
    for *child, waiting_since, waited, n in rows:
        if waited is not None:
            seen.append((*child, waited.days, n))
        if waiting_since is not None:
            waiting.append((*child, (today - waiting_since).days, n))
    return seen, waiting


def waits_table(dimension: Dimension, seen: list[Row], waiting: list[Row], *, team: Team) -> Table:
    target = Target(weeks=team.target_weeks, share=team.target_share)
    seen_groups = labelled(seen, dimension)
    waiting_groups = labelled(waiting, dimension)
    nothing: tuple[Any, Counter[Any]] = (None, Counter())
    rows = []
    for label in in_order(waiting_groups | seen_groups):
        stopped = wait_figures(seen_groups.get(label, nothing)[1], target=target)
        now = wait_figures(waiting_groups.get(label, nothing)[1], target=target)
        rows.append(
            (
                label,
                stopped.waiting,
                stopped.median_weeks,
                now.waiting,
                now.median_weeks,
                now.percent_within_target,
            )
        )
    return Table(
        slug=f"waits-by-{dimension.slug}",
        title=_("Waits by %(dimension)s") % {"dimension": dimension.title},
        columns=(
            Column("group", dimension.heading, "text"),
            Column("seen", _("Children seen in the period"), "count"),
            Column("median_seen", _("Median weeks waited to be seen"), "weeks"),
            Column("waiting", _("Children waiting now"), "count"),
            Column("median_waiting", _("Median weeks waiting now"), "weeks"),
            Column(
                "within_target",
                _("Waiting now: %% within %(weeks)s weeks") % {"weeks": team.target_weeks},
                "percent",
            ),
        ),
        rows=tuple(rows),
        summary=_medians_sentence(dimension, rows),
        chart=ChartSpec(
            "bar", x="group", series=("median_seen", "median_waiting"), y_title=_("weeks")
        ),
        notes=_(
            "Seen: children whose wait ended in the period (first group session or specialist "
            "contact attended), in completed weeks from referral. Waiting now: the list today, "
            "whatever the period. Medians are by nearest rank (docs/metrics.md). The locality "
            "and tier filters apply; the programme filter does not."
        ),
    )


def _weeks(weeks: int) -> str:
    return ngettext("%(weeks)s week", "%(weeks)s weeks", weeks) % {"weeks": weeks}


def _medians_sentence(dimension: Dimension, rows: list[tuple[Any, ...]]) -> str:
    if dimension.slug == "quintile":
        by_label = {row[0]: row[2] for row in rows}
        labels = band_labels()
        most, least = by_label.get(labels["1"]), by_label.get(labels["5"])
        if most is not None and least is not None:
            return _(
                "Children from the most deprived fifth of areas waited a median of %(most)s "
                "to be seen; children from the least deprived fifth, %(least)s."
            ) % {"most": _weeks(most), "least": _weeks(least)}
    known = [f"{row[0]}: {row[2]}" for row in rows if row[2] is not None]
    if not known:
        return _("No child's wait ended in the period.")
    return _("Median weeks waited to be seen, by %(dimension)s: %(medians)s.") % {
        "dimension": dimension.title,
        "medians": "; ".join(known),
    }


# --- Outcomes ----------------------------------------------------------------------------


def outcome_rows(team: Team, filters: Filters) -> list[Row]:
    """GAS goals rated at discharge in the period, and how many met their expected level:
    one grouped query."""
    ratings = GasRating.objects.filter(
        goal__team=team,
        time_point=TimePoint.DISCHARGE,
        rated_on__range=(filters.date_from, filters.date_to),
    )
    if filters.locality_id is not None:
        ratings = ratings.filter(child_locality_id=filters.locality_id)
    if filters.programme_id is not None:
        ratings = ratings.filter(goal__enrolment__run__programme_id=filters.programme_id)
    if filters.tier == Tier.SPECIALIST:
        ratings = ratings.filter(goal__episode__isnull=False)
    elif filters.tier is not None:
        ratings = ratings.filter(goal__enrolment__run__programme__tier=filters.tier)
    fields = [f"goal__child__{name}" for name in CHILD_FIELDS]
    rows = (
        ratings.order_by()
        .values_list(*fields)
        .annotate(
            goals=Count("goal", distinct=True),
            met=Count("goal", distinct=True, filter=Q(attainment__gte=0)),
        )
    )
    # Each group's goals met and goals not met, as two rows.
    return [
        row
        for *child, goals, met in rows
        for row in ((*child, "met", met), (*child, "not_met", goals - met))
    ]


def outcomes_table(dimension: Dimension, rated: list[Row]) -> Table:
    rows = []
    groups = labelled(rated, dimension)
    for label in in_order(groups):
        counts = groups[label][1]
        goals = counts["met"] + counts["not_met"]
        rows.append((label, goals, counts["met"], percent(counts["met"], goals)))
    known = [f"{row[0]}: {row[3]}%" for row in rows if row[3] is not None]
    summary = (
        _("Goals met or exceeded at discharge, by %(dimension)s: %(shares)s.")
        % {"dimension": dimension.title, "shares": "; ".join(known)}
        if known
        else _("No goal was rated at discharge in the period.")
    )
    return Table(
        slug=f"outcomes-by-{dimension.slug}",
        title=_("Goals met at discharge by %(dimension)s") % {"dimension": dimension.title},
        columns=(
            Column("group", dimension.heading, "text"),
            Column("goals", _("Goals rated at discharge"), "count"),
            Column("met", _("Met or exceeded"), "count"),
            Column("percent_met", _("% met or exceeded"), "percent"),
        ),
        rows=tuple(rows),
        summary=summary,
        chart=ChartSpec("bar", x="group", series=("percent_met",), y_title=_("% of goals")),
        notes=_(
            "Goal attainment scaling goals rated at discharge in the period; met means rated "
            "at the expected level (0) or better. The locality, tier and programme filters "
            "apply (a programme keeps its group goals only)."
        ),
    )


# --- Reach table and the section ---------------------------------------------------------


def reach_table(found: Reach) -> Table:
    labels = band_labels()
    has_population = found.population.mid_year is not None
    rows = []
    for band in BANDS:
        in_quintiles = band in QUINTILES
        with_population = in_quintiles and has_population
        rows.append(
            (
                labels[band],
                found.supported.get(band, 0),
                found.counted.get(band, 0) if found.catchment_set else None,
                found.share_supported(band) if in_quintiles else None,
                found.population.by_band.get(band, 0) if with_population else None,
                found.share_population(band) if with_population else None,
                found.rate(band) if with_population else None,
            )
        )
    return Table(
        slug="reach-by-quintile",
        title=_("Children supported by deprivation quintile"),
        columns=(
            Column("group", _("Deprivation quintile"), "text"),
            Column("supported", _("Children supported"), "count"),
            Column("counted", _("Of whom in the catchment and age band"), "count"),
            Column("share_supported", _("Share of children supported"), "percent"),
            Column("population", _("Child population"), "count"),
            Column("share_population", _("Share of child population"), "percent"),
            Column("per_thousand", _("Supported per 1,000 children"), "rate"),
        ),
        rows=tuple(rows),
        summary=_reach_sentence(found),
        chart=ChartSpec(
            "bar", x="group", series=("share_supported", "share_population"), y_title=_("%")
        ),
        notes=_reach_notes(found),
    )


def _reach_sentence(found: Reach) -> str:
    total = sum(found.supported.values())
    if total == 0:
        return _("No child was supported in the period.")
    elsewhere = sum(found.supported.get(band, 0) for band in (AMBIGUOUS, OUTSIDE, UNKNOWN))
    parts = []
    if not found.catchment_set:
        parts.append(_("No catchment is set, so there are no rates."))
    elif found.population.missing_ages:
        parts.append(
            _(
                "No child population is loaded for ages %(ages)s in this catchment, so there "
                "are no rates for the age band."
            )
            % {"ages": ", ".join(str(age) for age in found.population.missing_ages)}
        )
    elif found.population.mid_year is None:
        parts.append(_("No child population is loaded for this catchment, so there are no rates."))
    share = found.share_supported("1")
    population_share = found.share_population("1")
    if share is not None and population_share is not None and found.population.mid_year:
        parts.append(
            _(
                "Children from the most deprived fifth of areas are %(share)s%% of those "
                "supported and %(population)s%% of the child population."
            )
            % {"share": share, "population": population_share}
        )
        parts.append(
            _(
                "%(most)s per 1,000 children in the most deprived fifth were supported, and "
                "%(least)s per 1,000 in the least deprived fifth."
            )
            % {"most": found.rate("1"), "least": found.rate("5")}
        )
    elif share is not None:
        parts.append(
            _("Children from the most deprived fifth of areas are %(share)s%% of those supported.")
            % {"share": share}
        )
    parts.append(
        _(
            "%(total)s children were supported; %(elsewhere)s of them live in an ambiguous or "
            "unknown area or outside the index, and are shown separately."
        )
        % {"total": total, "elsewhere": elsewhere}
    )
    return " ".join(parts)


def _reach_notes(found: Reach) -> str:
    index = found.index
    population = (
        _("Child population: mid-%(year)s estimates for the catchment's areas.")
        % {"year": found.population.mid_year}
        if found.population.mid_year
        else _("No child population is loaded for this catchment.")
    )
    return " ".join(
        (
            _(
                "Supported: a child with a group session or a specialist contact attended in "
                "the period, or whose wait ended in it. Quintiles of %(index)s (1 is the most "
                "deprived fifth of areas); shares and rates count children living in the "
                "catchment and in its age band."
            )
            % {"index": index.name if index else _("no index loaded for this nation")},
            population,
            _(
                "The date, locality and tier filters apply; a programme filter keeps that "
                "programme's group sessions. The catchment and age band are set on the report "
                "settings page (%(url)s)."
            )
            % {"url": reverse("reports:edit_report_settings")},
        )
    )


def section(team: Team, filters: Filters, *, today: dt.date) -> Section:
    found = reach(team, filters)
    seen, waiting = wait_rows(team, filters, today=today)
    rated = outcome_rows(team, filters)
    compared = dimensions(found.index)
    tables = (
        reach_table(found),
        *(waits_table(dimension, seen, waiting, team=team) for dimension in compared),
        *(outcomes_table(dimension, rated) for dimension in compared),
    )
    return Section(slug="equity", title=_("Reach and equity"), tables=tables)
