"""move_referral: allowed moves recorded, illegal and stale moves refused."""

from __future__ import annotations

import pytest

from sapling.accounts.models import Team, User
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import StaleEdit
from sapling.referrals.lifecycle import move_referral
from sapling.referrals.models import Status
from tests.factories import ReferralFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "to_status", [Status.UNIVERSAL, Status.WAITING, Status.DECLINED, Status.WITHDRAWN]
)
def test_a_received_referral_moves_on_and_the_move_is_recorded(
    team: Team, clinician: User, to_status: str
) -> None:
    referral = ReferralFactory.create(team=team)
    move_referral(
        referral=referral, to_status=to_status, by=clinician, expected_version=1, note="n"
    )
    referral.refresh_from_db()
    assert referral.status == to_status
    assert referral.version == 2
    event = referral.events.get()
    assert (event.from_status, event.to_status, event.by) == (Status.RECEIVED, to_status, clinician)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "to_status"),
    [
        (Status.RECEIVED, Status.CLOSED),
        (Status.UNIVERSAL, Status.WAITING),
        (Status.CLOSED, Status.RECEIVED),
        (Status.WAITING, Status.DECLINED),
    ],
)
def test_an_illegal_move_is_refused_and_nothing_changes(
    team: Team, clinician: User, start: str, to_status: str
) -> None:
    referral = ReferralFactory.create(team=team, status=start)
    with pytest.raises(IllegalMove):
        move_referral(referral=referral, to_status=to_status, by=clinician, expected_version=1)
    referral.refresh_from_db()
    assert referral.status == start
    assert not referral.events.exists()


@pytest.mark.django_db
def test_a_stale_move_is_refused(team: Team, clinician: User) -> None:
    referral = ReferralFactory.create(team=team, version=3)
    with pytest.raises(StaleEdit):
        move_referral(referral=referral, to_status=Status.WAITING, by=clinician, expected_version=2)
    assert not referral.events.exists()
