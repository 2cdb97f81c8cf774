"""Consultations counted per team and month: a pure function, so every report agrees.

A consultation counts in the month (Europe/London) its slot starts. `booked` is every
booking; `held` and `not_held` are what the OT recorded, and `to_record` the bookings
whose slot has passed with nothing recorded yet. The referral counts are over held
consultations only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from sapling.consultations.models import ConsultationQuerySet, ConsultationStatus, ReferralOutcome


@dataclass(frozen=True)
class ConsultationFact:
    """What counting needs to know about one consultation."""

    team_id: int
    starts_at: dt.datetime
    status: str
    referral: str = ""


@dataclass
class MonthCounts:
    booked: int = 0
    held: int = 0
    not_held: int = 0
    to_record: int = 0
    referral_avoided: int = 0
    referral_made: int = 0
    already_referred: int = 0


_REFERRAL_FIELD = {
    ReferralOutcome.AVOIDED: "referral_avoided",
    ReferralOutcome.MADE: "referral_made",
    ReferralOutcome.ALREADY: "already_referred",
}


def month_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def monthly_counts(
    facts: Iterable[ConsultationFact], *, now: dt.datetime
) -> dict[tuple[int, dt.date], MonthCounts]:
    """Counts keyed by (team id, first day of the month), in date order within a team."""
    counts: dict[tuple[int, dt.date], MonthCounts] = {}
    for fact in facts:
        month = counts.setdefault((fact.team_id, month_of(fact.starts_at)), MonthCounts())
        month.booked += 1
        if fact.status == ConsultationStatus.HELD:
            month.held += 1
            if fact.referral in _REFERRAL_FIELD:
                name = _REFERRAL_FIELD[ReferralOutcome(fact.referral)]
                setattr(month, name, getattr(month, name) + 1)
        elif fact.status == ConsultationStatus.NOT_HELD:
            month.not_held += 1
        elif fact.starts_at <= now:
            month.to_record += 1
    return dict(sorted(counts.items()))


def facts(consultations: ConsultationQuerySet) -> list[ConsultationFact]:
    """The facts of these consultations, read in one query."""
    return [
        ConsultationFact(team_id, starts_at, status, referral)
        for team_id, starts_at, status, referral in consultations.values_list(
            "team_id", "slot__starts_at", "status", "referral"
        )
    ]
