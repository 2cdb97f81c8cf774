"""The demo's safeguarding, statutory advice and school summaries, and a clean reset."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from sapling.accounts.models import Team
from sapling.children import statutory
from sapling.children.models import (
    SafeguardingConcern,
    SafeguardingSettings,
    SchoolSummary,
    SharingConsent,
    StatutoryAdviceRequest,
    SummaryStatus,
)
from sapling.demo.places import TEAM_NAME

pytestmark = pytest.mark.usefixtures("shipped_areas")


@pytest.mark.django_db
def test_the_demo_has_concerns_advice_and_shared_summaries_and_resets_cleanly() -> None:
    call_command("load_demo", "--children", "300", "--no-logins", stdout=None)
    team = Team.objects.get(name=TEAM_NAME)
    assert SafeguardingSettings.for_team(team).safeguarding_lead is not None
    concerns = SafeguardingConcern.objects.filter(team=team)
    assert concerns.open().filter(escalated_at__isnull=False).exists()
    assert concerns.filter(closed_on__isnull=False).exists()
    assert statutory.statutory_advice_due(team).count() >= 2
    assert StatutoryAdviceRequest.objects.filter(team=team, submitted_on__isnull=False).exists()
    partner = team.memberships.get(user__username="demo.partner").user
    shared = SchoolSummary.objects.released_to(partner, team)
    assert shared.count() == 2
    assert SchoolSummary.objects.filter(team=team, status=SummaryStatus.WITHDRAWN).exists()

    call_command("load_demo", "--children", "20", "--no-logins", "--reset", stdout=None)
    for model in (SafeguardingConcern, SchoolSummary, SharingConsent, StatutoryAdviceRequest):
        name = model._meta.model_name
        logged = LogEntry.objects.filter(
            content_type__app_label="children", content_type__model=name
        )
        kept = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        assert {entry.object_pk for entry in logged} <= kept, name
