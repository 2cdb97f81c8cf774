"""Capacity from staff in post and group runs, in children started a week."""

from __future__ import annotations

import pytest

from sapling.planning.capacity import clinician_capacity, group_capacity


def test_clinician_capacity_counts_episodes_started_a_week() -> None:
    # 5 WTE x 37.5 h x 0.7 clinical x 0.88 after leave = 115.5 h; episodes of 6 x 1.5 h.
    assert clinician_capacity(5) == pytest.approx(115.5 / 9)


def test_half_a_clinician_adds_a_tenth_to_a_five_wte_team() -> None:
    assert clinician_capacity(5.5) / clinician_capacity(5) == pytest.approx(1.1)


def test_group_capacity_spreads_places_over_the_term() -> None:
    assert group_capacity(2, 8, fill=1.0, term_weeks=13) == pytest.approx(16 / 13)
    assert group_capacity(3, 8) == pytest.approx(3 * 8 * 0.85 / 13)


def test_impossible_episodes_and_terms_are_refused() -> None:
    with pytest.raises(ValueError, match="episode"):
        clinician_capacity(5, contacts_per_episode=0)
    with pytest.raises(ValueError, match="term"):
        group_capacity(1, 8, term_weeks=0)
