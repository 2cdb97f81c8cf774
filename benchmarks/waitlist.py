"""Benchmark: the waiting list and the public form's submit, on PostgreSQL at full size.

Targets (issue 3), on this 2-core machine, with 100,000 referrals (20,000 of them open
waiting-list entries) across 5 teams, through Django's test client:
  - the waiting list's first page (/waiting-list/, which shows the headline figures too)
    for a logged-in service lead: p95 under 150 ms;
  - SQL queries per waiting-list request constant as the list grows: the same count for a
    team with 1,000 open entries (5,000 referrals) as for the largest team (16,000 open
    entries, 80,000 referrals);
  - the public request-for-help form's final submit: p95 under 100 ms. The per-address rate
    limit is raised for the run (SAPLING_PUBLIC_FORM_RATE=1000000 by override_settings),
    since every submit comes from the one test-client address.

The headline figures are on the list page, so the page is timed with them, and the figures
function (sapling.waitlist.figures.headline) is also timed on its own.

The data go into a dedicated database, DATABASE_URL or
postgres://postgres@127.0.0.1:5432/sapling_bench: created if missing, migrated, emptied
and rebuilt with bulk_create on every run, so runs are repeatable. Django runs with
SAPLING_ENV=development and DEBUG off (SAPLING_DEBUG=false), as a server would.

Run: .venv/bin/python benchmarks/waitlist.py   (progress on stderr; last line is JSON)
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _postgres import say, setup_django  # noqa: E402  (benchmarks/, this script's folder)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sapling_bench"

TIMED = 60  # timed requests per measure, after WARM_UP untimed ones
WARM_UP = 5
SEED = 20260303
# (name, referrals, open waiting-list entries): 100,000 referrals and 20,000 open entries.
TEAMS = [
    ("Bench large team", 80_000, 16_000),
    ("Bench small team", 5_000, 1_000),
    ("Bench team 3", 5_000, 1_000),
    ("Bench team 4", 5_000, 1_000),
    ("Bench team 5", 5_000, 1_000),
]
LARGE, SMALL = TEAMS[0][0], TEAMS[1][0]
PATHWAYS = [
    ("motor", "Motor coordination"),
    ("sensory", "Sensory processing"),
    ("handwriting", "Handwriting"),
    ("self-care", "Self-care"),
]
# Share of a team's referrals in each closed or pre-list state (open entries are the rest).
CLOSED_MIX = [
    ("received", 0.05),
    ("universal", 0.15),
    ("declined", 0.10),
    ("redirected", 0.05),
    ("withdrawn", 0.10),
    ("closed", 0.35),  # went on the list and came off it (seen or ended)
]
GIVEN = ["Cerys", "Dylan", "Ffion", "Osian", "Amelia", "Noah", "Isla", "Jac", "Mali", "Leo"]
FAMILY = ["Jones", "Davies", "Williams", "Evans", "Thomas", "Roberts", "Hughes", "Lewis"]
REASONS = ["handwriting", "self_care", "movement", "sensory", "play", "school_work"]


setup_django(DEFAULT_URL)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from sapling.accounts.models import Locality, Membership, Team, User  # noqa: E402
from sapling.children.models import Child, School  # noqa: E402
from sapling.core.roles import Role  # noqa: E402
from sapling.referrals.models import Referral  # noqa: E402
from sapling.triage.models import PRIORITY_RANK, Pathway  # noqa: E402
from sapling.waitlist.figures import headline  # noqa: E402
from sapling.waitlist.models import CheckIn, WaitlistEntry  # noqa: E402

# Tables kept when the data are cleared: the migration record and Django's own catalogues.
KEEP_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
NEEDLES = ("Headline figures", '<td class="nhsuk-table__cell"><a href="/waiting-list/')


# --- building the data ----------------------------------------------------------------


def prepare_database() -> None:
    say("migrating (a no-op after the first run)")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    tables = sorted(set(connection.introspection.table_names()) - KEEP_TABLES)
    say(f"clearing {len(tables)} tables")
    with connection.cursor() as cursor:
        names = ", ".join(connection.ops.quote_name(t) for t in tables)
        cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


def build_team(
    rng: random.Random, index: int, name: str, n_referrals: int, n_open: int, today: dt.date
) -> dict[str, int]:
    """One team: a lead, clinicians, pathways, children, referrals, entries, check-ins."""
    team = Team.objects.create(name=name, nation="wales", target_weeks=14)
    users = []
    for k, role in enumerate([Role.LEAD, Role.CLINICIAN, Role.CLINICIAN, Role.CLINICIAN]):
        user = User(username=f"bench{index}-{role}-{k}", email=f"bench{index}.{k}@example.nhs.uk")
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    Membership.objects.bulk_create(
        Membership(user=user, team=team, role=Role.LEAD if k == 0 else Role.CLINICIAN)
        for k, user in enumerate(users)
    )
    clinicians = users[1:]
    pathways = Pathway.objects.bulk_create(
        Pathway(team=team, key=key, name=label) for key, label in PATHWAYS
    )
    localities = Locality.objects.bulk_create(
        Locality(team=team, name=f"Locality {k}") for k in range(3)
    )
    schools = School.objects.bulk_create(
        School(
            team=team,
            name=f"Ysgol {index}-{k}",
            school_number=f"67{index}{k:04d}",
            local_authority="Swansea",
            school_type="primary",
            locality=localities[k % 3],
        )
        for k in range(12)
    )

    # Each referral's fate, shuffled so that ids do not line up with statuses.
    fates = ["open"] * n_open
    for status, share in CLOSED_MIX:
        fates += [status] * round(share * n_referrals)
    fates = (fates + ["received"] * n_referrals)[:n_referrals]
    rng.shuffle(fates)
    received = [today - dt.timedelta(days=rng.randrange(730)) for _ in range(n_referrals)]

    children = Child.objects.bulk_create(
        (
            Child(
                team=team,
                given_name=rng.choice(GIVEN),
                family_name=rng.choice(FAMILY),
                date_of_birth=dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(15 * 365)),
                postcode=f"SA{rng.randrange(1, 9)} {rng.randrange(1, 9)}AA",
                locality=localities[i % 3],
                school=schools[i % 12],
            )
            for i in range(n_referrals)
        ),
        batch_size=5000,
    )
    referral_status = {"open": "waiting"}
    referrals = Referral.objects.bulk_create(
        (
            Referral(
                team=team,
                child=children[i],
                reference=f"B{index}-{i:08d}",
                route=rng.choice(["letter", "phone", "e_referral", "public_form"]),
                source=rng.choice(["parent", "school", "gp", "health_visitor"]),
                received_on=received[i],
                reasons=rng.sample(REASONS, 2),
                consent_by="parental_responsibility",
                consent_given=True,
                status=referral_status.get(fates[i], fates[i]),
            )
            for i in range(n_referrals)
        ),
        batch_size=5000,
    )

    entries = []
    for i, fate in enumerate(fates):
        if fate not in {"open", "closed"}:
            continue
        priority = rng.choices(["urgent", "soon", "routine"], weights=[5, 20, 75])[0]
        entry = WaitlistEntry(
            team=team,
            child=children[i],
            referral=referrals[i],
            tier=rng.choices(["targeted", "specialist"], weights=[60, 40])[0],
            pathway=rng.choice(pathways) if rng.random() < 0.9 else None,
            priority=priority,
            priority_rank=PRIORITY_RANK[priority],
            need_score=rng.randrange(21),
            clock_start=received[i],
        )
        if fate == "open" and rng.random() < 0.1:
            entry.status = "allocated"
            entry.allocated_to = rng.choice(clinicians)
            entry.allocated_at = timezone.now()
        elif fate == "closed":
            done = min(today, received[i] + dt.timedelta(days=rng.randrange(7, 300)))
            if rng.random() < 0.7:
                entry.status, entry.clock_stopped_on = "seen", done
                entry.stop_reason = rng.choice(["group_session", "specialist_contact"])
            else:
                entry.status, entry.ended_on, entry.end_reason = "ended", done, "withdrawn"
        entries.append(entry)
    entries = WaitlistEntry.objects.bulk_create(entries, batch_size=5000)

    check_ins = []
    for entry in entries:
        if entry.status not in {"waiting", "allocated"} or rng.random() >= 0.1:
            continue
        due = entry.clock_start + dt.timedelta(weeks=6)
        roll = rng.random()
        check_in = CheckIn(entry=entry, due_on=due)
        if roll < 0.2:
            check_in.answer, check_in.answered_at = "worse", timezone.now()
        elif roll < 0.25:
            check_in.clinician_prompted_at = timezone.now()  # unanswered: needs a call
        else:
            check_in.answer, check_in.answered_at = "still_needed", timezone.now()
        check_ins.append(check_in)
    CheckIn.objects.bulk_create(check_ins, batch_size=5000)
    return {
        "referrals": len(referrals),
        "entries": len(entries),
        "open_entries": sum(e.status in {"waiting", "allocated"} for e in entries),
        "check_ins": len(check_ins),
    }


def build(today: dt.date) -> dict[str, dict[str, int]]:
    rng = random.Random(SEED)
    made = {}
    for index, (name, n_referrals, n_open) in enumerate(TEAMS, start=1):
        start = time.perf_counter()
        with transaction.atomic():
            made[name] = build_team(rng, index, name, n_referrals, n_open, today)
        say(f"  {name}: {made[name]} in {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give
    return made


# --- measuring ------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile, as the project's metrics use."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def sql_ms(queries: CaptureQueriesContext) -> float:
    """Time spent executing SQL (the debug cursor's per-query times, in ms)."""
    return sum(1000 * float(q["time"]) for q in queries.captured_queries)


def measure(label: str, action: Callable[[], Any]) -> dict[str, Any]:
    """Time `action` TIMED times after WARM_UP untimed calls, counting its SQL queries."""
    for _ in range(WARM_UP):
        action()
    times, counts, in_sql = [], [], []
    for _ in range(TIMED):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            action()
            times.append(1000 * (time.perf_counter() - start))
        counts.append(len(queries.captured_queries))
        in_sql.append(sql_ms(queries))
    result = {
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "max_ms": round(max(times), 1),
        "sql_p50_ms": round(percentile(in_sql, 50), 1),
        "queries": sorted(set(counts)) if len(set(counts)) > 1 else counts[0],
        "n": TIMED,
    }
    say(f"  {label}: {result}")
    return result


def lead_client(team: Team) -> Client:
    lead = Membership.objects.get(team=team, role=Role.LEAD).user
    client = Client()
    client.force_login(lead)
    return client


def get_ok(client: Client, url: str) -> Callable[[], Any]:
    """GET `url`, and check it is a waiting-list page with figures and children listed."""

    def fetch() -> Any:
        response = client.get(url)
        html = response.content.decode()
        if response.status_code != 200 or not all(n in html for n in NEEDLES):
            raise RuntimeError(f"{url} answered {response.status_code} without {NEEDLES}")
        return response

    return fetch


def slowest_queries(client: Client, url: str, top: int = 5) -> list[dict[str, Any]]:
    """One request's queries, slowest first, to show where the time goes."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # CaptureQueriesContext forces the debug cursor, so each query carries its time (s).
    rows = [{"ms": round(1000 * float(q["time"]), 1), "sql": q["sql"][:300]} for q in queries]
    return sorted(rows, key=lambda row: -row["ms"])[:top]


def answers(i: int) -> list[tuple[str, dict[str, Any]]]:
    """One family's answers to the public form's questions, a different child each time."""
    return [
        ("who", {"filled_in_by": "parent"}),
        (
            "child",
            {
                "given_name": f"Bench{i}",
                "family_name": FAMILY[i % len(FAMILY)],
                "date_of_birth_day": str(1 + i % 28),
                "date_of_birth_month": str(1 + i % 12),
                "date_of_birth_year": str(2012 + i % 6),
                "nhs_number": "",
                "postcode": "SA1 1AA",
                "school_name": "",
            },
        ),
        ("needs", {"reasons": ["handwriting", "sensory"], "description": "Holding a pencil"}),
        ("setting", {"setting": "school"}),
        ("others", {"others_involved": ""}),
        (
            "contact",
            {
                "given_name": "Mair",
                "family_name": FAMILY[i % len(FAMILY)],
                "relationship": "mother",
                "phone": "",
                "email": "mair@example.com",
                "address": "",
                "contact_preference": "email",
                "preferred_language": "cy",
            },
        ),
        ("consent", {"consent_given": "on"}),
    ]


def measure_submit() -> dict[str, Any]:
    """Walk every question page with a fresh client, then time only the final POST."""
    times, counts, in_sql, made = [], [], [], 0
    for i in range(WARM_UP + TIMED):
        client = Client()
        for step, data in answers(i):
            response = client.post(f"/request-help/{step}/", data)
            if response.status_code != 302:
                raise RuntimeError(f"step {step} answered {response.status_code}")
        html = client.get("/request-help/check/").content.decode()
        key = html.split('name="submission_key" value="')[1].split('"')[0]
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.post("/request-help/check/", {"submission_key": key})
            elapsed = 1000 * (time.perf_counter() - start)
        if response.status_code != 302 or response["Location"] != "/request-help/sent/":
            raise RuntimeError(f"submit answered {response.status_code}")
        made += 1
        if i >= WARM_UP:
            times.append(elapsed)
            counts.append(len(queries.captured_queries))
            in_sql.append(sql_ms(queries))
    result = {
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "max_ms": round(max(times), 1),
        "sql_p50_ms": round(percentile(in_sql, 50), 1),
        "queries": sorted(set(counts)) if len(set(counts)) > 1 else counts[0],
        "n": TIMED,
        "referrals_made": made,
    }
    say(f"  public form submit: {result}")
    return result


def main() -> None:
    started = time.perf_counter()
    load_at_start = round(os.getloadavg()[0], 2)  # the machine is shared: say how busy
    say(f"database: {settings.DATABASES['default']['NAME']} (DEBUG={settings.DEBUG})")
    prepare_database()
    today = timezone.localdate()
    say("building the data with bulk_create")
    build_start = time.perf_counter()
    made = build(today)
    build_s = time.perf_counter() - build_start
    total_referrals = sum(m["referrals"] for m in made.values())
    total_open = sum(m["open_entries"] for m in made.values())
    say(f"built {total_referrals} referrals, {total_open} open entries in {build_s:.0f} s")

    large, small = Team.objects.get(name=LARGE), Team.objects.get(name=SMALL)
    figures: dict[str, Any] = {
        "referrals": total_referrals,
        "open_entries": total_open,
        "teams": len(TEAMS),
        "large_team": made[LARGE],
        "small_team": made[SMALL],
        "build_s": round(build_s, 1),
    }

    say("waiting list, first page with its headline figures (lead, large team)")
    large_client = lead_client(large)
    figures["list_first_page_large"] = measure("large team", get_ok(large_client, "/waiting-list/"))
    say("waiting list, first page (lead, small team)")
    figures["list_first_page_small"] = measure(
        "small team", get_ok(lead_client(small), "/waiting-list/")
    )
    say("waiting list, a deep page (page 300 of the large team), for information")
    figures["list_page_300_large"] = measure(
        "large team page 300", get_ok(large_client, "/waiting-list/?page=300")
    )

    say("headline figures on their own (sapling.waitlist.figures.headline)")
    for key, team in (("figures_large", large), ("figures_small", small)):
        entries = WaitlistEntry.objects.for_team(team).open()
        figures[key] = measure(key, lambda e=entries, t=team: headline(e, team=t, today=today))

    say("slowest queries of one large-team list request")
    figures["slowest_list_queries_large"] = slowest_queries(large_client, "/waiting-list/")
    for row in figures["slowest_list_queries_large"]:
        say(f"  {row['ms']} ms  {row['sql'][:160]}")

    say(
        "public form submit: rate limit raised for this run by "
        "override_settings(SAPLING_PUBLIC_FORM_RATE=1_000_000); public team = large team"
    )
    with override_settings(SAPLING_PUBLIC_FORM_RATE=1_000_000, SAPLING_PUBLIC_TEAM=LARGE):
        figures["public_submit"] = measure_submit()
    figures["public_submit"]["rate_limit_raised_to"] = 1_000_000
    figures["public_submit"]["session_steps"] = "walked with the client, not timed"
    figures["run_s"] = round(time.perf_counter() - started, 1)
    figures["load_average_start_end"] = [load_at_start, round(os.getloadavg()[0], 2)]

    large_q = figures["list_first_page_large"]["queries"]
    small_q = figures["list_first_page_small"]["queries"]
    targets = {
        "waiting_list_p95_under_150ms": figures["list_first_page_large"]["p95_ms"] < 150,
        "queries_constant_1k_vs_16k_open": isinstance(large_q, int) and large_q == small_q,
        "submit_p95_under_100ms": figures["public_submit"]["p95_ms"] < 100,
    }
    print(json.dumps({"figures": figures, "targets": targets}))


if __name__ == "__main__":
    main()
