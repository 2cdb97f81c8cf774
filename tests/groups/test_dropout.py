"""Dropout and completion on hand-made attendance patterns (docs/metrics.md, "Dropout")."""

from __future__ import annotations

import pytest

from sapling.groups.attendance import Pattern, completed, dropped_out

A, P, D, N = "attended", "apologies", "did_not_attend", ""


@pytest.mark.parametrize(
    ("marks", "withdrew", "expected"),
    [
        ([A, A, A, A], False, False),  # came to everything
        ([A, D, D, D], False, True),  # came once, then missed the rest
        ([A, A, P, P], False, True),  # apologies count as missed
        ([A, P, D, N], False, True),  # no mark counts as missed
        ([A, D, A, D], False, True),  # missed every session after the last one attended
        ([A, D, D, A], False, False),  # came back for the last session
        ([D, D, A, A], False, False),  # a late start is not a dropout
        ([D, D, D, D], False, False),  # never started: not a dropout
        ([P, P, P, P], True, False),  # withdrew before ever attending: not a dropout
        ([A, N, N, N], True, True),  # attended, then withdrew
        ([A, A, A, A], True, True),  # withdrew even after attending all held so far
        ([A], False, False),  # a one-session run attended
        ([], False, False),  # no sessions held
    ],
)
def test_dropout_follows_the_one_definition(
    marks: list[str], withdrew: bool, expected: bool
) -> None:
    assert dropped_out(Pattern(marks=marks, withdrew=withdrew)) is expected


@pytest.mark.parametrize(
    ("marks", "withdrew", "expected"),
    [
        ([A, A, A], False, True),
        ([D, P, A], False, True),  # at the last session
        ([A, A, D], False, False),
        ([A, A, A], True, False),
        ([], False, False),
    ],
)
def test_completion_means_at_the_last_session_and_still_enrolled(
    marks: list[str], withdrew: bool, expected: bool
) -> None:
    assert completed(Pattern(marks=marks, withdrew=withdrew)) is expected


def test_nobody_both_completes_and_drops_out() -> None:
    import itertools

    for length in range(1, 5):
        for marks in itertools.product([A, P, D, N], repeat=length):
            for withdrew in (False, True):
                pattern = Pattern(marks=list(marks), withdrew=withdrew)
                assert not (completed(pattern) and dropped_out(pattern))
