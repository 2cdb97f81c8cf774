"""A clinician records a competent younger child's own views and consent."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.referrals.models import Referral
from tests.conftest import logged_in
from tests.factories import ReferralFactory


def _url(referral: Referral) -> str:
    return f"/referrals/{referral.pk}/child-views/"


def _form(referral: Referral, **overrides: str) -> dict[str, str]:
    return {"child_views": "I want to write faster", "child_consent": "on", "version": "1"} | (
        overrides
    )


@pytest.mark.django_db
def test_a_clinician_records_the_childs_views(clinician: User, team: Team) -> None:
    referral = ReferralFactory.create(team=team)
    response = logged_in(clinician).post(_url(referral), _form(referral))
    assert response["Location"] == reverse("referrals:show_referral", args=[referral.pk])
    referral.refresh_from_db()
    assert referral.child_views == "I want to write faster"
    assert referral.child_consent
    assert referral.child_views_recorded_by == clinician
    assert referral.version == 2


@pytest.mark.django_db
def test_a_stale_edit_is_refused_with_who_changed_it(clinician: User, team: Team) -> None:
    referral = ReferralFactory.create(team=team, version=2)
    response = logged_in(clinician).post(_url(referral), _form(referral, version="1"))
    assert response.status_code == 200
    assert "This was changed by" in response.content.decode()
    referral.refresh_from_db()
    assert referral.child_views == ""


@pytest.mark.django_db
def test_get_shows_the_form(clinician: User, team: Team) -> None:
    referral = ReferralFactory.create(team=team)
    assert logged_in(clinician).get(_url(referral)).status_code == 200


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(team: Team) -> None:
    referral = ReferralFactory.create(team=team)
    response = Client().post(_url(referral), _form(referral))
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_another_teams_referral_is_not_found(other_clinician: User, team: Team) -> None:
    referral = ReferralFactory.create(team=team)
    assert logged_in(other_clinician).post(_url(referral), _form(referral)).status_code == 404


@pytest.mark.django_db
def test_an_administrator_may_not_record_it(administrator: User, team: Team) -> None:
    referral = ReferralFactory.create(team=team)
    assert logged_in(administrator).post(_url(referral), _form(referral)).status_code == 404
    referral.refresh_from_db()
    assert referral.child_views == ""
