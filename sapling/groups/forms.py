from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team, User
from sapling.core.forms import SaplingForm, SaplingModelForm
from sapling.core.roles import CLINICAL
from sapling.core.widgets import NHSDateField
from sapling.groups.lifecycle import SessionTimes, weekly_sessions
from sapling.groups.models import (
    Audience,
    DigitalNeed,
    DigitalSupport,
    Enrolment,
    Mark,
    Programme,
    Resource,
    ResourceKind,
    Run,
    TopicKind,
    TopicSuggestion,
)
from sapling.referrals.models import OccupationalArea
from sapling.waitlist.models import WaitlistEntry

LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]


class ResourceForm(SaplingModelForm):
    url = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        help_text=_("The address of the handout, video or website, starting https://"),
    )
    audiences = forms.MultipleChoiceField(
        label=_("Who is it for?"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label=_("What does it help with?"),
        choices=OccupationalArea.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Resource
        fields = ["title", "summary", "kind", "url", "audiences", "topics", "language", "public"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.RadioSelect,
            "language": forms.RadioSelect,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("url"):
            self.add_error("url", _("Enter the address families can open it at"))
        elif not str(data["url"]).startswith("https://"):
            self.add_error("url", _("The address must start with https://"))
        return data


class PublicFilterForm(SaplingForm):
    topic = forms.ChoiceField(
        label=_("What does your child find hard?"),
        required=False,
        choices=[("", _("Anything")), *OccupationalArea.choices],
    )
    audience = forms.ChoiceField(
        label=_("Who is it for?"), required=False, choices=[("", _("Anyone")), *Audience.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *LANGUAGES]
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any")), *ResourceKind.choices]
    )


# --- Programmes, runs, registers and bookings ---------------------------------------------


def _team_staff(team: Team) -> Any:
    return (
        User.objects.filter(
            memberships__team=team, memberships__active=True, memberships__role__in=CLINICAL
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def _name(user: User) -> str:
    return user.get_full_name() or user.username


class VersionedForm(SaplingForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProgrammeForm(SaplingModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "summary",
            "tier",
            "audience",
            "topic",
            "delivery",
            "sessions_count",
            "capacity",
            "languages",
            "facilitators",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "tier": forms.RadioSelect,
            "audience": forms.RadioSelect,
            "topic": forms.RadioSelect,
            "delivery": forms.RadioSelect,
        }

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["facilitators"]
        field.queryset = _team_staff(team)  # type: ignore[attr-defined]
        field.label_from_instance = _name  # type: ignore[attr-defined]
        for name in ("sessions_count", "capacity"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"


class RunForm(SaplingForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    term = forms.CharField(
        label=_("Term (optional)"),
        max_length=60,
        required=False,
        help_text=_("For example, Spring 2027"),
    )
    venue = forms.CharField(
        label=_("Venue"),
        max_length=300,
        required=False,
        help_text=_("For in-person and hybrid runs"),
    )
    meeting_link = forms.CharField(
        label=_("Meeting link"),
        max_length=500,
        required=False,
        help_text=_("For online and hybrid runs. It must start with https://"),
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=200)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, widget=forms.RadioSelect)
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    first_date = NHSDateField(label=_("Date of the first session"))
    start_time = forms.CharField(
        label=_("Start time"), max_length=5, help_text=_("24-hour clock, for example 18:30")
    )
    minutes = forms.IntegerField(
        label=_("Length of each session in minutes"), min_value=15, max_value=480
    )
    count = forms.IntegerField(label=_("Number of sessions"), min_value=1, max_value=20)
    every_days = forms.IntegerField(
        label=_("Days between sessions"), min_value=1, max_value=60, help_text=_("7 for weekly")
    )

    fields_shown = [
        "title",
        "term",
        "venue",
        "meeting_link",
        "capacity",
        "language",
        "facilitators",
        "first_date",
        "start_time",
        "minutes",
        "count",
        "every_days",
    ]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["facilitators"]
        field.queryset = _team_staff(programme.team)  # type: ignore[attr-defined]
        field.label_from_instance = _name  # type: ignore[attr-defined]
        for name in ("capacity", "minutes", "count", "every_days"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean_start_time(self) -> dt.time:
        return parse_time(self.cleaned_data["start_time"])

    def sessions(self) -> list[SessionTimes]:
        data = self.cleaned_data
        first = timezone.make_aware(dt.datetime.combine(data["first_date"], data["start_time"]))
        return weekly_sessions(
            first, minutes=data["minutes"], count=data["count"], every_days=data["every_days"]
        )


def parse_time(raw: str) -> dt.time:
    try:
        hours, minutes = (int(part) for part in raw.strip().replace(".", ":").split(":"))
        return dt.time(hours, minutes)
    except ValueError:
        raise forms.ValidationError(
            _("Enter the time on the 24-hour clock, for example 18:30")
        ) from None


class ReasonForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Everyone affected is told this reason."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveSessionForm(VersionedForm):
    day = NHSDateField(label=_("New date"))
    start_time = forms.CharField(
        label=_("New start time"), max_length=5, help_text=_("For example 18:30")
    )
    end_time = forms.CharField(
        label=_("New end time"), max_length=5, help_text=_("For example 20:00")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Everyone enrolled is told this reason."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_start_time(self) -> dt.time:
        return parse_time(self.cleaned_data["start_time"])

    def clean_end_time(self) -> dt.time:
        return parse_time(self.cleaned_data["end_time"])

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        return (
            timezone.make_aware(dt.datetime.combine(data["day"], data["start_time"])),
            timezone.make_aware(dt.datetime.combine(data["day"], data["end_time"])),
        )


class EnrolChildForm(SaplingForm):
    entry = forms.ModelChoiceField(
        label=_("Child on the waiting list"),
        queryset=WaitlistEntry.objects.none(),
        empty_label=_("Choose a child"),
        help_text=_("The carers with parental responsibility are enrolled with the child."),
    )

    def __init__(self, *args: Any, run: Run, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entry"]
        field.queryset = (  # type: ignore[attr-defined]
            WaitlistEntry.objects.for_team(run.team)
            .open()
            .exclude(
                child__group_enrolments__run=run,
                child__group_enrolments__status__in=["enrolled", "reserve"],
            )
            .select_related("child")
            .order_by("clock_start", "pk")
        )
        field.label_from_instance = lambda entry: (  # type: ignore[attr-defined]
            f"{entry.child.full_name} ({entry.get_tier_display()}, "
            f"{_('waiting since')} {entry.clock_start:%-d %b %Y})"
        )


class DigitalAccessForm(VersionedForm):
    needs = forms.MultipleChoiceField(
        label=_("What makes joining online hard?"),
        choices=DigitalNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    support = forms.ChoiceField(
        label=_("Support arranged"),
        choices=[("", _("None yet")), *DigitalSupport.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    arranged_on = NHSDateField(
        label=_("Date the support was arranged"), required=False, allow_future=False
    )


class RegisterForm(SaplingForm):
    """One group of radios per person: Tab reaches each group, one key chooses a mark."""

    def __init__(self, *args: Any, enrolments: list[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        for enrolment in enrolments:
            self.fields[f"mark_{enrolment.pk}"] = forms.ChoiceField(
                label=enrolment.display_name,
                choices=Mark.choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def marks(self) -> dict[int, str]:
        return {
            e.pk: self.cleaned_data[f"mark_{e.pk}"]
            for e in self.enrolments
            if self.cleaned_data.get(f"mark_{e.pk}")
        }


class TopicsForm(SaplingForm):
    covered = forms.MultipleChoiceField(
        label=_("Covered in the session"), required=False, widget=forms.CheckboxSelectMultiple
    )
    resources = forms.MultipleChoiceField(
        label=_("Library resources shared"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, suggestions: list[TopicSuggestion], library: list[Resource], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["covered"].choices = [  # type: ignore[attr-defined]
            (str(s.pk), s.text[:120]) for s in suggestions
        ]
        self.fields["resources"].choices = [  # type: ignore[attr-defined]
            (str(r.pk), r.title) for r in library
        ]


class BookingForm(SaplingForm):
    name = forms.CharField(label=_("Full name"), max_length=200)
    role = forms.CharField(
        label=_("Your role"), max_length=200, help_text=_("For example, teaching assistant")
    )
    setting = forms.CharField(label=_("School or setting"), max_length=200)
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send your booking, the calendar invitation and reminders here."),
    )
    digital_needs = forms.MultipleChoiceField(
        label=_("Would anything make joining online hard? (optional)"),
        choices=DigitalNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tell us and we will arrange support before the first session."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["setting"].widget.attrs["autocomplete"] = "organization"
        self.fields["role"].widget.attrs["autocomplete"] = "organization-title"


class TopicForm(SaplingForm):
    kind = forms.ChoiceField(
        label=_("What would you like to send?"), choices=TopicKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Tell the facilitators"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The facilitators see this before the session. Please do not include "
            "anything you would not say in the group."
        ),
    )
