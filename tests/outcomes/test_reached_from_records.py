"""Clinicians reach a child's, an episode's and a run's measures from the page they are on."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.children.models import Child
from tests.care.factories import EpisodeFactory
from tests.conftest import logged_in
from tests.groups.factories import RunFactory

pytestmark = pytest.mark.django_db


def _links(user: User, page: str) -> str:
    response = logged_in(user).get(page)
    assert response.status_code == 200
    return response.content.decode()


def test_the_childs_record_links_to_their_measures_for_clinical_staff_only(
    child: Child, clinician: User, administrator: User
) -> None:
    page = reverse("children:show_child", args=[child.pk])
    measures = reverse("outcomes:show_child_outcomes", args=[child.pk])
    assert f'href="{measures}"' in _links(clinician, page)
    assert f'href="{measures}"' not in _links(administrator, page)


def test_an_episode_links_to_its_measures_and_goal_attainment(
    team: Team, child: Child, clinician: User
) -> None:
    episode = EpisodeFactory.create(team=team, child=child, lead_clinician=clinician)
    page = reverse("care:show_episode", args=[episode.pk])
    assert f'href="{reverse("outcomes:show_episode_outcomes", args=[episode.pk])}"' in _links(
        clinician, page
    )


def test_a_run_links_to_its_session_feedback(team: Team, clinician: User) -> None:
    run = RunFactory.create(programme__team=team)
    page = reverse("runs:show_run", args=[run.pk])
    assert f'href="{reverse("outcomes:show_run_outcomes", args=[run.pk])}"' in _links(
        clinician, page
    )
