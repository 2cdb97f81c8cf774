"""Factories for consultations, and helpers for the universal training that makes people
eligible (built with the groups factories)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from sapling.consultations.models import Consultation, Mode, Slot
from sapling.groups.models import Enrolment
from tests.factories import MembershipFactory, TeamFactory
from tests.groups.factories import AttendanceFactory, EnrolmentFactory


def in_days(days: int, hour: int = 10) -> dt.datetime:
    """A local time `days` from today at `hour`:00."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class SlotFactory(DjangoModelFactory[Slot]):
    class Meta:
        model = Slot

    team = factory.SubFactory(TeamFactory)
    clinician = factory.LazyAttribute(
        lambda slot: MembershipFactory.create(team=slot.team, role="clinician").user
    )
    starts_at = factory.Sequence(lambda n: in_days(7 + n // 6, 9 + n % 6))
    minutes = 30
    mode = Mode.ONLINE
    meeting_link = "https://meet.example.nhs.uk/ot-advice"


def attendee(team: object, **kwargs: object) -> Enrolment:
    """A teacher who booked the team's universal training on the public page (no account)
    and attended its session a week ago."""
    fields: dict[str, object] = {
        "participant_name": "Siân Jenkins",
        "participant_role": "Class teacher",
        "participant_setting": "Ysgol Gynradd Tirdeunaw",
        **kwargs,
    }
    enrolment: Enrolment = EnrolmentFactory.create(run__programme__team=team, **fields)
    attended(enrolment)
    return enrolment


def attended(enrolment: Enrolment, days_ago: int = 7) -> None:
    """Mark them attended at a session of their run `days_ago` days ago."""
    AttendanceFactory.create(enrolment=enrolment, session__starts_at=in_days(-days_ago, 16))


class ConsultationFactory(DjangoModelFactory[Consultation]):
    """A booking by an attendee, on a slot that is marked booked."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    slot = factory.SubFactory(SlotFactory, team=factory.SelfAttribute("..team"))
    enrolment = factory.LazyAttribute(lambda c: attendee(c.team))
    name = "Siân Jenkins"
    email = "sian@school.example.org"
    question = "A child in my class covers their ears at assembly. What can I try?"
    booked_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def slot_is_booked(self, create: bool, extracted: object, **kwargs: object) -> None:
        slot: Slot = self.slot  # type: ignore[assignment]
        slot.status = "booked"
        Slot.objects.filter(pk=slot.pk).update(status="booked")
