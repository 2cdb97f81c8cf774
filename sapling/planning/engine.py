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
from dataclasses import dataclass, field, replace
from typing import Literal

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
    withdrawn_by_band: np.ndarray  # [rep, tier, priority, band] summed after warm_up
    initial_size: float = 0.0
    extras: dict[str, float] = field(default_factory=dict)

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


def school_term_profile(holiday_factor: float = 0.5) -> np.ndarray:
    """Referral multipliers by week of the calendar year (week 0 starts 1 January), mean 1.

    Most referrals come through schools, so fewer arrive in school holidays: Christmas,
    February half term, Easter, May half term, summer (late July to August) and October
    half term, as in a typical English school year.
    """
    holidays = [0, 7, 13, 14, 21, 30, 31, 32, 33, 34, 35, 43, 51]
    profile = np.ones(WEEKS_PER_YEAR)
    profile[holidays] = holiday_factor
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
    return levels


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


def _arrive(x: np.ndarray, incoming: np.ndarray) -> None:
    x[..., 0] += incoming


def _withdraw_expected(x: np.ndarray, hazard: np.ndarray) -> np.ndarray:
    removed = x * hazard[..., None]
    # Children referred this week were exposed for half a week on average.
    removed[..., 0] = x[..., 0] * _half_week(hazard)
    x -= removed
    return removed


def _half_week(hazard: np.ndarray) -> np.ndarray:
    return 1 - np.sqrt(1 - hazard)


def _withdraw_stochastic(x: np.ndarray, hazard: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    removed = np.zeros_like(x)
    newest = x[..., 0].astype(np.int64)
    removed[..., 0] = rng.binomial(newest, _half_week(hazard))
    older = x[..., 1:]
    totals = rng.binomial(older.sum(axis=-1).astype(np.int64), hazard)
    removed[..., 1:] = _share_out(older, totals, rng.random(totals.shape))
    x -= removed
    return removed


def _share_out(cells: np.ndarray, totals: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Share a whole number of children ``totals`` over the cells of each class, exactly.

    Systematic sampling: the children are laid end to end, and every (size / total)-th one
    from a random start is taken. Each cell gets the floor or ceiling of its fair share, its
    expected share is exact, and the shares add up to the total. One cumulative sum, no draw
    per cell.
    """
    running = np.cumsum(cells, axis=-1)
    size = running[..., -1]
    rate = np.divide(totals, size, out=np.zeros_like(size), where=size > 0)
    marks = np.floor(running * rate[..., None] + start[..., None])
    marks[..., -1] = totals
    taken = np.diff(marks, axis=-1, prepend=0.0)
    return np.clip(taken, 0, cells)


def _serve(x: np.ndarray, capacity: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Serve up to ``capacity[row, tier]`` children, cell by cell in ``order``."""
    rows, tiers, priorities, bands = x.shape
    queue = x.reshape(rows, tiers, priorities * bands)[..., order]
    ahead = np.cumsum(queue, axis=-1)
    ahead -= queue
    np.subtract(capacity[..., None], ahead, out=ahead)
    np.clip(ahead, 0, queue, out=ahead)
    served = np.empty_like(queue)
    served[..., order] = ahead
    served = served.reshape(x.shape)
    x -= served
    return served


def _serve_ring_fenced(
    x: np.ndarray, capacity: np.ndarray, fence: np.ndarray, order: np.ndarray, whole: bool
) -> np.ndarray:
    """Each class's share first (oldest first), then what is left in strict order."""
    edges = np.cumsum(fence, axis=-1) * capacity[..., None]
    if whole:
        edges = np.floor(edges + 1e-9)
    own = np.diff(edges, axis=-1, prepend=0.0)
    oldest_first = x[..., ::-1]
    ahead = np.cumsum(oldest_first, axis=-1) - oldest_first
    first = np.clip(own[..., None] - ahead, 0, oldest_first)[..., ::-1]
    x -= first
    leftover = capacity - first.sum(axis=(-1, -2))
    return first + _serve(x, leftover, order)


def _convert_expected(served: np.ndarray, conversion: np.ndarray) -> np.ndarray:
    return np.einsum("rip,ij->rjp", served.sum(axis=-1), conversion)


def _convert_stochastic(
    served: np.ndarray, conversion: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Children served in each tier who go on to another tier's list (multinomial by tier)."""
    left = served.sum(axis=-1).astype(np.int64)  # [row, tier, priority]
    share_left = np.ones(conversion.shape[0])
    moved = np.zeros(left.shape)
    for target in range(conversion.shape[1]):  # a loop over tiers: two or three of them
        chance = np.divide(
            conversion[:, target], share_left, out=np.zeros_like(share_left), where=share_left > 0
        )
        draw = rng.binomial(left, np.clip(chance, 0, 1)[None, :, None])
        moved[:, target] += draw.sum(axis=1)
        left -= draw
        share_left -= conversion[:, target]
    return moved


def _age(x: np.ndarray) -> None:
    x[..., -1] += x[..., -2]
    x[..., 1:-1] = x[..., :-2]
    x[..., 0] = 0


def _whole_capacity(capacity: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Whole slots with the right mean: 7.4 a week is 7 slots, or 8 in 40% of weeks."""
    whole = np.floor(capacity)
    return whole + (rng.random(capacity.shape) < capacity - whole)


# --- weekly measures -----------------------------------------------------------------


def _band_quantile(counts: np.ndarray, q: float) -> np.ndarray:
    """The q-quantile wait, taking waits in band b as spread evenly over [b, b+1)."""
    running = np.cumsum(counts, axis=-1)
    total = running[..., -1:]
    goal = q * total
    band = np.minimum((running < goal).sum(axis=-1, keepdims=True), counts.shape[-1] - 1)
    before = np.take_along_axis(running, band, axis=-1) - np.take_along_axis(counts, band, -1)
    inside = np.take_along_axis(counts, band, axis=-1)
    part = np.divide(goal - before, inside, out=np.zeros_like(goal), where=inside > 0)
    return np.where(total > 0, band + np.clip(part, 0, 1), 0.0)[..., 0]


def _band_mean(counts: np.ndarray) -> np.ndarray:
    total = counts.sum(axis=-1)
    weighted = counts @ (np.arange(counts.shape[-1]) + 0.5)
    return np.divide(weighted, total, out=np.zeros_like(total), where=total > 0)


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
    withdrawn_by_band: np.ndarray

    @classmethod
    def empty(cls, rows: int, weeks: int, shape: tuple[int, int, int]) -> _Record:
        tiers, priorities, _ = shape
        series = {
            name: np.zeros((rows, weeks), dtype=np.float32)
            for name in (
                "list_size",
                "median_wait",
                "p92_wait",
                "within_target",
                "arrivals",
                "served",
                "withdrawn",
                "served_mean_wait",
            )
        }
        return cls(
            **series,
            list_by_class=np.zeros((rows, weeks, tiers, priorities), dtype=np.float32),
            served_by_band=np.zeros((rows, *shape)),
            withdrawn_by_band=np.zeros((rows, *shape)),
        )


def _measure(
    record: _Record,
    week: int,
    x: np.ndarray,
    flows: tuple[np.ndarray, np.ndarray, np.ndarray],
    target_weights: np.ndarray,
) -> None:
    incoming, served, removed = flows
    by_class = x.sum(axis=-1)
    waiting = by_class.sum(axis=(1, 2))
    by_band = x.sum(axis=(1, 2))
    record.list_size[:, week] = waiting
    record.list_by_class[:, week] = by_class
    record.median_wait[:, week] = _band_quantile(by_band, 0.5)
    record.p92_wait[:, week] = _band_quantile(by_band, 0.92)
    under = by_band @ target_weights
    record.within_target[:, week] = np.divide(
        under, waiting, out=np.ones_like(waiting), where=waiting > 0
    )
    served_by_band = served.sum(axis=(1, 2))
    record.served[:, week] = served_by_band.sum(axis=-1)
    record.served_mean_wait[:, week] = _band_mean(served_by_band)
    record.withdrawn[:, week] = removed.sum(axis=(1, 2, 3))
    record.arrivals[:, week] = incoming.sum(axis=(1, 2))


# --- running ---------------------------------------------------------------------------


def _run_block(
    plans: Sequence[_Plan],
    scenario_of_row: np.ndarray,
    mode: Mode,
    warm_up: np.ndarray,
    rng: np.random.Generator,
    tick: Callable[[], None],
) -> _Record:
    """Run rows drawn from scenarios of one shape and order, week by week."""
    stochastic = mode == "stochastic"
    arrivals = np.stack([plan.arrivals for plan in plans])  # [scenario, week, tier, priority]
    capacity = np.stack([plan.capacity for plan in plans])
    hazard = np.stack([plan.withdrawal for plan in plans])[scenario_of_row]
    conversion = [plan.conversion for plan in plans]
    same_conversion = all(np.array_equal(c, conversion[0]) for c in conversion)
    fence = plans[0].fence
    fences = None if fence is None else np.stack([p.fence for p in plans])[scenario_of_row]  # type: ignore[misc]
    order = plans[0].order
    target_weights = plans[0].target_weights
    x = np.stack([plan.initial for plan in plans])[scenario_of_row]
    if stochastic:
        x = np.round(x)
    rows = x.shape[0]
    weeks = arrivals.shape[1]
    record = _Record.empty(rows, weeks, x.shape[1:])  # type: ignore[arg-type]
    incoming_next = np.zeros(x.shape[:-1])
    recording = np.arange(weeks)[None, :] >= warm_up[:, None]
    for week in range(weeks):
        mean_in = arrivals[scenario_of_row, week]
        incoming = (rng.poisson(mean_in) if stochastic else mean_in) + incoming_next
        _arrive(x, incoming)
        if stochastic:
            removed = _withdraw_stochastic(x, hazard, rng)
        else:
            removed = _withdraw_expected(x, hazard)
        slots = capacity[scenario_of_row, week]
        if stochastic:
            slots = _whole_capacity(slots, rng)
        if fences is None:
            served = _serve(x, slots, order)
        else:
            served = _serve_ring_fenced(x, slots, fences, order, stochastic)
        incoming_next = _converted(served, conversion, same_conversion, scenario_of_row, rng, mode)
        _measure(record, week, x, (incoming, served, removed), target_weights)
        keep = recording[:, week][:, None, None, None]
        record.served_by_band += served * keep
        record.withdrawn_by_band += removed * keep
        _age(x)
        tick()
    return record


def _converted(
    served: np.ndarray,
    conversion: list[np.ndarray],
    same: bool,
    scenario_of_row: np.ndarray,
    rng: np.random.Generator,
    mode: Mode,
) -> np.ndarray:
    if not any(c.any() for c in conversion):
        return np.zeros(served.shape[:-1])
    if same:
        chosen = [(np.arange(served.shape[0]), conversion[0])]
    else:
        chosen = [(np.flatnonzero(scenario_of_row == s), c) for s, c in enumerate(conversion)]
    moved = np.zeros(served.shape[:-1])
    for rows, matrix in chosen:
        if mode == "stochastic":
            moved[rows] = _convert_stochastic(served[rows], matrix, rng)
        else:
            moved[rows] = _convert_expected(served[rows], matrix)
    return moved


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
    ``progress(done, total)`` is called every simulated week of every block; raise from it
    to cancel a long run. In expected mode ``replications`` is ignored (one row).
    """
    reps = 1 if mode == "expected" else replications
    plans = [_compile(scenario) for scenario in scenarios]
    groups: dict[tuple[object, ...], list[int]] = {}
    for index, (scenario, plan) in enumerate(zip(scenarios, plans, strict=True)):
        groups.setdefault(_group_key(scenario, plan), []).append(index)
    blocks = [_blocks(members, reps) for members in groups.values()]
    total = sum(
        scenarios[members[0]].weeks * len(block_list)
        for members, block_list in zip(groups.values(), blocks, strict=True)
    )
    done = [0]

    def tick() -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], total)

    streams = iter(np.random.SeedSequence(seed).spawn(sum(len(b) for b in blocks)))
    records: dict[int, list[_Record]] = {index: [] for index in range(len(scenarios))}
    for members, block_list in zip(groups.values(), blocks, strict=True):
        for block in block_list:
            rng = np.random.default_rng(next(streams))
            warm_up = np.array([scenarios[members[s]].warm_up for s in block])
            record = _run_block([plans[m] for m in members], block, mode, warm_up, rng, tick)
            for s in np.unique(block):
                records[members[s]].append(_rows(record, block == s))
    return [
        _result(scenario, mode, records[index], plans[index])
        for index, scenario in enumerate(scenarios)
    ]


def _blocks(members: list[int], reps: int) -> list[np.ndarray]:
    """Split the rows of a group (scenario-local index per row) into blocks of BLOCK_ROWS."""
    scenario_of_row = np.repeat(np.arange(len(members)), reps)
    count = max(1, math.ceil(scenario_of_row.size / BLOCK_ROWS))
    return list(np.array_split(scenario_of_row, count))


def _rows(record: _Record, mask: np.ndarray) -> _Record:
    return _Record(**{name: value[mask] for name, value in vars(record).items()})


def _result(scenario: Scenario, mode: Mode, parts: list[_Record], plan: _Plan) -> Result:
    merged = {name: np.concatenate([vars(part)[name] for part in parts]) for name in vars(parts[0])}
    return Result(scenario=scenario, mode=mode, initial_size=float(plan.initial.sum()), **merged)


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
