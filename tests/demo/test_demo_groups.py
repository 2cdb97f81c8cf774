"""The demo's training and groups: programmes, runs, registers, topics, and their removal."""

from __future__ import annotations

import random

import pytest
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.core.models import MessageStatus, OutboxMessage
from sapling.demo import demo_groups
from sapling.demo.flow import Cast
from sapling.groups.figures import run_figures
from sapling.groups.models import Attendance, Enrolment, Programme, Run, TopicSuggestion
from sapling.waitlist.models import EntryStatus, StopReason
from tests.factories import CarerFactory
from tests.waitlist.factories import WaitlistEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(team: Team, lead: User, clinician: User, administrator: User, partner: User) -> Cast:
    for _ in range(10):
        entry = WaitlistEntryFactory.create(team=team)
        CarerFactory.create(child=entry.child)
    return Cast(lead=lead, clinicians=[clinician, lead], office=[administrator], partner=partner)


def _load(team: Team, cast: Cast) -> None:
    demo_groups.load(team=team, cast=cast, rng=random.Random(3), today=timezone.localdate())


def test_the_demo_has_finished_open_and_running_groups(team: Team, cast: Cast) -> None:
    _load(team, cast)
    assert Programme.objects.filter(team=team).count() == 3
    finished = Run.objects.get(team=team, status="finished")
    figures = run_figures(finished)
    assert figures.counted == 15 and figures.started > 0
    assert Enrolment.objects.filter(run=finished, user=cast.partner).exists()
    open_run = Run.objects.get(team=team, status="open")
    assert open_run.enrolments.filter(status="reserve").count() == 2
    parenting = Run.objects.get(team=team, programme__tier="targeted")
    assert parenting.enrolments.filter(child__isnull=False).count() == 8
    stopped = [
        e.waitlist_entry
        for e in parenting.enrolments.select_related("waitlist_entry")
        if e.attendances.filter(mark="attended").exists()
    ]
    assert stopped and all(
        w is not None and w.status == EntryStatus.SEEN and w.stop_reason == StopReason.GROUP_SESSION
        for w in stopped
    )
    assert TopicSuggestion.objects.filter(session__run=parenting).exists()
    assert not OutboxMessage.objects.filter(
        team=team, status=MessageStatus.QUEUED, send_after__lt=timezone.now()
    ).exists()


def test_the_same_seed_makes_the_same_registers(team: Team, cast: Cast) -> None:
    # The training registers (the first load took the waiting children into the group).
    training = Attendance.objects.filter(session__run__programme__tier="universal")
    _load(team, cast)
    first = sorted(training.values_list("session__number", "mark"))
    with disable_auditlog():
        demo_groups.delete(team)
    _load(team, cast)
    assert first and sorted(training.values_list("session__number", "mark")) == first


def test_deleting_the_demo_removes_its_groups_and_their_trail(team: Team, cast: Cast) -> None:
    _load(team, cast)
    with disable_auditlog():
        demo_groups.delete(team)
    assert not Programme.objects.exists() and not Enrolment.objects.exists()
    assert not OutboxMessage.objects.filter(template__startswith="groups.").exists()
    assert not LogEntry.objects.filter(content_type__app_label="groups").exists()
