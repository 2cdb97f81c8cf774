"""Demand: referrals received per month by source, by triage tier and by locality, and
re-referrals.

A referral counts in the month of its received date, which is already the local
(Europe/London) date it arrived. The database counts referrals per received date (and
source, or status and tier); Python folds the dates into months, so no query needs a
database-specific date function and every month in the period is shown, empty or not.
docs/metrics.md ("Demand") defines each figure.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import formats
from django.utils.translation import gettext as _

from sapling.accounts.models import Team
from sapling.referrals.models import Referral, ReferralQuerySet, Source, Status
from sapling.reports.filters import Comparable, Filters, PeriodFigure
from sapling.reports.memo import memoised, remembering
from sapling.reports.metrics import length_in_months, month_start, months_in, percent
from sapling.reports.tables import ChartSpec, Column, Section, Table
from sapling.triage.models import Tier
from sapling.waitlist.models import WaitlistEntry

# A referral within this many days after an earlier one for the same child is a re-referral.
RE_REFERRAL_DAYS = 365

NOT_TRIAGED = "not_triaged"
DECLINED = "declined"
WITHDRAWN = "withdrawn"
TRIAGE_RESULTS = (Tier.UNIVERSAL, Tier.TARGETED, Tier.SPECIALIST, NOT_TRIAGED, DECLINED, WITHDRAWN)


def triage_result(status: str, entry_tier: str | None) -> str:
    """Where triage sent a referral: its waiting-list tier, universal, not yet triaged,
    declined (or redirected), or withdrawn before triage."""
    if entry_tier:
        return entry_tier
    if status == Status.UNIVERSAL:
        return Tier.UNIVERSAL
    if status in {Status.DECLINED, Status.REDIRECTED}:
        return DECLINED
    if status == Status.WITHDRAWN:
        return WITHDRAWN
    return NOT_TRIAGED


def _result_labels() -> dict[str, str]:
    return {
        Tier.UNIVERSAL: _("Universal"),
        Tier.TARGETED: _("Targeted"),
        Tier.SPECIALIST: _("Specialist"),
        NOT_TRIAGED: _("Not yet triaged"),
        DECLINED: _("Declined or redirected"),
        WITHDRAWN: _("Withdrawn before triage"),
    }


def tier_condition(tier: str) -> Q:
    """Referrals triaged to a tier: universal ones have no waiting-list entry."""
    if tier == Tier.UNIVERSAL:
        return Q(status=Status.UNIVERSAL) | Q(waitlist_entry__tier=Tier.UNIVERSAL)
    return Q(waitlist_entry__tier=tier)


def referrals_in(team: Team, filters: Filters) -> ReferralQuerySet:
    """The team's referrals received in the period, in the locality and tier filtered to."""
    found = Referral.objects.for_team(team).filter(
        received_on__gte=filters.date_from, received_on__lte=filters.date_to
    )
    if filters.locality_id is not None:
        found = found.filter(child_locality_id=filters.locality_id)
    if filters.tier:
        found = found.filter(tier_condition(filters.tier))
    return found.order_by()


def with_re_referral(referrals: ReferralQuerySet) -> ReferralQuerySet:
    """Each referral marked `is_re_referral`: the same child had another referral
    received in the RE_REFERRAL_DAYS days before this one (same-day ones are duplicates,
    not re-referrals)."""
    # A child's referrals are all to its team, so matching the child alone is enough, and
    # it lets every database look them up by the child's index rather than the team's.
    earlier = Referral.objects.filter(
        child_id=OuterRef("child_id"),
        received_on__lt=OuterRef("received_on"),
        received_on__gte=OuterRef("received_on") - dt.timedelta(days=RE_REFERRAL_DAYS),
    )
    return referrals.annotate(is_re_referral=Exists(earlier))


def month_label(month: dt.date) -> str:
    return formats.date_format(month, "F Y")


def fold_by_month(
    rows: Iterable[tuple[dt.date, str, int]], months: list[dt.date]
) -> dict[dt.date, Counter[str]]:
    """{month: {key: n}} from (received date, key, n) rows; every month present."""
    folded: dict[dt.date, Counter[str]] = {month: Counter() for month in months}
    for day, key, n in rows:
        folded[month_start(day)][key] += n
    return folded


def _programme_note(filters: Filters) -> str:
    """Said under every demand table when the dashboard is filtered to a programme."""
    if filters.programme_id is None:
        return ""
    return " " + _("The programme filter does not apply: a referral is not to a programme.")


DayCounts = tuple[tuple[dt.date, str, str, str | None, int, int], ...]


@memoised
def day_counts(team: Team, filters: Filters) -> DayCounts:
    """(received date, source, status, waiting-list tier, referrals, re-referrals) for the
    period: one query that the source, triage and re-referral tables all fold, so a large
    team's referrals are read once."""
    # The entry's tier looked up per referral (one-to-one, by its unique index): a join
    # makes PostgreSQL hash every team's waiting-list entries, several times slower.
    entry_tier = Subquery(WaitlistEntry.objects.filter(referral=OuterRef("pk")).values("tier"))
    return tuple(
        with_re_referral(referrals_in(team, filters))
        .annotate(entry_tier=entry_tier)
        .values_list("received_on", "source", "status", "entry_tier")
        .annotate(n=Count("pk"), again=Count("pk", filter=Q(is_re_referral=True)))
    )


def referrals_by_source(team: Team, filters: Filters) -> Table:
    months = months_in(filters.date_from, filters.date_to)
    rows = day_counts(team, filters)
    folded = fold_by_month(((day, source, n) for day, source, _s, _t, n, _a in rows), months)
    present = {source for counts in folded.values() for source in counts}
    sources = [source for source in Source if source in present]
    monthly = {month: sum(folded[month].values()) for month in months}
    busiest = max(months, key=lambda month: monthly[month], default=None)
    return Table(
        slug="referrals-by-month",
        title=_("Referrals received each month, by who referred"),
        columns=(
            Column("month", _("Month"), "text"),
            *(Column(source.value, str(source.label)) for source in sources),
            Column("total", _("All referrals")),
        ),
        rows=tuple(
            (
                month_label(month),
                *(folded[month][source.value] for source in sources),
                monthly[month],
            )
            for month in months
        ),
        summary=_(
            "%(total)s referrals were received in %(months)s months; the most, %(most)s, "
            "in %(month)s."
        )
        % {
            "total": sum(monthly.values()),
            "months": len(months),
            "most": monthly[busiest],
            "month": month_label(busiest),
        }
        if busiest and monthly[busiest]
        else _("No referrals were received in the period."),
        chart=ChartSpec(
            "bar", x="month", series=tuple(s.value for s in sources), y_title=_("Referrals")
        ),
        notes=_(
            "A referral counts in the month of the date it was received (UK time). Months "
            "with no referrals show 0."
        )
        + _programme_note(filters),
    )


def referrals_by_tier(team: Team, filters: Filters) -> Table:
    months = months_in(filters.date_from, filters.date_to)
    rows = day_counts(team, filters)
    folded = fold_by_month(
        ((day, triage_result(status, tier), n) for day, _source, status, tier, n, _a in rows),
        months,
    )
    labels = _result_labels()
    totals = Counter[str]()
    for counts in folded.values():
        totals.update(counts)
    all_referrals = sum(totals.values())
    return Table(
        slug="referrals-by-tier",
        title=_("Referrals received each month, by where triage sent them"),
        columns=(
            Column("month", _("Month"), "text"),
            *(Column(key, labels[key]) for key in TRIAGE_RESULTS),
            Column("total", _("All referrals")),
        ),
        rows=tuple(
            (
                month_label(month),
                *(folded[month][key] for key in TRIAGE_RESULTS),
                sum(folded[month].values()),
            )
            for month in months
        ),
        summary=_(
            "Of %(total)s referrals, %(universal)s went to universal support, %(targeted)s "
            "to targeted and %(specialist)s to specialist; %(waiting)s are not yet triaged."
        )
        % {
            "total": all_referrals,
            "universal": totals[Tier.UNIVERSAL],
            "targeted": totals[Tier.TARGETED],
            "specialist": totals[Tier.SPECIALIST],
            "waiting": totals[NOT_TRIAGED],
        },
        chart=ChartSpec("bar", x="month", series=TRIAGE_RESULTS, y_title=_("Referrals")),
        notes=_(
            "Targeted and specialist are the tier of the waiting-list entry triage made "
            "(including children since seen, or whose referral was later withdrawn). "
            "The tier filter keeps the referrals triaged to that tier."
        )
        + _programme_note(filters),
    )


def locality_counts(team: Team, filters: Filters) -> dict[int | None, int]:
    """{the child's locality id: referrals} for the period: one query, or none when the
    dashboard is filtered to a locality (every referral counted is then in it)."""
    if filters.locality_id is not None:
        rows = day_counts(team, filters)
        return {filters.locality_id: sum(n for _d, _s, _st, _t, n, _a in rows)}
    found = referrals_in(team, filters)
    return dict(found.values_list("child_locality_id").annotate(n=Count("pk")))


def referrals_by_locality(team: Team, filters: Filters) -> Table:
    counts = locality_counts(team, filters)
    localities = team.localities.all()
    if filters.locality_id is not None:
        localities = localities.filter(pk=filters.locality_id)
    named = [(locality.name, counts.get(locality.pk, 0)) for locality in localities]
    if filters.locality_id is None:
        named.append((_("No locality recorded"), counts.get(None, 0)))
    total = sum(counts.values())
    return Table(
        slug="referrals-by-locality",
        title=_("Referrals received, by the child's locality"),
        columns=(
            Column("locality", _("Locality"), "text"),
            Column("referrals", _("Referrals")),
            Column("share", _("Share of referrals"), "percent"),
        ),
        rows=tuple((name, n, percent(n, total)) for name, n in named),
        summary=_("%(total)s referrals across %(places)s localities.")
        % {"total": total, "places": len(named)},
        chart=ChartSpec("bar", x="locality", series=("referrals",), y_title=_("Referrals")),
        notes=_(
            "The locality is the one on the child's record now. Localities with no "
            "referrals show 0."
        )
        + _programme_note(filters),
    )


def re_referral_counts(team: Team, filters: Filters) -> list[tuple[dt.date, int, int]]:
    """(received date, referrals, re-referrals) for the period."""
    by_day: dict[dt.date, tuple[int, int]] = {}
    for day, _source, _status, _tier, n, again in day_counts(team, filters):
        referrals, re_referred = by_day.get(day, (0, 0))
        by_day[day] = (referrals + n, re_referred + again)
    return [(day, n, again) for day, (n, again) in sorted(by_day.items())]


def re_referrals(team: Team, filters: Filters) -> Table:
    months = months_in(filters.date_from, filters.date_to)
    rows = re_referral_counts(team, filters)
    referrals = fold_by_month(((day, "n", n) for day, n, _again in rows), months)
    again = fold_by_month(((day, "n", n) for day, _n, n in rows), months)
    total, total_again = sum(n for _d, n, _a in rows), sum(a for _d, _n, a in rows)
    rate = percent(total_again, total)
    return Table(
        slug="re-referrals",
        title=_("Re-referrals each month"),
        columns=(
            Column("month", _("Month"), "text"),
            Column("referrals", _("All referrals")),
            Column("re_referrals", _("Re-referrals")),
            Column("rate", _("Re-referral rate"), "percent"),
        ),
        rows=tuple(
            (
                month_label(month),
                referrals[month]["n"],
                again[month]["n"],
                percent(again[month]["n"], referrals[month]["n"]),
            )
            for month in months
        ),
        summary=(
            _("%(again)s of %(total)s referrals (%(rate)s%%) were re-referrals.")
            % {"again": total_again, "total": total, "rate": rate}
            if rate is not None
            else _("No referrals were received in the period.")
        ),
        chart=ChartSpec("line", x="month", series=("rate",), y_title=_("% of referrals")),
        notes=_(
            "A re-referral is a referral for a child who had another referral to the team "
            "received in the 365 days before it, whatever happened to that one. Referrals "
            "on the same day are duplicates, not re-referrals. A month with no referrals "
            "has no rate."
        )
        + _programme_note(filters),
    )


def section(team: Team, filters: Filters, *, today: dt.date) -> Section:
    # The source, triage, re-referral (and, filtered to a locality, locality) tables share
    # one query.
    with remembering():
        return Section(
            slug="demand",
            title=_("Demand"),
            tables=(
                referrals_by_source(team, filters),
                referrals_by_tier(team, filters),
                referrals_by_locality(team, filters),
                re_referrals(team, filters),
            ),
        )


@memoised
def period_totals(team: Team, filters: Filters) -> tuple[int, int]:
    """(referrals, re-referrals) in the period: one aggregate, which before/after asks for
    each window (lighter than the tables' counts by day, source and tier)."""
    totals = with_re_referral(referrals_in(team, filters)).aggregate(
        n=Count("pk"), again=Count("pk", filter=Q(is_re_referral=True))
    )
    return totals["n"], totals["again"]


def referrals_a_month(team: Team, filters: Filters) -> PeriodFigure:
    """Mean referrals a month: referrals in the period ÷ its length in average months."""
    n, _again = period_totals(team, filters)
    months = length_in_months(filters.date_from, filters.date_to)
    return PeriodFigure((n / months).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), n)


def re_referral_rate(team: Team, filters: Filters) -> PeriodFigure:
    total, again = period_totals(team, filters)
    return PeriodFigure(percent(again, total), total)


def comparables() -> list[Comparable]:
    return [
        Comparable(
            "referrals-a-month", _("Referrals a month"), _("referrals a month"), referrals_a_month
        ),
        Comparable("re-referral-rate", _("Re-referral rate"), "%", re_referral_rate),
    ]
