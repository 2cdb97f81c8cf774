"""The lead's rules page: edit, preview, save; and the live-order settings page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.triage.models import RulesVersion, TriageSettings
from sapling.triage.rules import default_source
from sapling.triage.versions import active_version
from tests.conftest import logged_in
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_rules_in_use(lead: User) -> None:
    response = logged_in(lead).get(reverse("triage:update_rules"))
    page = response.content.decode()
    assert "Version 1 is in use" in page
    assert "[pathways.motor-coordination]" in page


def test_preview_shows_the_changes_without_saving(lead: User, team: Team) -> None:
    active_version(team)
    source = default_source().replace("targeted = 4", "targeted = 5")
    response = logged_in(lead).post(
        reverse("triage:update_rules"), {"source": source, "based_on": 1, "action": "preview"}
    )
    page = response.content.decode()
    assert "Preview: the last 0 decisions" in page
    assert "There are no decisions yet to compare." in page
    assert RulesVersion.objects.filter(team=team).count() == 1


def test_saving_a_valid_file_makes_version_2(lead: User, team: Team) -> None:
    active_version(team)
    source = default_source().replace("targeted = 4", "targeted = 5")
    response = logged_in(lead).post(
        reverse("triage:update_rules"), {"source": source, "based_on": 1, "action": "save"}
    )
    assert response.status_code == 302
    assert active_version(team).number == 2
    assert active_version(team).source == source


def test_a_broken_file_is_shown_with_its_line_and_not_saved(lead: User, team: Team) -> None:
    active_version(team)
    source = default_source().replace("[tiers]\n", "[tiers]\nbronze = 1\n")
    line = source.splitlines().index("bronze = 1") + 1
    response = logged_in(lead).post(
        reverse("triage:update_rules"), {"source": source, "based_on": 1, "action": "save"}
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert f"Line {line}: Unknown key “tiers.bronze”" in page
    assert active_version(team).number == 1


def test_a_lead_chooses_the_live_order(lead: User, team: Team) -> None:
    url = reverse("triage:update_settings")
    assert "Priority, then longest wait" in logged_in(lead).get(url).content.decode()
    response = logged_in(lead).post(url, {"live_order": "need_adjusted"})
    assert response.status_code == 302
    assert TriageSettings.objects.get(team=team).live_order == "need_adjusted"


@pytest.mark.parametrize("role", ["clinician", "administrator", "support_worker", "partner"])
def test_only_the_lead_configures_triage(team: Team, role: str) -> None:
    client = logged_in(MembershipFactory.create(team=team, role=role).user)
    for url in (reverse("triage:update_rules"), reverse("triage:update_settings")):
        assert client.get(url).status_code == 404
    post = client.post(
        reverse("triage:update_rules"), {"source": default_source(), "action": "save"}
    )
    assert post.status_code == 404
    assert (
        client.post(reverse("triage:update_settings"), {"live_order": "need_adjusted"}).status_code
        == 404
    )
    assert not TriageSettings.objects.exists()
    assert not RulesVersion.objects.filter(number=2).exists()


def test_the_preview_lists_each_changed_decision(lead: User, clinician: User, team: Team) -> None:
    from sapling.triage.decisions import decide
    from tests.factories import ReferralFactory

    referral = ReferralFactory.create(team=team, reference="R-PREVIEW1")
    decide(
        referral=referral,
        answers={"impact": {"movement": "severe"}, "risks": [], "complexity": "low"},
        outcome="targeted",
        overrides={},
        reasons={},
        by=clinician,
        expected_version=referral.version,
    )
    source = default_source().replace("targeted = 4", "targeted = 6")
    response = logged_in(lead).post(
        reverse("triage:update_rules"), {"source": source, "based_on": 1, "action": "preview"}
    )
    page = response.content.decode()
    assert "Preview: the last 1 decisions" in page
    assert "R-PREVIEW1" in page
    assert "Targeted → Universal" in page
