"""What every page's shell needs: navigation by role and the user's team."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from sapling.core.permissions import has_permission

# (label, url name, permission): a role sees the items whose permission it holds.
NAVIGATION = [
    (lambda: _("Home"), "core:home", "team.view"),
    (lambda: _("Children"), "children:find_children", "children.view"),
    (lambda: _("Referrals"), "referrals:list_referrals", "referrals.view"),
    (lambda: _("My referrals"), "referrals:list_my_referrals", "referrals.view_own"),
    (lambda: _("Triage"), "triage:list_referrals", "triage.decide"),
    (lambda: _("Waiting list"), "waitlist:list_entries", "waitlist.view"),
    (lambda: _("Diary"), "care:show_diary", "care.view_diary"),
    (lambda: _("Caseload"), "care:show_caseload", "care.view_record"),
    (lambda: _("Safeguarding"), "children:list_open_concerns", "safeguarding.view_open"),
    (lambda: _("Statutory advice"), "children:list_advice_due", "statutory.manage"),
    (lambda: _("Shared summaries"), "children:list_released_summaries", "sharing.view_released"),
    (lambda: _("Outcomes"), "outcomes:show_overview", "outcomes.view"),
    (lambda: _("Resources"), "groups:list_resources", "resources.manage"),
    (lambda: _("Training and groups"), "runs:list_runs", "groups.view"),
    (lambda: _("Book training"), "runs:list_training", "groups.book_own"),
    (lambda: _("Consultations"), "consultations:list_slots", "consultations.view"),
    (
        lambda: _("My consultations"),
        "consultations:list_my_consultations",
        "consultations.book_own",
    ),
    (lambda: _("Letters and messages"), "core:list_messages", "messages.manage"),
    (lambda: _("Dashboard"), "reports:show_dashboard", "reports.view_dashboard"),
    (
        lambda: _("Quarterly tables"),
        "reports:show_commissioner_tables",
        "reports.view_commissioner",
    ),
    (lambda: _("Planning"), "reports:show_planning", "planning.view"),
    (lambda: _("Team settings"), "children:list_gp_practices", "team.configure"),
]


def page_shell(request: HttpRequest) -> dict[str, Any]:
    items = []
    for label, url_name, permission in NAVIGATION:
        if has_permission(request, permission):
            href = reverse(url_name)
            current = request.path == href or (href != "/" and request.path.startswith(href))
            items.append({"text": label(), "href": href, "current": current})
    return {"navigation_items": items, "team": getattr(request, "team", None)}
