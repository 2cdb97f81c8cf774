"""A lead's saved scenarios: save under a name, rename, archive. Each move is one function,
in one transaction, that checks the move is legal and saves with optimistic locking."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import Team, User
from sapling.core.lifecycle import IllegalMove
from sapling.reports.models import PlanningScenario
from sapling.reports.planning import WhatIf


def _require_free_name(team: Team, name: str, keep: PlanningScenario | None = None) -> str:
    name = name.strip()
    if not name:
        raise IllegalMove(_("Enter a name for the scenario"))
    taken = PlanningScenario.objects.live().filter(team=team, name__iexact=name)
    if keep is not None:
        taken = taken.exclude(pk=keep.pk)
    if taken.exists():
        raise IllegalMove(
            _("Your team already has a scenario called “%(name)s”: choose another name")
            % {"name": name}
        )
    return name


@transaction.atomic
def save_scenario(*, team: Team, name: str, what_if: WhatIf, by: User) -> PlanningScenario:
    """Keep a what-if under a name, unique among the team's scenarios that are not archived."""
    if what_if.is_baseline():
        raise IllegalMove(_("This scenario changes nothing: enter a change before saving it"))
    name = _require_free_name(team, name)
    try:
        with transaction.atomic():
            return PlanningScenario.objects.create(
                team=team, name=name, edits=what_if.to_dict(), saved_by=by, updated_by=by
            )
    except IntegrityError as error:  # saved by someone else in the same instant
        raise IllegalMove(
            _("Your team already has a scenario called “%(name)s”: choose another name")
            % {"name": name}
        ) from error


def _require_live(scenario: PlanningScenario) -> None:
    if scenario.archived_at is not None:
        raise IllegalMove(_("This scenario has been archived"))


@transaction.atomic
def rename_scenario(
    *, scenario: PlanningScenario, name: str, by: User, expected_version: int
) -> PlanningScenario:
    _require_live(scenario)
    scenario.name = _require_free_name(scenario.team, name, keep=scenario)
    scenario.updated_by = by
    scenario.save_versioned(expected_version=expected_version)
    return scenario


@transaction.atomic
def archive_scenario(
    *, scenario: PlanningScenario, by: User, expected_version: int
) -> PlanningScenario:
    """Nothing is deleted: the scenario leaves the list and its name is free again."""
    _require_live(scenario)
    scenario.archived_at = timezone.now()
    scenario.updated_by = by
    scenario.save_versioned(expected_version=expected_version)
    return scenario
