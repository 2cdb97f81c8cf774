"""The steady-state helpers reproduce NHSRwaitinglist's test values and textbook queues."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sapling.planning import theory


def test_target_queue_size_matches_nhsrwaitinglist() -> None:
    assert theory.target_queue_size(30, 52) == pytest.approx(390)
    assert theory.target_queue_size(30, 50) == pytest.approx(375)
    assert theory.target_queue_size(30, 50, 6) == pytest.approx(250)


@pytest.mark.parametrize(
    ("args", "expected"),
    [((30, 1200, 390, 26), 61.153846), ((33, 800, 200, 30), 53), ((35, 250, 100, 15), 45)],
)
def test_relief_capacity_matches_nhsrwaitinglist(
    args: tuple[float, float, float, float], expected: float
) -> None:
    assert theory.relief_capacity(*args) == pytest.approx(expected, abs=1e-6)


def test_relief_capacity_inflates_demand_by_two_standard_errors() -> None:
    inflated = theory.relief_capacity(30, 1200, 390, 26, num_referrals=1600, cv_demand=0.5)
    assert inflated == pytest.approx(30 / (1 - 2 * 30 * 0.5 / 40) + 810 / 26)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((30, 52, 3, 1.1, 1.2), 30.076442),
        ((30, 52, 3, 1.1, 1.4), 30.0914423),
        ((42, 65, 2, 1.2, 1.5), 42.0567692),
        ((35, 50, 1, 1.3, 1.6), 35.0425),
        ((30, 52), 30.0769231),
    ],
)
def test_target_capacity_uses_kingman_with_the_half(
    args: tuple[float, ...], expected: float
) -> None:
    assert theory.target_capacity(*args) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("mean_wait", "target", "expected"),
    [(63, 52, 2.42307692), (42, 24, 3.5), (55, 50, 2.2), (24, 4, 12)],
)
def test_waiting_list_pressure_matches_nhsrwaitinglist(
    mean_wait: float, target: float, expected: float
) -> None:
    assert theory.waiting_list_pressure(mean_wait, target) == pytest.approx(expected)


def test_load_and_target_mean_wait_match_the_walkthrough() -> None:
    assert theory.queue_load(30, 27) == pytest.approx(1.111111, abs=1e-6)
    assert theory.target_mean_wait(52, 4) == 13
    assert theory.target_mean_wait(52, 6) == pytest.approx(8.67, abs=0.005)


def test_percentile_target_converts_to_its_factor() -> None:
    assert theory.factor_for_percentile(0.95) == pytest.approx(2.9957, abs=1e-4)
    assert theory.factor_for_percentile(0.92) == pytest.approx(2.5257, abs=1e-4)
    assert theory.factor_for_percentile(1 - math.exp(-4)) == pytest.approx(4)
    with pytest.raises(ValueError, match="share"):
        theory.factor_for_percentile(1.0)


@pytest.mark.parametrize(
    ("demand", "target", "probability", "expected"),
    [(10, 18, 0.08, 10.139548), (1, 4, 0.05, 1.627216), (30, 52, 0.0183, 30.07689)],
)
def test_capacity_for_a_tail_target_solves_the_mm1_tail_exactly(
    demand: float, target: float, probability: float, expected: float
) -> None:
    mu = theory.capacity_for_wait_probability(demand, target, probability)
    assert mu == pytest.approx(expected, abs=1e-5)


def test_kingman_and_the_mm1_tail_agree_at_factor_four() -> None:
    tail = theory.capacity_for_wait_probability(30, 52, math.exp(-4))
    assert tail == pytest.approx(theory.target_capacity(30, 52), abs=1e-4)


@pytest.mark.parametrize(
    ("arrival", "service", "servers", "expected"),
    [(3, 5, 1, 0.3), (0.2, 0.1, 3, 4.444444), (1, 1, 2, 1 / 3), (2, 1, 3, 0.444444)],
)
def test_erlang_c_gives_textbook_mean_waits(
    arrival: float, service: float, servers: int, expected: float
) -> None:
    assert theory.erlang_c_wait(arrival, service, servers) == pytest.approx(expected, abs=1e-6)


def test_erlang_c_handles_a_large_team_and_an_overloaded_one() -> None:
    assert theory.erlang_c_probability(0.0, 1, 5) == 0
    assert 0 < theory.erlang_c_probability(190, 1, 200) < 1
    assert theory.erlang_c_wait(5, 1, 5) == math.inf


def test_priority_classes_follow_cobham() -> None:
    waits = theory.priority_class_waits([5, 5], service_rate=10, servers=1)
    assert waits[0] == pytest.approx(0.2)
    assert waits[1] == math.inf  # the Ciw documentation's unstable example


def test_priority_class_waits_conserve_the_fifo_mean() -> None:
    rates = np.array([0.5, 1.0, 1.5])
    waits = theory.priority_class_waits(rates, service_rate=1.0, servers=4)
    fifo = theory.erlang_c_wait(rates.sum(), 1.0, 4)
    assert (rates * waits).sum() / rates.sum() == pytest.approx(fifo)


def test_unstable_classes_flags_cumulative_load_of_one() -> None:
    assert theory.unstable_classes([0.3, 0.5, 0.4]).tolist() == [False, False, True]
