"""What the planning page keeps: a lead's named scenarios, and long runs done in parts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.core.models import TimestampedModel, VersionedModel


class PlanningScenarioQuerySet(models.QuerySet["PlanningScenario"]):
    def live(self) -> PlanningScenarioQuerySet:
        return self.filter(archived_at__isnull=True)


class PlanningScenario(VersionedModel):
    """A named "what if" a lead saved: the changes to the calibrated baseline, not the
    projection, so it is re-projected from the team's data as it is on the day it is opened."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    # The WhatIf's fields: {"extra_targeted": 4.0, "extra_specialist": 0.0, ...}
    edits = models.JSONField(default=dict)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # Nothing is deleted: a scenario the lead no longer wants is archived.
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = PlanningScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "team",
                Lower("name"),
                condition=models.Q(archived_at__isnull=True),
                name="planning_scenario_name_unique_in_team",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def changes(self) -> list[str]:
        """The edits in plain words, as the planning page lists them."""
        edits = {key: float(value or 0) for key, value in self.edits.items()}
        words = []
        if edits.get("extra_targeted"):
            words.append(
                gettext("%(n)g more children starting targeted support a week")
                % {"n": edits["extra_targeted"]}
            )
        if edits.get("extra_specialist"):
            words.append(
                gettext("%(n)g more first specialist contacts a week")
                % {"n": edits["extra_specialist"]}
            )
        if edits.get("share_to_targeted"):
            words.append(
                gettext("%(n)g%% of specialist referrals met in targeted support")
                % {"n": round(edits["share_to_targeted"] * 100)}
            )
        return words


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class PlanningRun(TimestampedModel):
    """A long stochastic comparison, run a chunk of replications per request.

    ``scenarios`` holds each compared scenario as ``scenario_to_dict`` writes it, fixed when
    the run starts, so every chunk projects the same thing. ``results`` holds the weekly
    measures of every replication done so far (NumPy's .npz, float32); cancelling simply
    stops the sequence and keeps what was done.
    """

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    names = models.JSONField(default=list)
    scenarios = models.JSONField(default=list)
    replications = models.PositiveIntegerField()
    done = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    results = models.BinaryField(default=b"")
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return ", ".join(self.names)
