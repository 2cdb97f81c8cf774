"""The demo's outcome measures: scaled goals with T-scores, answered and pending measures,
and a reset that removes them with their links, messages and audit trail."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from sapling.core.models import SecureLink
from sapling.demo.places import TEAM_NAME
from sapling.outcomes.models import Administration, GasGoal, GasRating, Response

pytestmark = pytest.mark.usefixtures("shipped_areas")


@pytest.mark.django_db
def test_the_demo_has_outcomes_and_resets_cleanly() -> None:
    call_command("load_demo", "--children", "300", "--no-logins", stdout=None)
    goals = GasGoal.objects.filter(team__name=TEAM_NAME)
    assert goals.exists()
    assert all(goal.goal_id is not None for goal in goals)  # the episodes' own goals
    assert GasRating.objects.filter(goal__in=goals, time_point="discharge").exists()
    responses = Response.objects.filter(administration__team__name=TEAM_NAME)
    assert responses.filter(administration__time_point="session").exists()
    assert responses.filter(mode="link").exists()
    confidence = responses.filter(instrument_version__instrument__name="family_confidence")
    assert {r.answers["confidence"] for r in confidence} <= {"extremely", "somewhat"}

    call_command("load_demo", "--children", "20", "--no-logins", "--reset", stdout=None)
    kept = {str(pk) for pk in Administration.objects.values_list("pk", flat=True)}
    logged = LogEntry.objects.filter(
        content_type__app_label="outcomes", content_type__model="administration"
    )
    assert {entry.object_pk for entry in logged} <= kept
    assert (
        not SecureLink.objects.filter(purpose="outcomes.questionnaire")
        .exclude(target_id__in=Administration.objects.values("pk"))
        .exists()
    )
