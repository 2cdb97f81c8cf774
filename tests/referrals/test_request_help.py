"""The public request-for-help form: steps, consent, check answers, one referral per submit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from sapling.accounts.models import Team
from sapling.children.models import Carer
from sapling.referrals.models import Referral
from tests.factories import TeamFactory

START = "/request-help/"
CHECK = "/request-help/check/"
SENT = "/request-help/sent/"


def _answers(
    who: str = "parent", born: dt.date = dt.date(2016, 9, 4), **contact: str
) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("who", {"filled_in_by": who}),
        (
            "child",
            {
                "given_name": "Cerys",
                "family_name": "Hughes",
                "date_of_birth_day": str(born.day),
                "date_of_birth_month": str(born.month),
                "date_of_birth_year": str(born.year),
                "nhs_number": "",
                "postcode": "SA1 1AA",
                "school_name": "",
            },
        ),
        ("needs", {"reasons": ["handwriting", "sensory"], "description": "<b>pencil</b> & more"}),
        ("setting", {"setting": "school"}),
        ("others", {"others_involved": ""}),
        (
            "contact",
            {
                "given_name": "Mair",
                "family_name": "Hughes",
                "relationship": "mother",
                "phone": "",
                "email": "mair@example.com",
                "address": "",
                "contact_preference": "email",
                "preferred_language": "cy",
            }
            | contact,
        ),
        ("consent", {"consent_given": "on"}),
    ]


def _fill_in(client: Client, **kwargs: Any) -> str:
    """Answer every question; return the submission key the check page carries."""
    for step, data in _answers(**kwargs):
        response = client.post(f"{START}{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    html = client.get(CHECK).content.decode()
    return html.split('name="submission_key" value="')[1].split('"')[0]


@pytest.mark.django_db
def test_a_parent_answers_each_question_and_gets_a_reference(team: Team) -> None:
    client = Client()
    assert client.get(START).status_code == 200
    key = _fill_in(client)
    assert not Referral.objects.exists()  # nothing saved before the final submit
    response = client.post(CHECK, {"submission_key": key})
    assert response["Location"] == SENT
    referral = Referral.objects.get()
    assert (referral.team, referral.route, referral.source) == (team, "public_form", "parent")
    assert referral.reasons == ["handwriting", "sensory"]
    assert referral.consent_by == "parental_responsibility" and referral.consent_given
    assert referral.referred_by is None
    carer = Carer.objects.get()
    assert carer.parental_responsibility and carer.preferred_language == "cy"
    confirmation = client.get(SENT).content.decode()
    assert referral.reference in confirmation
    assert "nhsuk-panel" in confirmation


@pytest.mark.django_db
def test_check_answers_links_back_to_each_question_and_escapes_free_text(team: Team) -> None:
    client = Client()
    _fill_in(client)
    html = client.get(CHECK).content.decode()
    assert "/request-help/needs/?return=check" in html
    assert "&lt;b&gt;pencil&lt;/b&gt; &amp; more" in html
    changed = client.post("/request-help/setting/?return=check", {"setting": "home"})
    assert changed["Location"] == CHECK


@pytest.mark.django_db
def test_a_question_cannot_be_skipped(team: Team) -> None:
    response = Client().get("/request-help/contact/")
    assert response["Location"] == "/request-help/who/"


@pytest.mark.django_db
def test_a_double_submit_makes_one_referral(team: Team) -> None:
    client = Client()
    key = _fill_in(client)
    first = client.post(CHECK, {"submission_key": key})
    again = client.post(CHECK, {"submission_key": key})  # refresh, back button, second click
    assert first["Location"] == again["Location"] == SENT
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_two_requests_racing_with_the_same_answers_make_one_referral(team: Team) -> None:
    client = Client()
    key = _fill_in(client)
    # A second tab with the same session posts the final step before the first finishes.
    twin = Client()
    twin.cookies = client.cookies
    responses = [c.post(CHECK, {"submission_key": key}) for c in (client, twin)]
    assert [r["Location"] for r in responses] == [SENT, SENT]
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_a_made_up_key_saves_nothing(team: Team) -> None:
    client = Client()
    _fill_in(client)
    client.post(CHECK, {"submission_key": "forged"})
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_the_final_submit_is_protected_against_csrf(team: Team) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/request-help/who/", {"filled_in_by": "parent"})
    assert response.status_code == 403
    assert client.post(CHECK, {"submission_key": "x"}).status_code == 403


@pytest.mark.django_db
def test_submissions_are_limited_per_address(team: Team, settings: Any) -> None:
    settings.SAPLING_PUBLIC_FORM_RATE = 2
    for _ in range(2):
        client = Client()
        client.post(CHECK, {"submission_key": _fill_in(client)})
    client = Client()
    response = client.post(CHECK, {"submission_key": _fill_in(client)})
    assert response.status_code == 429
    assert "too many requests" in response.content.decode().lower()
    assert Referral.objects.count() == 2


@pytest.mark.django_db
def test_a_young_person_under_16_is_told_who_can_ask(team: Team) -> None:
    client = Client()
    client.post("/request-help/who/", {"filled_in_by": "young_person"})
    child = dict(_answers()[1][1])
    response = client.post("/request-help/child/", child)
    assert response.status_code == 200
    assert "You need to be 16 or over" in response.content.decode()
    assert client.get(CHECK)["Location"] != CHECK


@pytest.mark.django_db
def test_a_carer_without_parental_responsibility_for_a_younger_child_is_refused(
    team: Team,
) -> None:
    client = Client()
    client.post("/request-help/who/", {"filled_in_by": "other_carer"})
    response = client.post("/request-help/child/", dict(_answers()[1][1]))
    assert "a person with parental responsibility needs to agree" in response.content.decode()


@pytest.mark.django_db
def test_a_young_person_of_16_asks_for_themselves(team: Team) -> None:
    client = Client()
    born = dt.date.today().replace(year=dt.date.today().year - 17)
    key = _fill_in(client, who="young_person", born=born)
    client.post(CHECK, {"submission_key": key})
    referral = Referral.objects.get()
    assert (referral.source, referral.consent_by) == ("young_person", "young_person")
    assert not Carer.objects.exists()
    assert referral.referrer_email == "mair@example.com"


@pytest.mark.django_db
def test_contact_details_must_fit_the_chosen_way(team: Team) -> None:
    client = Client()
    for step, data in _answers()[:5]:
        client.post(f"{START}{step}/", data)
    contact = _answers(email="", contact_preference="email")[5][1]
    response = client.post("/request-help/contact/", contact)
    assert "Enter an email address" in response.content.decode()


@pytest.mark.django_db
def test_with_several_teams_the_form_uses_the_configured_one(team: Team, settings: Any) -> None:
    TeamFactory.create(name="Another service")
    assert Client().get(START).status_code == 503
    settings.SAPLING_PUBLIC_TEAM = team.name
    client = Client()
    client.post(CHECK, {"submission_key": _fill_in(client)})
    assert Referral.objects.get().team == team
