"""Rules versions: seeding, saving, refusing a broken file, and previewing a change."""

from __future__ import annotations

import pytest

from sapling.accounts.models import Team, User
from sapling.referrals.models import Referral
from sapling.triage.decisions import decide
from sapling.triage.models import Pathway, RulesVersion
from sapling.triage.rules import RulesError, default_source, parse_rules
from sapling.triage.settings_store import live_order_for, set_live_order
from sapling.triage.versions import RulesChanged, active_version, preview, save_rules
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def test_a_team_without_rules_gets_the_default_as_version_1_with_its_pathways(
    team: Team,
) -> None:
    version = active_version(team)
    assert (version.number, version.active, version.source) == (1, True, default_source())
    assert active_version(team) == version  # seeded once
    assert sorted(Pathway.objects.filter(team=team).values_list("key", flat=True)) == [
        "emotional-regulation",
        "handwriting",
        "motor-coordination",
        "self-care",
        "sensory",
    ]


def test_saving_makes_a_new_active_version_and_retires_the_old(team: Team, lead: User) -> None:
    first = active_version(team)
    source = default_source().replace('name = "Sensory processing"', 'name = "Sensory"')
    source = source.replace("[pathways.self-care]", "[pathways.daily-living]")
    second = save_rules(team=team, source=source, by=lead, based_on=1)
    first.refresh_from_db()
    assert (first.active, second.active, second.number, second.created_by) == (
        False,
        True,
        2,
        lead,
    )
    pathways = {p.key: (p.name, p.active) for p in Pathway.objects.filter(team=team)}
    assert pathways["sensory"] == ("Sensory", True)
    assert pathways["daily-living"] == ("Self-care", True)
    assert pathways["self-care"] == ("Self-care", False)  # kept for old decisions


def test_a_broken_file_is_refused_and_the_old_rules_stay_active(team: Team, lead: User) -> None:
    first = active_version(team)
    with pytest.raises(RulesError, match=r"Line \d+"):
        save_rules(team=team, source="format = 1\n[tiers\n", by=lead)
    assert list(RulesVersion.objects.filter(team=team).values_list("number", "active")) == [
        (1, True)
    ]
    assert active_version(team) == first


def test_a_save_based_on_an_old_version_is_refused(team: Team, lead: User) -> None:
    active_version(team)
    save_rules(team=team, source=default_source(), by=lead, based_on=1)
    with pytest.raises(RulesChanged, match=r"changed by .* \(version 2\)"):
        save_rules(team=team, source=default_source(), by=lead, based_on=1)
    assert RulesVersion.objects.filter(team=team).count() == 2


def test_teams_have_their_own_rules(team: Team, other_team: Team, lead: User) -> None:
    save_rules(team=team, source=default_source(), by=lead)
    save_rules(team=team, source=default_source(), by=lead)
    assert active_version(team).number == 2  # a first save needs no seeding
    assert active_version(other_team).number == 1


def _decide_many(team: Team, clinician: User, count: int) -> list[Referral]:
    referrals = ReferralFactory.create_batch(count, team=team)
    for number, referral in enumerate(referrals):
        impact = {"movement": "severe", "sensory": "moderate" if number % 2 else "mild"}
        decide(
            referral=referral,
            answers={"impact": impact, "risks": [], "complexity": "low"},
            outcome="targeted",
            overrides={},
            reasons={},
            by=clinician,
            expected_version=referral.version,
        )
    return referrals


def test_the_preview_reweighs_past_decisions_under_the_edited_rules(
    team: Team, clinician: User
) -> None:
    _decide_many(team, clinician, 4)  # totals 6, 8, 6, 8: targeted; routine, soon, ...
    edited = parse_rules(default_source().replace("soon = 8", "soon = 6"))
    result = preview(team=team, rules=edited)
    assert result.considered == 4
    assert (result.priority_changes, result.tier_changes, result.pathway_changes) == (2, 0, 0)
    assert {row["priority"] for row in result.changed} == {("routine", "soon")}
    assert result.tiers_before["targeted"] == result.tiers_after["targeted"] == 4


def test_the_preview_looks_at_the_last_200_decisions_only(team: Team, clinician: User) -> None:
    _decide_many(team, clinician, 5)
    result = preview(team=team, rules=parse_rules(default_source()), size=3)
    assert result.considered == 3
    assert result.changed == []


def test_the_live_order_is_plain_until_the_lead_chooses(team: Team, other_team: Team) -> None:
    assert live_order_for(team) == "plain"
    set_live_order(team=team, live_order="need_adjusted")
    assert live_order_for(team) == "need_adjusted"
    assert live_order_for(other_team) == "plain"
    with pytest.raises(ValueError):
        set_live_order(team=team, live_order="alphabetical")
