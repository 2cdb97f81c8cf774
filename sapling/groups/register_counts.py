"""Each run's register counts, kept on the run and its places: sessions held (not
cancelled), marks recorded and attended for them, and for each place the sessions held its
holder attended and whether the last was one of them. Reports read these rather than every
mark (decision 005), so they are recounted from the records whenever a session or a mark is
saved or deleted, and `out_of_step` finds any run whose counts differ from its records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Count, Q

from sapling.groups.models import Attendance, Enrolment, Mark, Run, Session, SessionStatus

CHUNK = 500
_deferred: ContextVar[set[int] | None] = ContextVar("deferred_register_counts", default=None)


class RegisterModels(NamedTuple):
    """The models counted: today's, or a migration's historical ones."""

    run: Any
    session: Any
    attendance: Any
    enrolment: Any

    @classmethod
    def of(cls, apps: Any) -> RegisterModels:
        return cls(*(apps.get_model("groups", name) for name in cls._fields))


NOW = RegisterModels(Run, Session, Attendance, Enrolment)


class RunCounts(NamedTuple):
    sessions_held: int
    marks_recorded: int
    marks_attended: int
    places: dict[int, tuple[int, bool]]  # enrolment id -> (sessions attended, last held)


def counted(run_ids: list[int], models: RegisterModels = NOW) -> dict[int, RunCounts]:
    """The counts of these runs as their sessions and marks have them now."""
    held: defaultdict[int, int] = defaultdict(int)
    last_held: dict[int, int] = {}
    for session_id, run_id in (
        models.session.objects.filter(run__in=run_ids)
        .exclude(status=SessionStatus.CANCELLED)
        .values_list("pk", "run_id")
        .order_by("run_id", "starts_at", "pk")
    ):
        held[run_id] += 1
        last_held[run_id] = session_id
    recorded: defaultdict[int, int] = defaultdict(int)
    attended: defaultdict[int, int] = defaultdict(int)
    places: defaultdict[int, dict[int, tuple[int, bool]]] = defaultdict(dict)
    came = Q(mark=Mark.ATTENDED)
    for run_id, enrolment_id, marks, came_to, came_last in (
        models.attendance.objects.filter(session__run__in=run_ids)
        .exclude(session__status=SessionStatus.CANCELLED)
        .values_list("session__run_id", "enrolment_id")
        .annotate(
            marks=Count("pk"),
            came_to=Count("pk", filter=came),
            came_last=Count("pk", filter=came & Q(session__in=list(last_held.values()))),
        )
        .order_by()
    ):
        recorded[run_id] += marks
        attended[run_id] += came_to
        if came_to:
            places[run_id][enrolment_id] = (came_to, came_last > 0)
    return {
        run_id: RunCounts(held[run_id], recorded[run_id], attended[run_id], places[run_id])
        for run_id in run_ids
    }


def recount(run_ids: Iterable[int], models: RegisterModels = NOW) -> None:
    """Write these runs' counts, and their places', from their sessions and marks."""
    ids = sorted(set(run_ids))
    for start in range(0, len(ids), CHUNK):
        _write(counted(ids[start : start + CHUNK], models), models)


@transaction.atomic
def _write(found: dict[int, RunCounts], models: RegisterModels) -> None:
    models.run.objects.bulk_update(
        [
            models.run(pk=run_id, sessions_held=c[0], marks_recorded=c[1], marks_attended=c[2])
            for run_id, c in found.items()
        ],
        ["sessions_held", "marks_recorded", "marks_attended"],
    )
    models.enrolment.objects.bulk_update(
        [
            models.enrolment(pk=pk, sessions_attended=came, attended_last_held=came_last)
            for pk, _run_id, (came, came_last) in _places_out_of_step(found, models)
        ],
        ["sessions_attended", "attended_last_held"],
    )


def _places_out_of_step(
    found: dict[int, RunCounts], models: RegisterModels
) -> list[tuple[int, int, tuple[int, bool]]]:
    """(enrolment id, run id, counts now) for the places of these runs whose stored counts
    differ from `found`."""
    return [
        (pk, run_id, now)
        for pk, run_id, *stored in models.enrolment.objects.filter(run__in=list(found))
        .values_list("pk", "run_id", "sessions_attended", "attended_last_held")
        .order_by()
        if tuple(stored) != (now := found[run_id].places.get(pk, (0, False)))
    ]


def out_of_step(run_ids: Iterable[int] | None = None) -> list[int]:
    """The runs (all, or these) whose stored counts differ from their records."""
    runs = Run.objects.all() if run_ids is None else Run.objects.filter(pk__in=list(run_ids))
    stored = {
        pk: tuple(counts)
        for pk, *counts in runs.values_list(
            "pk", "sessions_held", "marks_recorded", "marks_attended"
        ).order_by()
    }
    found = counted(list(stored))
    late = {run_id for run_id, counts in stored.items() if counts != found[run_id][:3]}
    late.update(run_id for _pk, run_id, _now in _places_out_of_step(found, NOW))
    return sorted(late)


@contextmanager
def deferred() -> Iterator[None]:
    """Recount each run touched inside the block once, at its end, rather than at every
    session or mark saved (a register of a dozen marks, a demo of hundreds of runs)."""
    if _deferred.get() is not None:  # already inside one: the outer block recounts
        yield
        return
    runs: set[int] = set()
    token = _deferred.set(runs)
    try:
        yield
    finally:
        _deferred.reset(token)
    recount(runs)


def touched(run_id: int) -> None:
    waiting = _deferred.get()
    if waiting is None:
        recount([run_id])
    else:
        waiting.add(run_id)


def session_changed(sender: Any, instance: Session, **kwargs: Any) -> None:
    touched(instance.run_id)


def mark_changed(sender: Any, instance: Attendance, **kwargs: Any) -> None:
    run_id = Session.objects.filter(pk=instance.session_id).values_list("run_id", flat=True)
    found = run_id.first()
    if found is not None:  # the session itself is being deleted with it
        touched(found)
