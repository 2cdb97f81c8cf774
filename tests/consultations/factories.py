"""Factories for consultations, and the universal training that makes people eligible."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from sapling.consultations.models import Consultation, Mode, Slot
from sapling.groups.models import Attendance, Enrolment, Mark, Programme, Run, Session
from tests.factories import MembershipFactory, TeamFactory


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


class ProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    team = factory.SubFactory(TeamFactory)
    name = "Sensory strategies in the classroom"
    tier = "universal"
    audience = "school_staff"
    topic = "sensory"
    delivery = "online"
    sessions_count = 2
    capacity = 30
    languages = factory.LazyFunction(lambda: ["en"])


class RunFactory(DjangoModelFactory[Run]):
    class Meta:
        model = Run

    programme = factory.SubFactory(ProgrammeFactory)
    team = factory.LazyAttribute(lambda run: run.programme.team)
    title = "Sensory strategies in the classroom, autumn"
    meeting_link = "https://meet.example.nhs.uk/sensory"
    capacity = 30
    status = "open"


class SessionFactory(DjangoModelFactory[Session]):
    class Meta:
        model = Session

    run = factory.SubFactory(RunFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts_at = factory.LazyFunction(lambda: in_days(-7, 16))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=1))


class EnrolmentFactory(DjangoModelFactory[Enrolment]):
    """A teacher who booked universal training on the public page (no account)."""

    class Meta:
        model = Enrolment

    run = factory.SubFactory(RunFactory)
    participant_name = "Siân Jenkins"
    participant_role = "Class teacher"
    participant_setting = "Ysgol Gynradd Tirdeunaw"
    participant_email = factory.Sequence(lambda n: f"teacher{n}@school.example.org")
    enrolled_at = factory.LazyFunction(timezone.now)


class AttendanceFactory(DjangoModelFactory[Attendance]):
    class Meta:
        model = Attendance

    enrolment = factory.SubFactory(EnrolmentFactory)
    session = factory.LazyAttribute(lambda a: SessionFactory.create(run=a.enrolment.run))
    mark = Mark.ATTENDED
    recorded_at = factory.LazyFunction(timezone.now)


def attendee(team: object, **kwargs: object) -> Enrolment:
    """Someone who attended one session of the team's universal training a week ago."""
    enrolment = EnrolmentFactory.create(run__programme__team=team, **kwargs)
    AttendanceFactory.create(enrolment=enrolment)
    return enrolment


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
