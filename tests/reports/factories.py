"""Factories for the planning page's saved scenarios and long runs."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from sapling.planning.scenario import scenario_to_dict
from sapling.reports.calibration import calibrate
from sapling.reports.models import PlanningRun, PlanningScenario
from sapling.reports.planning import WhatIf, baseline
from tests.factories import TeamFactory, UserFactory


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
