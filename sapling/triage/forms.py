from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.children.models import YesNoUnknown
from sapling.core.forms import SaplingForm
from sapling.referrals.models import OccupationalArea, Referral
from sapling.triage.models import LiveOrder, Outcome, Pathway, Priority
from sapling.triage.rules import AREAS, RISKS, Recommendation, risk_label

IMPACT_CHOICES = [
    ("none", _("None")),
    ("mild", _("Mild")),
    ("moderate", _("Moderate")),
    ("severe", _("Severe")),
]
COMPLEXITY_CHOICES = [
    ("low", _("Low: one area, a settled family and setting")),
    ("medium", _("Medium: several areas or agencies involved")),
    ("high", _("High: many areas, changing circumstances or medical needs")),
]


def impact_field_name(area: str) -> str:
    return f"impact_{area}"


class TriageAnswersForm(SaplingForm):
    """The short structured triage: impact per area, risks and complexity."""

    risks = forms.MultipleChoiceField(
        label=_("Risks"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
    )
    complexity = forms.ChoiceField(
        label=_("Complexity"),
        choices=COMPLEXITY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the complexity")},
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.named_areas = [a for a in AREAS if a in (referral.reasons or [])]
        self.other_areas = [a for a in AREAS if a not in self.named_areas]
        for area in AREAS:
            named = area in self.named_areas
            label = OccupationalArea(area).label
            self.fields[impact_field_name(area)] = forms.ChoiceField(
                label=label,
                choices=IMPACT_CHOICES,
                widget=forms.RadioSelect,
                required=named,
                error_messages={
                    "required": _("Select the impact on %(area)s") % {"area": str(label).lower()}
                },
            )
        self.fields["risks"].choices = [(r, risk_label(r)) for r in RISKS]  # type: ignore[attr-defined]
        child = referral.child
        if not self.is_bound:
            self.initial["risks"] = [
                risk
                for risk, known in (
                    ("safeguarding", child.safeguarding_flag),
                    ("care_experienced", child.care_experienced == YesNoUnknown.YES),
                )
                if known
            ]
        # The named areas come first, as the referral gave them; the rest are optional.
        self.order_fields(
            [impact_field_name(a) for a in self.named_areas + self.other_areas]
            + ["risks", "complexity"]
        )

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "impact": {
                area: data[impact_field_name(area)]
                for area in AREAS
                if data.get(impact_field_name(area))
            },
            "risks": list(data.get("risks") or []),
            "complexity": data["complexity"],
        }

    def hidden_values(self) -> list[tuple[str, str]]:
        """The answers as (name, value) pairs, carried to the decision as hidden inputs."""
        answers = self.answers()
        pairs = [(impact_field_name(a), level) for a, level in answers["impact"].items()]
        pairs += [("risks", risk) for risk in answers["risks"]]
        pairs.append(("complexity", answers["complexity"]))
        return pairs


class DecisionForm(SaplingForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a decision")},
    )
    pathway = forms.ChoiceField(label=_("Pathway"), required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, widget=forms.RadioSelect
    )
    override_reason = forms.CharField(
        label=_("Reason for changing the recommendation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed if you choose a different tier, pathway or priority."),
    )
    outcome_reason = forms.CharField(
        label=_("Reason for declining or redirecting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed to decline or redirect. It is included in the letter to the family, "
            "so write it for them: for a redirection, say which service and how to reach it."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    rules_number = forms.IntegerField(widget=forms.HiddenInput)

    fields_shown = ["outcome", "pathway", "priority", "override_reason", "outcome_reason"]

    def __init__(
        self,
        *args: Any,
        team: Team,
        recommendation: Recommendation,
        referral: Referral,
        rules_number: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        pathways = Pathway.objects.filter(team=team, active=True).order_by("name")
        self.fields["pathway"].choices = [("", _("No pathway"))] + [  # type: ignore[attr-defined]
            (p.key, p.name) for p in pathways
        ]
        self.initial.update(
            outcome=recommendation.tier,
            pathway=recommendation.pathway_key or "",
            priority=recommendation.priority,
            version=referral.version,
            rules_number=rules_number,
        )

    def overrides(self) -> dict[str, str | None]:
        data = self.cleaned_data
        return {"pathway": data["pathway"] or None, "priority": data["priority"]}

    def reasons(self) -> dict[str, str]:
        data = self.cleaned_data
        return {"override": data["override_reason"], "outcome": data["outcome_reason"]}


class RulesForm(SaplingForm):
    source = forms.CharField(
        label=_("Rules file (TOML)"),
        max_length=50_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": False}),
        help_text=_("docs/triage.md explains each key. Preview a change before saving it."),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SettingsForm(SaplingForm):
    live_order = forms.ChoiceField(
        label=_("Which order is live on the waiting list?"),
        choices=LiveOrder.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Need-adjusted order uses the need score, including the equity factors of the rules "
            "file, to order children within the same priority. It never changes a priority."
        ),
    )
