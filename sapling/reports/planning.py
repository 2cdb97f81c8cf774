"""The planning page's work: the calibrated baseline and one "what if" beside it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

import numpy as np

from sapling.planning.engine import (
    Result,
    Scenario,
    add_capacity,
    move_referrals,
    project,
    project_many,
)
from sapling.planning.scenario import scenario_from_dict
from sapling.reports.calibration import Calibration, Conversions

# Weeks at which the projection is shown in the table.
CHECKPOINTS = (0, 13, 26, 52, 103)


@dataclass(frozen=True)
class WhatIf:
    """The lead's changes to the baseline: more staff or groups, more first contacts, or
    moving referrals. Staff (whole-time equivalents) and group runs a term become children
    started a week through the team's own ``Conversions``."""

    extra_targeted: float = 0.0
    extra_specialist: float = 0.0
    share_to_targeted: float = 0.0
    extra_wte: float = 0.0
    extra_runs_per_term: float = 0.0

    def is_baseline(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> WhatIf:
        """Read saved edits; a key the page no longer knows is ignored, a missing one is 0."""
        return cls(**{f.name: float(data.get(f.name) or 0) for f in fields(cls)})  # type: ignore[arg-type]


@dataclass(frozen=True)
class Checkpoint:
    week: int
    list_size: float
    median_wait: float
    p92_wait: float
    within_target: float


def baseline(calibration: Calibration) -> Scenario:
    return scenario_from_dict(calibration.to_scenario_dict())


def apply(scenario: Scenario, what_if: WhatIf, conversions: Conversions) -> Scenario:
    changed = scenario
    targeted = what_if.extra_targeted + what_if.extra_runs_per_term * (
        conversions.children_per_run_a_term
    )
    specialist = what_if.extra_specialist + what_if.extra_wte * conversions.children_per_wte
    if targeted:
        changed = add_capacity(changed, "targeted", targeted)
    if specialist:
        changed = add_capacity(changed, "specialist", specialist)
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


# --- comparing scenarios week by week ---------------------------------------------------

# The weekly measures compared, in the order the page shows them.
MEASURES = ("list_size", "median_wait", "p92_wait", "within_target")
MAX_COMPARED = 4
BASELINE = "baseline"  # the key of the calibrated baseline among the scenarios to compare

Draws = dict[str, np.ndarray]  # measure -> [replication, week]; within_target in %


@dataclass(frozen=True)
class Series:
    """One measure of one scenario: the 5th, 50th and 95th percentile over runs, by week."""

    low: list[float]
    median: list[float]
    high: list[float]


@dataclass(frozen=True)
class Projection:
    """One compared scenario: its weekly bands and when it first meets the target."""

    name: str
    replications: int
    target_share: float  # as a percentage
    series: dict[str, Series]
    met_share: float  # share of runs that meet the target at some point
    first_met: int | None  # median first week met, among the runs that meet it (0 = now)

    @property
    def weeks(self) -> int:
        return len(self.series["list_size"].median)

    def final(self, measure: str) -> tuple[float, float, float]:
        series = self.series[measure]
        return series.low[-1], series.median[-1], series.high[-1]


def draws(result: Result) -> Draws:
    """The weekly measures of every replication, as the page shows them."""
    values = {measure: np.asarray(getattr(result, measure), dtype=float) for measure in MEASURES}
    values["within_target"] = values["within_target"] * 100
    return values


def compare(scenarios: list[Scenario], replications: int = REPLICATIONS) -> list[Draws]:
    """Every scenario in one vectorised stochastic run; a fixed seed gives a steady page."""
    results = project_many(scenarios, mode="stochastic", replications=replications, seed=SEED)
    return [draws(result) for result in results]


def projection(name: str, values: Draws, target_share: float) -> Projection:
    series = {}
    for measure in MEASURES:
        low, mid, high = np.percentile(values[measure], [5, 50, 95], axis=0)
        series[measure] = Series(
            [round(float(v), 2) for v in low],
            [round(float(v), 2) for v in mid],
            [round(float(v), 2) for v in high],
        )
    met = values["within_target"] >= target_share * 100 - 1e-9
    first = np.where(met.any(axis=1), met.argmax(axis=1), -1)
    reached = first[first >= 0]
    return Projection(
        name=name,
        replications=int(values["list_size"].shape[0]),
        target_share=target_share * 100,
        series=series,
        met_share=float((first >= 0).mean()),
        first_met=int(np.median(reached)) if reached.size else None,
    )


def chart_data(projections: list[Projection], labels: dict[str, str]) -> dict[str, object]:
    """What planning-charts.js draws, passed to the page as a JSON data block."""
    return {
        "weeks": list(range(1, projections[0].weeks + 1)) if projections else [],
        "measures": [{"key": m, "label": labels[m]} for m in MEASURES],
        "scenarios": [
            {"name": p.name, **{m: vars(p.series[m]) for m in MEASURES}} for p in projections
        ],
    }


CSV_HEADER = ("week", "scenario", "measure", "p5", "median", "p95")


def csv_rows(projections: list[Projection]) -> list[tuple[object, ...]]:
    """Week by week, each scenario's measures: the 5th percentile, median and 95th."""
    rows: list[tuple[object, ...]] = []
    for week in range(projections[0].weeks if projections else 0):
        for p in projections:
            for measure in MEASURES:
                series = p.series[measure]
                rows.append(
                    (
                        week + 1,
                        p.name,
                        measure,
                        series.low[week],
                        series.median[week],
                        series.high[week],
                    )
                )
    return rows
