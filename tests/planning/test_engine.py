"""The projection engine: conservation, monotonicity, Little's law and exact small cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sapling.planning.engine import (
    Result,
    Scenario,
    add_capacity,
    move_referrals,
    project,
    project_many,
    school_term_profile,
    uniform_backlog,
)
from sapling.planning.orders import ORDERS


def one_class(arrivals: float, capacity: float, **extra: object) -> Scenario:
    """A single list with one priority: the simplest queue the engine models."""
    return Scenario(
        name="one class",
        priorities=("routine",),
        tiers=("specialist",),
        arrivals=np.array([[arrivals]]),
        capacity=np.array([capacity]),
        withdrawal=np.zeros((1, 1)),
        **extra,  # type: ignore[arg-type]
    )


def two_tiers(order: str = "priority", **extra: object) -> Scenario:
    """Three priorities in two tiers with withdrawals, conversions and a backlog."""
    arrivals = np.array([[0.5, 3.0, 9.0], [0.5, 2.0, 4.0]])
    backlog = np.stack([np.stack([uniform_backlog(r, 30, 52) for r in row]) for row in arrivals])
    options: dict[str, object] = {
        "arrivals": arrivals,
        "capacity": np.array([13.0, 7.5]),
        "withdrawal": np.full((2, 3), 0.01),
        "conversion": np.array([[0.0, 0.1], [0.0, 0.0]]),
        "arrival_profile": school_term_profile(),
        "initial_list": backlog,
        "weeks": 60,
        "max_weeks": 52,
        "order": order,
        "priority_targets": np.array([2.0, 8.0, 18.0]),
        "need_weights": np.array([4.0, 2.0, 1.0]),
        "ring_fence": np.array([[0.1, 0.3, 0.6], [0.1, 0.3, 0.6]]),
    }
    options.update(extra)
    return Scenario(
        name=f"two tiers ({order})",
        priorities=("urgent", "soon", "routine"),
        tiers=("targeted", "specialist"),
        **options,  # type: ignore[arg-type]
    )


def ledger_gap(result: Result) -> np.ndarray:
    """Start + arrivals - served - withdrawn - still waiting, each week: 0 if nobody is lost."""
    arrived = result.initial_size + np.cumsum(result.arrivals, axis=1, dtype=float)
    served = np.cumsum(result.served, axis=1, dtype=float)
    withdrawn = np.cumsum(result.withdrawn, axis=1, dtype=float)
    return arrived - served - withdrawn - result.list_size


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    order=st.sampled_from(ORDERS),
    capacity=st.tuples(st.floats(0, 25), st.floats(0, 15)),
    withdrawal=st.floats(0, 0.3),
    conversion=st.floats(0, 0.5),
    seed=st.integers(0, 2**16),
)
def test_no_child_is_served_twice_or_lost(
    order: str,
    capacity: tuple[float, float],
    withdrawal: float,
    conversion: float,
    seed: int,
) -> None:
    scenario = two_tiers(
        order,
        capacity=np.array(capacity),
        withdrawal=np.full((2, 3), withdrawal),
        conversion=np.array([[0.0, conversion], [0.0, 0.0]]),
    )
    result = project(scenario, replications=8, seed=seed)
    assert np.all(ledger_gap(result) == 0)
    for flow in (result.served, result.withdrawn, result.list_by_class):
        assert flow.min() >= 0
    assert np.all(result.served.sum(axis=1) <= np.sum(capacity) * scenario.weeks + 1e-9 + 60)
    expected = project(scenario, mode="expected")
    assert np.allclose(ledger_gap(expected), 0, atol=1e-6 * expected.initial_size + 1e-6)


@settings(max_examples=30, deadline=None)
@given(
    order=st.sampled_from(ORDERS),
    base=st.tuples(st.floats(0, 20), st.floats(0, 12)),
    extra=st.tuples(st.floats(0, 5), st.floats(0, 5)),
    from_week=st.integers(0, 59),
    withdrawal=st.floats(0, 0.1),
)
def test_more_capacity_never_lengthens_the_median_wait(
    order: str,
    base: tuple[float, float],
    extra: tuple[float, float],
    from_week: int,
    withdrawal: float,
) -> None:
    # Without conversions: more capacity in one tier can rightly send more children on to
    # the next tier's list, which is a real effect, not a fault.
    scenario = two_tiers(
        order,
        capacity=np.array(base),
        withdrawal=np.full((2, 3), withdrawal),
        conversion=None,
    )
    more = add_capacity(scenario, "targeted", extra[0], week=from_week)
    more = add_capacity(more, "specialist", extra[1], week=from_week)
    before, after = project_many([scenario, more], mode="expected")
    assert np.all(after.class_waits(0.5) <= before.class_waits(0.5) + 1e-6)
    assert np.all(after.list_by_class <= before.list_by_class + 1e-3)


def test_a_single_list_with_more_capacity_has_a_shorter_median_wait_every_week() -> None:
    scenario = one_class(10, 8, initial_list=uniform_backlog(10, 40)[None, None], weeks=104)
    runs = project_many(
        [add_capacity(scenario, "specialist", extra) for extra in (0, 1, 2, 4)], mode="expected"
    )
    medians = np.stack([run.median_wait[0] for run in runs])
    assert np.all(np.diff(medians, axis=0) <= 1e-6)
    assert medians[-1, -1] < medians[0, -1]


def test_the_slotted_queue_matches_its_exact_mean_and_littles_law() -> None:
    # One slot a week and Poisson arrivals at 0.8 a week: the list left after each week's
    # slot has the exact mean lambda^2 / (2 (1 - lambda)) = 1.6 children.
    result = project(
        one_class(0.8, 1.0, weeks=4000, max_weeks=60, warm_up=200), replications=16, seed=7
    )
    settled = result.list_size[:, 200:]
    assert settled.mean() == pytest.approx(1.6, rel=0.05)
    # Little's law: children waiting at a week's end = throughput x whole weeks waited.
    waits = result.completed_waits()["mean"].mean() - 0.5
    throughput = result.served[:, 200:].mean()
    assert settled.mean() == pytest.approx(throughput * waits, rel=0.03)


def test_expected_mode_reproduces_a_hand_worked_three_weeks() -> None:
    # 10 waiting (4 for 1 week, 6 for 2), 5 referred a week, 6 slots, 10% withdraw weekly.
    initial = np.array([[[0.0, 4.0, 6.0, 0.0]]])
    scenario = one_class(5, 6, initial_list=initial, weeks=3, max_weeks=3)
    scenario = Scenario(**{**vars(scenario), "withdrawal": np.array([[0.1]])})
    result = project(scenario, mode="expected")
    stay = 5 * np.sqrt(0.9)
    # Week 0: 0.4 + 0.6 withdraw, 5 arrive (a half week's withdrawal), 6 slots take
    # the 5.4 two-week waiters and 0.6 of the 3.6 one-week waiters.
    assert result.withdrawn[0, 0] == pytest.approx(1.0 + 5 - stay, rel=1e-5)
    assert result.served[0, 0] == pytest.approx(6, rel=1e-6)
    assert result.list_size[0, 0] == pytest.approx(3.0 + stay, rel=1e-5)
    assert result.waiting_by_band is not None
    assert result.waiting_by_band[0, 0, 0, 0].tolist() == pytest.approx([stay, 3.0, 0, 0], rel=1e-5)
    assert np.allclose(ledger_gap(result), 0, atol=1e-4)


def test_withdrawals_leave_before_capacity_is_used() -> None:
    # 20 waiting, everyone withdraws: nobody is left to take the 5 slots.
    scenario = one_class(0, 5, initial_list=np.array([[[0, 20.0, 0]]]), weeks=1, max_weeks=2)
    scenario = Scenario(**{**vars(scenario), "withdrawal": np.array([[1.0]])})
    for mode in ("expected", "stochastic"):
        result = project(scenario, mode=mode, replications=4, seed=1)
        assert result.served.sum() == 0
        assert result.withdrawn[:, 0] == pytest.approx(20)


def test_strict_priority_serves_urgent_children_first() -> None:
    scenario = two_tiers(capacity=np.array([14.0, 8.0]))
    result = project(scenario, mode="expected")
    waits = result.completed_waits()["mean"][0]
    assert waits[0, 0] < waits[0, 1] < waits[0, 2]


def test_breach_order_spreads_waits_towards_each_class_target() -> None:
    strict, breach = project_many(
        [
            two_tiers("priority", capacity=np.array([12.0, 6.0])),
            two_tiers("breach", capacity=np.array([12.0, 6.0])),
        ],
        mode="expected",
    )
    urgent = (0, 0)
    routine = (0, 2)
    strict_waits = strict.completed_waits()["mean"][0]
    breach_waits = breach.completed_waits()["mean"][0]
    assert breach_waits[urgent] >= strict_waits[urgent]
    assert breach_waits[routine] <= strict_waits[routine]


def test_ring_fenced_capacity_keeps_routine_children_moving() -> None:
    capacity = np.array([3.0, 0.5])
    strict = project(two_tiers("priority", capacity=capacity), mode="expected")
    fenced = project(two_tiers("ringfence", capacity=capacity), mode="expected")
    routine_served = lambda r: r.served_by_band[0, 0, 2].sum()  # noqa: E731
    assert routine_served(fenced) > routine_served(strict)


def test_moving_referrals_to_groups_moves_the_demand() -> None:
    scenario = two_tiers(conversion=None, arrival_profile=None, weeks=10)
    moved = move_referrals(scenario, 0.5, "specialist", "targeted", week=2)
    base, shifted = project_many([scenario, moved], mode="expected")
    assert shifted.arrivals.sum() == pytest.approx(base.arrivals.sum())
    assert shifted.list_by_class[0, -1, 1].sum() < base.list_by_class[0, -1, 1].sum()


def test_school_holidays_bring_fewer_referrals() -> None:
    profile = school_term_profile(0.5)
    assert profile.mean() == pytest.approx(1)
    result = project(one_class(10, 20, arrival_profile=profile, weeks=52), mode="expected")
    assert result.arrivals[0, 32] < result.arrivals[0, 10]


def test_stochastic_bands_bracket_the_expected_projection() -> None:
    scenario = two_tiers(weeks=52)
    expected = project(scenario, mode="expected")
    band = project(scenario, replications=200, seed=3).band("list_size")
    last = expected.list_size[0, -1]
    assert band["low"][-1] <= last <= band["high"][-1]


def test_the_same_seed_gives_the_same_projection() -> None:
    first = project(two_tiers(), replications=20, seed=11)
    again = project(two_tiers(), replications=20, seed=11)
    assert np.array_equal(first.list_size, again.list_size)


def test_first_target_week_is_reported_or_minus_one() -> None:
    clears = one_class(10, 15, initial_list=uniform_backlog(10, 40)[None, None], weeks=104)
    stuck = one_class(10, 10, initial_list=uniform_backlog(10, 40)[None, None], weeks=104)
    cleared, stays = project_many([clears, stuck], mode="expected")
    assert 0 < cleared.first_target_week()[0] < 104
    assert stays.first_target_week()[0] == -1
    assert cleared.summary()["target_met_share"] == 1.0


def test_progress_is_reported_and_can_cancel() -> None:
    seen: list[tuple[int, int]] = []
    project(two_tiers(weeks=10), replications=5, seed=1, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (10, 10)

    def cancel(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        project(two_tiers(), replications=5, progress=cancel)


def test_a_badly_shaped_scenario_is_refused() -> None:
    with pytest.raises(ValueError, match="capacity must have shape"):
        project(two_tiers(capacity=np.array([1.0])), mode="expected")
