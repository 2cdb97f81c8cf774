"""The reference case: a 45-week list brought near 7 weeks by redesigning the tiers.

Worked through in docs/planning.md; the scenario files are sapling/planning/examples.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sapling.planning
from sapling.planning.engine import Result, project
from sapling.planning.scenario import load_scenario

EXAMPLES = Path(sapling.planning.__file__).parent / "examples"
YEAR_TWO = slice(78, 104)


def wait_of_children_seen(result: Result) -> float:
    """Median over replications of the mean wait of children seen in the last half year."""
    return float(np.median(result.served_mean_wait[:, YEAR_TWO].mean(axis=1)))


@pytest.fixture(scope="module")
def runs() -> dict[str, Result]:
    return {
        name: project(load_scenario(EXAMPLES / f"{name}.toml"), replications=200, seed=45)
        for name in ("baseline", "redesign")
    }


def test_the_baseline_list_is_stuck_at_45_week_waits(runs: dict[str, Result]) -> None:
    baseline = runs["baseline"]
    routine = baseline.completed_waits()["mean"][:, 0, 2]
    assert np.median(routine) == pytest.approx(45, abs=3)
    assert (baseline.first_target_week() == -1).all()
    sizes = np.median(baseline.list_size, axis=0)
    assert sizes[-1] == pytest.approx(sizes[0], rel=0.1)  # capacity matches demand


def test_the_redesign_brings_waits_near_7_weeks(runs: dict[str, Result]) -> None:
    redesign = runs["redesign"]
    assert wait_of_children_seen(redesign) == pytest.approx(7, abs=1.5)
    assert np.median(redesign.median_wait[:, -1]) == pytest.approx(7, abs=1.5)
    assert np.median(redesign.first_target_week()) <= 26
    assert wait_of_children_seen(runs["baseline"]) > 4 * wait_of_children_seen(redesign)


def test_the_expected_mode_tells_the_same_story() -> None:
    baseline, redesign = (
        project(load_scenario(EXAMPLES / f"{name}.toml"), mode="expected")
        for name in ("baseline", "redesign")
    )
    assert wait_of_children_seen(redesign) == pytest.approx(7, abs=1.5)
    assert wait_of_children_seen(baseline) > 4 * wait_of_children_seen(redesign)
