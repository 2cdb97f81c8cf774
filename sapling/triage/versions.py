"""The team's rules versions: the one in use, saving a new one, and previewing a change."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import Team, User
from sapling.triage.models import Pathway, RulesVersion, TriageDecision
from sapling.triage.rules import EquityFacts, Rules, default_source, parse_rules, recommend

PREVIEW_SIZE = 200


class RulesChanged(Exception):
    """Another lead saved the rules after this edit began; nothing was overwritten."""

    def __init__(self, current: RulesVersion) -> None:
        self.current = current
        super().__init__(self.message())

    def message(self) -> str:
        who = str(self.current.created_by) if self.current.created_by else _("someone else")
        when = timezone.localtime(self.current.created_at).strftime("%H:%M")
        return _(
            "The rules were changed by %(who)s at %(when)s (version %(n)s). "
            "Review the changes and try again."
        ) % {"who": who, "when": when, "n": self.current.number}


def active_version(team: Team) -> RulesVersion:
    """The rules in use; a team with none gets the default rules as version 1."""
    version = RulesVersion.objects.filter(team=team, active=True).first()
    if version is not None:
        return version
    try:
        with transaction.atomic():
            return _install(team=team, source=default_source(), by=None, number=1)
    except IntegrityError:
        # Another request seeded the same team at the same moment: use its version.
        return RulesVersion.objects.get(team=team, active=True)


# A saved version's text never changes, so its parsed rules can be kept by text.
_parsed = functools.lru_cache(maxsize=16)(parse_rules)


def active_rules(team: Team) -> tuple[RulesVersion, Rules]:
    version = active_version(team)
    return version, _parsed(version.source)


@transaction.atomic
def save_rules(
    *, team: Team, source: str, by: User | None, based_on: int | None = None
) -> RulesVersion:
    """Save a new version and make it the one in use; a broken file raises RulesError.

    `based_on` is the version number the editor started from: if another version was
    saved since, RulesChanged is raised and nothing is saved.
    """
    parse_rules(source)  # refuse a broken file before anything changes
    current = RulesVersion.objects.select_for_update().filter(team=team, active=True).first()
    if current is not None and based_on is not None and current.number != based_on:
        raise RulesChanged(current)
    latest = RulesVersion.objects.filter(team=team).aggregate(n=Max("number"))["n"] or 0
    RulesVersion.objects.filter(team=team, active=True).update(active=False)
    return _install(team=team, source=source, by=by, number=latest + 1)


def _install(*, team: Team, source: str, by: User | None, number: int) -> RulesVersion:
    rules = parse_rules(source)
    version = RulesVersion.objects.create(
        team=team, number=number, source=source, active=True, created_by=by
    )
    sync_pathways(team=team, rules=rules)
    return version


def sync_pathways(*, team: Team, rules: Rules) -> None:
    """Each pathway in the rules exists and is active; others stay, inactive (never deleted)."""
    keys = [p.key for p in rules.pathways]
    for pathway in rules.pathways:
        Pathway.objects.update_or_create(
            team=team, key=pathway.key, defaults={"name": pathway.name, "active": True}
        )
    Pathway.objects.filter(team=team).exclude(key__in=keys).update(active=False)


@dataclass
class Preview:
    considered: int = 0
    tier_changes: int = 0
    priority_changes: int = 0
    pathway_changes: int = 0
    changed: list[dict[str, Any]] = field(default_factory=list)
    tiers_before: Counter[str] = field(default_factory=Counter)
    tiers_after: Counter[str] = field(default_factory=Counter)


def preview(*, team: Team, rules: Rules, size: int = PREVIEW_SIZE) -> Preview:
    """How the team's last `size` recommendations would change under `rules`.

    Each decision's stored answers (and the equity facts kept with them) are weighed
    again; the result is compared with what was recommended at the time.
    """
    decisions = (
        TriageDecision.objects.filter(referral__team=team)
        .select_related("referral", "recommended_pathway", "rules_version")
        .order_by("-created_at", "-pk")[:size]
    )
    result = Preview()
    for decision in decisions:
        again = recommend(rules, decision.answers, EquityFacts.from_answers(decision.answers))
        before_pathway = decision.recommended_pathway.key if decision.recommended_pathway else None
        result.considered += 1
        result.tiers_before[decision.recommended_tier] += 1
        result.tiers_after[again.tier] += 1
        tier_changed = again.tier != decision.recommended_tier
        priority_changed = again.priority != decision.recommended_priority
        pathway_changed = again.pathway_key != before_pathway
        result.tier_changes += tier_changed
        result.priority_changes += priority_changed
        result.pathway_changes += pathway_changed
        if tier_changed or priority_changed or pathway_changed:
            result.changed.append(
                {
                    "decision": decision,
                    "reference": decision.referral.reference,
                    "tier": (decision.recommended_tier, again.tier),
                    "priority": (decision.recommended_priority, again.priority),
                    "pathway": (before_pathway, again.pathway_key),
                    "tier_changed": tier_changed,
                    "priority_changed": priority_changed,
                    "pathway_changed": pathway_changed,
                }
            )
    return result
