"""Safeguarding concerns on a child: record, escalate to the team's lead, close with an outcome.

Concerns are for clinical roles only. Recording one sets the child's safeguarding flag;
closing the last one leaves the flag as it is (whether a child stays flagged is a
clinician's decision, made on the child's record).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import Team, User
from sapling.children import notices
from sapling.children.models import Child, SafeguardingConcern, SafeguardingSettings
from sapling.core.lifecycle import IllegalMove
from sapling.core.permissions import has_permission
from sapling.core.roles import CLINICAL


def safeguarding_lead(team: Team) -> User | None:
    """The team's designated safeguarding lead, while they are an active clinical member."""
    lead = SafeguardingSettings.for_team(team).safeguarding_lead
    if lead is None:
        return None
    still_here = lead.memberships.filter(team=team, active=True, role__in=CLINICAL).exists()
    return lead if still_here else None


def sees_open_concerns(request: HttpRequest) -> bool:
    """The service lead, and the designated safeguarding lead whatever their role."""
    if has_permission(request, "safeguarding.view_open"):
        return True
    team = getattr(request, "team", None)
    return (
        team is not None
        and has_permission(request, "safeguarding.record")
        and safeguarding_lead(team) == request.user
    )


@transaction.atomic
def set_safeguarding_lead(*, team: Team, lead: User | None, by: User) -> SafeguardingSettings:
    if (
        lead is not None
        and not lead.memberships.filter(team=team, active=True, role__in=CLINICAL).exists()
    ):
        raise IllegalMove(_("The safeguarding lead must be a clinical member of the team"))
    found = SafeguardingSettings.for_team(team)
    found.safeguarding_lead = lead
    found.updated_by = by
    found.save()
    return found


def _check_dates(noticed_on: dt.date, told_on: dt.date, today: dt.date) -> None:
    if noticed_on > today or told_on > today:
        raise IllegalMove(_("The dates of a concern cannot be in the future"))
    if told_on < noticed_on:
        raise IllegalMove(_("They cannot have been told before the concern arose"))


@transaction.atomic
def record_concern(
    *,
    child: Child,
    concern: str,
    noticed_on: dt.date,
    who_was_told: str,
    told_on: dt.date,
    by: User,
) -> SafeguardingConcern:
    """Record the concern and flag the child's record."""
    _check_dates(noticed_on, told_on, timezone.localdate())
    if not concern.strip() or not who_was_told.strip():
        raise IllegalMove(_("Say what the concern is and who was told"))
    recorded = SafeguardingConcern.objects.create(
        team=child.team,
        child=child,
        concern=concern.strip(),
        noticed_on=noticed_on,
        who_was_told=who_was_told.strip(),
        told_on=told_on,
        raised_by=by,
        updated_by=by,
    )
    if not child.safeguarding_flag:
        Child.objects.filter(pk=child.pk).update(safeguarding_flag=True)
        child.safeguarding_flag = True
    return recorded


def _require_open(concern: SafeguardingConcern) -> None:
    if not concern.is_open:
        raise IllegalMove(_("This concern has been closed"))


@transaction.atomic
def escalate_concern(
    *, concern: SafeguardingConcern, note: str, by: User, expected_version: int
) -> SafeguardingConcern:
    """Pass the concern to the team's safeguarding lead, who sees it in the open list."""
    _require_open(concern)
    if concern.escalated_at is not None:
        raise IllegalMove(_("This concern has already been escalated"))
    lead = safeguarding_lead(concern.team)
    if lead is None:
        raise IllegalMove(
            _(
                "Your team has no safeguarding lead. Ask the service lead to name one in "
                "Team settings, and tell them about this concern now."
            )
        )
    concern.escalated_at = timezone.now()
    concern.escalated_to = lead
    concern.escalated_by = by
    concern.escalation_note = note.strip()
    concern.updated_by = by
    concern.save_versioned(expected_version=expected_version)
    notices.concern_escalated(concern)
    return concern


@transaction.atomic
def close_concern(
    *,
    concern: SafeguardingConcern,
    outcome: str,
    on: dt.date,
    by: User,
    expected_version: int,
) -> SafeguardingConcern:
    """A concern closes only with its outcome; it is kept, never deleted."""
    _require_open(concern)
    if not outcome.strip():
        raise IllegalMove(_("Record the outcome of the concern before closing it"))
    if on < concern.noticed_on or on > timezone.localdate():
        raise IllegalMove(_("The closing date must be between the concern's date and today"))
    concern.outcome = outcome.strip()
    concern.closed_on = on
    concern.closed_by = by
    concern.updated_by = by
    concern.save_versioned(expected_version=expected_version)
    return concern
