"""A partner opens one of their referrals; anyone else's is not found, and recorded."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from sapling.accounts.models import Team, User
from sapling.core.roles import Role
from tests.conftest import logged_in
from tests.factories import MembershipFactory, ReferralFactory


@pytest.mark.django_db
def test_a_partner_opens_their_own_referral(partner: User, team: Team) -> None:
    referral = ReferralFactory.create(
        team=team, referred_by=partner, description="pencil-grip-notes"
    )
    response = logged_in(partner).get(f"/referrals/mine/{referral.pk}/")
    html = response.content.decode()
    assert referral.reference in html and "Received" in html
    assert "pencil-grip-notes" not in html
    assert LogEntry.objects.filter(object_pk=str(referral.pk)).exists()


@pytest.mark.django_db
def test_another_partners_referral_is_not_found_and_the_attempt_recorded(
    partner: User, team: Team
) -> None:
    colleague = MembershipFactory.create(team=team, role=Role.PARTNER).user
    referral = ReferralFactory.create(team=team, referred_by=colleague)
    assert logged_in(partner).get(f"/referrals/mine/{referral.pk}/").status_code == 404
    refused = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert refused.additional_data["event"] == "refused"
    assert refused.actor == partner
