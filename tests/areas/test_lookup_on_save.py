"""Saving a child's postcode looks up their area and deprivation once, from the real files."""

from __future__ import annotations

import datetime as dt

import pytest

from sapling.accounts.models import Team, User
from sapling.areas.models import AreaStatus
from sapling.children import records
from sapling.children.models import Child

pytestmark = pytest.mark.usefixtures("shipped_areas")


def _register(team: Team, postcode: str) -> Child:
    return records.register_child(
        team=team,
        by=None,
        given_name="Deio",
        family_name="Lewis",
        date_of_birth=dt.date(2015, 6, 1),
        postcode=postcode,
    )


@pytest.mark.django_db
def test_a_known_postcode_stores_its_area_rank_decile_and_quintile(team: Team) -> None:
    child = _register(team, "sa11aa")
    assert child.postcode == "SA1 1AA"
    assert child.area_status == AreaStatus.KNOWN
    assert child.lsoa_code == "W01000741"  # Bonymaen 4, WIMD 2019 rank 355
    assert child.deprivation_index == "wimd2019"
    assert (child.deprivation_rank, child.deprivation_decile, child.deprivation_quintile) == (
        355,
        2,
        1,
    )


@pytest.mark.django_db
def test_an_ambiguous_postcode_keeps_only_the_measures_its_areas_agree_on(team: Team) -> None:
    # SA10 6NN's 2021 area merged two 2011 areas: deciles 7 and 8, both quintile 4.
    child = _register(team, "SA10 6NN")
    assert child.area_status == AreaStatus.AMBIGUOUS
    assert child.deprivation_quintile == 4
    assert child.deprivation_decile is None
    assert child.deprivation_rank is None
    assert child.lsoa_code == ""


@pytest.mark.django_db
def test_an_ambiguous_postcode_whose_areas_disagree_records_no_measure(team: Team) -> None:
    # SA1 1AB: Castle 7 East (quintile 3) and Castle 7 West (quintile 2) were merged.
    child = _register(team, "SA1 1AB")
    assert child.area_status == AreaStatus.AMBIGUOUS
    assert child.deprivation_quintile is None and child.deprivation_decile is None


@pytest.mark.django_db
def test_an_unknown_postcode_is_kept_and_flagged_never_guessed(team: Team) -> None:
    child = _register(team, "SW1A 1AA")  # English: not in the shipped Welsh lookup
    assert child.postcode == "SW1A 1AA"
    assert child.area_status == AreaStatus.UNKNOWN
    assert child.deprivation_quintile is None


@pytest.mark.django_db
def test_moving_house_looks_the_area_up_again(team: Team, clinician: User) -> None:
    child = _register(team, "SA1 1AA")
    records.update_child(
        child=child, expected_version=child.version, by=clinician, postcode="SA10 6NN"
    )
    child.refresh_from_db()
    assert child.area_status == AreaStatus.AMBIGUOUS
    assert child.deprivation_quintile == 4


@pytest.mark.django_db
def test_a_record_keeps_its_area_when_other_details_change(team: Team, clinician: User) -> None:
    from sapling.areas.models import DeprivationRank

    child = _register(team, "SA1 1AA")
    # Even if the index data were later revised, an unrelated edit does not rewrite history.
    DeprivationRank.objects.filter(lsoa_code="W01000741").update(quintile=5)
    records.update_child(
        child=child, expected_version=child.version, by=clinician, preferred_name="Dei"
    )
    child.refresh_from_db()
    assert child.deprivation_quintile == 1
    DeprivationRank.objects.filter(lsoa_code="W01000741").update(quintile=1)
