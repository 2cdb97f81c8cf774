"""Find a postcode's small area and deprivation, once, when a child's postcode is saved."""

from __future__ import annotations

from dataclasses import dataclass

from sapling.areas.models import AreaStatus, DeprivationIndex, DeprivationRank, PostcodeArea
from sapling.core.validators import is_pseudo_postcode


@dataclass(frozen=True)
class AreaFix:
    status: str
    lsoa_code: str = ""
    index_key: str = ""
    rank: int | None = None
    decile: int | None = None
    quintile: int | None = None


def current_index_for(lsoa_code: str) -> DeprivationIndex | None:
    """The newest loaded index for the nation the area lies in (never mixing nations)."""
    return DeprivationIndex.objects.filter(lsoa_prefix=lsoa_code[:3]).order_by("-edition").first()


def _agreed(values: list[int]) -> int | None:
    """A measure is kept only where every candidate area agrees on it."""
    return values[0] if values and all(v == values[0] for v in values) else None


def lookup_postcode(postcode: str) -> AreaFix:
    if not postcode:
        return AreaFix(status=AreaStatus.NO_POSTCODE)
    if is_pseudo_postcode(postcode):
        return AreaFix(status=AreaStatus.NOT_APPLICABLE)
    area = PostcodeArea.objects.filter(postcode=postcode).first()
    candidates = area.candidates() if area else []
    if not candidates:
        return AreaFix(status=AreaStatus.UNKNOWN)
    index = current_index_for(candidates[0])
    if index is None:
        return AreaFix(status=AreaStatus.UNKNOWN, lsoa_code=area.lsoa11_code if area else "")
    ranks = list(DeprivationRank.objects.filter(index=index, lsoa_code__in=candidates))
    if len(ranks) != len(candidates):
        return AreaFix(status=AreaStatus.UNKNOWN, lsoa_code=area.lsoa11_code if area else "")
    if len(ranks) == 1:
        only = ranks[0]
        return AreaFix(
            status=AreaStatus.KNOWN,
            lsoa_code=only.lsoa_code,
            index_key=index.key,
            rank=only.rank,
            decile=only.decile,
            quintile=only.quintile,
        )
    return AreaFix(
        status=AreaStatus.AMBIGUOUS,
        index_key=index.key,
        decile=_agreed([r.decile for r in ranks]),
        quintile=_agreed([r.quintile for r in ranks]),
    )
