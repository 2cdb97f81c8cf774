"""factory_boy factories for the foundation's models."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from sapling.accounts.models import Locality, Membership, Team, User
from sapling.children.models import Carer, Child, GPCluster, GPPractice, School
from sapling.core.models import MessageChannel, MessageStatus, OutboxMessage
from sapling.core.roles import Role
from sapling.referrals.models import Referral

PASSWORD = "correct horse battery staple"


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Children's OT team {n}")
    nation = "wales"


class LocalityFactory(DjangoModelFactory[Locality]):
    class Meta:
        model = Locality

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Locality {n}")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.nhs.uk")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        self.set_password(extracted or PASSWORD)  # type: ignore[attr-defined]
        if create:
            self.save()  # type: ignore[attr-defined]


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.CLINICIAN


class SchoolFactory(DjangoModelFactory[School]):
    class Meta:
        model = School

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Ysgol Gynradd {n}")
    school_number = factory.Sequence(lambda n: f"6702{n:03d}")
    local_authority = "Swansea"
    school_type = "primary"


class GPClusterFactory(DjangoModelFactory[GPCluster]):
    class Meta:
        model = GPCluster

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Cluster {n}")


class GPPracticeFactory(DjangoModelFactory[GPPractice]):
    class Meta:
        model = GPPractice

    team = factory.SubFactory(TeamFactory)
    ods_code = factory.Sequence(lambda n: f"W98{n:03d}")
    name = factory.Sequence(lambda n: f"Practice {n}")


class ChildFactory(DjangoModelFactory[Child]):
    class Meta:
        model = Child

    team = factory.SubFactory(TeamFactory)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = dt.date(2017, 5, 14)


class CarerFactory(DjangoModelFactory[Carer]):
    class Meta:
        model = Carer

    child = factory.SubFactory(ChildFactory)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    relationship = "mother"
    parental_responsibility = True
    email = "carer@example.com"


class ReferralFactory(DjangoModelFactory[Referral]):
    class Meta:
        model = Referral

    team = factory.SubFactory(TeamFactory)
    child = factory.SubFactory(ChildFactory, team=factory.SelfAttribute("..team"))
    reference = factory.Sequence(lambda n: f"R-T{n:07d}")
    route = "letter"
    source = "gp"
    received_on = dt.date(2025, 1, 6)
    reasons = factory.LazyFunction(lambda: ["handwriting"])
    consent_by = "parental_responsibility"
    consent_given = True


class LetterFactory(DjangoModelFactory[OutboxMessage]):
    """A letter to a carer, waiting on the office's print list."""

    class Meta:
        model = OutboxMessage

    carer = factory.SubFactory(CarerFactory, address="1 Stryd Fawr\nAbertawe\nSA1 1AA")
    team = factory.LazyAttribute(lambda letter: letter.carer.child.team)
    channel = MessageChannel.LETTER
    template = "test.letter"
    subject = "Your request for help"
    body = "Dear family,\n\nWe have your request."
    dedupe_key = factory.Sequence(lambda n: f"test-letter-{n}")
    status = MessageStatus.FOR_PRINT
    send_after = factory.LazyFunction(timezone.now)
    next_attempt_at = factory.LazyFunction(timezone.now)
