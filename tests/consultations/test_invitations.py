"""The booking link sent after universal training, through `sapling send-due`."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.consultations.invitations import (
    PURPOSE,
    live_link,
    partner_training,
    schedule_booking_invitations,
)
from sapling.consultations.models import Slot
from sapling.core.models import OutboxMessage, SecureLink
from sapling.core.tokens import LinkExpired, LinkUsed, consume_link
from sapling.groups.models import Mark
from tests.consultations.factories import (
    SlotFactory,
    attended,
    attendee,
    in_days,
)
from tests.groups.factories import AttendanceFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def slot(team: Team) -> Slot:
    """The team offers a consultation next week."""
    return SlotFactory.create(team=team)


def _invitations() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template=PURPOSE).order_by("pk"))


def test_each_attendee_is_invited_once_whatever_the_number_of_runs(team: Team, slot: Slot) -> None:
    teacher = attendee(team, participant_email="sian@school.example.org")
    attended(teacher, days_ago=14)  # an earlier session attended too
    assert schedule_booking_invitations() == 1
    assert schedule_booking_invitations() == 0
    [message] = _invitations()
    assert message.recipient == "sian@school.example.org"
    assert message.link_purpose == PURPOSE
    assert message.link_target_id == teacher.pk
    assert "{link}" in message.body


def test_send_due_emails_the_link_once_however_often_it_runs(team: Team, slot: Slot) -> None:
    attendee(team, participant_email="sian@school.example.org")
    call_command("send_due", stdout=StringIO())
    call_command("send_due", stdout=StringIO())
    invitations = [m for m in mail.outbox if "consultation" in m.subject]
    assert len(invitations) == 1
    assert invitations[0].to == ["sian@school.example.org"]
    assert re.search(r"/l/[A-Za-z0-9_-]{43}/", str(invitations[0].body))
    link = SecureLink.objects.get(purpose=PURPOSE)
    assert link.expires_at - link.created_at <= dt.timedelta(days=14)


@pytest.mark.parametrize(
    "who",
    ["never_attended", "apologies_only", "targeted_group", "partner", "long_ago"],
)
def test_only_recent_attendees_of_universal_training_without_an_account_are_invited(
    team: Team,
    slot,
    partner: User,
    who: str,
) -> None:
    if who == "never_attended":
        EnrolmentFactory.create(run__programme__team=team)
    elif who == "apologies_only":
        AttendanceFactory.create(
            enrolment__run__programme__team=team,
            session__starts_at=in_days(-7),
            mark=Mark.APOLOGIES,
        )
    elif who == "targeted_group":
        attendee(team, run__programme__tier="targeted")
    elif who == "partner":
        enrolment = EnrolmentFactory.create(
            run__programme__team=team, user=partner, participant_email=""
        )
        attended(enrolment)
    else:
        attended(EnrolmentFactory.create(run__programme__team=team), days_ago=90)
    assert schedule_booking_invitations() == 0
    assert _invitations() == []


def test_the_invitation_waits_until_the_team_offers_a_slot(team: Team) -> None:
    attendee(team)
    assert schedule_booking_invitations() == 0
    SlotFactory.create(team=team)
    assert schedule_booking_invitations() == 1


def test_a_booking_link_stops_working_once_used_or_expired(team: Team, slot: Slot) -> None:
    from sapling.core.tokens import issue_link

    teacher = attendee(team)
    link, _token = issue_link(
        purpose=PURPOSE, target=teacher, expires_at=timezone.now() + dt.timedelta(days=14)
    )
    assert live_link(link.pk) == link
    with pytest.raises(LinkExpired):
        live_link(link.pk, now=timezone.now() + dt.timedelta(days=15))
    consume_link(link)
    with pytest.raises(LinkUsed):
        live_link(link.pk)


def test_a_partner_is_eligible_after_attending_universal_training(
    team: Team, partner: User
) -> None:
    assert partner_training(team, partner) is None
    enrolment = EnrolmentFactory.create(
        run__programme__team=team, user=partner, participant_email=""
    )
    assert partner_training(team, partner) is None  # enrolled, not yet attended
    attended(enrolment)
    assert partner_training(team, partner) == enrolment
