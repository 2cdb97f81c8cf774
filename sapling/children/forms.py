from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.children import ethnicity
from sapling.children.models import Carer, Child, GPCluster, GPPractice
from sapling.core.forms import SaplingForm, SaplingModelForm
from sapling.core.validators import normalise_nhs_number, normalise_postcode
from sapling.core.widgets import NHSDateField

CHILD_FIELDS = [
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "nhs_number",
    "postcode",
    "locality",
    "school",
    "education_setting",
    "additional_learning_needs",
    "care_experienced",
    "free_school_meals",
    "ethnicity_code",
    "preferred_language",
    "interpreter_needed",
    "digital_access_needs",
    "safeguarding_flag",
    "gp_practice",
]


class FindChildForm(SaplingForm):
    q = forms.CharField(
        label=_("Name or NHS number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"spellcheck": False}),
    )
    date_of_birth = NHSDateField(label=_("Date of birth"), required=False, allow_future=False)


class ChildForm(SaplingModelForm):
    date_of_birth = NHSDateField(label=_("Date of birth"), allow_future=False)
    # Wider than the stored values: people type spaces, which cleaning removes.
    nhs_number = forms.CharField(
        label=_("NHS number"),
        required=False,
        max_length=20,
        help_text=_("Optional. A 10 digit number, like 485 777 3456."),
        widget=forms.TextInput(attrs={"spellcheck": False}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=12,
        help_text=_("Use ZZ99 3VZ if the family has no fixed address."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Child
        fields = CHILD_FIELDS
        widgets = {
            "additional_learning_needs": forms.RadioSelect,
            "care_experienced": forms.RadioSelect,
            "free_school_meals": forms.RadioSelect,
            "digital_access_needs": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "digital_access_needs": _("For example, no device or data for online sessions."),
        }

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["locality"].queryset = team.localities.all()  # type: ignore[attr-defined]
        self.fields["school"].queryset = team.schools.all()  # type: ignore[attr-defined]
        self.fields["gp_practice"].queryset = team.gp_practices.all()  # type: ignore[attr-defined]
        system, codes = ethnicity.codes_for_nation(team.nation)
        self.ethnicity_system = system
        self.fields["ethnicity_code"] = forms.ChoiceField(
            label=_("Ethnicity"), required=False, choices=[("", _("Not recorded")), *codes]
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_nhs_number(self) -> str:
        raw = self.cleaned_data.get("nhs_number", "")
        return normalise_nhs_number(raw) if raw.strip() else ""

    def clean_postcode(self) -> str:
        raw = self.cleaned_data.get("postcode", "")
        return normalise_postcode(raw) if raw.strip() else ""

    def changes(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in CHILD_FIELDS}
        values["ethnicity_system"] = self.ethnicity_system if values["ethnicity_code"] else ""
        return values


CARER_FIELDS = [
    "given_name",
    "family_name",
    "relationship",
    "parental_responsibility",
    "phone",
    "email",
    "address",
    "preferred_channel",
    "preferred_language",
    "consent_to_contact",
    "contact_restriction",
    "restriction_reason",
]


class CarerForm(SaplingModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Carer
        fields = CARER_FIELDS
        widgets = {
            "preferred_channel": forms.RadioSelect,
            "contact_restriction": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        restricted = data.get("contact_restriction", "none") != "none"
        if restricted and not data.get("restriction_reason", "").strip():
            self.add_error("restriction_reason", _("Say why contact is restricted"))
        channel = data.get("preferred_channel")
        if channel == "email" and not data.get("email"):
            self.add_error("email", _("Enter an email address, or choose another way to contact"))
        if channel in {"sms", "phone"} and not data.get("phone"):
            self.add_error("phone", _("Enter a phone number, or choose another way to contact"))
        if channel == "letter" and not data.get("address", "").strip():
            self.add_error("address", _("Enter an address, or choose another way to contact"))
        return data

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CARER_FIELDS}


class GPClusterForm(SaplingModelForm):
    class Meta:
        model = GPCluster
        fields = ["name"]


class GPPracticeForm(SaplingModelForm):
    class Meta:
        model = GPPractice
        fields = ["ods_code", "name", "cluster"]

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["cluster"].queryset = team.gp_clusters.all()  # type: ignore[attr-defined]

    def clean_ods_code(self) -> str:
        code = self.cleaned_data["ods_code"].strip().upper()
        if not code.isalnum() or not 3 <= len(code) <= 10:
            raise forms.ValidationError(
                _("Enter the practice's NHS organisation code, like W98012")
            )
        duplicate = GPPractice.objects.filter(team=self.team, ods_code=code)
        if self.instance.pk:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(_("This practice is already on your list"))
        return code
