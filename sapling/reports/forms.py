from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.core.forms import SaplingForm
from sapling.reports.models import PlanningScenario
from sapling.reports.planning import BASELINE, MAX_COMPARED, WhatIf
from sapling.reports.runs import LONG_RUNS
from sapling.waitlist.forms import VersionedForm


class WhatIfForm(SaplingForm):
    extra_targeted = forms.FloatField(
        label=_("More children starting targeted support each week"),
        help_text=_("For example 4 for one more group of 12 every three weeks"),
        min_value=0,
        max_value=100,
        required=False,
    )
    extra_specialist = forms.FloatField(
        label=_("More first specialist contacts each week"),
        help_text=_("For example 2 for about half a clinician more"),
        min_value=0,
        max_value=100,
        required=False,
    )
    share_to_targeted = forms.IntegerField(
        label=_("Share of specialist referrals met in targeted support instead (%)"),
        min_value=0,
        max_value=100,
        required=False,
    )
    extra_wte = forms.FloatField(
        label=_("More clinicians (whole-time equivalent)"),
        help_text=_("For example 0.5 for half a clinician more"),
        min_value=0,
        max_value=20,
        required=False,
    )
    extra_runs_per_term = forms.FloatField(
        label=_("More targeted group runs each term"),
        help_text=_("For example 1 for one more group a term"),
        min_value=0,
        max_value=20,
        required=False,
    )

    def what_if(self) -> WhatIf:
        data = self.cleaned_data
        return WhatIf(
            extra_targeted=data.get("extra_targeted") or 0.0,
            extra_specialist=data.get("extra_specialist") or 0.0,
            share_to_targeted=(data.get("share_to_targeted") or 0) / 100,
            extra_wte=data.get("extra_wte") or 0.0,
            extra_runs_per_term=data.get("extra_runs_per_term") or 0.0,
        )


WHAT_IF_FIELDS = (
    "extra_wte",
    "extra_runs_per_term",
    "extra_targeted",
    "extra_specialist",
    "share_to_targeted",
)


class SaveScenarioForm(WhatIfForm):
    """The what-if on the page, kept under a name; its numbers travel as hidden fields."""

    name = forms.CharField(
        label=_("Name this scenario"),
        help_text=_("For example “One more group a term”"),
        max_length=80,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the what-if form with the same fields is on the same page.
        kwargs.setdefault("auto_id", "save_%s")
        super().__init__(*args, **kwargs)
        for name in WHAT_IF_FIELDS:
            self.fields[name].widget = forms.HiddenInput()


class RenameScenarioForm(VersionedForm):
    name = forms.CharField(label=_("New name"), max_length=80)


class CompareForm(SaplingForm):
    """Choose the scenarios to compare: the baseline and the team's saved scenarios."""

    scenario = forms.MultipleChoiceField(
        label=_("Scenarios to compare"),
        help_text=_("Choose up to four"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scenario to compare")},
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.saved = {
            str(s.pk): s for s in PlanningScenario.objects.live().filter(team=team).order_by("name")
        }
        choices: list[tuple[str, str]] = [
            (BASELINE, str(_("If nothing changes (the calibrated baseline)")))
        ]
        choices += [(pk, scenario.name) for pk, scenario in self.saved.items()]
        self.fields["scenario"].choices = choices  # type: ignore[attr-defined]

    def clean_scenario(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["scenario"]
        if len(chosen) > MAX_COMPARED:
            raise forms.ValidationError(
                _("You chose %(count)s scenarios: choose up to four to compare"),
                params={"count": len(chosen)},
            )
        return chosen

    def chosen(self) -> list[tuple[str, WhatIf]]:
        """(name, what-if) for each chosen scenario, the baseline first."""
        return [
            (str(_("If nothing changes")), WhatIf())
            if key == BASELINE
            else (self.saved[key].name, WhatIf.from_dict(self.saved[key].edits))
            for key in self.cleaned_data["scenario"]
        ]


class LongRunForm(CompareForm):
    replications = forms.TypedChoiceField(
        label=_("How many runs of each scenario"),
        coerce=int,
        choices=[(n, f"{n:,}") for n in LONG_RUNS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how many runs of each scenario")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scenario"].widget = forms.MultipleHiddenInput()


class StepForm(SaplingForm):
    """Which chunk the page asks for: the replications done when it last looked."""

    done = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
