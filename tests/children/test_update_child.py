from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sapling.accounts.models import User
from sapling.children.models import Child
from tests.conftest import logged_in


def _form(child: Child, **overrides: Any) -> dict[str, Any]:
    data = {
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth_day": child.date_of_birth.day,
        "date_of_birth_month": child.date_of_birth.month,
        "date_of_birth_year": child.date_of_birth.year,
        "additional_learning_needs": "yes",
        "care_experienced": "no",
        "free_school_meals": "yes",
        "version": child.version,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_clinician_updates_a_record(clinician: User, child: Child) -> None:
    url = reverse("children:update_child", args=[child.pk])
    response = logged_in(clinician).post(url, _form(child, preferred_name="Aly"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.preferred_name == "Aly"
    assert child.additional_learning_needs == "yes"
    assert child.version == 2
    assert child.updated_by == clinician


@pytest.mark.django_db
def test_the_second_of_two_concurrent_edits_is_refused_and_nothing_is_overwritten(
    clinician: User, lead: User, child: Child
) -> None:
    url = reverse("children:update_child", args=[child.pk])
    first, second = logged_in(lead), logged_in(clinician)
    started = _form(child)
    first.post(url, {**started, "preferred_name": "From the lead"})
    response = second.post(url, {**started, "preferred_name": "From the clinician"})
    assert response.status_code == 200
    assert "This was changed by" in response.content.decode()
    assert "Review the changes and try again" in response.content.decode()
    child.refresh_from_db()
    assert child.preferred_name == "From the lead"


@pytest.mark.django_db
def test_changes_appear_in_the_childs_history(clinician: User, child: Child) -> None:
    client = logged_in(clinician)
    client.post(reverse("children:update_child", args=[child.pk]), _form(child, family_name="Rees"))
    html = client.get(reverse("children:child_history", args=[child.pk])).content.decode()
    assert "Morgan" in html and "Rees" in html


@pytest.mark.django_db
def test_get_is_refused_for_another_teams_child(other_clinician: User, child: Child) -> None:
    url = reverse("children:update_child", args=[child.pk])
    assert logged_in(other_clinician).post(url, _form(child)).status_code == 404
    child.refresh_from_db()
    assert child.version == 1
