"""Named personas: one per role in the team, and one from another team."""

from __future__ import annotations

import pytest
from django.test import Client

from sapling.accounts.models import Membership, Team, User
from sapling.core.roles import Role
from tests.factories import ChildFactory, MembershipFactory, TeamFactory


def _member(team: Team, role: str, username: str) -> User:
    membership: Membership = MembershipFactory.create(team=team, role=role, user__username=username)
    return membership.user


@pytest.fixture
def team(db: None) -> Team:
    """Swansea Bay's children's OT service, where every persona below works."""
    return TeamFactory.create(name="Swansea Bay Children's OT", nation="wales")


@pytest.fixture
def other_team(db: None) -> Team:
    """A neighbouring service whose children our personas must never see."""
    return TeamFactory.create(name="Hywel Dda Children's OT", nation="wales")


@pytest.fixture
def clinician(team: Team) -> User:
    """An occupational therapist who triages and treats."""
    return _member(team, Role.CLINICIAN, "clinician")


@pytest.fixture
def support_worker(team: Team) -> User:
    """A support worker who runs groups under a clinician."""
    return _member(team, Role.SUPPORT_WORKER, "support")


@pytest.fixture
def administrator(team: Team) -> User:
    """Office staff who enter referrals and book appointments."""
    return _member(team, Role.ADMINISTRATOR, "admin")


@pytest.fixture
def lead(team: Team) -> User:
    """The service lead: all of the team, reports, planning and configuration."""
    return _member(team, Role.LEAD, "lead")


@pytest.fixture
def partner(team: Team) -> User:
    """A school SENCO/ALNCo who refers and books training, and never sees clinical notes."""
    return _member(team, Role.PARTNER, "partner")


@pytest.fixture
def commissioner(team: Team) -> User:
    """A GP cluster or health board funder who sees suppressed aggregates only."""
    return _member(team, Role.COMMISSIONER, "commissioner")


@pytest.fixture
def other_clinician(other_team: Team) -> User:
    """A clinician of another team."""
    return _member(other_team, Role.CLINICIAN, "other_clinician")


@pytest.fixture
def child(team: Team):
    """A child on our team's books."""
    return ChildFactory.create(team=team, given_name="Alys", family_name="Morgan")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(scope="session")
def shipped_areas(django_db_setup: None, django_db_blocker) -> None:
    """The real area files, loaded once per test session (reference data, never changed)."""
    from sapling.areas import importers
    from sapling.areas.models import PostcodeArea

    with django_db_blocker.unblock():
        if not PostcodeArea.objects.exists():
            importers.load_shipped()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Argon2 is slow by design; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
