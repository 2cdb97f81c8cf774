from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sapling.accounts.models import Team, User
from tests.conftest import logged_in
from tests.factories import ChildFactory

URL = "/children/"


@pytest.mark.django_db
def test_it_finds_children_by_name_nhs_number_and_date_of_birth(
    clinician: User, team: Team
) -> None:
    ChildFactory.create(team=team, given_name="Osian", family_name="Price", nhs_number="9434765919")
    ChildFactory.create(
        team=team, given_name="Mali", family_name="Price", date_of_birth=dt.date(2018, 2, 3)
    )
    ChildFactory.create(team=team, given_name="Ffion", family_name="Jones")
    client = logged_in(clinician)
    by_name = client.get(URL, {"q": "price"}).content.decode()
    assert "Osian" in by_name and "Mali" in by_name and "Ffion" not in by_name
    by_number = client.get(URL, {"q": "943 476 5919"}).content.decode()
    assert "Osian" in by_number and "Mali" not in by_number
    by_birth = client.get(
        URL, {"date_of_birth_day": "3", "date_of_birth_month": "2", "date_of_birth_year": "2018"}
    ).content.decode()
    assert "Mali" in by_birth and "Osian" not in by_birth


@pytest.mark.django_db
def test_it_never_shows_another_teams_children(clinician: User, other_team: Team) -> None:
    ChildFactory.create(team=other_team, family_name="Price")
    html = logged_in(clinician).get(URL, {"q": "price"}).content.decode()
    assert "0 children found" in html


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_results(
    clinician: User, team: Team, django_assert_max_num_queries
) -> None:
    for _ in range(30):
        ChildFactory.create(team=team, family_name="Price")
    client = logged_in(clinician)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"q": "price"})
    assert "30 children found" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_date_is_explained(clinician: User) -> None:
    response = logged_in(clinician).get(
        reverse("children:find_children"),
        {"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "2018"},
    )
    assert "must be a real date" in response.content.decode()
