"""Factories for specialist care: episodes, appointments and the clinical record."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from sapling.care.models import Appointment, Episode, EquipmentLoan, Goal, Note
from tests.factories import ChildFactory, TeamFactory, UserFactory
from tests.waitlist.factories import WaitlistEntryFactory


class EpisodeFactory(DjangoModelFactory[Episode]):
    class Meta:
        model = Episode

    team = factory.SubFactory(TeamFactory)
    entry = factory.SubFactory(
        WaitlistEntryFactory,
        team=factory.SelfAttribute("..team"),
        tier="specialist",
        status="allocated",
    )
    child = factory.LazyAttribute(
        lambda episode: (
            episode.entry.child if episode.entry else ChildFactory.create(team=episode.team)
        )
    )
    referral = factory.LazyAttribute(
        lambda episode: episode.entry.referral if episode.entry else None
    )
    lead_clinician = factory.SubFactory(UserFactory)
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(weeks=2))


def _soon() -> dt.datetime:
    start = timezone.localtime() + dt.timedelta(days=3)
    return start.replace(hour=10, minute=0, second=0, microsecond=0)


class AppointmentFactory(DjangoModelFactory[Appointment]):
    class Meta:
        model = Appointment

    episode = factory.SubFactory(EpisodeFactory)
    team = factory.LazyAttribute(lambda appointment: appointment.episode.team)
    clinician = factory.LazyAttribute(lambda appointment: appointment.episode.lead_clinician)
    kind = "clinic"
    location = "Morriston Child Development Centre"
    starts_at = factory.LazyFunction(_soon)
    ends_at = factory.LazyAttribute(
        lambda appointment: appointment.starts_at + dt.timedelta(hours=1)
    )


class NoteFactory(DjangoModelFactory[Note]):
    class Meta:
        model = Note

    episode = factory.SubFactory(EpisodeFactory)
    author = factory.LazyAttribute(lambda note: note.episode.lead_clinician)
    text = "Worked on buttons and zips with a dressing frame; Mum to practise at home."


class GoalFactory(DjangoModelFactory[Goal]):
    class Meta:
        model = Goal

    episode = factory.SubFactory(EpisodeFactory)
    text = "I want to do up my own coat for playtime."
    whose_words = "the child"
    set_on = factory.LazyFunction(timezone.localdate)
    set_by = factory.LazyAttribute(lambda goal: goal.episode.lead_clinician)


class EquipmentLoanFactory(DjangoModelFactory[EquipmentLoan]):
    class Meta:
        model = EquipmentLoan

    episode = factory.SubFactory(EpisodeFactory)
    item = "Writing slope"
    issued_on = factory.LazyFunction(timezone.localdate)
    issued_by = factory.LazyAttribute(lambda loan: loan.episode.lead_clinician)
