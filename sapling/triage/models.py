"""The clinical reasoning tool: the team's rules, its pathways, and each triage decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.core.models import TimestampedModel
from sapling.referrals.models import Referral


class Tier(models.TextChoices):
    UNIVERSAL = "universal", _("Universal")
    TARGETED = "targeted", _("Targeted")
    SPECIALIST = "specialist", _("Specialist")


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    SOON = "soon", _("Soon")
    ROUTINE = "routine", _("Routine")


# Sorting key: a lower number is seen first.
PRIORITY_RANK = {Priority.URGENT: 0, Priority.SOON: 1, Priority.ROUTINE: 2}


class Outcome(models.TextChoices):
    UNIVERSAL = "universal", _("Universal: signpost to training and resources")
    TARGETED = "targeted", _("Targeted: add to the waiting list")
    SPECIALIST = "specialist", _("Specialist: add to the waiting list")
    DECLINED = "declined", _("Decline")
    REDIRECTED = "redirected", _("Redirect to another service")


class Pathway(models.Model):
    """A team-configured pathway, such as motor coordination or sensory."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="pathways")
    key = models.SlugField(max_length=50)
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "key"], name="unique_pathway_per_team")
        ]

    def __str__(self) -> str:
        return self.name


class RulesVersion(TimestampedModel):
    """One saved version of a team's triage rules file; exactly one is active."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="rules_versions")
    number = models.PositiveIntegerField()
    source = models.TextField(help_text="The rules file as saved (TOML).")
    active = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["team", "number"], name="unique_rules_number"),
            models.UniqueConstraint(
                fields=["team"], condition=models.Q(active=True), name="one_active_rules"
            ),
        ]

    def __str__(self) -> str:
        return f"Rules v{self.number}"


class LiveOrder(models.TextChoices):
    PLAIN = "plain", _("Priority, then longest wait")
    NEED_ADJUSTED = "need_adjusted", _("Priority, then need score, then longest wait")


class TriageSettings(models.Model):
    """A team's choices about triage: which waiting-list order is live."""

    team = models.OneToOneField(Team, on_delete=models.PROTECT, related_name="triage_settings")
    live_order = models.CharField(max_length=20, choices=LiveOrder.choices, default=LiveOrder.PLAIN)

    def __str__(self) -> str:
        return f"Triage settings for {self.team}"


class TriageDecision(TimestampedModel):
    """What the rules recommended for a referral, and what the clinician decided."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="decisions")
    rules_version = models.ForeignKey(RulesVersion, on_delete=models.PROTECT)
    answers = models.JSONField(help_text="Impact per area, risks and complexity, as answered.")
    recommended_tier = models.CharField(max_length=20, choices=Tier.choices)
    recommended_pathway = models.ForeignKey(
        Pathway, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommended_priority = models.CharField(max_length=10, choices=Priority.choices)
    need_score = models.IntegerField(default=0)
    explanation = models.JSONField(
        default=list, help_text="Each factor and what it added: [{factor, added, detail}]"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    tier = models.CharField(max_length=20, choices=Tier.choices, blank=True)
    pathway = models.ForeignKey(
        Pathway, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, blank=True)
    overridden = models.BooleanField(default=False)
    override_reason = models.TextField(max_length=2000, blank=True)
    outcome_reason = models.TextField(max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # No query for the referral: the audit trail names every saved decision this way.
        return f"Triage decision for referral {self.referral_id}: {self.outcome}"
