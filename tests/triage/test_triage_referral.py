"""The triage pages: answers, recommendation, decision; and who may use them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.referrals.models import Referral
from sapling.triage.models import TriageDecision
from sapling.waitlist.models import WaitlistEntry
from tests.conftest import logged_in
from tests.factories import MembershipFactory, ReferralFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "impact_handwriting": "moderate",
    "impact_movement": "severe",
    "complexity": "medium",
}


def _decision_data(referral: Referral, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        **ANSWERS,
        "outcome": "targeted",
        "pathway": "motor-coordination",
        "priority": "soon",
        "override_reason": "",
        "outcome_reason": "",
        "version": referral.version,
        "rules_number": 1,
    }
    data.update(changes)
    return data


def test_the_form_asks_about_the_named_areas_first(clinician: User, referral: Referral) -> None:
    response = logged_in(clinician).get(reverse("triage:triage_referral", args=[referral.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Handwriting") < page.index("Other areas (optional)")
    assert page.index("Other areas (optional)") < page.index("Self-care")
    assert 'name="impact_movement"' in page
    assert 'name="risks" type="checkbox" value="safeguarding"' in page


def test_a_named_area_must_be_answered(clinician: User, referral: Referral) -> None:
    url = reverse("triage:triage_referral", args=[referral.pk])
    response = logged_in(clinician).post(url, {"complexity": "low"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select the impact on handwriting" in page


def test_the_recommendation_shows_each_factor_and_what_it_added(
    clinician: User, referral: Referral
) -> None:
    url = reverse("triage:triage_referral", args=[referral.pk])
    response = logged_in(clinician).post(url, ANSWERS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Recommendation" in page
    assert "Targeted" in page and "Motor coordination" in page and "Soon" in page
    assert "Movement and coordination: severe impact" in page
    assert "+5" in page and "+2" in page
    assert "A severe impact on movement and coordination adds 5 points." in page
    assert 'type="hidden" name="impact_movement" value="severe"' in page
    assert not TriageDecision.objects.exists()  # nothing is decided by looking


def test_accepting_adds_the_child_to_the_waiting_list(clinician: User, referral: Referral) -> None:
    url = reverse("triage:decide_referral", args=[referral.pk])
    response = logged_in(clinician).post(url, _decision_data(referral))
    assert response.status_code == 302
    assert response["Location"] == reverse("triage:list_referrals")
    referral.refresh_from_db()
    assert referral.status == "waiting"
    decision = TriageDecision.objects.get(referral=referral)
    assert (decision.outcome, decision.overridden, decision.decided_by) == (
        "targeted",
        False,
        clinician,
    )
    assert WaitlistEntry.objects.filter(referral=referral, priority="soon").exists()


def test_an_override_without_a_reason_is_refused_on_the_page(
    clinician: User, referral: Referral
) -> None:
    url = reverse("triage:decide_referral", args=[referral.pk])
    response = logged_in(clinician).post(url, _decision_data(referral, priority="urgent"))
    assert response.status_code == 200
    assert "Give a reason for changing the recommendation" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "received"

    data = _decision_data(referral, priority="urgent", override_reason="Sleep is affected too")
    assert logged_in(clinician).post(url, data).status_code == 302
    decision = TriageDecision.objects.get(referral=referral)
    assert (decision.priority, decision.override_reason) == ("urgent", "Sleep is affected too")


def test_the_second_clinician_is_told_who_triaged_it_and_when(
    clinician: User, lead: User, referral: Referral
) -> None:
    url = reverse("triage:decide_referral", args=[referral.pk])
    both_saw = _decision_data(referral)
    assert logged_in(clinician).post(url, both_saw).status_code == 302
    response = logged_in(lead).post(
        url, {**both_saw, "outcome": "universal", "override_reason": "x"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"This was changed by {clinician} at " in page
    assert TriageDecision.objects.count() == 1
    referral.refresh_from_db()
    assert referral.status == "waiting"


def test_a_change_of_rules_in_between_asks_for_a_review(
    clinician: User, referral: Referral
) -> None:
    url = reverse("triage:decide_referral", args=[referral.pk])
    response = logged_in(clinician).post(url, _decision_data(referral, rules_number=0))
    assert "The triage rules changed" in response.content.decode()
    assert not TriageDecision.objects.exists()


def test_a_triaged_referral_sends_the_clinician_back_to_the_list(
    clinician: User, team: Team
) -> None:
    done = ReferralFactory.create(team=team, status="waiting")
    response = logged_in(clinician).get(reverse("triage:triage_referral", args=[done.pk]))
    assert response.status_code == 302


def test_the_list_shows_only_this_teams_referrals_awaiting_triage(
    clinician: User, team: Team, other_team: Team, referral: Referral
) -> None:
    from auditlog.models import LogEntry

    ReferralFactory.create(team=team, status="waiting", reference="R-WAITING1")
    ReferralFactory.create(team=other_team, reference="R-ELSEWHERE")
    response = logged_in(clinician).get(reverse("triage:list_referrals"))
    page = response.content.decode()
    assert "R-TRIAGE01" in page
    assert "R-WAITING1" not in page and "R-ELSEWHERE" not in page
    event = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("timestamp")
    assert event.additional_data["records"] == [referral.pk]


def test_the_list_makes_a_fixed_number_of_queries(
    clinician: User, team: Team, django_assert_max_num_queries: object
) -> None:
    client = logged_in(clinician)
    ReferralFactory.create_batch(3, team=team)
    client.get(reverse("triage:list_referrals"))  # warm the session and content types
    ReferralFactory.create_batch(10, team=team)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(reverse("triage:list_referrals"))
    assert response.content.decode().count("Triage R-T") == 13


@pytest.mark.parametrize("role", ["administrator", "support_worker", "partner", "commissioner"])
def test_other_roles_are_refused(team: Team, referral: Referral, role: str) -> None:
    user = MembershipFactory.create(team=team, role=role).user
    client = logged_in(user)
    for url in (
        reverse("triage:list_referrals"),
        reverse("triage:triage_referral", args=[referral.pk]),
    ):
        assert client.get(url).status_code == 404
    url = reverse("triage:decide_referral", args=[referral.pk])
    assert client.post(url, _decision_data(referral)).status_code == 404
    assert not TriageDecision.objects.exists()


def test_another_teams_referral_is_not_found(other_clinician: User, referral: Referral) -> None:
    client = logged_in(other_clinician)
    assert client.get(reverse("triage:triage_referral", args=[referral.pk])).status_code == 404
    url = reverse("triage:decide_referral", args=[referral.pk])
    assert client.post(url, _decision_data(referral)).status_code == 404
    referral.refresh_from_db()
    assert referral.status == "received"


def test_anonymous_visitors_are_sent_to_log_in(referral: Referral) -> None:
    response = Client().post(
        reverse("triage:decide_referral", args=[referral.pk]), _decision_data(referral)
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_deciding_refuses_get(clinician: User, referral: Referral) -> None:
    url = reverse("triage:decide_referral", args=[referral.pk])
    assert logged_in(clinician).get(url).status_code == 405
