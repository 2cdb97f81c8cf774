"""Weekly snapshots: the list as it stood, so trends survive later changes to entries.

Rule: one row per team, tier, pathway and priority for the week starting on the Monday
of today's local (Europe/London) date, holding the open entries' counts by completed
weeks waited on that day. Taking it again in the same week replaces that week's rows
(update_or_create), so running it daily keeps the latest count and never duplicates;
groups that emptied since the last run this week are removed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from django.db import transaction
from django.db.models import Count

from sapling.accounts.models import Team
from sapling.reports.metrics import completed_weeks
from sapling.triage.models import Pathway
from sapling.waitlist.clock import start_of_week
from sapling.waitlist.models import Snapshot, WaitlistEntry

GroupKey = tuple[str, int | None, str]


def counts_for(team: Team, today: dt.date) -> dict[GroupKey, dict[str, int]]:
    """{(tier, pathway id, priority): {"weeks": n}} for the team's open entries: one query."""
    rows = (
        WaitlistEntry.objects.for_team(team)
        .open()
        .order_by()
        .values_list("tier", "pathway_id", "priority", "clock_start")
        .annotate(n=Count("pk"))
    )
    grouped: dict[GroupKey, Counter[int]] = {}
    for tier, pathway_id, priority, start, n in rows:
        weeks = completed_weeks((today - start).days)
        grouped.setdefault((tier, pathway_id, priority), Counter())[weeks] += n
    return {
        key: {str(w): n for w, n in sorted(counter.items())} for key, counter in grouped.items()
    }


@transaction.atomic
def take_snapshot(team: Team, today: dt.date) -> int:
    """Store this week's rows for one team; returns how many groups it holds."""
    week = start_of_week(today)
    counts = counts_for(team, today)
    kept = []
    for (tier, pathway_id, priority), by_week in counts.items():
        row, _created = Snapshot.objects.update_or_create(
            team=team,
            week_starting=week,
            tier=tier,
            pathway=Pathway(pk=pathway_id) if pathway_id is not None else None,
            priority=priority,
            defaults={"counts_by_week": by_week},
        )
        kept.append(row.pk)
    Snapshot.objects.filter(team=team, week_starting=week).exclude(pk__in=kept).delete()
    return len(kept)


def snapshot_all(
    today: dt.date, progress: Callable[[int, int, Team, int], None] | None = None
) -> int:
    teams = list(Team.objects.order_by("name"))
    total = 0
    for done, team in enumerate(teams, start=1):
        rows = take_snapshot(team, today)
        total += rows
        if progress:
            progress(done, len(teams), team, rows)
    return total
