"""Forms for the three routes in: staff entry, the partner form and the public form's steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapling.children.models import Channel, Relationship
from sapling.core.forms import SaplingForm
from sapling.core.validators import normalise_nhs_number, normalise_postcode
from sapling.core.widgets import NHSDateField
from sapling.referrals import consent, intake
from sapling.referrals.models import (
    ConsentBy,
    OccupationalArea,
    Route,
    Setting,
    Source,
    Status,
)

CHILD_FIELDS = ["given_name", "family_name", "date_of_birth", "nhs_number", "postcode"]


def _text(label: Any, max_length: int, *, required: bool = False, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs=attrs),
        strip=False,
    )


def _long_text(label: Any, max_length: int, *, required: bool = False) -> forms.CharField:
    # Free text is kept exactly as typed (no stripping); templates escape it on the way out.
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ChildDetailsForm(SaplingForm):
    given_name = forms.CharField(label=_("First name"), max_length=100)
    family_name = forms.CharField(label=_("Last name"), max_length=100)
    date_of_birth = NHSDateField(
        label=_("Date of birth"), allow_future=False, help_text=_("For example, 27 3 2015")
    )
    nhs_number = forms.CharField(
        label=_("NHS number (optional)"),
        required=False,
        max_length=20,
        help_text=_(
            "A 10 digit number, like 485 777 3456. Leave this empty if you do not know it."
        ),
        widget=forms.TextInput(attrs={"spellcheck": False}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=12,
        help_text=_("Where the child lives. Use ZZ99 3VZ if they have no fixed address."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )

    def clean_nhs_number(self) -> str:
        raw = self.cleaned_data.get("nhs_number", "")
        return normalise_nhs_number(raw) if raw.strip() else ""

    def clean_postcode(self) -> str:
        raw = self.cleaned_data.get("postcode", "")
        if not raw.strip():
            if self.fields["postcode"].required:
                raise forms.ValidationError(_("Enter the child's postcode"))
            return ""
        return normalise_postcode(raw)

    def child_details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CHILD_FIELDS if name in self.fields}


def _consent_problem(date_of_birth: dt.date | None, day: dt.date | None, given_by: str) -> str:
    if not (date_of_birth and day):
        return ""
    needed = consent.consent_needed_from(date_of_birth=date_of_birth, received_on=day)
    if given_by and given_by != needed:
        if needed == ConsentBy.YOUNG_PERSON:
            return str(_("The young person is 16 or over, so they consent for themselves"))
        return str(_("For a child under 16, a person with parental responsibility consents"))
    return ""


class StaffReferralForm(ChildDetailsForm):
    """A referral by letter, phone or e-referral, entered by the office or a clinician."""

    route = forms.ChoiceField(
        label=_("How did it arrive?"),
        choices=[(r.value, r.label) for r in (Route.LETTER, Route.PHONE, Route.E_REFERRAL)],
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(label=_("Who referred"), choices=Source.choices)
    received_on = NHSDateField(label=_("Date received"), allow_future=False)
    reasons = forms.MultipleChoiceField(
        label=_("What the child finds hard"),
        choices=OccupationalArea.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = _long_text(_("Description"), 5000)
    setting = forms.ChoiceField(
        label=_("Where"), choices=Setting.choices, widget=forms.RadioSelect, required=False
    )
    others_involved = _long_text(_("Who else is involved"), 2000)
    referrer_name = _text(_("Referrer's name"), 200)
    referrer_role = _text(_("Referrer's role"), 200)
    referrer_organisation = _text(_("Organisation"), 200)
    referrer_email = forms.EmailField(label=_("Referrer's email"), required=False)
    referrer_phone = _text(_("Referrer's phone"), 30, type="tel")
    consent_by = forms.ChoiceField(
        label=_("Who gave consent"), choices=ConsentBy.choices, widget=forms.RadioSelect
    )
    consent_given = forms.BooleanField(
        label=_("Consent to this referral has been given"),
        error_messages={"required": _("A referral needs consent: confirm it has been given")},
    )

    # The referral's own fields that staff enter; the public form adds the other two.
    REFERRAL_FIELDS = [
        name for name in intake.REFERRAL_FIELDS if name not in {"contact_preference", "school_name"}
    ]

    def __init__(self, *args: Any, child: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        if child is not None:
            for name in CHILD_FIELDS:
                del self.fields[name]

    @property
    def shown_fields(self) -> list[str]:
        return list(self.fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born = self.child.date_of_birth if self.child else data.get("date_of_birth")
        problem = _consent_problem(born, data.get("received_on"), data.get("consent_by", ""))
        if problem:
            self.add_error("consent_by", problem)
        return data

    def referral_details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.REFERRAL_FIELDS}


class PartnerReferralForm(ChildDetailsForm):
    """A school or early years setting refers a child it knows."""

    source = forms.ChoiceField(
        label=_("Where do you work?"),
        choices=[(s.value, s.label) for s in (Source.SCHOOL, Source.EARLY_YEARS)],
        widget=forms.RadioSelect,
    )
    referrer_organisation = _text(_("Name of your school or setting"), 200, required=True)
    referrer_role = _text(_("Your role"), 200, required=True)
    reasons = StaffReferralForm.base_fields["reasons"]
    description = _long_text(_("Describe what the child finds hard, in your own words"), 5000)
    setting = forms.ChoiceField(
        label=_("Where does the child spend their day?"),
        choices=Setting.choices,
        widget=forms.RadioSelect,
    )
    others_involved = _long_text(_("Who else is involved"), 2000)
    carer_given_name = _text(_("Parent or carer's first name"), 100, required=True)
    carer_family_name = _text(_("Parent or carer's last name"), 100, required=True)
    carer_phone = _text(_("Parent or carer's phone"), 30, type="tel")
    carer_email = forms.EmailField(label=_("Parent or carer's email"), required=False)
    consent_given = forms.BooleanField(
        label=_(
            "A parent or carer with parental responsibility (or the young person, if 16 or "
            "over) has agreed to this referral"
        ),
        error_messages={"required": _("We can only accept a referral the family has agreed to")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("carer_phone") or data.get("carer_email")):
            self.add_error("carer_phone", _("Enter a phone number or email for the parent"))
        return data

    def referral_details(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "received_on": timezone.localdate(),
            "reasons": data["reasons"],
            "description": data["description"],
            "setting": data["setting"],
            "others_involved": data["others_involved"],
            "referrer_role": data["referrer_role"],
            "referrer_organisation": data["referrer_organisation"],
            "school_name": data["referrer_organisation"],
            "consent_by": consent.consent_needed_from(
                date_of_birth=data["date_of_birth"], received_on=timezone.localdate()
            ),
            "consent_given": True,
        }

    def carer_details(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "given_name": data["carer_given_name"],
            "family_name": data["carer_family_name"],
            "relationship": Relationship.OTHER,
            "parental_responsibility": True,
            "phone": data["carer_phone"],
            "email": data["carer_email"],
            "preferred_channel": Channel.EMAIL if data["carer_email"] else Channel.PHONE,
        }


class StatusFilterForm(SaplingForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("all", _("All")), *Status.choices], required=False
    )


class ChildViewsForm(SaplingForm):
    child_views = _long_text(_("The child's own views"), 5000)
    child_consent = forms.BooleanField(
        label=_("The child is competent to decide and has given their own consent"),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DuplicateForm(SaplingForm):
    """Merge the new record into one of the candidates, or say it is a new child."""

    keep = forms.IntegerField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


# The public form, one small question page at a time ------------------------------------


class WhoForm(SaplingForm):
    filled_in_by = forms.ChoiceField(
        label=_("Who are you?"), choices=consent.FilledInBy.choices, widget=forms.RadioSelect
    )


class PublicChildForm(ChildDetailsForm):
    school_name = _text(_("School, nursery or college (optional)"), 200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postcode"].required = True


class NeedsForm(SaplingForm):
    reasons = forms.MultipleChoiceField(
        label=_("What does the child find hard?"),
        help_text=_("Select all that apply"),
        choices=OccupationalArea.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one thing the child finds hard")},
    )
    description = _long_text(_("Tell us more, in your own words (optional)"), 5000)


class SettingForm(SaplingForm):
    setting = forms.ChoiceField(
        label=_("Where does the child spend most of their day?"),
        choices=Setting.choices,
        widget=forms.RadioSelect,
    )


class OthersForm(SaplingForm):
    others_involved = _long_text(
        _("Who else is helping the child? (optional)"),
        2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["others_involved"].help_text = _(
            "For example, a health visitor, a speech and language therapist or a social worker"
        )


class ContactForm(SaplingForm):
    given_name = _text(_("Your first name"), 100, required=True, autocomplete="given-name")
    family_name = _text(_("Your last name"), 100, required=True, autocomplete="family-name")
    relationship = forms.ChoiceField(
        label=_("Your relationship to the child"),
        choices=[("", _("Choose one")), *Relationship.choices],
        required=False,
    )
    phone = _text(_("Phone number"), 30, type="tel", autocomplete="tel")
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = _long_text(_("Postal address"), 500)
    contact_preference = forms.ChoiceField(
        label=_("How should we contact you?"), choices=Channel.choices, widget=forms.RadioSelect
    )
    preferred_language = forms.ChoiceField(
        label=_("Which language would you like us to use?"),
        choices=[("en", "English"), ("cy", "Cymraeg")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, filled_in_by: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filled_in_by = filled_in_by
        if filled_in_by == consent.FilledInBy.YOUNG_PERSON:
            del self.fields["relationship"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "relationship" in self.fields and not data.get("relationship"):
            self.add_error("relationship", _("Select your relationship to the child"))
        channel = data.get("contact_preference")
        if channel == Channel.EMAIL and not data.get("email"):
            self.add_error("email", _("Enter an email address, or choose another way to contact"))
        if channel in {Channel.SMS, Channel.PHONE} and not data.get("phone"):
            self.add_error("phone", _("Enter a phone number, or choose another way to contact"))
        if channel == Channel.LETTER and not data.get("address", "").strip():
            self.add_error("address", _("Enter an address, or choose another way to contact"))
        return data


class ConsentForm(SaplingForm):
    consent_given = forms.BooleanField(
        label=_("I agree"),
        error_messages={"required": _("We can only help with agreement: tick the box to agree")},
    )

    def __init__(self, *args: Any, label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["consent_given"].label = label
