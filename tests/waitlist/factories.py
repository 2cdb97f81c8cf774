"""Factories for the waiting list and the resources library."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from sapling.groups.models import Resource
from sapling.triage.models import Pathway
from sapling.waitlist.models import CheckIn, WaitlistEntry
from tests.factories import ReferralFactory, TeamFactory


class PathwayFactory(DjangoModelFactory[Pathway]):
    class Meta:
        model = Pathway
        django_get_or_create = ("team", "key")

    team = factory.SubFactory(TeamFactory)
    key = factory.Sequence(lambda n: f"pathway-{n}")
    name = factory.Sequence(lambda n: f"Pathway {n}")


class WaitlistEntryFactory(DjangoModelFactory[WaitlistEntry]):
    class Meta:
        model = WaitlistEntry

    team = factory.SubFactory(TeamFactory)
    referral = factory.SubFactory(
        ReferralFactory, team=factory.SelfAttribute("..team"), status="waiting"
    )
    child = factory.LazyAttribute(lambda entry: entry.referral.child)
    tier = "targeted"
    priority = "routine"
    priority_rank = 2
    need_score = 0
    clock_start = factory.LazyAttribute(lambda entry: entry.referral.received_on)


class CheckInFactory(DjangoModelFactory[CheckIn]):
    class Meta:
        model = CheckIn

    entry = factory.SubFactory(WaitlistEntryFactory)
    due_on = dt.date(2025, 2, 17)


class ResourceFactory(DjangoModelFactory[Resource]):
    class Meta:
        model = Resource

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"Resource {n}")
    kind = "handout"
    url = "https://example.org/handout"
    audiences = ["parents"]
    topics = ["handwriting"]
    language = "en"
    public = True
