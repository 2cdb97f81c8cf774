"""Waiting-time figures as pure functions over counts, so the database does the counting.

Every function here takes counts that a single SQL GROUP BY produced (how many children
have waited each number of days) and returns figures; none of them reads the database.
That keeps percentiles exact on SQLite and PostgreSQL alike, with no database-specific
percentile function, and keeps the arithmetic testable on hand-made data.

Definitions (docs/metrics.md says why, and how they compare with the national returns):

- Days waited: from the local date the clock started to today (or to the clock stop).
- Weeks waited: completed weeks, days // 7 (a child on day 13 has waited 1 week).
- Percentile p: nearest rank on the list of weeks waited sorted ascending: the value at
  position ceil(p/100 x N), counting from 1. The median is the 50th percentile, so with an
  even number of children it is the lower of the two middle values, and always a whole
  number of completed weeks that some child actually has.
- Within target: fewer completed weeks than the target (0 to 7 x target - 1 days).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)

# The warning on the list: within this many weeks of the target, or over it.
NEAR_TARGET_WEEKS = 2


def completed_weeks(days: int) -> int:
    """Whole weeks waited, as the national returns count them; never negative."""
    return max(days, 0) // 7


def weeks_histogram(days_counts: Mapping[int, int]) -> dict[int, int]:
    """{completed weeks: children} from {days waited: children}."""
    weeks: Counter[int] = Counter()
    for days, n in days_counts.items():
        if n:
            weeks[completed_weeks(days)] += n
    return dict(sorted(weeks.items()))


def nearest_rank(counts: Mapping[int, int], percent: float) -> int | None:
    """The nearest-rank percentile of values given as {value: how many}; None if empty.

    Position ceil(percent/100 x N) of the ascending list, counting from 1 (position 1 for
    percent 0). Works on counts so it never needs the list itself.
    """
    if not 0 <= percent <= 100:
        raise ValueError("a percentile is between 0 and 100")
    total = sum(counts.values())
    if total == 0:
        return None
    # Decimal avoids 0.92 * 25 = 23.000000000000004 rounding up to position 24.
    rank = max(1, math.ceil(Decimal(str(percent)) * total / 100))
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable: rank never exceeds the total")


def is_near_target(weeks: int, target_weeks: int) -> bool:
    """Within NEAR_TARGET_WEEKS of the target but not yet over it."""
    return target_weeks - NEAR_TARGET_WEEKS <= weeks < target_weeks


def is_over_target(weeks: int, target_weeks: int) -> bool:
    return weeks >= target_weeks


@dataclass(frozen=True)
class Target:
    """A team's waiting-time target: `share` (0.5 to 1) seen within `weeks` weeks."""

    weeks: int
    share: Decimal


@dataclass(frozen=True)
class WaitFigures:
    """The headline figures for one group of children waiting."""

    waiting: int
    median_weeks: int | None
    p92_weeks: int | None
    longest_weeks: int | None
    within_target: int
    target_weeks: int
    target_share: Decimal

    @property
    def share_within_target(self) -> Decimal | None:
        """Share of the children waiting who are within the target, 0 to 1; None if none."""
        if self.waiting == 0:
            return None
        return Decimal(self.within_target) / Decimal(self.waiting)

    @property
    def percent_within_target(self) -> Decimal | None:
        share = self.share_within_target
        if share is None:
            return None
        return (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def meets_target(self) -> bool | None:
        """Whether at least the target share is within the target weeks; None if empty."""
        share = self.share_within_target
        return None if share is None else share >= self.target_share

    @property
    def over_target(self) -> int:
        return self.waiting - self.within_target


def wait_figures(days_counts: Mapping[int, int], *, target: Target) -> WaitFigures:
    """Number waiting, median, 92nd percentile and share within target, from day counts."""
    return weeks_figures(weeks_histogram(days_counts), target=target)


def weeks_figures(weeks: Mapping[int, int], *, target: Target) -> WaitFigures:
    """The same figures from {completed weeks: children} as weeks_histogram gives (no week
    with 0 children), for counts already in weeks."""
    waiting = sum(weeks.values())
    within = sum(n for w, n in weeks.items() if w < target.weeks)
    return WaitFigures(
        waiting=waiting,
        median_weeks=nearest_rank(weeks, 50),
        p92_weeks=nearest_rank(weeks, 92),
        longest_weeks=max(weeks) if weeks else None,
        within_target=within,
        target_weeks=target.weeks,
        target_share=Decimal(target.share),
    )


def group_days_counts(
    rows: Iterable[tuple[K, int, int]],
) -> dict[K, Counter[int]]:
    """{group: {days: n}} from (group, days, n) rows, adding rows that share a key."""
    grouped: defaultdict[K, Counter[int]] = defaultdict(Counter)
    for key, days, n in rows:
        grouped[key][days] += n
    return dict(grouped)


def figures_by(
    rows: Iterable[tuple[K, int, int]],
    *,
    target: Target,
    sort_key: Callable[[K], Any] | None = None,
) -> dict[K, WaitFigures]:
    """Headline figures per group from (group, days waited, n) rows."""
    grouped = group_days_counts(rows)
    keys = sorted(grouped, key=sort_key) if sort_key else list(grouped)
    return {key: wait_figures(grouped[key], target=target) for key in keys}


def percent(part: int, whole: int) -> Decimal | None:
    """part ÷ whole as a percentage to one decimal place; no figure when whole is 0."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def waited_at_least(days_counts: Mapping[int, int], weeks: int) -> int:
    """Children who have waited `weeks` completed weeks or more."""
    return sum(n for days, n in days_counts.items() if completed_weeks(days) >= weeks)


def snapshot_weeks(counts_by_week: Mapping[str, int]) -> Counter[int]:
    """A snapshot's {"weeks": n} as {completed weeks: n}, as weeks_histogram counts the same
    children from their days (no week with 0 children, none below 0)."""
    weeks: Counter[int] = Counter()
    for week, n in counts_by_week.items():
        if n:
            weeks[max(int(week), 0)] += n
    return weeks


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_in(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    """The first day of every month the period touches, in order, so that a month with
    nothing in it is still shown (as 0) rather than missing."""
    months = []
    month = month_start(date_from)
    while month <= date_to:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def length_in_months(date_from: dt.date, date_to: dt.date) -> Decimal:
    """A period's length in months of average length (days ÷ 30.4375), both ends included,
    so that periods of unequal calendar months compare fairly."""
    days = (date_to - date_from).days + 1
    return Decimal(days) * 12 / Decimal("365.25")
