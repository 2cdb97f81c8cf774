"""The order children are seen in: plain or need-adjusted, as the team's triage settings say.

- plain: priority (urgent, soon, routine), then longest wait (earliest clock start), then
  the entry's id so that ties always fall the same way;
- need-adjusted: priority, then need score (highest first), then longest wait, then id.

Equity factors add to the need score only, so they reorder children within a priority
class and never move a child across classes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import F, IntegerField, OrderBy, Value, Window
from django.db.models.functions import RowNumber

from sapling.accounts.models import Team
from sapling.triage.models import LiveOrder
from sapling.triage.settings_store import live_order_for
from sapling.waitlist.models import WaitlistEntry, WaitlistEntryQuerySet

ORDERINGS: dict[str, tuple[str, ...]] = {
    LiveOrder.PLAIN: ("priority_rank", "clock_start", "pk"),
    LiveOrder.NEED_ADJUSTED: ("priority_rank", "-need_score", "clock_start", "pk"),
}


def live_order(team: Team) -> str:
    """The order the team has made live; plain until the team chooses otherwise."""
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


def with_positions(
    entries: WaitlistEntryQuerySet, order: str, *, with_other: bool = True
) -> WaitlistEntryQuerySet:
    """Entries in `order`, each annotated with its place in both orders.

    `position` is the place in `order` and `other_position` the place in the other one,
    both counted over the whole (filtered) list by window functions in the same query, so a
    page of 50 still knows where each child stands among thousands.
    """
    other = (
        Window(RowNumber(), order_by=_expressions(other_order(order)))
        if with_other
        else Value(None, output_field=IntegerField())
    )
    return in_order(
        entries.annotate(
            position=Window(RowNumber(), order_by=_expressions(order)), other_position=other
        ),
        order,
    )


def page_with_positions(
    entries: WaitlistEntryQuerySet,
    order: str,
    *,
    number: str | int | None,
    size: int,
    detail: Callable[[WaitlistEntryQuerySet], WaitlistEntryQuerySet],
    with_other: bool = True,
) -> tuple[Page, list[WaitlistEntry]]:
    """One page of `entries` in `order`, each entry with its place in both orders.

    The window functions rank only the columns the orders need, then the page's entries
    are fetched whole through `detail` (related rows, annotations): ranking whole rows
    made PostgreSQL sort megabytes for a long list.
    """
    ranked = with_positions(entries, order, with_other=with_other).values_list(  # type: ignore[misc]
        "pk", "position", "other_position"
    )
    page = Paginator(ranked, size).get_page(number)
    places = {pk: (position, other) for pk, position, other in page.object_list}
    found = {entry.pk: entry for entry in detail(entries.filter(pk__in=list(places)))}
    listed = []
    for pk, (position, other) in places.items():
        entry = found[pk]
        entry.position, entry.other_position = position, other  # type: ignore[attr-defined]
        listed.append(entry)
    return page, listed
