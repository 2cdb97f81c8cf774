from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.children.models import Child
from sapling.core.forms import SaplingForm
from sapling.core.widgets import NHSDateField
from sapling.outcomes import questionnaire as q
from sapling.outcomes.gas import RATED_AT
from sapling.outcomes.models import (
    GasGoal,
    InstrumentKind,
    InstrumentVersion,
    Respondent,
    TimePoint,
)

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class AnswersForm(SaplingForm):
    """The questions of one page (or of the whole instrument, for paper entry).

    Fields are named `q<n>` (link ids may hold characters a form field name cannot);
    `answers()` gives {linkId: value}. Whether a question is required depends on earlier
    answers (enableWhen), so the domain's check of the whole set decides, not the fields.
    """

    def __init__(
        self,
        *args: Any,
        items: list[dict[str, Any]],
        language: str,
        initial_answers: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.link_ids: dict[str, str] = {}
        self.display: list[str] = []
        initial_answers = initial_answers or {}
        for n, item in enumerate(items):
            if item.get("type") not in q.QUESTION_TYPES:
                continue
            name = f"q{n}"
            self.link_ids[name] = item["linkId"]
            self.fields[name] = _field(item, language)
            value = initial_answers.get(item["linkId"])
            if value is not None:
                self.initial[name] = (
                    ("yes" if value else "no") if isinstance(value, bool) else value
                )

    def answers(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name, link_id in self.link_ids.items():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if (
                isinstance(self.fields[name], forms.ChoiceField)
                and value in ("yes", "no")
                and (
                    self.fields[name].choices == YES_NO  # type: ignore[attr-defined]
                )
            ):
                value = value == "yes"
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif hasattr(value, "as_tuple"):  # Decimal
                value = float(value)
            found[link_id] = value
        return found

    def add_problems(self, problems: dict[str, str]) -> None:
        names = {link_id: name for name, link_id in self.link_ids.items()}
        for link_id, message in problems.items():
            self.add_error(names.get(link_id), message)


def _field(item: dict[str, Any], language: str) -> forms.Field:
    label = q.translated(item, "text", language)
    kind = item["type"]
    common: dict[str, Any] = {"label": label, "required": False}
    if kind == "choice":
        return forms.ChoiceField(
            choices=q.options(item, language), widget=forms.RadioSelect, **common
        )
    if kind == "boolean":
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    low, high = q.bound(item, q.MIN_VALUE), q.bound(item, q.MAX_VALUE)
    if kind == "integer":
        field: forms.Field = forms.IntegerField(
            min_value=None if low is None else int(low),
            max_value=None if high is None else int(high),
            **common,
        )
        field.widget.attrs["inputmode"] = "numeric"
        return field
    if kind == "decimal":
        return forms.DecimalField(min_value=low, max_value=high, **common)
    if kind == "date":
        return NHSDateField(**common)
    limit = int(item.get("maxLength") or (255 if kind == "string" else 2000))
    widget = forms.Textarea(attrs={"rows": 4}) if kind == "text" else forms.TextInput
    return forms.CharField(max_length=limit, widget=widget, **common)


class VersionedForm(SaplingForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ScheduleForm(SaplingForm):
    """Owe a measure: which, when, and who answers it."""

    instrument = forms.ModelChoiceField(
        label=_("Measure"), queryset=InstrumentVersion.objects.none(), empty_label=None
    )
    time_point = forms.ChoiceField(
        label=_("Time point"),
        choices=[
            c for c in TimePoint.choices if c[0] not in (TimePoint.SESSION, TimePoint.RUN_START)
        ],
        widget=forms.RadioSelect,
    )
    respondent = forms.ChoiceField(
        label=_("Who answers it?"),
        choices=[c for c in Respondent.choices if c[0] != Respondent.CLINICIAN],
        widget=forms.RadioSelect,
    )
    carer = forms.ChoiceField(
        label=_("Send it to"),
        required=False,
        help_text=_("A parent or carer; a young person's questionnaire goes through them too."),
    )
    recipient_email = forms.EmailField(
        label=_("Teacher's email address"),
        required=False,
        help_text=_("Only for a teacher's questionnaire."),
    )
    due_on = NHSDateField(label=_("Send it on"))

    def __init__(self, *args: Any, team: Team, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        versions = (
            InstrumentVersion.objects.for_team(team)
            .exclude(instrument__kind=InstrumentKind.GAS)
            .select_related("instrument")
            .order_by("instrument__title", "-created_at")
        )
        self.fields["instrument"].queryset = versions  # type: ignore[attr-defined]
        self.fields["carer"].choices = [("", _("Nobody: it will be answered on paper"))] + [  # type: ignore[attr-defined]
            (str(c.pk), str(c)) for c in child.carers.all()
        ]
        self.fields["recipient_email"].widget.attrs["autocomplete"] = "off"

    def clean_carer(self) -> Any:
        value = self.cleaned_data.get("carer")
        if not value:
            return None
        return self.child.carers.filter(pk=value).first()

    def clean_due_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["due_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The date must be today or in the future"))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        teacher = data.get("respondent") == Respondent.TEACHER
        if teacher and data.get("carer"):
            self.add_error("carer", _("A teacher's questionnaire goes to their email address"))
        if not teacher and data.get("recipient_email"):
            self.add_error(
                "recipient_email", _("Only a teacher's questionnaire goes to an email address")
            )
        return data


class CancelForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why is this measure no longer needed?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UploadInstrumentForm(SaplingForm):
    definition = forms.FileField(
        label=_("Instrument file (JSON)"),
        help_text=_(
            "A FHIR R4 Questionnaire with Sapling's scoring rules, as described in the guide."
        ),
    )
    licensed = forms.BooleanField(
        label=_("Our service holds a licence to use this instrument, where one is needed"),
    )


class GasGoalForm(SaplingForm):
    goal_text = forms.CharField(
        label=_("Goal"),
        max_length=1000,
        help_text=_("In the child's or family's words."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    much_less = forms.CharField(label=_("-2: much less than expected"), max_length=500)
    less = forms.CharField(label=_("-1: less than expected"), max_length=500)
    expected = forms.CharField(label=_("0: the expected outcome"), max_length=500)
    more = forms.CharField(label=_("+1: more than expected"), max_length=500)
    much_more = forms.CharField(label=_("+2: much more than expected"), max_length=500)
    baseline = forms.TypedChoiceField(
        label=_("Where is the child now?"),
        choices=[("-2", _("-2: much less than expected")), ("-1", _("-1: less than expected"))],
        coerce=int,
        initial="-1",
        widget=forms.RadioSelect,
    )
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=1,
        max_value=10,
        initial=1,
        help_text=_("1 unless some goals matter more than others (1 to 10)."),
    )


class RateGoalsForm(SaplingForm):
    time_point = forms.ChoiceField(
        label=_("When are you rating?"),
        choices=[c for c in TimePoint.choices if c[0] in RATED_AT],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, goals: list[GasGoal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            self.fields[f"goal_{goal.pk}"] = forms.TypedChoiceField(
                label=goal.goal_text,
                choices=[
                    (str(level), f"{level:+d}: {goal.level_text(level)}".replace("+0", "0"))
                    for level in range(-2, 3)
                ],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Rate this goal")},
            )

    @property
    def goal_fields(self) -> list[str]:
        return [f"goal_{goal.pk}" for goal in self.goals]

    def ratings(self) -> dict[int, int]:
        return {goal.pk: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}


class PlanForm(SaplingForm):
    """Plan a measure at a time point of an episode or a group run."""

    instrument = forms.ModelChoiceField(
        label=_("Measure"), queryset=InstrumentVersion.objects.none(), empty_label=None
    )
    time_point = forms.ChoiceField(label=_("When"), widget=forms.RadioSelect)
    respondent = forms.ChoiceField(
        label=_("Who answers it?"),
        choices=[c for c in Respondent.choices if c[0] != Respondent.CLINICIAN],
        widget=forms.RadioSelect,
        initial=Respondent.PARENT,
    )

    def __init__(self, *args: Any, team: Team, time_points: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = (  # type: ignore[attr-defined]
            InstrumentVersion.objects.for_team(team)
            .exclude(instrument__kind=InstrumentKind.GAS)
            .select_related("instrument")
            .order_by("instrument__title", "-created_at")
        )
        self.fields["time_point"].choices = [  # type: ignore[attr-defined]
            (p, TimePoint(p).label) for p in time_points
        ]


class ScaleGoalForm(GasGoalForm):
    """Scaling an episode's goal: its words are already agreed, so only the levels."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["goal_text"]
