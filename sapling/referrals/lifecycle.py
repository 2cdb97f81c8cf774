"""Every move in a referral's life, each checked, versioned and recorded as an event."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sapling.accounts.models import User
from sapling.core.lifecycle import IllegalMove
from sapling.referrals.models import Referral, ReferralEvent, Status

ALLOWED_MOVES: dict[str, set[str]] = {
    Status.RECEIVED: {
        Status.UNIVERSAL,
        Status.WAITING,
        Status.DECLINED,
        Status.REDIRECTED,
        Status.WITHDRAWN,
    },
    Status.WAITING: {Status.CLOSED, Status.WITHDRAWN},
    Status.UNIVERSAL: set(),
    Status.DECLINED: set(),
    Status.REDIRECTED: set(),
    Status.WITHDRAWN: set(),
    Status.CLOSED: set(),
}


@transaction.atomic
def move_referral(
    *,
    referral: Referral,
    to_status: str,
    by: User | None,
    expected_version: int,
    note: str = "",
) -> Referral:
    """Move a referral on; a stale version raises StaleEdit, a disallowed move IllegalMove."""
    if to_status not in ALLOWED_MOVES.get(referral.status, set()):
        raise IllegalMove(
            _("A referral that is %(now)s cannot become %(next)s")
            % {
                "now": referral.get_status_display().lower(),
                "next": Status(to_status).label.lower(),
            }
        )
    from_status = referral.status
    referral.status = to_status
    if to_status in {Status.DECLINED, Status.REDIRECTED, Status.WITHDRAWN, Status.CLOSED}:
        referral.closed_reason = note
    referral.updated_by = by
    referral.save_versioned(expected_version=expected_version)
    ReferralEvent.objects.create(
        referral=referral, by=by, from_status=from_status, to_status=to_status, note=note
    )
    return referral


def record_received(*, referral: Referral, by: User | None) -> None:
    """The first event of every referral, written when it is saved."""
    ReferralEvent.objects.create(referral=referral, by=by, to_status=Status.RECEIVED)
