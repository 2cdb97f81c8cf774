"""Every view, list, change and refused attempt on a child's record is in one trail."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.children.models import Child
from tests.conftest import logged_in
from tests.factories import ChildFactory

ACCESS = LogEntry.Action.ACCESS


def _reads() -> list[LogEntry]:
    return list(LogEntry.objects.filter(action=ACCESS).order_by("timestamp"))


@pytest.mark.django_db
def test_opening_a_record_records_who_what_when_and_from_where(
    clinician: User, child: Child
) -> None:
    client = logged_in(clinician)
    client.get(reverse("children:show_child", args=[child.pk]), REMOTE_ADDR="10.1.2.3")
    [entry] = _reads()
    assert entry.actor == clinician
    assert entry.object_pk == str(child.pk)
    assert entry.remote_addr == "10.1.2.3"
    assert entry.additional_data["event"] == "view"
    assert entry.timestamp is not None


@pytest.mark.django_db
def test_a_list_page_is_one_event_naming_every_record_shown(clinician: User, team: Team) -> None:
    shown = [ChildFactory.create(team=team, family_name="Pryce") for _ in range(3)]
    ChildFactory.create(team=team, family_name="Evans")
    logged_in(clinician).get(reverse("children:find_children"), {"q": "pryce"})
    [entry] = _reads()
    assert entry.additional_data["event"] == "list"
    assert sorted(entry.additional_data["records"]) == sorted(c.pk for c in shown)


@pytest.mark.django_db
def test_an_empty_search_form_shows_no_record_and_records_nothing(clinician: User) -> None:
    logged_in(clinician).get(reverse("children:find_children"))
    assert _reads() == []


@pytest.mark.django_db
def test_another_teams_child_is_not_found_and_the_attempt_is_recorded(
    other_clinician: User, child: Child
) -> None:
    response = logged_in(other_clinician).get(reverse("children:show_child", args=[child.pk]))
    assert response.status_code == 404
    [entry] = _reads()
    assert entry.actor == other_clinician
    assert entry.additional_data["event"] == "refused"
    assert entry.object_pk == str(child.pk)


@pytest.mark.django_db
def test_a_change_is_recorded_with_the_old_and_new_values(clinician: User, child: Child) -> None:
    from sapling.children import records

    records.update_child(
        child=child, expected_version=child.version, by=clinician, given_name="Alis"
    )
    entry = LogEntry.objects.get(action=LogEntry.Action.UPDATE, object_pk=str(child.pk))
    assert entry.changes_dict["given_name"] == ["Alys", "Alis"]
