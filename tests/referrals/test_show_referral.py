"""The referral page: details, history, the duplicate warning; every view audited."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from sapling.accounts.models import Team, User
from sapling.referrals.models import Referral
from tests.conftest import logged_in
from tests.factories import ReferralFactory


def _url(referral: Referral) -> str:
    return f"/referrals/{referral.pk}/"


@pytest.mark.django_db
def test_opening_a_referral_shows_it_and_records_the_view(clinician: User, team: Team) -> None:
    referral = ReferralFactory.create(team=team)
    response = logged_in(clinician).get(_url(referral))
    html = response.content.decode()
    assert referral.reference in html
    assert f"/children/{referral.child.pk}/" in html
    seen = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(referral.pk))
    assert seen.actor == clinician


@pytest.mark.django_db
def test_a_possible_duplicate_is_flagged_with_a_link_to_compare(
    clinician: User, administrator: User, team: Team
) -> None:
    referral = ReferralFactory.create(team=team, needs_duplicate_review=True)
    link = f"/referrals/{referral.pk}/duplicates/"
    assert link in logged_in(clinician).get(_url(referral)).content.decode()
    admin_page = logged_in(administrator).get(_url(referral)).content.decode()
    assert "Possible duplicate record" in admin_page
    assert link not in admin_page  # merging is a clinician's decision


@pytest.mark.django_db
def test_free_text_is_shown_escaped(clinician: User, team: Team) -> None:
    referral = ReferralFactory.create(team=team, description="<script>alert(1)</script>")
    html = logged_in(clinician).get(_url(referral)).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_another_teams_referral_is_not_found_and_the_attempt_recorded(
    other_clinician: User, team: Team
) -> None:
    referral = ReferralFactory.create(team=team)
    assert logged_in(other_clinician).get(_url(referral)).status_code == 404
    refused = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert refused.additional_data["event"] == "refused"
