from __future__ import annotations

import pytest
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import StaleEdit
from sapling.reports import scenarios
from sapling.reports.models import PlanningScenario
from sapling.reports.planning import WhatIf
from tests.conftest import logged_in
from tests.reports.factories import PlanningScenarioFactory

MORE = WhatIf(extra_specialist=2)


@pytest.mark.django_db
def test_a_saved_scenario_keeps_its_changes_who_saved_it_and_when(team: Team, lead: User) -> None:
    saved = scenarios.save_scenario(team=team, name="Half a clinician", what_if=MORE, by=lead)
    fresh = PlanningScenario.objects.get(pk=saved.pk)
    assert WhatIf.from_dict(fresh.edits) == MORE
    assert fresh.saved_by == lead and fresh.created_at is not None
    assert fresh.changes() == ["2 more first specialist contacts a week"]


@pytest.mark.django_db
def test_a_name_is_unique_within_the_team_whatever_its_case(
    team: Team, other_team: Team, lead: User
) -> None:
    scenarios.save_scenario(team=team, name="More groups", what_if=MORE, by=lead)
    with pytest.raises(IllegalMove, match="already has a scenario called"):
        scenarios.save_scenario(team=team, name="more GROUPS ", what_if=MORE, by=lead)
    # Another team may use the same name.
    scenarios.save_scenario(team=other_team, name="More groups", what_if=MORE, by=lead)
    assert PlanningScenario.objects.filter(team=team).count() == 1


@pytest.mark.django_db
def test_a_scenario_that_changes_nothing_is_not_saved(team: Team, lead: User) -> None:
    with pytest.raises(IllegalMove, match="changes nothing"):
        scenarios.save_scenario(team=team, name="Nothing", what_if=WhatIf(), by=lead)
    assert not PlanningScenario.objects.exists()


@pytest.mark.django_db
def test_renaming_refuses_a_taken_name_and_a_stale_edit(team: Team, lead: User) -> None:
    first = PlanningScenarioFactory.create(team=team, name="A")
    PlanningScenarioFactory.create(team=team, name="B")
    with pytest.raises(IllegalMove):
        scenarios.rename_scenario(scenario=first, name="b", by=lead, expected_version=1)
    scenarios.rename_scenario(scenario=first, name="A, renamed", by=lead, expected_version=1)
    with pytest.raises(StaleEdit):
        scenarios.rename_scenario(scenario=first, name="C", by=lead, expected_version=1)
    assert PlanningScenario.objects.get(pk=first.pk).name == "A, renamed"


@pytest.mark.django_db
def test_archiving_keeps_the_record_and_frees_the_name(team: Team, lead: User) -> None:
    old = PlanningScenarioFactory.create(team=team, name="Old plan")
    scenarios.archive_scenario(scenario=old, by=lead, expected_version=old.version)
    assert PlanningScenario.objects.filter(pk=old.pk, archived_at__isnull=False).exists()
    assert not PlanningScenario.objects.live().filter(team=team).exists()
    scenarios.save_scenario(team=team, name="Old plan", what_if=MORE, by=lead)
    with pytest.raises(IllegalMove, match="archived"):
        scenarios.archive_scenario(scenario=old, by=lead, expected_version=old.version)


@pytest.mark.django_db
def test_the_lead_saves_renames_and_archives_from_the_page(team: Team, lead: User) -> None:
    client = logged_in(lead)
    page = client.get(reverse("reports:show_planning"), {"extra_specialist": "3"})
    assert "Save this scenario" in page.content.decode()
    response = client.post(
        reverse("reports:save_scenario"),
        {
            "name": "Three more",
            "extra_specialist": "3",
            "extra_targeted": "",
            "share_to_targeted": "",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Scenario “Three more” saved" in html
    assert "3 more first specialist contacts a week" in html
    saved = PlanningScenario.objects.get(team=team)

    again = client.post(
        reverse("reports:save_scenario"), {"name": "three more", "extra_specialist": "3"}
    )
    assert "already has a scenario called" in again.content.decode()
    assert PlanningScenario.objects.filter(team=team).count() == 1

    renamed = client.post(
        reverse("reports:rename_scenario", args=[saved.pk]),
        {"name": "Plan B", "version": 1},
        follow=True,
    )
    assert '<th scope="row" class="nhsuk-table__header">Plan B</th>' in renamed.content.decode()
    archived = client.post(
        reverse("reports:archive_scenario", args=[saved.pk]), {"version": 2}, follow=True
    )
    html = archived.content.decode()
    assert "Scenario “Plan B” archived" in html
    assert '<th scope="row" class="nhsuk-table__header">Plan B</th>' not in html
    assert PlanningScenario.objects.get(pk=saved.pk).archived_at is not None


@pytest.mark.django_db
def test_a_stale_rename_says_who_changed_it(team: Team, lead: User) -> None:
    saved = PlanningScenarioFactory.create(team=team, name="A")
    scenarios.rename_scenario(scenario=saved, name="B", by=lead, expected_version=1)
    response = logged_in(lead).post(
        reverse("reports:rename_scenario", args=[saved.pk]), {"name": "C", "version": 1}
    )
    assert "This was changed by" in response.content.decode()
    assert PlanningScenario.objects.get(pk=saved.pk).name == "B"
