"""The triage rules file: reading it strictly, and recommending from it with reasons.

A team's rules are TOML text (docs/triage.md documents every key). `parse_rules` turns the
text into `Rules` or raises `RulesError` naming the line and the reason of each problem, so
a broken file is refused before it can replace the rules in use. `recommend` is a pure
function of the rules, a triage's answers and the child's equity facts: it returns the
tier, pathway, priority and need score, with every factor and what it added in plain words.

Equity factors (deprivation quintile 1, care-experienced, additional learning needs) are
added to the need score after the tier and the priority are settled, so they can order
children within a priority but can never move a child from one priority or tier to another.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypedDict

from django.utils.translation import gettext as _

from sapling.referrals.models import OccupationalArea
from sapling.triage.models import Priority, Tier

FORMAT = 1
DEFAULT_RULES_PATH = Path(__file__).with_name("default_rules.toml")

IMPACT_LEVELS = ("none", "mild", "moderate", "severe")
LEVEL_RANK = {level: rank for rank, level in enumerate(IMPACT_LEVELS)}
COMPLEXITY_LEVELS = ("low", "medium", "high")
AREAS = tuple(OccupationalArea.values)
RISKS = ("safeguarding", "exclusion", "persistent_absence", "care_experienced", "no_other_support")
EQUITY_FACTORS = ("deprivation_quintile_1", "care_experienced", "additional_learning_needs")
TIER_ORDER = (Tier.UNIVERSAL.value, Tier.TARGETED.value, Tier.SPECIALIST.value)
PRIORITY_ORDER = (Priority.ROUTINE.value, Priority.SOON.value, Priority.URGENT.value)
TOP_LEVEL = ("format", "impact", "risks", "complexity", "tiers", "priority", "equity", "pathways")
MAX_POINTS = 1000
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def risk_label(key: str) -> str:
    return {
        "safeguarding": _("Safeguarding concern"),
        "exclusion": _("At risk of exclusion from school"),
        "persistent_absence": _("Persistent absence from school"),
        "care_experienced": _("Care-experienced"),
        "no_other_support": _("No other support in place"),
    }[key]


def equity_label(key: str) -> str:
    return {
        "deprivation_quintile_1": _("Lives in one of the most deprived areas (quintile 1)"),
        "care_experienced": _("Care-experienced (on the child's record)"),
        "additional_learning_needs": _("Additional learning needs (on the child's record)"),
    }[key]


def area_label(key: str) -> str:
    return str(OccupationalArea(key).label)


def level_label(level: str) -> str:
    return {
        "none": _("no"),
        "mild": _("mild"),
        "moderate": _("moderate"),
        "severe": _("severe"),
        "low": _("low"),
        "medium": _("medium"),
        "high": _("high"),
    }[level]


def tier_label(tier: str) -> str:
    return str(Tier(tier).label).lower()


def priority_label(priority: str) -> str:
    return str(Priority(priority).label).lower()


# --- The parsed rules -------------------------------------------------------------------


@dataclass(frozen=True)
class RiskRule:
    points: int
    priority_at_least: str | None = None
    tier_at_least: str | None = None


@dataclass(frozen=True)
class PathwayRule:
    key: str
    name: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    name: str
    impact: Mapping[str, Mapping[str, int]]
    risks: Mapping[str, RiskRule]
    complexity: Mapping[str, int]
    tiers: Mapping[str, int]  # "targeted" and "specialist": the lowest total for each
    priority: Mapping[str, int]  # "soon" and "urgent": the lowest total for each
    equity: Mapping[str, int]
    pathways: tuple[PathwayRule, ...]

    def pathway_for_area(self, area: str) -> tuple[int, PathwayRule] | None:
        for index, pathway in enumerate(self.pathways):
            if area in pathway.areas:
                return index, pathway
        return None


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class RulesError(ValueError):
    """The rules file was refused; each problem names its line and the reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


# --- Finding the line of a key in the source text ---------------------------------------

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")


def _split_key(text: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in text.split("."))


def line_of(source: str, path: Sequence[str]) -> int | None:
    """The line where the key at `path` is written, or its nearest written parent."""
    wanted = tuple(path)
    best: tuple[int, int] | None = None  # (how much of the path matched, line)
    table: tuple[str, ...] = ()
    for number, line in enumerate(source.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = _split_key(header.group(1))
            found = table
        else:
            key = _KEY.match(line)
            if not key:
                continue
            found = table + _split_key(key.group(1))
        if found == wanted[: len(found)] and (best is None or len(found) > best[0]):
            best = (len(found), number)
            if len(found) == len(wanted):
                break
    return best[1] if best else None


def _decode_error_line(error: tomllib.TOMLDecodeError) -> tuple[int | None, str]:
    lineno = getattr(error, "lineno", None)  # Python 3.14 and later carry these
    message = getattr(error, "msg", None) or str(error)
    if lineno is None:
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if found:
            lineno = int(found.group(1))
    message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
    return lineno, message


# --- Checking the structure -------------------------------------------------------------


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, path: Sequence[str], message: str) -> None:
        self.problems.append(Problem(line_of(self.source, path), message))

    def table(
        self,
        value: Any,
        path: tuple[str, ...],
        *,
        required: Sequence[str],
        optional: Sequence[str] = (),
    ) -> dict[str, Any]:
        name = ".".join(path) or _("the file")
        if not isinstance(value, dict):
            self.fail(path, _("“%(key)s” must be a table of keys") % {"key": name})
            return {}
        for key in value:
            if key not in required and key not in optional:
                allowed = ", ".join([*required, *optional])
                self.fail(
                    (*path, key),
                    _("Unknown key “%(key)s” in %(table)s (allowed: %(allowed)s)")
                    % {"key": ".".join((*path, key)), "table": name, "allowed": allowed},
                )
        for key in required:
            if key not in value:
                self.fail(
                    path,
                    _("Missing key “%(key)s”") % {"key": ".".join((*path, key))},
                )
        return value

    def points(self, value: Any, path: tuple[str, ...]) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(
                path,
                _("“%(key)s” must be a whole number of points, not %(value)r")
                % {"key": ".".join(path), "value": value},
            )
            return None
        if not 0 <= value <= MAX_POINTS:
            self.fail(
                path,
                _("“%(key)s” must be between 0 and %(max)s")
                % {"key": ".".join(path), "max": MAX_POINTS},
            )
            return None
        return value

    def points_of(
        self, values: Mapping[str, Any], path: tuple[str, ...], keys: Sequence[str]
    ) -> dict[str, int]:
        """The keys' points that are present and valid (problems are recorded)."""
        found: dict[str, int] = {}
        for key in keys:
            if key in values:
                points = self.points(values[key], (*path, key))
                if points is not None:
                    found[key] = points
        return found

    def choice(self, value: Any, path: tuple[str, ...], choices: Sequence[str]) -> str | None:
        if value not in choices:
            self.fail(
                path,
                _("“%(key)s” must be one of %(choices)s, not %(value)r")
                % {"key": ".".join(path), "choices": ", ".join(choices), "value": value},
            )
            return None
        return str(value)

    def text(self, value: Any, path: tuple[str, ...], *, max_length: int) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > max_length:
            self.fail(
                path,
                _("“%(key)s” must be text of 1 to %(max)s characters")
                % {"key": ".".join(path), "max": max_length},
            )
            return ""
        return value.strip()

    def ascending(self, values: Mapping[str, int], order: Sequence[str], table: str) -> None:
        present = [key for key in order if key in values]
        for lower, higher in itertools.pairwise(present):
            if values[lower] > values[higher]:
                self.fail(
                    (table, higher),
                    _("“%(table)s.%(higher)s” (%(h)s) must not be lower than “%(lower)s” (%(l)s)")
                    % {
                        "table": table,
                        "higher": higher,
                        "lower": lower,
                        "h": values[higher],
                        "l": values[lower],
                    },
                )


def parse_rules(source: str) -> Rules:
    """Read a rules file, or raise RulesError naming each problem's line and reason."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        line, message = _decode_error_line(error)
        if line is None and "end of document" in str(error):
            line = max(1, len(source.splitlines()))
        raise RulesError(
            [Problem(line, _("This is not valid TOML: %(m)s") % {"m": message})]
        ) from None
    check = _Checker(source)
    top = check.table(
        data,
        (),
        required=TOP_LEVEL,
        optional=("name",),
    )
    if "format" in top and top["format"] != FORMAT:
        check.fail(("format",), _("“format” must be %(n)s") % {"n": FORMAT})
    name = check.text(top["name"], ("name",), max_length=200) if "name" in top else ""

    impact: dict[str, dict[str, int]] = {}
    areas = check.table(top.get("impact", {}), ("impact",), required=AREAS)
    for area in AREAS:
        if area not in areas:
            continue
        levels = check.table(areas[area], ("impact", area), required=IMPACT_LEVELS)
        impact[area] = check.points_of(levels, ("impact", area), IMPACT_LEVELS)
        check.ascending(impact[area], IMPACT_LEVELS, f"impact.{area}")

    risks: dict[str, RiskRule] = {}
    risk_tables = check.table(top.get("risks", {}), ("risks",), required=RISKS)
    for risk in RISKS:
        if risk not in risk_tables:
            continue
        path = ("risks", risk)
        values = check.table(
            risk_tables[risk],
            path,
            required=("points",),
            optional=("priority_at_least", "tier_at_least"),
        )
        risks[risk] = RiskRule(
            points=check.points_of(values, path, ("points",)).get("points", 0),
            priority_at_least=(
                check.choice(
                    values["priority_at_least"], (*path, "priority_at_least"), PRIORITY_ORDER
                )
                if "priority_at_least" in values
                else None
            ),
            tier_at_least=(
                check.choice(values["tier_at_least"], (*path, "tier_at_least"), TIER_ORDER)
                if "tier_at_least" in values
                else None
            ),
        )

    def points_table(key: str, keys: Sequence[str]) -> dict[str, int]:
        values = check.table(top.get(key, {}), (key,), required=keys)
        return check.points_of(values, (key,), keys)

    complexity = points_table("complexity", COMPLEXITY_LEVELS)
    tiers = points_table("tiers", ("targeted", "specialist"))
    check.ascending(tiers, ("targeted", "specialist"), "tiers")
    priority = points_table("priority", ("soon", "urgent"))
    check.ascending(priority, ("soon", "urgent"), "priority")
    equity = points_table("equity", EQUITY_FACTORS)

    pathways: list[PathwayRule] = []
    claimed: dict[str, str] = {}
    pathway_tables = top.get("pathways", {})
    if not isinstance(pathway_tables, dict) or not pathway_tables:
        check.fail(("pathways",), _("“pathways” must list at least one pathway"))
        pathway_tables = {}
    for key, value in pathway_tables.items():
        path = ("pathways", key)
        if not SLUG.match(key) or len(key) > 50:
            check.fail(
                path,
                _(
                    "Pathway key “%(key)s” must be lower-case letters, digits and hyphens, "
                    "at most 50 characters"
                )
                % {"key": key},
            )
        values = check.table(value, path, required=("name", "areas"))
        pathway_name = check.text(values.get("name", key), (*path, "name"), max_length=100)
        area_list = values.get("areas", [])
        if not isinstance(area_list, list):
            check.fail((*path, "areas"), _("“%(key)s.areas” must be a list") % {"key": key})
            area_list = []
        for area in area_list:
            if area not in AREAS:
                check.fail(
                    (*path, "areas"),
                    _("Unknown area %(area)r in pathway “%(key)s” (areas: %(areas)s)")
                    % {"area": area, "key": key, "areas": ", ".join(AREAS)},
                )
            elif area in claimed:
                check.fail(
                    (*path, "areas"),
                    _("Area “%(area)s” points to both “%(first)s” and “%(second)s”")
                    % {"area": area, "first": claimed[area], "second": key},
                )
            else:
                claimed[area] = key
        pathways.append(
            PathwayRule(
                key=key,
                name=pathway_name,
                areas=tuple(a for a in area_list if isinstance(a, str) and a in AREAS),
            )
        )

    if check.problems:
        check.problems.sort(key=lambda p: (p.line is None, p.line or 0))
        raise RulesError(check.problems)
    return Rules(
        name=name,
        impact=impact,
        risks=risks,
        complexity=complexity,
        tiers=tiers,
        priority=priority,
        equity=equity,
        pathways=tuple(pathways),
    )


def default_source() -> str:
    return DEFAULT_RULES_PATH.read_text(encoding="utf-8")


# --- Recommending -----------------------------------------------------------------------


class Answers(TypedDict, total=False):
    impact: dict[str, str]  # area -> none / mild / moderate / severe
    risks: list[str]
    complexity: str
    equity: dict[str, Any]  # the child's equity facts at the time, for re-running later


class ChildFacts(Protocol):
    """What the rules read from the child: the equity facts, nothing else."""

    @property
    def deprivation_quintile(self) -> int | None: ...

    @property
    def care_experienced(self) -> str: ...

    @property
    def additional_learning_needs(self) -> str: ...


@dataclass(frozen=True)
class EquityFacts:
    deprivation_quintile: int | None = None
    care_experienced: str = "unknown"
    additional_learning_needs: str = "unknown"

    @classmethod
    def of(cls, child: ChildFacts) -> EquityFacts:
        return cls(
            deprivation_quintile=child.deprivation_quintile,
            care_experienced=child.care_experienced,
            additional_learning_needs=child.additional_learning_needs,
        )

    @classmethod
    def from_answers(cls, answers: Mapping[str, Any]) -> EquityFacts:
        facts = answers.get("equity") or {}
        return cls(
            deprivation_quintile=facts.get("deprivation_quintile"),
            care_experienced=facts.get("care_experienced", "unknown"),
            additional_learning_needs=facts.get("additional_learning_needs", "unknown"),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "deprivation_quintile": self.deprivation_quintile,
            "care_experienced": self.care_experienced,
            "additional_learning_needs": self.additional_learning_needs,
        }


@dataclass(frozen=True)
class Recommendation:
    tier: str
    pathway_key: str | None
    priority: str
    need_score: int
    clinical_score: int = 0
    # Each entry: {"factor", "added", "detail", "kind"}; kind is "clinical" (counts toward
    # tier and priority), "equity" (need score only) or "result" (what the totals led to).
    explanation: list[dict[str, Any]] = field(default_factory=list)


def _entry(factor: str, added: int | None, detail: str, kind: str) -> dict[str, Any]:
    return {"factor": factor, "added": added, "detail": detail, "kind": kind}


def check_answers(answers: Mapping[str, Any]) -> None:
    """Refuse answers the rules cannot weigh (a programming error, not a user's)."""
    for area, level in (answers.get("impact") or {}).items():
        if area not in AREAS or level not in IMPACT_LEVELS:
            raise ValueError(f"unknown impact {area}={level}")
    for risk in answers.get("risks") or []:
        if risk not in RISKS:
            raise ValueError(f"unknown risk {risk}")
    if answers.get("complexity", "low") not in COMPLEXITY_LEVELS:
        raise ValueError(f"unknown complexity {answers.get('complexity')}")


def _level_for(thresholds: Mapping[str, int], order: Sequence[str], total: int) -> str:
    reached = order[0]
    for level in order[1:]:
        if total >= thresholds[level]:
            reached = level
    return reached


def recommend(rules: Rules, answers: Mapping[str, Any], child: ChildFacts) -> Recommendation:
    """What the rules recommend for these answers, with each factor and what it added."""
    check_answers(answers)
    explanation: list[dict[str, Any]] = []
    total = 0

    impact: Mapping[str, str] = answers.get("impact") or {}
    for area in AREAS:
        level = impact.get(area, "none")
        if level == "none":
            continue
        added = rules.impact[area][level]
        total += added
        explanation.append(
            _entry(
                _("%(area)s: %(level)s impact")
                % {"area": area_label(area), "level": level_label(level)},
                added,
                _("A %(level)s impact on %(area)s adds %(n)s points.")
                % {"level": level_label(level), "area": area_label(area).lower(), "n": added},
                "clinical",
            )
        )

    priority_floor, tier_floor = PRIORITY_ORDER[0], TIER_ORDER[0]
    floors: list[str] = []
    for risk in RISKS:
        if risk not in (answers.get("risks") or []):
            continue
        rule = rules.risks[risk]
        total += rule.points
        detail = _("%(risk)s adds %(n)s points.") % {"risk": risk_label(risk), "n": rule.points}
        if rule.priority_at_least:
            detail += " " + _("It makes the priority at least %(p)s.") % {
                "p": priority_label(rule.priority_at_least)
            }
            if PRIORITY_ORDER.index(rule.priority_at_least) > PRIORITY_ORDER.index(priority_floor):
                priority_floor = rule.priority_at_least
            floors.append(risk)
        if rule.tier_at_least:
            detail += " " + _("It makes the tier at least %(t)s.") % {
                "t": tier_label(rule.tier_at_least)
            }
            if TIER_ORDER.index(rule.tier_at_least) > TIER_ORDER.index(tier_floor):
                tier_floor = rule.tier_at_least
        explanation.append(_entry(risk_label(risk), rule.points, detail, "clinical"))

    complexity = answers.get("complexity") or "low"
    added = rules.complexity[complexity]
    total += added
    if added:
        explanation.append(
            _entry(
                _("Complexity: %(level)s") % {"level": level_label(complexity)},
                added,
                _("A %(level)s complexity adds %(n)s points.")
                % {"level": level_label(complexity), "n": added},
                "clinical",
            )
        )

    tier = _level_for(rules.tiers, TIER_ORDER, total)
    detail = _("The clinical total is %(total)s.") % {"total": total}
    if tier == Tier.UNIVERSAL:
        detail += " " + _("It is below the targeted threshold of %(n)s, so: universal.") % {
            "n": rules.tiers["targeted"]
        }
    else:
        detail += " " + _("It reaches the %(tier)s threshold of %(n)s.") % {
            "tier": tier_label(tier),
            "n": rules.tiers[tier],
        }
    if TIER_ORDER.index(tier_floor) > TIER_ORDER.index(tier):
        tier = tier_floor
        detail += " " + _("A risk raises it to %(tier)s.") % {"tier": tier_label(tier)}
    explanation.append(
        _entry(_("Tier: %(tier)s") % {"tier": tier_label(tier)}, None, detail, "result")
    )

    priority = _level_for(rules.priority, PRIORITY_ORDER, total)
    if priority == Priority.ROUTINE:
        detail = _("The clinical total %(total)s is below the soon threshold of %(n)s.") % {
            "total": total,
            "n": rules.priority["soon"],
        }
    else:
        detail = _("The clinical total %(total)s reaches the %(p)s threshold of %(n)s.") % {
            "total": total,
            "p": priority_label(priority),
            "n": rules.priority[priority],
        }
    if PRIORITY_ORDER.index(priority_floor) > PRIORITY_ORDER.index(priority):
        priority = priority_floor
        detail += " " + _("%(risks)s raises it to %(p)s.") % {
            "risks": ", ".join(risk_label(r) for r in floors),
            "p": priority_label(priority),
        }
    explanation.append(
        _entry(_("Priority: %(p)s") % {"p": priority_label(priority)}, None, detail, "result")
    )

    pathway_key, pathway_detail = _choose_pathway(rules, impact)
    explanation.append(_entry(_("Pathway"), None, pathway_detail, "result"))

    # Equity comes last and touches the need score only: tier and priority are settled.
    need_score = total
    facts = EquityFacts.of(child)
    present = {
        "deprivation_quintile_1": facts.deprivation_quintile == 1,
        "care_experienced": facts.care_experienced == "yes",
        "additional_learning_needs": facts.additional_learning_needs == "yes",
    }
    for factor in EQUITY_FACTORS:
        if not present[factor]:
            continue
        added = rules.equity[factor]
        need_score += added
        explanation.append(
            _entry(
                equity_label(factor),
                added,
                _("Adds %(n)s to the need score only; it never changes the tier or priority.")
                % {"n": added},
                "equity",
            )
        )
    explanation.append(
        _entry(
            _("Need score: %(n)s") % {"n": need_score},
            None,
            _("The clinical total %(total)s plus equity points %(equity)s.")
            % {"total": total, "equity": need_score - total},
            "result",
        )
    )
    return Recommendation(
        tier=tier,
        pathway_key=pathway_key,
        priority=priority,
        need_score=need_score,
        clinical_score=total,
        explanation=explanation,
    )


def _choose_pathway(rules: Rules, impact: Mapping[str, str]) -> tuple[str | None, str]:
    """The pathway of the most affected area.

    Ties between areas at the same impact level go to the area worth more points, then
    to the pathway written first in the rules file.
    """
    best: tuple[int, int, int] | None = None
    chosen: tuple[PathwayRule, str] | None = None
    for area in AREAS:
        level = impact.get(area, "none")
        found = rules.pathway_for_area(area)
        if level == "none" or found is None:
            continue
        index, pathway = found
        rank = (LEVEL_RANK[level], rules.impact[area][level], -index)
        if best is None or rank > best:
            best, chosen = rank, (pathway, area)
    if chosen is None:
        return None, _("No affected area points to a pathway, so none is recommended.")
    pathway, area = chosen
    return pathway.key, _("%(pathway)s: %(area)s is the most affected area (%(level)s).") % {
        "pathway": pathway.name,
        "area": area_label(area),
        "level": level_label(impact[area]),
    }
