"""Universal and targeted support: the resource library, programmes, runs and attendance."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.children.models import KeepsChildLocality
from sapling.core.models import KeepsDerivedFields, TimestampedModel, VersionedModel


class ResourceKind(models.TextChoices):
    HANDOUT = "handout", _("Handout")
    VIDEO = "video", _("Video")
    ACTIVITY_SHEET = "activity_sheet", _("Activity sheet")
    WEBSITE = "website", _("Website")


class Audience(models.TextChoices):
    PARENTS = "parents", _("Parents and carers")
    SCHOOL_STAFF = "school_staff", _("Teachers and school staff")
    EARLY_YEARS = "early_years", _("Early years staff")
    YOUNG_PEOPLE = "young_people", _("Young people")
    CHILDREN = "children", _("Children")


class Resource(TimestampedModel):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="resources")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    url = models.URLField(_("link"), blank=True, help_text=_("For videos and websites"))
    file = models.FileField(_("file"), upload_to="resources/", blank=True)
    audiences = models.JSONField(_("audiences"), default=list)
    topics = models.JSONField(
        _("topics"), default=list, help_text=_("Occupational areas it helps with")
    )
    language = models.CharField(
        _("language"), max_length=5, choices=[("en", "English"), ("cy", "Cymraeg")], default="en"
    )
    public = models.BooleanField(_("show on the public resources page"), default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


# --- Programmes, runs, sessions, enrolments and attendance (issue 4) ----------------------


def validate_https(value: str) -> None:
    """A meeting link must be https: a plain http link would leak who joins and when."""
    from django.core.exceptions import ValidationError

    if value and not value.lower().startswith("https://"):
        raise ValidationError(_("Enter a meeting link that starts with https://"), code="not_https")


class ProgrammeTier(models.TextChoices):
    UNIVERSAL = "universal", _("Universal")
    TARGETED = "targeted", _("Targeted")


class ProgrammeTopic(models.TextChoices):
    SENSORY = "sensory", _("Sensory processing")
    HANDWRITING = "handwriting", _("Handwriting")
    EMOTIONAL_REGULATION = "emotional_regulation", _("Emotional regulation")
    PARENTING = "parenting", _("Parenting and behaviour")
    MOTOR_SKILLS = "motor_skills", _("Motor skills and coordination")
    SELF_CARE = "self_care", _("Self-care and daily living")


class Delivery(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class Programme(TimestampedModel):
    """One entry in the team's catalogue of training and groups."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    tier = models.CharField(_("tier"), max_length=20, choices=ProgrammeTier.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    topic = models.CharField(_("topic"), max_length=30, choices=ProgrammeTopic.choices)
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices)
    sessions_count = models.PositiveSmallIntegerField(
        _("number of sessions"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    capacity = models.PositiveSmallIntegerField(
        _("places per run"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    languages = models.JSONField(_("languages offered"), default=list)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        blank=True,
        related_name="programmes_facilitated",
    )
    active = models.BooleanField(_("offered now"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RunStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for booking")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class Run(KeepsDerivedFields, VersionedModel):
    """One delivery of a programme, with dated sessions."""

    derived_fields = ("sessions_held", "marks_recorded", "marks_attended")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="runs")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="group_runs")
    title = models.CharField(_("title"), max_length=200)
    term = models.CharField(_("term"), max_length=60, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    meeting_link = models.URLField(
        _("meeting link"), max_length=500, blank=True, validators=[validate_https]
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        blank=True,
        related_name="runs_facilitated",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.PLANNED
    )
    closed_reason = models.CharField(_("reason"), max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Its register counts, recounted from the sessions and marks whenever either changes
    # (sapling/groups/register_counts.py), so reports need not read every mark.
    sessions_held = models.PositiveSmallIntegerField(default=0, editable=False)
    marks_recorded = models.PositiveIntegerField(default=0, editable=False)  # of sessions held
    marks_attended = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_universal(self) -> bool:
        return self.programme.tier == ProgrammeTier.UNIVERSAL


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    MOVED = "moved", _("Moved")
    CANCELLED = "cancelled", _("Cancelled")


class Session(VersionedModel):
    """One dated meeting of a run. Moving it keeps its calendar UID; the version is SEQUENCE."""

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session number"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    change_reason = models.CharField(_("reason for the change"), max_length=500, blank=True)
    resources_shared = models.ManyToManyField(
        Resource, verbose_name=_("resources shared"), blank=True, related_name="sessions"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["run", "number"]
        # A report's period's sessions, whichever run they belong to.
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="one_session_number_per_run"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} session {self.number}"

    @property
    def takes_place(self) -> bool:
        return self.status != SessionStatus.CANCELLED


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    RESERVE = "reserve", _("On the reserve list")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DigitalNeed(models.TextChoices):
    DEVICE = "device", _("No suitable device")
    DATA = "data", _("No data or internet connection")
    CONFIDENCE = "confidence", _("Not confident joining online")


class DigitalSupport(models.TextChoices):
    DEVICE_LOAN = "device_loan", _("School device loan")
    INCLUSION_SERVICE = "inclusion_service", _("Digital inclusion service")
    PHONE_JOIN = "phone_join", _("Joining by phone")
    IN_PERSON = "in_person", _("In-person alternative")


class Enrolment(KeepsChildLocality, VersionedModel):
    """A place (or a reserve place) on a run.

    Exactly one of: a child with their waiting-list entry and carer(s) (targeted groups and
    parenting groups); a public participant with no account (name, role, setting, email);
    or a partner booking for themselves (`user`).
    """

    derived_fields = ("sessions_attended", "attended_last_held")

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="enrolments")
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_enrolments",
    )
    waitlist_entry = models.ForeignKey(
        "waitlist.WaitlistEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_enrolments",
    )
    carers = models.ManyToManyField(
        "children.Carer", verbose_name=_("carers"), blank=True, related_name="group_enrolments"
    )
    participant_name = models.CharField(_("full name"), max_length=200, blank=True)
    participant_role = models.CharField(_("role"), max_length=200, blank=True)
    participant_setting = models.CharField(_("school or setting"), max_length=200, blank=True)
    participant_email = models.EmailField(_("email address"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_enrolments",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    reserve_position = models.PositiveIntegerField(_("reserve position"), null=True, blank=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason"), max_length=500, blank=True)
    digital_needs = models.JSONField(_("digital access needs"), default=list, blank=True)
    digital_support = models.CharField(
        _("support arranged"), max_length=30, choices=DigitalSupport.choices, blank=True
    )
    digital_support_arranged_on = models.DateField(
        _("date support was arranged"), null=True, blank=True
    )
    # Its holder's register, recounted with its run's (sapling/groups/register_counts.py).
    sessions_attended = models.PositiveSmallIntegerField(default=0, editable=False)
    attended_last_held = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["run", "status", "reserve_position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(child__isnull=False, user__isnull=True, participant_email="")
                    | models.Q(child__isnull=True, user__isnull=False, participant_email="")
                    | (
                        models.Q(child__isnull=True, user__isnull=True)
                        & ~models.Q(participant_email="")
                    )
                ),
                name="enrolment_is_child_or_participant_or_partner",
            ),
            models.UniqueConstraint(
                fields=["run", "child"],
                condition=models.Q(child__isnull=False) & ~models.Q(status="withdrawn"),
                name="one_live_enrolment_per_child_per_run",
            ),
            models.UniqueConstraint(
                fields=["run", "user"],
                condition=models.Q(user__isnull=False) & ~models.Q(status="withdrawn"),
                name="one_live_enrolment_per_partner_per_run",
            ),
            models.UniqueConstraint(
                fields=["run", "participant_email"],
                condition=~models.Q(participant_email="") & ~models.Q(status="withdrawn"),
                name="one_live_enrolment_per_email_per_run",
            ),
        ]

    def __str__(self) -> str:
        return f"Enrolment {self.pk} on {self.run}"

    @property
    def display_name(self) -> str:
        if self.child_id is not None:
            return str(self.child)
        if self.user_id is not None:
            assert self.user is not None
            return self.user.get_full_name() or self.user.get_username()
        return self.participant_name


class Mark(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    APOLOGIES = "apologies", _("Apologies")
    DID_NOT_ATTEND = "did_not_attend", _("Did not attend")


class Attendance(TimestampedModel):
    """One person's mark for one session, as the facilitator recorded it."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances")
    mark = models.CharField(_("mark"), max_length=20, choices=Mark.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "enrolment"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"], name="one_mark_per_person_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_mark_display()} for {self.session}"


class TopicKind(models.TextChoices):
    TOPIC = "topic", _("A topic to cover")
    QUESTION = "question", _("A question")
    CHALLENGE = "challenge", _("A challenge we are facing")


class TopicSuggestion(TimestampedModel):
    """Something a participant sent in before a session, through their personal link."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="topic_suggestions"
    )
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="topic_suggestions")
    kind = models.CharField(_("kind"), max_length=20, choices=TopicKind.choices)
    text = models.TextField(_("what you would like to raise"), max_length=2000)
    covered = models.BooleanField(_("covered"), default=False)
    covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    covered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "kind", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.session}"


class TopicInvitation(TimestampedModel):
    """What a personal topic link points at: one participant, one coming session."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="topic_invitations"
    )
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="topic_invitations")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"], name="one_topic_invitation_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"Topic invitation {self.pk}"
