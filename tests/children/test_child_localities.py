"""Records about a child carry a copy of the child's locality (KeepsChildLocality), which
the dashboard's locality filter reads; the copies must follow the child."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Locality, Team, User
from sapling.children import localities, records
from sapling.children.models import Child
from sapling.groups.models import Enrolment
from sapling.outcomes.models import GasRating, Response
from sapling.referrals.matching import merge_children
from tests.care.factories import AppointmentFactory, EpisodeFactory
from tests.conftest import logged_in
from tests.factories import ChildFactory, LocalityFactory, UserFactory
from tests.groups.factories import RunFactory
from tests.outcomes.factories import AdministrationFactory, GasGoalFactory
from tests.waitlist.factories import WaitlistEntryFactory


def records_about(child: Child) -> list[models.Model]:
    """One record of every kind that keeps the child's locality."""
    team = child.team
    entry = WaitlistEntryFactory.create(team=team, referral__child=child)
    episode = EpisodeFactory.create(team=team, entry=entry)
    administration = AdministrationFactory.create(team=team, child=child)
    goal = GasGoalFactory.create(team=team, child=child, episode=episode)
    rater: User = UserFactory.create()
    return [
        entry.referral,
        entry,
        AppointmentFactory.create(episode=episode),
        Enrolment.objects.create(
            run=RunFactory.create(team=team), child=child, waitlist_entry=entry
        ),
        administration,
        Response.objects.create(
            administration=administration,
            instrument_version=administration.instrument_version,
            answers={},
            mode="link",
            submitted_at=timezone.now(),
        ),
        goal,
        GasRating.objects.create(
            goal=goal, time_point="review", attainment=0, rated_on=dt.date.today(), rated_by=rater
        ),
    ]


def copies(found: list[models.Model]) -> dict[str, int | None]:
    for record in found:
        record.refresh_from_db()
    return {type(record).__name__: record.child_locality_id for record in found}  # type: ignore[attr-defined]


def move(child: Child, locality: Locality | None) -> None:
    """The child's locality changed on their record, as the child's page changes it."""
    records.update_child(child=child, expected_version=child.version, by=None, locality=locality)


@pytest.fixture
def north(team: Team) -> Locality:
    return LocalityFactory.create(team=team, name="North")


@pytest.fixture
def south(team: Team) -> Locality:
    return LocalityFactory.create(team=team, name="South")


@pytest.mark.django_db
def test_every_kind_of_record_is_covered() -> None:
    child = ChildFactory.create()
    kinds = {type(record) for record in records_about(child)}
    assert kinds == set(localities.models_keeping_it())


@pytest.mark.django_db
def test_a_new_record_carries_its_childs_locality(team: Team, north: Locality) -> None:
    child = ChildFactory.create(team=team, locality=north)
    assert set(copies(records_about(child)).values()) == {north.pk}


@pytest.mark.django_db
def test_the_copy_comes_from_the_childs_record_not_a_stale_copy_of_it(
    team: Team, north: Locality
) -> None:
    child = ChildFactory.create(team=team)
    Child.objects.filter(pk=child.pk).update(locality=north)  # `child` still says none
    assert set(copies(records_about(child)).values()) == {north.pk}


@pytest.mark.django_db
def test_moving_a_child_moves_the_copies_on_all_their_records_and_no_one_elses(
    team: Team, north: Locality, south: Locality
) -> None:
    child = ChildFactory.create(team=team, locality=north)
    neighbour = ChildFactory.create(team=team, locality=north)
    theirs, neighbours = records_about(child), records_about(neighbour)

    move(child, south)

    assert set(copies(theirs).values()) == {south.pk}
    assert set(copies(neighbours).values()) == {north.pk}
    assert localities.out_of_step() == {}


@pytest.mark.django_db
def test_a_child_with_no_locality_now_has_none_on_their_records(
    team: Team, north: Locality
) -> None:
    child = ChildFactory.create(team=team, locality=north)
    theirs = records_about(child)
    move(child, None)
    assert set(copies(theirs).values()) == {None}


@pytest.mark.django_db
def test_the_change_made_on_the_childs_page_moves_the_copies(
    team: Team, clinician: User, north: Locality, south: Locality
) -> None:
    child = ChildFactory.create(team=team, locality=north, postcode="")
    theirs = records_about(child)
    form = {
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth_day": child.date_of_birth.day,
        "date_of_birth_month": child.date_of_birth.month,
        "date_of_birth_year": child.date_of_birth.year,
        "locality": south.pk,
        "additional_learning_needs": "unknown",
        "care_experienced": "unknown",
        "free_school_meals": "unknown",
        "version": child.version,
    }
    response = logged_in(clinician).post(reverse("children:update_child", args=[child.pk]), form)
    assert response.status_code == 302
    assert set(copies(theirs).values()) == {south.pk}


@pytest.mark.django_db
def test_a_merged_childs_records_take_the_kept_childs_locality(
    team: Team, clinician: User, north: Locality, south: Locality
) -> None:
    keep = ChildFactory.create(team=team, locality=north)
    merge = ChildFactory.create(team=team, locality=south)
    entry = WaitlistEntryFactory.create(team=team, referral__child=merge)
    merge_children(keep=keep, merge=merge, by=clinician, expected_version=merge.version)
    assert copies([entry.referral, entry]) == {"Referral": north.pk, "WaitlistEntry": north.pk}


@pytest.mark.django_db
def test_out_of_step_names_the_records_whose_copy_is_wrong(team: Team, north: Locality) -> None:
    child = ChildFactory.create(team=team, locality=north)
    records_about(child)
    Child.objects.filter(pk=child.pk).update(locality=None)  # behind the copies' back
    assert localities.out_of_step() == {
        label: 1
        for label in (
            "referrals.Referral",
            "waitlist.WaitlistEntry",
            "care.Appointment",
            "groups.Enrolment",
            "outcomes.Administration",
            "outcomes.Response",
            "outcomes.GasGoal",
            "outcomes.GasRating",
        )
    }


@pytest.mark.django_db
def test_saving_a_record_held_from_before_the_move_keeps_the_new_copy(
    team: Team, north: Locality, south: Locality
) -> None:
    child = ChildFactory.create(team=team, locality=north)
    entry = WaitlistEntryFactory.create(team=team, referral__child=child)
    move(child, south)

    entry.need_score = 3  # `entry` still holds the old copy of the locality
    entry.save()

    assert copies([entry]) == {"WaitlistEntry": south.pk}
