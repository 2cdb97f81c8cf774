"""The demo team's places: localities, schools and settings, GP practices and clusters.

School and practice names are built from real Swansea and Neath Port Talbot place names,
so they read true to local staff, but the schools, practices and their numbers are made up.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from sapling.accounts.models import Locality, Nation, Team
from sapling.children.models import GPCluster, GPPractice, School, SchoolType
from sapling.demo.names import name_list

TEAM_NAME = "Swansea Bay Children's Occupational Therapy"
SWANSEA, NEATH, PORT_TALBOT = "Swansea", "Neath", "Port Talbot"
LOCALITIES = (SWANSEA, NEATH, PORT_TALBOT)

# Welsh LA codes make the first three digits of a school number (LA + establishment).
AUTHORITY = {SWANSEA: ("Swansea", "670"), NEATH: ("Neath Port Talbot", "671")}
AUTHORITY[PORT_TALBOT] = AUTHORITY[NEATH]

# The Neath Port Talbot wards (2011 LSOA names) served from Port Talbot, the Afan side.
AFAN_WARDS = frozenset(
    {
        "Aberavon",
        "Baglan",
        "Bryn and Cwmavon",
        "Cymmer (Neath Port Talbot)",
        "Glyncorrwg",
        "Gwynfi",
        "Margam",
        "Pelenna",
        "Port Talbot",
        "Sandfields East",
        "Sandfields West",
        "Tai-bach",
    }
)

PLACES = {
    SWANSEA: name_list(
        "Townhill, Bonymaen, Penlan, Blaenymaes, Portmead, Gendros, Brynhyfryd, Clase, "
        "Morriston, Sketty, Killay, Dunvant, Gorseinon, Penyrheol, Pontarddulais, Gowerton, "
        "Penclawdd, Clydach, St Thomas, Danygraig, Port Tennant, Brynmill, Mumbles, "
        "Bishopston, Llansamlet, Birchgrove, Waun Wen, Hafod, Landore, Cwmbwrla, Manselton, "
        "Cockett, Fforestfach, Loughor, Waunarlwydd, Treboeth"
    ),
    NEATH: name_list(
        "Cimla, Bryncoch, Tonna, Cadoxton, Skewen, Coedffranc, Briton Ferry, Resolven, "
        "Glynneath, Pontardawe, Ystalyfera, Godre'r Graig, Alltwen, Rhos, Crynant, "
        "Seven Sisters, Cwmgors, Gwaun-Cae-Gurwen, Melincryddan, Llangatwg"
    ),
    PORT_TALBOT: name_list(
        "Aberavon, Sandfields, Baglan, Tai-bach, Margam, Cwmafan, Bryn, Cymmer, Glyncorrwg, "
        "Croeserw, Tonmawr, Velindre"
    ),
}

# How many of each kind of setting each locality has: 60 in all.
SETTING_COUNTS: dict[str, dict[str, int]] = {
    SWANSEA: {"early_years": 4, "primary": 16, "secondary": 5, "special": 2, "pupil_referral": 1,
              "independent": 1, "college": 1},
    NEATH: {"early_years": 3, "primary": 10, "secondary": 3, "special": 1, "college": 1},
    PORT_TALBOT: {"early_years": 2, "primary": 7, "secondary": 2, "special": 1},
}  # fmt: skip

# Welsh establishment numbers run in ranges by kind of school.
ESTABLISHMENT_BASE = {
    "early_years": 1000,
    "pupil_referral": 1100,
    "primary": 2000,
    "secondary": 4000,
    "independent": 6000,
    "special": 7000,
}


SAINTS = ("St Joseph's", "St David's", "St Illtyd's", "Our Lady of Lourdes", "St Therese's")


@dataclass(frozen=True)
class SchoolInfo:
    """A demo school with the facts the generator needs that the model does not keep."""

    school: School
    locality: str
    welsh_medium: bool


def create_team() -> Team:
    return Team.objects.create(
        name=TEAM_NAME, nation=Nation.WALES, target_weeks=14, target_share=Decimal("1.000")
    )


def create_localities(team: Team) -> dict[str, Locality]:
    return {name: Locality.objects.create(team=team, name=name) for name in LOCALITIES}


def _school_name(kind: str, place: str, welsh_medium: bool, rng: random.Random) -> str:
    if kind == "early_years":
        return rng.choice(
            [f"Cylch Meithrin {place}", f"{place} Flying Start", f"Little Acorns Nursery {place}"]
        )
    if kind == "primary":
        if welsh_medium:
            return f"Ysgol Gynradd Gymraeg {place}"
        roll = rng.random()
        if roll < 0.1:
            return f"{place} Church in Wales Primary School"
        if roll < 0.2:
            return f"{rng.choice(SAINTS)} Catholic Primary School, {place}"
        return f"{place} Primary School"
    if kind == "secondary":
        return f"Ysgol Gyfun Gymraeg {place}" if welsh_medium else f"{place} Comprehensive School"
    if kind == "special":
        return rng.choice([f"Ysgol Arbennig {place}", f"{place} Special School"])
    if kind == "pupil_referral":
        return f"{place} Pupil Referral Unit"
    if kind == "independent":
        return f"{place} Preparatory School"
    return f"Coleg {place}"


def _school_number(locality: str, kind: str, serial: int) -> str:
    if kind == "college":
        # Colleges have no LA number; a UK provider reference number stands in for it.
        return f"1000{serial:04d}"
    return AUTHORITY[locality][1] + str(ESTABLISHMENT_BASE[kind] + serial)


def create_schools(
    team: Team, localities: dict[str, Locality], rng: random.Random
) -> list[SchoolInfo]:
    infos: list[SchoolInfo] = []
    serials: dict[tuple[str, str], int] = {}
    for locality, counts in SETTING_COUNTS.items():
        # Every locality has more places than settings, so no two settings share a place.
        places = iter(rng.sample(PLACES[locality], len(PLACES[locality])))
        for kind, count in counts.items():
            for index in range(count):
                place = next(places)
                # About one school in five teaches through Welsh, as in Swansea Bay.
                welsh = kind in {"primary", "secondary"} and index % 5 == 1
                # Colleges share one national numbering; schools are numbered per LA.
                key = ("", kind) if kind == "college" else (AUTHORITY[locality][1], kind)
                # Gaps between numbers, as closures and mergers leave; small enough that
                # no range runs into the next.
                serials[key] = serials.get(key, 0) + rng.randint(1, 12)
                school = School(
                    team=team,
                    name=_school_name(kind, place, welsh, rng),
                    school_number=_school_number(locality, kind, serials[key]),
                    local_authority=AUTHORITY[locality][0],
                    school_type=SchoolType(kind),
                    locality=localities[locality],
                )
                infos.append(SchoolInfo(school=school, locality=locality, welsh_medium=welsh))
    School.objects.bulk_create([info.school for info in infos])
    return infos


# Each GP cluster and the places of its practices.
CLUSTERS = {
    "City and Penderi": (SWANSEA, "Townhill, Fforestfach, Manselton, St Thomas, Sketty, Uplands"),
    "Cwmtawe and Llwchwr": (SWANSEA, "Morriston, Clydach, Gorseinon, Pontarddulais, Loughor"),
    "Neath": (NEATH, "Neath, Skewen, Briton Ferry, Pontardawe, Glynneath, Ystalyfera"),
    "Afan": (PORT_TALBOT, "Aberavon, Sandfields, Tai-bach, Cwmafan, Baglan"),
}


@dataclass(frozen=True)
class PracticeInfo:
    practice: GPPractice
    locality: str


def create_practices(team: Team, rng: random.Random) -> list[PracticeInfo]:
    infos: list[PracticeInfo] = []
    codes = iter(rng.sample(range(100, 999), 40))
    for cluster_name, (locality, places) in CLUSTERS.items():
        cluster = GPCluster.objects.create(team=team, name=f"{cluster_name} GP cluster")
        for place in name_list(places):
            name = rng.choice(
                [f"{place} Medical Centre", f"{place} Health Centre", f"{place} Surgery"]
            )
            practice = GPPractice(
                team=team, ods_code=f"W98{next(codes)}", name=name, cluster=cluster
            )
            infos.append(PracticeInfo(practice=practice, locality=locality))
    GPPractice.objects.bulk_create([info.practice for info in infos])
    return infos
