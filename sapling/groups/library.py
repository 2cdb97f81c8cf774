"""The resources library: filtering by tags, done in Python because tags are JSON lists.

JSON "contains" lookups differ between SQLite and PostgreSQL; a team's library is small
(hundreds at most), so it is read once and filtered here, the same on both.
"""

from __future__ import annotations

from collections.abc import Iterable

from sapling.groups.models import Resource


def matching(
    resources: Iterable[Resource],
    *,
    topic: str = "",
    audience: str = "",
    language: str = "",
    kind: str = "",
) -> list[Resource]:
    return [
        r
        for r in resources
        if (not topic or topic in r.topics)
        and (not audience or audience in r.audiences)
        and (not language or r.language == language)
        and (not kind or r.kind == kind)
    ]
