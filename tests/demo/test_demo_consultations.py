"""The demo's consultations: slots, bookings by people who attended training, records."""

from __future__ import annotations

import random

import pytest
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.consultations.models import Consultation, ConsultationStatus, Slot
from sapling.core.models import MessageStatus, OutboxMessage
from sapling.demo import demo_consultations
from sapling.demo.flow import Cast
from tests.consultations.factories import attended, attendee
from tests.groups.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _load(team: Team, cast: Cast, seed: int = 7) -> None:
    demo_consultations.load(
        team=team, cast=cast, rng=random.Random(seed), today=timezone.localdate()
    )


@pytest.fixture
def cast(team: Team, lead: User, clinician: User, administrator: User, partner: User) -> Cast:
    """The demo's people, with twelve teachers and the partner trained last month."""
    for n in range(12):
        attendee(team, participant_email=f"teacher{n}@school.example.org")
    attended(EnrolmentFactory.create(run__programme__team=team, user=partner, participant_email=""))
    return Cast(lead=lead, clinicians=[clinician, lead], office=[administrator], partner=partner)


def test_the_demo_has_slots_bookings_and_the_advice_recorded(team: Team, cast: Cast) -> None:
    _load(team, cast)
    today = timezone.localdate()
    assert Slot.objects.filter(team=team).count() == 2 * 2 * 12
    consultations = list(Consultation.objects.filter(team=team).select_related("slot"))
    assert len(consultations) == 13, "every trained person books once"
    past = [c for c in consultations if timezone.localdate(c.slot.starts_at) < today]
    assert past and all(c.status != ConsultationStatus.BOOKED for c in past)
    held = [c for c in past if c.status == ConsultationStatus.HELD]
    assert held and all(c.advice and c.referral for c in held)
    assert any(c.user == cast.partner for c in consultations)
    assert not OutboxMessage.objects.filter(team=team, status=MessageStatus.QUEUED).exists()


def test_the_same_seed_makes_the_same_bookings(team: Team, cast: Cast) -> None:
    _load(team, cast)
    first = list(Consultation.objects.order_by("pk").values_list("slot__starts_at", "status"))
    demo_consultations.delete(team)
    _load(team, cast)
    again = list(Consultation.objects.order_by("pk").values_list("slot__starts_at", "status"))
    assert first == again


def test_deleting_the_demo_removes_its_consultations_and_their_trail(
    team: Team, cast: Cast
) -> None:
    _load(team, cast)
    with disable_auditlog():  # as delete_demo_service calls it
        demo_consultations.delete(team)
    assert not Slot.objects.exists()
    assert not Consultation.objects.exists()
    assert not OutboxMessage.objects.filter(template__startswith="consultations.").exists()
    assert not LogEntry.objects.filter(content_type__app_label="consultations").exists()


def test_without_clinicians_the_demo_offers_nothing(team: Team, cast: Cast) -> None:
    cast.clinicians.clear()
    _load(team, cast)
    assert not Slot.objects.exists()
