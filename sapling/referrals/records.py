"""Changes staff make to a referral's own details (moves between statuses are lifecycle's)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sapling.accounts.models import User
from sapling.referrals.models import Referral


@transaction.atomic
def record_child_views(
    *, referral: Referral, by: User, child_views: str, child_consent: bool, version: int
) -> Referral:
    """A clinician records a competent younger child's own views and consent."""
    referral.child_views = child_views
    referral.child_consent = child_consent
    referral.child_views_recorded_by = by
    referral.child_views_recorded_at = timezone.now()
    referral.updated_by = by
    referral.save_versioned(expected_version=version)
    return referral
