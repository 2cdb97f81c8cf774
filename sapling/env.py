"""Strict readers for settings taken from environment variables.

Each refuses a value it cannot understand instead of silently falling back, so a
mistyped deployment setting stops the service at start-up rather than weakening it.
"""

from __future__ import annotations

import os


class EnvironmentError_(ValueError):
    """A setting in the environment has a value Sapling cannot use."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise EnvironmentError_(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise EnvironmentError_(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise EnvironmentError_(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
