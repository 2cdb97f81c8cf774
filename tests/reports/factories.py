"""Factories for the planning page's saved scenarios and long runs."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from sapling.accounts.models import Team
from sapling.planning.scenario import scenario_to_dict
from sapling.reports.calibration import calibrate
from sapling.reports.models import PlanningRun, PlanningScenario
from sapling.reports.planning import WhatIf, baseline
from tests.factories import TeamFactory, UserFactory
from tests.waitlist.factories import WaitlistEntryFactory


class PlanningScenarioFactory(DjangoModelFactory[PlanningScenario]):
    class Meta:
        model = PlanningScenario

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Scenario {n}")
    edits = factory.LazyFunction(lambda: WhatIf(extra_specialist=2).to_dict())
    saved_by = factory.SubFactory(UserFactory)


def _scenarios(run: PlanningRun) -> list[dict[str, object]]:
    return [scenario_to_dict(baseline(calibrate(run.team, today=timezone.localdate())))]


class PlanningRunFactory(DjangoModelFactory[PlanningRun]):
    class Meta:
        model = PlanningRun

    team = factory.SubFactory(TeamFactory)
    started_by = factory.SubFactory(UserFactory)
    names = factory.LazyFunction(lambda: ["If nothing changes"])
    scenarios = factory.LazyAttribute(_scenarios)
    replications = 1000


def waiting_list(team: Team, *, waiting: int = 30, seen: int = 20) -> None:
    """A specialist list with a year's history: children waiting up to ``waiting`` weeks,
    and ``seen`` children first seen after two months (so the calibration has capacity)."""
    today = timezone.localdate()
    for n in range(waiting):
        WaitlistEntryFactory.create(
            team=team, tier="specialist", clock_start=today - dt.timedelta(days=7 * n)
        )
    for n in range(seen):
        start = today - dt.timedelta(days=300 - 7 * n)
        WaitlistEntryFactory.create(
            team=team,
            tier="specialist",
            clock_start=start,
            status="seen",
            clock_stopped_on=start + dt.timedelta(days=60),
            stop_reason="specialist_contact",
        )
