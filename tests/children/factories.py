"""Factories for safeguarding concerns, statutory advice, consent to share and summaries."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from sapling.children.models import (
    AdviceKind,
    PartnerSchool,
    SafeguardingConcern,
    SchoolSummary,
    SharingConsent,
    StatutoryAdviceRequest,
)
from tests.factories import CarerFactory, ChildFactory, SchoolFactory, TeamFactory, UserFactory


class ChildAtSchoolFactory(ChildFactory):
    school = factory.SubFactory(SchoolFactory, team=factory.SelfAttribute("..team"))


class SafeguardingConcernFactory(DjangoModelFactory[SafeguardingConcern]):
    class Meta:
        model = SafeguardingConcern

    team = factory.SubFactory(TeamFactory)
    child = factory.SubFactory(ChildFactory, team=factory.SelfAttribute("..team"))
    concern = "Bruising on both upper arms; the child said an adult grabbed them."
    noticed_on = dt.date(2025, 3, 3)
    who_was_told = "Children's services duty team (spoke to the duty social worker)"
    told_on = dt.date(2025, 3, 3)
    raised_by = factory.SubFactory(UserFactory)


class StatutoryAdviceRequestFactory(DjangoModelFactory[StatutoryAdviceRequest]):
    class Meta:
        model = StatutoryAdviceRequest

    team = factory.SubFactory(TeamFactory)
    child = factory.SubFactory(ChildFactory, team=factory.SelfAttribute("..team"))
    kind = AdviceKind.ADDITIONAL_LEARNING_NEEDS
    requested_by = "City and County of Swansea ALN team"
    received_on = dt.date(2025, 3, 3)
    due_on = factory.LazyAttribute(lambda r: r.received_on + dt.timedelta(weeks=6))


class SharingConsentFactory(DjangoModelFactory[SharingConsent]):
    class Meta:
        model = SharingConsent

    child = factory.SubFactory(ChildAtSchoolFactory)
    school = factory.LazyAttribute(lambda c: c.child.school)
    given_by = "carer"
    carer = factory.SubFactory(CarerFactory, child=factory.SelfAttribute("..child"))
    given_on = dt.date(2025, 3, 3)
    method = "in_person"
    recorded_by = factory.SubFactory(UserFactory)


class SchoolSummaryFactory(DjangoModelFactory[SchoolSummary]):
    class Meta:
        model = SchoolSummary

    team = factory.SubFactory(TeamFactory)
    child = factory.SubFactory(ChildAtSchoolFactory, team=factory.SelfAttribute("..team"))
    school = factory.LazyAttribute(lambda s: s.child.school)
    strengths = "Loves building with blocks; a kind friend."
    what_helps = "A sloped board and a pencil grip for writing; movement breaks every 20 minutes."
    written_by = factory.SubFactory(UserFactory)


class PartnerSchoolFactory(DjangoModelFactory[PartnerSchool]):
    class Meta:
        model = PartnerSchool

    team = factory.SubFactory(TeamFactory)
    partner = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory, team=factory.SelfAttribute("..team"))
