"""What a report is about: its period, the dashboard's filters, and financial quarters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sapling.accounts.models import Team


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters. Dates are local dates, both ends included; None is "all"."""

    date_from: dt.date
    date_to: dt.date
    locality_id: int | None = None
    tier: str | None = None  # a sapling.triage.models.Tier value
    programme_id: int | None = None

    @classmethod
    def last_twelve_months(cls, today: dt.date) -> Filters:
        return cls(date_from=_add_months(today, -12) + dt.timedelta(days=1), date_to=today)

    def with_period(self, date_from: dt.date, date_to: dt.date) -> Filters:
        return Filters(date_from, date_to, self.locality_id, self.tier, self.programme_id)


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


_QUARTER_SLUG = re.compile(r"^(\d{4})-q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    """An NHS financial-year quarter: Q1 is April to June; `year` is the year it starts in
    (2026-27 Q3 is October to December 2026). Slug "2026-q3"."""

    year: int
    number: int

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        months_since_april = (day.month - 4) % 12
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year, months_since_april // 3 + 1)

    @classmethod
    def last_complete(cls, today: dt.date) -> Quarter:
        return cls.containing(today).previous()

    @classmethod
    def from_slug(cls, slug: str) -> Quarter:
        match = _QUARTER_SLUG.match(slug.strip().lower())
        if not match:
            raise ValueError(f"{slug!r} is not a quarter like 2026-q3")
        return cls(int(match[1]), int(match[2]))

    @property
    def slug(self) -> str:
        return f"{self.year}-q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d} Q{self.number}"

    @property
    def start(self) -> dt.date:
        month_index = 3 + (self.number - 1) * 3  # April is month index 3
        return dt.date(self.year + month_index // 12, month_index % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        """The quarter's last day."""
        return self.next().start - dt.timedelta(days=1)

    def previous(self) -> Quarter:
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)

    def next(self) -> Quarter:
        return Quarter(self.year, self.number + 1) if self.number < 4 else Quarter(self.year + 1, 1)


@dataclass(frozen=True)
class PeriodFigure:
    """One figure over a period: its value (None when there is nothing to measure) and the
    number of children, referrals or people it is over, shown beside it."""

    value: Decimal | None
    size: int


@dataclass(frozen=True)
class Comparable:
    """A figure that can be compared before and after a service change date."""

    slug: str
    label: str
    unit: str  # "referrals a month", "weeks", "%", ...
    measure: Callable[[Team, Filters], PeriodFigure]
