"""Staff enter a referral received by letter, phone or e-referral."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.children.models import Child
from sapling.referrals.models import Referral
from tests.conftest import logged_in
from tests.factories import ChildFactory

URL = "/referrals/add/"


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "given_name": "Cerys",
        "family_name": "Hughes",
        "date_of_birth_day": "4",
        "date_of_birth_month": "9",
        "date_of_birth_year": "2016",
        "nhs_number": "",
        "postcode": "",
        "route": "letter",
        "source": "gp",
        "received_on_day": "3",
        "received_on_month": "3",
        "received_on_year": "2025",
        "reasons": ["handwriting"],
        "description": "Cannot hold a pencil",
        "setting": "school",
        "consent_by": "parental_responsibility",
        "consent_given": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_an_administrator_adds_a_referral_and_sees_it(administrator: User, team: Team) -> None:
    response = logged_in(administrator).post(URL, _form())
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:show_referral", args=[referral.pk])
    assert referral.team == team
    assert referral.child.full_name == "Cerys Hughes"
    assert referral.referred_by == administrator
    assert (referral.route, referral.source) == ("letter", "gp")
    assert str(referral.received_on) == "2025-03-03"
    assert referral.reasons == ["handwriting"]


@pytest.mark.django_db
def test_a_child_found_by_search_is_used_as_is(clinician: User, team: Team) -> None:
    known = ChildFactory.create(team=team, given_name="Alys", family_name="Morgan")
    client = logged_in(clinician)
    found = client.get(URL, {"q": "Morgan"})
    assert f"?child={known.pk}" in found.content.decode()
    data = {k: v for k, v in _form().items() if not k.startswith(("given", "family", "date_of"))}
    client.post(f"{URL}?child={known.pk}", data)
    assert Referral.objects.get().child == known
    assert Child.objects.count() == 1


@pytest.mark.django_db
def test_another_teams_child_cannot_be_picked(clinician: User, other_team: Team) -> None:
    theirs = ChildFactory.create(team=other_team)
    assert logged_in(clinician).get(f"{URL}?child={theirs.pk}").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"received_on_year": "2099"}, "must be in the past"),
        ({"reasons": []}, "This field is required"),
        ({"consent_given": ""}, "A referral needs consent"),
        ({"consent_by": "young_person"}, "a person with parental responsibility consents"),
        ({"date_of_birth_year": "2005"}, "they consent for themselves"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    administrator: User, overrides: dict[str, Any], message: str
) -> None:
    response = logged_in(administrator).post(URL, _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in() -> None:
    response = Client().post(URL, _form())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["support_worker", "partner", "commissioner"])
def test_roles_without_the_right_are_refused(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    assert logged_in(user).post(URL, _form()).status_code == 404
    assert not Referral.objects.exists()
