"""A school or early-years partner refers a child from their setting."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.referrals.models import Referral
from tests.conftest import logged_in

URL = "/referrals/refer/"


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "given_name": "Cerys",
        "family_name": "Hughes",
        "date_of_birth_day": "4",
        "date_of_birth_month": "9",
        "date_of_birth_year": "2016",
        "postcode": "",
        "nhs_number": "",
        "source": "school",
        "referrer_organisation": "Ysgol Gynradd",
        "referrer_role": "ALNCo",
        "reasons": ["handwriting"],
        "description": "",
        "setting": "school",
        "carer_given_name": "Mair",
        "carer_family_name": "Hughes",
        "carer_email": "mair@example.com",
        "consent_given": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_partner_refers_a_child_and_sees_its_status(partner: User, team: Team) -> None:
    response = logged_in(partner).post(URL, _form())
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:show_my_referral", args=[referral.pk])
    assert (referral.team, referral.referred_by, referral.route) == (team, partner, "partner_form")
    assert referral.source == "school"
    assert referral.consent_by == "parental_responsibility"
    carer = referral.child.carers.get()
    assert carer.parental_responsibility and carer.email == "mair@example.com"


@pytest.mark.django_db
def test_it_needs_the_familys_agreement_and_a_way_to_reach_them(partner: User) -> None:
    response = logged_in(partner).post(URL, _form(consent_given="", carer_email=""))
    html = response.content.decode()
    assert "agreed to" in html
    assert "Enter a phone number or email for the parent" in html
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_get_shows_the_form(partner: User) -> None:
    assert logged_in(partner).get(URL).status_code == 200


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in() -> None:
    assert Client().post(URL, _form())["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_staff_use_the_staff_form_instead(administrator: User) -> None:
    assert logged_in(administrator).post(URL, _form()).status_code == 404
    assert not Referral.objects.exists()
