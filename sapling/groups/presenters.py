from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sapling.groups.models import Audience, Resource
from sapling.referrals.models import OccupationalArea

LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}


def _labels(values: list[str], choices: type[Audience] | type[OccupationalArea]) -> str:
    names = dict(choices.choices)
    return ", ".join(str(names.get(v, v)) for v in values)


def resource_rows(resources: Iterable[Resource]) -> list[dict[str, Any]]:
    return [
        {
            "resource": r,
            "kind": r.get_kind_display(),
            "audiences": _labels(r.audiences, Audience),
            "topics": _labels(r.topics, OccupationalArea),
            "language": LANGUAGE_NAMES.get(r.language, r.language),
        }
        for r in resources
    ]
