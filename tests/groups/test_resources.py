"""The resources library (leads and administrators) and the public resources page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.groups.models import Resource
from tests.conftest import logged_in
from tests.waitlist.factories import ResourceFactory

pytestmark = pytest.mark.django_db
PUBLIC = reverse("groups:public_resources")
MANAGE = reverse("groups:list_resources")
ADD = reverse("groups:add_resource")


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Pencil grips",
        "summary": "Which grip helps",
        "kind": "handout",
        "url": "https://example.org/grips.pdf",
        "audiences": ["parents", "school_staff"],
        "topics": ["handwriting"],
        "language": "en",
        "public": "on",
    }
    data.update(overrides)
    return data


def test_a_lead_adds_a_resource_for_their_team(team: Team, lead: User) -> None:
    response = logged_in(lead).post(ADD, _form())
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert (resource.team, resource.topics, resource.audiences) == (
        team,
        ["handwriting"],
        ["parents", "school_staff"],
    )


def test_an_administrator_updates_a_resource(team: Team, administrator: User) -> None:
    resource = ResourceFactory.create(team=team)
    url = reverse("groups:update_resource", args=[resource.pk])
    response = logged_in(administrator).post(url, _form(title="New title", language="cy"))
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.title, resource.language) == ("New title", "cy")


def test_a_link_must_be_https(lead: User) -> None:
    response = logged_in(lead).post(ADD, _form(url="http://example.org/x"))
    assert response.status_code == 200
    assert "must start with https://" in response.content.decode()
    assert not Resource.objects.exists()


@pytest.mark.parametrize("persona", ["clinician", "support_worker", "partner", "commissioner"])
def test_other_roles_cannot_manage_resources(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    client = logged_in(user)
    assert client.get(MANAGE).status_code == 404
    assert client.post(ADD, _form()).status_code == 404
    assert not Resource.objects.exists()


def test_another_teams_resource_is_not_found(other_team: Team, lead: User) -> None:
    theirs = ResourceFactory.create(team=other_team)
    url = reverse("groups:update_resource", args=[theirs.pk])
    assert logged_in(lead).get(url).status_code == 404


def test_the_library_lists_only_the_teams_resources(
    team: Team, other_team: Team, lead: User
) -> None:
    ResourceFactory.create(team=team, title="Ours")
    ResourceFactory.create(team=other_team, title="Theirs")
    page = logged_in(lead).get(MANAGE).content.decode()
    assert "Ours" in page
    assert "Theirs" not in page


def test_the_public_page_needs_no_login_and_shows_public_resources_only(team: Team) -> None:
    ResourceFactory.create(team=team, title="Shared handout")
    ResourceFactory.create(team=team, title="Staff draft", public=False)
    response = Client().get(PUBLIC)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Shared handout" in page
    assert "Staff draft" not in page


def test_the_public_page_filters_by_topic_audience_and_language(team: Team) -> None:
    ResourceFactory.create(team=team, title="Grip", topics=["handwriting"])
    ResourceFactory.create(
        team=team, title="Synhwyrau", topics=["sensory"], language="cy", audiences=["children"]
    )
    client = Client()

    def titles(**query: str) -> list[str]:
        page = client.get(PUBLIC, query).content.decode()
        return [t for t in ("Grip", "Synhwyrau") if t in page]

    assert titles(topic="handwriting") == ["Grip"]
    assert titles(language="cy") == ["Synhwyrau"]
    assert titles(audience="children") == ["Synhwyrau"]
    assert titles() == ["Grip", "Synhwyrau"]


def test_with_several_teams_the_public_page_shows_the_configured_one(
    team: Team, other_team: Team, settings
) -> None:
    ResourceFactory.create(team=team, title="Swansea handout")
    ResourceFactory.create(team=other_team, title="Hywel Dda handout")
    settings.SAPLING_PUBLIC_TEAM = ""
    page = Client().get(PUBLIC).content.decode()
    assert "Swansea handout" not in page and "Hywel Dda handout" not in page
    settings.SAPLING_PUBLIC_TEAM = other_team.name
    page = Client().get(PUBLIC).content.decode()
    assert "Hywel Dda handout" in page
    assert "Swansea handout" not in page
