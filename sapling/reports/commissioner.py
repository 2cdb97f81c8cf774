"""The quarterly tables for commissioners and funders: fixed counts for one financial
quarter, each broken down by locality, by local authority and by GP cluster, made safe to
publish in one pass of disclosure control across all of them.

Each measure is one GROUP BY query over the team's records, grouped by where the child
lives and is registered (locality, small area, GP cluster) and the measure's column; the
breakdowns are folded from those rows in Python, so the three tables of a measure always
share the same totals. Only counts leave this module: never a child, nor any child-level
field. docs/commissioner-reports.md defines each table and the disclosure rule.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import Locality, Team
from sapling.areas.models import AreaStatus, Lsoa
from sapling.children.models import GPCluster
from sapling.groups.models import Enrolment, Mark
from sapling.outcomes.models import Administration, AdministrationStatus
from sapling.referrals.models import Referral
from sapling.reports import disclosure
from sapling.reports.demand import triage_result
from sapling.reports.filters import Quarter
from sapling.reports.models import ReportSettings
from sapling.reports.tables import Column, Section, Table
from sapling.triage.models import Tier
from sapling.waitlist.models import WaitlistEntry

TOTAL = "total"
OTHER = "other"
SPECIALIST_CARE = "specialist"
GROUPS = "groups"
WAITING_TIERS = (Tier.TARGETED, Tier.SPECIALIST)


@dataclass(frozen=True)
class Place:
    """Where the children counted in one group of a query's rows live and are registered;
    `child` is False for a group place or measure about an adult with no child."""

    child: bool
    locality_id: int | None
    area_known: bool
    lsoa_code: str
    cluster_id: int | None
    has_practice: bool


ADULT = "adult"  # the row for adult participants in every breakdown
NO_LOCALITY = "no-locality"
UNKNOWN_AREA = "unknown"
NO_PRACTICE = "no-practice"
NO_CLUSTER = "no-cluster"

Counts = Counter[tuple[Place, str]]  # (place, column key) -> count


@dataclass(frozen=True)
class Measure:
    slug: str
    title: str
    columns: tuple[Column, ...]  # the parts; a Total column follows them
    notes: str


def measures(team: Team) -> tuple[Measure, ...]:
    tiers = (Column(Tier.TARGETED, _("Targeted")), Column(Tier.SPECIALIST, _("Specialist")))
    weeks = team.target_weeks
    return (
        Measure(
            "referrals",
            _("Referrals received"),
            (
                Column(Tier.UNIVERSAL, _("Universal")),
                *tiers,
                Column(OTHER, _("Declined, redirected, withdrawn or not yet triaged")),
            ),
            _("Requests for help received in the quarter, by where triage sent them."),
        ),
        Measure(
            "waiting",
            _("Children waiting at the end of the quarter"),
            tiers,
            _("Children on the waiting list on the quarter's last day, by tier."),
        ),
        Measure(
            "waiting-over-target",
            _("Children waiting longer than %(weeks)s weeks") % {"weeks": weeks},
            tiers,
            _(
                "Of the children waiting on the quarter's last day, those who had waited "
                "%(weeks)s completed weeks or more (the team's target)."
            )
            % {"weeks": weeks},
        ),
        Measure(
            "seen",
            _("Children seen"),
            tiers,
            _(
                "Children whose wait ended in the quarter because they attended their first "
                "group session or specialist contact."
            ),
        ),
        Measure(
            "group-places",
            _("Group places attended"),
            (Column(Tier.UNIVERSAL, _("Universal")), Column(Tier.TARGETED, _("Targeted"))),
            _(
                "Places on a group or training where the person attended at least one "
                "session in the quarter. Universal training is mostly for parents and "
                "school staff, counted in the adult participants row."
            ),
        ),
        Measure(
            "outcome-measures",
            _("Outcome measures completed"),
            (Column(SPECIALIST_CARE, _("Specialist care")), Column(GROUPS, _("Groups"))),
            _("Questionnaires and ratings completed in the quarter, by what they measure."),
        ),
    )


@dataclass(frozen=True)
class Breakdown:
    slug: str
    title: str  # "By locality", a heading
    phrase: str  # "by locality", in a table's title
    heading: str  # the first column's label
    rows: tuple[tuple[Hashable, str], ...]  # (row key, label) in order
    row_of: Callable[[Place], Hashable]


# ---- Counting: one GROUP BY query per measure ----------------------------------------------

Row = dict[str, Any]


def _where(child: str) -> dict[str, Any]:
    """The grouped-by fields saying where the child (reached by the path `child`) lives."""

    def is_(condition: Q) -> ExpressionWrapper:
        return ExpressionWrapper(condition, output_field=BooleanField())

    return {
        "place_is_child": is_(Q(**{f"{child}__isnull": False})),
        "place_locality": F(f"{child}__locality_id"),
        "place_area_known": is_(Q(**{f"{child}__area_status": AreaStatus.KNOWN})),
        "place_lsoa": F(f"{child}__lsoa_code"),
        "place_cluster": F(f"{child}__gp_practice__cluster_id"),
        "place_has_practice": is_(Q(**{f"{child}__gp_practice__isnull": False})),
    }


def _count(
    queryset: QuerySet[Any],
    fields: dict[str, Any],
    column_of: Callable[[Row], str],
    *,
    distinct: bool = False,
) -> Counts:
    """{(place, column): n} from one GROUP BY over where the child lives and `fields`."""
    rows = (
        queryset.order_by()
        .values(**_where("child"), **fields)
        .annotate(n=Count("pk", distinct=distinct))
    )
    counts: Counts = Counter()
    for row in rows:
        place = Place(
            child=bool(row["place_is_child"]),
            locality_id=row["place_locality"],
            area_known=bool(row["place_area_known"]),
            lsoa_code=row["place_lsoa"] or "",
            cluster_id=row["place_cluster"],
            has_practice=bool(row["place_has_practice"]),
        )
        counts[(place, column_of(row))] += row["n"]
    return counts


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _referral_column(row: Row) -> str:
    result = triage_result(row["m_status"], row["m_entry_tier"])
    return result if result in {Tier.UNIVERSAL, Tier.TARGETED, Tier.SPECIALIST} else OTHER


def _waiting_at(team: Team, day: dt.date) -> QuerySet[WaitlistEntry]:
    """Entries whose clock had started and not yet stopped or ended on `day`."""
    return (
        WaitlistEntry.objects.for_team(team)
        .filter(tier__in=WAITING_TIERS, clock_start__lte=day)
        .filter(Q(clock_stopped_on__isnull=True) | Q(clock_stopped_on__gt=day))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    )


def count_measures(team: Team, quarter: Quarter) -> dict[str, Counts]:
    """Every measure's counts for the quarter: five queries."""
    start, end = quarter.start, quarter.end
    starts_at, ends_before = _aware(start), _aware(end + dt.timedelta(days=1))
    # Over target: at least target_weeks completed weeks on the last day.
    over_from = end - dt.timedelta(days=7 * team.target_weeks)
    waiting = _count(
        _waiting_at(team, end),
        {
            "m_tier": F("tier"),
            "m_over": ExpressionWrapper(Q(clock_start__lte=over_from), BooleanField()),
        },
        lambda row: f"{row['m_tier']}:{'over' if row['m_over'] else 'within'}",
    )
    waiting_by_tier: Counts = Counter()
    over_target: Counts = Counter()
    for (place, key), n in waiting.items():
        tier, band = key.split(":")
        waiting_by_tier[(place, tier)] += n
        if band == "over":
            over_target[(place, tier)] += n
    return {
        "referrals": _count(
            Referral.objects.for_team(team).filter(received_on__range=(start, end)),
            {"m_status": F("status"), "m_entry_tier": F("waitlist_entry__tier")},
            _referral_column,
        ),
        "waiting": waiting_by_tier,
        "waiting-over-target": over_target,
        "seen": _count(
            WaitlistEntry.objects.for_team(team).filter(
                tier__in=WAITING_TIERS, clock_stopped_on__range=(start, end)
            ),
            {"m_tier": F("tier")},
            lambda row: str(row["m_tier"]),
        ),
        "group-places": _count(
            Enrolment.objects.filter(
                run__team=team,
                attendances__mark=Mark.ATTENDED,
                attendances__session__starts_at__gte=starts_at,
                attendances__session__starts_at__lt=ends_before,
            ),
            {"m_tier": F("run__programme__tier")},
            lambda row: str(row["m_tier"]),
            distinct=True,
        ),
        "outcome-measures": _count(
            Administration.objects.filter(
                team=team,
                status=AdministrationStatus.COMPLETED,
                completed_at__gte=starts_at,
                completed_at__lt=ends_before,
            ),
            {"m_episode": ExpressionWrapper(Q(episode__isnull=False), BooleanField())},
            lambda row: SPECIALIST_CARE if row["m_episode"] else GROUPS,
        ),
    }


# ---- Breakdowns ---------------------------------------------------------------------------


def _local_authorities(counted: Iterable[Counts]) -> dict[str, str]:
    codes = {place.lsoa_code for counts in counted for place, _c in counts if place.lsoa_code}
    found = Lsoa.objects.filter(code__in=codes).values_list("code", "local_authority")
    return {code: authority for code, authority in found if authority}


def breakdowns(team: Team, counted: dict[str, Counts]) -> tuple[Breakdown, ...]:
    """The three breakdowns, each with its fixed rows (the team's localities and GP
    clusters, the catchment's local authorities) and any others the quarter's counts use."""
    places = {place for counts in counted.values() for place, _c in counts}
    localities = dict(Locality.objects.filter(team=team).values_list("id", "name"))
    clusters = dict(GPCluster.objects.filter(team=team).values_list("id", "name"))
    authority_of = _local_authorities(counted.values())
    catchment = ReportSettings.for_team(team).catchment_local_authorities

    def locality_row(place: Place) -> Hashable:
        if not place.child:
            return ADULT
        return place.locality_id if place.locality_id in localities else NO_LOCALITY

    def authority_row(place: Place) -> Hashable:
        if not place.child:
            return ADULT
        if not place.area_known:
            return UNKNOWN_AREA
        return authority_of.get(place.lsoa_code, UNKNOWN_AREA)

    def cluster_row(place: Place) -> Hashable:
        if not place.child:
            return ADULT
        if not place.has_practice:
            return NO_PRACTICE
        return place.cluster_id if place.cluster_id in clusters else NO_CLUSTER

    authorities = sorted(
        {*catchment, *(authority_of[p.lsoa_code] for p in places if p.lsoa_code in authority_of)}
    )
    extra = {
        NO_LOCALITY: _("No locality recorded"),
        UNKNOWN_AREA: _("Unknown or ambiguous area"),
        NO_CLUSTER: _("Practice not in a cluster"),
        NO_PRACTICE: _("No GP practice recorded"),
        ADULT: _("Adult participants (no child)"),
    }

    def rows(
        fixed: Iterable[tuple[Hashable, str]],
        row_of: Callable[[Place], Hashable],
        extras: tuple[str, ...],
    ) -> tuple[tuple[Hashable, str], ...]:
        used = {row_of(place) for place in places}
        return (*fixed, *((key, extra[key]) for key in extras if key in used))

    return (
        Breakdown(
            "locality",
            _("By locality"),
            _("by locality"),
            _("Locality"),
            rows(localities.items(), locality_row, (NO_LOCALITY, ADULT)),
            locality_row,
        ),
        Breakdown(
            "local-authority",
            _("By local authority"),
            _("by local authority"),
            _("Local authority"),
            rows(((name, name) for name in authorities), authority_row, (UNKNOWN_AREA, ADULT)),
            authority_row,
        ),
        Breakdown(
            "gp-cluster",
            _("By GP cluster"),
            _("by GP cluster"),
            _("GP cluster"),
            rows(clusters.items(), cluster_row, (NO_CLUSTER, NO_PRACTICE, ADULT)),
            cluster_row,
        ),
    )


# ---- The tables ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterTables:
    quarter: Quarter
    sections: tuple[Section, ...]  # one per breakdown, each with every measure's table

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(table for section in self.sections for table in section.tables)


@dataclass(frozen=True)
class QuarterCounts:
    """Every count of a quarter's tables, by cell, and the equations that link them."""

    measures: tuple[Measure, ...]
    breakdowns: tuple[Breakdown, ...]
    counts: dict[disclosure.Cell, int]
    equations: list[disclosure.Equation]


def quarter_counts(team: Team, quarter: Quarter) -> QuarterCounts:
    counted = count_measures(team, quarter)
    found = QuarterCounts(measures(team), breakdowns(team, counted), {}, [])
    for measure in found.measures:
        for breakdown in found.breakdowns:
            body, total_row = _fill(measure, breakdown, counted[measure.slug], found.counts)
            found.equations.extend(disclosure.grid_equations(body, total_row))
    return found


def quarter_tables(team: Team, quarter: Quarter) -> QuarterTables:
    """The quarter's tables, every count made safe to publish across all of them at once."""
    found = quarter_counts(team, quarter)
    published = Published(found.counts, disclosure.publish(found.counts, found.equations))
    sections = tuple(
        Section(
            breakdown.slug,
            breakdown.title,
            tuple(_table(m, breakdown, published, quarter) for m in found.measures),
        )
        for breakdown in found.breakdowns
    )
    return QuarterTables(quarter, sections)


def _cell(measure: str, breakdown: str, row: Hashable, column: str) -> disclosure.Cell:
    # The total row names no breakdown: it is the same count in all three.
    if row == TOTAL:
        return (measure, TOTAL, column)
    return (measure, breakdown, row, column)


def _fill(
    measure: Measure, breakdown: Breakdown, measured: Counts, counts: dict[disclosure.Cell, int]
) -> tuple[list[list[disclosure.Cell]], list[disclosure.Cell]]:
    """Put one table's counts, with its row and column totals, into `counts`; return its
    body and total row of cells for the equations."""
    keys = [column.key for column in measure.columns]
    by_row: dict[Hashable, Counter[str]] = {row: Counter() for row, _label in breakdown.rows}
    for (place, column), n in measured.items():
        by_row[breakdown.row_of(place)][column] += n
    body = []
    for row, values in by_row.items():
        cells = [_cell(measure.slug, breakdown.slug, row, key) for key in [*keys, TOTAL]]
        figures = [values[key] for key in keys]
        counts.update(zip(cells, [*figures, sum(figures)], strict=True))
        body.append(cells)
    total_row = [_cell(measure.slug, breakdown.slug, TOTAL, key) for key in [*keys, TOTAL]]
    for position, total_cell in enumerate(total_row):
        counts[total_cell] = sum(counts[cells[position]] for cells in body)
    return body, total_row


@dataclass(frozen=True)
class Published:
    counts: dict[disclosure.Cell, int]
    shown: dict[disclosure.Cell, disclosure.Shown]


def _table(measure: Measure, breakdown: Breakdown, published: Published, quarter: Quarter) -> Table:
    keys = [column.key for column in measure.columns] + [TOTAL]
    columns = (
        Column("area", breakdown.heading, "text"),
        *measure.columns,
        Column(TOTAL, _("Total")),
    )
    with_share = measure.slug == "waiting-over-target"
    if with_share:
        columns = (*columns, Column("share", _("Share of children waiting (%)"), "percent"))
    rows = []
    for row, label in [*breakdown.rows, (TOTAL, _("Total"))]:
        values: list[Any] = [
            published.shown[_cell(measure.slug, breakdown.slug, row, key)] for key in keys
        ]
        if with_share:
            values.append(_share_waiting(breakdown, row, published))
        rows.append((label, *values))
    total = published.shown[_cell(measure.slug, breakdown.slug, TOTAL, TOTAL)]
    return Table(
        slug=f"{measure.slug}-by-{breakdown.slug}",
        title=f"{measure.title}, {breakdown.phrase}",
        columns=columns,
        rows=tuple(rows),
        summary=_summary(measure, quarter, total),
        notes=f"{measure.notes} {suppression_note()}",
    )


def _share_waiting(breakdown: Breakdown, row: Hashable, published: Published) -> Any:
    over = _cell("waiting-over-target", breakdown.slug, row, TOTAL)
    waiting = _cell("waiting", breakdown.slug, row, TOTAL)
    return disclosure.show_percentage(published.shown[over], published.shown[waiting])


def _summary(measure: Measure, quarter: Quarter, total: disclosure.Shown) -> str:
    if total == disclosure.SUPPRESSED:
        amount = _("fewer than 8")
    elif total == 0:
        amount = _("none")
    else:
        amount = _("about %(n)s") % {"n": f"{total:,}"}
    return _("%(title)s in %(quarter)s: %(amount)s in all.") % {
        "title": measure.title,
        "quarter": quarter.label,
        "amount": amount,
    }


def suppression_note() -> str:
    return _(
        "* = 1 to 7, or hidden so that it cannot be worked out from other figures; "
        "other counts rounded to the nearest 5."
    )


def available_quarters(team: Team, *, today: dt.date) -> list[Quarter]:
    """The complete quarters since the team's first referral, newest first; always at
    least the last complete quarter."""
    last = Quarter.last_complete(today)
    first_day = Referral.objects.for_team(team).aggregate(first=Min("received_on"))["first"]
    first = Quarter.containing(first_day) if first_day else last
    quarters = [last]
    while quarters[-1] > first:
        quarters.append(quarters[-1].previous())
    return quarters
