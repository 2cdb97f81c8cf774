"""Forms for safeguarding concerns, statutory advice, consent to share and school summaries."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team, User
from sapling.children.models import Carer, Child, ConsentGiver, ConsentMethod, School
from sapling.core.forms import SaplingForm
from sapling.core.roles import CLINICAL, Role
from sapling.core.widgets import NHSDateField
from sapling.waitlist.forms import VersionedForm


def _long(
    label: Any, max_length: int, *, required: bool = True, hint: Any = "", missing: Any = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": missing} if missing else None,
    )


def _date(label: Any, missing: Any) -> NHSDateField:
    return NHSDateField(label=label, allow_future=False, error_messages={"required": missing})


def _members(team: Team, roles: frozenset[str] | tuple[str, ...]) -> QuerySet[User]:
    return User.objects.filter(
        memberships__team=team, memberships__active=True, memberships__role__in=roles
    ).order_by("first_name", "last_name")


def _name(user: User) -> str:
    return user.get_full_name() or user.username


class _MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _name(obj)


# --- Safeguarding ----------------------------------------------------------------------


class ConcernForm(SaplingForm):
    concern = _long(
        _("What is the concern?"),
        5000,
        hint=_("What you saw or heard, in the words used where you can, and who was present."),
        missing=_("Say what the concern is"),
    )
    noticed_on = _date(_("Date of the concern"), _("Enter the date of the concern"))
    who_was_told = forms.CharField(
        label=_("Who was told?"),
        max_length=500,
        help_text=_("For example: children's services duty team, the school's safeguarding lead."),
        error_messages={"required": _("Say who was told")},
    )
    told_on = _date(_("Date they were told"), _("Enter the date they were told"))


class EscalateConcernForm(VersionedForm):
    note = _long(
        _("What does the safeguarding lead need to know? (optional)"), 2000, required=False
    )


class CloseConcernForm(VersionedForm):
    outcome = _long(
        _("Outcome"),
        5000,
        hint=_("What was decided, by whom, and anything the next reader needs to know."),
        missing=_("Record the outcome of the concern before closing it"),
    )
    closed_on = _date(_("Date closed"), _("Enter the date the concern closed"))


class SafeguardingLeadForm(SaplingForm):
    safeguarding_lead = _MemberChoice(
        label=_("Safeguarding lead"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No one named"),
        help_text=_("A clinician, support worker or lead of this team."),
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["safeguarding_lead"].queryset = _members(team, CLINICAL)  # type: ignore[attr-defined]


# --- Statutory advice ------------------------------------------------------------------


class _WriterForm(VersionedForm):
    writer = _MemberChoice(
        label=_("Who is writing it?"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Not decided yet"),
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["writer"].queryset = _members(team, (Role.CLINICIAN, Role.LEAD))  # type: ignore[attr-defined]


class AdviceRequestForm(_WriterForm):
    requested_by = forms.CharField(
        label=_("Who asked for the advice?"),
        max_length=200,
        help_text=_("The local authority and team, for example: Swansea ALN team."),
        error_messages={"required": _("Say who asked for the advice")},
    )
    reference = forms.CharField(
        label=_("Their reference (optional)"), max_length=50, required=False
    )
    received_on = _date(
        _("Date the request was received"), _("Enter the date the request was received")
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, team=team, **kwargs)
        self.fields["version"].required = False
        self.order_fields(["requested_by", "reference", "received_on", "writer"])


class AssignWriterForm(_WriterForm):
    pass


class AdviceSentForm(VersionedForm):
    submitted_on = _date(_("Date the advice was sent"), _("Enter the date the advice was sent"))


class WithdrawForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why?"), max_length=500, error_messages={"required": _("Say why")}
    )


# --- Consent to share and school summaries ---------------------------------------------


class SharingConsentForm(SaplingForm):
    given_by = forms.ChoiceField(
        label=_("Who gave consent?"),
        choices=ConsentGiver.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who gave consent")},
    )
    carer = forms.ModelChoiceField(
        label=_("Which parent or carer?"),
        queryset=Carer.objects.none(),
        required=False,
        empty_label=_("Choose a parent or carer"),
        help_text=_("Only someone with parental responsibility can give consent."),
    )
    given_on = _date(_("Date consent was given"), _("Enter the date consent was given"))
    method = forms.ChoiceField(
        label=_("How was consent given?"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how consent was given")},
    )
    competence_note = _long(
        _("If the young person is under 16: how did you judge them able to decide?"),
        2000,
        required=False,
    )

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = child.carers.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("given_by") == ConsentGiver.CARER and not data.get("carer"):
            self.add_error("carer", _("Choose the parent or carer who gave consent"))
        return data


class SchoolSummaryForm(VersionedForm):
    strengths = _long(_("What is the child good at? (optional)"), 3000, required=False)
    what_helps = _long(
        _("What helps this child in class?"),
        5000,
        hint=_(
            "Practical strategies for teachers: seating, equipment, breaks, instructions. "
            "The school will read this; keep clinical detail out."
        ),
        missing=_("Write what helps this child in class"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False


class ConfirmForm(VersionedForm):
    """A button that names the version the person saw."""


class PlainConfirmForm(SaplingForm):
    """A button, for a record without versions."""


class PartnerSchoolForm(SaplingForm):
    partner = _MemberChoice(
        label=_("Partner"),
        queryset=User.objects.none(),
        empty_label=_("Choose a partner"),
        error_messages={"required": _("Choose a partner")},
    )
    school = forms.ModelChoiceField(
        label=_("School or setting"),
        queryset=School.objects.none(),
        empty_label=_("Choose one"),
        error_messages={"required": _("Choose a school or setting")},
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = _members(team, (Role.PARTNER,))  # type: ignore[attr-defined]
        self.fields["school"].queryset = team.schools.all()  # type: ignore[attr-defined]
