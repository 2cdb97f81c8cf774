from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from sapling.demo.management.commands.load_demo import positive
from sapling.demo.staff import login_lines


class Command(BaseCommand):
    help = (
        "Try Sapling: set up the database, load the synthetic demo service (kept if it is "
        "already there), print the demo logins and serve on 127.0.0.1:8000."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="default 2026")
        parser.add_argument("--children", type=positive, default=2000, help="default 2000")
        parser.add_argument(
            "--no-serve", dest="serve", action="store_false", help="set up and load only"
        )

    def handle(self, *args: Any, seed: int, children: int, serve: bool, **options: Any) -> None:
        call_command("setup_database", verbosity=0)
        call_command(
            "load_demo", seed=seed, children=children, show_logins=False, stdout=self.stdout
        )
        self.stdout.write(self.style.SUCCESS("\nSapling demo: log in with any of these"))
        for line in login_lines():
            self.stdout.write(f"  {line}")
        if serve:
            self.stdout.write("\nServing on http://127.0.0.1:8000/ (Ctrl+C to stop)\n")
            call_command("serve")
