"""Comparing possible duplicates side by side; merging, or marking a new child."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.children.models import Child
from sapling.referrals.models import Referral
from tests.conftest import logged_in
from tests.factories import ChildFactory, ReferralFactory

BORN = dt.date(2016, 9, 4)


def _pair(team: Team) -> tuple[Referral, Child]:
    known = ChildFactory.create(team=team, family_name="Hughes", date_of_birth=BORN)
    new = ChildFactory.create(team=team, family_name="Hughes", date_of_birth=BORN)
    return ReferralFactory.create(team=team, child=new, needs_duplicate_review=True), known


def _url(referral: Referral) -> str:
    return f"/referrals/{referral.pk}/duplicates/"


@pytest.mark.django_db
def test_the_records_are_shown_side_by_side(clinician: User, team: Team) -> None:
    referral, known = _pair(team)
    html = logged_in(clinician).get(_url(referral)).content.decode()
    assert f"Merge into record 1 ({known.full_name})" in html or "Merge into record 1" in html
    assert f'name="keep" value="{known.pk}"' in html


@pytest.mark.django_db
def test_a_clinician_merges_the_new_record_into_the_known_one(clinician: User, team: Team) -> None:
    referral, known = _pair(team)
    new = referral.child
    data = {"keep": str(known.pk), "version": str(new.version)}
    response = logged_in(clinician).post(_url(referral), data)
    assert response["Location"] == reverse("referrals:show_referral", args=[referral.pk])
    referral.refresh_from_db()
    new.refresh_from_db()
    assert referral.child == known and not referral.needs_duplicate_review
    assert new.merged_into == known


@pytest.mark.django_db
def test_a_record_that_is_not_a_candidate_cannot_be_kept(
    clinician: User, team: Team, other_team: Team
) -> None:
    referral, _known = _pair(team)
    stranger = ChildFactory.create(team=other_team, family_name="Hughes", date_of_birth=BORN)
    data = {"keep": str(stranger.pk), "version": str(referral.child.version)}
    response = logged_in(clinician).post(_url(referral), data)
    assert response.status_code == 200
    assert "Choose one of the records shown" in response.content.decode()
    referral.refresh_from_db()
    assert referral.child.merged_into is None


@pytest.mark.django_db
def test_a_stale_merge_is_refused(clinician: User, team: Team) -> None:
    referral, known = _pair(team)
    data = {"keep": str(known.pk), "version": "0"}
    response = logged_in(clinician).post(_url(referral), data)
    assert "This was changed by" in response.content.decode()


@pytest.mark.django_db
def test_a_clinician_marks_a_new_child(clinician: User, team: Team) -> None:
    referral, _known = _pair(team)
    logged_in(clinician).post(_url(referral), {"version": str(referral.version)})
    referral.refresh_from_db()
    assert not referral.needs_duplicate_review


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(team: Team) -> None:
    referral, _known = _pair(team)
    response = Client().post(_url(referral), {"version": "1"})
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_another_teams_referral_is_not_found(other_clinician: User, team: Team) -> None:
    referral, _known = _pair(team)
    assert logged_in(other_clinician).post(_url(referral), {"version": "1"}).status_code == 404


@pytest.mark.django_db
def test_an_administrator_may_not_merge(administrator: User, team: Team) -> None:
    referral, known = _pair(team)
    data = {"keep": str(known.pk), "version": str(referral.child.version)}
    assert logged_in(administrator).post(_url(referral), data).status_code == 404
    referral.refresh_from_db()
    assert referral.child.merged_into is None
