from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from io import StringIO

import nhs_number
import pytest
from auditlog.models import LogEntry
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from sapling.accounts.models import Membership, Team
from sapling.areas import importers
from sapling.areas.models import DeprivationIndex, Lsoa, PostcodeArea
from sapling.children import localities
from sapling.children.models import Carer, Child, School
from sapling.demo.places import TEAM_NAME
from sapling.demo.staff import DEMO_LOGINS, DEMO_PASSWORD
from sapling.groups import register_counts
from sapling.groups.models import Run
from sapling.referrals.models import Referral

SAMPLE_SOURCE = "demo-test-sample-wales"
CHILDREN = "30"


def _sample_postcodes() -> list[PostcodeArea]:
    """Every 15th Swansea Bay postcode and every ambiguous one: enough for a small demo."""
    local = set(
        Lsoa.objects.filter(local_authority__in=["Swansea", "Neath Port Talbot"]).values_list(
            "code", flat=True
        )
    )
    merged: dict[str, set[str]] = defaultdict(set)
    for row in csv.DictReader(
        (importers.DATA_DIR / "wales_lsoa11_to_lsoa21_lookup.csv").open(encoding="utf-8")
    ):
        merged[row["lsoa21_code"]].add(row["lsoa11_code"])
    sample = []
    path = importers.DATA_DIR / "wales_postcode_to_lsoa_aug2024.csv"
    for number, row in enumerate(csv.DictReader(path.open(encoding="utf-8"))):
        candidates = sorted(merged.get(row["lsoa21_code"], set()))
        ambiguous = not row["lsoa11_code"] and len(candidates) > 1
        if not row["postcode"].startswith("SA") or not (ambiguous or number % 15 == 0):
            continue
        if (row["lsoa11_code"] or (candidates[0] if candidates else "")) in local:
            sample.append(
                PostcodeArea(
                    postcode=row["postcode"],
                    lsoa21_code=row["lsoa21_code"],
                    lsoa11_code=row["lsoa11_code"],
                    lsoa11_candidates=";".join(candidates) if ambiguous else "",
                    source=SAMPLE_SOURCE,
                )
            )
    return sample


@pytest.fixture(scope="module", autouse=True)
def swansea_bay_areas(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """WIMD 2019 and a sample of Swansea Bay postcodes, once for this module.

    The full shipped import takes seconds; where another module has loaded it, use it.
    """
    with django_db_blocker.unblock():
        loaded_here = not PostcodeArea.objects.exists()
        if loaded_here:
            importers.load_wimd2019()
            PostcodeArea.objects.bulk_create(_sample_postcodes())
    yield
    if loaded_here:
        with django_db_blocker.unblock():
            PostcodeArea.objects.filter(source=SAMPLE_SOURCE).delete()
            DeprivationIndex.objects.filter(key="wimd2019").delete()
            Lsoa.objects.filter(code__startswith="W01").delete()


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", "--children", CHILDREN, *args, stdout=out)
    return out.getvalue()


def demo_children() -> list[tuple[str, str, dt.date]]:
    return list(
        Child.objects.filter(team__name=TEAM_NAME)
        .order_by("pk")
        .values_list("given_name", "family_name", "date_of_birth")
    )


@pytest.mark.django_db
def test_it_builds_the_swansea_bay_team() -> None:
    output = load()

    team = Team.objects.get(name=TEAM_NAME)
    assert (team.nation, team.target_weeks, float(team.target_share)) == ("wales", 14, 1.0)
    assert team.localities.count() == 3
    assert School.objects.filter(team=team).count() == 60
    assert {s.school_number[:3] for s in School.objects.filter(team=team)} >= {"670", "671"}
    assert team.gp_clusters.count() == 4
    assert all(p.ods_code.startswith("W98") for p in team.gp_practices.all())
    assert Membership.objects.filter(team=team).count() == 12 + len(DEMO_LOGINS)
    assert "children: 30 of 30" in output
    assert DEMO_PASSWORD in output


@pytest.mark.django_db
def test_each_demo_login_signs_in_with_its_role() -> None:
    load()

    request = RequestFactory().post("/accounts/login/")
    for username, role, *_ in DEMO_LOGINS:
        user = authenticate(request, username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        membership = user.active_membership()
        assert membership is not None
        assert (membership.team.name, membership.role) == (TEAM_NAME, role)


@pytest.mark.django_db
def test_children_have_carers_and_are_spread_across_areas() -> None:
    load("--children", "60")

    children = Child.objects.filter(team__name=TEAM_NAME)
    assert children.count() == 60
    assert not children.filter(carers__isnull=True).exists()
    assert Carer.objects.filter(child__in=children).count() > 60
    assert children.values("locality").distinct().count() == 3
    quintiles = set(children.values_list("deprivation_quintile", flat=True)) - {None}
    assert len(quintiles) >= 3
    numbers = [n for n in children.values_list("nhs_number", flat=True) if n]
    assert numbers and all(n.startswith("999") and nhs_number.is_valid(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)


@pytest.mark.django_db
def test_every_record_carries_its_childs_locality_for_the_dashboards_filter() -> None:
    load("--children", "60")
    assert Referral.objects.exclude(child_locality=None).exists()
    assert localities.out_of_step() == {}


@pytest.mark.django_db
def test_every_group_runs_register_counts_match_its_marks() -> None:
    load("--children", "60")
    assert Run.objects.filter(marks_attended__gt=0).count() > 10
    assert register_counts.out_of_step() == []


@pytest.mark.django_db
def test_every_demo_carer_could_have_been_entered_through_the_carer_form() -> None:
    from sapling.children.forms import CARER_FIELDS, CarerForm

    load("--children", "80")
    for carer in Carer.objects.all():
        data = {name: getattr(carer, name) for name in CARER_FIELDS}
        form = CarerForm(data={k: v for k, v in data.items() if v not in (False, None)})
        assert form.is_valid(), (carer, form.errors)


@pytest.mark.django_db
def test_children_are_registered_over_three_years_and_born_before() -> None:
    load("--children", "60")

    now = timezone.now()
    for child in Child.objects.filter(team__name=TEAM_NAME):
        assert now - dt.timedelta(days=3 * 366) < child.created_at < now
        assert child.date_of_birth < timezone.localtime(child.created_at).date()
    created = Child.objects.filter(team__name=TEAM_NAME).values_list("created_at", flat=True)
    assert max(created) - min(created) > dt.timedelta(days=365)


@pytest.mark.django_db
def test_running_it_twice_does_not_duplicate() -> None:
    load()
    counts = (Team.objects.count(), Child.objects.count(), Carer.objects.count())

    output = load()

    assert "exists" in output
    assert (Team.objects.count(), Child.objects.count(), Carer.objects.count()) == counts


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_children() -> None:
    load("--seed", "7")
    first = demo_children()

    load("--seed", "7", "--reset")
    again = demo_children()
    load("--seed", "8", "--reset")
    other = demo_children()

    assert again == first
    assert other != first


@pytest.mark.django_db
def test_reset_replaces_the_demo_and_its_audit_trail() -> None:
    load()

    output = load("--reset", "--children", "20")

    assert "Deleted the demo team" in output
    assert Team.objects.filter(name=TEAM_NAME).count() == 1
    assert Child.objects.filter(team__name=TEAM_NAME).count() == 20
    # Only the new children's registrations remain in the audit trail.
    assert LogEntry.objects.filter(content_type__model="child").count() == 20


@pytest.mark.django_db
def test_the_demo_command_loads_and_prints_logins_without_serving() -> None:
    out = StringIO()

    call_command("demo", "--no-serve", "--children", "10", stdout=out)

    assert Child.objects.filter(team__name=TEAM_NAME).count() == 10
    for username, *_ in DEMO_LOGINS:
        assert out.getvalue().count(username) == 1
