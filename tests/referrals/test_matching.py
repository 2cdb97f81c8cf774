"""Possible duplicates, merging a new record into a known one, and 'not a duplicate'."""

from __future__ import annotations

import datetime as dt

import pytest

from sapling.accounts.models import Team, User
from sapling.children.models import Child
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import StaleEdit
from sapling.referrals.matching import mark_not_duplicate, merge_children, possible_duplicates
from sapling.waitlist.models import WaitlistEntry
from tests.factories import CarerFactory, ChildFactory, ReferralFactory

BORN = dt.date(2016, 9, 4)


@pytest.mark.django_db
def test_possible_duplicates_share_a_birth_date_and_a_family_name_or_postcode(team: Team) -> None:
    new = ChildFactory.create(
        team=team, family_name="Hughes", date_of_birth=BORN, postcode="SA1 1AA"
    )
    same_name = ChildFactory.create(team=team, family_name="HUGHES", date_of_birth=BORN)
    same_postcode = ChildFactory.create(
        team=team, family_name="Jones", date_of_birth=BORN, postcode="SA1 1AA"
    )
    ChildFactory.create(team=team, family_name="Hughes", date_of_birth=dt.date(2016, 9, 5))
    ChildFactory.create(team=team, family_name="Jones", date_of_birth=BORN)  # no postcode
    assert set(possible_duplicates(new)) == {same_name, same_postcode}


@pytest.mark.django_db
def test_merging_moves_referrals_carers_and_waiting_list_entries_and_closes_the_record(
    team: Team, clinician: User
) -> None:
    keep = ChildFactory.create(team=team)
    merge = ChildFactory.create(team=team)
    referral = ReferralFactory.create(team=team, child=merge, needs_duplicate_review=True)
    carer = CarerFactory.create(child=merge)
    entry = WaitlistEntry.objects.create(
        team=team,
        child=merge,
        referral=referral,
        tier="targeted",
        priority="routine",
        priority_rank=2,
        clock_start=referral.received_on,
    )
    merge_children(keep=keep, merge=merge, by=clinician, expected_version=merge.version)
    for record in (referral, carer, entry, merge):
        record.refresh_from_db()
    assert referral.child == keep and not referral.needs_duplicate_review
    assert carer.child == keep
    assert entry.child == keep
    assert merge.merged_into == keep and merge.merged_at is not None
    assert list(Child.objects.for_team(team).current()) == [keep]
    assert "merged" in referral.events.last().note  # type: ignore[union-attr]


@pytest.mark.django_db
def test_merging_across_teams_or_into_itself_is_refused(
    team: Team, other_team: Team, clinician: User
) -> None:
    mine = ChildFactory.create(team=team)
    theirs = ChildFactory.create(team=other_team)
    with pytest.raises(IllegalMove):
        merge_children(keep=theirs, merge=mine, by=clinician, expected_version=mine.version)
    with pytest.raises(IllegalMove):
        merge_children(keep=mine, merge=mine, by=clinician, expected_version=mine.version)
    mine.refresh_from_db()
    assert mine.merged_into is None


@pytest.mark.django_db
def test_a_stale_merge_is_refused_and_moves_nothing(team: Team, clinician: User) -> None:
    keep = ChildFactory.create(team=team)
    merge = ChildFactory.create(team=team)
    referral = ReferralFactory.create(team=team, child=merge)
    with pytest.raises(StaleEdit):
        merge_children(keep=keep, merge=merge, by=clinician, expected_version=merge.version - 1)
    referral.refresh_from_db()
    assert referral.child == merge


@pytest.mark.django_db
def test_marking_not_a_duplicate_clears_the_warning_and_says_so(
    team: Team, clinician: User
) -> None:
    referral = ReferralFactory.create(team=team, needs_duplicate_review=True)
    mark_not_duplicate(referral=referral, by=clinician, expected_version=referral.version)
    referral.refresh_from_db()
    assert not referral.needs_duplicate_review
    assert referral.events.get().note.startswith("Checked for duplicates")
