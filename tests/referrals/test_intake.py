"""submit_referral: matching, duplicates, the area snapshot, idempotence, all or nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import IntegrityError

from sapling.accounts.models import Team
from sapling.areas.models import AreaStatus
from sapling.children import records
from sapling.children.models import Carer, Child
from sapling.referrals import intake
from sapling.referrals.models import Referral, ReferralEvent, Status
from tests.factories import ChildFactory
from tests.referrals.builders import child_details, referral_details


def _submit(team: Team, **kwargs: Any) -> Referral:
    arguments: dict[str, Any] = {
        "team": team,
        "child_details": child_details(),
        "referral_details": referral_details(),
        "carer_details": None,
        "route": "letter",
        "source": "gp",
        "by": None,
    }
    arguments.update(kwargs)
    return intake.submit_referral(**arguments)


@pytest.mark.django_db
def test_a_new_child_is_registered_with_a_readable_reference_and_a_first_event(team: Team) -> None:
    referral = _submit(team)
    assert referral.child.full_name == "Cerys Hughes"
    assert referral.child.team == team
    assert re.fullmatch(r"R-[ABCDEFGHJKMNPQRTUVWXYZ2346789]{8}", referral.reference)
    assert referral.status == Status.RECEIVED
    assert not referral.needs_duplicate_review
    event = ReferralEvent.objects.get(referral=referral)
    assert (event.from_status, event.to_status) == ("", Status.RECEIVED)


@pytest.mark.django_db
def test_it_matches_an_existing_child_by_nhs_number(team: Team) -> None:
    known = ChildFactory.create(team=team, nhs_number="9434765919", given_name="Other")
    referral = _submit(team, child_details=child_details(nhs_number="9434765919"))
    assert referral.child == known
    assert Child.objects.count() == 1


@pytest.mark.django_db
def test_it_matches_exact_names_birth_date_and_postcode_whatever_the_case(team: Team) -> None:
    known = records.register_child(
        team=team,
        by=None,
        given_name="Cerys",
        family_name="Hughes",
        date_of_birth=child_details()["date_of_birth"],
        postcode="SA1 1AA",
    )
    details = child_details(given_name="CERYS", family_name="hughes", postcode="SA1 1AA")
    assert _submit(team, child_details=details).child == known


@pytest.mark.django_db
def test_a_different_nhs_number_on_file_is_not_a_match(team: Team) -> None:
    ChildFactory.create(
        team=team,
        given_name="Cerys",
        family_name="Hughes",
        date_of_birth=child_details()["date_of_birth"],
        postcode="SA1 1AA",
        nhs_number="9434765919",
    )
    details = child_details(postcode="SA1 1AA", nhs_number="4010232137")
    referral = _submit(team, child_details=details)
    assert Child.objects.count() == 2
    assert referral.needs_duplicate_review


@pytest.mark.django_db
@pytest.mark.parametrize(
    "existing",
    [
        {"family_name": "Hughes", "given_name": "Kerry"},  # same birth date and family name
        {"family_name": "Jones", "postcode": "SA1 1AA"},  # same birth date and postcode
    ],
)
def test_a_new_child_who_may_be_known_is_flagged_for_duplicate_review(
    team: Team, existing: dict[str, str]
) -> None:
    ChildFactory.create(team=team, date_of_birth=child_details()["date_of_birth"], **existing)
    referral = _submit(team, child_details=child_details(postcode="SA1 1AA"))
    assert Child.objects.count() == 2
    assert referral.needs_duplicate_review


@pytest.mark.django_db
def test_a_merged_record_with_the_same_nhs_number_is_flagged(team: Team) -> None:
    survivor = ChildFactory.create(team=team, family_name="Evans", date_of_birth="2010-01-01")
    ChildFactory.create(
        team=team, nhs_number="9434765919", merged_into=survivor, date_of_birth="2010-01-01"
    )
    referral = _submit(team, child_details=child_details(nhs_number="9434765919"))
    assert referral.child != survivor
    assert referral.needs_duplicate_review


@pytest.mark.django_db
def test_children_of_another_team_are_never_matched(team: Team, other_team: Team) -> None:
    ChildFactory.create(team=other_team, nhs_number="9434765919")
    referral = _submit(team, child_details=child_details(nhs_number="9434765919"))
    assert referral.child.team == team
    assert not referral.needs_duplicate_review


@pytest.mark.django_db
def test_the_area_is_copied_and_a_later_move_does_not_rewrite_it(
    team: Team, shipped_areas: None
) -> None:
    referral = _submit(team, child_details=child_details(postcode="sa1 1aa"))
    child = referral.child
    assert referral.postcode == child.postcode == "SA1 1AA"
    snapshot = (
        referral.area_status,
        referral.lsoa_code,
        referral.deprivation_index,
        referral.deprivation_decile,
        referral.deprivation_quintile,
    )
    assert snapshot == (
        child.area_status,
        child.lsoa_code,
        child.deprivation_index,
        child.deprivation_decile,
        child.deprivation_quintile,
    )
    records.update_child(child=child, expected_version=child.version, by=None, postcode="")
    referral.refresh_from_db()
    child.refresh_from_db()
    assert child.area_status == AreaStatus.NO_POSTCODE
    assert referral.postcode == "SA1 1AA"
    assert (referral.area_status, referral.lsoa_code) == snapshot[:2]


@pytest.mark.django_db
def test_the_same_submission_key_twice_makes_one_referral(team: Team) -> None:
    first = _submit(team, submission_key="key-1")
    second = _submit(team, submission_key="key-1", child_details=child_details(given_name="X"))
    assert first.pk == second.pk
    assert Referral.objects.count() == 1
    assert Child.objects.count() == 1


@pytest.mark.django_db
def test_a_racing_submit_with_the_same_key_returns_the_referral_the_other_saved(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _submit(team, submission_key="key-1")
    real = intake.sent_with
    calls: list[str | None] = []

    def not_yet_visible(key: str | None) -> Referral | None:
        # The racing request checked before the first one committed, so it saw nothing.
        calls.append(key)
        return None if len(calls) == 1 else real(key)

    monkeypatch.setattr(intake, "sent_with", not_yet_visible)
    second = _submit(team, submission_key="key-1")
    assert second.pk == first.pk
    assert Referral.objects.count() == 1
    assert Child.objects.count() == 1  # the racing request's child rolled back with it


@pytest.mark.django_db
def test_an_error_after_the_child_is_created_leaves_nothing_behind(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise IntegrityError("disk full")

    monkeypatch.setattr(intake.lifecycle, "record_received", broken)
    carer = {"given_name": "Mair", "family_name": "Hughes", "relationship": "mother"}
    with pytest.raises(IntegrityError):
        _submit(team, carer_details=carer)
    assert not Child.objects.exists()
    assert not Carer.objects.exists()
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_the_carer_who_asked_is_added_once(team: Team) -> None:
    carer = {"given_name": "Mair", "family_name": "Hughes", "relationship": "mother"}
    first = _submit(team, carer_details=carer)
    _submit(team, carer_details={**carer, "given_name": "MAIR"}, child=first.child)
    assert list(first.child.carers.values_list("given_name", flat=True)) == ["Mair"]


@pytest.mark.django_db
def test_free_text_is_stored_exactly_as_typed(team: Team) -> None:
    typed = "  <script>alert(1)</script>\n& 'quotes'  "
    referral = _submit(team, referral_details=referral_details(description=typed))
    referral.refresh_from_db()
    assert referral.description == typed
