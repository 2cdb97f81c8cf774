"""Checking an instrument's JSON before Sapling will use it.

The file is `{"questionnaire": <FHIR R4 Questionnaire>, "sapling": {"kind", "scoring",
"source", "licence", "respondents"}}`. The questionnaire must be valid FHIR (checked with
fhir.resources' R4B models, whose Questionnaire is R4's) and make sense as a form: unique
link ids, every enableWhen pointing at an earlier question with a fitting answer, answer
options with codes, bounds in order, scoring rules that name real questions and codes.
A broken file is refused with every reason found, so its author can fix them in one go.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from pydantic import ValidationError

from sapling.outcomes import questionnaire as q
from sapling.outcomes.models import InstrumentKind, Respondent

MAX_BYTES = 500_000
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
ANSWER_FOR_TYPE = {
    "choice": "answerCoding",
    "boolean": "answerBoolean",
    "integer": "answerInteger",
    "decimal": "answerDecimal",
    "string": "answerString",
    "text": "answerString",
    "date": "answerDate",
}
SCORABLE = {"choice", "integer", "decimal"}


class InstrumentRefused(ValueError):
    """The instrument cannot be used; `reasons` says why, one problem per line."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons))


@dataclass
class CheckedInstrument:
    name: str
    version: str
    title: str
    kind: str
    questionnaire: dict[str, Any]
    scoring: dict[str, Any]
    languages: list[str]
    source: str
    licence: str
    respondents: list[str] = field(default_factory=list)


def parse(raw: bytes | str) -> dict[str, Any]:
    if len(raw) > MAX_BYTES:
        raise InstrumentRefused([_("The file is too large (at most 500 KB)")])
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        detail = f"line {error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
        message = _("The file is not valid JSON %(where)s") % {"where": detail}
        raise InstrumentRefused([message.strip()]) from None
    if not isinstance(data, dict):
        raise InstrumentRefused([_("The file must hold one JSON object")])
    return data


def check_instrument(raw: bytes | str | dict[str, Any]) -> CheckedInstrument:
    """The instrument, checked; or InstrumentRefused naming every problem found."""
    data = raw if isinstance(raw, dict) else parse(raw)
    definition, meta = data.get("questionnaire"), data.get("sapling")
    if not isinstance(definition, dict) or not isinstance(meta, dict):
        raise InstrumentRefused(
            [_('The file needs a "questionnaire" object and a "sapling" object')]
        )
    reasons = (
        _fhir_reasons(definition) + _form_reasons(definition) + _meta_reasons(definition, meta)
    )
    if reasons:
        raise InstrumentRefused(reasons)
    return CheckedInstrument(
        name=str(definition["name"]),
        version=str(definition["version"]),
        title=str(definition["title"]),
        kind=str(meta["kind"]),
        questionnaire=definition,
        scoring=meta.get("scoring") or {},
        languages=q.languages(definition),
        source=str(meta.get("source", "")),
        licence=str(meta.get("licence", "")),
        respondents=list(meta.get("respondents", [])),
    )


def _fhir_reasons(definition: dict[str, Any]) -> list[str]:
    from fhir.resources.R4B.questionnaire import Questionnaire

    if definition.get("resourceType") != "Questionnaire":
        return [_('"resourceType" must be "Questionnaire"')]
    try:
        Questionnaire.model_validate(definition)
    except ValidationError as error:
        return [
            _("Not a valid FHIR Questionnaire at %(where)s: %(what)s")
            % {"where": ".".join(str(p) for p in e["loc"]) or "top level", "what": e["msg"]}
            for e in error.errors()[:10]
        ]
    return []


def _form_reasons(definition: dict[str, Any]) -> list[str]:
    reasons: list[str] = []
    for key in ("name", "version", "title"):
        if not str(definition.get(key, "")).strip():
            reasons.append(_('The questionnaire needs a "%(key)s"') % {"key": key})
    items = list(q.walk(definition.get("item", [])))
    if not q.questions(definition):
        reasons.append(_("The questionnaire has no questions"))
    seen: dict[str, dict[str, Any]] = {}
    for item in items:
        link_id = str(item.get("linkId", ""))
        if link_id in seen:
            reasons.append(_('The link id "%(id)s" is used more than once') % {"id": link_id})
        seen[link_id] = item
        reasons += _item_reasons(item)
    order = [str(i.get("linkId", "")) for i in items]
    for position, item in enumerate(items):
        reasons += _enable_when_reasons(item, seen, set(order[:position]))
    return reasons


def _item_reasons(item: dict[str, Any]) -> list[str]:
    link_id, kind = item.get("linkId", ""), item.get("type")
    reasons = []
    if kind not in q.QUESTION_TYPES | {"group", "display"}:
        reasons.append(
            _('Question "%(id)s" has type "%(type)s", which Sapling cannot show; use one of %(ok)s')
            % {"id": link_id, "type": kind, "ok": ", ".join(sorted(q.QUESTION_TYPES))}
        )
    if kind == "group" and not item.get("item"):
        reasons.append(_('The group "%(id)s" has no items') % {"id": link_id})
    if kind in ("display", "group") and item.get("required"):
        reasons.append(_('"%(id)s" is not a question, so it cannot be required') % {"id": link_id})
    if kind in q.QUESTION_TYPES and not str(item.get("text", "")).strip():
        reasons.append(_('Question "%(id)s" has no text') % {"id": link_id})
    if kind == "choice":
        reasons += _option_reasons(item)
    low, high = q.bound(item, q.MIN_VALUE), q.bound(item, q.MAX_VALUE)
    if low is not None and high is not None and low > high:
        reasons.append(_('Question "%(id)s" has a minimum above its maximum') % {"id": link_id})
    return reasons


def _option_reasons(item: dict[str, Any]) -> list[str]:
    link_id, found = item.get("linkId", ""), item.get("answerOption", [])
    if item.get("answerValueSet"):
        return [
            _('Question "%(id)s" uses a value set: list its answers as answerOption instead')
            % {"id": link_id}
        ]
    if not found:
        return [_('Choice question "%(id)s" has no answer options') % {"id": link_id}]
    reasons = []
    codes = [q.option_code(o) for o in found]
    for option, code in zip(found, codes, strict=True):
        if not code or ("valueCoding" in option and not option["valueCoding"].get("display")):
            reasons.append(
                _('An answer option of "%(id)s" needs a code and a display text') % {"id": link_id}
            )
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        reasons.append(
            _('Question "%(id)s" has the answer code %(codes)s more than once')
            % {"id": link_id, "codes": ", ".join(duplicates)}
        )
    return reasons


def _enable_when_reasons(
    item: dict[str, Any], items: dict[str, dict[str, Any]], earlier: set[str]
) -> list[str]:
    link_id, reasons = item.get("linkId", ""), []
    conditions = item.get("enableWhen", [])
    if len(conditions) > 1 and item.get("enableBehavior") not in ("all", "any"):
        reasons.append(
            _('"%(id)s" has several enableWhen conditions: say "enableBehavior": "all" or "any"')
            % {"id": link_id}
        )
    for condition in conditions:
        target_id = condition.get("question", "")
        target = items.get(target_id)
        if target is None or target.get("type") not in q.QUESTION_TYPES:
            reasons.append(
                _('"%(id)s" is shown depending on "%(target)s", which is not a question here')
                % {"id": link_id, "target": target_id}
            )
            continue
        if target_id not in earlier:
            reasons.append(
                _('"%(id)s" depends on "%(target)s", which must come before it')
                % {"id": link_id, "target": target_id}
            )
        operator = condition.get("operator")
        if operator not in OPERATORS:
            reasons.append(
                _('"%(id)s" has an unknown enableWhen operator "%(op)s"')
                % {"id": link_id, "op": operator}
            )
            continue
        reasons += _condition_answer_reasons(link_id, condition, target, operator)
    return reasons


def _condition_answer_reasons(
    link_id: str, condition: dict[str, Any], target: dict[str, Any], operator: str
) -> list[str]:
    keys = [k for k in condition if k.startswith("answer")]
    expected = "answerBoolean" if operator == "exists" else ANSWER_FOR_TYPE[target["type"]]
    if keys != [expected]:
        return [
            _('"%(id)s" depends on "%(target)s" but compares it with %(given)s, not %(expected)s')
            % {
                "id": link_id,
                "target": target["linkId"],
                "given": ", ".join(keys) or _("nothing"),
                "expected": expected,
            }
        ]
    if expected == "answerCoding":
        code = str(condition["answerCoding"].get("code", ""))
        if code not in {c for c, _text in q.options(target, "en")}:
            return [
                _('"%(id)s" depends on the answer "%(code)s", which "%(target)s" does not offer')
                % {"id": link_id, "code": code, "target": target["linkId"]}
            ]
    return []


def _meta_reasons(definition: dict[str, Any], meta: dict[str, Any]) -> list[str]:
    reasons = []
    if meta.get("kind") not in InstrumentKind.values:
        reasons.append(
            _('"kind" must be one of %(kinds)s') % {"kinds": ", ".join(InstrumentKind.values)}
        )
    unknown = set(meta.get("respondents", [])) - set(Respondent.values)
    if unknown:
        reasons.append(
            _("Unknown respondents %(who)s; use %(ok)s")
            % {"who": ", ".join(sorted(unknown)), "ok": ", ".join(Respondent.values)}
        )
    scoring = meta.get("scoring") or {}
    if not isinstance(scoring, dict):
        return [*reasons, _('"scoring" must be an object')]
    items = q.by_link_id(definition)
    keys: list[str] = []
    for rule in scoring.get("scores", []):
        keys.append(str(rule.get("key", "")))
        reasons += _score_reasons(rule, items)
    if len(set(keys)) != len(keys):
        reasons.append(_("Two scores have the same key"))
    positive = scoring.get("positive")
    if positive:
        target = items.get(positive.get("item", ""))
        if target is None or target.get("type") != "choice":
            reasons.append(_('"positive" must name a choice question'))
        else:
            offered = {c for c, _text in q.options(target, "en")}
            if not set(map(str, positive.get("codes", []))) <= offered or not positive.get("codes"):
                reasons.append(_('"positive" codes must be answers that question offers'))
    return reasons


def _score_reasons(rule: dict[str, Any], items: dict[str, dict[str, Any]]) -> list[str]:
    key = rule.get("key") or "?"
    reasons = []
    if not rule.get("key") or not rule.get("label"):
        reasons.append(_("Each score needs a key and a label"))
    if rule.get("method") not in ("value", "sum", "mean"):
        reasons.append(_('Score "%(key)s": method must be value, sum or mean') % {"key": key})
    if not rule.get("items"):
        reasons.append(_('Score "%(key)s" names no questions') % {"key": key})
    values = rule.get("values") or {}
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values.values()):
        reasons.append(_('Score "%(key)s": every value must be a number') % {"key": key})
    offered: set[str] = set()
    for link_id in rule.get("items", []):
        item = items.get(link_id)
        if item is None or item.get("type") not in SCORABLE:
            reasons.append(
                _('Score "%(key)s" counts "%(id)s", which is not a choice or number question')
                % {"key": key, "id": link_id}
            )
        elif item["type"] == "choice" and not values:
            reasons.append(
                _('Score "%(key)s" counts choice question "%(id)s" but gives no values')
                % {"key": key, "id": link_id}
            )
        elif item["type"] == "choice":
            offered |= {c for c, _text in q.options(item, "en")}
    stray = sorted(set(values) - offered) if offered else []
    if stray:
        reasons.append(
            _('Score "%(key)s" gives values for answers no question offers: %(codes)s')
            % {"key": key, "codes": ", ".join(stray)}
        )
    return reasons
