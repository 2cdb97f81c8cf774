"""Long comparisons, run without an extra server process.

A run of thousands of replications would outlast a request, so it is done a chunk at a time:
each step (one request, started by the page's script or by the lead's button) projects the
next ``CHUNK`` replications of every compared scenario and adds them to those stored on the
run. The page shows how far it has got; cancelling simply stops the sequence, keeping what
was done. Each chunk has its own seed, so a run gives the same answer however it is split
across requests.
"""

from __future__ import annotations

import io

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import Team, User
from sapling.core.lifecycle import IllegalMove
from sapling.planning.engine import Scenario, project_many
from sapling.planning.scenario import scenario_from_dict, scenario_to_dict
from sapling.reports.models import PlanningRun, RunStatus
from sapling.reports.planning import (
    MAX_COMPARED,
    MEASURES,
    SEED,
    Draws,
    Projection,
    draws,
    projection,
)

CHUNK = 200  # replications of every scenario per request: about a second for four
LONG_RUNS = (1000, 2000, 5000)  # the lengths a lead may choose


def start_run(
    *, team: Team, by: User, names: list[str], scenarios: list[Scenario], replications: int
) -> PlanningRun:
    if not 1 <= len(scenarios) <= MAX_COMPARED:
        raise IllegalMove(_("Choose between one and four scenarios to compare"))
    if replications not in LONG_RUNS:
        raise IllegalMove(_("Choose how many runs from the list"))
    return PlanningRun.objects.create(
        team=team,
        started_by=by,
        names=names,
        scenarios=[scenario_to_dict(scenario) for scenario in scenarios],
        replications=replications,
    )


def _require_running(run: PlanningRun) -> None:
    if run.status == RunStatus.CANCELLED:
        raise IllegalMove(_("This run was cancelled"))
    if run.status == RunStatus.FINISHED:
        raise IllegalMove(_("This run has finished"))


def step_run(*, run: PlanningRun, expected_done: int) -> PlanningRun:
    """Run the next chunk, once: a step naming a chunk already done changes nothing, so two
    open tabs (or a repeated request) never count the same replications twice.

    The projection runs outside any transaction (a second or so); only the short check and
    save at the end holds the database, so a cancel is never kept waiting.
    """
    run.refresh_from_db()
    _require_running(run)
    if expected_done != run.done:
        return run
    count = min(CHUNK, run.replications - run.done)
    scenarios = [scenario_from_dict(data) for data in run.scenarios]
    results = project_many(scenarios, mode="stochastic", replications=count, seed=SEED + run.done)
    fresh = [draws(result) for result in results]
    stored = load_draws(run)
    merged = [
        {m: np.concatenate([old[m], new[m]]) if old else new[m] for m in MEASURES}
        for old, new in zip(stored or [{}] * len(fresh), fresh, strict=True)
    ]
    with transaction.atomic():
        current = PlanningRun.objects.select_for_update().get(pk=run.pk)
        _require_running(current)
        if current.done != expected_done:  # another request saved this chunk first
            return current
        current.results = _dump(merged)
        current.done += count
        if current.done >= current.replications:
            current.status = RunStatus.FINISHED
            current.ended_at = timezone.now()
        current.save()
        return current


@transaction.atomic
def cancel_run(*, run: PlanningRun, by: User) -> PlanningRun:
    run = PlanningRun.objects.select_for_update().get(pk=run.pk)
    _require_running(run)
    run.status = RunStatus.CANCELLED
    run.ended_at = timezone.now()
    run.save()
    return run


def load_draws(run: PlanningRun) -> list[Draws]:
    if not run.results:
        return []
    with np.load(io.BytesIO(bytes(run.results))) as data:
        return [
            {m: data[f"{i}_{m}"].astype(float) for m in MEASURES} for i in range(len(run.names))
        ]


def _dump(values: list[Draws]) -> bytes:
    buffer = io.BytesIO()
    arrays = {
        f"{i}_{m}": scenario[m].astype(np.float32)
        for i, scenario in enumerate(values)
        for m in MEASURES
    }
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


def run_projections(run: PlanningRun) -> list[Projection]:
    """The bands from the replications done so far (all of them once the run has finished);
    none before the first chunk."""
    stored = load_draws(run)
    if not stored:
        return []
    return [
        projection(name, values, float(data["target"]["share"]))
        for name, values, data in zip(run.names, stored, run.scenarios, strict=True)
    ]
