from __future__ import annotations

import argparse
import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import ProtectedError, RestrictedError

from sapling.demo import service
from sapling.demo.places import TEAM_NAME
from sapling.demo.staff import login_lines


def positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


class Command(BaseCommand):
    help = (
        f"Build the synthetic demo service '{TEAM_NAME}': 3 localities, 60 schools and "
        "settings, GP practices in 4 clusters, 12 staff plus one demo login per role, and "
        "children with their carers registered over 3 years, all from --seed. Safe to run "
        "again: if the demo team exists nothing changes, unless --reset deletes the demo "
        "team's data and builds it afresh. Loads the shipped areas first if none are loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="default 2026")
        parser.add_argument("--children", type=positive, default=2000, help="default 2000")
        parser.add_argument("--reset", action="store_true", help="delete the demo team first")
        parser.add_argument(
            "--no-logins",
            dest="show_logins",
            action="store_false",
            help="do not print the demo logins (sapling demo prints them itself)",
        )

    def handle(
        self, *args: Any, seed: int, children: int, reset: bool, show_logins: bool, **options: Any
    ) -> None:
        if reset:
            self._reset()
        elif service.demo_team() is not None:
            self.stdout.write(
                f"The demo team '{TEAM_NAME}' exists: nothing to do (--reset to rebuild)."
            )
            self._logins(show_logins)
            return
        self._load(seed, children)
        self._logins(show_logins)

    def _reset(self) -> None:
        try:
            removed = service.delete_demo_service()
        except (ProtectedError, RestrictedError) as blocked:
            raise CommandError(
                f"The demo team has records the reset does not know how to remove: {blocked}"
            ) from None
        if removed:
            self.stdout.write(f"Deleted the demo team '{TEAM_NAME}' and its data.")

    def _load(self, seed: int, children: int) -> None:
        started = time.monotonic()
        # Three years of letters to restricted carers are refused, as they should be: quietly.
        logging.getLogger("sapling.core.outbox").setLevel(logging.WARNING)
        self._area_totals: dict[str, int] = {}
        self.stdout.write("Checking the area data...")
        if service.ensure_areas(self._area_progress):
            self.stdout.write(f"\nAreas loaded in {time.monotonic() - started:.1f} s.")
        self.stdout.write(f"Building '{TEAM_NAME}' with {children:,} children (seed {seed})...")
        loaded = service.load_demo_service(
            seed=seed,
            children=children,
            progress=self._progress,
            flow_progress=self._flow_progress,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo in {time.monotonic() - started:.1f} s: {loaded.children:,} "
                f"children, {loaded.carers:,} carers, {loaded.schools} schools and settings, "
                f"{loaded.practices} GP practices, {loaded.users} users, "
                f"{loaded.referrals:,} referrals triaged and served week by week."
            )
        )

    def _area_progress(self, what: str, count: int) -> None:
        # The importer reports in batches: keep one running total per data set on one line.
        self._area_totals[what] = self._area_totals.get(what, 0) + count
        self.stdout.write(f"  {what}: {self._area_totals[what]:,}", ending="\r")
        self.stdout.flush()

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"  children: {done:,} of {total:,}")

    def _flow_progress(self, done: int, total: int) -> None:
        if done % 13 == 0 or done == total:
            self.stdout.write(f"  weeks of referrals, triage and waiting: {done} of {total}")

    def _logins(self, show: bool) -> None:
        if show:
            self.stdout.write("\nDemo logins (one per role):")
            for line in login_lines():
                self.stdout.write(f"  {line}")
