from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sapling.accounts.models import Team
from sapling.waitlist.clock import start_of_week
from sapling.waitlist.snapshots import snapshot_all


class Command(BaseCommand):
    help = (
        "Store this week's waiting-list snapshot for every team: one row per tier, pathway "
        "and priority for the week starting on Monday (Europe/London date), with the open "
        "entries' counts by completed weeks waited. Idempotent within a week: running it "
        "again replaces that week's rows with today's counts and never adds duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            help="Take the snapshot as of this local date (YYYY-MM-DD); default today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["date"] or timezone.localdate()
        self.stdout.write(f"Snapshot for the week starting {start_of_week(today):%-d %B %Y}")
        total = snapshot_all(today, progress=self._progress)
        self.stdout.write(self.style.SUCCESS(f"{total} snapshot rows stored"))

    def _progress(self, done: int, total: int, team: Team, rows: int) -> None:
        self.stdout.write(f"{done}/{total} {team.name}: {rows} rows")
