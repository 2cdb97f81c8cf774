"""Shape recommendations, decisions and previews into what the NHS.UK macros expect."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import Team
from sapling.triage.models import Outcome, Pathway, Priority, RulesVersion, Tier, TriageDecision
from sapling.triage.rules import Recommendation
from sapling.triage.versions import Preview


def _row(key: str, value: str) -> dict[str, Any]:
    return {"key": {"text": key}, "value": {"text": value}}


def pathway_name(team: Team, key: str | None) -> str:
    if not key:
        return _("None")
    pathway = Pathway.objects.filter(team=team, key=key).first()
    return pathway.name if pathway else key


def recommendation_rows(team: Team, recommendation: Recommendation) -> list[dict[str, Any]]:
    return [
        _row(_("Tier"), str(Tier(recommendation.tier).label)),
        _row(_("Pathway"), pathway_name(team, recommendation.pathway_key)),
        _row(_("Priority"), str(Priority(recommendation.priority).label)),
        _row(
            _("Need score"),
            _("%(n)s (orders children within the same priority)")
            % {"n": recommendation.need_score},
        ),
    ]


def factor_rows(recommendation: Recommendation) -> list[list[dict[str, str]]]:
    """One row per factor: what it is, what it added, and to what."""
    rows = []
    for entry in recommendation.explanation:
        if entry["kind"] == "result":
            continue
        counts = _("Tier and priority") if entry["kind"] == "clinical" else _("Need score only")
        rows.append(
            [
                {"text": entry["factor"]},
                {"text": f"+{entry['added']}", "format": "numeric"},
                {"text": counts},
                {"text": entry["detail"]},
            ]
        )
    return rows


def result_reasons(recommendation: Recommendation) -> list[dict[str, Any]]:
    return [e for e in recommendation.explanation if e["kind"] == "result"]


def decision_message(decision: TriageDecision) -> str:
    reference = decision.referral.reference
    if decision.outcome in (Outcome.TARGETED, Outcome.SPECIALIST):
        return _("Referral %(ref)s: %(tier)s, added to the waiting list (%(priority)s)") % {
            "ref": reference,
            "tier": decision.get_tier_display().lower(),
            "priority": decision.get_priority_display().lower(),
        }
    if decision.outcome == Outcome.UNIVERSAL:
        return _("Referral %(ref)s: signposted to universal support; a letter is queued") % {
            "ref": reference
        }
    return _("Referral %(ref)s: %(outcome)s; a letter is queued") % {
        "ref": reference,
        "outcome": decision.get_outcome_display().lower(),
    }


def preview_rows(team: Team, preview: Preview) -> list[list[dict[str, str]]]:
    def change(pair: tuple[str | None, str | None], label: Any, changed: bool) -> str:
        before, after = (label(v) if v else _("None") for v in pair)
        return f"{before} → {after}" if changed else str(before)

    def pathway(key: str | None) -> str:
        return pathway_name(team, key)

    def tier(value: str) -> str:
        return str(Tier(value).label)

    def priority(value: str) -> str:
        return str(Priority(value).label)

    return [
        [
            {"text": row["reference"]},
            {"text": change(row["tier"], tier, row["tier_changed"])},
            {"text": change(row["priority"], priority, row["priority_changed"])},
            {"text": change(row["pathway"], pathway, row["pathway_changed"])},
        ]
        for row in preview.changed
    ]


def preview_counts(preview: Preview) -> list[dict[str, Any]]:
    return [
        _row(_("Decisions re-weighed"), str(preview.considered)),
        _row(_("Tier would change"), str(preview.tier_changes)),
        _row(_("Priority would change"), str(preview.priority_changes)),
        _row(_("Pathway would change"), str(preview.pathway_changes)),
    ] + [
        _row(
            _("%(tier)s recommendations") % {"tier": Tier(tier).label},
            _("%(before)s now, %(after)s with these rules")
            % {"before": preview.tiers_before[tier], "after": preview.tiers_after[tier]},
        )
        for tier in Tier.values
    ]


def history_rows(versions: Iterable[RulesVersion]) -> list[list[dict[str, str]]]:
    return [
        [
            {"text": str(version.number)},
            {"text": timezone.localtime(version.created_at).strftime("%-d %B %Y %H:%M")},
            {
                "text": str(version.created_by)
                if version.created_by
                else _("Sapling (default rules)")
            },
            {"text": _("Yes") if version.active else ""},
        ]
        for version in versions
    ]


def checkboxes_params(bound: BoundField) -> dict[str, Any]:
    """Parameters for the NHS.UK checkboxes macro.

    core's field() renders CheckboxSelectMultiple as radios (Django makes it a subclass of
    RadioSelect and the radio branch comes first), so the risks are shaped here until
    core checks for checkboxes first.
    """
    current = {str(v) for v in (bound.value() or [])}
    params: dict[str, Any] = {
        "idPrefix": bound.auto_id,
        "name": bound.html_name,
        "fieldset": {"legend": {"text": str(bound.label), "classes": "nhsuk-fieldset__legend--s"}},
        "items": [
            {"value": str(value), "text": str(text), "checked": str(value) in current}
            for value, text in bound.field.choices  # type: ignore[attr-defined]
        ],
    }
    if bound.help_text:
        params["hint"] = {"text": str(bound.help_text)}
    if bound.errors:
        params["errorMessage"] = {"text": " ".join(str(e) for e in bound.errors)}
    return params
