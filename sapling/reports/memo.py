"""Figures worked out once per page: several sections ask for the same figure over the same
period (before/after measures each comparable for two windows; roi reuses the groups'
figures), and each answer is a query over a large team's records.

`remembering()` opens a scope (sections.all_sections opens one per page); inside it, a
function decorated with `@memoised` returns its first answer for the same arguments.
Outside a scope it simply runs, so nothing is ever kept between requests or tests. The
arguments must be hashable and name the whole question (a Team compares by its id, Filters
by every field), and callers must not change what they are given back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_remembered: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar(
    "sapling_report_figures", default=None
)


@contextmanager
def remembering() -> Iterator[None]:
    """Within this block, memoised figures are worked out once. A nested block shares the
    outer one's answers."""
    if _remembered.get() is not None:
        yield
        return
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def memoised(function: Callable[P, R]) -> Callable[P, R]:
    @wraps(function)
    def remembered(*args: P.args, **kwargs: P.kwargs) -> R:
        answers = _remembered.get()
        if answers is None:
            return function(*args, **kwargs)
        key = (function.__module__, function.__qualname__, args, tuple(sorted(kwargs.items())))
        if key not in answers:
            answers[key] = function(*args, **kwargs)
        return answers[key]

    return remembered
