"""Before and after: each comparable figure over equal windows either side of the team's
service change date (ReportSettings.service_change_date), with the change and the size of
each group.

The windows are up to twelve months each side, equal in length, and shortened (both alike)
when the change is less than a year ago or the team's referrals start less than a year
before it. No date range moves them (the page has none); its locality, tier and programme
filters pass to each figure. docs/metrics.md ("Before and after") says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from sapling.accounts.models import Team
from sapling.referrals.models import Referral
from sapling.reports.filters import Comparable, Filters, PeriodFigure
from sapling.reports.models import ReportSettings
from sapling.reports.tables import Column, Section, Table

SLUG = "before-after"


@dataclass(frozen=True)
class Windows:
    """Two periods of `days` days: the last before the change date, the first from it."""

    change: dt.date
    days: int

    @property
    def before(self) -> tuple[dt.date, dt.date]:
        return self.change - dt.timedelta(days=self.days), self.change - dt.timedelta(days=1)

    @property
    def after(self) -> tuple[dt.date, dt.date]:
        return self.change, self.change + dt.timedelta(days=self.days - 1)


def windows(change: dt.date, *, today: dt.date, first_data: dt.date | None) -> Windows | None:
    """Up to twelve months each side of `change`, equal, within the data; None when one
    side would be empty (a change after today, or no records before it)."""
    twelve_months = (
        change - Filters.last_twelve_months(change - dt.timedelta(days=1)).date_from
    ).days
    days = min(twelve_months, (today - change).days + 1)
    if first_data is not None:
        days = min(days, (change - first_data).days)
    if first_data is None or days < 1:
        return None
    return Windows(change, days)


@dataclass(frozen=True)
class Comparison:
    comparable: Comparable
    before: PeriodFigure
    after: PeriodFigure

    @property
    def change(self) -> Decimal | None:
        if self.before.value is None or self.after.value is None:
            return None
        return self.after.value - self.before.value

    @property
    def relative_change(self) -> Decimal | None:
        """The change as a percentage of the before figure; none for figures that are
        already percentages (their change is in percentage points) or from zero."""
        change = self.change
        if change is None or self.comparable.unit == "%" or not self.before.value:
            return None
        return (change * 100 / self.before.value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def compare(comparable: Comparable, team: Team, filters: Filters, span: Windows) -> Comparison:
    return Comparison(
        comparable,
        before=comparable.measure(team, filters.with_period(*span.before)),
        after=comparable.measure(team, filters.with_period(*span.after)),
    )


def _day(day: dt.date) -> str:
    return formats.date_format(day, "j M Y")


def _columns(span: Windows) -> tuple[Column, ...]:
    (b_from, b_to), (a_from, a_to) = span.before, span.after
    return (
        Column("figure", _("Figure"), "text"),
        Column("unit", _("Unit"), "text"),
        Column(
            "before",
            _("Before (%(from)s to %(to)s)") % {"from": _day(b_from), "to": _day(b_to)},
            "rate",
        ),
        Column(
            "after",
            _("After (%(from)s to %(to)s)") % {"from": _day(a_from), "to": _day(a_to)},
            "rate",
        ),
        Column("change", _("Change"), "rate"),
        Column("relative_change", _("Change (% of before)"), "percent"),
        Column("before_size", _("Before: group size"), "count"),
        Column("after_size", _("After: group size"), "count"),
    )


def _row(comparison: Comparison) -> tuple[object, ...]:
    return (
        comparison.comparable.label,
        comparison.comparable.unit,
        comparison.before.value,
        comparison.after.value,
        comparison.change,
        comparison.relative_change,
        comparison.before.size,
        comparison.after.size,
    )


def _sentence(comparison: Comparison) -> str:
    unit = comparison.comparable.unit

    def shown(figure: PeriodFigure) -> str:
        if figure.value is None:
            return _("no figure")
        return f"{figure.value}%" if unit == "%" else f"{figure.value} {unit}"

    return _("%(figure)s: %(before)s before and %(after)s after (groups of %(b)s and %(a)s)") % {
        "figure": comparison.comparable.label,
        "before": shown(comparison.before),
        "after": shown(comparison.after),
        "b": comparison.before.size,
        "a": comparison.after.size,
    }


def comparison_table(
    team: Team, filters: Filters, span: Windows, comparables: list[Comparable], what: str
) -> Table:
    comparisons = [compare(comparable, team, filters, span) for comparable in comparables]
    heading = _("Compared over %(days)s days either side of %(date)s%(what)s.") % {
        "days": span.days,
        "date": formats.date_format(span.change, "j F Y"),
        "what": f" ({what})" if what else "",
    }
    return Table(
        slug=SLUG,
        title=_("Before and after the service change"),
        columns=_columns(span),
        rows=tuple(_row(comparison) for comparison in comparisons),
        summary=" ".join([heading, *(_sentence(c) + "." for c in comparisons)]),
        period=(span.before[0], span.after[1]),
        notes=_(
            "Each window is up to twelve months, the same length both sides, shortened when "
            "the change is less than a year ago or the records start less than a year before "
            "it: the service change date sets them, not a date range. The locality, tier and "
            "programme filters apply. Group size is the number of referrals or children each "
            "figure is over. A change in a percentage is in percentage points, so it has no "
            "relative change."
        ),
    )


def not_comparable(message: str) -> Table:
    return Table(
        slug=SLUG,
        title=_("Before and after the service change"),
        columns=(Column("figure", _("Figure"), "text"),),
        rows=(),
        summary=message,
        notes=_("Set or change the date in the report settings: %(url)s")
        % {"url": reverse("reports:edit_report_settings")},
    )


def section(team: Team, filters: Filters, *, today: dt.date) -> Section:
    from sapling.reports.sections import comparables  # sections imports this module

    settings = ReportSettings.for_team(team)
    change = settings.service_change_date
    if change is None:
        table = not_comparable(
            _("No service change date is set, so there is nothing to compare before and after.")
        )
    else:
        first = Referral.objects.for_team(team).aggregate(first=Min("received_on"))["first"]
        span = windows(change, today=today, first_data=first)
        if span is None:
            table = not_comparable(
                _(
                    "The service change date, %(date)s, leaves no records on one side of it "
                    "to compare."
                )
                % {"date": formats.date_format(change, "j F Y")}
            )
        else:
            table = comparison_table(
                team, filters, span, comparables(), settings.service_change_label
            )
    return Section(slug=SLUG, title=_("Before and after"), tables=(table,), summary=table.summary)
