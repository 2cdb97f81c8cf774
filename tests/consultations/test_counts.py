"""Consultations counted per team and month, the way later reports will count them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sapling.accounts.models import Team
from sapling.consultations.counts import ConsultationFact, MonthCounts, facts, monthly_counts
from sapling.consultations.models import Consultation
from tests.consultations.factories import ConsultationFactory, in_days

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 20, 12, tzinfo=LONDON)


def _at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=LONDON)


def test_each_consultation_counts_in_its_teams_month_with_its_outcome() -> None:
    rows = [
        ConsultationFact(1, _at(2, 3), "held", "avoided"),
        ConsultationFact(1, _at(2, 10), "held", "avoided"),
        ConsultationFact(1, _at(2, 17), "held", "made"),
        ConsultationFact(1, _at(2, 24), "not_held"),
        ConsultationFact(1, _at(3, 2), "held", "already"),
        ConsultationFact(1, _at(3, 19), "booked"),  # passed, nothing recorded yet
        ConsultationFact(1, _at(3, 27), "booked"),  # still to come
        ConsultationFact(2, _at(2, 3), "held", "made"),
    ]
    counts = monthly_counts(rows, now=NOW)
    assert list(counts) == [
        (1, dt.date(2026, 2, 1)),
        (1, dt.date(2026, 3, 1)),
        (2, dt.date(2026, 2, 1)),
    ]
    assert counts[(1, dt.date(2026, 2, 1))] == MonthCounts(
        booked=4, held=3, not_held=1, referral_avoided=2, referral_made=1
    )
    assert counts[(1, dt.date(2026, 3, 1))] == MonthCounts(
        booked=3, held=1, to_record=1, already_referred=1
    )
    assert counts[(2, dt.date(2026, 2, 1))] == MonthCounts(booked=1, held=1, referral_made=1)


def test_the_month_is_the_local_month_the_slot_starts_in() -> None:
    # 23:30 on 31 May in London is 22:30 UTC: still May, not June.
    late = dt.datetime(2026, 5, 31, 22, 30, tzinfo=dt.UTC)
    counts = monthly_counts([ConsultationFact(1, late, "booked")], now=NOW)
    assert list(counts) == [(1, dt.date(2026, 5, 1))]


def test_no_consultations_count_nothing() -> None:
    assert monthly_counts([], now=NOW) == {}


@pytest.mark.django_db
def test_facts_are_read_from_the_teams_consultations(team: Team, other_team: Team) -> None:
    ConsultationFactory.create(team=team, slot__starts_at=in_days(-2))
    ConsultationFactory.create(team=other_team)
    read = facts(Consultation.objects.for_team(team))
    assert [(f.team_id, f.status) for f in read] == [(team.pk, "booked")]
