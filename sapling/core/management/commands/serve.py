from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve Sapling on 127.0.0.1:8000 for local use (SAPLING_PORT changes the port). "
        "In production run gunicorn behind a reverse proxy: see docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default=os.environ.get("SAPLING_PORT", "8000"))

    def handle(self, *args: Any, port: str, **options: Any) -> None:
        if settings.PRODUCTION:
            self.stderr.write("For production, use gunicorn: see docs/operations.md")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
