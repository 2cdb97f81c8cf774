"""Return on investment: an estimate from the lead's own assumptions (docs/metrics.md,
"Return on investment").

Every quantity is a figure shown elsewhere on the dashboard; every price is a
ReportSettings assumption the lead edits on the report settings page. Nothing here is
measured money: the table says so, and shows each assumption beside what it multiplies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from sapling.accounts.models import Team
from sapling.care.models import Appointment, ContactOutcome
from sapling.reports import group_report, outcome_report
from sapling.reports.filters import Filters
from sapling.reports.models import ReportSettings
from sapling.reports.tables import Column, Section, Table
from sapling.triage.models import Tier

PENCE = Decimal("0.01")


def specialist_contacts_attended(team: Team, filters: Filters) -> int:
    """Attended specialist appointments starting in the period. Specialist care has no
    programme, so a programme filter, or a tier other than specialist, counts none."""
    if filters.programme_id is not None or filters.tier not in (None, Tier.SPECIALIST):
        return 0
    start, end = group_report.period_bounds(filters)
    found = Appointment.objects.for_team(team).filter(
        outcome=ContactOutcome.ATTENDED, starts_at__gte=start, starts_at__lt=end
    )
    if filters.locality_id is not None:
        found = found.filter(child_locality_id=filters.locality_id)
    return found.count()


@dataclass(frozen=True)
class Line:
    label: str
    quantity: int
    unit: Decimal

    def __post_init__(self) -> None:
        # A settings row made on first use holds its defaults as given (int), not Decimal.
        object.__setattr__(self, "unit", Decimal(self.unit).quantize(PENCE))

    @property
    def amount(self) -> Decimal:
        return (self.unit * self.quantity).quantize(PENCE)


@dataclass(frozen=True)
class Estimate:
    costs: tuple[Line, ...]
    values: tuple[Line, ...]

    @property
    def cost(self) -> Decimal:
        return sum((line.amount for line in self.costs), Decimal("0.00"))

    @property
    def value(self) -> Decimal:
        return sum((line.amount for line in self.values), Decimal("0.00"))

    @property
    def net(self) -> Decimal:
        return self.value - self.cost

    @property
    def per_hundred(self) -> Decimal | None:
        """Value for each £100 of cost (a whole-pound figure reads better than £1.15 per
        £1); no figure when nothing was delivered."""
        if not self.cost:
            return None
        return (self.value * 100 / self.cost).quantize(Decimal("1"), ROUND_HALF_UP)


def estimate(team: Team, filters: Filters) -> Estimate:
    assumptions = ReportSettings.for_team(team)
    places = group_report.places_attended(team, filters)
    consultations = group_report.consultation_totals(team, filters)
    goals_achieved = outcome_report.goals_achieved(team, filters)
    return Estimate(
        costs=(
            Line(
                _("Specialist contacts attended"),
                specialist_contacts_attended(team, filters),
                assumptions.cost_per_specialist_contact,
            ),
            Line(_("Group and training places attended"), places, assumptions.cost_per_group_place),
            Line(
                _("Consultations after training held"),
                consultations.held,
                assumptions.cost_per_consultation,
            ),
        ),
        values=(
            Line(
                _("Specialist referrals avoided after consultation"),
                consultations.referral_avoided,
                assumptions.value_per_referral_avoided,
            ),
            Line(
                _("GAS goals achieved (rated 0 or better)"),
                goals_achieved,
                assumptions.value_per_goal_achieved,
            ),
        ),
    )


def roi_table(team: Team, filters: Filters) -> Table:
    found = estimate(team, filters)
    cost_rows = [
        (_("Cost"), line.label, line.quantity, line.unit, line.amount) for line in found.costs
    ]
    value_rows = [
        (_("Value"), line.label, line.quantity, line.unit, line.amount) for line in found.values
    ]
    rows = (
        *cost_rows,
        (_("Cost"), _("Total cost"), None, None, found.cost),
        *value_rows,
        (_("Value"), _("Total value"), None, None, found.value),
        (_("Estimate"), _("Net value (value minus cost)"), None, None, found.net),
        (_("Estimate"), _("Value for each £100 spent"), None, None, found.per_hundred),
    )
    summary = (
        _(
            "Estimate: delivering the service cost about £%(cost)s and returned about "
            "£%(value)s of value (£%(per_hundred)s for each £100), on the assumptions shown."
        )
        % {
            "cost": f"{found.cost:,.0f}",
            "value": f"{found.value:,.0f}",
            "per_hundred": found.per_hundred,
        }
        if found.per_hundred is not None
        else _("Estimate: nothing priced was delivered in the period, so there is no figure.")
    )
    return Table(
        slug="roi-estimate",
        title=_("Return on investment (estimate)"),
        columns=(
            Column("part", _("Part"), "text"),
            Column("item", _("Item"), "text"),
            Column("quantity", _("Number in the period")),
            Column("unit", _("Assumed £ each"), "money"),
            Column("amount", _("£"), "money"),
        ),
        rows=rows,
        summary=summary,
        chart=None,
        notes=" ".join(
            [
                _(
                    "This is an estimate, not an account of money spent or saved: each "
                    "number is a figure from this dashboard for the period and filters, "
                    "multiplied by the lead's assumption beside it (illustrative defaults; "
                    "docs/metrics.md 'Return on investment')."
                ),
                _("Change the assumptions on the report settings page: %(url)s.")
                % {"url": reverse("reports:edit_report_settings")},
                _(
                    "Specialist contacts count only with no programme filter and no tier or "
                    "the specialist tier; group places and consultations ignore the locality "
                    "filter, as their own tables do."
                ),
            ]
        ),
    )


def section(team: Team, filters: Filters, *, today: dt.date) -> Section:
    return Section(slug="roi", title=_("Return on investment"), tables=(roi_table(team, filters),))
