"""The GAS T-score against worked examples, and each shipped instrument's scores."""

from __future__ import annotations

import math

import pytest

from sapling.outcomes.instruments import (
    FAMILY_CONFIDENCE,
    FRIENDS_AND_FAMILY_TEST,
    SESSION_FEEDBACK,
    shipped,
)
from sapling.outcomes.scoring import gas_t_score, positive_share, score_answers


# Worked by hand from Kiresuk and Sherman's formula,
#   T = 50 + 10 * sum(w*x) / sqrt((1 - rho) * sum(w^2) + rho * (sum w)^2), rho = 0.3:
@pytest.mark.parametrize(
    ("attainments", "weights", "expected"),
    [
        # Every goal at the expected level: 50, whatever the weights.
        ([0], None, 50.0),
        ([0, 0, 0, 0], None, 50.0),
        ([0, 0, 0], [3, 1, 2], 50.0),
        # One goal, one level above: 50 + 10 * 1 / sqrt(0.7 + 0.3) = 60.
        ([1], None, 60.0),
        # Two goals at +1: 50 + 20 / sqrt(0.7 * 2 + 0.3 * 4) = 50 + 20 / sqrt(2.6).
        ([1, 1], None, 50 + 20 / math.sqrt(2.6)),
        # Three goals at -1 (a typical baseline): 50 - 30 / sqrt(2.1 + 2.7) = 36.31.
        ([-1, -1, -1], None, 50 - 30 / math.sqrt(4.8)),
        # Weighted: +2 weighted 2 and -1 weighted 1: sum(wx) = 3, sum(w^2) = 5, sum(w) = 3,
        # so 50 + 30 / sqrt(0.7 * 5 + 0.3 * 9) = 50 + 30 / sqrt(6.2) = 62.05.
        ([2, -1], [2, 1], 50 + 30 / math.sqrt(6.2)),
        # Five goals all at +2 / -2: 50 +/- 100 / sqrt(3.5 + 7.5) = 80.15 / 19.85.
        ([2] * 5, None, 50 + 100 / math.sqrt(11)),
        ([-2] * 5, None, 50 - 100 / math.sqrt(11)),
    ],
)
def test_gas_t_score_matches_worked_examples(
    attainments: list[int], weights: list[float] | None, expected: float
) -> None:
    assert gas_t_score(attainments, weights) == pytest.approx(expected, abs=1e-9)


def test_gas_weights_of_one_are_the_unweighted_score() -> None:
    assert gas_t_score([2, -1, 1], [1, 1, 1]) == gas_t_score([2, -1, 1])


def test_gas_rho_changes_the_spread() -> None:
    # With rho = 0 the goals are independent: 50 + 20 / sqrt(2).
    assert gas_t_score([1, 1], rho=0) == pytest.approx(50 + 20 / math.sqrt(2))
    assert gas_t_score([1, 1], rho=0) > gas_t_score([1, 1])


@pytest.mark.parametrize(
    ("attainments", "weights"),
    [([], None), ([3], None), ([1, 0], [1]), ([1], [0]), ([1], [-2])],
)
def test_gas_refuses_impossible_input(attainments: list[int], weights: list[float] | None) -> None:
    with pytest.raises(ValueError):
        gas_t_score(attainments, weights)


def test_family_confidence_scores_and_share_extremely_or_somewhat() -> None:
    scoring = shipped()[FAMILY_CONFIDENCE].scoring
    assert score_answers(scoring, {"confidence": "extremely"}) == {"confidence": 5}
    assert score_answers(scoring, {"confidence": "not-at-all"}) == {"confidence": 1}
    answers = [{"confidence": c} for c in ("extremely", "somewhat", "neither", "not-very")]
    share = positive_share(scoring, answers)
    assert (share.positive, share.total, share.percent) == (2, 4, 50)


def test_friends_and_family_test_percent_positive_counts_dont_know_in_the_total() -> None:
    scoring = shipped()[FRIENDS_AND_FAMILY_TEST].scoring
    assert score_answers(scoring, {"experience": "1"}) == {"experience": 5}
    # "Don't know" has no score, but is an answer.
    assert score_answers(scoring, {"experience": "6"}) == {"experience": None}
    answers = [{"experience": c} for c in ("1", "2", "2", "3", "6")] + [{}]
    share = positive_share(scoring, answers)
    assert (share.positive, share.total, share.percent) == (3, 5, 60)


def test_session_feedback_is_the_rating() -> None:
    scoring = shipped()[SESSION_FEEDBACK].scoring
    assert score_answers(scoring, {"rating": "4", "comment": "Good"}) == {"rating": 4}
    assert positive_share(scoring, [{"rating": "5"}, {"rating": "2"}]).percent == 50


def test_no_answers_give_no_percentage() -> None:
    assert positive_share(shipped()[FAMILY_CONFIDENCE].scoring, []).percent is None


def test_sum_and_mean_scores_need_every_item() -> None:
    from sapling.outcomes.scoring import score

    rule = {"key": "t", "label": "T", "method": "sum", "items": ["a", "b"]}
    assert score(rule, {"a": 2, "b": 3}) == 5
    assert score({**rule, "method": "mean"}, {"a": 2, "b": 3}) == 2.5
    assert score(rule, {"a": 2}) is None
