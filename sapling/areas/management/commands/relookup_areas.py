from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sapling.children.records import relookup_unknown_areas


class Command(BaseCommand):
    help = (
        "Look up the area and deprivation again for children whose postcode was 'area "
        "unknown' when it was saved, after loading a postcode directory (import-areas "
        "--onspd). Known and ambiguous areas are never changed. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  looked up {done:,} of {total:,}")

        found = relookup_unknown_areas(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{found:,} children now have an area"))
