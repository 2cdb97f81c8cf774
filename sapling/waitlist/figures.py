"""The waiting list's headline figures: one GROUP BY query, folded by the metrics module.

The database counts entries per (tier, pathway, clock start date); Python turns each date
into days waited and hands the counts to sapling.reports.metrics. The number of distinct
dates is small (a few hundred at most), so this stays fast however long the list grows,
and needs no database-specific date arithmetic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max

from sapling.accounts.models import Team
from sapling.reports.metrics import Target, WaitFigures, figures_by, wait_figures
from sapling.triage.models import Tier
from sapling.waitlist.models import WaitlistEntry, WaitlistEntryQuerySet

TIER_ORDER = {value: index for index, value in enumerate(Tier.values)}


@dataclass(frozen=True)
class Headline:
    overall: WaitFigures
    by_tier: dict[str, WaitFigures]
    by_pathway: dict[str, WaitFigures]


def counts_by_start(entries: WaitlistEntryQuerySet) -> list[tuple[str, str, dt.date, int]]:
    """(tier, pathway name, clock start, n) for the open entries given: one query."""
    rows = (
        entries.order_by()
        .values_list("tier", "pathway__name", "clock_start")
        .annotate(n=Count("pk"))
    )
    return [(tier, pathway or "", start, n) for tier, pathway, start, n in rows]


def headline(entries: WaitlistEntryQuerySet, *, team: Team, today: dt.date) -> Headline:
    # Days waited worked out once per row, then folded three ways.
    rows = [
        (tier, pathway, (today - start).days, n)
        for tier, pathway, start, n in counts_by_start(entries)
    ]
    target = Target(weeks=team.target_weeks, share=team.target_share)
    overall: Counter[int] = Counter()
    for _tier, _pathway, days, n in rows:
        overall[days] += n
    tier_rows = [(tier, days, n) for tier, _p, days, n in rows]
    pathway_rows = [(pathway, days, n) for _t, pathway, days, n in rows]
    return Headline(
        overall=wait_figures(overall, target=target),
        by_tier=figures_by(
            tier_rows, sort_key=lambda tier: TIER_ORDER.get(tier, 99), target=target
        ),
        by_pathway=figures_by(
            pathway_rows, sort_key=lambda name: (name == "", name), target=target
        ),
    )


def cached_headline(
    entries: WaitlistEntryQuerySet, *, team: Team, today: dt.date, filters: str
) -> Headline:
    """The headline for these filters, worked out again only when the list has changed.

    The key holds the team's list version: the number of entries and the latest change
    (every lifecycle move saves the entry, so its updated_at moves), plus the day, the
    target and the filters. Nothing is deleted from the list, so any change shows.
    """
    version = WaitlistEntry.objects.filter(team=team).aggregate(n=Count("pk"), at=Max("updated_at"))
    parts = (team.pk, today, team.target_weeks, team.target_share, version["n"], version["at"])
    identity = "|".join(str(part) for part in parts) + "|" + filters
    key = "waitlist-headline:" + hashlib.sha256(identity.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = headline(entries, team=team, today=today)
        cache.set(key, found, timeout=24 * 3600)
    return found
