from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Locality, Team, User
from sapling.children.models import School
from sapling.core.forms import SaplingForm
from sapling.core.roles import CLINICAL
from sapling.core.widgets import NHSDateField
from sapling.triage.models import LiveOrder, Pathway, Priority, Tier
from sapling.waitlist.clock import ClockRule, clock_rules_for
from sapling.waitlist.models import CheckInAnswer, EndReason, WaitlistEntry, WaitlistEntryQuerySet

ANY = [("", _("Any"))]


class FilterForm(SaplingForm):
    """The waiting list's filters, read from the query string."""

    tier = forms.ChoiceField(label=_("Tier"), required=False, choices=ANY + Tier.choices)
    pathway = forms.ModelChoiceField(
        label=_("Pathway"), required=False, queryset=Pathway.objects.none(), empty_label=_("Any")
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=ANY + Priority.choices
    )
    locality = forms.ModelChoiceField(
        label=_("Locality"), required=False, queryset=Locality.objects.none(), empty_label=_("Any")
    )
    school = forms.ModelChoiceField(
        label=_("School"), required=False, queryset=School.objects.none(), empty_label=_("Any")
    )
    min_weeks = forms.IntegerField(
        label=_("Waited at least (weeks)"), required=False, min_value=0, max_value=520
    )
    max_weeks = forms.IntegerField(
        label=_("Waited at most (weeks)"), required=False, min_value=0, max_value=520
    )
    order = forms.ChoiceField(label=_("Order"), required=False, choices=LiveOrder.choices)

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pathway"].queryset = team.pathways.all()  # type: ignore[attr-defined]
        self.fields["locality"].queryset = team.localities.all()  # type: ignore[attr-defined]
        self.fields["school"].queryset = team.schools.all()  # type: ignore[attr-defined]
        for name in ("min_weeks", "max_weeks"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_weeks"), data.get("max_weeks")
        if low is not None and high is not None and low > high:
            self.add_error("max_weeks", _("The most weeks must be at least the fewest weeks"))
        return data

    def apply(self, entries: WaitlistEntryQuerySet, today: dt.date) -> WaitlistEntryQuerySet:
        """The entries matching the filters (all of them if the form is not valid)."""
        if not self.is_bound or not self.is_valid():
            return entries
        data = self.cleaned_data
        for name, lookup in (
            ("tier", "tier"),
            ("pathway", "pathway"),
            ("priority", "priority"),
            ("locality", "child__locality"),
            ("school", "child__school"),
        ):
            if data.get(name):
                entries = entries.filter(**{lookup: data[name]})
        # Weeks waited are completed weeks: at least w weeks means started w x 7 days ago or
        # earlier; at most w weeks means fewer than (w + 1) x 7 days ago.
        if data.get("min_weeks") is not None:
            entries = entries.filter(clock_start__lte=today - dt.timedelta(weeks=data["min_weeks"]))
        if data.get("max_weeks") is not None:
            entries = entries.filter(
                clock_start__gt=today - dt.timedelta(weeks=data["max_weeks"] + 1)
            )
        return entries


class VersionedForm(SaplingForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AllocateForm(VersionedForm):
    clinician = forms.ModelChoiceField(
        label=_("Allocate to"), queryset=User.objects.none(), empty_label=_("Choose a clinician")
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__team=team, memberships__active=True, memberships__role__in=CLINICAL
        ).order_by("first_name", "last_name")
        self.fields["clinician"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.username
        )


class EndEntryForm(VersionedForm):
    reason = forms.ChoiceField(
        label=_("Why is this child leaving the waiting list?"),
        choices=EndReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Details"),
        max_length=1000,
        help_text=_("Who told you, when, and anything the next reader needs to know."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AdjustClockForm(VersionedForm):
    rule = forms.ChoiceField(label=_("What happened?"), widget=forms.RadioSelect)
    happened_on = NHSDateField(label=_("Date it happened"), allow_future=False)
    reason = forms.CharField(
        label=_("Details"),
        max_length=1000,
        help_text=_("For example, which appointment and how the family let us know."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, entry: WaitlistEntry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.rules: dict[str, ClockRule] = {r.key: r for r in clock_rules_for(entry.team)}
        self.fields["rule"].choices = [  # type: ignore[attr-defined]
            (rule.key, f"{rule.label}. {rule.explanation}") for rule in self.rules.values()
        ]

    def clean_happened_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["happened_on"]
        if day < self.entry.clock_start:
            raise forms.ValidationError(
                _("The date must be on or after the clock started (%(start)s)")
                % {"start": f"{self.entry.clock_start:%-d %B %Y}"}
            )
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date must be today or in the past"))
        return day


class CheckInAnswerForm(SaplingForm):
    answer = forms.ChoiceField(
        label=_("Do you still need our help?"),
        choices=CheckInAnswer.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RecordCallForm(CheckInAnswerForm):
    """A clinician records the family's answer, given on the phone: the same questions."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].label = _("What did the family say?")
        self.fields["comment"].label = _("Notes from the call")
