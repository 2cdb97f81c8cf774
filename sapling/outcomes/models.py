"""Outcome and experience measures: instruments as data, administrations, responses, GAS.

An instrument version is immutable once saved: every administration and response names
the version it was answered on, so a later edit of the questions never changes what an
earlier answer meant.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.children.models import Carer, Child, KeepsChildLocality
from sapling.core.models import TimestampedModel, VersionedModel

USER = settings.AUTH_USER_MODEL


class InstrumentKind(models.TextChoices):
    PROM = "prom", _("Outcome measure (PROM)")
    PREM = "prem", _("Experience measure (PREM)")
    SESSION_FEEDBACK = "session_feedback", _("Session feedback")
    GAS = "gas", _("Goal Attainment Scaling")


class Instrument(TimestampedModel):
    """A questionnaire, by its machine name. Shipped ones have no team; uploads have one."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="instruments"
    )
    name = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=InstrumentKind.choices)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "name"], name="one_instrument_name_per_team", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return self.title


class InstrumentVersionQuerySet(models.QuerySet["InstrumentVersion"]):
    def for_team(self, team: Team) -> InstrumentVersionQuerySet:
        """The shipped instruments and the team's own uploads."""
        return self.filter(
            models.Q(instrument__team__isnull=True) | models.Q(instrument__team=team)
        )


class InstrumentVersion(TimestampedModel):
    """One version of an instrument: a FHIR R4 Questionnaire plus Sapling's scoring rules."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=40)
    questionnaire = models.JSONField()
    scoring = models.JSONField(default=dict)
    languages = models.JSONField(default=list)
    respondents = models.JSONField(default=list)
    source = models.TextField(max_length=2000, blank=True)
    licence = models.CharField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = InstrumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["instrument__title", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "version"], name="one_row_per_instrument_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument.title} (version {self.version})"

    @property
    def canonical(self) -> str:
        url = self.questionnaire.get("url") or f"urn:sapling:instrument:{self.instrument.name}"
        return f"{url}|{self.version}"


class TimePoint(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    REVIEW = "review", _("Review")
    DISCHARGE = "discharge", _("Discharge")
    FOLLOW_UP = "follow_up", _("Follow-up")
    RUN_START = "run_start", _("Start of group")
    RUN_END = "run_end", _("End of group")
    SESSION = "session", _("After a session")


class Respondent(models.TextChoices):
    PARENT = "parent", _("Parent or carer")
    YOUNG_PERSON = "young_person", _("Young person")
    TEACHER = "teacher", _("Teacher or school staff")
    CLINICIAN = "clinician", _("Clinician")


class AdministrationStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    COMPLETED = "completed", _("Completed")
    NOT_SENT = "not_sent", _("Could not be sent")
    CANCELLED = "cancelled", _("Cancelled")


class Mode(models.TextChoices):
    LINK = "link", _("Answered online")
    PAPER = "paper", _("Paper, entered by staff")


class MeasurePlan(TimestampedModel):
    """A clinician's plan: this measure at this time point of an episode or a group run.

    `sapling send-due` turns it into administrations when the time point comes (see
    sapling/outcomes/schedule.py). A plan is ended with a reason, never deleted.
    """

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="measure_plans")
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="plans"
    )
    episode = models.ForeignKey(
        "care.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    run = models.ForeignKey(
        "groups.Run", on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    time_point = models.CharField(max_length=20, choices=TimePoint.choices)
    respondent = models.CharField(max_length=20, choices=Respondent.choices)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(episode__isnull=False, run__isnull=True)
                | models.Q(episode__isnull=True, run__isnull=False),
                name="measure_plan_is_for_an_episode_or_a_run",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_version} at {self.time_point}"


class AdministrationQuerySet(models.QuerySet["Administration"]):
    def for_team(self, team: Team) -> AdministrationQuerySet:
        return self.filter(team=team)

    def open(self) -> AdministrationQuerySet:
        return self.filter(status__in=[AdministrationStatus.SCHEDULED, AdministrationStatus.SENT])


class Administration(KeepsChildLocality, VersionedModel):
    """One measure owed by one respondent about one child at one time point."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="administrations")
    # The child it is about; none only for a group participant's own feedback (a teacher
    # at universal training), which is bound to their enrolment instead.
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="administrations"
    )
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="administrations"
    )
    # What it measures: a specialist episode, or a group run (and the session, for
    # session feedback) with the place on it.
    episode = models.ForeignKey(
        "care.Episode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="administrations",
    )
    run = models.ForeignKey(
        "groups.Run",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="administrations",
    )
    session = models.ForeignKey(
        "groups.Session",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="administrations",
    )
    enrolment = models.ForeignKey(
        "groups.Enrolment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="administrations",
    )
    time_point = models.CharField(max_length=20, choices=TimePoint.choices)
    respondent = models.CharField(max_length=20, choices=Respondent.choices)
    # Who it is sent to: a carer (parents, and young people through their family), or the
    # email address of a teacher; nobody for a measure only ever taken on paper.
    carer = models.ForeignKey(
        Carer, on_delete=models.PROTECT, null=True, blank=True, related_name="administrations"
    )
    recipient_email = models.EmailField(blank=True)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=AdministrationStatus.choices, default=AdministrationStatus.SCHEDULED
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Answers saved page by page before the family sends them: {linkId: value}.
    draft = models.JSONField(default=dict, blank=True)
    cancelled_reason = models.CharField(max_length=500, blank=True)
    scheduled_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["-due_on", "-pk"]
        indexes = [
            models.Index(fields=["team", "status", "due_on"]),
            # The measures due in a report's period, filtered to one locality.
            models.Index(fields=["team", "child_locality", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(child__isnull=False) | models.Q(enrolment__isnull=False),
                name="administration_is_about_a_child_or_a_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_version} for child {self.child_id} at {self.time_point}"

    @property
    def about(self) -> str:
        """Who it is about, for staff: the child, or the group participant."""
        if self.child is not None:
            return self.child.full_name
        return self.enrolment.display_name if self.enrolment is not None else ""

    @property
    def back_url(self) -> str:
        from django.urls import reverse

        if self.child_id is None and self.run_id is not None:
            return reverse("outcomes:show_run_outcomes", args=[self.run_id])
        return reverse("outcomes:show_child_outcomes", args=[self.child_id])


class Response(KeepsChildLocality, TimestampedModel):
    """A completed questionnaire: one per administration, however many links raced."""

    child_path = "administration__child"

    administration = models.OneToOneField(
        Administration, on_delete=models.PROTECT, related_name="response"
    )
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="responses"
    )
    answers = models.JSONField()
    scores = models.JSONField(default=dict)
    language = models.CharField(max_length=5, choices=settings.LANGUAGES, default="en")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    submitted_at = models.DateTimeField()
    entered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at"]
        # A report's period's answers, filtered to one locality (KeepsChildLocality).
        indexes = [models.Index(fields=["child_locality", "submitted_at"])]

    def __str__(self) -> str:
        return f"Response to administration {self.administration_id}"

    def score(self, key: str) -> Any:
        return self.scores.get(key)


class GasGoal(KeepsChildLocality, VersionedModel):
    """A goal scaled for Goal Attainment Scaling: what each level from -2 to +2 looks like."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="gas_goals")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="gas_goals")
    # The specialist episode's goal this scales (its words are the goal's), or a goal for
    # a targeted group place.
    goal = models.OneToOneField(
        "care.Goal", on_delete=models.PROTECT, null=True, blank=True, related_name="gas"
    )
    episode = models.ForeignKey(
        "care.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="gas_goals"
    )
    enrolment = models.ForeignKey(
        "groups.Enrolment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gas_goals",
    )
    goal_text = models.TextField(_("goal"), max_length=1000)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    much_less = models.CharField(_("-2: much less than expected"), max_length=500)
    less = models.CharField(_("-1: less than expected"), max_length=500)
    expected = models.CharField(_("0: the expected outcome"), max_length=500)
    more = models.CharField(_("+1: more than expected"), max_length=500)
    much_more = models.CharField(_("+2: much more than expected"), max_length=500)
    baseline = models.SmallIntegerField(
        _("level at baseline"), default=-1, validators=[MinValueValidator(-2), MaxValueValidator(0)]
    )
    set_on = models.DateField()
    set_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=500, blank=True)
    updated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["set_on", "pk"]

    def __str__(self) -> str:
        return self.goal_text[:80]

    def level_text(self, level: int) -> str:
        return {
            -2: self.much_less,
            -1: self.less,
            0: self.expected,
            1: self.more,
            2: self.much_more,
        }[level]


class GasRating(KeepsChildLocality, TimestampedModel):
    """How far a GAS goal was attained at a review or at discharge."""

    child_path = "goal__child"

    goal = models.ForeignKey(GasGoal, on_delete=models.PROTECT, related_name="ratings")
    time_point = models.CharField(max_length=20, choices=TimePoint.choices)
    attainment = models.SmallIntegerField(validators=[MinValueValidator(-2), MaxValueValidator(2)])
    rated_on = models.DateField()
    rated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["rated_on", "pk"]
        indexes = [
            # The ratings of a report's period, without reading every rating.
            models.Index(fields=["time_point", "rated_on"]),
            # The same, filtered to one locality (KeepsChildLocality).
            models.Index(fields=["child_locality", "rated_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "time_point", "rated_on"], name="one_gas_rating_per_goal_and_day"
            ),
            models.CheckConstraint(
                condition=models.Q(attainment__gte=-2) & models.Q(attainment__lte=2),
                name="gas_attainment_between_minus_two_and_two",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attainment:+d} at {self.time_point}"
