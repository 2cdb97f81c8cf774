"""The demo's specialist care: episodes in each state a clinician would meet, and a reset
that removes them with their audit trail."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from sapling.care import lifecycle
from sapling.care.models import Appointment, ContactOutcome, Episode, EpisodeStatus, Note
from sapling.demo.places import TEAM_NAME
from sapling.waitlist.models import StopReason, WaitlistEntry

pytestmark = pytest.mark.usefixtures("shipped_areas")


@pytest.mark.django_db
def test_the_demo_has_specialist_episodes_in_every_state_and_resets_cleanly() -> None:
    call_command("load_demo", "--children", "300", "--no-logins", stdout=None)
    episodes = Episode.objects.filter(team__name=TEAM_NAME)
    assert episodes.count() >= 4
    assert episodes.filter(status=EpisodeStatus.DISCHARGED).count() == 1
    assert any(lifecycle.not_brought_prompt(e) for e in episodes.filter(status="open"))
    assert Note.objects.filter(episode__in=episodes, signed_at__isnull=True).count() == 1
    assert Appointment.objects.filter(team__name=TEAM_NAME, outcome=ContactOutcome.BOOKED).exists()
    seen = WaitlistEntry.objects.filter(episode__in=episodes, clock_stopped_on__isnull=False)
    assert seen.exists()
    assert set(seen.values_list("stop_reason", flat=True)) == {StopReason.SPECIALIST_CONTACT}

    first_load = set(episodes.values_list("pk", flat=True))
    call_command("load_demo", "--children", "20", "--no-logins", "--reset", stdout=None)
    assert not first_load & set(Episode.objects.values_list("pk", flat=True))
    kept = {str(pk) for pk in Episode.objects.values_list("pk", flat=True)}
    logged = LogEntry.objects.filter(content_type__app_label="care", content_type__model="episode")
    assert {entry.object_pk for entry in logged} <= kept
