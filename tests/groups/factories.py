"""Factories for programmes, runs, sessions, enrolments and attendance."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from sapling.groups.models import (
    Attendance,
    Enrolment,
    Programme,
    Run,
    Session,
)
from tests.factories import TeamFactory


def later(days: float = 7, hour: int = 18) -> dt.datetime:
    """A local time `days` from now at `hour` o'clock (in the future for days >= 1)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class ProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Sensory processing for school staff {n}")
    tier = "universal"
    audience = "school_staff"
    topic = "sensory"
    delivery = "online"
    sessions_count = 3
    capacity = 20
    languages = factory.LazyFunction(lambda: ["en"])


class RunFactory(DjangoModelFactory[Run]):
    class Meta:
        model = Run

    programme = factory.SubFactory(ProgrammeFactory)
    team = factory.LazyAttribute(lambda run: run.programme.team)
    title = factory.Sequence(lambda n: f"Sensory processing, spring {n}")
    term = "Spring 2027"
    meeting_link = "https://meet.example.org/sensory"
    capacity = 20
    status = "open"


class SessionFactory(DjangoModelFactory[Session]):
    class Meta:
        model = Session

    run = factory.SubFactory(RunFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts_at = factory.LazyFunction(later)
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=1))


class EnrolmentFactory(DjangoModelFactory[Enrolment]):
    """A public participant with a place (use child=/user= for the other kinds)."""

    class Meta:
        model = Enrolment

    run = factory.SubFactory(RunFactory)
    participant_name = factory.Faker("name", locale="en_GB")
    participant_role = "Teaching assistant"
    participant_setting = "Ysgol Gynradd Treforys"
    participant_email = factory.Sequence(lambda n: f"participant{n}@school.example.org")
    status = "enrolled"
    enrolled_at = factory.LazyFunction(timezone.now)


class AttendanceFactory(DjangoModelFactory[Attendance]):
    class Meta:
        model = Attendance

    enrolment = factory.SubFactory(EnrolmentFactory)
    session = factory.SubFactory(SessionFactory, run=factory.SelfAttribute("..enrolment.run"))
    mark = "attended"
    recorded_at = factory.LazyFunction(timezone.now)


def run_with_sessions(count: int = 3, *, first_in_days: float = 7, **run_fields: object) -> Run:
    """A run with `count` weekly sessions, the first `first_in_days` from now."""
    run: Run = RunFactory.create(**run_fields)
    for n in range(count):
        start = later(first_in_days + 7 * n)
        SessionFactory.create(run=run, number=n + 1, starts_at=start)
    return run
