"""A clinician's triage decision: weigh the answers, record the decision, move the referral."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sapling.accounts.models import User
from sapling.core.models import StaleEdit
from sapling.referrals.lifecycle import move_referral
from sapling.referrals.models import Referral, Status
from sapling.triage import letters
from sapling.triage.models import Outcome, Pathway, Priority, Tier, TriageDecision
from sapling.triage.rules import EquityFacts, Recommendation, recommend
from sapling.triage.versions import active_rules
from sapling.waitlist.lifecycle import add_to_waiting_list

TIER_OUTCOMES = {
    Outcome.UNIVERSAL: Tier.UNIVERSAL,
    Outcome.TARGETED: Tier.TARGETED,
    Outcome.SPECIALIST: Tier.SPECIALIST,
}
NEXT_STATUS = {
    Outcome.UNIVERSAL: Status.UNIVERSAL,
    Outcome.TARGETED: Status.WAITING,
    Outcome.SPECIALIST: Status.WAITING,
    Outcome.DECLINED: Status.DECLINED,
    Outcome.REDIRECTED: Status.REDIRECTED,
}


class DecisionRefused(ValueError):
    """The decision is incomplete (a reason is missing, a pathway unknown); nothing changed."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


def equity_facts(referral: Referral) -> EquityFacts:
    """The child's equity facts as they stood: the referral keeps the area at the time."""
    child = referral.child
    quintile = referral.deprivation_quintile
    return EquityFacts(
        deprivation_quintile=quintile if quintile is not None else child.deprivation_quintile,
        care_experienced=child.care_experienced,
        additional_learning_needs=child.additional_learning_needs,
    )


def recommendation_for(
    *, referral: Referral, answers: Mapping[str, Any]
) -> tuple[int, Recommendation]:
    """The active rules' number and what they recommend for these answers."""
    version, rules = active_rules(referral.team)
    return version.number, recommend(rules, answers, equity_facts(referral))


def _pathway(referral: Referral, key: str | None) -> Pathway | None:
    if not key:
        return None
    pathway = Pathway.objects.filter(team=referral.team, key=key).first()
    if pathway is None:
        raise DecisionRefused(_("Choose one of the team's pathways"), field="pathway")
    return pathway


@transaction.atomic
def decide(
    *,
    referral: Referral,
    answers: Mapping[str, Any],
    outcome: str,
    overrides: Mapping[str, str | None],
    reasons: Mapping[str, str],
    by: User,
    expected_version: int,
) -> TriageDecision:
    """Record one triage decision and carry out its outcome, all or nothing.

    `overrides` may name a "tier" (through a universal/targeted/specialist outcome),
    "pathway" (a key) and "priority" that differ from the recommendation; any difference
    needs `reasons["override"]`. Declining or redirecting needs `reasons["outcome"]`.
    A stale `expected_version` raises StaleEdit and nothing is written.
    """
    if referral.version != expected_version:
        # Checked before the move itself, so a clinician who lost the race is told who
        # triaged it and when, rather than that the move is not allowed.
        raise StaleEdit(referral)
    outcome = Outcome(outcome)
    version, rules = active_rules(referral.team)
    facts = equity_facts(referral)
    stored_answers = {
        "impact": dict(answers.get("impact") or {}),
        "risks": list(answers.get("risks") or []),
        "complexity": answers.get("complexity") or "low",
        "equity": facts.as_dict(),
    }
    recommended = recommend(rules, stored_answers, facts)
    override_reason = (reasons.get("override") or "").strip()
    outcome_reason = (reasons.get("outcome") or "").strip()

    tier, priority, pathway = "", "", None
    overridden = False
    if outcome in TIER_OUTCOMES:
        tier = TIER_OUTCOMES[outcome]
        priority = overrides.get("priority") or recommended.priority
        Priority(priority)  # refuses an unknown priority
        chosen = overrides.get("pathway", recommended.pathway_key)
        pathway_key = chosen or None
        pathway = _pathway(referral, pathway_key)
        overridden = (
            tier != recommended.tier
            or priority != recommended.priority
            or pathway_key != recommended.pathway_key
        )
        if overridden and not override_reason:
            raise DecisionRefused(
                _("Give a reason for changing the recommendation"), field="override_reason"
            )
    elif not outcome_reason:
        raise DecisionRefused(
            _("Give a reason for declining or redirecting the request"), field="outcome_reason"
        )

    move_referral(
        referral=referral,
        to_status=NEXT_STATUS[outcome],
        by=by,
        expected_version=expected_version,
        note=outcome_reason or override_reason,
    )
    decision = TriageDecision.objects.create(
        referral=referral,
        rules_version=version,
        answers=stored_answers,
        recommended_tier=recommended.tier,
        recommended_pathway=_pathway(referral, recommended.pathway_key),
        recommended_priority=recommended.priority,
        need_score=recommended.need_score,
        explanation=recommended.explanation,
        outcome=outcome,
        tier=tier,
        pathway=pathway,
        priority=priority,
        overridden=overridden,
        override_reason=override_reason if overridden else "",
        outcome_reason=outcome_reason,
        decided_by=by,
    )
    if outcome in (Outcome.TARGETED, Outcome.SPECIALIST):
        add_to_waiting_list(
            referral=referral,
            tier=tier,
            pathway=pathway,
            priority=priority,
            need_score=recommended.need_score,
            by=by,
        )
    else:
        letters.send_outcome_letters(decision)
    return decision
