"""`sapling simulate`: project a waiting list from a scenario file on the command line."""

from __future__ import annotations

import json
from argparse import ArgumentTypeError
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from sapling.planning.engine import WEEKS_PER_YEAR, Mode, Result, Scenario, project
from sapling.planning.scenario import ScenarioError, load_scenario

BAR_WIDTH = 30
METRICS = ("list_size", "median_wait", "p92_wait", "within_target")
NOTES = {
    "expected": "Waits in weeks, of children still on the list; expected values, no bands.",
    "stochastic": "Waits in weeks, of children still on the list; "
    "medians over replications with 5-95% ranges in brackets.",
}


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ArgumentTypeError(f"must be at least 1, got {value}")
    return value


class Command(BaseCommand):
    help = (
        "Project a waiting list from a scenario file (TOML, format in docs/planning.md) and "
        "print list size, median and 92nd percentile wait, the share within the target and "
        "the first week the target is met. Stochastic mode (the default) gives 5-95% bands "
        "over replications; expected mode answers in milliseconds without them. The file "
        "is checked first and any error names the key at fault. Reads and writes nothing "
        "else: the same file and --seed always give the same numbers. --json prints one "
        "JSON object on stdout; progress goes to stderr."
    )
    requires_system_checks: list[str] = []  # touches no models or database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scenario", required=True, type=Path, help="scenario TOML file")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--mode", choices=("expected", "stochastic"), default="stochastic")
        parser.add_argument(
            "--replications", type=positive_int, default=200, help="stochastic mode only"
        )
        parser.add_argument("--seed", type=int, default=None, help="for repeatable runs")

    def handle(self, *args: Any, **options: Any) -> None:
        scenario = read_scenario(options["scenario"])
        mode: Mode = options["mode"]
        bar = ProgressBar(self.stderr) if mode == "stochastic" else None
        try:
            result = project(
                scenario,
                mode=mode,
                replications=options["replications"],
                seed=options["seed"],
                progress=bar,
            )
        except ValueError as error:  # a scenario built in code can still fail the engine
            raise CommandError(f"{options['scenario']}: {error}") from error
        if options["json"]:
            self.stdout.write(json.dumps(as_json(result, options["seed"])))
        else:
            self.stdout.write(report(result))


def read_scenario(path: Path) -> Scenario:
    if not path.is_file():
        raise CommandError(f"scenario file not found: {path}")
    try:
        return load_scenario(path)
    except ScenarioError as error:
        raise CommandError(f"{path}: {error}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read scenario file {path}: {error}") from error


class ProgressBar:
    """The engine's progress(done, total) as a bar on stderr, never on stdout.

    On a terminal the bar is redrawn in place; in a log a line is written every 10%. It is
    written unstyled: Django would otherwise colour all of stderr as an error.
    """

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.tty = bool(out.isatty())
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // max(total, 1)
        step = percent if self.tty else percent - percent % 10
        if step == self.shown:
            return
        self.shown = step
        if self.tty:
            filled = BAR_WIDTH * done // max(total, 1)
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            ending = "\n" if done >= total else ""
            self.out.write(f"\rsimulating [{bar}] {percent:3d}%", style_func=str, ending=ending)
        else:
            self.out.write(f"simulating: {step}% ({done}/{total} weeks)", style_func=str)
        self.out.flush()


def as_json(result: Result, seed: int | None) -> dict[str, object]:
    scenario = result.scenario
    return {
        **result.summary(),
        "scenario": scenario.name,
        "mode": result.mode,
        "replications": result.replications,
        "seed": seed,
        "target": {"weeks": scenario.target_weeks, "share": scenario.target_share},
    }


def report(result: Result) -> str:
    scenario = result.scenario
    runs = "1 run" if result.mode == "expected" else f"{result.replications} replications"
    lines = [
        scenario.name,
        f"{result.mode} mode, {runs}, {scenario.weeks} weeks; "
        f"target: {scenario.target_share:.0%} waiting under {scenario.target_weeks:g} weeks",
        f"Waiting at the start: {result.initial_size:.0f} children",
        NOTES[result.mode],
        "",
        table(result),
        "",
        target_line(result),
    ]
    return "\n".join(lines)


def checkpoints(weeks: int) -> list[tuple[str, int]]:
    """(label, week index) at the end of each year, and of the horizon if it falls mid-year."""
    years = range(1, weeks // WEEKS_PER_YEAR + 1)
    points = [(f"{n} year{'s' * (n > 1)}", n * WEEKS_PER_YEAR - 1) for n in years]
    if weeks % WEEKS_PER_YEAR:
        points.append((f"{weeks} weeks", weeks - 1))
    return points


def table(result: Result) -> str:
    header = ("After", "List size", "Median wait", "92nd pct wait", "Within target")
    rows: list[tuple[str, ...]] = [header]
    for label, week in checkpoints(result.scenario.weeks):
        rows.append((label, *(cell(result, metric, week) for metric in METRICS)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def cell(result: Result, metric: str, week: int) -> str:
    values = np.asarray(getattr(result, metric), dtype=float)[:, week]
    low, mid, high = np.percentile(values, [5, 50, 95])
    if result.mode == "expected":
        return show(metric, mid)
    return f"{show(metric, mid)} ({show(metric, low)}-{show(metric, high)})"


def show(metric: str, value: float) -> str:
    if metric == "within_target":
        return f"{value:.1%}"
    return f"{value:.{0 if metric == 'list_size' else 1}f}"


def target_line(result: Result) -> str:
    first = result.first_target_week()
    met = first[first >= 0]
    if met.size == 0:
        return "Target first met: not met"
    line = f"Target first met: week {np.median(met):g}"
    if result.replications > 1:
        line += f" (median; met in {met.size / first.size:.0%} of replications)"
    return line
