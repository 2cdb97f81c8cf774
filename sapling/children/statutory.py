"""Statutory advice requests: a local authority asks for the service's advice on a child.

England: an Education, Health and Care (EHC) needs assessment; the advice is due 6 weeks
after the request (SEND Regulations 2014, reg. 8). Wales: Additional Learning Needs (ALN);
we apply the same 6 weeks from the request to the NHS body (the ALN Code for Wales sets
six weeks for an NHS body to respond to a local authority's request), documented in
docs/safeguarding-and-sharing.md. The nation is the team's.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import Nation, Team, User
from sapling.children.models import AdviceKind, AdviceQuerySet, Child, StatutoryAdviceRequest
from sapling.core.lifecycle import IllegalMove
from sapling.core.roles import Role

ADVICE_WEEKS = {Nation.ENGLAND: 6, Nation.WALES: 6}
KIND = {
    Nation.ENGLAND: AdviceKind.EHC_NEEDS_ASSESSMENT,
    Nation.WALES: AdviceKind.ADDITIONAL_LEARNING_NEEDS,
}
# The caseload and the "coming due" list show requests due within this, and overdue ones.
COMING_DUE = dt.timedelta(weeks=2)
WRITERS = (Role.CLINICIAN, Role.LEAD)


def due_date(team: Team, received_on: dt.date) -> dt.date:
    return received_on + dt.timedelta(weeks=ADVICE_WEEKS[Nation(team.nation)])


def statutory_advice_due(
    user_or_team: User | Team, *, today: dt.date | None = None
) -> AdviceQuerySet:
    """Outstanding advice due within two weeks or overdue, soonest first.

    For a team: all of the team's. For a user: the requests they are writing, in the team
    of their active membership. The caseload page calls this.
    """
    today = today or timezone.localdate()
    if isinstance(user_or_team, Team):
        found = StatutoryAdviceRequest.objects.for_team(user_or_team)
    else:
        membership = user_or_team.active_membership()
        if membership is None:
            return StatutoryAdviceRequest.objects.none()
        found = StatutoryAdviceRequest.objects.for_team(membership.team).filter(writer=user_or_team)
    return found.coming_due(today, COMING_DUE).select_related("child", "writer")


def _check_writer(team: Team, writer: User | None) -> None:
    if (
        writer is not None
        and not writer.memberships.filter(team=team, active=True, role__in=WRITERS).exists()
    ):
        raise IllegalMove(_("The writer must be a clinician or lead in this team"))


@transaction.atomic
def record_request(
    *,
    child: Child,
    requested_by: str,
    reference: str,
    received_on: dt.date,
    writer: User | None,
    by: User,
) -> StatutoryAdviceRequest:
    """The due date follows from the team's nation and the date the request arrived."""
    if received_on > timezone.localdate():
        raise IllegalMove(_("The date the request was received cannot be in the future"))
    _check_writer(child.team, writer)
    nation = Nation(child.team.nation)
    return StatutoryAdviceRequest.objects.create(
        team=child.team,
        child=child,
        kind=KIND[nation],
        requested_by=requested_by.strip(),
        reference=reference.strip(),
        received_on=received_on,
        due_on=due_date(child.team, received_on),
        writer=writer,
        updated_by=by,
    )


def _require_outstanding(request: StatutoryAdviceRequest) -> None:
    if request.submitted_on is not None:
        raise IllegalMove(_("This advice has already been sent"))
    if request.withdrawn_on is not None:
        raise IllegalMove(_("This request was withdrawn"))


@transaction.atomic
def assign_writer(
    *, request: StatutoryAdviceRequest, writer: User | None, by: User, expected_version: int
) -> StatutoryAdviceRequest:
    _require_outstanding(request)
    _check_writer(request.team, writer)
    request.writer = writer
    request.updated_by = by
    request.save_versioned(expected_version=expected_version)
    return request


@transaction.atomic
def record_submission(
    *, request: StatutoryAdviceRequest, on: dt.date, by: User, expected_version: int
) -> StatutoryAdviceRequest:
    _require_outstanding(request)
    if on < request.received_on or on > timezone.localdate():
        raise IllegalMove(
            _("The advice must have been sent between the date of the request and today")
        )
    request.submitted_on = on
    request.updated_by = by
    request.save_versioned(expected_version=expected_version)
    return request


@transaction.atomic
def withdraw_request(
    *, request: StatutoryAdviceRequest, reason: str, by: User, expected_version: int
) -> StatutoryAdviceRequest:
    """The local authority no longer needs the advice: closed with its reason, kept."""
    _require_outstanding(request)
    if not reason.strip():
        raise IllegalMove(_("Say why the request was withdrawn"))
    request.withdrawn_on = timezone.localdate()
    request.withdrawn_reason = reason.strip()
    request.updated_by = by
    request.save_versioned(expected_version=expected_version)
    return request
