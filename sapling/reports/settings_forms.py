"""The lead's report settings: the catchment and age band behind reach per 1,000, the
service change date behind before-and-after, and the return-on-investment assumptions."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sapling.accounts.models import Team, User
from sapling.areas.models import DeprivationIndex, Lsoa
from sapling.core.forms import SaplingModelForm
from sapling.core.widgets import NHSDateField
from sapling.reports.models import ReportSettings

MONEY_FIELDS = [
    "cost_per_specialist_contact",
    "cost_per_group_place",
    "cost_per_consultation",
    "value_per_referral_avoided",
    "value_per_goal_achieved",
]
CATCHMENT_FIELDS = [
    "catchment_local_authorities",
    "catchment_lsoas",
    "population_age_from",
    "population_age_to",
]
SERVICE_CHANGE_FIELDS = ["service_change_date", "service_change_label"]
OLDEST_AGE = 25


def nation_prefixes(team: Team) -> list[str]:
    """The LSOA code prefixes of the team's nation (W01 for Wales, E01 for England)."""
    return sorted(
        set(
            DeprivationIndex.objects.filter(nation=team.nation).values_list(
                "lsoa_prefix", flat=True
            )
        )
    )


def local_authorities(team: Team) -> list[str]:
    """Every local authority the areas data names in the team's nation, A to Z."""
    prefixes = nation_prefixes(team)
    if not prefixes:
        return []
    in_nation = Lsoa.objects.none()
    for prefix in prefixes:
        in_nation |= Lsoa.objects.filter(code__startswith=prefix)
    return list(
        in_nation.exclude(local_authority="")
        .order_by("local_authority")
        .values_list("local_authority", flat=True)
        .distinct()
    )


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the %(label)s, or 0") % {"label": label.lower()},
            "invalid": _("Enter the %(label)s as an amount in pounds, like 95 or 95.50")
            % {"label": label.lower()},
            "min_value": _("The %(label)s cannot be less than £0") % {"label": label.lower()},
            "max_decimal_places": _("Enter the %(label)s to the penny, like 95.50")
            % {"label": label.lower()},
            "max_digits": _("The %(label)s must be less than £1,000,000")
            % {"label": label.lower()},
            "max_whole_digits": _("The %(label)s must be less than £1,000,000")
            % {"label": label.lower()},
        },
    )


def _age(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=OLDEST_AGE,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("In whole years, from 0 to %(oldest)s") % {"oldest": OLDEST_AGE},
        error_messages={
            "required": _("Enter the %(label)s") % {"label": label.lower()},
            "invalid": _("Enter the %(label)s as a whole number of years, like 17")
            % {"label": label.lower()},
            "min_value": _("The %(label)s must be 0 or more") % {"label": label.lower()},
            "max_value": _("The %(label)s must be %(oldest)s or less")
            % {"label": label.lower(), "oldest": OLDEST_AGE},
        },
    )


class ReportSettingsForm(SaplingModelForm):
    catchment_local_authorities = forms.MultipleChoiceField(
        label=gettext_lazy("Local authorities"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Every area in the local authorities chosen is in the catchment."),
    )
    catchment_lsoas = forms.CharField(
        label=gettext_lazy("Other areas (LSOA codes)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Lower layer super output areas (2011 codes, like W01000001) outside those "
            "authorities, one a line or separated by commas."
        ),
    )
    service_change_date = NHSDateField(
        label=gettext_lazy("Service change date"),
        required=False,
        allow_future=False,
        help_text=gettext_lazy(
            "The date the service changed, to compare figures before and after it. For "
            "example, 1 9 2025."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ReportSettings
        fields = [*CATCHMENT_FIELDS, *SERVICE_CHANGE_FIELDS, *MONEY_FIELDS]
        labels = {"service_change_label": gettext_lazy("What changed")}
        help_texts = {
            "service_change_label": gettext_lazy("For example, tiered triage and groups began.")
        }

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.prefixes = nation_prefixes(team)
        self.fields["catchment_local_authorities"].choices = [  # type: ignore[attr-defined]
            (name, name) for name in local_authorities(team)
        ]
        self.fields["population_age_from"] = _age(_("Youngest age counted"))
        self.fields["population_age_to"] = _age(_("Oldest age counted"))
        for name in MONEY_FIELDS:
            self.fields[name] = _money(str(self.fields[name].label))
        if not self.is_bound:
            self.initial["catchment_lsoas"] = "\n".join(self.instance.catchment_lsoas or [])
            self.initial["version"] = self.instance.version

    def clean_catchment_lsoas(self) -> list[str]:
        codes = list(
            dict.fromkeys(
                c.upper() for c in re.split(r"[\s,;]+", self.cleaned_data["catchment_lsoas"]) if c
            )
        )
        known = set(Lsoa.objects.filter(code__in=codes).values_list("code", flat=True))
        problems = []
        for code in codes:
            if code not in known:
                problems.append(
                    ValidationError(
                        _("%(code)s is not an LSOA code in the areas data") % {"code": code}
                    )
                )
            elif not code.startswith(tuple(self.prefixes)):
                problems.append(
                    ValidationError(
                        _(
                            "%(code)s is in another nation: this team's quintiles come from "
                            "its own nation's index"
                        )
                        % {"code": code}
                    )
                )
        if problems:
            raise ValidationError(problems)
        return codes

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        youngest, oldest = cleaned.get("population_age_from"), cleaned.get("population_age_to")
        if youngest is not None and oldest is not None and youngest > oldest:
            self.add_error(
                "population_age_to",
                _("The oldest age counted must be the same as or more than the youngest"),
            )
        if cleaned.get("service_change_label") and not cleaned.get("service_change_date"):
            self.add_error(
                "service_change_date",
                _("Enter the service change date, or leave what changed empty"),
            )
        return cleaned

    def save_versioned(self, *, by: User) -> ReportSettings:
        """Save only if nobody else saved since this form was opened (else StaleEdit)."""
        settings_row: ReportSettings = self.instance
        settings_row.updated_by = by
        settings_row.save_versioned(expected_version=self.cleaned_data["version"])
        return settings_row
