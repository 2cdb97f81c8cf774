"""Factories for the waiting list and the resources library."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from sapling.groups.models import Resource
from sapling.referrals.models import Referral
from sapling.triage.models import Pathway
from sapling.waitlist.models import CheckIn, WaitlistEntry
from tests.factories import ChildFactory, TeamFactory


class PathwayFactory(DjangoModelFactory[Pathway]):
    class Meta:
        model = Pathway
        django_get_or_create = ("team", "key")

    team = factory.SubFactory(TeamFactory)
    key = factory.Sequence(lambda n: f"pathway-{n}")
    name = factory.Sequence(lambda n: f"Pathway {n}")


class WaitlistReferralFactory(DjangoModelFactory[Referral]):
    class Meta:
        model = Referral

    team = factory.SubFactory(TeamFactory)
    child = factory.SubFactory(ChildFactory, team=factory.SelfAttribute("..team"))
    reference = factory.Sequence(lambda n: f"WL{n:08d}")
    route = "letter"
    source = "parent"
    received_on = dt.date(2025, 1, 6)
    reasons = ["handwriting"]
    status = "waiting"


class WaitlistEntryFactory(DjangoModelFactory[WaitlistEntry]):
    class Meta:
        model = WaitlistEntry

    team = factory.SubFactory(TeamFactory)
    referral = factory.SubFactory(WaitlistReferralFactory, team=factory.SelfAttribute("..team"))
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
