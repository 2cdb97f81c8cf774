from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import pytest
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.core.lifecycle import IllegalMove
from sapling.reports import planning, runs
from sapling.reports.models import PlanningRun, RunStatus
from tests.conftest import logged_in
from tests.reports.factories import PlanningRunFactory, PlanningScenarioFactory, waiting_list

COMPARE = reverse("reports:compare_scenarios")


def _chart_data(html: str) -> dict[str, object]:
    found = re.search(r'id="planning-chart-data">(.*?)</script>', html, re.S)
    assert found
    data: dict[str, object] = json.loads(found.group(1))
    return data


@pytest.mark.django_db
def test_the_lead_compares_the_baseline_with_saved_scenarios_week_by_week(
    team: Team, lead: User
) -> None:
    waiting_list(team)
    more = PlanningScenarioFactory.create(team=team, name="Two more contacts")
    response = logged_in(lead).get(COMPARE, {"scenario": ["baseline", str(more.pk)]})
    html = response.content.decode()
    data = _chart_data(html)
    names = [s["name"] for s in data["scenarios"]]  # type: ignore[attr-defined]
    assert names == ["If nothing changes", "Two more contacts"]
    assert len(data["weeks"]) == 104  # type: ignore[arg-type]
    # The bands hold the median, week by week.
    base = data["scenarios"][0]["list_size"]  # type: ignore[index]
    bands = zip(base["low"], base["median"], base["high"], strict=True)
    assert all(lo <= mid <= hi for lo, mid, hi in bands)
    # More capacity: a shorter list by the end.
    changed = data["scenarios"][1]["list_size"]  # type: ignore[index]
    assert changed["median"][-1] < base["median"][-1]
    # The accessible alternative: a text summary and the figures in a table.
    assert "Children waiting week by week, as a table" in html
    assert "Two more contacts: " in html
    assert 'aria-hidden="true"' in html
    assert "vendor/plotly/plotly.min.js" in html


@pytest.mark.django_db
def test_a_fifth_scenario_is_refused_with_a_clear_message(team: Team, lead: User) -> None:
    saved = [str(PlanningScenarioFactory.create(team=team).pk) for _ in range(4)]
    html = logged_in(lead).get(COMPARE, {"scenario": ["baseline", *saved]}).content.decode()
    assert "You chose 5 scenarios: choose up to four to compare" in html
    assert "planning-chart-data" not in html


@pytest.mark.django_db
def test_another_teams_scenario_cannot_be_compared(
    team: Team, other_team: Team, lead: User
) -> None:
    theirs = PlanningScenarioFactory.create(team=other_team, name="Theirs")
    html = logged_in(lead).get(COMPARE, {"scenario": [str(theirs.pk)]}).content.decode()
    assert "Select a valid choice" in html
    assert "Theirs" not in html


@pytest.mark.django_db
def test_the_comparison_downloads_as_csv(team: Team, lead: User) -> None:
    waiting_list(team)
    more = PlanningScenarioFactory.create(team=team, name="=cmd|more")
    response = logged_in(lead).get(
        reverse("reports:export_comparison"), {"scenario": ["baseline", str(more.pk)]}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["week", "scenario", "measure", "p5", "median", "p95"]
    assert len(rows) == 1 + 104 * 2 * 4
    assert rows[1][:3] == ["1", "If nothing changes", "list_size"]
    assert {row[1] for row in rows[1:]} == {"If nothing changes", "'=cmd|more"}  # not a formula
    assert all(float(r[3]) <= float(r[4]) <= float(r[5]) for r in rows[1:])


@pytest.mark.django_db
def test_a_long_run_goes_a_chunk_at_a_time_and_counts_each_chunk_once(
    team: Team, lead: User
) -> None:
    waiting_list(team)
    client = logged_in(lead)
    started = client.post(
        reverse("reports:start_run"), {"scenario": ["baseline"], "replications": "1000"}
    )
    run = PlanningRun.objects.get(team=team)
    assert started["Location"] == reverse("reports:show_run", args=[run.pk])
    assert "Run the next part" in client.get(started["Location"]).content.decode()

    step = reverse("reports:step_run", args=[run.pk])
    answer = client.post(step, {"done": 0}, HTTP_ACCEPT="application/json").json()
    assert answer == {
        "done": runs.CHUNK,
        "replications": 1000,
        "status": "running",
        "text": "200 of 1,000 runs done",
    }
    # The same step again (a second tab, a repeated request) does nothing.
    again = client.post(step, {"done": 0}, HTTP_ACCEPT="application/json").json()
    assert again["done"] == runs.CHUNK
    for done in range(runs.CHUNK, 1000, runs.CHUNK):
        client.post(step, {"done": done})
    run.refresh_from_db()
    assert run.status == RunStatus.FINISHED and run.done == 1000
    assert runs.load_draws(run)[0]["list_size"].shape == (1000, 104)
    html = client.get(reverse("reports:show_run", args=[run.pk])).content.decode()
    assert "planning-chart-data" in html and "Run the next part" not in html
    exported = client.get(reverse("reports:export_run", args=[run.pk])).content.decode()
    assert exported.startswith("week,scenario,measure,p5,median,p95")


@pytest.mark.django_db
def test_a_cancelled_run_stops_and_keeps_what_was_done(team: Team, lead: User) -> None:
    run = PlanningRunFactory.create(team=team, started_by=lead)
    runs.step_run(run=run, expected_done=0)
    client = logged_in(lead)
    response = client.post(
        reverse("reports:cancel_run", args=[run.pk]), {"done": runs.CHUNK}, follow=True
    )
    html = response.content.decode()
    assert "The run was cancelled" in html
    assert "cancelled after 200 of 1,000 runs" in html
    assert "planning-chart-data" in html  # the results so far
    run.refresh_from_db()
    with pytest.raises(IllegalMove, match="cancelled"):
        runs.step_run(run=run, expected_done=run.done)
    assert run.done == runs.CHUNK


@pytest.mark.django_db
def test_chunks_give_the_same_answer_as_one_go(team: Team, lead: User) -> None:
    waiting_list(team)
    run = PlanningRunFactory.create(team=team, started_by=lead, replications=1000)
    for done in range(0, 1000, runs.CHUNK):
        run = runs.step_run(run=run, expected_done=done)
    first = runs.load_draws(run)[0]["list_size"]
    repeat = PlanningRunFactory.create(team=team, started_by=lead, replications=1000)
    for done in range(0, 1000, runs.CHUNK):
        repeat = runs.step_run(run=repeat, expected_done=done)
    np.testing.assert_array_equal(first, runs.load_draws(repeat)[0]["list_size"])
    assert len(np.unique(first[:, -1])) > 1  # the chunks are not copies of one another


def test_the_projection_of_draws_reads_percentiles_and_the_first_week_met() -> None:
    weeks = np.arange(10, dtype=float)
    values = {
        "list_size": np.tile(100 - weeks, (20, 1)),
        "median_wait": np.tile(weeks, (20, 1)),
        "p92_wait": np.tile(weeks, (20, 1)),
        "within_target": np.tile(weeks * 10, (20, 1)),  # reaches 92% never, 90% in week 10
    }
    result = planning.projection("x", values, target_share=0.9)
    assert result.first_met == 9 and result.met_share == 1.0
    assert result.final("list_size") == (91.0, 91.0, 91.0)
    never = planning.projection("y", values, target_share=0.92)
    assert never.first_met is None and never.met_share == 0.0


@pytest.mark.django_db
def test_a_long_run_needs_its_length_and_starts_nothing_without(team: Team, lead: User) -> None:
    response = logged_in(lead).post(reverse("reports:start_run"), {"scenario": ["baseline"]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose how many runs of each scenario" in html
    assert not PlanningRun.objects.exists()
