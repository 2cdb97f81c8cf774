"""Shape waiting-list entries into what the list, the entry page and the export show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from sapling.reports.metrics import WaitFigures, is_near_target, is_over_target
from sapling.waitlist.clock import weeks_waited
from sapling.waitlist.models import WaitlistEntry


def warning(weeks: int, target_weeks: int) -> dict[str, str] | None:
    """A tag with words, not colour alone: over target, or within 2 weeks of it."""
    if is_over_target(weeks, target_weeks):
        return {"text": _("Over target"), "classes": "nhsuk-tag--red"}
    if is_near_target(weeks, target_weeks):
        return {"text": _("Near target"), "classes": "nhsuk-tag--orange"}
    return None


def entry_row(entry: WaitlistEntry, *, today: dt.date, target_weeks: int) -> dict[str, Any]:
    weeks = weeks_waited(entry, today)
    return {
        "entry": entry,
        "child": entry.child,
        "tier": entry.get_tier_display(),
        "pathway": str(entry.pathway) if entry.pathway else "",
        "priority": entry.get_priority_display(),
        "weeks": weeks,
        "status": entry.get_status_display(),
        "warning": warning(weeks, target_weeks),
        "worse": bool(getattr(entry, "family_says_worse", False)),
        "position": getattr(entry, "position", None),
        "other_position": getattr(entry, "other_position", None),
    }


def entry_rows(
    entries: Iterable[WaitlistEntry], *, today: dt.date, target_weeks: int
) -> list[dict[str, Any]]:
    return [entry_row(e, today=today, target_weeks=target_weeks) for e in entries]


def _weeks(value: int | None) -> str:
    return "" if value is None else str(value)


def figures_row(label: str, figures: WaitFigures) -> list[dict[str, str]]:
    percent = figures.percent_within_target
    return [
        {"text": label},
        {"text": str(figures.waiting), "format": "numeric"},
        {"text": _weeks(figures.median_weeks), "format": "numeric"},
        {"text": _weeks(figures.p92_weeks), "format": "numeric"},
        {"text": "" if percent is None else f"{percent}%", "format": "numeric"},
    ]


def target_text(figures: WaitFigures) -> str:
    share = figures.target_share * 100
    if share >= 100:
        return _("Target: everyone seen within %(weeks)s weeks") % {"weeks": figures.target_weeks}
    return _("Target: %(share)s%% seen within %(weeks)s weeks") % {
        "share": f"{share:.0f}",
        "weeks": figures.target_weeks,
    }


def summary_rows(entry: WaitlistEntry, today: dt.date) -> list[dict[str, Any]]:
    def row(key: str, value: object) -> dict[str, Any]:
        text = "" if value is None else str(value)
        return {"key": {"text": key}, "value": {"text": text or _("Not recorded")}}

    allocated = ""
    if entry.allocated_to:
        allocated = entry.allocated_to.get_full_name() or entry.allocated_to.username
    return [
        row(_("Referral"), entry.referral.reference),
        row(_("Tier"), entry.get_tier_display()),
        row(_("Pathway"), entry.pathway),
        row(_("Priority"), entry.get_priority_display()),
        row(_("Need score"), entry.need_score),
        row(_("Clock started"), f"{entry.clock_start:%-d %B %Y}"),
        row(_("Weeks waited"), weeks_waited(entry, today)),
        row(_("Status"), entry.get_status_display()),
        row(_("Allocated to"), allocated),
    ]
