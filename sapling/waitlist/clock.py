"""Waiting time: days from the clock's start to its stop (or today), in completed weeks.

The clock starts on the local (Europe/London) date the referral was received and is never
edited by hand: a recorded ClockAdjustment under the team's rules is the only way it moves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sapling.accounts.models import Team
from sapling.waitlist.models import ClockRules, WaitingWellSettings, WaitlistEntry


def days_waited(entry: WaitlistEntry, today: dt.date | None = None) -> int:
    end = entry.clock_stopped_on or entry.ended_on or today or timezone.localdate()
    return max((end - entry.clock_start).days, 0)


def weeks_waited(entry: WaitlistEntry, today: dt.date | None = None) -> int:
    """Completed weeks, as the national returns count them."""
    return days_waited(entry, today) // 7


def local_date(moment: dt.datetime) -> dt.date:
    """The Europe/London date of a moment: a request made at 00:30 BST on 26 October is
    received on the 26th, although it is still the 25th in UTC."""
    return timezone.localdate(moment)


def start_of_week(day: dt.date) -> dt.date:
    """The Monday of the week a (local) date falls in."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class ClockRule:
    """One of a team's rules for moving the clock, recorded by name on each adjustment."""

    key: str
    label: str | Promise
    explanation: str | Promise


# The clock restarts from the date of the event under every rule here; the rule's key is
# stored with the adjustment so a later reader knows which rule moved it, and why.
CLOCK_RULES: dict[str, list[ClockRule]] = {
    ClockRules.WALES: [
        ClockRule(
            "wales.could_not_attend",
            _("The family cancelled an appointment (could not attend)"),
            _("NHS Wales: the clock restarts from the date the family cancelled."),
        ),
        ClockRule(
            "wales.not_brought",
            _("The child was not brought to an appointment"),
            _("NHS Wales: the clock restarts from the date of the missed appointment."),
        ),
    ],
    ClockRules.ENGLAND: [
        ClockRule(
            "england.first_not_brought",
            _("The child was not brought to their first appointment"),
            _(
                "NHS England: the clock restarts from the date the family rebooks. "
                "Other cancellations by the family do not change the clock."
            ),
        ),
    ],
}


def clock_rules_for(team: Team) -> list[ClockRule]:
    return CLOCK_RULES[WaitingWellSettings.for_team(team).clock_rules]


def new_clock_start(rule: ClockRule, happened_on: dt.date) -> dt.date:
    """Every current rule restarts the clock on the day of the event."""
    return happened_on
