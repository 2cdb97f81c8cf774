"""Benchmark: the service dashboard and the commissioners' quarterly tables at a nation's size.

Needs PostgreSQL (it loads with COPY): DATABASE_URL, or
postgres://postgres@127.0.0.1:5432/sapling_dashboard_bench, created if missing and migrated.

Targets (issue 7), on this 2-core machine, with 1,000,000 referrals over 5 years across 7
teams (the seven Welsh health boards, sized roughly by their child populations; the largest
holds 30%), through Django's test client with DEBUG off:
  - the lead's dashboard (reports:show_dashboard) for the largest team, first load with the
    default filters: p95 under 2 s;
  - the same dashboard filtered to one locality and a 3-month range: p95 under 500 ms;
  - the before-and-after page (reports:show_before_after, which has been a page of its own
    since the dashboard stopped working it out) held to the same two targets: first load
    p95 under 2 s, and filtered to the same locality p95 under 500 ms;
  - the commissioners' quarterly tables (reports:show_commissioner_tables) for each of the 7
    teams, as that team's commissioner: reported per team beside the 2 s first-load target.

"First load" is a request after the Django cache was cleared (cache.clear()), so nothing the
reports keep between requests is reused; PostgreSQL's own buffers and the operating system's
file cache are left warm (they cannot be emptied without restarting the server, which the
shared machine does not allow), and the very first request of the process is reported on
its own as the coldest figure. The "filtered reload" follows one untimed request of the same
filtered page. Each figure is the nearest-rank p50/p95 of REPEAT requests (5 by default,
SAPLING_BENCH_REPEAT), with the SQL query count from CaptureQueriesContext; one more pass
of the first load with PostgreSQL's JIT off is reported for information.

The data (children with areas, deprivation, localities, GP practices and clusters, schools,
ethnicity and ALN; referrals, triage decisions, waiting-list entries and weekly snapshots;
group programmes, runs, sessions, enrolments and attendance; consultations after training;
specialist episodes and appointments; care goals with GAS goals and ratings; outcome
administrations and responses for family confidence and the Friends and Family Test) are
written with PostgreSQL COPY, one transaction per table per team, with what the application
keeps for the reports (each record's copy of its child's locality, each run's and place's
register counts) filled in as saving through the ORM would and then checked against the
records, then VACUUM ANALYZEd as autovacuum would have them (each run, a no-op when nothing
changed). A marker
table (bench_dataset) holds the data set's version, seed and size: a later run with the
same ones reuses the data; --rebuild forces a fresh build (about 4 minutes).

Run: .venv/bin/python benchmarks/dashboard.py [--rebuild]   (progress on stderr; last line
is JSON: {"figures": {...}, "targets": {...}})
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _postgres import say, setup_django  # noqa: E402  (benchmarks/, this script's folder)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sapling_dashboard_bench"

DATA_VERSION = 3  # bump when the generator changes what it makes
SEED = 20261126
YEARS = 5
# Timed requests per figure. At full size one dashboard takes tens of seconds, so the
# default keeps a run near 20 minutes; raise it on a faster machine.
REPEAT = int(os.environ.get("SAPLING_BENCH_REPEAT", "5"))
LONDON = ZoneInfo("Europe/London")
# The seven Welsh health boards, their local authorities and their share of the referrals.
TEAMS: list[tuple[str, tuple[str, ...], int]] = [
    (
        "Betsi Cadwaladr",
        ("Isle of Anglesey", "Gwynedd", "Conwy", "Denbighshire", "Flintshire", "Wrexham"),
        300_000,
    ),
    (
        "Aneurin Bevan",
        ("Blaenau Gwent", "Caerphilly", "Monmouthshire", "Newport", "Torfaen"),
        190_000,
    ),
    ("Cardiff and Vale", ("Cardiff", "Vale of Glamorgan"), 150_000),
    ("Cwm Taf Morgannwg", ("Bridgend", "Rhondda Cynon Taf", "Merthyr Tydfil"), 130_000),
    ("Hywel Dda", ("Carmarthenshire", "Ceredigion", "Pembrokeshire"), 100_000),
    ("Swansea Bay", ("Swansea", "Neath Port Talbot"), 95_000),
    ("Powys", ("Powys",), 35_000),
]
# For trying the script out on a small copy (another DATABASE_URL): a share of each team.
SCALE = float(os.environ.get("SAPLING_BENCH_SCALE", "1"))
TEAMS = [(name, las, round(n * SCALE)) for name, las, n in TEAMS]
LARGEST = TEAMS[0][0]
# What triage made of each referral (a referral received in the last fortnight may wait).
FATES = [
    ("universal", 0.22),
    ("declined", 0.04),
    ("redirected", 0.04),
    ("withdrawn", 0.02),
    ("targeted", 0.40),
    ("specialist", 0.28),
]
RE_REFERRAL_SHARE = 0.13
PATHWAYS = [
    ("motor", "Motor coordination"),
    ("sensory", "Sensory processing"),
    ("handwriting", "Handwriting"),
    ("self-care", "Self-care"),
]
# Targeted group per pathway (None: the motor group), 6 weekly sessions of 10 children.
GROUPS = {
    "motor": ("Motor skills group", "motor_skills"),
    "sensory": ("Sensory group", "sensory"),
    "handwriting": ("Handwriting group", "handwriting"),
    "self-care": ("Self-care group", "self_care"),
}
GROUP_SESSIONS, GROUP_PLACES = 6, 10
UNIVERSAL = [
    ("Understanding sensory needs", "parents", "sensory", 1, 40),
    ("Handwriting for school staff", "school_staff", "handwriting", 2, 30),
]
SOURCES = (
    ["parent"] * 30
    + ["school"] * 30
    + ["gp"] * 10
    + ["health_visitor"] * 10
    + ["paediatrician"] * 10
    + ["early_years"] * 5
    + ["social_care"] * 3
    + ["camhs"] * 2
)
ROUTES = ["letter", "phone", "e_referral", "partner_form", "public_form"]
REASONS = [
    "self_care",
    "play",
    "school_work",
    "handwriting",
    "movement",
    "sensory",
    "emotional_regulation",
    "attending_school",
]
GIVEN = [
    "Cerys",
    "Dylan",
    "Ffion",
    "Osian",
    "Amelia",
    "Noah",
    "Isla",
    "Jac",
    "Mali",
    "Leo",
    "Alys",
    "Harri",
    "Nia",
    "Tomos",
    "Olivia",
    "Oliver",
    "Seren",
    "Macsen",
]
FAMILY = [
    "Jones",
    "Davies",
    "Williams",
    "Evans",
    "Thomas",
    "Roberts",
    "Hughes",
    "Lewis",
    "Morgan",
    "Griffiths",
    "Price",
    "Rees",
    "Owen",
    "Jenkins",
    "Phillips",
]
AGE_WEIGHTS = [1, 2, 3, 5, 7, 8, 9, 9, 8, 7, 6, 5, 4, 4, 3, 3, 2, 1]  # ages 0-17 at referral
WAIT_WEEKS = {"targeted": (16.0, 8.0), "specialist": (30.0, 18.0)}  # mean before/after change
CHANGE_YEARS_AGO = 2  # each team's service change (redesign) date, for before/after


setup_django(DEFAULT_URL)

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from sapling.accounts.models import Locality, Membership, Team, User  # noqa: E402
from sapling.areas.models import DeprivationRank, Lsoa, PostcodeArea  # noqa: E402
from sapling.care.models import Appointment, Episode, Goal  # noqa: E402
from sapling.children import localities  # noqa: E402
from sapling.children.ethnicity import WALES_CENSUS_2021  # noqa: E402
from sapling.children.models import (  # noqa: E402
    Child,
    GPCluster,
    GPPractice,
    KeepsChildLocality,
    School,
)
from sapling.consultations.models import Consultation, Slot  # noqa: E402
from sapling.core.roles import Role  # noqa: E402
from sapling.demo.families import ETHNICITY_WEIGHTS, FREE_MEALS_BY_QUINTILE  # noqa: E402
from sapling.groups import register_counts  # noqa: E402
from sapling.groups.models import Attendance, Enrolment, Programme, Run, Session  # noqa: E402
from sapling.outcomes import instruments  # noqa: E402
from sapling.outcomes.models import Administration, GasGoal, GasRating, Response  # noqa: E402
from sapling.outcomes.scoring import score_answers  # noqa: E402
from sapling.referrals.models import Referral  # noqa: E402
from sapling.reports.models import ReportSettings  # noqa: E402
from sapling.triage.models import PRIORITY_RANK, Pathway, RulesVersion, TriageDecision  # noqa: E402
from sapling.waitlist.models import WaitlistEntry  # noqa: E402

# Kept when the data are cleared: migrations, Django's catalogues, the shipped area files.
KEEP_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
KEEP_PREFIXES = ("areas_",)
MARKER = "bench_dataset"


# --- COPY into the real tables ----------------------------------------------------------


class Copier:
    """Rows for one model's table as COPY wants them: every concrete column, in order.

    A row names only what it sets; the rest take the model field's default, '' for a blank
    text field, None where null is allowed, and now for timestamps. A NOT NULL column with
    none of these must be given (a missing one fails loudly, before PostgreSQL would)."""

    def __init__(self, model: type[models.Model], now: dt.datetime) -> None:
        self.model = model
        self.table = model._meta.db_table
        concrete = list(model._meta.concrete_fields)
        self.columns = [str(f.column) for f in concrete]
        self.names = [f.attname for f in concrete]
        self.json = [isinstance(f, models.JSONField) for f in concrete]
        self.defaults: list[Any] = []
        self.required: set[str] = set()
        for f in concrete:
            if f.has_default():
                default = f.get_default()
                self.defaults.append(
                    json.dumps(default) if isinstance(f, models.JSONField) else default
                )
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults.append(now)
            elif f.null:
                self.defaults.append(None)
            elif f.blank and isinstance(f, models.CharField | models.TextField):
                self.defaults.append("")
            else:
                self.defaults.append(None)
                self.required.add(f.attname)
        self.rows: list[tuple[Any, ...]] = []

    def add(self, **values: Any) -> None:
        missing = self.required - values.keys()
        if missing:
            raise ValueError(f"{self.table}: no value for {sorted(missing)}")
        row = []
        for name, default, is_json in zip(self.names, self.defaults, self.json, strict=True):
            if name in values:
                value = values[name]
                row.append(json.dumps(value) if is_json and value is not None else value)
            else:
                row.append(default)
        self.rows.append(tuple(row))

    def write(self) -> int:
        """COPY the rows in one transaction; foreign keys are not re-checked row by row
        (session_replication_role = replica), since every id is made here."""
        if not self.rows:
            return 0
        start = time.perf_counter()
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            raw = cursor.cursor
            with raw.copy(
                f"COPY {connection.ops.quote_name(self.table)} ({columns}) FROM STDIN"
            ) as copy:
                for row in self.rows:
                    copy.write_row(row)
        count = len(self.rows)
        say(f"    {self.table}: {count:,} rows in {time.perf_counter() - start:.1f} s")
        self.rows = []
        return count


class Ids:
    """The next id for each table (the data are made here, ids and all)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = defaultdict(lambda: 1)

    def take(self, model: type[models.Model]) -> int:
        table = model._meta.db_table
        value = self.next[table]
        self.next[table] = value + 1
        return value


def reset_sequences(tables: Iterable[str]) -> None:
    """Ids were given in COPY: move each table's identity past them for later inserts."""
    with connection.cursor() as cursor:
        for table in tables:
            quoted = connection.ops.quote_name(table)
            after_max = f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {quoted})"  # noqa: S608
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), {after_max}, false)", [table]
            )


# --- the data set -------------------------------------------------------------------------


@dataclass
class Place:
    """One team's geography: its LSOAs with their locality, ranks and postcodes."""

    lsoas: list[str]
    locality_of: dict[str, int]
    rank_of: dict[str, tuple[int, int, int]]
    postcodes_of: dict[str, list[str]]
    practices_of: dict[int, list[int]]  # locality id -> GP practice ids
    schools_of: dict[int, list[int]]  # locality id -> school ids


@dataclass
class Staff:
    lead: User
    commissioner: User
    clinicians: list[User]


@dataclass
class Built:
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def day_weights(first: dt.date, days: int) -> list[float]:
    """Referrals arrive on weekdays, fewer in August, growing 5% a year."""
    weights = []
    for k in range(days):
        day = first + dt.timedelta(days=k)
        weight = 1.0 if day.weekday() < 5 else 0.08
        if day.month == 8:
            weight *= 0.5
        weights.append(weight * 1.05 ** (k / 365))
    return weights


def make_place(team: Team, authorities: tuple[str, ...], rng: random.Random) -> Place:
    """Localities (one per local authority; thirds of it when the board has one or two),
    GP clusters and practices, and schools, in each locality."""
    by_authority: dict[str, list[str]] = defaultdict(list)
    for code, authority in Lsoa.objects.filter(
        local_authority__in=authorities, code__startswith="W01"
    ).values_list("code", "local_authority"):
        by_authority[authority].append(code)
    locality_of: dict[str, int] = {}
    for authority in authorities:
        codes = sorted(by_authority[authority])
        parts = ["North", "Central", "South"] if len(authorities) < 3 else [""]
        size = math.ceil(len(codes) / len(parts))
        for k, part in enumerate(parts):
            name = f"{part} {authority}".strip()
            locality = Locality.objects.create(team=team, name=name)
            for code in codes[k * size : (k + 1) * size]:
                locality_of[code] = locality.pk
    ranks = {
        code: (rank, decile, quintile)
        for code, rank, decile, quintile in DeprivationRank.objects.filter(
            index__key="wimd2019", lsoa_code__in=list(locality_of)
        ).values_list("lsoa_code", "rank", "decile", "quintile")
    }
    postcodes: dict[str, list[str]] = defaultdict(list)
    for postcode, code in PostcodeArea.objects.filter(
        lsoa11_code__in=list(locality_of)
    ).values_list("postcode", "lsoa11_code"):
        postcodes[code].append(postcode)
    practices: dict[int, list[int]] = defaultdict(list)
    schools: dict[int, list[int]] = defaultdict(list)
    for n, locality in enumerate(Locality.objects.filter(team=team).order_by("pk")):
        for c in range(3):
            cluster = GPCluster.objects.create(team=team, name=f"{locality.name} cluster {c + 1}")
            for p in range(5):
                practice = GPPractice.objects.create(
                    team=team,
                    ods_code=f"W{n:02d}{c}{p:02d}",
                    name=f"{locality.name} surgery {c * 5 + p + 1}",
                    cluster=cluster,
                )
                practices[locality.pk].append(practice.pk)
        for s in range(20):
            kind = "secondary" if s % 6 == 5 else ("special" if s == 19 else "primary")
            school = School.objects.create(
                team=team,
                name=f"Ysgol {locality.name} {s + 1}",
                school_number=f"{n:03d}{s:04d}",
                local_authority=locality.name.split(" ", 1)[-1]
                if locality.name.split(" ", 1)[0] in {"North", "Central", "South"}
                else locality.name,
                school_type=kind,
                locality=locality,
            )
            schools[locality.pk].append(school.pk)
    lsoas = [code for code in locality_of if code in ranks]
    return Place(lsoas, locality_of, ranks, postcodes, practices, schools)


def make_staff(team: Team, index: int, n_referrals: int) -> Staff:
    def person(role: str, k: int) -> User:
        user = User(
            username=f"bench{index}-{role}-{k}",
            email=f"bench{index}.{role}.{k}@example.nhs.uk",
            first_name=role.title(),
            last_name=f"{team.name} {k}",
        )
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, team=team, role=role)
        return user

    clinicians = [person(Role.CLINICIAN, k) for k in range(max(6, n_referrals // 15_000))]
    return Staff(person(Role.LEAD, 0), person(Role.COMMISSIONER, 0), clinicians)


def weeks_to_wait(rng: random.Random, tier: str, received: dt.date, change: dt.date) -> int:
    before, after = WAIT_WEEKS[tier]
    mean = before if received < change else after
    return max(0, round(rng.gammavariate(2.0, mean / 2.0)))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def next_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


class TeamBuilder:
    """Everything one team holds, made in memory table by table and copied in."""

    def __init__(
        self,
        index: int,
        spec: tuple[str, tuple[str, ...], int],
        today: dt.date,
        ids: Ids,
        versions: dict[str, Any],
        now: dt.datetime,
    ) -> None:
        self.index, (self.name, self.authorities, self.n_referrals) = index, spec
        self.today, self.ids, self.versions, self.now = today, ids, versions, now
        self.rng = random.Random(SEED * 10 + index)
        self.first_day = today - dt.timedelta(days=365 * YEARS)
        self.change = today - dt.timedelta(days=365 * CHANGE_YEARS_AGO)
        self.copiers: dict[type[models.Model], Copier] = {}
        self.counts: dict[str, int] = defaultdict(int)
        # Each record's child's locality, by model and id, to stamp the records that keep a
        # copy of it (KeepsChildLocality), as saving them through the ORM would.
        self.locality_of: dict[type[models.Model], dict[int, int | None]] = defaultdict(dict)
        # Each run's register counts and its places', as sapling/groups/register_counts.py
        # keeps them (no session is cancelled here, so every session is held).
        self.run_of_session: dict[int, int] = {}
        self.last_session: dict[int, int] = {}
        self.run_counts: defaultdict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.place_counts: defaultdict[int, list[Any]] = defaultdict(lambda: [0, False])

    def copier(self, model: type[models.Model]) -> Copier:
        if model not in self.copiers:
            self.copiers[model] = Copier(model, self.now)
        return self.copiers[model]

    def add(self, model: type[models.Model], **values: Any) -> int:
        if "id" not in values:
            values["id"] = self.ids.take(model)
        pk = values["id"]
        if model is Child:
            self.locality_of[Child][pk] = values.get("locality_id")
        elif issubclass(model, KeepsChildLocality):
            values["child_locality_id"] = self.locality_through(model, values)
            self.locality_of[model][pk] = values["child_locality_id"]
        elif "child_id" in values:  # an episode: its appointments' locality
            self.locality_of[model][pk] = self.locality_of[Child][values["child_id"]]
        if model is Session or model is Attendance:
            self.count_register(model, values)
        self.copier(model).add(**values)
        self.counts[model._meta.db_table] += 1
        return int(pk)

    def locality_through(self, model: type[KeepsChildLocality], values: dict[str, Any]) -> Any:
        first = model.child_path.split("__")[0]
        parent_id = values.get(f"{first}_id")
        if parent_id is None:
            return None
        parent = model._meta.get_field(first).related_model
        return self.locality_of[parent][parent_id]  # type: ignore[index]

    def count_register(self, model: type[models.Model], values: dict[str, Any]) -> None:
        if model is Session:  # sessions come in date order, before any mark
            self.run_of_session[values["id"]] = values["run_id"]
            self.last_session[values["run_id"]] = values["id"]
            self.run_counts[values["run_id"]][0] += 1
            return
        run_id = self.run_of_session[values["session_id"]]
        came = values["mark"] == "attended"
        self.run_counts[run_id][1] += 1
        self.run_counts[run_id][2] += came
        if came:
            place = self.place_counts[values["enrolment_id"]]
            place[0] += 1
            place[1] = place[1] or values["session_id"] == self.last_session[run_id]

    def fill_register_counts(self, copier: Copier) -> None:
        """The runs' and places' register counts, known once their marks are made."""
        fields, counts = {
            Run: (("sessions_held", "marks_recorded", "marks_attended"), self.run_counts),
            Enrolment: (("sessions_attended", "attended_last_held"), self.place_counts),
        }[copier.model]
        at = [copier.names.index(name) for name in fields]
        pk_at = copier.names.index("id")
        filled = []
        for row in copier.rows:
            values = list(row)
            for position, value in zip(at, counts[values[pk_at]], strict=True):
                values[position] = value
            filled.append(tuple(values))
        copier.rows = filled

    def flush(self, *models_: type[models.Model]) -> None:
        for model in models_:
            if model in self.copiers:
                if model in (Run, Enrolment):
                    self.fill_register_counts(self.copiers[model])
                self.copiers[model].write()

    # -- the team and its reference rows (few: the ORM) --

    def build(self) -> dict[str, int]:
        rng = self.rng
        self.team = Team.objects.create(name=self.name, nation="wales", target_weeks=14)
        self.staff = make_staff(self.team, self.index, self.n_referrals)
        self.place = make_place(self.team, self.authorities, rng)
        self.pathways = {
            key: Pathway.objects.create(team=self.team, key=key, name=label).pk
            for key, label in PATHWAYS
        }
        self.rules = RulesVersion.objects.create(
            team=self.team, number=1, source="# bench rules", active=True
        )
        self.group_programmes = {
            key: Programme.objects.create(
                team=self.team,
                name=name,
                tier="targeted",
                audience="children",
                topic=topic,
                delivery="in_person",
                sessions_count=GROUP_SESSIONS,
                capacity=GROUP_PLACES,
                languages=["en", "cy"],
            ).pk
            for key, (name, topic) in GROUPS.items()
        }
        self.universal_programmes = [
            (
                Programme.objects.create(
                    team=self.team,
                    name=name,
                    tier="universal",
                    audience=audience,
                    topic=topic,
                    delivery="online",
                    sessions_count=sessions,
                    capacity=places,
                    languages=["en", "cy"],
                ).pk,
                sessions,
                places,
            )
            for name, audience, topic, sessions, places in UNIVERSAL
        ]
        ReportSettings.objects.update_or_create(
            team=self.team,
            defaults={
                "catchment_local_authorities": list(self.authorities),
                "service_change_date": self.change,
                "service_change_label": "Tiered triage and groups",
            },
        )
        say(f"  {self.name}: referrals and children")
        self.referrals_and_children()
        self.flush(Child, Referral, TriageDecision)
        say(f"  {self.name}: waiting list")
        self.flush(WaitlistEntry)
        say(f"  {self.name}: groups")
        self.targeted_groups()
        self.flush(Run, Session, Enrolment, Attendance)
        self.universal_groups()
        self.flush(Run, Session, Enrolment, Attendance, Slot, Consultation)
        say(f"  {self.name}: specialist care and outcomes")
        self.specialist_care()
        self.flush(Episode, Appointment, Goal, GasGoal, GasRating, Administration, Response)
        self.group_outcomes()
        self.flush(Administration, Response)
        return dict(self.counts)

    # -- children, referrals, triage and the waiting list --

    def new_child(self, received: dt.date) -> tuple[int, dict[str, Any]]:
        rng, place = self.rng, self.place
        age = rng.choices(range(18), AGE_WEIGHTS)[0]
        born = received - dt.timedelta(days=365 * age + rng.randrange(365))
        area: dict[str, Any]
        roll = rng.random()
        locality = None
        if roll < 0.02:
            area = {"area_status": "no_postcode", "postcode": ""}
        elif roll < 0.05:
            area = {"area_status": "unknown", "postcode": "SA99 9ZZ"}
        else:
            code = rng.choice(place.lsoas)
            rank, decile, quintile = place.rank_of[code]
            postcodes = place.postcodes_of.get(code) or ["CF10 1AA"]
            locality = place.locality_of[code]
            area = {
                "area_status": "known" if roll >= 0.06 else "ambiguous",
                "postcode": rng.choice(postcodes),
                "lsoa_code": code if roll >= 0.06 else "",
                "deprivation_index": "wimd2019" if roll >= 0.06 else "",
                "deprivation_decile": decile if roll >= 0.06 else None,
                "deprivation_quintile": quintile if roll >= 0.06 else None,
            }
            if roll >= 0.06:
                area["deprivation_rank"] = rank
        if locality is None:
            locality = rng.choice(list(place.practices_of))
        quintile = area.get("deprivation_quintile") or 3
        child_id = self.add(
            Child,
            team_id=self.team.pk,
            given_name=rng.choice(GIVEN),
            family_name=rng.choice(FAMILY),
            date_of_birth=born,
            nhs_number=f"{9000000000 + self.ids.next[Child._meta.db_table]:010d}",
            locality_id=locality,
            school_id=rng.choice(place.schools_of[locality]) if age >= 4 else None,
            education_setting="mainstream_school" if age >= 4 else "early_years",
            additional_learning_needs=rng.choices(["yes", "no", "unknown"], [28, 52, 20])[0],
            care_experienced=rng.choices(["yes", "no", "unknown"], [4, 80, 16])[0],
            free_school_meals="yes" if rng.random() < FREE_MEALS_BY_QUINTILE[quintile] else "no",
            ethnicity_code=rng.choices(ETHNIC_CODES, ETHNIC_WEIGHTS)[0],
            ethnicity_system=WALES_CENSUS_2021,
            gp_practice_id=rng.choice(place.practices_of[locality]),
            digital_access_needs="No device for online groups" if rng.random() < 0.05 else "",
            created_at=at(received, 9),
            **{k: v for k, v in area.items() if k != "deprivation_rank"},
            deprivation_rank=area.get("deprivation_rank"),
        )
        return child_id, area

    def referrals_and_children(self) -> None:
        rng = self.rng
        days = (self.today - self.first_day).days + 1
        weights = day_weights(self.first_day, days)
        received_days = sorted(
            self.first_day + dt.timedelta(days=k)
            for k in rng.choices(range(days), weights, k=self.n_referrals)
        )
        fates, shares = zip(*FATES, strict=True)
        children: list[tuple[int, dict[str, Any]]] = []
        self.targeted: list[dict[str, Any]] = []  # entries seen in a group
        self.specialist: list[dict[str, Any]] = []  # entries seen by a specialist
        for i, received in enumerate(received_days):
            if children and rng.random() < RE_REFERRAL_SHARE:
                child_id, area = children[rng.randrange(len(children))]
            else:
                child_id, area = self.new_child(received)
                children.append((child_id, area))
            fate = rng.choices(fates, shares)[0]
            if (self.today - received).days < 14 and rng.random() < 0.5:
                fate = "received"
            status = {"targeted": "waiting", "specialist": "waiting"}.get(fate, fate)
            referral_id = self.add(
                Referral,
                team_id=self.team.pk,
                child_id=child_id,
                reference=f"B{self.index}{i:08d}",
                route=rng.choice(ROUTES),
                source=rng.choice(SOURCES),
                received_on=received,
                reasons=rng.sample(REASONS, rng.randint(1, 3)),
                consent_by="parental_responsibility",
                consent_given=True,
                status=status,
                created_at=at(received, 10),
                postcode=area["postcode"],
                area_status=area["area_status"],
                lsoa_code=area.get("lsoa_code", ""),
                deprivation_index=area.get("deprivation_index", ""),
                deprivation_decile=area.get("deprivation_decile"),
                deprivation_quintile=area.get("deprivation_quintile"),
            )
            if fate in {"received", "withdrawn"}:
                continue
            self.triage(referral_id, child_id, received, fate)

    def triage(self, referral_id: int, child_id: int, received: dt.date, fate: str) -> None:
        rng = self.rng
        decided = received + dt.timedelta(days=rng.randrange(1, 10))
        tier = fate if fate in {"universal", "targeted", "specialist"} else ""
        priority = rng.choices(["urgent", "soon", "routine"], [4, 16, 80])[0]
        pathway_key = rng.choice([*self.pathways, None]) if tier == "targeted" else None
        pathway_id = self.pathways[pathway_key] if pathway_key else None
        score = rng.randrange(21)
        self.add(
            TriageDecision,
            referral_id=referral_id,
            rules_version_id=self.rules.pk,
            answers={},
            recommended_tier=tier or "targeted",
            recommended_priority=priority,
            recommended_pathway_id=pathway_id,
            need_score=score,
            outcome=fate,
            tier=tier,
            priority=priority if tier in {"targeted", "specialist"} else "",
            pathway_id=pathway_id,
            decided_by_id=rng.choice(self.staff.clinicians).pk,
            created_at=at(min(decided, self.today), 14),
        )
        if tier not in {"targeted", "specialist"}:
            return
        entry = {
            "team_id": self.team.pk,
            "child_id": child_id,
            "referral_id": referral_id,
            "tier": tier,
            "pathway_id": pathway_id,
            "priority": priority,
            "priority_rank": PRIORITY_RANK[priority],  # type: ignore[index]
            "need_score": score,
            "clock_start": received,
            "created_at": at(min(decided, self.today), 14),
        }
        weeks = weeks_to_wait(rng, tier, received, self.change)
        if priority == "urgent":
            weeks = min(weeks, 4)
        seen = received + dt.timedelta(weeks=weeks, days=rng.randrange(7))
        if tier == "targeted":
            seen = next_weekday(seen, 1)  # groups start on Tuesdays
        if rng.random() < 0.12:
            ended = received + dt.timedelta(days=rng.randrange(1, max(2, (seen - received).days)))
            if ended <= self.today:
                entry.update(
                    status="ended",
                    ended_on=ended,
                    end_reason=rng.choice(["withdrawn", "no_longer_needed", "moved_away"]),
                )
                self.add(WaitlistEntry, **entry)
                return
        if seen >= self.today:
            if rng.random() < 0.1:
                entry.update(
                    status="allocated",
                    allocated_at=at(self.today, 9),
                    allocated_to_id=rng.choice(self.staff.clinicians).pk,
                )
            self.add(WaitlistEntry, **entry)
            return
        entry.update(
            status="seen",
            clock_stopped_on=seen,
            stop_reason="group_session" if tier == "targeted" else "specialist_contact",
        )
        entry["id"] = self.add(WaitlistEntry, **entry)
        (self.targeted if tier == "targeted" else self.specialist).append(entry)

    # -- groups --

    def sessions(
        self, run_id: int, first: dt.date, count: int, hour: int, every: int
    ) -> list[tuple[int, dt.date]]:
        made = []
        for number in range(1, count + 1):
            day = first + dt.timedelta(weeks=every * (number - 1))
            session_id = self.add(
                Session,
                run_id=run_id,
                number=number,
                starts_at=at(day, hour),
                ends_at=at(day, hour + 1, 30),
                created_at=at(first - dt.timedelta(weeks=4), 9),
            )
            made.append((session_id, day))
        return made

    def run(self, programme_id: int, title: str, first: dt.date, places: int, last: dt.date) -> int:
        status = "finished" if last < self.today else "open"
        return self.add(
            Run,
            programme_id=programme_id,
            team_id=self.team.pk,
            title=title,
            venue="Canolfan" if places <= GROUP_PLACES else "",
            meeting_link="" if places <= GROUP_PLACES else "https://meet.example.nhs.uk/run",
            capacity=places,
            status=status,
            created_at=at(first - dt.timedelta(weeks=6), 9),
        )

    def targeted_groups(self) -> None:
        """Each child seen in a group joined a run that began on their clock-stop day."""
        rng = self.rng
        key_of = {pk: key for key, pk in self.pathways.items()}
        by_start: dict[tuple[str, dt.date], list[dict[str, Any]]] = defaultdict(list)
        for entry in self.targeted:
            key = key_of.get(entry["pathway_id"], "motor")
            by_start[(key, entry["clock_stopped_on"])].append(entry)
        self.group_places: list[tuple[int, int, int, dt.date, bool]] = []
        for (key, first), found in sorted(by_start.items()):
            # A child re-referred onto the same group keeps one place in the run.
            entries = list({entry["child_id"]: entry for entry in reversed(found)}.values())
            for chunk in range(0, len(entries), GROUP_PLACES):
                members = entries[chunk : chunk + GROUP_PLACES]
                last = first + dt.timedelta(weeks=GROUP_SESSIONS - 1)
                run_id = self.run(
                    self.group_programmes[key],
                    f"{GROUPS[key][0]} {first:%d %b %Y}",
                    first,
                    GROUP_PLACES,
                    last,
                )
                sessions = self.sessions(run_id, first, GROUP_SESSIONS, 10, 1)
                for entry in members:
                    enrolment_id = self.add(
                        Enrolment,
                        run_id=run_id,
                        child_id=entry["child_id"],
                        waitlist_entry_id=entry["id"],
                        status="enrolled",
                        enrolled_at=at(first - dt.timedelta(weeks=2), 11),
                    )
                    drops_after = rng.randint(1, GROUP_SESSIONS - 1) if rng.random() < 0.15 else 99
                    for number, (session_id, day) in enumerate(sessions, start=1):
                        if day >= self.today:
                            break
                        if number == 1:
                            mark = "attended"  # the clock stopped at the first session
                        elif number > drops_after:
                            mark = "did_not_attend"
                        else:
                            mark = rng.choices(
                                ["attended", "apologies", "did_not_attend"], [85, 9, 6]
                            )[0]
                        self.add(
                            Attendance,
                            enrolment_id=enrolment_id,
                            session_id=session_id,
                            mark=mark,
                            recorded_at=at(day, 12),
                        )
                    self.group_places.append(
                        (run_id, enrolment_id, entry["child_id"], last, drops_after == 99)
                    )

    def universal_groups(self) -> None:
        """Universal training every fortnight per programme, some booking a consultation."""
        rng = self.rng
        scale = self.n_referrals / 100_000
        for programme_id, count, places in self.universal_programmes:
            first = next_weekday(self.first_day, 2)
            while first < self.today + dt.timedelta(weeks=4):
                last = first + dt.timedelta(weeks=count - 1)
                run_id = self.run(programme_id, f"Training {first:%d %b %Y}", first, places, last)
                sessions = self.sessions(run_id, first, count, 18, 1)
                for _place in range(
                    min(places, round(places * rng.uniform(0.4, 0.9) * min(1, scale)))
                ):
                    enrolment_id = self.ids.take(Enrolment)
                    self.add(
                        Enrolment,
                        id=enrolment_id,
                        run_id=run_id,
                        status="enrolled",
                        participant_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                        participant_role="Teaching assistant" if count > 1 else "Parent",
                        participant_email=f"p{enrolment_id}@example.org",
                        enrolled_at=at(first - dt.timedelta(weeks=1), 11),
                    )
                    attended = False
                    for session_id, day in sessions:
                        if day >= self.today:
                            break
                        mark = "attended" if rng.random() < 0.8 else "did_not_attend"
                        attended = attended or mark == "attended"
                        self.add(
                            Attendance,
                            enrolment_id=enrolment_id,
                            session_id=session_id,
                            mark=mark,
                            recorded_at=at(day, 20),
                        )
                    if attended and rng.random() < 0.15:
                        self.consultation(enrolment_id, last)
                first += dt.timedelta(weeks=2)

    def consultation(self, enrolment_id: int, after: dt.date) -> None:
        rng = self.rng
        day = after + dt.timedelta(days=rng.randrange(7, 35))
        online = rng.random() < 0.6
        slot_id = self.add(
            Slot,
            team_id=self.team.pk,
            clinician_id=rng.choice(self.staff.clinicians).pk,
            starts_at=at(day, 15),
            minutes=30,
            mode="online" if online else "phone",
            meeting_link="https://meet.example.nhs.uk/c" if online else "",
            status="booked",
        )
        held = day < self.today
        outcome = rng.choices(["avoided", "made", "already"], [55, 25, 20])[0]
        status = ("held" if rng.random() < 0.9 else "not_held") if held else "booked"
        self.add(
            Consultation,
            team_id=self.team.pk,
            slot_id=slot_id,
            enrolment_id=enrolment_id,
            name="Participant",
            email=f"p{enrolment_id}@example.org",
            question="Pencil grip",
            booked_at=at(after, 21),
            status=status,
            advice="Advice given" if held else "",
            referral=outcome if status == "held" else "",
            recorded_at=at(day, 16) if held else None,
        )

    # -- specialist care and outcomes --

    def specialist_care(self) -> None:
        rng = self.rng
        open_child: set[int] = set()
        for entry in self.specialist:
            opened = entry["clock_stopped_on"]
            clinician = rng.choice(self.staff.clinicians).pk
            contacts = [opened]
            for _ in range(rng.randint(2, 8)):
                contacts.append(contacts[-1] + dt.timedelta(days=rng.randrange(10, 28)))
            discharged = contacts[-1] + dt.timedelta(days=7)
            is_open = False
            if discharged > self.today:
                if entry["child_id"] in open_child:  # one open episode per child
                    discharged = self.today
                else:
                    open_child.add(entry["child_id"])
                    is_open = True
            reason = rng.choices(
                ["goals_met", "stepped_down", "moved_away", "not_brought"], [60, 25, 5, 10]
            )[0]
            episode_id = self.add(
                Episode,
                team_id=self.team.pk,
                child_id=entry["child_id"],
                entry_id=entry["id"],
                referral_id=entry["referral_id"],
                lead_clinician_id=clinician,
                opened_on=opened,
                status="open" if is_open else "discharged",
                discharged_on=None if is_open else discharged,
                discharge_reason="" if is_open else reason,
                created_at=at(opened, 9),
            )
            for k, day in enumerate(contacts):
                if day >= self.today:
                    outcome = "booked"
                elif k == 0:
                    outcome = "attended"
                else:
                    outcome = rng.choices(
                        ["attended", "cancelled_by_family", "cancelled_by_service", "not_brought"],
                        [82, 6, 4, 8],
                    )[0]
                self.add(
                    Appointment,
                    team_id=self.team.pk,
                    episode_id=episode_id,
                    clinician_id=clinician,
                    kind=rng.choice(["clinic", "school", "home", "online"]),
                    starts_at=at(day, 10),
                    ends_at=at(day, 11),
                    outcome=outcome,
                    outcome_recorded_at=None if outcome == "booked" else at(day, 12),
                )
            self.goals(
                episode_id, entry["child_id"], opened, clinician, None if is_open else discharged
            )
            if not is_open:
                self.measure(
                    "family_confidence",
                    entry["child_id"],
                    discharged,
                    "discharge",
                    episode_id=episode_id,
                )
                if rng.random() < 0.5:
                    self.measure(
                        "friends_and_family_test",
                        entry["child_id"],
                        discharged,
                        "discharge",
                        episode_id=episode_id,
                    )

    def goals(
        self, episode_id: int, child_id: int, opened: dt.date, by: int, discharged: dt.date | None
    ) -> None:
        rng = self.rng
        set_on = min(self.today, opened + dt.timedelta(days=14))
        for k in range(rng.choice([1, 2, 2, 3])):
            attainment = rng.choices([-2, -1, 0, 1, 2], [5, 20, 40, 25, 10])[0]
            done = discharged is not None and discharged >= set_on
            goal_id = self.add(
                Goal,
                episode_id=episode_id,
                text=f"Goal {k + 1}",
                whose_words="Parent",
                set_on=set_on,
                set_by_id=by,
                status=("achieved" if attainment >= 0 else "stopped") if done else "active",
                status_changed_on=discharged if done else None,
            )
            gas_id = self.add(
                GasGoal,
                team_id=self.team.pk,
                child_id=child_id,
                goal_id=goal_id,
                episode_id=episode_id,
                goal_text=f"Goal {k + 1}",
                much_less="-2",
                less="-1",
                expected="0",
                more="+1",
                much_more="+2",
                baseline=rng.choice([-1, -1, -2]),
                set_on=set_on,
                set_by_id=by,
                closed_on=discharged if done else None,
            )
            if done:
                assert discharged is not None
                self.add(
                    GasRating,
                    goal_id=gas_id,
                    time_point="discharge",
                    attainment=attainment,
                    rated_on=discharged,
                    rated_by_id=by,
                )

    def measure(
        self, name: str, child_id: int | None, due: dt.date, time_point: str, **about: Any
    ) -> None:
        rng = self.rng
        version = self.versions[name]
        completed = rng.random() < (0.6 if name == "family_confidence" else 0.45)
        sent = at(due, 9)
        admin_id = self.add(
            Administration,
            team_id=self.team.pk,
            child_id=child_id,
            instrument_version_id=version.pk,
            time_point=time_point,
            respondent="parent",
            due_on=due,
            status="completed" if completed else "sent",
            sent_at=sent,
            completed_at=at(due + dt.timedelta(days=2), 19) if completed else None,
            created_at=sent,
            **about,
        )
        if not completed:
            return
        if name == "family_confidence":
            answers = {
                "confidence": rng.choices(
                    ["extremely", "somewhat", "neither", "not-very", "not-at-all"],
                    [45, 35, 10, 6, 4],
                )[0]
            }
        else:
            answers = {
                "experience": rng.choices(["1", "2", "3", "4", "5", "6"], [60, 25, 6, 4, 3, 2])[0]
            }
        self.add(
            Response,
            administration_id=admin_id,
            instrument_version_id=version.pk,
            answers=answers,
            scores=score_answers(version.scoring, answers),
            mode=rng.choice(["link", "link", "paper"]),
            submitted_at=at(due + dt.timedelta(days=2), 19),
        )

    def group_outcomes(self) -> None:
        """Family confidence at the end of each targeted run, for the children who stayed."""
        for run_id, enrolment_id, child_id, last, stayed in self.group_places:
            if stayed and last < self.today:
                self.measure(
                    "family_confidence",
                    child_id,
                    last,
                    "run_end",
                    run_id=run_id,
                    enrolment_id=enrolment_id,
                )


ETHNIC_CODES = list(ETHNICITY_WEIGHTS)
ETHNIC_WEIGHTS = list(ETHNICITY_WEIGHTS.values())


def snapshots(today: dt.date) -> int:
    """Weekly snapshots as `sapling snapshot` would have taken them every Sunday: the open
    entries by tier, pathway and priority, counted by completed weeks waited (one SQL)."""
    sql = """
        INSERT INTO waitlist_snapshot
            (team_id, week_starting, taken_at, tier, pathway_id, priority, counts_by_week)
        SELECT team_id, week, (week + 6) + time '20:00', tier, pathway_id, priority,
               jsonb_object_agg(weeks::text, n)
        FROM (
            SELECT e.team_id, w.week, e.tier, e.pathway_id, e.priority,
                   ((w.week + 6) - e.clock_start) / 7 AS weeks, count(*) AS n
            FROM waitlist_waitlistentry e
            JOIN (SELECT d::date AS week FROM generate_series(
                      %(first)s::date, %(last)s::date, interval '7 days') d) w
              ON e.clock_start <= w.week + 6
             AND COALESCE(e.clock_stopped_on, e.ended_on, %(future)s::date) > w.week + 6
            GROUP BY 1, 2, 3, 4, 5, 6
        ) grouped
        GROUP BY team_id, week, tier, pathway_id, priority
    """
    last = today - dt.timedelta(days=today.weekday() + 7)
    first = last - dt.timedelta(weeks=52 * YEARS - 1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, {"first": first, "last": last, "future": today + dt.timedelta(days=1)})
        return cursor.rowcount


# --- building, or reusing, the data ---------------------------------------------------


def dataset_key() -> dict[str, Any]:
    return {
        "version": DATA_VERSION,
        "seed": SEED,
        "referrals": sum(t[2] for t in TEAMS),
        "teams": [t[0] for t in TEAMS],
    }


def stored_dataset() -> dict[str, Any] | None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (key jsonb, built jsonb)")
        cursor.execute(f"SELECT key, built FROM {MARKER}")  # noqa: S608 (a constant)
        row = cursor.fetchone()
    if row is None:
        return None
    key, built = (json.loads(v) if isinstance(v, str) else v for v in row)
    return {"key": key, "built": built}


def clear() -> None:
    tables = [
        t
        for t in connection.introspection.table_names()
        if t not in KEEP_TABLES and not t.startswith(KEEP_PREFIXES) and t != MARKER
    ]
    say(f"clearing {len(tables)} tables")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER}")  # noqa: S608 (a constant)
        names = ", ".join(connection.ops.quote_name(t) for t in tables)
        cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


def build(today: dt.date) -> dict[str, Any]:
    from sapling.areas import importers

    if not Lsoa.objects.exists() or not PostcodeArea.objects.exists():
        say("loading the shipped area files (LSOAs, WIMD, postcodes, child population)")
        importers.load_shipped()
    clear()
    call_command("createcachetable", verbosity=0)
    instruments.load_shipped()
    versions = {
        name: instruments.shipped_version(name)
        for name in ("family_confidence", "friends_and_family_test")
    }
    ids, now = Ids(), timezone.now()
    made: dict[str, Any] = {}
    for index, spec in enumerate(TEAMS, start=1):
        start = time.perf_counter()
        say(f"building {spec[0]} ({spec[2]:,} referrals)")
        builder = TeamBuilder(index, spec, today, ids, versions, now)
        made[spec[0]] = builder.build()
        say(f"  {spec[0]} done in {time.perf_counter() - start:.0f} s")
    big_tables = {table for counts in made.values() for table in counts}
    reset_sequences(big_tables)
    say("weekly snapshots")
    made["snapshot_rows"] = snapshots(today)
    return made


def vacuum() -> None:
    """VACUUM ANALYZE, as autovacuum keeps a live database: freshly copied tables have no
    visibility map, so every index scan would also read the table (no index-only scans), and
    no statistics. Quick when nothing has changed since the last one."""
    say("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def check_derived_fields() -> None:
    """The copies and counts the reports read, as the application would have kept them: a
    fast page over wrong figures would prove nothing."""
    say("checking each record's copy of its child's locality and each run's register counts")
    wrong = localities.out_of_step()
    late = register_counts.out_of_step(
        Run.objects.filter(team__name=LARGEST).values_list("pk", flat=True)
    )
    if wrong or late:
        raise RuntimeError(f"out of step: localities {wrong}, register counts of runs {late[:10]}")


def ensure_data(rebuild: bool, today: dt.date) -> tuple[dict[str, Any], float | None]:
    stored = stored_dataset()
    if stored and stored["key"] == dataset_key() and not rebuild:
        say(f"reusing the data set built {stored['built']['built_at']} ({stored['key']})")
        vacuum()
        return stored["built"], None
    start = time.perf_counter()
    made = build(today)
    vacuum()
    seconds = round(time.perf_counter() - start, 1)
    check_derived_fields()
    built = {
        "built_at": timezone.now().isoformat(timespec="seconds"),
        "today": str(today),
        "build_s": seconds,
        "rows": made,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MARKER} VALUES (%s, %s)",  # noqa: S608 (a constant)
            [json.dumps(dataset_key()), json.dumps(built)],
        )
    return built, seconds


# --- measuring ----------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile, as the project's metrics use."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def timed_get(client: Client, url: str) -> tuple[float, int, float]:
    """One GET: (ms, SQL queries, ms in SQL); anything but a 200 stops the run."""
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = 1000 * (time.perf_counter() - start)
    if response.status_code != 200 or b"nhsuk-error-summary" in response.content:
        raise RuntimeError(f"{url} answered {response.status_code} (or with form errors)")
    in_sql = sum(1000 * float(q["time"]) for q in queries.captured_queries)
    return elapsed, len(queries.captured_queries), in_sql


def measure(
    label: str, client: Client, url: str, *, cold: bool, repeat: int = REPEAT
) -> dict[str, Any]:
    """`repeat` timed GETs. Cold: Django's cache cleared before each (the process is
    already warm from the very first request). Warm: after one untimed GET of the same page,
    whose cache entries the timed ones may reuse."""
    if not cold:
        client.get(url)
    times, counts, in_sql = [], [], []
    for _ in range(repeat):
        if cold:
            cache.clear()
        elapsed, count, sql = timed_get(client, url)
        times.append(elapsed)
        counts.append(count)
        in_sql.append(sql)
    result = {
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "max_ms": round(max(times), 1),
        "sql_p50_ms": round(percentile(in_sql, 50), 1),
        "queries": counts[0] if len(set(counts)) == 1 else sorted(set(counts)),
        "n": repeat,
    }
    say(f"  {label}: {result}")
    return result


def slowest_queries(client: Client, url: str, top: int = 8) -> list[dict[str, Any]]:
    """One uncached request's queries, slowest first, to show where the time goes."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timed = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:top]
    return [{"ms": round(1000 * float(q["time"]), 1), "sql": q["sql"][:400]} for q in timed]


def section_times(team: Team, filters: Any, today: dt.date) -> dict[str, Any]:
    """Each dashboard section in page order, then the before-and-after page's, uncached,
    sharing figures as the page does (sections.all_sections' memo scope): what each adds to
    a page's time."""
    from sapling.reports import sections
    from sapling.reports.memo import remembering

    found = {}
    cache.clear()
    from sapling.reports import before_after

    with remembering():
        for make in (*sections.SECTIONS, before_after.section):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                make(team, filters, today=today)
                elapsed = 1000 * (time.perf_counter() - start)
            in_sql = sum(1000 * float(q["time"]) for q in queries.captured_queries)
            found[make.__module__.rsplit(".", 1)[-1]] = {
                "ms": round(elapsed, 1),
                "queries": len(queries),
                "sql_ms": round(in_sql, 1),
            }
    say(f"  {found}")
    return found


def client_for(team: Team, role: str) -> Client:
    user = Membership.objects.filter(team=team, role=role).first()
    if user is None:
        raise RuntimeError(f"{team} has no {role}")
    client = Client()
    client.force_login(user.user)
    return client


def filtered_locality(team: Team) -> int:
    """The team's busiest locality (most children)."""
    busiest = (
        Child.objects.filter(team=team)
        .values("locality_id")
        .annotate(n=models.Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None
    return int(busiest["locality_id"])


def filtered_query(team: Team, today: dt.date) -> str:
    """One locality and the last 3 months, as the filter form sends them (day, month and
    year boxes for each date)."""
    date_from = today - dt.timedelta(days=91)
    query: dict[str, Any] = {"locality": filtered_locality(team)}
    for name, day in (("date_from", date_from), ("date_to", today)):
        query |= {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
    return urlencode(query)


def main() -> None:
    started = time.perf_counter()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    say(f"database: {settings.DATABASES['default']['NAME']} (DEBUG={settings.DEBUG})")
    say("migrating (a no-op after the first run)")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    today = timezone.localdate()
    built, build_s = ensure_data("--rebuild" in sys.argv, today)
    if built["today"] != str(today):
        say(f"note: the data were generated on {built['today']}; today is {today}")
    figures: dict[str, Any] = {
        "referrals": Referral.objects.count(),
        "children": Child.objects.count(),
        "waitlist_entries": WaitlistEntry.objects.count(),
        "open_entries": WaitlistEntry.objects.open().count(),
        "enrolments": Enrolment.objects.count(),
        "attendances": Attendance.objects.count(),
        "episodes": Episode.objects.count(),
        "appointments": Appointment.objects.count(),
        "administrations": Administration.objects.count(),
        "responses": Response.objects.count(),
        "build_s_this_run": build_s,
        "data_built_at": built["built_at"],
        "data_build_s": built["build_s"],
        "repeat": REPEAT,
    }
    say(json.dumps({k: v for k, v in figures.items()}))
    largest = Team.objects.get(name=LARGEST)
    lead = client_for(largest, Role.LEAD)
    dashboard = reverse("reports:show_dashboard")
    filtered = f"{dashboard}?{filtered_query(largest, today)}"
    figures["filtered_url"] = filtered

    say("the very first dashboard request of this process (coldest)")
    cache.clear()
    first_ms, first_queries, first_sql = timed_get(lead, dashboard)
    figures["dashboard_very_first"] = {
        "ms": round(first_ms, 1),
        "queries": first_queries,
        "sql_ms": round(first_sql, 1),
    }
    say(f"  {figures['dashboard_very_first']}")
    say(f"dashboard, first load (cache cleared before each), lead of {LARGEST}")
    figures["dashboard_first_load"] = measure("first load", lead, dashboard, cold=True)
    say(f"dashboard, filtered reload (one locality, 3 months): {filtered}")
    figures["dashboard_filtered_reload"] = measure("filtered reload", lead, filtered, cold=False)
    compared = reverse("reports:show_before_after")
    say("the before-and-after page, first load (cache cleared before each)")
    figures["before_after_first_load"] = measure(
        "before/after first load", lead, compared, cold=True
    )
    compared_filtered = f"{compared}?{urlencode({'locality': filtered_locality(largest)})}"
    say(f"the before-and-after page, filtered reload (one locality): {compared_filtered}")
    figures["before_after_filtered_reload"] = measure(
        "before/after filtered reload", lead, compared_filtered, cold=False
    )
    say("for information: first load with PostgreSQL's JIT off for this connection")
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    figures["dashboard_first_load_jit_off"] = measure(
        "first load, jit off", lead, dashboard, cold=True, repeat=min(REPEAT, 3)
    )
    with connection.cursor() as cursor:
        cursor.execute("RESET jit")
    from sapling.reports.filters import Filters

    say("each section alone, default filters and filtered")
    default = Filters.last_twelve_months(today)
    figures["sections_default"] = section_times(largest, default, today)
    narrow = Filters(today - dt.timedelta(days=91), today, locality_id=filtered_locality(largest))
    figures["sections_filtered"] = section_times(largest, narrow, today)
    figures["slowest_dashboard_queries"] = slowest_queries(lead, dashboard)
    for row in figures["slowest_dashboard_queries"]:
        say(f"  {row['ms']} ms  {row['sql'][:200]}")

    say("commissioner tables, each team as its commissioner (cache cleared before each)")
    quarterly = reverse("reports:show_commissioner_tables")
    figures["commissioner_tables"] = {}
    for name, _las, _n in TEAMS:
        team = Team.objects.get(name=name)
        figures["commissioner_tables"][name] = measure(
            name, client_for(team, Role.COMMISSIONER), quarterly, cold=True
        )
    figures["slowest_commissioner_queries"] = slowest_queries(
        client_for(largest, Role.COMMISSIONER), quarterly
    )
    figures["run_s"] = round(time.perf_counter() - started, 1)
    figures["load_average_start_end"] = [load_at_start, [round(x, 2) for x in os.getloadavg()]]
    worst_commissioner = max(r["p95_ms"] for r in figures["commissioner_tables"].values())
    targets = {
        "dashboard_first_load_p95_under_2s": figures["dashboard_first_load"]["p95_ms"] < 2000,
        "dashboard_filtered_p95_under_500ms": figures["dashboard_filtered_reload"]["p95_ms"] < 500,
        "before_after_first_load_p95_under_2s": figures["before_after_first_load"]["p95_ms"] < 2000,
        "before_after_filtered_p95_under_500ms": (
            figures["before_after_filtered_reload"]["p95_ms"] < 500
        ),
        "commissioner_tables_p95_under_2s_every_team": worst_commissioner < 2000,
    }
    print(json.dumps({"figures": figures, "targets": targets}))


if __name__ == "__main__":
    main()
