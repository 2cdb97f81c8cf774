"""Scenario files: a waiting-list scenario in TOML, read, checked and written back.

The format is documented in docs/planning.md. Every error names the key at fault
(``arrivals.targeted.urgent: ...``) so that a lead editing a file, or a page showing the
error beside a field, can point at it. Reading needs only the standard library's tomllib;
writing needs tomli_w.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from sapling.planning.engine import (
    WEEKS_PER_YEAR,
    ArrivalChange,
    CapacityChange,
    Scenario,
    school_term_profile,
    uniform_backlog,
)
from sapling.planning.orders import ORDERS

TOP_LEVEL = {
    "name",
    "priorities",
    "tiers",
    "weeks",
    "max_weeks",
    "start_week_of_year",
    "annual_growth",
    "warm_up",
    "order",
    "target",
    "priority_targets",
    "need_weights",
    "arrivals",
    "capacity",
    "withdrawal",
    "conversion",
    "ring_fence",
    "seasonality",
    "capacity_seasonality",
    "initial_list",
    "capacity_change",
    "arrival_change",
}


class ScenarioError(ValueError):
    """A scenario file that cannot be run; the message starts with the key at fault."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key


def load_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario file."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError("file", f"not valid TOML ({error})") from error
    return scenario_from_dict(data)


def scenario_from_dict(data: Mapping[str, Any]) -> Scenario:
    """Build a Scenario from parsed TOML (or a form's cleaned data), checking every key."""
    unknown = sorted(set(data) - TOP_LEVEL)
    if unknown:
        raise ScenarioError(
            unknown[0], f"unknown key; expected one of {', '.join(sorted(TOP_LEVEL))}"
        )
    priorities = _names(data, "priorities")
    tiers = _names(data, "tiers")
    target = _table(data, "target")
    weeks = _integer(data.get("weeks", 260), "weeks", 1, 1040)
    scenario = Scenario(
        name=_text(data, "name"),
        priorities=priorities,
        tiers=tiers,
        arrivals=_grid(data, "arrivals", tiers, priorities, required=True),
        capacity=_vector(data, "capacity", tiers, required=True),
        withdrawal=_grid(data, "withdrawal", tiers, priorities, high=1.0),
        weeks=weeks,
        max_weeks=_integer(data.get("max_weeks", 104), "max_weeks", 1, 520),
        target_weeks=_number(target.get("weeks", 18), "target.weeks", 0, math.inf, strict=True),
        target_share=_number(target.get("share", 0.92), "target.share", 0, 1, strict=True),
        order=_order(data),
        priority_targets=_optional_vector(data, "priority_targets", priorities),
        need_weights=_optional_vector(data, "need_weights", priorities),
        ring_fence=_shares(data, "ring_fence", tiers, priorities),
        conversion=_shares(data, "conversion", tiers, tiers),
        arrival_profile=_seasonality(data, "seasonality"),
        capacity_profile=_seasonality(data, "capacity_seasonality"),
        start_week_of_year=_integer(data.get("start_week_of_year", 0), "start_week_of_year", 0, 51),
        annual_growth=_number(data.get("annual_growth", 0.0), "annual_growth", -0.9, 10),
        initial_list=_initial_list(data, tiers, priorities, data.get("max_weeks", 104)),
        capacity_changes=_capacity_changes(data, tiers, weeks),
        arrival_changes=_arrival_changes(data, tiers, priorities, weeks),
        warm_up=_integer(data.get("warm_up", 0), "warm_up", 0, weeks),
    )
    _check_order_needs(scenario)
    return scenario


# --- reading pieces ------------------------------------------------------------------


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(key, "must be a non-empty string")
    return value


def _names(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ScenarioError(key, "must be a non-empty list of names")
    if len(set(value)) != len(value):
        raise ScenarioError(key, "names must not repeat")
    return tuple(value)


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ScenarioError(key, "must be a table")
    return value


def _number(
    value: Any, key: str, low: float, high: float = math.inf, strict: bool = False
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ScenarioError(key, f"must be a number, got {value!r}")
    below = value <= low if strict else value < low
    if below or value > high or (strict and high != math.inf and value >= high):
        bounds = f"between {low} and {high}" if high != math.inf else f"at least {low}"
        raise ScenarioError(key, f"must be {bounds}{' (exclusive)' if strict else ''}, got {value}")
    return float(value)


def _integer(value: Any, key: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScenarioError(key, f"must be a whole number from {low} to {high}, got {value!r}")
    return value


def _keys(table: Mapping[str, Any], key: str, allowed: tuple[str, ...]) -> None:
    for name in table:
        if name not in allowed:
            raise ScenarioError(
                f"{key}.{name}", f"unknown name; expected one of {', '.join(allowed)}"
            )


def _vector(
    data: Mapping[str, Any], key: str, names: tuple[str, ...], required: bool = False
) -> np.ndarray:
    table = _table(data, key)
    if required and key not in data:
        raise ScenarioError(key, "is required")
    _keys(table, key, names)
    return np.array([_number(table.get(n, 0.0), f"{key}.{n}", 0) for n in names])


def _optional_vector(
    data: Mapping[str, Any], key: str, names: tuple[str, ...]
) -> np.ndarray | None:
    if key not in data:
        return None
    table = _table(data, key)
    missing = [n for n in names if n not in table]
    if missing:
        raise ScenarioError(f"{key}.{missing[0]}", "is required when the table is given")
    return _vector(data, key, names)


def _grid(
    data: Mapping[str, Any],
    key: str,
    rows: tuple[str, ...],
    columns: tuple[str, ...],
    required: bool = False,
    high: float = math.inf,
) -> np.ndarray:
    """A [row, column] table; a bare number applies to every cell."""
    if required and key not in data:
        raise ScenarioError(key, "is required")
    value = data.get(key, 0.0)
    if not isinstance(value, Mapping):
        return np.full((len(rows), len(columns)), _number(value, key, 0, high))
    _keys(value, key, rows)
    grid = np.zeros((len(rows), len(columns)))
    for i, row in enumerate(rows):
        cells = value.get(row, 0.0)
        if not isinstance(cells, Mapping):
            grid[i] = _number(cells, f"{key}.{row}", 0, high)
            continue
        _keys(cells, f"{key}.{row}", columns)
        for j, column in enumerate(columns):
            grid[i, j] = _number(cells.get(column, 0.0), f"{key}.{row}.{column}", 0, high)
    return grid


def _shares(
    data: Mapping[str, Any], key: str, rows: tuple[str, ...], columns: tuple[str, ...]
) -> np.ndarray | None:
    if key not in data:
        return None
    grid = _grid(data, key, rows, columns, high=1.0)
    for row, total in zip(rows, grid.sum(axis=1), strict=True):
        if total > 1 + 1e-9:
            raise ScenarioError(f"{key}.{row}", f"shares add up to {total:g}, more than 1")
    return grid


def _order(data: Mapping[str, Any]) -> str:
    order = data.get("order", "priority")
    if order not in ORDERS:
        raise ScenarioError("order", f"must be one of {', '.join(ORDERS)}, got {order!r}")
    return str(order)


def _check_order_needs(scenario: Scenario) -> None:
    if scenario.order == "breach" and scenario.priority_targets is None:
        raise ScenarioError("priority_targets", "is required for order = 'breach'")
    if scenario.order == "ringfence" and scenario.ring_fence is None:
        raise ScenarioError("ring_fence", "is required for order = 'ringfence'")


def _seasonality(data: Mapping[str, Any], key: str) -> np.ndarray | None:
    table = _table(data, key)
    _keys(table, key, ("holiday_factor", "profile"))
    if "profile" in table:
        profile = table["profile"]
        if not isinstance(profile, list) or len(profile) != WEEKS_PER_YEAR:
            raise ScenarioError(f"{key}.profile", f"must list {WEEKS_PER_YEAR} weekly multipliers")
        values = [_number(v, f"{key}.profile[{i}]", 0) for i, v in enumerate(profile)]
        return np.array(values)
    if "holiday_factor" in table:
        factor = _number(table["holiday_factor"], f"{key}.holiday_factor", 0, 10)
        return school_term_profile(factor)
    return None


def _initial_list(
    data: Mapping[str, Any], tiers: tuple[str, ...], priorities: tuple[str, ...], max_weeks: Any
) -> np.ndarray | None:
    """Children already waiting: per tier and priority, counts by week waited or a backlog."""
    if "initial_list" not in data:
        return None
    table = _table(data, "initial_list")
    _keys(table, "initial_list", tiers)
    depth = _integer(max_weeks, "max_weeks", 1, 520)
    state = np.zeros((len(tiers), len(priorities), depth + 1))
    for i, tier in enumerate(tiers):
        cells = table.get(tier, {})
        if not isinstance(cells, Mapping):
            raise ScenarioError(f"initial_list.{tier}", "must be a table by priority")
        _keys(cells, f"initial_list.{tier}", priorities)
        for j, priority in enumerate(priorities):
            if priority in cells:
                state[i, j] = _backlog(cells[priority], f"initial_list.{tier}.{priority}", depth)
    return state


def _backlog(value: Any, key: str, depth: int) -> np.ndarray:
    if isinstance(value, list):
        counts = np.array([_number(v, f"{key}[{i}]", 0) for i, v in enumerate(value)])
        state = np.zeros(depth + 1)
        width = min(counts.size, depth + 1)
        state[:width] = counts[:width]
        state[-1] += counts[width:].sum()
        return state
    if isinstance(value, Mapping) and set(value) == {"per_week", "weeks"}:
        per_week = _number(value["per_week"], f"{key}.per_week", 0)
        weeks = _integer(value["weeks"], f"{key}.weeks", 0, 2080)
        return uniform_backlog(per_week, weeks, depth)
    raise ScenarioError(key, "must be a list of counts by week waited, or {per_week, weeks}")


def _changes(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    changes = data.get(key, [])
    if not isinstance(changes, list) or not all(isinstance(c, Mapping) for c in changes):
        raise ScenarioError(key, "must be an array of tables ([[" + key + "]])")
    return changes


def _capacity_changes(
    data: Mapping[str, Any], tiers: tuple[str, ...], weeks: int
) -> tuple[CapacityChange, ...]:
    found = []
    for n, change in enumerate(_changes(data, "capacity_change")):
        key = f"capacity_change[{n}]"
        _keys(change, key, ("week", "tier", "per_week"))
        tier = change.get("tier")
        if tier not in tiers:
            raise ScenarioError(f"{key}.tier", f"must be one of {', '.join(tiers)}, got {tier!r}")
        week = _integer(change.get("week"), f"{key}.week", 0, weeks - 1)
        found.append(
            CapacityChange(week, tier, _number(change.get("per_week"), f"{key}.per_week", 0))
        )
    return tuple(found)


def _arrival_changes(
    data: Mapping[str, Any], tiers: tuple[str, ...], priorities: tuple[str, ...], weeks: int
) -> tuple[ArrivalChange, ...]:
    found = []
    for n, change in enumerate(_changes(data, "arrival_change")):
        key = f"arrival_change[{n}]"
        _keys(change, key, ("week", "tier", "priority", "per_week"))
        tier, priority = change.get("tier"), change.get("priority")
        if tier not in tiers:
            raise ScenarioError(f"{key}.tier", f"must be one of {', '.join(tiers)}, got {tier!r}")
        if priority not in priorities:
            raise ScenarioError(
                f"{key}.priority", f"must be one of {', '.join(priorities)}, got {priority!r}"
            )
        week = _integer(change.get("week"), f"{key}.week", 0, weeks - 1)
        per_week = _number(change.get("per_week"), f"{key}.per_week", 0)
        found.append(ArrivalChange(week, tier, priority, per_week))
    return tuple(found)


# --- writing ---------------------------------------------------------------------------


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain TOML-ready data; ``scenario_from_dict`` reads it back."""
    tiers, priorities = scenario.tiers, scenario.priorities
    data: dict[str, Any] = {
        "name": scenario.name,
        "priorities": list(priorities),
        "tiers": list(tiers),
        "weeks": scenario.weeks,
        "max_weeks": scenario.max_weeks,
        "start_week_of_year": scenario.start_week_of_year,
        "annual_growth": scenario.annual_growth,
        "warm_up": scenario.warm_up,
        "order": scenario.order,
        "target": {"weeks": scenario.target_weeks, "share": scenario.target_share},
        "arrivals": _grid_dict(scenario.arrivals, tiers, priorities),
        "capacity": _vector_dict(scenario.capacity, tiers),
        "withdrawal": _grid_dict(scenario.withdrawal, tiers, priorities),
    }
    optional = {
        "priority_targets": (scenario.priority_targets, lambda v: _vector_dict(v, priorities)),
        "need_weights": (scenario.need_weights, lambda v: _vector_dict(v, priorities)),
        "ring_fence": (scenario.ring_fence, lambda v: _grid_dict(v, tiers, priorities)),
        "conversion": (scenario.conversion, lambda v: _grid_dict(v, tiers, tiers)),
        "seasonality": (scenario.arrival_profile, _profile_dict),
        "capacity_seasonality": (scenario.capacity_profile, _profile_dict),
        "initial_list": (scenario.initial_list, lambda v: _initial_dict(v, tiers, priorities)),
    }
    for key, (value, convert) in optional.items():
        if value is not None:
            data[key] = convert(value)
    if scenario.capacity_changes:
        data["capacity_change"] = [vars(c).copy() for c in scenario.capacity_changes]
    if scenario.arrival_changes:
        data["arrival_change"] = [vars(c).copy() for c in scenario.arrival_changes]
    return data


def dump_scenario(scenario: Scenario) -> str:
    """The scenario as TOML text (needs tomli_w)."""
    import tomli_w  # only saving needs it; reading uses the standard library

    return tomli_w.dumps(scenario_to_dict(scenario))


def _vector_dict(values: np.ndarray, names: tuple[str, ...]) -> dict[str, float]:
    return {name: float(v) for name, v in zip(names, np.asarray(values), strict=True)}


def _grid_dict(
    grid: np.ndarray, rows: tuple[str, ...], columns: tuple[str, ...]
) -> dict[str, dict[str, float]]:
    return {
        row: _vector_dict(values, columns)
        for row, values in zip(rows, np.asarray(grid), strict=True)
    }


def _profile_dict(profile: np.ndarray) -> dict[str, list[float]]:
    return {"profile": [float(v) for v in np.broadcast_to(profile, (WEEKS_PER_YEAR,))]}


def _initial_dict(
    state: np.ndarray, tiers: tuple[str, ...], priorities: tuple[str, ...]
) -> dict[str, dict[str, list[float]]]:
    return {
        tier: {p: [float(v) for v in state[i, j]] for j, p in enumerate(priorities)}
        for i, tier in enumerate(tiers)
    }
