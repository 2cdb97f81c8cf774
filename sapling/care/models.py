"""The specialist tier: episodes of care, appointments, the clinical record and discharge."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.children.models import Child, KeepsChildLocality
from sapling.core.models import TimestampedModel, VersionedModel
from sapling.referrals.models import OccupationalArea, Referral
from sapling.waitlist.models import WaitlistEntry

USER = settings.AUTH_USER_MODEL


class CareSettings(models.Model):
    """A team's specialist-tier settings: its not-brought policy and default contact length."""

    team = models.OneToOneField(Team, on_delete=models.PROTECT, related_name="care_settings")
    not_brought_in_a_row = models.PositiveSmallIntegerField(
        _("prompt after this many not brought in a row"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    not_brought_steps = models.TextField(
        _("what the clinician should do then"),
        max_length=2000,
        default=(
            "Contact the family and the referrer. Consider safeguarding and record what you "
            "decided. If there is still no contact, discharge with a letter."
        ),
    )
    default_minutes = models.PositiveSmallIntegerField(
        _("usual length of a contact (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )

    def __str__(self) -> str:
        return f"Specialist care settings for {self.team}"

    @classmethod
    def for_team(cls, team: Team) -> CareSettings:
        """The team's settings, or the defaults (unsaved) if it never changed them."""
        return cls.objects.filter(team=team).first() or cls(team=team)


class EpisodeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DISCHARGED = "discharged", _("Discharged")


class DischargeReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    STEPPED_DOWN = "stepped_down", _("Moved to universal or targeted support")
    MOVED_AWAY = "moved_away", _("Moved away")
    NOT_BROUGHT = "not_brought", _("Not brought to appointments")
    TRANSFERRED = "transferred", _("Transferred to another service")


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def for_team(self, team: Team) -> EpisodeQuerySet:
        return self.filter(team=team)

    def open(self) -> EpisodeQuerySet:
        return self.filter(status=EpisodeStatus.OPEN)


class Episode(VersionedModel):
    """One period of specialist care for a child, from the waiting list to discharge."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="episodes")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="episodes")
    entry = models.OneToOneField(
        WaitlistEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="episode"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes"
    )
    # A re-referred child's earlier episode, so the history stays one chain.
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_episode"
    )
    lead_clinician = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=EpisodeStatus.choices, default=EpisodeStatus.OPEN
    )
    review_due_on = models.DateField(_("next review due"), null=True, blank=True)
    # A child is never discharged as not brought without this (the team's not-brought policy).
    safeguarding_considered = models.TextField(max_length=2000, blank=True)
    safeguarding_considered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    safeguarding_considered_at = models.DateTimeField(null=True, blank=True)
    discharged_on = models.DateField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=20, choices=DischargeReason.choices, blank=True)
    discharge_summary = models.TextField(max_length=5000, blank=True)
    discharged_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(status="open"),
                name="one_open_episode_per_child",
            )
        ]

    def __str__(self) -> str:
        return f"Episode of care for {self.child} from {self.opened_on}"

    @property
    def is_open(self) -> bool:
        return self.status == EpisodeStatus.OPEN


class ContactKind(models.TextChoices):
    HOME = "home", _("Home visit")
    SCHOOL = "school", _("School visit")
    CLINIC = "clinic", _("Clinic")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone call")


class ContactOutcome(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    CANCELLED_BY_FAMILY = "cancelled_by_family", _("Cancelled by the family")
    CANCELLED_BY_SERVICE = "cancelled_by_service", _("Cancelled by the service")
    NOT_BROUGHT = "not_brought", _("Was not brought")


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def for_team(self, team: Team) -> AppointmentQuerySet:
        return self.filter(team=team)

    def booked(self) -> AppointmentQuerySet:
        return self.filter(outcome=ContactOutcome.BOOKED)

    def in_diary(self) -> AppointmentQuerySet:
        """What takes up a clinician's and a child's time: booked or already happened."""
        return self.exclude(
            outcome__in=[ContactOutcome.CANCELLED_BY_FAMILY, ContactOutcome.CANCELLED_BY_SERVICE]
        )


class Appointment(KeepsChildLocality, VersionedModel):
    child_path = "episode__child"
    # No index of its own: (team, starts_at) starts with it, and PostgreSQL chose a team-only
    # index over it and read the whole team to find a report's period (benchmarks/RESULTS.md).
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="appointments", db_index=False
    )
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="appointments")
    clinician = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="appointments")
    kind = models.CharField(_("type of contact"), max_length=10, choices=ContactKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(_("where"), max_length=300, blank=True)
    video_link = models.URLField(_("link to join"), max_length=500, blank=True)
    outcome = models.CharField(
        max_length=30, choices=ContactOutcome.choices, default=ContactOutcome.BOOKED
    )
    outcome_note = models.CharField(max_length=1000, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["team", "starts_at"]),
            # A report's period filtered to one locality (KeepsChildLocality).
            models.Index(fields=["team", "child_locality", "starts_at"]),
            models.Index(fields=["clinician", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.starts_at:%Y-%m-%d %H:%M}"


class Assessment(TimestampedModel):
    """A structured assessment: what the child does and finds hard, where, and what matters."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessments")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessed_on = models.DateField()
    areas = models.JSONField(default=list)  # OccupationalArea values assessed
    performance = models.TextField(_("occupational performance"), max_length=5000)
    environment = models.TextField(_("environment"), max_length=5000, blank=True)
    strengths = models.TextField(_("strengths"), max_length=5000)
    what_matters = models.TextField(_("what matters to the child and family"), max_length=5000)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"Assessment on {self.assessed_on}"

    def area_labels(self) -> list[str]:
        labels = dict(OccupationalArea.choices)
        return [str(labels.get(area, area)) for area in self.areas]


class Note(TimestampedModel):
    """A free-text note of a contact; editable as a draft, immutable once signed."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="notes")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="notes"
    )
    text = models.TextField(max_length=20000, blank=True)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Note {self.pk} by {self.author}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class Addendum(TimestampedModel):
    """A correction or addition to a signed note, signed as it is written."""

    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField(max_length=5000)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Addendum to note {self.note_id}"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    STOPPED = "stopped", _("No longer a goal")


class Goal(TimestampedModel):
    """A goal set with the family, in their words. The outcomes feature adds GAS levels."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="goals")
    text = models.TextField(_("the goal, in the child's or family's words"), max_length=1000)
    whose_words = models.CharField(_("whose words"), max_length=200)
    set_on = models.DateField()
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    status_changed_on = models.DateField(null=True, blank=True)
    set_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["set_on", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class InterventionKind(models.TextChoices):
    ADVICE = "advice", _("Advice")
    EQUIPMENT = "equipment", _("Equipment")
    ENVIRONMENT = "environment", _("Changes to the environment")
    SKILLS = "skills", _("Skills teaching")
    SCHOOL = "school", _("School strategies")


class Intervention(TimestampedModel):
    """One intervention agreed in the care plan."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="interventions")
    kind = models.CharField(_("kind"), max_length=20, choices=InterventionKind.choices)
    description = models.TextField(_("what was agreed"), max_length=2000)
    agreed_on = models.DateField()
    agreed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["agreed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"


class EquipmentLoan(TimestampedModel):
    """Equipment issued to the child, and its return."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="equipment")
    item = models.CharField(_("item"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    returned_on = models.DateField(null=True, blank=True)
    return_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["issued_on", "pk"]

    def __str__(self) -> str:
        return self.item
