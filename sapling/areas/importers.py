"""Load the shipped area files (see data/PROVENANCE.md) or an ONS Postcode Directory CSV.

Each loader replaces its whole data set in one transaction, so running the import again
gives the same tables, and a failed import leaves the previous data in place.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from sapling.areas.models import (
    ChildPopulation,
    DeprivationIndex,
    DeprivationRank,
    Lsoa,
    PostcodeArea,
)
from sapling.core.validators import normalise_postcode

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH = 5000
Progress = Callable[[str, int], None]


class ImportRefused(ValueError):
    """The file is not one the importer understands; nothing was changed."""


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        yield from csv.DictReader(handle)


def _quiet(_: str, __: int) -> None:
    return None


def quintile_from_decile(decile: int) -> int:
    return (decile + 1) // 2


@dataclass(frozen=True)
class IndexFile:
    """One nation's index as published: where it is and how its columns are named."""

    key: str
    name: str
    nation: str
    lsoa_prefix: str
    filename: str
    rank_column: str
    decile_column: str
    authority_column: str
    quintile_column: str | None = None


WIMD_2019 = IndexFile(
    key="wimd2019",
    name="Welsh Index of Multiple Deprivation 2019",
    nation="wales",
    lsoa_prefix="W01",
    filename="wimd2019_lsoa11_rank_decile_quintile_quartile.csv",
    rank_column="wimd2019_rank",
    decile_column="wimd2019_decile",
    quintile_column="wimd2019_quintile",
    authority_column="local_authority_name",
)
# The English file gives deciles only; quintile 1 is deciles 1 and 2.
IMD_2019 = IndexFile(
    key="imd2019",
    name="English Indices of Deprivation 2019 (IMD)",
    nation="england",
    lsoa_prefix="E01",
    filename="imd2019_england_lsoa11_rank_decile.csv",
    rank_column="imd2019_rank",
    decile_column="imd2019_decile",
    authority_column="lad19_name",
)


@transaction.atomic
def load_index(spec: IndexFile, progress: Progress = _quiet) -> int:
    index, _ = DeprivationIndex.objects.update_or_create(
        key=spec.key,
        defaults={
            "name": spec.name,
            "nation": spec.nation,
            "edition": int(spec.key[-4:]),
            "lsoa_prefix": spec.lsoa_prefix,
        },
    )
    rows = list(_rows(DATA_DIR / spec.filename))
    _replace_lsoas(rows, spec.authority_column)
    DeprivationRank.objects.filter(index=index).delete()
    DeprivationRank.objects.bulk_create([_rank(index, spec, row) for row in rows], batch_size=BATCH)
    progress(f"{spec.name} ranks", len(rows))
    return len(rows)


def _rank(index: DeprivationIndex, spec: IndexFile, row: dict[str, str]) -> DeprivationRank:
    decile = int(row[spec.decile_column])
    quintile = (
        int(row[spec.quintile_column]) if spec.quintile_column else quintile_from_decile(decile)
    )
    return DeprivationRank(
        index=index,
        lsoa_code=row["lsoa11_code"],
        rank=int(row[spec.rank_column]),
        decile=decile,
        quintile=quintile,
    )


def load_wimd2019(progress: Progress = _quiet) -> int:
    return load_index(WIMD_2019, progress)


def load_imd2019(progress: Progress = _quiet) -> int:
    return load_index(IMD_2019, progress)


def _replace_lsoas(rows: list[dict[str, str]], authority_column: str) -> None:
    Lsoa.objects.bulk_create(
        [
            Lsoa(
                code=row["lsoa11_code"],
                name=row["lsoa11_name"],
                local_authority=row[authority_column],
            )
            for row in rows
        ],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "local_authority"],
    )


def _merged_candidates() -> dict[str, list[str]]:
    """2021 areas formed by merging 2011 areas, with the 2011 areas each came from."""
    by_2021: dict[str, list[str]] = defaultdict(list)
    for row in _rows(DATA_DIR / "wales_lsoa11_to_lsoa21_lookup.csv"):
        by_2021[row["lsoa21_code"]].append(row["lsoa11_code"])
    return {code: sorted(set(olds)) for code, olds in by_2021.items() if len(set(olds)) > 1}


@transaction.atomic
def load_wales_postcodes(progress: Progress = _quiet) -> int:
    source = "ons-postcodes-aug2024-wales"
    merged = _merged_candidates()
    PostcodeArea.objects.filter(source=source).delete()
    batch: list[PostcodeArea] = []
    count = 0
    for row in _rows(DATA_DIR / "wales_postcode_to_lsoa_aug2024.csv"):
        lsoa11 = row["lsoa11_code"]
        candidates = "" if lsoa11 else ";".join(merged.get(row["lsoa21_code"], []))
        batch.append(
            PostcodeArea(
                postcode=row["postcode"],
                lsoa21_code=row["lsoa21_code"],
                lsoa11_code=lsoa11,
                lsoa11_candidates=candidates,
                source=source,
            )
        )
        if len(batch) >= BATCH:
            count += _flush_postcodes(batch, progress)
    count += _flush_postcodes(batch, progress)
    return count


def _flush_postcodes(batch: list[PostcodeArea], progress: Progress) -> int:
    size = len(batch)
    PostcodeArea.objects.bulk_create(
        batch,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["postcode"],
        update_fields=["lsoa21_code", "lsoa11_code", "lsoa11_candidates", "source"],
    )
    batch.clear()
    progress("postcodes", size)
    return size


@transaction.atomic
def load_wales_child_population(progress: Progress = _quiet) -> int:
    source = "ons-sape23dt2-mid2020"
    ChildPopulation.objects.filter(source=source).delete()
    counts = [
        ChildPopulation(
            lsoa_code=row["lsoa11_code"],
            mid_year=2020,
            age=age,
            count=int(row[f"age_{age}"]),
            source=source,
        )
        for row in _rows(DATA_DIR / "wales_lsoa11_children_population_mid2020.csv")
        for age in range(18)
    ]
    ChildPopulation.objects.bulk_create(counts, batch_size=BATCH)
    progress("child population counts", len(counts))
    return len(counts)


POSTCODE_COLUMNS = ("pcds", "pcd", "pcd7", "pcd8", "postcode")
LSOA11_COLUMNS = ("lsoa11", "lsoa11cd")
LSOA21_COLUMNS = ("lsoa21", "lsoa21cd")


def _pick(header: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {name.lower(): name for name in header}
    return next((lowered[n] for n in names if n in lowered), None)


@transaction.atomic
def load_onspd(path: Path, progress: Progress = _quiet) -> int:
    """An ONS Postcode Directory CSV: its postcode and 2011 LSOA columns (2021 if no 2011)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), [])
    postcode_col = _pick(header, POSTCODE_COLUMNS)
    lsoa11_col = _pick(header, LSOA11_COLUMNS)
    lsoa21_col = _pick(header, LSOA21_COLUMNS)
    if not postcode_col or not (lsoa11_col or lsoa21_col):
        raise ImportRefused(
            f"{path.name} has no postcode column ({', '.join(POSTCODE_COLUMNS)}) or no LSOA "
            f"column ({', '.join(LSOA11_COLUMNS + LSOA21_COLUMNS)}): is it the ONS Postcode "
            "Directory CSV?"
        )
    source = f"onspd:{path.name}"[:40]
    known_2011 = set(Lsoa.objects.values_list("code", flat=True))
    batch: list[PostcodeArea] = []
    count = 0
    for row in _rows(path):
        area = _onspd_area(row, postcode_col, lsoa11_col, lsoa21_col, known_2011, source)
        if area is None:
            continue
        batch.append(area)
        if len(batch) >= BATCH:
            count += _flush_postcodes(batch, progress)
    count += _flush_postcodes(batch, progress)
    return count


def _onspd_area(
    row: dict[str, str],
    postcode_col: str,
    lsoa11_col: str | None,
    lsoa21_col: str | None,
    known_2011: set[str],
    source: str,
) -> PostcodeArea | None:
    try:
        postcode = normalise_postcode(row[postcode_col])
    except Exception:
        return None
    lsoa11 = (row.get(lsoa11_col, "") if lsoa11_col else "").strip()
    lsoa21 = (row.get(lsoa21_col, "") if lsoa21_col else "").strip()
    if not lsoa11 and lsoa21 in known_2011:
        # An unchanged 2021 area keeps its 2011 code; a changed one stays unknown, not guessed.
        lsoa11 = lsoa21
    return PostcodeArea(postcode=postcode, lsoa21_code=lsoa21, lsoa11_code=lsoa11, source=source)


def load_shipped(progress: Progress = _quiet) -> dict[str, int]:
    return {
        "wimd2019": load_wimd2019(progress),
        "imd2019": load_imd2019(progress),
        "postcodes": load_wales_postcodes(progress),
        "child_population": load_wales_child_population(progress),
    }
