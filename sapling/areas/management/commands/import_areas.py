from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sapling.areas import importers


class Command(BaseCommand):
    help = (
        "Load small areas, deprivation indices (WIMD 2019, IMD 2019), the Welsh postcode "
        "lookup and child population shipped with Sapling; with --onspd, also load an ONS "
        "Postcode Directory CSV (for English services). Safe to run again: each data set is "
        "replaced whole, in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--onspd", type=Path, help="path to an ONS Postcode Directory CSV")
        parser.add_argument(
            "--skip-shipped", action="store_true", help="load only the --onspd file"
        )

    def handle(self, *args: Any, onspd: Path | None, skip_shipped: bool, **options: Any) -> None:
        loaded: dict[str, int] = {}
        totals: dict[str, int] = {}

        def progress(what: str, count: int) -> None:
            totals[what] = totals.get(what, 0) + count
            self.stdout.write(f"  {what}: {totals[what]:,} loaded", ending="\r")
            self.stdout.flush()

        if not skip_shipped:
            self.stdout.write("Loading the areas shipped with Sapling...")
            loaded.update(importers.load_shipped(progress))
        if onspd is not None:
            if not onspd.is_file():
                raise CommandError(f"No such file: {onspd}")
            self.stdout.write(f"Loading postcodes from {onspd}...")
            try:
                loaded["onspd_postcodes"] = importers.load_onspd(onspd, progress)
            except importers.ImportRefused as refused:
                raise CommandError(str(refused)) from None
        self.stdout.write("")
        for name, count in loaded.items():
            self.stdout.write(self.style.SUCCESS(f"{name}: {count:,}"))
