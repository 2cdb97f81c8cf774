"""A partner sees the status of their own referrals only, never clinical detail."""

from __future__ import annotations

import datetime as dt

import pytest

from sapling.accounts.models import Team, User
from sapling.core.roles import Role
from sapling.referrals.models import Status
from sapling.waitlist.models import WaitlistEntry
from tests.conftest import logged_in
from tests.factories import MembershipFactory, ReferralFactory

URL = "/referrals/mine/"


@pytest.mark.django_db
def test_a_partner_sees_only_their_own_referrals(partner: User, team: Team) -> None:
    colleague = MembershipFactory.create(team=team, role=Role.PARTNER).user
    mine = ReferralFactory.create(team=team, referred_by=partner)
    theirs = ReferralFactory.create(team=team, referred_by=colleague)
    html = logged_in(partner).get(URL).content.decode()
    assert mine.reference in html
    assert theirs.reference not in html


@pytest.mark.django_db
def test_waiting_shows_completed_weeks_and_nothing_clinical(partner: User, team: Team) -> None:
    referral = ReferralFactory.create(
        team=team, referred_by=partner, status=Status.WAITING, child_views="secret views"
    )
    WaitlistEntry.objects.create(
        team=team,
        child=referral.child,
        referral=referral,
        tier="specialist",
        priority="routine",
        priority_rank=2,
        clock_start=dt.date.today() - dt.timedelta(days=20),
    )
    html = logged_in(partner).get(URL).content.decode()
    assert "Waiting (2 completed weeks)" in html
    assert "secret views" not in html
    assert "specialist" not in html.lower()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (Status.RECEIVED, "Received"),
        (Status.WAITING, "Triaged"),
        (Status.UNIVERSAL, "Triaged"),
        (Status.CLOSED, "Closed"),
    ],
)
def test_each_status_is_told_plainly(partner: User, team: Team, status: str, shown: str) -> None:
    ReferralFactory.create(team=team, referred_by=partner, status=status)
    assert shown in logged_in(partner).get(URL).content.decode()


@pytest.mark.django_db
def test_staff_do_not_have_a_my_referrals_page(clinician: User) -> None:
    assert logged_in(clinician).get(URL).status_code == 404
