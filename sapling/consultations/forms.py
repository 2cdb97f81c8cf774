from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team, User
from sapling.consultations.lifecycle import LENGTHS
from sapling.consultations.models import Mode, ReferralOutcome, Slot, SlotQuerySet
from sapling.consultations.presenters import slot_label
from sapling.core.forms import SaplingForm
from sapling.core.roles import PERMISSIONS
from sapling.core.widgets import NHSDateField
from sapling.waitlist.forms import VersionedForm

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


class SlotForm(SaplingForm):
    clinician = forms.ModelChoiceField(
        label=_("Clinician"), queryset=User.objects.none(), empty_label=None
    )
    date = NHSDateField(label=_("Date"), help_text=_("For example, 27 3 2027"))
    time = forms.CharField(
        label=_("Start time"),
        max_length=5,
        help_text=_("Use the 24-hour clock, for example 14:30"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    minutes = forms.TypedChoiceField(
        label=_("Length"),
        coerce=int,
        choices=[(m, _("%(m)s minutes") % {"m": m}) for m in LENGTHS],
        initial=30,
        widget=forms.RadioSelect,
    )
    mode = forms.ChoiceField(label=_("How"), choices=Mode.choices, widget=forms.RadioSelect)
    meeting_link = forms.CharField(
        label=_("Meeting link (online slots only)"),
        max_length=500,
        required=False,
        help_text=_("The video call address, starting https://"),
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offering = User.objects.filter(
            memberships__team=team,
            memberships__active=True,
            memberships__role__in=PERMISSIONS["consultations.offer"],
        ).order_by("first_name", "last_name")
        field = self.fields["clinician"]
        field.queryset = offering  # type: ignore[attr-defined]
        field.label_from_instance = _name  # type: ignore[attr-defined]

    def clean_time(self) -> dt.time:
        match = _TIME.match(self.cleaned_data["time"])
        hour, minute = (int(match.group(1)), int(match.group(2))) if match else (99, 99)
        if hour > 23 or minute > 59:
            raise forms.ValidationError(_("Enter the start time as hours and minutes, like 14:30"))
        return dt.time(hour, minute)

    def starts_at(self) -> dt.datetime:
        naive = dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(naive)


class WithdrawSlotForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why are you withdrawing this slot?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


HELD_CHOICES = [("yes", _("Yes")), ("no", _("No, it did not take place"))]


class RecordForm(VersionedForm):
    held = forms.ChoiceField(
        label=_("Did the consultation take place?"), choices=HELD_CHOICES, widget=forms.RadioSelect
    )
    advice = forms.CharField(
        label=_("Advice given"),
        required=False,
        max_length=5000,
        help_text=_("What you suggested, and any resources you pointed them to"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    referral = forms.ChoiceField(
        label=_("Referral"),
        required=False,
        choices=ReferralOutcome.choices,
        widget=forms.RadioSelect,
    )
    not_held_reason = forms.CharField(
        label=_("Why it did not take place (if it did not)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return slot_label(obj)


class BookingForm(SaplingForm):
    slot = SlotChoiceField(
        label=_("Choose a time"), queryset=Slot.objects.none(), widget=forms.RadioSelect
    )
    question = forms.CharField(
        label=_("What would you like to ask about?"),
        max_length=2000,
        help_text=_(
            "For example, what a child finds hard and what you have tried. "
            "Please do not give the child's full name."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    phone = forms.CharField(
        label=_("Phone number (for phone calls)"),
        max_length=40,
        required=False,
        help_text=_("We only need this if you choose a phone call"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, slots: SlotQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots.select_related("clinician")  # type: ignore[attr-defined]
