"""A weekly stock-flow projection of a waiting list, vectorised over replications and scenarios.

The list is held as counts of children by tier, priority and weeks-waited band:
``x[row, tier, priority, band]``, where a row is one replication of one scenario. Band b
holds children who have waited between b and b+1 weeks; the last band holds everyone who
has waited ``max_weeks`` or more. Each week, in this order:

1. arrivals: referrals (Poisson, with school-term seasonality) and children converted from
   another tier last week join band 0;
2. withdrawals: families who leave, and validation removals, are taken off *before* any
   capacity is used, so no slot goes to a child who has already gone;
3. service: each tier's capacity for the week goes to cells in the scenario's service
   order (one cumulative sum per week);
4. ageing: every band moves up one week.

Two modes share this update. ``expected`` carries expected values (fractions of children)
through one pass and answers in milliseconds; it has no queueing randomness, so when
capacity exceeds demand its waits are shorter than any real list's. ``stochastic`` draws
whole children and gives 5-95% bands over replications.

Random draws are made per class, never per band, to keep the weekly cost flat: a class's
withdrawals are drawn as one binomial total and shared out over its bands exactly (see
``_share_out``). All times are in weeks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from sapling.planning.orders import service_order

Mode = Literal["expected", "stochastic"]
Progress = Callable[[int, int], None]

WEEKS_PER_YEAR = 52
# Rows per block: small enough for the working arrays to stay in cache, big enough that
# NumPy's per-call overhead is spread thinly. Blocks are independent, so they could run in
# parallel.
BLOCK_ROWS = 1024


@dataclass(frozen=True)
class CapacityChange:
    """From ``week`` on, ``tier`` starts ``per_week`` children a week (before seasonality)."""

    week: int
    tier: str
    per_week: float


@dataclass(frozen=True)
class ArrivalChange:
    """From ``week`` on, ``per_week`` referrals a week arrive for this tier and priority."""

    week: int
    tier: str
    priority: str
    per_week: float


@dataclass(frozen=True, eq=False)
class Scenario:
    """Everything the engine needs to project one waiting list. Units are weeks and children.

    Arrays are indexed [tier, priority] in the order of ``tiers`` and ``priorities`` (most
    urgent priority first).
    """

    name: str
    priorities: tuple[str, ...]
    tiers: tuple[str, ...]
    arrivals: np.ndarray  # [tier, priority] referrals in an average week
    capacity: np.ndarray  # [tier] children started in an average week
    withdrawal: np.ndarray  # [tier, priority] weekly chance a waiting child leaves unserved
    weeks: int = 260
    max_weeks: int = 104
    target_weeks: float = 18.0
    target_share: float = 0.92
    order: str = "priority"
    priority_targets: np.ndarray | None = None  # [priority] weeks, for the breach order
    need_weights: np.ndarray | None = None  # [priority], for the need order
    ring_fence: np.ndarray | None = None  # [tier, priority] share of the tier's capacity
    conversion: np.ndarray | None = None  # [from tier, to tier] share of served who move on
    arrival_profile: np.ndarray | None = None  # [week of year] multiplier, mean 1
    capacity_profile: np.ndarray | None = None  # [week of year] or [tier, week of year]
    start_week_of_year: int = 0
    annual_growth: float = 0.0
    initial_list: np.ndarray | None = None  # [tier, priority, weeks waited]
    capacity_changes: tuple[CapacityChange, ...] = ()
    arrival_changes: tuple[ArrivalChange, ...] = ()
    warm_up: int = 0  # weeks before completed waits are recorded

    @property
    def bands(self) -> int:
        return self.max_weeks + 1

    @property
    def shape(self) -> tuple[int, int, int]:
        return len(self.tiers), len(self.priorities), self.bands


@dataclass(eq=False)
class Result:
    """Weekly outputs of one scenario, one row per replication (one row in expected mode).

    Waits are those of children still on the list at the end of the week (the NHS
    incomplete-pathway measure); ``served_mean_wait`` is the wait of children seen that week.
    """

    scenario: Scenario
    mode: Mode
    list_size: np.ndarray  # [rep, week]
    median_wait: np.ndarray  # [rep, week]
    p92_wait: np.ndarray  # [rep, week]
    within_target: np.ndarray  # [rep, week] share of the list waiting under target_weeks
    arrivals: np.ndarray  # [rep, week] referrals and conversions in
    served: np.ndarray  # [rep, week]
    withdrawn: np.ndarray  # [rep, week]
    served_mean_wait: np.ndarray  # [rep, week]
    list_by_class: np.ndarray  # [rep, week, tier, priority]
    served_by_band: np.ndarray  # [rep, tier, priority, band] summed after warm_up
    # [rep, week, tier, priority, band], kept in expected mode only (it is small there)
    waiting_by_band: np.ndarray | None = None
    initial_size: float = 0.0

    @property
    def replications(self) -> int:
        return int(self.list_size.shape[0])

    def first_target_week(self) -> np.ndarray:
        """Per replication, the first week the list meets the target share; -1 if never."""
        met = self.within_target >= self.scenario.target_share
        return np.where(met.any(axis=1), met.argmax(axis=1), -1)

    def band(self, metric: str, low: float = 5, high: float = 95) -> dict[str, np.ndarray]:
        """Median and the low-high percentile band over replications, per week."""
        values = np.asarray(getattr(self, metric), dtype=float)
        lo, mid, hi = np.percentile(values, [low, 50, high], axis=0)
        return {"median": mid, "low": lo, "high": hi}

    def completed_waits(self, quantile: float = 0.92) -> dict[str, np.ndarray]:
        """Mean and a quantile of completed waits after warm-up, per [rep, tier, priority]."""
        return {
            "mean": _band_mean(self.served_by_band),
            "quantile": _band_quantile(self.served_by_band, quantile),
        }

    def class_waits(self, quantile: float = 0.5) -> np.ndarray:
        """A quantile of the wait of each class on the list, per [rep, week, tier, priority].

        Expected mode only: the stochastic mode does not keep the list by band each week.
        """
        if self.waiting_by_band is None:
            raise ValueError("waits by class are kept in expected mode only")
        return _band_quantile(self.waiting_by_band, quantile)

    def summary(self) -> dict[str, object]:
        """Plain numbers for pages and JSON: medians and 5-95% bands of the final week."""
        first = self.first_target_week()
        last = {
            name: _final_band(getattr(self, name))
            for name in ("list_size", "median_wait", "p92_wait", "within_target")
        }
        met = first[first >= 0]
        return {
            "scenario": self.scenario.name,
            "mode": self.mode,
            "replications": self.replications,
            "weeks": self.scenario.weeks,
            "final_week": last,
            "target_met_share": float((first >= 0).mean()),
            "first_target_week": float(np.median(met)) if met.size else None,
        }


def _final_band(values: np.ndarray) -> dict[str, float]:
    lo, mid, hi = np.percentile(values[:, -1], [5, 50, 95])
    return {"median": float(mid), "low": float(lo), "high": float(hi)}


# --- building scenarios ---------------------------------------------------------------


# Weeks of the calendar year (week 0 starts 1 January) that are mostly school holiday.
SCHOOL_HOLIDAY_WEEKS = (0, 7, 13, 14, 21, 30, 31, 32, 33, 34, 35, 43, 51)


def school_term_profile(holiday_factor: float = 0.5) -> np.ndarray:
    """Referral multipliers by week of the calendar year (week 0 starts 1 January), mean 1.

    Most referrals come through schools, so fewer arrive in school holidays: Christmas,
    February half term, Easter, May half term, summer (late July to August) and October
    half term, as in a typical English school year.
    """
    profile = np.ones(WEEKS_PER_YEAR)
    profile[list(SCHOOL_HOLIDAY_WEEKS)] = holiday_factor
    return profile / profile.mean()


def move_referrals(
    scenario: Scenario, share: float, from_tier: str, to_tier: str, week: int = 0
) -> Scenario:
    """A scenario where ``share`` of one tier's referrals go to another tier from ``week``."""
    i, j = scenario.tiers.index(from_tier), scenario.tiers.index(to_tier)
    rates = scenario.arrivals
    changes = []
    for p, priority in enumerate(scenario.priorities):
        moved = share * rates[i, p]
        changes.append(ArrivalChange(week, from_tier, priority, rates[i, p] - moved))
        changes.append(ArrivalChange(week, to_tier, priority, rates[j, p] + moved))
    return replace(scenario, arrival_changes=(*scenario.arrival_changes, *changes))


def add_capacity(scenario: Scenario, tier: str, per_week: float, week: int = 0) -> Scenario:
    """A scenario with ``per_week`` more children started a week in ``tier`` from ``week``."""
    level = float(scenario.capacity[scenario.tiers.index(tier)])
    for change in scenario.capacity_changes:
        if change.tier == tier and change.week <= week:
            level = change.per_week
    change = CapacityChange(week, tier, level + per_week)
    return replace(scenario, capacity_changes=(*scenario.capacity_changes, change))


def uniform_backlog(per_week: float, weeks_deep: int, max_weeks: int = 104) -> np.ndarray:
    """A list of ``per_week`` children for each of the last ``weeks_deep`` weeks, by band."""
    backlog = np.zeros(max_weeks + 1)
    backlog[: min(weeks_deep, max_weeks)] = per_week
    backlog[max_weeks] += per_week * max(weeks_deep - max_weeks, 0)
    return backlog


# --- compiling a scenario into weekly arrays -----------------------------------------


@dataclass(eq=False)
class _Plan:
    """A scenario turned into the arrays the weekly update reads."""

    arrivals: np.ndarray  # [week, tier, priority]
    capacity: np.ndarray  # [week, tier]
    withdrawal: np.ndarray  # [tier, priority]
    conversion: np.ndarray  # [tier, tier]
    fence: np.ndarray | None  # [tier, priority]
    order: np.ndarray  # [priority * band]
    initial: np.ndarray  # [tier, priority, band]
    target_weights: np.ndarray  # [band] share of each band under the target wait


def _compile(scenario: Scenario) -> _Plan:
    _check(scenario)
    tiers, priorities, bands = scenario.shape
    weeks = np.arange(scenario.weeks)
    of_year = (scenario.start_week_of_year + weeks) % WEEKS_PER_YEAR
    growth = (1 + scenario.annual_growth) ** (weeks / WEEKS_PER_YEAR)
    base_arrivals = _stepped_arrivals(scenario)
    season = _profile(scenario.arrival_profile, 1)[0, of_year] * growth
    arrivals = base_arrivals * season[:, None, None]
    capacity = (
        _stepped_capacity(scenario) * _profile(scenario.capacity_profile, tiers)[:, of_year].T
    )
    conversion = np.zeros((tiers, tiers)) if scenario.conversion is None else scenario.conversion
    order = service_order(
        scenario.order, priorities, bands, scenario.need_weights, scenario.priority_targets
    )
    fence = scenario.ring_fence if scenario.order == "ringfence" else None
    if scenario.order == "ringfence" and fence is None:
        raise ValueError("the ring-fenced order needs a ring_fence share for each class")
    return _Plan(
        arrivals=arrivals,
        capacity=capacity,
        withdrawal=np.asarray(scenario.withdrawal, dtype=float),
        conversion=np.asarray(conversion, dtype=float),
        fence=None if fence is None else np.asarray(fence, dtype=float),
        order=order,
        initial=_initial(scenario),
        target_weights=np.clip(scenario.target_weeks - np.arange(bands), 0, 1),
    )


def _check(scenario: Scenario) -> None:
    tiers, priorities, _ = scenario.shape
    expected = {
        "arrivals": (tiers, priorities),
        "capacity": (tiers,),
        "withdrawal": (tiers, priorities),
    }
    for name, shape in expected.items():
        if np.shape(getattr(scenario, name)) != shape:
            raise ValueError(f"{name} must have shape {shape} (tiers x priorities)")
    if scenario.weeks < 1 or scenario.max_weeks < 1:
        raise ValueError("weeks and max_weeks must be at least 1")


def _profile(profile: np.ndarray | None, tiers: int) -> np.ndarray:
    if profile is None:
        return np.ones((tiers, WEEKS_PER_YEAR))
    return np.broadcast_to(np.asarray(profile, dtype=float), (tiers, WEEKS_PER_YEAR))


def _stepped_arrivals(scenario: Scenario) -> np.ndarray:
    rates = np.repeat(np.asarray(scenario.arrivals, dtype=float)[None], scenario.weeks, axis=0)
    for change in sorted(scenario.arrival_changes, key=lambda c: c.week):
        tier = scenario.tiers.index(change.tier)
        priority = scenario.priorities.index(change.priority)
        rates[change.week :, tier, priority] = change.per_week
    return rates


def _stepped_capacity(scenario: Scenario) -> np.ndarray:
    levels = np.repeat(np.asarray(scenario.capacity, dtype=float)[None], scenario.weeks, axis=0)
    for change in sorted(scenario.capacity_changes, key=lambda c: c.week):
        levels[change.week :, scenario.tiers.index(change.tier)] = change.per_week
    return np.clip(levels, 0, None)  # "one clinician fewer" cannot go below no capacity


def _initial(scenario: Scenario) -> np.ndarray:
    tiers, priorities, bands = scenario.shape
    state = np.zeros((tiers, priorities, bands))
    if scenario.initial_list is None:
        return state
    given = np.asarray(scenario.initial_list, dtype=float)
    width = min(given.shape[-1], bands)
    state[..., :width] = given[..., :width]
    state[..., -1] += given[..., width:].sum(axis=-1)
    return state


# --- the weekly update ---------------------------------------------------------------
#
# The list is carried as running totals over bands, q[..., b] = children in bands 0..b of
# a class, rather than as counts per band. Serving the oldest first is then a single
# minimum ("keep the youngest k children"), withdrawals shared out exactly are a single
# floor, and ageing is a shift: a handful of passes over the array a week.


def _withdraw_expected(q: np.ndarray, hazard: np.ndarray) -> np.ndarray:
    before = q[..., -1].copy()
    q *= (1 - hazard)[..., None]
    return before - q[..., -1]


def _withdraw_stochastic(q: np.ndarray, hazard: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw each class's withdrawals as one binomial total and share it out over its bands."""
    sizes = q[..., -1]
    totals = rng.binomial(sizes.astype(np.int64), hazard).astype(q.dtype)
    _share_out(q, totals, rng.random(totals.shape, dtype=np.float32))
    return totals


def _share_out(q: np.ndarray, totals: np.ndarray, start: np.ndarray) -> None:
    """Take a whole number of children ``totals`` off each class, spread over its bands.

    Systematic sampling: the class's children are laid end to end and every
    (size / total)-th one from a random start leaves. Each band loses the floor or the
    ceiling of its fair share, its expected loss is exact and the losses add up to the
    total: one floor over the running totals, no random draw per band. The rate is shaded
    down a hair so that rounding can never take more than the total.
    """
    sizes = q[..., -1]
    rate = np.divide(totals, sizes, out=np.zeros_like(sizes), where=sizes > 0) * (1 - 1e-6)
    marks = q * rate[..., None]
    marks += start[..., None]
    np.floor(marks, out=marks)
    marks[..., -1] = totals
    q -= marks


def _keep_youngest(q: np.ndarray, capacity: np.ndarray) -> None:
    """Strict priority then the longest wait: each class keeps its youngest children."""
    sizes = q[..., -1]
    ahead = np.cumsum(sizes, axis=-1) - sizes  # more urgent children in the same tier
    own = np.clip(capacity[..., None] - ahead, 0, None)
    np.minimum(q, np.clip(sizes - own, 0, None)[..., None], out=q)


def _serve_in_order(q: np.ndarray, capacity: np.ndarray, order: np.ndarray) -> None:
    """Any fixed order: serve cells in sequence until each tier's capacity runs out."""
    rows, tiers, priorities, bands = q.shape
    counts = np.diff(q, axis=-1, prepend=0)
    queue = counts.reshape(rows, tiers, priorities * bands)[..., order]
    ahead = np.cumsum(queue, axis=-1) - queue
    taken = np.clip(capacity[..., None] - ahead, 0, queue)
    served = np.empty_like(queue)
    served[..., order] = taken
    q -= np.cumsum(served.reshape(q.shape), axis=-1)


def _serve_ring_fenced(q: np.ndarray, capacity: np.ndarray, fence: np.ndarray, whole: bool) -> None:
    """Each class's share of capacity first (oldest first), then the rest in strict order."""
    edges = np.cumsum(fence, axis=-1) * capacity[..., None]
    if whole:
        edges = np.floor(edges + 1e-6)
    own = np.diff(edges, axis=-1, prepend=0)
    sizes = q[..., -1].copy()
    np.minimum(q, np.clip(sizes - own, 0, None)[..., None], out=q)
    leftover = capacity - (sizes - q[..., -1]).sum(axis=-1)
    _keep_youngest(q, leftover)


def _convert_expected(served: np.ndarray, conversion: np.ndarray) -> np.ndarray:
    return np.einsum("...ip,...ij->...jp", served, conversion)


def _convert_stochastic(
    served: np.ndarray, conversion: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Children served in each tier who join another tier's list (multinomial by tier)."""
    left = served.astype(np.int64)  # [row, tier, priority]
    share_left = np.ones(conversion.shape[:-1])  # [row, tier]
    moved = np.zeros(served.shape)
    for target in range(conversion.shape[-1]):  # a loop over tiers: two or three of them
        share = conversion[..., target]
        chance = np.divide(share, share_left, out=np.zeros_like(share), where=share_left > 0)
        draw = rng.binomial(left, np.clip(chance, 0, 1)[..., None])
        moved[:, target] += draw.sum(axis=1)
        left -= draw
        share_left = share_left - share
    return moved


def _age(q: np.ndarray, width: int) -> int:
    """Everyone waits one more week; the top band keeps all who reach it.

    Only the first ``width`` bands are live (the rest repeat the total); the live part
    grows by a band, and the new top band is again the total.
    """
    bands = q.shape[-1]
    if width < bands:
        q[..., 1 : width + 1] = q[..., :width]
        q[..., 0] = 0
        return width + 1
    q[..., 1:-1] = q[..., :-2]
    q[..., 0] = 0
    return bands


def _whole_capacity(capacity: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Whole slots with the right mean: 7.4 a week is 7 slots, or 8 in 40% of weeks."""
    whole = np.floor(capacity)
    return whole + (rng.random(capacity.shape) < capacity - whole)


# --- weekly measures -----------------------------------------------------------------


def _quantile_from_running(running: np.ndarray, q: float) -> np.ndarray:
    """The q-quantile wait from running totals over bands, waits spread evenly in a band."""
    total = running[..., -1:]
    goal = q * total
    band = np.minimum((running < goal).sum(axis=-1, keepdims=True), running.shape[-1] - 1)
    upto = np.take_along_axis(running, band, axis=-1)
    before = np.where(band > 0, np.take_along_axis(running, np.maximum(band - 1, 0), -1), 0)
    inside = upto - before
    part = np.divide(goal - before, inside, out=np.zeros_like(goal), where=inside > 0)
    return np.where(total > 0, band + np.clip(part, 0, 1), 0.0)[..., 0]


def _band_quantile(counts: np.ndarray, q: float) -> np.ndarray:
    """The q-quantile wait from counts by band, waits in band b spread evenly over [b, b+1)."""
    return _quantile_from_running(np.cumsum(counts, axis=-1), q)


def _band_mean(counts: np.ndarray) -> np.ndarray:
    total = counts.sum(axis=-1)
    weighted = counts @ (np.arange(counts.shape[-1]) + 0.5)
    return np.divide(weighted, total, out=np.zeros_like(total), where=total > 0)


def _mean_from_running(running: np.ndarray) -> np.ndarray:
    """Mean wait from running totals: sum of b x count_b is B x total - sum of running totals."""
    bands = running.shape[-1]
    total = running[..., -1]
    weighted = bands * total - running.sum(axis=-1) + 0.5 * total
    return np.divide(weighted, total, out=np.zeros_like(total), where=total > 0)


SERIES = (
    "list_size",
    "median_wait",
    "p92_wait",
    "within_target",
    "arrivals",
    "served",
    "withdrawn",
    "served_mean_wait",
)


@dataclass(eq=False)
class _Record:
    """Weekly measures for a block of rows, filled in as the weeks run."""

    list_size: np.ndarray
    median_wait: np.ndarray
    p92_wait: np.ndarray
    within_target: np.ndarray
    arrivals: np.ndarray
    served: np.ndarray
    withdrawn: np.ndarray
    served_mean_wait: np.ndarray
    list_by_class: np.ndarray
    served_by_band: np.ndarray
    waiting_by_band: np.ndarray | None = None

    @classmethod
    def empty(cls, rows: int, weeks: int, shape: tuple[int, ...]) -> _Record:
        tiers, priorities, _ = shape
        series = {name: np.zeros((rows, weeks), dtype=np.float32) for name in SERIES}
        return cls(
            **series,
            list_by_class=np.zeros((rows, weeks, tiers, priorities), dtype=np.float32),
            served_by_band=np.zeros((rows, *shape), dtype=np.float32),
        )


def _measure_weeks(
    record: _Record,
    first: int,
    waiting_running: np.ndarray,
    served_running: np.ndarray,
    target_weights: np.ndarray,
) -> None:
    """Measures for a span of weeks at once, from running totals [week, row, band].

    Batching weeks keeps the interactive (one-row) mode from paying NumPy's per-call
    overhead every week.
    """
    span = slice(first, first + waiting_running.shape[0])
    waiting = waiting_running[..., -1]
    record.list_size[:, span] = waiting.T
    record.median_wait[:, span] = _quantile_from_running(waiting_running, 0.5).T
    record.p92_wait[:, span] = _quantile_from_running(waiting_running, 0.92).T
    # Summation by parts: sum of count_b x w_b is sum of running_b x (w_b - w_b+1).
    under = waiting_running @ (target_weights - np.append(target_weights[1:], 0))
    within = np.divide(under, waiting, out=np.ones_like(waiting), where=waiting > 0)
    record.within_target[:, span] = within.T
    record.served_mean_wait[:, span] = _mean_from_running(served_running).T


def _span(rows: int, bands: int, weeks: int) -> int:
    """How many weeks of running totals to hold before measuring them (about 4 MB)."""
    return max(1, min(weeks, (1 << 20) // max(1, rows * bands)))


# --- running ---------------------------------------------------------------------------


@dataclass(eq=False)
class _Block:
    """The parameters of a block of rows, each row one replication of one scenario."""

    arrivals: np.ndarray  # [scenario, week, tier, priority]
    capacity: np.ndarray  # [scenario, week, tier]
    hazard: np.ndarray  # [row, tier, priority]
    conversion: np.ndarray | None  # [row, tier, tier], None when nobody converts
    fence: np.ndarray | None  # [row, tier, priority]
    order: np.ndarray | None  # None for strict priority, else a fixed cell order
    target_weights: np.ndarray
    scenario_of_row: np.ndarray
    recording: np.ndarray  # [row, week] after warm-up

    @classmethod
    def build(
        cls, plans: Sequence[_Plan], scenario_of_row: np.ndarray, warm_up: np.ndarray
    ) -> _Block:
        first = plans[0]
        conversion = np.stack([plan.conversion for plan in plans])[scenario_of_row]
        weeks = first.arrivals.shape[0]
        strict = np.array_equal(first.order, service_order("priority", *first.initial.shape[1:]))
        return cls(
            arrivals=np.stack([plan.arrivals for plan in plans]),
            capacity=np.stack([plan.capacity for plan in plans]),
            hazard=np.stack([plan.withdrawal for plan in plans])[scenario_of_row],
            conversion=conversion if conversion.any() else None,
            fence=_stack_fences(plans, scenario_of_row),
            order=None if strict else first.order,
            target_weights=first.target_weights,
            scenario_of_row=scenario_of_row,
            recording=np.arange(weeks)[None, :] >= warm_up[:, None],
        )


def _stack_fences(plans: Sequence[_Plan], scenario_of_row: np.ndarray) -> np.ndarray | None:
    fences = [plan.fence for plan in plans if plan.fence is not None]
    if len(fences) < len(plans):
        return None
    return np.stack(fences)[scenario_of_row]


def _week(
    block: _Block, q: np.ndarray, week: int, joining: np.ndarray, rng: np.random.Generator | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One week's arrivals, withdrawals and service; returns the flows and served counts."""
    rows = block.scenario_of_row
    mean_in = block.arrivals[rows, week]
    slots = block.capacity[rows, week]
    # Children already waiting were exposed to withdrawal for the whole week; those
    # referred this week for half of it on average.
    if rng is None:
        withdrawn = _withdraw_expected(q, block.hazard)
        incoming = mean_in + joining
        stay = incoming * np.sqrt(1 - block.hazard)
    else:
        withdrawn = _withdraw_stochastic(q, block.hazard, rng)
        incoming = rng.poisson(mean_in) + joining
        stay = incoming - rng.binomial(incoming.astype(np.int64), 1 - np.sqrt(1 - block.hazard))
        slots = _whole_capacity(slots, rng)
    withdrawn = withdrawn + (incoming - stay)
    q += stay.astype(q.dtype)[..., None]
    before = q.copy()
    if block.fence is not None:
        _serve_ring_fenced(q, slots, block.fence, rng is not None)
    elif block.order is None:
        _keep_youngest(q, slots)
    else:
        _serve_in_order(q, slots, block.order)
    before -= q  # running totals of children served this week
    return incoming, withdrawn, before[..., -1], before


def _run_block(
    block: _Block, initial: np.ndarray, rng: np.random.Generator | None, tick: Callable[[], None]
) -> _Record:
    """Run a block of rows week by week; ``rng`` None means expected values."""
    dtype = np.float64 if rng is None else np.float32  # whole children fit float32 exactly
    q = _starting_list(initial, rng is not None).astype(dtype)
    rows, weeks = block.recording.shape
    record = _Record.empty(rows, weeks, q.shape[1:])
    span = _span(rows, q.shape[-1], weeks)
    waiting_running = np.empty((span, rows, q.shape[-1]), dtype=dtype)
    served_running = np.empty_like(waiting_running)
    joining = np.zeros(q.shape[:-1])
    # Fixed cell orders index every band, so only strict priority works on the active ones.
    trim = block.order is None
    width = _active_width(q) if trim else q.shape[-1]
    if rng is None:
        record.waiting_by_band = np.zeros((rows, weeks, *q.shape[1:]))
    tails = np.zeros((q.shape[-1] + 1, *q.shape[:-1]), dtype=np.float32)
    for week in range(weeks):
        active = q[..., :width]
        incoming, withdrawn, served, served_cells = _week(block, active, week, joining, rng)
        joining = _join_next(block, served, rng)
        slot = week % span
        _widen(active.sum(axis=(1, 2)), waiting_running[slot])
        _widen(served_cells.sum(axis=(1, 2)), served_running[slot])
        record.list_by_class[:, week] = active[..., -1]
        record.arrivals[:, week] = incoming.sum(axis=(1, 2))
        record.withdrawn[:, week] = withdrawn.sum(axis=(1, 2))
        record.served[:, week] = served.sum(axis=(1, 2))
        if slot == span - 1 or week == weeks - 1:
            done = slice(0, slot + 1)
            first = week - slot
            _measure_weeks(
                record, first, waiting_running[done], served_running[done], block.target_weights
            )
        _keep_served(record, tails, served_cells, block.recording[:, week])
        if record.waiting_by_band is not None:
            _widen(active, record.waiting_by_band[:, week])  # made counts at the end
        width = _age(q, width)
        if trim and week % 8 == 7:
            width = _active_width(q[..., :width])
        tick()
    record.served_by_band = _served_counts(record, tails)
    if record.waiting_by_band is not None:
        record.waiting_by_band = np.diff(record.waiting_by_band, axis=-1, prepend=0)
    return record


def _active_width(q: np.ndarray) -> int:
    """Bands up to the oldest child on any row: beyond it every running total is the total.

    Working on these bands only is what keeps a list whose waits are short cheap to run.
    """
    older = (q[..., :-1] < q[..., -1:]).any(axis=(0, 1, 2))
    oldest = int(np.flatnonzero(older)[-1]) + 1 if older.any() else 0
    return oldest + 1


def _widen(running: np.ndarray, out: np.ndarray) -> None:
    """Write running totals over the active bands into a full-width array."""
    width = running.shape[-1]
    out[..., :width] = running
    out[..., width:] = running[..., -1:]


def _starting_list(initial: np.ndarray, whole: bool) -> np.ndarray:
    """Running totals of the list at the start; whole children when drawing at random.

    Rounding the running totals, not each band, keeps a backlog of half a child a week
    for 30 weeks as 15 children rather than none.
    """
    running = np.cumsum(initial, axis=-1)
    return np.round(running) if whole else running


def _keep_served(
    record: _Record, tails: np.ndarray, served_running: np.ndarray, recording: np.ndarray
) -> None:
    """Add this week's served children, as running totals, to the record's.

    Past the active bands every running total is the week's total served, so that part is
    kept per width in ``tails`` and spread over the bands once at the end.
    """
    if not recording.any():
        return
    if not recording.all():
        served_running = served_running * recording[:, None, None, None]
    width = served_running.shape[-1]
    record.served_by_band[..., :width] += served_running
    tails[width] += served_running[..., -1]


def _served_counts(record: _Record, tails: np.ndarray) -> np.ndarray:
    bands = record.served_by_band.shape[-1]
    running = record.served_by_band + np.moveaxis(np.cumsum(tails[:bands], axis=0), 0, -1)
    return np.diff(running, axis=-1, prepend=0)


def _join_next(block: _Block, served: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
    if block.conversion is None:
        return np.zeros(served.shape)
    if rng is None:
        return _convert_expected(served, block.conversion)
    return _convert_stochastic(served, block.conversion, rng)


def _group_key(scenario: Scenario, plan: _Plan) -> tuple[object, ...]:
    return (
        scenario.shape,
        scenario.weeks,
        plan.fence is None,
        plan.order.tobytes(),
        plan.target_weights.tobytes(),
    )


def project_many(
    scenarios: Sequence[Scenario],
    *,
    mode: Mode = "stochastic",
    replications: int = 200,
    seed: int | None = None,
    progress: Progress | None = None,
) -> list[Result]:
    """Project several scenarios at once; one Result per scenario, in the order given.

    Scenarios with the same shape, horizon and service order run together in one array.
    ``progress(done, total)`` is called after every simulated week of every block of rows;
    raise from it to cancel a long run. In expected mode ``replications`` is ignored.
    """
    reps = 1 if mode == "expected" else replications
    plans = [_compile(scenario) for scenario in scenarios]
    groups: dict[tuple[object, ...], list[int]] = {}
    for index, (scenario, plan) in enumerate(zip(scenarios, plans, strict=True)):
        groups.setdefault(_group_key(scenario, plan), []).append(index)
    work = [(members, rows) for members in groups.values() for rows in _blocks(members, reps)]
    total = sum(scenarios[members[0]].weeks for members, _ in work)
    done = [0]

    def tick() -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], total)

    streams = np.random.SeedSequence(seed).spawn(len(work))
    records: dict[int, list[_Record]] = {index: [] for index in range(len(scenarios))}
    for (members, rows), stream in zip(work, streams, strict=True):
        rng = None if mode == "expected" else np.random.default_rng(stream)
        record = _run_rows([plans[m] for m in members], scenarios, members, rows, rng, tick)
        for local in np.unique(rows):
            records[members[local]].append(_rows(record, rows == local))
    return [
        _result(scenario, mode, records[index], plans[index])
        for index, scenario in enumerate(scenarios)
    ]


def _run_rows(
    plans: list[_Plan],
    scenarios: Sequence[Scenario],
    members: list[int],
    rows: np.ndarray,
    rng: np.random.Generator | None,
    tick: Callable[[], None],
) -> _Record:
    warm_up = np.array([scenarios[members[local]].warm_up for local in rows])
    block = _Block.build(plans, rows, warm_up)
    initial = np.stack([plan.initial for plan in plans])[rows]
    return _run_block(block, initial, rng, tick)


def _blocks(members: list[int], reps: int) -> list[np.ndarray]:
    """Split a group's rows (each the group-local index of its scenario) into blocks."""
    scenario_of_row = np.repeat(np.arange(len(members)), reps)
    count = max(1, math.ceil(scenario_of_row.size / BLOCK_ROWS))
    return list(np.array_split(scenario_of_row, count))


def _rows(record: _Record, mask: np.ndarray) -> _Record:
    fields: dict[str, Any] = {
        name: None if value is None else value[mask] for name, value in vars(record).items()
    }
    return _Record(**fields)


def _result(scenario: Scenario, mode: Mode, parts: list[_Record], plan: _Plan) -> Result:
    merged: dict[str, Any] = {
        name: None if value is None else np.concatenate([vars(part)[name] for part in parts])
        for name, value in vars(parts[0]).items()
    }
    start = _starting_list(plan.initial, mode == "stochastic")[..., -1].sum()
    return Result(scenario=scenario, mode=mode, initial_size=float(start), **merged)


def project(
    scenario: Scenario,
    *,
    mode: Mode = "stochastic",
    replications: int = 200,
    seed: int | None = None,
    progress: Progress | None = None,
) -> Result:
    """Project one scenario: ``mode="expected"`` for a fast answer, stochastic for bands."""
    return project_many(
        [scenario], mode=mode, replications=replications, seed=seed, progress=progress
    )[0]
