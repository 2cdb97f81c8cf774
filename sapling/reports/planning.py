"""The planning page's work: the calibrated baseline and one "what if" beside it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sapling.planning.engine import Result, Scenario, add_capacity, move_referrals, project
from sapling.planning.scenario import scenario_from_dict
from sapling.reports.calibration import Calibration

# Weeks at which the projection is shown in the table.
CHECKPOINTS = (0, 13, 26, 52, 103)


@dataclass(frozen=True)
class WhatIf:
    """The lead's changes to the baseline: more first contacts, or moving referrals."""

    extra_targeted: float = 0.0
    extra_specialist: float = 0.0
    share_to_targeted: float = 0.0

    def is_baseline(self) -> bool:
        return not (self.extra_targeted or self.extra_specialist or self.share_to_targeted)


@dataclass(frozen=True)
class Checkpoint:
    week: int
    list_size: float
    median_wait: float
    p92_wait: float
    within_target: float


def baseline(calibration: Calibration) -> Scenario:
    return scenario_from_dict(calibration.to_scenario_dict())


def apply(scenario: Scenario, what_if: WhatIf) -> Scenario:
    changed = scenario
    if what_if.extra_targeted:
        changed = add_capacity(changed, "targeted", what_if.extra_targeted)
    if what_if.extra_specialist:
        changed = add_capacity(changed, "specialist", what_if.extra_specialist)
    if what_if.share_to_targeted:
        changed = move_referrals(changed, what_if.share_to_targeted, "specialist", "targeted")
    return changed


def checkpoints(result: Result) -> list[Checkpoint]:
    """The expected-mode projection at a few weeks, for a table a lead can read."""
    last = result.list_size.shape[1] - 1
    return [
        Checkpoint(
            week=week,
            list_size=float(result.list_size[0, week]),
            median_wait=float(result.median_wait[0, week]),
            p92_wait=float(result.p92_wait[0, week]),
            within_target=float(result.within_target[0, week]) * 100,
        )
        for week in sorted({min(week, last) for week in CHECKPOINTS})
    ]


# Enough replications for steady 5-95% bands, few enough to answer within a request.
REPLICATIONS = 200
SEED = 2026


@dataclass(frozen=True)
class Band:
    low: float
    high: float


@dataclass(frozen=True)
class Uncertainty:
    """The 5-95% range over replications at the end of the projection."""

    list_size: Band
    median_wait: Band


def uncertainty(scenario: Scenario) -> Uncertainty:
    """The stochastic range for the final week; a fixed seed gives the same page each time."""
    result = project(scenario, mode="stochastic", replications=REPLICATIONS, seed=SEED)
    final = result.summary()["final_week"]
    assert isinstance(final, dict)
    return Uncertainty(
        list_size=Band(final["list_size"]["low"], final["list_size"]["high"]),
        median_wait=Band(final["median_wait"]["low"], final["median_wait"]["high"]),
    )


def first_target_week(result: Result) -> int | None:
    week = int(np.asarray(result.first_target_week())[0])
    return None if week < 0 else week


def run(scenario: Scenario) -> Result:
    """Expected mode: milliseconds, so the page answers as the lead edits."""
    return project(scenario, mode="expected")
