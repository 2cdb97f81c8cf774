"""The demo's saved planning scenarios."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.demo import demo_planning
from sapling.demo.flow import Cast
from sapling.reports.models import PlanningScenario
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_the_demo_lead_has_scenarios_to_compare_and_delete_removes_them(
    team: Team, lead: User, clinician: User, administrator: User, partner: User
) -> None:
    cast = Cast(lead=lead, clinicians=[clinician], office=[administrator], partner=partner)
    demo_planning.load(team=team, cast=cast, rng=random.Random(1), today=timezone.localdate())
    html = logged_in(lead).get(reverse("reports:show_planning")).content.decode()
    for name, _what_if in demo_planning.SAVED:
        assert name in html
    assert "30% of specialist referrals met in targeted support" in html

    demo_planning.delete(team)
    assert not PlanningScenario.objects.filter(team=team).exists()
