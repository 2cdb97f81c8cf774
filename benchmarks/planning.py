"""Benchmark: the planning engine against Ciw, on the same scenarios, in one run.

Targets (issue 8), on this 2-core machine, for 5 years weekly with 3 priorities x 2 waiting
tiers and weeks-waited bands (0-103 weeks and 104+):
  - expected (deterministic) mode: under 50 ms per scenario;
  - one scenario with 200 replications: under 1 s;
  - 10 scenarios x 1,000 replications: under 30 s;
  - at least 100x faster than Ciw on the same work, with the engine's per-class mean and
    92nd percentile waits within Ciw's 95% CI, or 5% (10% for the percentile), or half a
    week, whichever is widest. Ciw is timed on fewer replications and scaled linearly to
    the engine's count (its cost per replication does not depend on how many are run).

Run: .venv/bin/python benchmarks/planning.py   (progress on stderr; last line is JSON)
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import ciw
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sapling.planning.engine import (
    Scenario,
    add_capacity,
    move_referrals,
    project,
    project_many,
    school_term_profile,
    uniform_backlog,
)

WEEKS = 260
CIW_REPLICATIONS = 10
ENGINE_REPLICATIONS = 1000
PRIORITIES = ("urgent", "soon", "routine")
TIERS = ("targeted", "specialist")
ARRIVALS = np.array([[0.5, 3.0, 9.0], [0.5, 2.0, 4.0]])
CAPACITY = np.array([13.0, 7.0])
WITHDRAWAL_RATE = 0.01  # per waiting week (exponential patience in Ciw)
CONVERSION = 0.1  # share of children seen in groups who then join the specialist list


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def base_scenario() -> Scenario:
    """Five years of a two-tier service with a 30-week backlog and school-term referrals."""
    backlog = np.stack([np.stack([uniform_backlog(r, 30) for r in row]) for row in ARRIVALS])
    return Scenario(
        name="baseline",
        priorities=PRIORITIES,
        tiers=TIERS,
        arrivals=ARRIVALS,
        capacity=CAPACITY,
        withdrawal=np.full((2, 3), 1 - math.exp(-WITHDRAWAL_RATE)),
        conversion=np.array([[0.0, CONVERSION], [0.0, 0.0]]),
        arrival_profile=school_term_profile(0.6),
        initial_list=backlog,
        weeks=WEEKS,
        max_weeks=104,
    )


def ten_scenarios() -> list[Scenario]:
    """What a lead might compare: more staff, more groups, moving referrals, and mixes."""
    base = base_scenario()
    variants = [
        base,
        add_capacity(base, "specialist", 0.5),
        add_capacity(base, "specialist", 1.0, week=13),
        add_capacity(base, "targeted", 2.0),
        move_referrals(base, 0.2, "specialist", "targeted"),
        move_referrals(base, 0.3, "specialist", "targeted", week=26),
        add_capacity(move_referrals(base, 0.3, "specialist", "targeted"), "targeted", 2.0),
        replace(base, withdrawal=base.withdrawal * 2),
        replace(base, annual_growth=0.05),
        add_capacity(base, "specialist", -1.0),
    ]
    return [replace(s, name=f"scenario {i}") for i, s in enumerate(variants)]


def timed(action: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    """Best wall time of ``repeat`` runs (the machine is shared) and the last result."""
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def progress_bar(label: str) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        if done % max(1, total // 10) == 0 or done == total:
            say(f"  {label}: {100 * done // total}%")

    return show


# --- the same system in Ciw -----------------------------------------------------------


def ciw_network() -> ciw.Network:
    """The Ciw twin (flat referrals, empty start): two nodes, slotted weekly capacity."""
    classes = [f"Class {k}" for k in range(len(PRIORITIES))]
    return ciw.create_network(
        arrival_distributions={
            name: [ciw.dists.Exponential(ARRIVALS[t, k]) for t in range(len(TIERS))]
            for k, name in enumerate(classes)
        },
        service_distributions={
            name: [ciw.dists.Deterministic(0.0)] * len(TIERS) for name in classes
        },
        number_of_servers=[ciw.Slotted(slots=[1.0], slot_sizes=[int(c)]) for c in CAPACITY],
        routing={name: [[0.0, CONVERSION], [0.0, 0.0]] for name in classes},
        priority_classes={name: k for k, name in enumerate(classes)},
        reneging_time_distributions={
            name: [ciw.dists.Exponential(WITHDRAWAL_RATE)] * len(TIERS) for name in classes
        },
    )


def ciw_run(seed: int, warm_up: int) -> dict[tuple[int, int], np.ndarray]:
    ciw.seed(seed)
    simulation = ciw.Simulation(ciw_network())
    simulation.simulate_until_max_time(WEEKS + 0.5)
    waits: dict[tuple[int, int], list[float]] = {}
    for r in simulation.get_all_records():
        if r.record_type == "service" and warm_up < r.service_start_date <= WEEKS:
            key = (r.node - 1, int(r.customer_class.split()[-1]))
            waits.setdefault(key, []).append(r.waiting_time)
    return {key: np.array(values) for key, values in waits.items()}


def twin_scenario(warm_up: int) -> Scenario:
    capacity = np.floor(CAPACITY)
    return replace(
        base_scenario(),
        name="Ciw twin",
        capacity=capacity,
        arrival_profile=None,
        initial_list=None,
        warm_up=warm_up,
    )


def accuracy(replications: int, warm_up: int = 52) -> dict[str, object]:
    """Per class: engine vs Ciw mean and 92nd percentile completed waits, and whether they agree."""
    runs = [ciw_run(seed, warm_up) for seed in range(replications)]
    engine = project(twin_scenario(warm_up), replications=400, seed=1).completed_waits(0.92)
    rows, agree = [], True
    for t in range(len(TIERS)):
        for k in range(len(PRIORITIES)):
            means = np.array([run[(t, k)].mean() for run in runs])
            p92s = np.array([np.quantile(run[(t, k)], 0.92) for run in runs])
            ok_mean = _agrees(float(engine["mean"][:, t, k].mean()), means, 0.05)
            ok_p92 = _agrees(float(engine["quantile"][:, t, k].mean()), p92s, 0.10)
            agree &= ok_mean and ok_p92
            rows.append(
                {
                    "class": f"{TIERS[t]}/{PRIORITIES[k]}",
                    "engine_mean": round(float(engine["mean"][:, t, k].mean()), 3),
                    "ciw_mean": round(float(means.mean()), 3),
                    "engine_p92": round(float(engine["quantile"][:, t, k].mean()), 3),
                    "ciw_p92": round(float(p92s.mean()), 3),
                    "agree": ok_mean and ok_p92,
                }
            )
    return {"classes": rows, "all_agree": agree}


def _agrees(engine: float, peer: np.ndarray, relative: float) -> bool:
    half_width = 1.96 * peer.std(ddof=1) / math.sqrt(peer.size)
    return bool(abs(engine - peer.mean()) <= max(half_width, relative * abs(peer.mean()), 0.5))


# --- the benchmark --------------------------------------------------------------------


def main() -> None:
    scenario = base_scenario()
    say("warming up")
    project(scenario, mode="expected")
    project(scenario, replications=20, seed=0)

    say("expected mode, one scenario (best of 20)")
    expected_s, _ = timed(lambda: project(scenario, mode="expected"), repeat=20)

    say("stochastic, one scenario x 200 replications (best of 3)")
    two_hundred_s, _ = timed(lambda: project(scenario, replications=200, seed=1), repeat=3)

    say(f"stochastic, 10 scenarios x {ENGINE_REPLICATIONS} replications")
    scenarios = ten_scenarios()
    sweep_s, _ = timed(
        lambda: project_many(
            scenarios,
            replications=ENGINE_REPLICATIONS,
            seed=2,
            progress=progress_bar("10 x 1000"),
        )
    )

    say(f"Ciw twin: {CIW_REPLICATIONS} replications of one scenario")
    ciw_s, _ = timed(lambda: [ciw_run(seed, 52) for seed in range(CIW_REPLICATIONS)])
    twin = twin_scenario(52)
    engine_twin_s, _ = timed(
        lambda: project(twin, replications=ENGINE_REPLICATIONS, seed=3), repeat=2
    )
    ciw_per_rep = ciw_s / CIW_REPLICATIONS
    engine_per_rep = engine_twin_s / ENGINE_REPLICATIONS
    speedup = ciw_per_rep / engine_per_rep

    say("accuracy: engine against Ciw, 60 Ciw replications")
    check = accuracy(60)
    for row in check["classes"]:  # type: ignore[attr-defined]
        say(f"  {row}")

    figures = {
        "expected_mode_ms": round(1000 * expected_s, 2),
        "one_scenario_200_reps_s": round(two_hundred_s, 3),
        "ten_scenarios_1000_reps_s": round(sweep_s, 2),
        "engine_1000_reps_s": round(engine_twin_s, 3),
        "ciw_reps_timed": CIW_REPLICATIONS,
        "ciw_s_per_rep": round(ciw_per_rep, 4),
        "ciw_1000_reps_s_scaled": round(ciw_per_rep * ENGINE_REPLICATIONS, 1),
        "speedup_vs_ciw": round(speedup, 1),
        "accuracy": check,
        "replication_weeks_per_s": round(10 * ENGINE_REPLICATIONS * WEEKS / sweep_s),
    }
    targets = {
        "expected_mode_under_50ms": expected_s < 0.05,
        "one_scenario_200_reps_under_1s": two_hundred_s < 1.0,
        "ten_scenarios_1000_reps_under_30s": sweep_s < 30.0,
        "at_least_100x_faster_than_ciw_with_accuracy": bool(speedup >= 100 and check["all_agree"]),
    }
    print(json.dumps({"figures": figures, "targets": targets}))


if __name__ == "__main__":
    main()
