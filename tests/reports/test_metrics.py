"""Headline waiting-time figures on hand-made counts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sapling.reports.metrics import (
    Target,
    completed_weeks,
    figures_by,
    is_near_target,
    is_over_target,
    nearest_rank,
    snapshot_weeks,
    wait_figures,
    weeks_figures,
    weeks_histogram,
)

WALES = Target(weeks=14, share=Decimal("1"))
ENGLAND = Target(weeks=18, share=Decimal("0.92"))


def _days(*weeks: int) -> dict[int, int]:
    """One child per listed week, each on the first day of that week."""
    counts: dict[int, int] = {}
    for w in weeks:
        counts[w * 7] = counts.get(w * 7, 0) + 1
    return counts


@pytest.mark.parametrize(
    ("days", "weeks"), [(0, 0), (6, 0), (7, 1), (13, 1), (14, 2), (97, 13), (98, 14), (-3, 0)]
)
def test_weeks_are_completed_weeks(days: int, weeks: int) -> None:
    assert completed_weeks(days) == weeks


def test_days_fold_into_completed_weeks() -> None:
    assert weeks_histogram({0: 1, 6: 2, 7: 3, 13: 1, 20: 0}) == {0: 3, 1: 4}


def test_a_snapshot_counts_in_completed_weeks_as_the_days_would() -> None:
    counts = {"0": 2, "3": 0, "5": 1}

    assert snapshot_weeks(counts) == {0: 2, 5: 1}
    assert snapshot_weeks(counts) == weeks_histogram({0: 2, 21: 0, 35: 1})


def test_figures_from_weeks_are_the_figures_from_days() -> None:
    days = _days(1, 2, 3, 5, 8, 13, 14, 20)

    assert weeks_figures(weeks_histogram(days), target=WALES) == wait_figures(days, target=WALES)


def test_nearest_rank_takes_the_value_at_the_ceiling_position() -> None:
    ten = dict.fromkeys(range(1, 11), 1)  # 1..10, one each
    assert nearest_rank(ten, 50) == 5  # position ceil(5.0) = 5
    assert nearest_rank(ten, 92) == 10  # position ceil(9.2) = 10
    assert nearest_rank(ten, 90) == 9  # position 9 exactly: no rounding up
    assert nearest_rank(ten, 0) == 1
    assert nearest_rank(ten, 100) == 10


def test_nearest_rank_is_exact_where_floating_point_is_not() -> None:
    # 0.92 * 25 is 23.000000000000004 in floating point; the rank must be 23, not 24.
    values = dict.fromkeys(range(1, 26), 1)
    assert nearest_rank(values, 92) == 23


def test_the_median_of_an_even_list_is_the_lower_middle_value() -> None:
    assert nearest_rank({2: 1, 4: 1, 6: 1, 8: 1}, 50) == 4


def test_nearest_rank_reads_counts() -> None:
    # 3 at 0 weeks, 5 at 3 weeks, 2 at 20 weeks: positions 1-3, 4-8, 9-10.
    counts = {0: 3, 3: 5, 20: 2}
    assert nearest_rank(counts, 50) == 3
    assert nearest_rank(counts, 80) == 3
    assert nearest_rank(counts, 81) == 20


def test_nearest_rank_of_nothing_is_none() -> None:
    assert nearest_rank({}, 50) is None
    assert nearest_rank({4: 0}, 50) is None


def test_percentiles_outside_0_to_100_are_refused() -> None:
    with pytest.raises(ValueError):
        nearest_rank({1: 1}, 101)


def test_headline_figures_on_a_small_list() -> None:
    figures = wait_figures(_days(1, 2, 3, 5, 8, 13, 14, 20), target=WALES)
    assert figures.waiting == 8
    assert figures.median_weeks == 5  # position 4 of 8
    assert figures.p92_weeks == 20  # position ceil(7.36) = 8
    assert figures.longest_weeks == 20
    assert figures.within_target == 6  # 13 weeks is within 14; 14 completed weeks is not
    assert figures.over_target == 2
    assert figures.percent_within_target == Decimal("75.0")
    assert figures.meets_target is False


def test_an_empty_list_has_no_percentiles_and_no_share() -> None:
    figures = wait_figures({}, target=WALES)
    assert figures.waiting == 0
    assert figures.median_weeks is None
    assert figures.p92_weeks is None
    assert figures.longest_weeks is None
    assert figures.share_within_target is None
    assert figures.meets_target is None


def test_everyone_over_target() -> None:
    figures = wait_figures(_days(30, 31, 45), target=WALES)
    assert figures.within_target == 0
    assert figures.percent_within_target == Decimal("0.0")
    assert figures.meets_target is False


def test_the_day_before_the_target_is_within_it_and_the_target_day_is_not() -> None:
    figures = wait_figures({97: 1, 98: 1}, target=WALES)
    assert figures.within_target == 1


def test_england_meets_its_target_at_92_percent_within_18_weeks() -> None:
    # 23 of 25 within 18 weeks = 92%.
    counts = {17 * 7: 23, 18 * 7: 2}
    assert wait_figures(counts, target=ENGLAND).meets_target is True
    counts = {17 * 7: 22, 18 * 7: 3}
    assert wait_figures(counts, target=ENGLAND).meets_target is False


def test_wales_needs_everyone_within_14_weeks() -> None:
    assert wait_figures(_days(1, 13), target=WALES).meets_target is True
    assert wait_figures(_days(1, 13, 14), target=WALES).meets_target is False


def test_figures_by_group_add_rows_that_share_a_key() -> None:
    rows = [("targeted", 7, 2), ("specialist", 70, 1), ("targeted", 7, 1), ("targeted", 140, 1)]
    by_tier = figures_by(rows, sort_key=str, target=WALES)
    assert list(by_tier) == ["specialist", "targeted"]
    assert by_tier["targeted"].waiting == 4
    assert by_tier["targeted"].median_weeks == 1
    assert by_tier["targeted"].within_target == 3
    assert by_tier["specialist"].median_weeks == 10


@pytest.mark.parametrize(
    ("weeks", "near", "over"),
    [(11, False, False), (12, True, False), (13, True, False), (14, False, True)],
)
def test_the_warning_starts_two_weeks_before_the_target(weeks: int, near: bool, over: bool) -> None:
    assert is_near_target(weeks, 14) is near
    assert is_over_target(weeks, 14) is over
