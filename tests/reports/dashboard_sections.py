"""A hand-made dashboard Section for the page's tests, so they do not depend on the
figures other sections compute: referrals a month (for the filters' period and locality),
and a waiting chart with a gap and a band."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from sapling.accounts.models import Team
from sapling.referrals.models import Referral
from sapling.reports import sections
from sapling.reports.filters import Filters
from sapling.reports.tables import ChartSpec, Column, Section, Table


def referrals_by_month(team: Team, filters: Filters) -> Table:
    referrals = Referral.objects.for_team(team).filter(
        received_on__range=(filters.date_from, filters.date_to)
    )
    if filters.locality_id is not None:
        referrals = referrals.filter(child__locality_id=filters.locality_id)
    months = Counter(day.replace(day=1) for day in referrals.values_list("received_on", flat=True))
    rows = tuple((month.strftime("%Y-%m"), months[month]) for month in sorted(months))
    total = sum(months.values())
    return Table(
        slug="referrals-by-month",
        title="Referrals a month",
        columns=(Column("month", "Month", "text"), Column("referrals", "Referrals")),
        rows=rows,
        summary=f"{total} referrals in the period.",
        chart=ChartSpec("bar", x="month", series=("referrals",), y_title="Referrals"),
        notes="Counted by the date each referral was received.",
    )


WAITS = Table(
    slug="median-wait",
    title="Median wait by week",
    columns=(
        Column("week", "Week", "date"),
        Column("median", "Median wait (weeks)", "weeks"),
        Column("low", "Low", "weeks"),
        Column("high", "High", "weeks"),
        Column("within", "Within target", "percent"),
    ),
    rows=(
        (dt.date(2026, 1, 5), Decimal("6.5"), Decimal("4"), Decimal("9"), Decimal("81.4")),
        (dt.date(2026, 1, 12), None, None, None, None),
        (dt.date(2026, 1, 19), Decimal("7.0"), Decimal("5"), Decimal("10"), Decimal("78")),
    ),
    summary="The median wait rose from 6.5 to 7.0 weeks.",
    chart=ChartSpec(
        "line", x="week", series=("median", "within"), bands={"median": ("low", "high")}
    ),
)


def demand_section(team: Team, filters: Filters, *, today: dt.date) -> Section:
    table = referrals_by_month(team, filters)
    return Section("demand", "Demand", (table,), summary=f"Demand: {table.summary}")


def waiting_section(team: Team, filters: Filters, *, today: dt.date) -> Section:
    return Section("waiting", "Waiting", (WAITS,), summary="Waits are steady.")


def empty_section(team: Team, filters: Filters, *, today: dt.date) -> Section:
    return Section("groups", "Training and groups", ())


def use_hand_made_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sections, "SECTIONS", (demand_section, waiting_section, empty_section))
