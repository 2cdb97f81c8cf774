"""The order children are seen in: plain or need-adjusted, as the team's triage settings say.

- plain: priority (urgent, soon, routine), then longest wait (earliest clock start), then
  the entry's id so that ties always fall the same way;
- need-adjusted: priority, then need score (highest first), then longest wait, then id.

Equity factors add to the need score only, so they reorder children within a priority
class and never move a child across classes.
"""

from __future__ import annotations

from django.db.models import F, OrderBy, Window
from django.db.models.functions import RowNumber

from sapling.accounts.models import Team
from sapling.triage.models import LiveOrder, TriageSettings
from sapling.waitlist.models import WaitlistEntryQuerySet

ORDERINGS: dict[str, tuple[str, ...]] = {
    LiveOrder.PLAIN: ("priority_rank", "clock_start", "pk"),
    LiveOrder.NEED_ADJUSTED: ("priority_rank", "-need_score", "clock_start", "pk"),
}


def live_order(team: Team) -> str:
    """The order the team has made live; plain until the team chooses otherwise."""
    try:
        from sapling.triage.settings_store import live_order_for
    except ImportError:  # the triage settings page may not be installed yet
        stored = TriageSettings.objects.filter(team=team).values_list("live_order", flat=True)
        return stored.first() or LiveOrder.PLAIN
    return str(live_order_for(team))


def other_order(order: str) -> str:
    return LiveOrder.NEED_ADJUSTED if order == LiveOrder.PLAIN else LiveOrder.PLAIN


def _expressions(order: str) -> list[OrderBy]:
    return [
        F(name[1:]).desc() if name.startswith("-") else F(name).asc()
        for name in ORDERINGS[LiveOrder(order)]
    ]


def in_order(entries: WaitlistEntryQuerySet, order: str) -> WaitlistEntryQuerySet:
    """The entries in the given order."""
    return entries.order_by(*ORDERINGS[LiveOrder(order)])


def with_positions(entries: WaitlistEntryQuerySet, order: str) -> WaitlistEntryQuerySet:
    """Entries in `order`, each annotated with its place in both orders.

    `position` is the place in `order` and `other_position` the place in the other one,
    both counted over the whole (filtered) list by window functions in the same query, so a
    page of 50 still knows where each child stands among thousands.
    """
    return in_order(
        entries.annotate(
            position=Window(RowNumber(), order_by=_expressions(order)),
            other_position=Window(RowNumber(), order_by=_expressions(other_order(order))),
        ),
        order,
    )
