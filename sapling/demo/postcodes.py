"""Real Swansea and Neath Port Talbot postcodes for the demo families, from the area data.

Families are drawn more often from deprived areas, as referrals to a children's service
are, so the equity reports have something to show. A few postcodes are deliberately
awkward: ambiguous areas, no fixed abode, English and otherwise unknown postcodes.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate

from django.db.models import Sum

from sapling.areas.models import ChildPopulation, DeprivationRank, Lsoa, PostcodeArea
from sapling.demo.places import AFAN_WARDS, NEATH, PORT_TALBOT, SWANSEA

AUTHORITIES = ("Swansea", "Neath Port Talbot")
NO_FIXED_ABODE = "ZZ99 3VZ"
# Real-format postcodes outside the shipped (Wales-only) lookup: families who moved from
# England, and a new Swansea street newer than the lookup.
OUT_OF_AREA = ("BS8 1TH", "HR4 9AB", "GL50 1AA", "B15 2TT", "M1 1AE", "LS1 4AP", "SA1 8ZZ")
# How much more often a family comes from each WIMD quintile (1 = most deprived).
QUINTILE_WEIGHT = {1: 1.6, 2: 1.3, 3: 1.0, 4: 0.85, 5: 0.75}
SHARE_NO_FIXED_ABODE = 0.006
SHARE_OUT_OF_AREA = 0.012
SHARE_AMBIGUOUS = 0.025


@dataclass(frozen=True)
class Home:
    postcode: str
    # None where the postcode does not say (no fixed abode, out of area).
    locality: str | None
    town: str
    # The WIMD quintile, so a family's circumstances can follow its area's deprivation.
    quintile: int | None = None


def locality_for(lsoa: Lsoa) -> str:
    if lsoa.local_authority == "Swansea":
        return SWANSEA
    return PORT_TALBOT if ward_of(lsoa) in AFAN_WARDS else NEATH


def ward_of(lsoa: Lsoa) -> str:
    """A 2011 LSOA is named after its ward and a number: "Sandfields East 2"."""
    return lsoa.name.rsplit(" ", 1)[0]


class PostcodeSampler:
    """Draws homes reproducibly: every query is ordered, every choice uses `rng`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lsoas = {
            lsoa.code: lsoa
            for lsoa in Lsoa.objects.filter(local_authority__in=AUTHORITIES).order_by("code")
        }
        self.known, self.ambiguous = self._postcodes()
        if not self.known:
            raise LookupError("No Swansea or Neath Port Talbot postcodes: import the areas first")
        self.quintiles = quintiles = self._quintiles()
        children = self._children()
        self._areas = sorted(self.known)
        self._cumulative = list(
            accumulate(
                # An area without figures counts as an average one.
                children.get(code, 300) * QUINTILE_WEIGHT[quintiles.get(code, 3)]
                for code in self._areas
            )
        )

    def _postcodes(self) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
        known: dict[str, list[str]] = defaultdict(list)
        ambiguous: list[tuple[str, str]] = []
        rows = PostcodeArea.objects.filter(postcode__startswith="SA", source__contains="wales")
        for area in rows.order_by("postcode"):
            candidates = area.candidates()
            if not candidates or candidates[0] not in self.lsoas:
                continue
            if area.lsoa11_code:
                known[area.lsoa11_code].append(area.postcode)
            else:
                ambiguous.append((area.postcode, candidates[0]))
        return known, ambiguous

    def _quintiles(self) -> dict[str, int]:
        ranks = DeprivationRank.objects.filter(index__key="wimd2019", lsoa_code__in=self.lsoas)
        return dict(ranks.values_list("lsoa_code", "quintile"))

    def _children(self) -> dict[str, int]:
        """Children aged 0 to 17 in each area, so busy areas send more families."""
        counts = (
            ChildPopulation.objects.filter(lsoa_code__in=self.lsoas, age__lt=18)
            .values("lsoa_code")
            .annotate(total=Sum("count"))
            .order_by("lsoa_code")
        )
        return {row["lsoa_code"]: row["total"] for row in counts}

    def draw(self) -> Home:
        roll = self.rng.random()
        if roll < SHARE_NO_FIXED_ABODE:
            return Home(NO_FIXED_ABODE, None, "")
        roll -= SHARE_NO_FIXED_ABODE
        if roll < SHARE_OUT_OF_AREA:
            return Home(self.rng.choice(OUT_OF_AREA), None, "")
        roll -= SHARE_OUT_OF_AREA
        if roll < SHARE_AMBIGUOUS and self.ambiguous:
            postcode, code = self.rng.choice(self.ambiguous)
            return self._home(postcode, code)
        code = self.rng.choices(self._areas, cum_weights=self._cumulative)[0]
        return self._home(self.rng.choice(self.known[code]), code)

    def _home(self, postcode: str, lsoa_code: str) -> Home:
        lsoa = self.lsoas[lsoa_code]
        return Home(postcode, locality_for(lsoa), ward_of(lsoa), self.quintiles.get(lsoa_code))
