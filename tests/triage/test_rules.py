"""The rules file: strict reading with line numbers, and recommendations with reasons."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sapling.triage.rules import (
    AREAS,
    COMPLEXITY_LEVELS,
    IMPACT_LEVELS,
    RISKS,
    EquityFacts,
    Rules,
    RulesError,
    default_source,
    line_of,
    parse_rules,
    recommend,
)

NEUTRAL = EquityFacts()
RULES = parse_rules(default_source())


def _line_number(source: str, text: str) -> int:
    return source.splitlines().index(text) + 1


def _refusal(source: str) -> str:
    with pytest.raises(RulesError) as refused:
        parse_rules(source)
    return str(refused.value)


# --- Reading the file ---------------------------------------------------------------------


def test_the_default_rules_are_valid_and_name_five_pathways() -> None:
    assert [p.key for p in RULES.pathways] == [
        "motor-coordination",
        "sensory",
        "handwriting",
        "self-care",
        "emotional-regulation",
    ]
    assert set(RULES.impact) == set(AREAS)


def test_a_syntax_error_is_refused_with_its_line_number() -> None:
    source = default_source().replace("targeted = 4", "targeted = = 4")
    message = _refusal(source)
    assert f"Line {_line_number(source, 'targeted = = 4')}:" in message
    assert "not valid TOML" in message


def test_an_unclosed_list_at_the_end_is_refused_with_the_last_line() -> None:
    message = _refusal('format = 1\nareas = ["movement",\n')
    assert message.startswith("Line 2:")


def test_an_unknown_key_is_named_with_its_line() -> None:
    source = default_source().replace("[tiers]\n", "[tiers]\nuniversal = 0\n")
    message = _refusal(source)
    line = _line_number(source, "universal = 0")
    assert f"Line {line}: Unknown key “tiers.universal”" in message


def test_a_wrong_type_is_named_with_its_line() -> None:
    source = default_source().replace(
        "[risks.exclusion]\npoints = 3", '[risks.exclusion]\npoints = "3"'
    )
    message = _refusal(source)
    line = _line_number(source, 'points = "3"')
    assert f"Line {line}: “risks.exclusion.points” must be a whole number" in message


def test_a_missing_threshold_is_named_with_its_tables_line() -> None:
    source = default_source().replace("[priority]\nsoon = 8\n", "[priority]\n")
    message = _refusal(source)
    assert f"Line {_line_number(source, '[priority]')}: Missing key “priority.soon”" in message


def test_every_problem_is_reported_at_once_in_line_order() -> None:
    source = (
        default_source()
        .replace("severe = 5", "severe = -1", 1)
        .replace('priority_at_least = "soon"', 'priority_at_least = "asap"', 1)
    )
    with pytest.raises(RulesError) as refused:
        parse_rules(source)
    problems = refused.value.problems
    assert len(problems) == 2
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)
    assert "must be between 0 and 1000" in problems[0].message
    assert "must be one of routine, soon, urgent, not 'asap'" in problems[1].message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("targeted = 4", "targeted = 40"), "“tiers.specialist” (12) must not be lower"),
        (("urgent = 15", "urgent = 1"), "“priority.urgent” (1) must not be lower"),
        (('areas = ["sensory"]', 'areas = ["sensory", "movement"]'), "points to both"),
        (('areas = ["sensory"]', 'areas = ["smell"]'), "Unknown area 'smell'"),
        (("[pathways.sensory]", "[pathways.Sensory_Processing]"), "lower-case letters"),
        (("format = 1", "format = 2"), "“format” must be 1"),
        (("[complexity]\nlow = 0\n", "[complexity]\n"), "Missing key “complexity.low”"),
        (("[risks.no_other_support]\n", "[risks.no_support]\n"), "Unknown key “risks.no_support”"),
    ],
)
def test_a_schema_problem_is_refused_with_a_reason(change: tuple[str, str], expected: str) -> None:
    message = _refusal(default_source().replace(*change, 1))
    assert expected in message
    assert re.match(r"Line \d+: ", message)


def test_line_of_finds_keys_in_tables_and_falls_back_to_the_parent() -> None:
    source = '[a]\nx = 1\n[a.b]\n"y" = 2\n[c]\n'
    assert line_of(source, ("a", "x")) == 2
    assert line_of(source, ("a", "b", "y")) == 4
    assert line_of(source, ("a", "b", "missing")) == 3
    assert line_of(source, ("c",)) == 5
    assert line_of(source, ("nowhere",)) is None


# --- Recommending -------------------------------------------------------------------------


def _factors(recommendation: Any) -> dict[str, int]:
    return {e["factor"]: e["added"] for e in recommendation.explanation if e["kind"] != "result"}


def test_each_impact_adds_its_points_and_says_so() -> None:
    answers = {"impact": {"movement": "severe", "handwriting": "mild"}, "complexity": "low"}
    recommendation = recommend(RULES, answers, NEUTRAL)
    assert _factors(recommendation) == {
        "Handwriting: mild impact": 1,
        "Movement and coordination: severe impact": 5,
    }
    assert recommendation.clinical_score == 6
    details = [e["detail"] for e in recommendation.explanation]
    assert "A severe impact on movement and coordination adds 5 points." in details


def test_no_impact_recommends_universal_routine_without_a_pathway() -> None:
    recommendation = recommend(RULES, {"impact": {}, "complexity": "low"}, NEUTRAL)
    assert (recommendation.tier, recommendation.priority) == ("universal", "routine")
    assert recommendation.pathway_key is None
    assert recommendation.need_score == 0


@pytest.mark.parametrize(
    ("impact", "complexity", "tier", "priority"),
    [
        ({"handwriting": "moderate"}, "low", "universal", "routine"),  # 2
        ({"handwriting": "moderate", "play": "moderate"}, "low", "targeted", "routine"),  # 4
        ({"movement": "severe", "sensory": "moderate"}, "low", "targeted", "soon"),  # 8
        ({"movement": "severe", "sensory": "severe"}, "medium", "specialist", "soon"),  # 12
        ({"movement": "severe", "sensory": "severe"}, "high", "specialist", "urgent"),  # 15
    ],
)
def test_tier_and_priority_follow_the_thresholds(
    impact: dict[str, str], complexity: str, tier: str, priority: str
) -> None:
    recommendation = recommend(RULES, {"impact": impact, "complexity": complexity}, NEUTRAL)
    assert (recommendation.tier, recommendation.priority) == (tier, priority)
    results = {e["factor"]: e["detail"] for e in recommendation.explanation}
    assert f"The clinical total is {recommendation.clinical_score}." in results[f"Tier: {tier}"]


def test_a_risk_adds_points_and_sets_a_floor_under_priority_and_tier() -> None:
    answers = {"impact": {"handwriting": "mild"}, "risks": ["safeguarding"], "complexity": "low"}
    recommendation = recommend(RULES, answers, NEUTRAL)
    assert _factors(recommendation)["Safeguarding concern"] == 4
    assert recommendation.clinical_score == 5
    assert (recommendation.tier, recommendation.priority) == ("targeted", "urgent")
    priority = next(e for e in recommendation.explanation if e["factor"] == "Priority: urgent")
    assert "Safeguarding concern raises it to urgent." in priority["detail"]


@pytest.mark.parametrize("risk", RISKS)
def test_every_risk_appears_with_its_points(risk: str) -> None:
    recommendation = recommend(RULES, {"risks": [risk], "complexity": "low"}, NEUTRAL)
    factors = [e for e in recommendation.explanation if e["kind"] == "clinical"]
    assert [f["added"] for f in factors] == [RULES.risks[risk].points]


def test_complexity_adds_its_points() -> None:
    recommendation = recommend(RULES, {"complexity": "high"}, NEUTRAL)
    assert _factors(recommendation) == {"Complexity: high": 5}


def test_the_most_affected_areas_pathway_wins() -> None:
    answers = {"impact": {"handwriting": "moderate", "sensory": "severe"}, "complexity": "low"}
    recommendation = recommend(RULES, answers, NEUTRAL)
    assert recommendation.pathway_key == "sensory"


def test_a_tie_in_impact_goes_to_the_area_worth_more_points() -> None:
    # Both severe: self-care is worth 5, handwriting 3.
    answers = {"impact": {"handwriting": "severe", "self_care": "severe"}, "complexity": "low"}
    assert recommend(RULES, answers, NEUTRAL).pathway_key == "self-care"


def test_a_tie_in_impact_and_points_goes_to_the_pathway_written_first() -> None:
    # Both severe and worth 5: motor coordination is written before sensory.
    answers = {"impact": {"sensory": "severe", "movement": "severe"}, "complexity": "low"}
    assert recommend(RULES, answers, NEUTRAL).pathway_key == "motor-coordination"


def test_equity_factors_add_to_the_need_score_and_say_so() -> None:
    answers = {"impact": {"movement": "moderate"}, "complexity": "low"}
    child = EquityFacts(
        deprivation_quintile=1, care_experienced="yes", additional_learning_needs="yes"
    )
    recommendation = recommend(RULES, answers, child)
    equity = [e for e in recommendation.explanation if e["kind"] == "equity"]
    assert [e["added"] for e in equity] == [3, 2, 2]
    assert all("need score only" in e["detail"] for e in equity)
    assert recommendation.need_score == 3 + 7


def test_unknown_answers_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown impact"):
        recommend(RULES, {"impact": {"movement": "huge"}}, NEUTRAL)


# --- Equity never changes the priority class or the tier ---------------------------------

points = st.integers(min_value=0, max_value=20)


@st.composite
def rules_files(draw: st.DrawFn) -> Rules:
    """Any valid rules, with random weights and thresholds."""
    impact = {}
    for area in AREAS:
        values = sorted(draw(st.lists(points, min_size=4, max_size=4)))
        impact[area] = dict(zip(IMPACT_LEVELS, values, strict=True))
    tiers = sorted(draw(st.lists(points, min_size=2, max_size=2)))
    priority = sorted(draw(st.lists(points, min_size=2, max_size=2)))
    base = RULES
    risks = {
        risk: type(base.risks[risk])(
            points=draw(points),
            priority_at_least=draw(st.sampled_from([None, "routine", "soon", "urgent"])),
            tier_at_least=draw(st.sampled_from([None, "universal", "targeted", "specialist"])),
        )
        for risk in RISKS
    }
    return Rules(
        name="random",
        impact=impact,
        risks=risks,
        complexity={level: draw(points) for level in COMPLEXITY_LEVELS},
        tiers={"targeted": tiers[0], "specialist": tiers[1]},
        priority={"soon": priority[0], "urgent": priority[1]},
        equity={
            "deprivation_quintile_1": draw(points),
            "care_experienced": draw(points),
            "additional_learning_needs": draw(points),
        },
        pathways=base.pathways,
    )


answers_strategy = st.fixed_dictionaries(
    {
        "impact": st.dictionaries(st.sampled_from(AREAS), st.sampled_from(IMPACT_LEVELS)),
        "risks": st.lists(st.sampled_from(RISKS), unique=True),
        "complexity": st.sampled_from(COMPLEXITY_LEVELS),
    }
)
yes_no = st.sampled_from(["yes", "no", "unknown"])
children = st.builds(
    EquityFacts,
    deprivation_quintile=st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
    care_experienced=yes_no,
    additional_learning_needs=yes_no,
)


@settings(max_examples=300, deadline=None)
@given(rules=rules_files(), answers=answers_strategy, child=children)
def test_equity_never_changes_the_tier_priority_or_pathway(
    rules: Rules, answers: dict[str, Any], child: EquityFacts
) -> None:
    with_equity = recommend(rules, answers, child)
    without = recommend(rules, answers, NEUTRAL)
    assert with_equity.tier == without.tier
    assert with_equity.priority == without.priority
    assert with_equity.pathway_key == without.pathway_key
    assert with_equity.need_score >= without.need_score == without.clinical_score


@settings(max_examples=100, deadline=None)
@given(answers=answers_strategy, child=children)
def test_every_clinical_factor_is_explained_and_adds_up(
    answers: dict[str, Any], child: EquityFacts
) -> None:
    recommendation = recommend(RULES, answers, child)
    clinical = sum(e["added"] for e in recommendation.explanation if e["kind"] == "clinical")
    equity = sum(e["added"] for e in recommendation.explanation if e["kind"] == "equity")
    assert clinical == recommendation.clinical_score
    assert clinical + equity == recommendation.need_score
