"""The waiting list: one entry per child waiting, its clock, check-ins and weekly snapshots."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.children.models import Child, KeepsChildLocality
from sapling.core.models import TimestampedModel, VersionedModel
from sapling.referrals.models import Referral
from sapling.triage.models import Pathway, Priority, Tier


class EntryStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ALLOCATED = "allocated", _("Allocated")
    SEEN = "seen", _("Seen")
    ENDED = "ended", _("Ended")


class StopReason(models.TextChoices):
    GROUP_SESSION = "group_session", _("First group session attended")
    SPECIALIST_CONTACT = "specialist_contact", _("First specialist contact attended")


class EndReason(models.TextChoices):
    WITHDRAWN = "withdrawn", _("Withdrawn by the family")
    NO_LONGER_NEEDED = "no_longer_needed", _("No longer needed")
    MOVED_AWAY = "moved_away", _("Moved away")
    NOT_BROUGHT = "not_brought", _("Not brought to appointments")
    VALIDATION = "validation", _("Removed after validation")


class WaitlistEntryQuerySet(models.QuerySet["WaitlistEntry"]):
    def for_team(self, team: Team) -> WaitlistEntryQuerySet:
        return self.filter(team=team)

    def open(self) -> WaitlistEntryQuerySet:
        """Still on the list: waiting, or allocated but not yet seen."""
        return self.filter(status__in=[EntryStatus.WAITING, EntryStatus.ALLOCATED])


class WaitlistEntry(KeepsChildLocality, VersionedModel):
    # No index of its own: the (team, ...) indexes below start with it (see Appointment.team).
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="waitlist_entries", db_index=False
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="waitlist_entries")
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="waitlist_entry"
    )
    tier = models.CharField(max_length=20, choices=Tier.choices)
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, null=True, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    priority_rank = models.PositiveSmallIntegerField(help_text="0 urgent, 1 soon, 2 routine")
    need_score = models.IntegerField(default=0)
    # The local date the referral was received; moved only by a recorded clock adjustment.
    clock_start = models.DateField()
    status = models.CharField(
        max_length=20, choices=EntryStatus.choices, default=EntryStatus.WAITING
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clock_stopped_on = models.DateField(null=True, blank=True)
    stop_reason = models.CharField(max_length=30, choices=StopReason.choices, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, choices=EndReason.choices, blank=True)
    end_note = models.CharField(max_length=1000, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    next_check_in_on = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = WaitlistEntryQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["team", "status", "priority_rank", "clock_start"]),
            # The waits that ended in a report's period (the children seen, and supported).
            models.Index(fields=["team", "clock_stopped_on"]),
            # The same, filtered to one locality (KeepsChildLocality).
            models.Index(fields=["team", "child_locality", "clock_stopped_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.child} waiting ({self.get_tier_display()})"


class ClockAdjustment(models.Model):
    """A recorded change to an entry's clock under the team's rules; never a hand edit."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.PROTECT, related_name="adjustments")
    happened_on = models.DateField()
    rule = models.CharField(max_length=60)
    old_clock_start = models.DateField()
    new_clock_start = models.DateField()
    reason = models.CharField(max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.rule} on {self.happened_on}"


class CheckInAnswer(models.TextChoices):
    STILL_NEEDED = "still_needed", _("We still need the service")
    NO_LONGER_NEEDED = "no_longer_needed", _("We no longer need the service")
    WORSE = "worse", _("Things have got worse")


class CheckIn(TimestampedModel):
    """A 'do you still need us?' question sent to a waiting family, and its answer."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.PROTECT, related_name="check_ins")
    due_on = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=20, choices=CheckInAnswer.choices, blank=True)
    comment = models.TextField(max_length=2000, blank=True)
    clinician_prompted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_on"]

    def __str__(self) -> str:
        return f"Check-in for {self.entry} due {self.due_on}"


class Snapshot(models.Model):
    """The list as it stood in one week, per tier, pathway and priority, kept for trends."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="waitlist_snapshots")
    week_starting = models.DateField()
    taken_at = models.DateTimeField(auto_now_add=True)
    tier = models.CharField(max_length=20, choices=Tier.choices)
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, null=True, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    # Counts of entries by completed weeks waited: {"0": 12, "1": 9, ...}.
    counts_by_week = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "week_starting", "tier", "pathway", "priority"],
                name="one_snapshot_row_per_week_and_group",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} week of {self.week_starting}"


class ClockRules(models.TextChoices):
    """Which nation's rules apply when a family cancels or a child is not brought."""

    WALES = "wales", _("NHS Wales")
    ENGLAND = "england", _("NHS England")


class WaitingWellSettings(models.Model):
    """A team's waiting-list settings: how often families are asked, and its clock rules."""

    team = models.OneToOneField(
        Team, on_delete=models.PROTECT, related_name="waiting_well_settings"
    )
    check_in_weeks = models.PositiveSmallIntegerField(
        _("weeks between check-ins"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    clock_rules = models.CharField(
        _("clock rules"), max_length=10, choices=ClockRules.choices, default=ClockRules.WALES
    )

    def __str__(self) -> str:
        return f"Waiting-list settings for {self.team}"

    @classmethod
    def for_team(cls, team: Team) -> WaitingWellSettings:
        """The team's settings, or the defaults (unsaved) if it never changed them."""
        found = cls.objects.filter(team=team).first()
        return found or cls(team=team)
