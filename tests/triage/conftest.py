"""Triage fixtures: a referral waiting to be triaged, with a carer who may be written to."""

from __future__ import annotations

import pytest

from sapling.accounts.models import Team
from sapling.children.models import Carer, Child
from sapling.referrals.models import Referral
from tests.factories import CarerFactory, ReferralFactory


@pytest.fixture
def referral(team: Team, child: Child) -> Referral:
    """A request for help with Alys's handwriting and movement, received on 6 January 2025."""
    return ReferralFactory.create(
        team=team, child=child, reference="R-TRIAGE01", reasons=["handwriting", "movement"]
    )


@pytest.fixture
def carer(child: Child) -> Carer:
    """Alys's mother, who has agreed to be contacted by email."""
    return CarerFactory.create(child=child, given_name="Sian", family_name="Morgan")
