"""The dashboard's filters, and the before-and-after page's: GET forms whose valid answer is
a `Filters`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.core.forms import SaplingForm
from sapling.core.widgets import NHSDateField
from sapling.reports.filters import Filters
from sapling.triage.models import Tier

ALL = ""


class ScopeFiltersForm(SaplingForm):
    """Locality, tier and programme: the before-and-after page's filters (its windows are
    set by the service change date, not chosen)."""

    locality = forms.ChoiceField(label=_("Locality"), required=False)
    tier = forms.ChoiceField(label=_("Tier"), required=False)
    programme = forms.ChoiceField(label=_("Programme"), required=False)

    def __init__(self, *args: Any, team: Team, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.default = Filters.last_twelve_months(today)
        self._choices("locality", _("All localities"), team.localities.values_list("pk", "name"))
        self._choices("tier", _("All tiers"), Tier.choices)
        programmes = team.programmes.order_by("name").values_list("pk", "name")
        self._choices("programme", _("All programmes"), programmes)
        # Django's own "not one of the available choices" names no field; say which.
        for name, what in (
            ("locality", _("Choose a locality from the list")),
            ("tier", _("Choose a tier from the list")),
            ("programme", _("Choose a programme from the list")),
        ):
            self.fields[name].error_messages["invalid_choice"] = what

    def _choices(self, name: str, everything: Any, choices: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(ALL, everything), *((str(key), label) for key, label in choices)]

    def filters(self) -> Filters:
        """The chosen locality, tier and programme over the default period, or the default
        when the form is unbound or has errors: bad input changes nothing."""
        if not self.is_bound or not self.is_valid():
            return self.default
        return self._scoped(self.default)

    def _scoped(self, period: Filters) -> Filters:
        data = self.cleaned_data
        return Filters(
            date_from=period.date_from,
            date_to=period.date_to,
            locality_id=int(data["locality"]) if data.get("locality") else None,
            tier=data.get("tier") or None,
            programme_id=int(data["programme"]) if data.get("programme") else None,
        )


class DashboardFiltersForm(ScopeFiltersForm):
    date_from = NHSDateField(label=_("From"), help_text=_("For example, 1 4 2026"), required=False)
    date_to = NHSDateField(label=_("To"), help_text=_("For example, 31 3 2027"), required=False)
    field_order = ("date_from", "date_to", "locality", "tier", "programme")

    def __init__(self, *args: Any, team: Team, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, team=team, today=today, **kwargs)
        self.fields["date_from"].initial = self.default.date_from
        self.fields["date_to"].initial = self.default.date_to

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_to = data.get("date_to") or self.default.date_to
        date_from = data.get("date_from") or Filters.last_twelve_months(date_to).date_from
        if data.get("date_from") and date_from > self.today:
            self.add_error("date_from", _("The start date must be today or in the past"))
        if data.get("date_to") and date_to > self.today:
            self.add_error("date_to", _("The end date must be today or in the past"))
        if not self.errors and date_from > date_to:
            self.add_error("date_from", _("The start date must be on or before the end date"))
        return data

    def filters(self) -> Filters:
        """The chosen filters, or the default (the last 12 months, everything) when the
        form is unbound or has errors: bad input changes nothing."""
        if not self.is_bound or not self.is_valid():
            return self.default
        data = self.cleaned_data
        date_to = data.get("date_to") or self.default.date_to
        # A period given only by its end is the twelve months up to it.
        date_from = data.get("date_from") or Filters.last_twelve_months(date_to).date_from
        return self._scoped(Filters(date_from, date_to))
