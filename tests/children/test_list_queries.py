"""The list pages read a fixed number of queries, however many rows they show."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.children import sharing
from tests.children.factories import (
    PartnerSchoolFactory,
    SafeguardingConcernFactory,
    SchoolSummaryFactory,
    SharingConsentFactory,
    StatutoryAdviceRequestFactory,
)
from tests.conftest import logged_in
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def _count(client: Any, url: str, django_assert_max_num_queries: Any, most: int) -> None:
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


def test_the_open_concerns_list(team: Team, lead: User, django_assert_max_num_queries: Any) -> None:
    SafeguardingConcernFactory.create_batch(12, team=team)
    _count(
        logged_in(lead), reverse("children:list_open_concerns"), django_assert_max_num_queries, 12
    )


def test_the_advice_coming_due_list(
    team: Team, clinician: User, django_assert_max_num_queries: Any
) -> None:
    StatutoryAdviceRequestFactory.create_batch(
        12, team=team, writer=clinician, due_on=timezone.localdate() + dt.timedelta(days=3)
    )
    url = reverse("children:list_advice_due")
    _count(logged_in(clinician), url, django_assert_max_num_queries, 10)


def test_the_partners_shared_summaries(
    team: Team, partner: User, clinician: User, django_assert_max_num_queries: Any
) -> None:
    school = SchoolFactory.create(team=team)
    PartnerSchoolFactory.create(team=team, partner=partner, school=school)
    for _ in range(8):
        summary = SchoolSummaryFactory.create(team=team, child__school=school)
        SharingConsentFactory.create(child=summary.child)
        sharing.release_summary(summary=summary, by=clinician, expected_version=1)
    url = reverse("children:list_released_summaries")
    _count(logged_in(partner), url, django_assert_max_num_queries, 10)
