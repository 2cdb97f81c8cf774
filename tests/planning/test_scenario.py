"""Scenario files: read, checked with errors that name the key, and written back."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomli_w

import sapling.planning
from sapling.planning.engine import project
from sapling.planning.scenario import (
    ScenarioError,
    dump_scenario,
    load_scenario,
    scenario_from_dict,
    scenario_to_dict,
)

EXAMPLES = Path(sapling.planning.__file__).parent / "examples"

MINIMAL = """
name = "Small team"
priorities = ["urgent", "routine"]
tiers = ["groups", "specialist"]

[arrivals.groups]
routine = 4

[arrivals.specialist]
urgent = 0.5
routine = 2

[capacity]
groups = 5
specialist = 3
"""


def minimal(**changes: Any) -> dict[str, Any]:
    data = tomllib.loads(MINIMAL)
    data.update(changes)
    return data


def test_a_minimal_file_fills_in_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text(MINIMAL)
    scenario = load_scenario(path)
    assert scenario.arrivals.tolist() == [[0, 4], [0.5, 2]]
    assert scenario.withdrawal.sum() == 0
    assert (scenario.weeks, scenario.target_weeks, scenario.target_share) == (260, 18, 0.92)
    assert project(scenario, mode="expected").list_size.shape == (1, 260)


@pytest.mark.parametrize("name", ["baseline", "redesign"])
def test_scenarios_round_trip_through_toml(name: str) -> None:
    scenario = load_scenario(EXAMPLES / f"{name}.toml")
    again = scenario_from_dict(tomllib.loads(dump_scenario(scenario)))
    assert scenario_to_dict(again) == scenario_to_dict(scenario)
    for field in ("arrivals", "capacity", "withdrawal", "initial_list", "arrival_profile"):
        assert np.array_equal(getattr(again, field), getattr(scenario, field))
    assert again.capacity_changes == scenario.capacity_changes


def test_every_option_round_trips() -> None:
    data = minimal(
        order="breach",
        priority_targets={"urgent": 2, "routine": 18},
        need_weights={"urgent": 3, "routine": 1},
        ring_fence={"groups": {"urgent": 0.2, "routine": 0.8}},
        conversion={"groups": {"specialist": 0.2}},
        withdrawal=0.01,
        seasonality={"holiday_factor": 0.5},
        initial_list={"specialist": {"routine": [1, 2, 3], "urgent": {"per_week": 1, "weeks": 2}}},
        arrival_change=[{"week": 4, "tier": "groups", "priority": "routine", "per_week": 6}],
        capacity_change=[{"week": 10, "tier": "specialist", "per_week": 3.5}],
    )
    scenario = scenario_from_dict(data)
    text = tomli_w.dumps(scenario_to_dict(scenario))
    assert scenario_to_dict(scenario_from_dict(tomllib.loads(text))) == scenario_to_dict(scenario)
    assert scenario.initial_list is not None
    assert scenario.initial_list[1, :, :4].tolist() == [[1, 1, 0, 0], [1, 2, 3, 0]]


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"colour": "green"}, "colour"),
        ({"name": ""}, "name"),
        ({"tiers": ["groups", "groups"]}, "tiers"),
        ({"arrivals": {"group": {"routine": 1}}}, "arrivals.group"),
        ({"arrivals": {"groups": {"routine": -1}}}, "arrivals.groups.routine"),
        ({"arrivals": {"groups": {"routine": "lots"}}}, "arrivals.groups.routine"),
        ({"capacity": {"groups": True}}, "capacity.groups"),
        ({"withdrawal": {"groups": 1.5}}, "withdrawal.groups"),
        ({"conversion": {"groups": {"specialist": 0.7, "groups": 0.6}}}, "conversion.groups"),
        ({"order": "fastest"}, "order"),
        ({"order": "breach"}, "priority_targets"),
        ({"order": "ringfence"}, "ring_fence"),
        ({"target": {"share": 1.2}}, "target.share"),
        ({"weeks": 0}, "weeks"),
        ({"seasonality": {"profile": [1.0] * 12}}, "seasonality.profile"),
        ({"initial_list": {"specialist": {"routine": "many"}}}, "initial_list.specialist.routine"),
        (
            {"capacity_change": [{"week": 3, "tier": "gym", "per_week": 1}]},
            "capacity_change[0].tier",
        ),
        (
            {
                "arrival_change": [
                    {"week": 900, "tier": "groups", "priority": "routine", "per_week": 1}
                ]
            },
            "arrival_change[0].week",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_its_key(changes: dict[str, Any], key: str) -> None:
    with pytest.raises(ScenarioError) as error:
        scenario_from_dict(minimal(**changes))
    assert error.value.key == key
    assert str(error.value).startswith(f"{key}: ")


def test_missing_required_tables_are_named() -> None:
    data = minimal()
    del data["capacity"]
    with pytest.raises(ScenarioError, match=r"^capacity: is required"):
        scenario_from_dict(data)


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("name = ")
    with pytest.raises(ScenarioError, match=r"^file: not valid TOML"):
        load_scenario(path)
