"""Emails about concerns, advice coming due and shared summaries: once each, no details."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.children import safeguarding, sharing
from sapling.children.models import Child
from sapling.children.notices import schedule_advice_reminders
from sapling.core.models import OutboxMessage
from sapling.core.roles import Role
from tests.children.factories import (
    PartnerSchoolFactory,
    SafeguardingConcernFactory,
    SchoolSummaryFactory,
    SharingConsentFactory,
    StatutoryAdviceRequestFactory,
)
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_escalating_emails_the_safeguarding_lead_without_the_childs_details(
    team: Team, child: Child, clinician: User, lead: User, support_worker: User
) -> None:
    safeguarding.set_safeguarding_lead(team=team, lead=clinician, by=lead)
    concern = SafeguardingConcernFactory.create(team=team, child=child)
    safeguarding.escalate_concern(concern=concern, note="", by=support_worker, expected_version=1)
    message = OutboxMessage.objects.get(template="safeguarding.escalated")
    assert message.recipient == clinician.email
    assert "/children/safeguarding/" in message.body
    assert child.family_name not in message.body + message.subject
    assert concern.concern not in message.body


def test_sharing_a_summary_tells_that_schools_partners_once(
    team: Team, clinician: User, partner: User
) -> None:
    summary = SchoolSummaryFactory.create(team=team)
    PartnerSchoolFactory.create(team=team, partner=partner, school=summary.school)
    elsewhere = MembershipFactory.create(team=team, role=Role.PARTNER).user
    PartnerSchoolFactory.create(team=team, partner=elsewhere)
    SharingConsentFactory.create(child=summary.child)
    sharing.release_summary(summary=summary, by=clinician, expected_version=1)
    sent = OutboxMessage.objects.filter(template="sharing.summary_shared")
    assert [m.recipient for m in sent] == [partner.email]
    assert summary.child.given_name not in sent[0].body


def test_send_due_reminds_the_writer_once_when_due_soon_and_once_when_overdue(
    team: Team, clinician: User
) -> None:
    StatutoryAdviceRequestFactory.create(
        team=team, writer=clinician, due_on=TODAY + dt.timedelta(days=10)
    )
    StatutoryAdviceRequestFactory.create(
        team=team, writer=clinician, due_on=TODAY + dt.timedelta(days=30)
    )
    for _run in range(2):
        call_command("send_due", stdout=io.StringIO())
    reminders = [m for m in mail.outbox if "Statutory advice" in m.subject]
    assert [m.subject for m in reminders] == ["Statutory advice is due soon"]
    assert reminders[0].to == [clinician.email]

    later = timezone.now() + dt.timedelta(days=11)
    assert schedule_advice_reminders(later) == 1
    assert schedule_advice_reminders(later) == 0
    assert OutboxMessage.objects.filter(template="statutory.overdue").count() == 1


def test_no_reminder_for_advice_already_sent(team: Team, clinician: User) -> None:
    StatutoryAdviceRequestFactory.create(
        team=team, writer=clinician, due_on=TODAY, submitted_on=TODAY
    )
    assert schedule_advice_reminders(timezone.now()) == 0
