"""The safeguarding pages: the flag links to the concerns, the open list, and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.children import safeguarding
from sapling.children.models import Child
from tests.children.factories import SafeguardingConcernFactory
from tests.conftest import logged_in
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _date(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _concern_form(**changes: str) -> dict[str, str]:
    return {
        "concern": "Child arrived hungry and said there was no tea last night.",
        "who_was_told": "Children's services duty team",
        **_date("noticed_on", TODAY),
        **_date("told_on", TODAY),
        **changes,
    }


def test_a_clinician_records_a_concern_and_the_flag_links_to_it(
    child: Child, support_worker: User
) -> None:
    client = logged_in(support_worker)
    response = client.post(reverse("children:add_concern", args=[child.pk]), _concern_form())
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.safeguarding_flag
    page = client.get(reverse("children:show_child", args=[child.pk])).content.decode()
    assert reverse("children:list_child_concerns", args=[child.pk]) in page
    assert "See the 1 open concern" in page


def test_office_staff_see_the_flag_but_not_the_concerns(
    child: Child, administrator: User, clinician: User
) -> None:
    SafeguardingConcernFactory.create(team=child.team, child=child, concern="Secret detail")
    Child.objects.filter(pk=child.pk).update(safeguarding_flag=True)
    client = logged_in(administrator)
    page = client.get(reverse("children:show_child", args=[child.pk])).content.decode()
    assert "There is a safeguarding concern recorded for this child." in page
    assert reverse("children:list_child_concerns", args=[child.pk]) not in page
    url = reverse("children:list_child_concerns", args=[child.pk])
    assert client.get(url).status_code == 404
    assert "Secret detail" in logged_in(clinician).get(url).content.decode()


def test_reading_the_concerns_is_recorded_as_a_view_of_the_child(
    child: Child, clinician: User
) -> None:
    logged_in(clinician).get(reverse("children:list_child_concerns", args=[child.pk]))
    read = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert read.object_pk == str(child.pk)
    assert read.additional_data["event"] == "safeguarding"
    assert read.actor == clinician


def test_told_before_the_concern_arose_is_refused_with_a_clear_message(
    child: Child, clinician: User
) -> None:
    form = _concern_form(**_date("told_on", TODAY - dt.timedelta(days=3)))
    response = logged_in(clinician).post(reverse("children:add_concern", args=[child.pk]), form)
    assert response.status_code == 200
    assert "They cannot have been told before the concern arose" in response.content.decode()
    assert not child.safeguarding_concerns.exists()


def test_the_open_list_is_for_the_lead_and_the_designated_safeguarding_lead(
    team: Team, other_team: Team, clinician: User, support_worker: User, lead: User
) -> None:
    SafeguardingConcernFactory.create(team=team, concern="Ours, open")
    SafeguardingConcernFactory.create(team=team, concern="Ours, closed", closed_on=TODAY)
    SafeguardingConcernFactory.create(team=other_team, concern="Theirs, open")
    url = reverse("children:list_open_concerns")
    assert logged_in(clinician).get(url).status_code == 404
    safeguarding.set_safeguarding_lead(team=team, lead=clinician, by=lead)
    for user in (clinician, lead):
        page = logged_in(user).get(url).content.decode()
        assert "Ours, open" in page
        assert "Ours, closed" not in page
        assert "Theirs, open" not in page
    assert logged_in(support_worker).get(url).status_code == 404
    listed = LogEntry.objects.filter(additional_data__event="list").last()
    assert listed is not None and listed.additional_data["count"] == 1


def test_escalating_passes_the_concern_to_the_named_lead(
    team: Team, child: Child, clinician: User, support_worker: User, lead: User
) -> None:
    safeguarding.set_safeguarding_lead(team=team, lead=clinician, by=lead)
    concern = SafeguardingConcernFactory.create(team=team, child=child)
    url = reverse("children:escalate_concern", args=[child.pk, concern.pk])
    client = logged_in(support_worker)
    assert "This concern will go to" in client.get(url).content.decode()
    response = client.post(url, {"note": "Sibling also at risk", "version": concern.version})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.escalated_to == clinician


def test_closing_without_an_outcome_says_so_and_changes_nothing(
    team: Team, child: Child, lead: User
) -> None:
    concern = SafeguardingConcernFactory.create(team=team, child=child)
    url = reverse("children:close_concern", args=[child.pk, concern.pk])
    form = {"outcome": "", "version": concern.version, **_date("closed_on", TODAY)}
    response = logged_in(lead).post(url, form)
    assert response.status_code == 200
    assert "Record the outcome of the concern before closing it" in response.content.decode()
    concern.refresh_from_db()
    assert concern.is_open
    form["outcome"] = "Referred to children's services; social worker allocated"
    assert logged_in(lead).post(url, form).status_code == 302
    concern.refresh_from_db()
    assert concern.outcome.startswith("Referred")


def test_another_teams_concern_is_not_found(team: Team, other_team: Team, clinician: User) -> None:
    theirs = SafeguardingConcernFactory.create(team=other_team)
    ours = ChildFactory.create(team=team)
    client = logged_in(clinician)
    for url in (
        reverse("children:close_concern", args=[theirs.child_id, theirs.pk]),
        reverse("children:close_concern", args=[ours.pk, theirs.pk]),
        reverse("children:list_child_concerns", args=[theirs.child_id]),
    ):
        assert client.get(url).status_code == 404


def test_escalated_concerns_head_the_open_list(team: Team, lead: User) -> None:
    SafeguardingConcernFactory.create(
        team=team, concern="Older, not escalated", noticed_on=TODAY - dt.timedelta(days=30)
    )
    SafeguardingConcernFactory.create(
        team=team, concern="Newer, escalated", escalated_at=timezone.now(), escalated_to=lead
    )
    page = logged_in(lead).get(reverse("children:list_open_concerns")).content.decode()
    assert page.index("Newer, escalated") < page.index("Older, not escalated")
