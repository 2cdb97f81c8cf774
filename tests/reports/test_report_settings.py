"""The lead's report settings page: catchment, age band, service change and ROI assumptions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.areas.models import DeprivationIndex, Lsoa
from sapling.reports.models import ReportSettings
from tests.conftest import logged_in

URL = reverse("reports:edit_report_settings")


@pytest.fixture(autouse=True)
def areas(db: None) -> None:
    """Two made-up Welsh authorities and an English one (codes no real area uses)."""
    DeprivationIndex.objects.create(
        key="wimd2031", name="WIMD 2031", nation="wales", edition=2031, lsoa_prefix="W01"
    )
    DeprivationIndex.objects.create(
        key="imd2031", name="IMD 2031", nation="england", edition=2031, lsoa_prefix="E01"
    )
    for code, authority in [
        ("W01900001", "Testshire"),
        ("W01900002", "Testshire"),
        ("W01900003", "Valeshire"),
        ("E01900001", "Northshire"),
    ]:
        Lsoa.objects.create(code=code, name=code, local_authority=authority)


def good_answers(version: int = 1, **changes: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "version": version,
        "catchment_local_authorities": ["Testshire"],
        "catchment_lsoas": "w01900003, W01900003\n",
        "population_age_from": "0",
        "population_age_to": "18",
        "service_change_date_day": "1",
        "service_change_date_month": "9",
        "service_change_date_year": "2025",
        "service_change_label": "Tiered triage began",
        "cost_per_specialist_contact": "102.50",
        "cost_per_group_place": "40",
        "cost_per_consultation": "60",
        "value_per_referral_avoided": "570",
        "value_per_goal_achieved": "0",
    }
    return answers | changes


def settings_of(team: Team) -> ReportSettings:
    return ReportSettings.for_team(team)


def test_a_lead_sees_the_authorities_of_their_own_nation(lead: User) -> None:
    response = logged_in(lead).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Testshire"' in page
    assert 'value="Valeshire"' in page
    assert 'value="Northshire"' not in page


def test_a_lead_saves_the_settings(lead: User, team: Team) -> None:
    response = logged_in(lead).post(URL, good_answers(), follow=True)

    assert "The report settings have been saved" in response.content.decode()
    saved = settings_of(team)
    assert saved.catchment_local_authorities == ["Testshire"]
    assert saved.catchment_lsoas == ["W01900003"]  # upper-cased, once
    assert (saved.population_age_from, saved.population_age_to) == (0, 18)
    assert saved.service_change_date == dt.date(2025, 9, 1)
    assert saved.service_change_label == "Tiered triage began"
    assert saved.cost_per_specialist_contact == Decimal("102.50")
    assert saved.version == 2
    assert saved.updated_by == lead


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"catchment_lsoas": "W01999998\nW01900001\nX123"},
            [
                "W01999998 is not an LSOA code in the areas data",
                "X123 is not an LSOA code in the areas data",
            ],
        ),
        (
            {"catchment_lsoas": "E01900001"},
            ["E01900001 is in another nation", "quintiles come from its own nation"],
        ),
        (
            {"catchment_local_authorities": ["Northshire"]},
            ["Select a valid choice. Northshire is not one of the available choices."],
        ),
        (
            {"population_age_from": "12", "population_age_to": "11"},
            ["The oldest age counted must be the same as or more than the youngest"],
        ),
        ({"population_age_to": "26"}, ["The oldest age counted must be 25 or less"]),
        ({"population_age_from": "five"}, ["Enter the youngest age counted as a whole number"]),
        (
            {"service_change_date_year": str(timezone.localdate().year + 1)},
            ["The service change date must be in the past"],
        ),
        (
            {
                "service_change_date_day": "",
                "service_change_date_month": "",
                "service_change_date_year": "",
            },
            ["Enter the service change date, or leave what changed empty"],
        ),
        ({"cost_per_group_place": "-1"}, ["cannot be less than £0"]),
        ({"cost_per_group_place": "40.125"}, ["to the penny, like 95.50"]),
        ({"cost_per_group_place": "£40"}, ["as an amount in pounds, like 95 or 95.50"]),
        ({"cost_per_group_place": ""}, ["Enter the cost of a group or training place (£), or 0"]),
    ],
)
def test_bad_answers_are_named_and_change_nothing(
    lead: User, team: Team, changes: dict[str, Any], message: list[str]
) -> None:
    before = settings_of(team)

    response = logged_in(lead).post(URL, good_answers(**changes))

    assert response.status_code == 200
    page = response.content.decode()
    for words in message:
        assert words in page
    after = settings_of(team)
    assert after.version == before.version
    assert after.catchment_local_authorities == before.catchment_local_authorities
    assert after.cost_per_group_place == before.cost_per_group_place
    assert after.service_change_date == before.service_change_date


def test_a_stale_edit_is_refused_and_changes_nothing(lead: User, team: Team) -> None:
    client = logged_in(lead)
    client.post(URL, good_answers(version=1, cost_per_consultation="70"))

    # A second lead's form was opened at version 1, before that save.
    response = client.post(URL, good_answers(version=1, cost_per_consultation="80"))

    assert "Review the changes and try again" in response.content.decode()
    saved = settings_of(team)
    assert saved.cost_per_consultation == Decimal("70.00")
    assert saved.version == 2


def test_it_edits_only_the_leads_own_team(lead: User, team: Team, other_team: Team) -> None:
    theirs = settings_of(other_team)

    logged_in(lead).post(URL, good_answers())

    theirs.refresh_from_db()
    assert theirs.catchment_local_authorities == []
    assert theirs.version == 1


@pytest.mark.parametrize("role", ["clinician", "administrator", "partner", "commissioner"])
def test_other_roles_cannot_reach_it(role: str, request: pytest.FixtureRequest, team: Team) -> None:
    user: User = request.getfixturevalue(role)
    client = logged_in(user)

    assert client.get(URL).status_code == 404
    assert client.post(URL, good_answers()).status_code == 404
    assert settings_of(team).version == 1


def test_an_anonymous_visitor_is_sent_to_sign_in(db: None) -> None:
    from django.test import Client

    response = Client().get(URL)

    assert response.status_code == 302
    assert "login" in response["Location"]
