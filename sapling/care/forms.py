from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team, User
from sapling.care.models import (
    CareSettings,
    ContactKind,
    ContactOutcome,
    DischargeReason,
    Episode,
    GoalStatus,
    InterventionKind,
)
from sapling.care.queries import clinical_staff
from sapling.core.forms import SaplingForm, SaplingModelForm
from sapling.core.widgets import NHSDateField
from sapling.referrals.models import OccupationalArea
from sapling.waitlist.forms import VersionedForm


def _name(user: User) -> str:
    return user.get_full_name() or user.username


class ClinicianField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _name(obj)


def _clinician_field(label: Any, team: Team, required: bool = True) -> ClinicianField:
    field = ClinicianField(
        label=label,
        queryset=User.objects.none(),
        required=required,
        empty_label=_("Choose a clinician") if required else _("Everyone in the team"),
    )
    field.queryset = User.objects.filter(pk__in=[u.pk for u in clinical_staff(team)]).order_by(
        "first_name", "last_name"
    )
    return field


class StartEpisodeForm(SaplingForm):
    def __init__(self, *args: Any, team: Team, initial_lead: User | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_clinician"] = _clinician_field(_("Lead clinician"), team)
        if initial_lead is not None:
            self.initial.setdefault("lead_clinician", initial_lead.pk)


class TimeInput(forms.TimeInput):
    input_type = "time"


class BookAppointmentForm(SaplingForm):
    episode = forms.ModelChoiceField(
        label=_("Child"), queryset=Episode.objects.none(), empty_label=_("Choose a child")
    )
    kind = forms.ChoiceField(
        label=_("Type of contact"), choices=ContactKind.choices, widget=forms.RadioSelect
    )
    day = NHSDateField(label=_("Date"))
    start = forms.TimeField(
        label=_("Start time"), help_text=_("For example, 14:30"), widget=TimeInput
    )
    minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=5, max_value=480, widget=forms.TextInput
    )
    location = forms.CharField(
        label=_("Where (for a home, school or clinic contact)"), required=False, max_length=300
    )
    video_link = forms.URLField(
        label=_("Link to join (for an online contact)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinician"] = _clinician_field(_("Clinician"), team)
        episodes = Episode.objects.for_team(team).open().select_related("child")
        self.fields["episode"].queryset = episodes.order_by(  # type: ignore[attr-defined]
            "child__family_name", "child__given_name"
        )
        self.fields["episode"].label_from_instance = (  # type: ignore[attr-defined]
            lambda e: f"{e.child.full_name} ({e.child.date_of_birth:%-d %B %Y})"
        )
        self.fields["minutes"].widget.attrs["inputmode"] = "numeric"
        self.order_fields(["episode", "clinician", "kind", "day", "start", "minutes"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start = data.get("day"), data.get("start")
        if day and start:
            zone = timezone.get_current_timezone()
            data["starts_at"] = dt.datetime.combine(day, start, tzinfo=zone)
            if data["starts_at"] <= timezone.now():
                self.add_error("day", _("The date and time must be in the future"))
        kind = data.get("kind")
        if kind == ContactKind.ONLINE and not data.get("video_link"):
            self.add_error("video_link", _("Give the link to join an online contact"))
        if kind in {ContactKind.HOME, ContactKind.SCHOOL, ContactKind.CLINIC} and not data.get(
            "location"
        ):
            self.add_error("location", _("Say where the contact is"))
        return data


class RecordOutcomeForm(VersionedForm):
    outcome = forms.ChoiceField(
        label=_("What happened?"),
        choices=[
            (ContactOutcome.ATTENDED.value, ContactOutcome.ATTENDED.label),
            (ContactOutcome.NOT_BROUGHT.value, ContactOutcome.NOT_BROUGHT.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything to add (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelAppointmentForm(RecordOutcomeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].label = _("Who cancelled?")
        self.fields["outcome"].choices = [  # type: ignore[attr-defined]
            (ContactOutcome.CANCELLED_BY_FAMILY.value, ContactOutcome.CANCELLED_BY_FAMILY.label),
            (
                ContactOutcome.CANCELLED_BY_SERVICE.value,
                ContactOutcome.CANCELLED_BY_SERVICE.label,
            ),
        ]
        self.fields["note"].label = _("Reason")


class NoteForm(SaplingForm):
    text = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "true"}),
    )


class AddendumForm(SaplingForm):
    text = forms.CharField(
        label=_("Addendum"),
        help_text=_("What you are correcting or adding, and why. It is signed as you save it."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AssessmentForm(SaplingForm):
    assessed_on = NHSDateField(label=_("Date of the assessment"), allow_future=False)
    areas = forms.MultipleChoiceField(
        label=_("Occupational performance areas assessed"),
        choices=OccupationalArea.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    performance = forms.CharField(
        label=_("Occupational performance: what the child does well and finds hard"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    environment = forms.CharField(
        label=_("Environment: at home, at school, elsewhere (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    strengths = forms.CharField(
        label=_("Strengths"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    what_matters = forms.CharField(
        label=_("What matters to the child and family"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class GoalForm(SaplingForm):
    text = forms.CharField(
        label=_("The goal, in the child's or family's words"),
        help_text=_("For example: 'I want to do my own buttons for PE.'"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    whose_words = forms.CharField(
        label=_("Whose words are these?"),
        help_text=_("For example: the child, their mum"),
        max_length=200,
    )


class GoalStatusForm(SaplingForm):
    status = forms.ChoiceField(
        label=_("Goal status"), choices=GoalStatus.choices, widget=forms.RadioSelect
    )


class InterventionForm(SaplingForm):
    kind = forms.ChoiceField(
        label=_("Kind of intervention"),
        choices=InterventionKind.choices,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("What was agreed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class EquipmentForm(SaplingForm):
    item = forms.CharField(label=_("Item"), max_length=200)
    issued_on = NHSDateField(label=_("Date issued"), allow_future=False)


class ReturnEquipmentForm(SaplingForm):
    returned_on = NHSDateField(label=_("Date returned"), allow_future=False)
    note = forms.CharField(label=_("Condition or note (optional)"), required=False, max_length=500)


class SafeguardingConsiderationForm(VersionedForm):
    text = forms.CharField(
        label=_("What you considered and what you decided"),
        help_text=_(
            "For example: who you spoke to (the family, the referrer, the school, the "
            "safeguarding lead), what you know about the child's situation, and whether a "
            "concern needs raising."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class DischargeForm(VersionedForm):
    reason = forms.ChoiceField(
        label=_("Why is this child being discharged?"),
        choices=DischargeReason.choices,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("Discharge summary"),
        help_text=_("What was done, how the child is now, and what helps. The letters use it."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class DiaryForm(SaplingForm):
    """The week and whose diary, from the query string."""

    week = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinician"] = _clinician_field(_("Whose diary"), team, required=False)


class CareSettingsForm(SaplingModelForm):
    class Meta:
        model = CareSettings
        fields = ["not_brought_in_a_row", "not_brought_steps", "default_minutes"]
        widgets = {
            "not_brought_in_a_row": forms.TextInput(attrs={"inputmode": "numeric"}),
            "default_minutes": forms.TextInput(attrs={"inputmode": "numeric"}),
            "not_brought_steps": forms.Textarea(attrs={"rows": 4}),
        }
