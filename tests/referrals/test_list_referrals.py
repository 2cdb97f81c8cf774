"""The staff list of referrals: awaiting triage by default, filtered, audited, bounded."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from sapling.accounts.models import Team, User
from sapling.referrals.models import Status
from tests.conftest import logged_in
from tests.factories import ReferralFactory

URL = "/referrals/"


@pytest.mark.django_db
def test_it_lists_referrals_awaiting_triage_and_records_the_list_view(
    administrator: User, team: Team, other_team: Team
) -> None:
    waiting = ReferralFactory.create(team=team)
    triaged = ReferralFactory.create(team=team, status=Status.WAITING)
    theirs = ReferralFactory.create(team=other_team)
    html = logged_in(administrator).get(URL).content.decode()
    assert waiting.reference in html
    assert triaged.reference not in html
    assert theirs.reference not in html
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).last()
    assert entry is not None and entry.additional_data["records"] == [waiting.pk]


@pytest.mark.django_db
def test_it_filters_by_status(administrator: User, team: Team) -> None:
    received = ReferralFactory.create(team=team)
    waiting = ReferralFactory.create(team=team, status=Status.WAITING)
    html = logged_in(administrator).get(URL, {"status": "waiting"}).content.decode()
    assert waiting.reference in html and received.reference not in html
    everything = logged_in(administrator).get(URL, {"status": "all"}).content.decode()
    assert waiting.reference in everything and received.reference in everything


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_list(
    administrator: User, team: Team, django_assert_max_num_queries: object
) -> None:
    client = logged_in(administrator)
    ReferralFactory.create_batch(3, team=team)
    client.get(URL)  # warm caches (content types, session)
    ReferralFactory.create_batch(20, team=team)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        response = client.get(URL)
    assert response.content.decode().count("/referrals/") >= 23


@pytest.mark.django_db
def test_a_partner_cannot_see_the_list(partner: User) -> None:
    assert logged_in(partner).get(URL).status_code == 404


@pytest.mark.django_db
def test_only_those_who_may_add_a_referral_are_offered_the_link(
    administrator: User, support_worker: User
) -> None:
    add = 'href="/referrals/add/"'
    assert add in logged_in(administrator).get(URL).content.decode()
    page = logged_in(support_worker).get(URL)
    assert page.status_code == 200
    assert add not in page.content.decode()
