"""The engine against a discrete-event peer: the same small systems modelled in Ciw.

Ciw releases capacity as the engine does: a slot of ``capacity`` children at the end of
every week (a non-capacitated slotted schedule with instant service), priority classes
served most urgent first and oldest first, and exponential patience for withdrawals. For
each class the engine's mean and 92nd percentile of completed waits must lie within Ciw's
95% confidence interval, or within 5% (10% for the percentile), or within half a week,
whichever is widest (issue 8).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import ciw
import numpy as np
import pytest

from sapling.planning.engine import Scenario, project
from sapling.planning.theory import erlang_c_wait


@dataclass(frozen=True)
class System:
    arrivals: tuple[float, ...]  # per week, most urgent first
    capacity: int  # children seen at the end of each week
    weeks: int
    warm_up: int
    patience_rate: float = 0.0  # withdrawals per waiting week (exponential patience)


def ciw_waits(system: System, seed: int) -> list[np.ndarray]:
    """Completed waits per class from one Ciw run, for children seen after the warm-up."""
    classes = [f"Class {k}" for k in range(len(system.arrivals))]
    options: dict[str, object] = {
        "arrival_distributions": {
            name: [ciw.dists.Exponential(rate)]
            for name, rate in zip(classes, system.arrivals, strict=True)
        },
        "service_distributions": {name: [ciw.dists.Deterministic(0.0)] for name in classes},
        "number_of_servers": [ciw.Slotted(slots=[1.0], slot_sizes=[system.capacity])],
        "priority_classes": {name: k for k, name in enumerate(classes)},
    }
    if system.patience_rate:
        options["reneging_time_distributions"] = {
            name: [ciw.dists.Exponential(system.patience_rate)] for name in classes
        }
    ciw.seed(seed)
    simulation = ciw.Simulation(ciw.create_network(**options))
    simulation.simulate_until_max_time(system.weeks + 0.5)
    records = [
        r
        for r in simulation.get_all_records()
        if r.record_type == "service" and system.warm_up < r.service_start_date <= system.weeks
    ]
    return [
        np.array([r.waiting_time for r in records if r.customer_class == name]) for name in classes
    ]


def engine_waits(system: System, replications: int) -> dict[str, np.ndarray]:
    """Mean and 92nd percentile completed wait per class, averaged over replications."""
    hazard = 1 - math.exp(-system.patience_rate)
    scenario = Scenario(
        name="against Ciw",
        priorities=tuple(f"p{k}" for k in range(len(system.arrivals))),
        tiers=("one",),
        arrivals=np.array([system.arrivals]),
        capacity=np.array([float(system.capacity)]),
        withdrawal=np.full((1, len(system.arrivals)), hazard),
        weeks=system.weeks,
        max_weeks=system.weeks + 1,
        warm_up=system.warm_up,
    )
    result = project(scenario, replications=replications, seed=2024)
    waits = result.completed_waits(0.92)
    return {name: values[:, 0].mean(axis=0) for name, values in waits.items()}


def agrees(engine: float, peer: np.ndarray, relative: float) -> bool:
    """Within the peer's 95% CI, or the relative tolerance, or half a week."""
    half_width = 1.96 * peer.std(ddof=1) / math.sqrt(peer.size)
    tolerance = max(half_width, relative * abs(peer.mean()), 0.5)
    return abs(engine - peer.mean()) <= tolerance


SYSTEMS = {
    # Three priorities at 90% load: urgent children barely wait, routine ones queue.
    "priorities": System(arrivals=(1.0, 3.0, 5.0), capacity=10, weeks=150, warm_up=20),
    # Overloaded: routine demand alone exceeds what is left after urgent work, so the
    # routine wait grows all run; the urgent class is still fine.
    "overloaded": System(arrivals=(4.0, 8.0), capacity=10, weeks=60, warm_up=0),
    # More referrals than slots, held in check by families withdrawing.
    "withdrawals": System(
        arrivals=(3.0, 8.0), capacity=10, weeks=120, warm_up=20, patience_rate=0.05
    ),
}


@pytest.mark.parametrize("name", SYSTEMS)
def test_engine_waits_match_ciw(name: str) -> None:
    system = SYSTEMS[name]
    runs = [ciw_waits(system, seed) for seed in range(20)]
    engine = engine_waits(system, replications=200)
    for k in range(len(system.arrivals)):
        means = np.array([run[k].mean() for run in runs])
        p92s = np.array([np.quantile(run[k], 0.92) for run in runs])
        assert agrees(engine["mean"][k], means, 0.05), (name, k, engine["mean"][k], means.mean())
        assert agrees(engine["quantile"][k], p92s, 0.10), (
            name,
            k,
            engine["quantile"][k],
            p92s.mean(),
        )


def test_erlang_c_matches_ciw_for_an_mmc_queue() -> None:
    # M/M/3 with arrivals 2.4 a week and a week's mean service each: theory says 0.79 weeks.
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(2.4)],
        service_distributions=[ciw.dists.Exponential(1.0)],
        number_of_servers=[3],
    )
    means = []
    for seed in range(8):
        ciw.seed(seed)
        simulation = ciw.Simulation(network)
        simulation.simulate_until_max_time(2200)
        waits = [r.waiting_time for r in simulation.get_all_records() if r.arrival_date > 200]
        means.append(np.mean(waits))
    peer = np.array(means)
    theory = erlang_c_wait(2.4, 1.0, 3)
    assert abs(theory - peer.mean()) <= max(
        2.5 * peer.std(ddof=1) / math.sqrt(peer.size), 0.05 * theory
    )
