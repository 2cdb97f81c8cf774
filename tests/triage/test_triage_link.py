"""The referral page's "Triage this referral" button, rendered from the triage app."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from sapling.accounts.models import Membership, Team, User
from sapling.referrals.models import Referral
from tests.factories import MembershipFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def _render(user: User, referral: Referral) -> str:
    request = RequestFactory().get("/")
    request.user = user
    request.team = referral.team  # type: ignore[attr-defined]
    request.membership = Membership.objects.get(user=user)  # type: ignore[attr-defined]
    return render_to_string("referrals/_triage_link.jinja", {"referral": referral}, request)


def test_a_clinician_sees_the_button_on_a_received_referral(
    clinician: User, referral: Referral
) -> None:
    html = _render(clinician, referral)
    assert "Triage this referral" in html
    assert reverse("triage:triage_referral", args=[referral.pk]) in html


def test_no_button_once_triaged(clinician: User, team: Team) -> None:
    assert "Triage" not in _render(clinician, ReferralFactory.create(team=team, status="waiting"))


@pytest.mark.parametrize("role", ["administrator", "partner"])
def test_no_button_for_roles_that_may_not_triage(team: Team, referral: Referral, role: str) -> None:
    user = MembershipFactory.create(team=team, role=role).user
    assert "Triage this referral" not in _render(user, referral)


def test_the_referral_page_offers_triage_to_a_clinician(
    clinician: User, administrator: User, referral: Referral
) -> None:
    from tests.conftest import logged_in

    url = reverse("referrals:show_referral", args=[referral.pk])
    assert "Triage this referral" in logged_in(clinician).get(url).content.decode()
    assert "Triage this referral" not in logged_in(administrator).get(url).content.decode()
