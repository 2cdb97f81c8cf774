"""`sapling simulate`: a scenario file projected from the command line, as text or JSON."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import django
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

import sapling.planning
from sapling.core.management.commands.simulate import checkpoints

EXAMPLES = Path(sapling.planning.__file__).parent / "examples"


@pytest.fixture(autouse=True, scope="module")
def _django() -> None:
    """Set Django up when the planning tests run without it (docs/planning.md)."""
    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sapling.test_settings")
        django.setup()


def simulate(*args: str, **options: Any) -> tuple[str, str]:
    """Run the command; its stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command("simulate", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def as_json(name: str, *args: str) -> dict[str, Any]:
    out, _ = simulate("--scenario", str(EXAMPLES / f"{name}.toml"), "--json", *args)
    parsed: dict[str, Any] = json.loads(out)
    return parsed


def test_the_examples_show_the_redesign_cutting_waits() -> None:
    baseline = as_json("baseline", "--mode", "expected")
    redesign = as_json("redesign", "--mode", "expected")
    before = baseline["final_week"]["median_wait"]["median"]
    after = redesign["final_week"]["median_wait"]["median"]
    assert 15 < before < 30
    assert 4 < after < 10
    assert baseline["first_target_week"] is None
    assert 0 <= redesign["first_target_week"] <= 26


def test_the_text_report_lists_each_year_and_the_target() -> None:
    out, err = simulate("--scenario", str(EXAMPLES / "baseline.toml"), "--mode", "expected")
    assert out.startswith("Baseline: one-to-one for everyone\nexpected mode, 1 run, 104 weeks")
    assert "Waiting at the start: 353 children" in out
    assert "1 year " in out and "2 years " in out
    assert "Target first met: not met" in out
    assert err == ""  # no progress bar for a run that takes milliseconds

    out, _ = simulate("--scenario", str(EXAMPLES / "redesign.toml"), "--mode", "expected")
    assert "Target first met: week 13" in out


def test_the_report_shows_each_year_end_and_a_mid_year_horizon() -> None:
    assert checkpoints(104) == [("1 year", 51), ("2 years", 103)]
    assert checkpoints(30) == [("30 weeks", 29)]
    assert checkpoints(60) == [("1 year", 51), ("60 weeks", 59)]


def test_json_is_one_object_with_the_summary_and_the_run() -> None:
    out, err = simulate(
        "--scenario", str(EXAMPLES / "redesign.toml"), "--json", replications=5, seed=3
    )
    result = json.loads(out)  # one object, nothing else on stdout
    assert set(result) >= {
        "scenario",
        "mode",
        "replications",
        "seed",
        "weeks",
        "final_week",
        "target",
        "target_met_share",
        "first_target_week",
    }
    assert result["scenario"].startswith("Redesign")
    assert (result["mode"], result["replications"], result["seed"]) == ("stochastic", 5, 3)
    band = result["final_week"]["list_size"]
    assert band["low"] <= band["median"] <= band["high"]
    assert result["target"] == {"weeks": 18.0, "share": 0.92}
    assert "100%" in err  # progress went to stderr


def test_the_same_seed_gives_the_same_numbers() -> None:
    first, second = (as_json("baseline", "--replications", "4", "--seed", "7") for _ in "ab")
    assert first == second


def test_progress_is_reported_on_stderr_every_tenth_off_a_terminal() -> None:
    out, err = simulate("--scenario", str(EXAMPLES / "baseline.toml"), replications=3, seed=1)
    lines = err.splitlines()
    assert lines[0].startswith("simulating: 0%")
    assert lines[-1] == "simulating: 100% (104/104 weeks)"
    assert len(lines) == 11
    assert "simulating" not in out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_bar_is_redrawn_in_place() -> None:
    err = Terminal()
    path = str(EXAMPLES / "baseline.toml")
    call_command("simulate", "--scenario", path, stdout=io.StringIO(), stderr=err, replications=3)
    text = err.getvalue()
    assert text.startswith("\rsimulating [")
    assert text.endswith("[" + "#" * 30 + "] 100%\n")
    assert "\x1b[" not in text  # not coloured as an error


def test_a_broken_scenario_names_the_key_at_fault(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    text = (EXAMPLES / "baseline.toml").read_text(encoding="utf-8")
    broken.write_text(text.replace("routine = 9.0", "routine = -1.0"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"arrivals\.specialist\.routine: must be at least 0"):
        simulate("--scenario", str(broken))


def test_a_file_that_is_not_toml_says_so(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("name = ", encoding="utf-8")
    with pytest.raises(CommandError, match="file: not valid TOML"):
        simulate("--scenario", str(broken))


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"scenario file not found: .*missing\.toml"):
        simulate("--scenario", str(tmp_path / "missing.toml"))
