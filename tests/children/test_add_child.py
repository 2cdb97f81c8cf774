from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.areas.models import AreaStatus
from sapling.children.models import Child
from tests.conftest import logged_in

URL = "/children/add/"


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "given_name": "Cerys",
        "family_name": "Hughes",
        "date_of_birth_day": "4",
        "date_of_birth_month": "9",
        "date_of_birth_year": "2016",
        "nhs_number": "",
        "postcode": "",
        "additional_learning_needs": "unknown",
        "care_experienced": "unknown",
        "free_school_meals": "unknown",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_an_administrator_adds_a_child_and_sees_their_record(
    administrator: User, team: Team
) -> None:
    response = logged_in(administrator).post(URL, _form(nhs_number="943 476 5919"))
    child = Child.objects.get(family_name="Hughes")
    assert response["Location"] == reverse("children:show_child", args=[child.pk])
    assert child.team == team
    assert child.nhs_number == "9434765919"
    assert str(child.date_of_birth) == "2016-09-04"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nhs_number": "943 476 5918"}, "not a valid NHS number"),
        ({"postcode": "SA1 1"}, "Enter a real postcode"),
        ({"date_of_birth_year": "2099"}, "must be in the past"),
        ({"date_of_birth_month": "13"}, "must be a real date"),
        ({"date_of_birth_day": ""}, "must include a day"),
        ({"given_name": "x" * 101}, "at most 100 characters"),
        ({"given_name": "Cer\x07ys"}, "control characters"),
        ({"given_name": ""}, "This field is required"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    administrator: User, overrides: dict[str, str], message: str
) -> None:
    response = logged_in(administrator).post(URL, _form(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert message in html
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_test_nhs_numbers_are_refused_outside_the_demo(administrator: User, settings: Any) -> None:
    settings.ALLOW_TEST_NHS_NUMBERS = False
    response = logged_in(administrator).post(URL, _form(nhs_number="999 000 0018"))
    assert "test numbers" in response.content.decode()
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_text_is_stored_as_typed_and_shown_escaped(administrator: User) -> None:
    client = logged_in(administrator)
    name = '<script>alert("x")</script>'
    client.post(URL, _form(family_name=name, digital_access_needs="score <5 & no laptop"))
    child = Child.objects.get()
    assert child.family_name == name
    assert child.digital_access_needs == "score <5 & no laptop"
    html = client.get(reverse("children:show_child", args=[child.pk])).content.decode()
    assert name not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "score &lt;5 &amp; no laptop" in html


@pytest.mark.django_db
def test_a_no_fixed_abode_postcode_is_accepted_and_has_no_area(administrator: User) -> None:
    logged_in(administrator).post(URL, _form(postcode="zz99 3vz"))
    child = Child.objects.get()
    assert child.postcode == "ZZ99 3VZ"
    assert child.area_status == AreaStatus.NOT_APPLICABLE


@pytest.mark.django_db
def test_it_refuses_a_school_from_another_team(administrator: User, other_team: Team) -> None:
    from tests.factories import SchoolFactory

    their_school = SchoolFactory.create(team=other_team)
    response = logged_in(administrator).post(URL, _form(school=str(their_school.pk)))
    assert "Select a valid choice" in response.content.decode()
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_ethnicity_is_stored_with_the_teams_code_system(administrator: User) -> None:
    logged_in(administrator).post(URL, _form(ethnicity_code="W1"))
    child = Child.objects.get()
    assert child.ethnicity_code == "W1"
    assert "wales-census-2021" in child.ethnicity_system
