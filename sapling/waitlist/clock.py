"""Waiting time: days from the clock's start to its stop (or today), in completed weeks.

The clock starts on the local (Europe/London) date the referral was received and is never
edited by hand: a recorded ClockAdjustment under the team's rules is the only way it moves.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sapling.waitlist.models import WaitlistEntry


def days_waited(entry: WaitlistEntry, today: dt.date | None = None) -> int:
    end = entry.clock_stopped_on or entry.ended_on or today or timezone.localdate()
    return max((end - entry.clock_start).days, 0)


def weeks_waited(entry: WaitlistEntry, today: dt.date | None = None) -> int:
    """Completed weeks, as the national returns count them."""
    return days_waited(entry, today) // 7
