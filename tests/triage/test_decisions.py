"""decide(): one transaction per decision, for each outcome."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from sapling.accounts.models import Team, User
from sapling.children.models import Carer, Child, ContactRestriction
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import MessageStatus, OutboxMessage, StaleEdit
from sapling.referrals.models import Referral, ReferralEvent
from sapling.triage.decisions import DecisionRefused, decide
from sapling.triage.models import RulesVersion, TriageDecision
from sapling.triage.versions import active_version, save_rules
from sapling.waitlist.models import WaitlistEntry

pytestmark = pytest.mark.django_db

# Moderate handwriting (2) + severe movement (5) + medium complexity (2) = 9:
# targeted, soon, motor coordination.
ANSWERS = {
    "impact": {"handwriting": "moderate", "movement": "severe"},
    "risks": [],
    "complexity": "medium",
}


def _decide(referral: Referral, by: User, outcome: str = "targeted", **kwargs: object):
    arguments: dict[str, object] = {
        "referral": referral,
        "answers": ANSWERS,
        "outcome": outcome,
        "overrides": {},
        "reasons": {},
        "by": by,
        "expected_version": referral.version,
    }
    arguments.update(kwargs)
    return decide(**arguments)  # type: ignore[arg-type]


def test_targeted_adds_the_child_to_the_waiting_list_from_the_date_received(
    referral: Referral, clinician: User
) -> None:
    decision = _decide(referral, clinician)
    referral.refresh_from_db()
    assert referral.status == "waiting"
    entry = WaitlistEntry.objects.get(referral=referral)
    assert entry.clock_start == referral.received_on == dt.date(2025, 1, 6)
    assert (entry.tier, entry.priority, entry.pathway.key) == (  # type: ignore[union-attr]
        "targeted",
        "soon",
        "motor-coordination",
    )
    assert entry.need_score == decision.need_score == 9
    assert entry.triaged_by == clinician
    assert (decision.recommended_tier, decision.tier, decision.overridden) == (
        "targeted",
        "targeted",
        False,
    )
    assert decision.rules_version == active_version(referral.team)
    assert decision.rules_version.number == 1


def test_specialist_is_an_override_that_needs_a_reason(referral: Referral, clinician: User) -> None:
    with pytest.raises(DecisionRefused) as refused:
        _decide(referral, clinician, outcome="specialist")
    assert refused.value.field == "override_reason"
    assert not TriageDecision.objects.exists()
    referral.refresh_from_db()
    assert referral.status == "received"

    decision = _decide(
        referral,
        clinician,
        outcome="specialist",
        reasons={"override": "Needs an individual assessment of posture."},
    )
    assert decision.overridden
    assert (decision.recommended_tier, decision.tier) == ("targeted", "specialist")
    assert decision.override_reason == "Needs an individual assessment of posture."
    assert WaitlistEntry.objects.get(referral=referral).tier == "specialist"


def test_a_changed_priority_or_pathway_is_stored_as_an_override(
    referral: Referral, clinician: User
) -> None:
    decision = _decide(
        referral,
        clinician,
        overrides={"priority": "urgent", "pathway": "sensory"},
        reasons={"override": "Sensory needs drive the difficulties."},
    )
    assert decision.overridden
    assert (decision.recommended_priority, decision.priority) == ("soon", "urgent")
    assert decision.recommended_pathway.key == "motor-coordination"
    assert decision.pathway.key == "sensory"


def test_an_unknown_pathway_is_refused(referral: Referral, clinician: User) -> None:
    with pytest.raises(DecisionRefused):
        _decide(referral, clinician, overrides={"pathway": "nowhere"}, reasons={"override": "x"})


def test_universal_closes_the_referral_and_writes_to_the_carer(
    referral: Referral, clinician: User, carer: Carer
) -> None:
    answers = {"impact": {"handwriting": "mild"}, "risks": [], "complexity": "low"}
    decision = _decide(referral, clinician, outcome="universal", answers=answers)
    referral.refresh_from_db()
    assert referral.status == "universal"
    assert not WaitlistEntry.objects.filter(referral=referral).exists()
    message = OutboxMessage.objects.get(carer=carer)
    assert message.status == MessageStatus.QUEUED
    assert message.template == "triage.universal"
    assert "/resources/" in message.body
    assert referral.reference in message.body
    assert message.dedupe_key == f"triage.universal:{decision.pk}:{carer.pk}"


def test_a_restricted_carer_is_never_written_to(
    referral: Referral, clinician: User, carer: Carer
) -> None:
    carer.contact_restriction = ContactRestriction.DO_NOT_CONTACT
    carer.save()
    answers = {"impact": {}, "risks": [], "complexity": "low"}
    _decide(referral, clinician, outcome="universal", answers=answers)
    message = OutboxMessage.objects.get(carer=carer)
    assert message.status == MessageStatus.SUPPRESSED
    assert message.body == ""


@pytest.mark.parametrize("outcome", ["declined", "redirected"])
def test_declining_or_redirecting_needs_a_reason_and_sends_it(
    referral: Referral, clinician: User, carer: Carer, outcome: str
) -> None:
    with pytest.raises(DecisionRefused) as refused:
        _decide(referral, clinician, outcome=outcome)
    assert refused.value.field == "outcome_reason"

    reason = "The school nurse team can help with this: call 01792 000000."
    decision = _decide(referral, clinician, outcome=outcome, reasons={"outcome": reason})
    referral.refresh_from_db()
    assert referral.status == outcome
    assert referral.closed_reason == reason
    assert decision.outcome_reason == reason
    assert (decision.tier, decision.priority, decision.pathway) == ("", "", None)
    assert reason in OutboxMessage.objects.get(carer=carer).body
    assert not WaitlistEntry.objects.filter(referral=referral).exists()


def test_the_second_of_two_clinicians_gets_a_stale_edit_and_nothing_changes(
    referral: Referral, clinician: User, lead: User
) -> None:
    seen_by_both = referral.version
    first = Referral.objects.get(pk=referral.pk)
    _decide(first, clinician, expected_version=seen_by_both)

    second = Referral.objects.get(pk=referral.pk)
    with pytest.raises(StaleEdit) as stale:
        _decide(
            second,
            lead,
            outcome="specialist",
            reasons={"override": "I disagree"},
            expected_version=seen_by_both,
        )
    assert "changed by" in stale.value.message()
    assert str(clinician) in stale.value.message()
    assert re.search(r"at \d\d:\d\d", stale.value.message())
    assert TriageDecision.objects.count() == 1
    assert WaitlistEntry.objects.get(referral=referral).tier == "targeted"


def test_an_already_triaged_referral_cannot_be_triaged_again(
    referral: Referral, clinician: User
) -> None:
    _decide(referral, clinician)
    referral.refresh_from_db()
    with pytest.raises(IllegalMove):
        _decide(referral, clinician)
    assert TriageDecision.objects.count() == 1


def test_a_failure_after_the_move_undoes_everything(
    referral: Referral, clinician: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("the waiting list is unavailable")

    monkeypatch.setattr("sapling.triage.decisions.add_to_waiting_list", broken)
    with pytest.raises(RuntimeError):
        _decide(referral, clinician)
    referral.refresh_from_db()
    assert referral.status == "received"
    assert not TriageDecision.objects.exists()
    assert ReferralEvent.objects.filter(referral=referral, to_status="waiting").count() == 0


def test_equity_comes_from_the_referral_at_the_time_and_is_kept_with_the_answers(
    team: Team, child: Child, clinician: User
) -> None:
    from tests.factories import ReferralFactory

    child.deprivation_quintile = 3  # the family has moved since
    child.additional_learning_needs = "yes"
    child.save()
    referral = ReferralFactory.create(team=team, child=child, deprivation_quintile=1)
    decision = _decide(referral, clinician)
    assert decision.answers["equity"] == {
        "deprivation_quintile": 1,
        "care_experienced": "unknown",
        "additional_learning_needs": "yes",
    }
    assert decision.need_score == 9 + 3 + 2
    assert WaitlistEntry.objects.get(referral=referral).priority == "soon"


def test_each_decision_stores_the_rules_version_it_used(
    team: Team, child: Child, referral: Referral, clinician: User, lead: User
) -> None:
    from tests.factories import ReferralFactory

    first = _decide(referral, clinician)
    source = active_version(team).source.replace("soon = 8", "soon = 9")
    save_rules(team=team, source=source, by=lead)
    second = _decide(ReferralFactory.create(team=team, child=child), clinician)
    assert (first.rules_version.number, second.rules_version.number) == (1, 2)
    assert second.recommended_priority == "soon"  # 9 reaches the new threshold of 9
    assert RulesVersion.objects.filter(team=team, active=True).count() == 1
