"""What the PostgreSQL benchmarks share: progress on stderr, and Django set up on a
database of the benchmark's own, created if missing. Not a benchmark itself (make bench
runs only the scripts whose names do not start with "_")."""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_database(url: str) -> None:
    """Create the benchmark database if it is missing (connecting to 'postgres' to do so)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            say(f"creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(default_url: str) -> None:
    """Django on DATABASE_URL (or `default_url`), started as the server starts it (through
    sapling/wsgi.py, which also freezes start-up objects out of the garbage collector's
    view), with DEBUG off."""
    os.environ.setdefault("DATABASE_URL", default_url)
    os.environ["SAPLING_ENV"] = "development"
    os.environ.setdefault("SAPLING_DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sapling.settings")
    ensure_database(os.environ["DATABASE_URL"])

    import sapling.wsgi  # noqa: F401
