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
        if edits.get("extra_wte"):
            words.append(
                gettext("%(n)g more clinicians (whole-time equivalent)") % {"n": edits["extra_wte"]}
            )
        if edits.get("extra_runs_per_term"):
            words.append(
                gettext("%(n)g more targeted group runs a term")
                % {"n": edits["extra_runs_per_term"]}
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


class ReportSettings(VersionedModel):
    """What the team's reports need that the records cannot tell: where its children live
    (for reach per 1,000), the date its service changed (for before and after), and the
    assumptions behind the return-on-investment estimate. One row per team, made on first
    use with the defaults below; docs/reports.md says where each default comes from."""

    team = models.OneToOneField(Team, on_delete=models.PROTECT, related_name="report_settings")
    # The catchment: local authority names (as the LSOA lookup spells them) and/or LSOA
    # codes; the population counted is the union of both.
    catchment_local_authorities = models.JSONField(default=list, blank=True)
    catchment_lsoas = models.JSONField(default=list, blank=True)
    population_age_from = models.PositiveSmallIntegerField(_("youngest age counted"), default=0)
    population_age_to = models.PositiveSmallIntegerField(_("oldest age counted"), default=17)
    service_change_date = models.DateField(_("service change date"), null=True, blank=True)
    service_change_label = models.CharField(
        _("what changed"), max_length=120, blank=True, default=""
    )
    # Return on investment: pounds, all editable by the lead and shown beside the estimate.
    cost_per_specialist_contact = models.DecimalField(
        _("cost of a specialist contact (£)"), max_digits=8, decimal_places=2, default=95
    )
    cost_per_group_place = models.DecimalField(
        _("cost of a group or training place (£)"), max_digits=8, decimal_places=2, default=40
    )
    cost_per_consultation = models.DecimalField(
        _("cost of a consultation (£)"), max_digits=8, decimal_places=2, default=60
    )
    value_per_referral_avoided = models.DecimalField(
        _("value of a specialist referral avoided (£)"),
        max_digits=8,
        decimal_places=2,
        default=570,
    )
    value_per_goal_achieved = models.DecimalField(
        _("value of a goal achieved (£)"), max_digits=8, decimal_places=2, default=0
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    def __str__(self) -> str:
        return f"Report settings for {self.team}"

    @classmethod
    def for_team(cls, team: Team) -> ReportSettings:
        settings_row, _created = cls.objects.get_or_create(team=team)
        return settings_row
