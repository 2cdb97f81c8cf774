"""Reading a FHIR R4 Questionnaire: items, their text in a language, pages and enableWhen.

Pages: each top-level `group` item is one page; consecutive top-level questions outside a
group share a page. Answers are kept as {linkId: value}, where a choice's value is the
chosen option's code and other values are JSON scalars (dates as ISO strings).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
QUESTION_TYPES = {"choice", "string", "text", "integer", "decimal", "boolean", "date"}
Answers = dict[str, Any]


def translated(element: dict[str, Any], field: str, language: str) -> str:
    """`element[field]`, or its translation into `language` (the FHIR translation extension)."""
    base = str(element.get(field, ""))
    if language == "en":
        return base
    for extension in element.get(f"_{field}", {}).get("extension", []):
        if extension.get("url") != TRANSLATION:
            continue
        parts = {e.get("url"): e for e in extension.get("extension", [])}
        if parts.get("lang", {}).get("valueCode") == language:
            return str(parts.get("content", {}).get("valueString", base))
    return base


def walk(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every item, depth first, in the order a respondent meets them."""
    for item in items:
        yield item
        yield from walk(item.get("item", []))


def questions(definition: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in walk(definition.get("item", [])) if i.get("type") in QUESTION_TYPES]


def by_link_id(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["linkId"]: i for i in walk(definition.get("item", [])) if "linkId" in i}


@dataclass(frozen=True)
class Page:
    title: dict[str, Any] | None  # the group item, for its text
    items: list[dict[str, Any]]  # questions and display items, nested groups flattened


def pages(definition: dict[str, Any]) -> list[Page]:
    found: list[Page] = []
    loose: list[dict[str, Any]] = []
    for item in definition.get("item", []):
        if item.get("type") == "group":
            if loose:
                found.append(Page(None, loose))
                loose = []
            inside = [i for i in walk(item.get("item", [])) if i.get("type") != "group"]
            found.append(Page(item, inside))
        else:
            loose.append(item)
    if loose:
        found.append(Page(None, loose))
    return found


def option_code(option: dict[str, Any]) -> str:
    """An answer option's code: a Coding's code, or the string or integer itself."""
    if "valueCoding" in option:
        return str(option["valueCoding"].get("code", ""))
    for key in ("valueString", "valueInteger", "valueDate"):
        if key in option:
            return str(option[key])
    return ""


def option_text(option: dict[str, Any], language: str) -> str:
    if "valueCoding" in option:
        return translated(option["valueCoding"], "display", language)
    return option_code(option)


def options(item: dict[str, Any], language: str) -> list[tuple[str, str]]:
    return [(option_code(o), option_text(o, language)) for o in item.get("answerOption", [])]


def bound(item: dict[str, Any], url: str) -> float | None:
    for extension in item.get("extension", []):
        if extension.get("url") == url:
            for key in ("valueInteger", "valueDecimal"):
                if key in extension:
                    return float(extension[key])
    return None


def _answer_of(condition: dict[str, Any]) -> Any:
    for key, value in condition.items():
        if key.startswith("answer"):
            if key == "answerCoding":
                return str(value.get("code", ""))
            return value
    return None


def _holds(condition: dict[str, Any], answers: Answers) -> bool:
    given = answers.get(str(condition.get("question", "")))
    operator = str(condition.get("operator", ""))
    wanted = _answer_of(condition)
    if operator == "exists":
        return (given not in (None, "")) == bool(wanted)
    if given in (None, ""):
        return operator == "!="
    comparable = {"=": given == wanted, "!=": given != wanted}
    if operator in comparable:
        return comparable[operator]
    try:
        return {
            ">": given > wanted,
            "<": given < wanted,
            ">=": given >= wanted,
            "<=": given <= wanted,
        }[operator]
    except (KeyError, TypeError):
        return False


def enabled(item: dict[str, Any], answers: Answers) -> bool:
    conditions = item.get("enableWhen", [])
    if not conditions:
        return True
    results = [_holds(c, answers) for c in conditions]
    return any(results) if item.get("enableBehavior") == "any" else all(results)


def enabled_questions(definition: dict[str, Any], answers: Answers) -> list[dict[str, Any]]:
    """Questions the respondent is asked, given their answers (a disabled group hides all)."""
    shown: list[dict[str, Any]] = []

    def visit(items: list[dict[str, Any]]) -> None:
        for item in items:
            if not enabled(item, answers):
                continue
            if item.get("type") in QUESTION_TYPES:
                shown.append(item)
            visit(item.get("item", []))

    visit(definition.get("item", []))
    return shown


def keep_enabled(definition: dict[str, Any], answers: Answers) -> Answers:
    """Drop answers to questions that are not asked (an earlier answer changed)."""
    asked = {i["linkId"] for i in enabled_questions(definition, answers)}
    return {k: v for k, v in answers.items() if k in asked and v not in (None, "")}


def missing_required(definition: dict[str, Any], answers: Answers) -> list[dict[str, Any]]:
    return [
        item
        for item in enabled_questions(definition, answers)
        if item.get("required") and answers.get(item["linkId"]) in (None, "")
    ]


def languages(definition: dict[str, Any]) -> list[str]:
    """English, and Welsh when every question, option and title has a Welsh translation."""
    texts: list[tuple[dict[str, Any], str]] = (
        [(definition, "title")] if "title" in definition else []
    )
    for item in walk(definition.get("item", [])):
        if item.get("text"):
            texts.append((item, "text"))
        for option in item.get("answerOption", []):
            if "valueCoding" in option:
                texts.append((option["valueCoding"], "display"))
    found = ["en"]
    if texts and all(_translation_present(e, f, "cy") for e, f in texts):
        found.append("cy")
    return found


def _translation_present(element: dict[str, Any], field: str, language: str) -> bool:
    for extension in element.get(f"_{field}", {}).get("extension", []):
        if extension.get("url") != TRANSLATION:
            continue
        parts = {e.get("url"): e for e in extension.get("extension", [])}
        if parts.get("lang", {}).get("valueCode") == language:
            return True
    return False


def value_problem(item: dict[str, Any], value: Any) -> str | None:
    """Why `value` is not an answer to `item` (a code it does not offer, out of range)."""
    from django.utils.translation import gettext as _

    kind = item.get("type")
    if kind == "choice":
        return (
            None
            if str(value) in {c for c, _t in options(item, "en")}
            else _("Choose one of the answers")
        )
    if kind in ("integer", "decimal"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _("Enter a number")
        if kind == "integer" and not isinstance(value, int):
            return _("Enter a whole number")
        low, high = bound(item, MIN_VALUE), bound(item, MAX_VALUE)
        if (low is not None and value < low) or (high is not None and value > high):
            return _("Enter a number from %(low)s to %(high)s") % {
                "low": _number(low),
                "high": _number(high),
            }
        return None
    if kind == "boolean":
        return None if isinstance(value, bool) else _("Answer yes or no")
    if kind in ("string", "text", "date"):
        limit = item.get("maxLength") or (255 if kind == "string" else 2000)
        if not isinstance(value, str):
            return _("Enter an answer")
        return _("Use at most %(n)s characters") % {"n": limit} if len(value) > limit else None
    return _("This is not a question")


def _number(value: float | None) -> str:
    if value is None:
        return "…"
    return str(int(value)) if value == int(value) else str(value)


def answer_problems(definition: dict[str, Any], answers: Answers) -> dict[str, str]:
    """Every problem with a whole set of answers: {linkId: message}. Empty means valid."""
    from django.utils.translation import gettext as _

    items = by_link_id(definition)
    problems: dict[str, str] = {}
    for link_id, value in answers.items():
        item = items.get(link_id)
        if item is None or item.get("type") not in QUESTION_TYPES:
            problems[link_id] = _("This is not a question in this questionnaire")
            continue
        problem = value_problem(item, value)
        if problem:
            problems[link_id] = problem
    for item in missing_required(definition, answers):
        problems.setdefault(item["linkId"], _("Answer this question"))
    return problems
