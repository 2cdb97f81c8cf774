"""Scores: the Kiresuk-Sherman GAS T-score and each instrument's own scoring rules.

An instrument's rules (the "scoring" part of its JSON) name its scores:

    {"scores": [{"key": "confidence", "label": "...", "method": "value" | "sum" | "mean",
                 "items": ["linkId", ...], "values": {"option code": number, ...}}],
     "positive": {"item": "linkId", "codes": ["code", ...], "label": "..."}}

A choice answer counts through `values` (a code not listed, such as "Don't know", gives
no score); integer and decimal answers count as themselves. A score whose items were not
all answered is None, never a guess. `positive` is the experience measure's headline:
the share of answers with one of `codes`, out of every answer to the item.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

GAS_RHO = 0.3


def gas_t_score(
    attainments: Sequence[int], weights: Sequence[float] | None = None, rho: float = GAS_RHO
) -> float:
    """Kiresuk and Sherman (1968): T = 50 + 10 sum(wx) / sqrt((1 - rho) sum(w^2) + rho sum(w)^2).

    `attainments` are the goals' levels from -2 to +2; `weights` default to 1 each; `rho`
    is the assumed correlation between goals' scores (0.3 by convention). All goals at
    the expected level (0) give 50; each level is worth about 10 points for one goal.
    """
    if not attainments:
        raise ValueError("GAS needs at least one goal")
    if any(x not in (-2, -1, 0, 1, 2) for x in attainments):
        raise ValueError("each attainment must be one of -2, -1, 0, 1, 2")
    ws = [1.0] * len(attainments) if weights is None else [float(w) for w in weights]
    if len(ws) != len(attainments):
        raise ValueError("give one weight per goal")
    if any(w <= 0 for w in ws):
        raise ValueError("weights must be positive")
    if not 0 <= rho < 1:
        raise ValueError("rho must be at least 0 and below 1")
    weighted = sum(w * x for w, x in zip(ws, attainments, strict=True))
    spread = math.sqrt((1 - rho) * sum(w * w for w in ws) + rho * sum(ws) ** 2)
    return 50 + 10 * weighted / spread


def _value(rule: dict[str, Any], answer: Any) -> float | None:
    if answer is None or answer == "":
        return None
    values = rule.get("values")
    if values is not None:
        found = values.get(str(answer))
        return None if found is None else float(found)
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int | float):
        return float(answer)
    try:
        return float(answer)
    except (TypeError, ValueError):
        return None


def score(rule: dict[str, Any], answers: dict[str, Any]) -> float | None:
    found = [_value(rule, answers.get(link_id)) for link_id in rule.get("items", [])]
    if not found or any(v is None for v in found):
        return None
    numbers = [v for v in found if v is not None]
    if rule.get("method") == "sum":
        return sum(numbers)
    if rule.get("method") == "mean":
        return round(sum(numbers) / len(numbers), 2)
    return numbers[0]


def score_answers(scoring: dict[str, Any], answers: dict[str, Any]) -> dict[str, float | None]:
    """Every score the instrument defines, for one response."""
    return {rule["key"]: score(rule, answers) for rule in scoring.get("scores", [])}


@dataclass(frozen=True)
class Share:
    """How many of `total` answers were positive, and the percentage (None with none)."""

    positive: int
    total: int

    @property
    def percent(self) -> int | None:
        return None if not self.total else round(100 * self.positive / self.total)


def positive_share(scoring: dict[str, Any], answer_sets: Iterable[dict[str, Any]]) -> Share:
    """FFT % positive, confidence % "extremely or somewhat": share of answers in `codes`.

    Every answer to the item counts in the total, "Don't know" included, as NHS England
    counts the Friends and Family Test; a response that skipped the item does not.
    """
    rule = scoring.get("positive")
    if not rule:
        return Share(0, 0)
    codes = {str(c) for c in rule.get("codes", [])}
    given = [str(a[rule["item"]]) for a in answer_sets if a.get(rule["item"]) not in (None, "")]
    return Share(sum(code in codes for code in given), len(given))


def mean(values: Iterable[float | None]) -> float | None:
    numbers = [v for v in values if v is not None]
    return round(sum(numbers) / len(numbers), 1) if numbers else None
