"""Waiting well: resources sent once, check-ins by secure link, answers, prompts, refusals."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.children.models import Carer
from sapling.core.models import MessageStatus, OutboxMessage
from sapling.core.outbox import send_due
from sapling.waitlist import lifecycle
from sapling.waitlist.checkins import due_round, prompt_unanswered, schedule_waiting_well
from sapling.waitlist.models import CheckIn, EndReason, EntryStatus, WaitlistEntry
from tests.factories import CarerFactory
from tests.waitlist.factories import ResourceFactory, WaitlistEntryFactory

pytestmark = pytest.mark.django_db
# Real time: links are issued against the clock when messages are sent.
NOW = timezone.now()
TODAY = timezone.localdate(NOW)


@pytest.fixture
def entry(team: Team, clinician: User) -> WaitlistEntry:
    """Waiting 6 weeks and 1 day today, for handwriting, triaged by our clinician."""
    return WaitlistEntryFactory.create(
        team=team,
        clock_start=TODAY - dt.timedelta(weeks=6, days=1),
        triaged_by=clinician,
        referral__reasons=["handwriting", "self_care"],
        referral__child__given_name="Alys",
        referral__child__family_name="Morgan",
    )


@pytest.fixture
def mum(entry: WaitlistEntry) -> Carer:
    return CarerFactory.create(child=entry.child, email="mum@example.com")


@pytest.fixture
def restricted(entry: WaitlistEntry) -> Carer:
    """A parent the court has said must not receive information about the child."""
    return CarerFactory.create(
        child=entry.child,
        email="dad@example.com",
        contact_restriction="no_information",
        restriction_reason="Court order",
    )


def _link_from(message: mail.EmailMessage) -> str:
    found = re.search(r"/l/([A-Za-z0-9_-]+)/", str(message.body))
    assert found, message.body
    return f"/l/{found.group(1)}/"


def test_check_ins_fall_every_n_weeks_from_the_clock_start() -> None:
    start = dt.date(2025, 1, 6)
    assert due_round(start, start + dt.timedelta(weeks=6, days=-1), 6) is None
    assert due_round(start, start + dt.timedelta(weeks=6), 6) == start + dt.timedelta(weeks=6)
    assert due_round(start, start + dt.timedelta(weeks=13), 6) == start + dt.timedelta(weeks=12)


def test_matching_resources_go_once_in_the_familys_language(
    team: Team, entry: WaitlistEntry, mum: Carer
) -> None:
    ResourceFactory.create(team=team, title="Pencil grip", topics=["handwriting"])
    ResourceFactory.create(team=team, title="Gafael pensil", topics=["handwriting"], language="cy")
    ResourceFactory.create(team=team, title="Sleep", topics=["sensory"])
    ResourceFactory.create(team=team, title="Staff only", topics=["handwriting"], public=False)
    mum.preferred_language = "cy"
    mum.save()
    assert schedule_waiting_well(NOW).resources == 1
    assert schedule_waiting_well(NOW).resources == 0
    message = OutboxMessage.objects.get(template="waitlist.resources")
    assert "Gafael pensil" in message.body
    assert "Pencil grip" not in message.body
    assert "Sleep" not in message.body
    assert message.language == "cy"


def test_the_whole_check_in_flow(
    team: Team, entry: WaitlistEntry, mum: Carer, clinician: User
) -> None:
    counts = schedule_waiting_well(NOW)
    assert counts.check_ins == 1
    check_in = CheckIn.objects.get(entry=entry)
    assert check_in.due_on == TODAY - dt.timedelta(days=1)
    assert check_in.sent_at is not None
    # Idempotent: nothing new on a second run.
    assert schedule_waiting_well(NOW).check_ins == 0
    assert OutboxMessage.objects.filter(template="waitlist.check_in").count() == 1

    send_due(NOW)
    sent = [m for m in mail.outbox if m.to == ["mum@example.com"] and "{link}" not in m.body]
    link = _link_from(next(m for m in sent if "/l/" in m.body))

    family = Client()
    opened = family.get(link)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("waitlist:answer_check_in")
    assert opened["Referrer-Policy"] == "no-referrer"
    page = family.get(opened["Location"])
    text = page.content.decode()
    # The answer page has no token in its URL; it keeps the site's same-origin policy so
    # that browsers send its form with a real Origin for the CSRF check.
    assert page["Referrer-Policy"] == "same-origin"
    assert "Alys" in text
    assert "Morgan" not in text  # only the child's first name

    answered = family.post(reverse("waitlist:answer_check_in"), {"answer": "worse"})
    assert answered.status_code == 302
    assert "received your answer" in family.get(answered["Location"]).content.decode()
    check_in.refresh_from_db()
    assert check_in.answer == "worse"
    alert = OutboxMessage.objects.get(template="waitlist.check_in_worse")
    assert alert.recipient == clinician.email
    assert "Alys" not in alert.body  # the address of the entry, never the child's name

    again = family.post(reverse("waitlist:answer_check_in"), {"answer": "still_needed"})
    assert "already received your answer" in again.content.decode()
    check_in.refresh_from_db()
    assert check_in.answer == "worse"
    reopened = Client().get(link)
    assert "already received your answer" in reopened.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WAITING


def test_no_longer_needed_never_removes_the_child(entry: WaitlistEntry, mum: Carer) -> None:
    schedule_waiting_well(NOW)
    send_due(NOW)
    family = Client()
    family.get(_link_from(next(m for m in mail.outbox if "/l/" in m.body)))
    family.post(reverse("waitlist:answer_check_in"), {"answer": "no_longer_needed"})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WAITING


def test_no_answer_after_two_weeks_prompts_a_clinician(entry: WaitlistEntry, mum: Carer) -> None:
    schedule_waiting_well(NOW)
    assert prompt_unanswered(NOW + dt.timedelta(days=13)) == 0
    assert prompt_unanswered(NOW + dt.timedelta(days=14)) == 1
    check_in = CheckIn.objects.get(entry=entry)
    assert check_in.clinician_prompted_at is not None
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WAITING


def test_a_restricted_carer_is_never_sent_anything(
    team: Team, entry: WaitlistEntry, mum: Carer, restricted: Carer
) -> None:
    ResourceFactory.create(team=team, topics=["handwriting"])
    schedule_waiting_well(NOW)
    out = StringIO()
    call_command("send_due", stdout=out)
    theirs = OutboxMessage.objects.filter(carer=restricted)
    assert theirs.count() == 2  # resources and check-in, both refused
    assert set(theirs.values_list("status", flat=True)) == {MessageStatus.SUPPRESSED}
    assert all(m.body == "" for m in theirs)
    assert not [m for m in mail.outbox if "dad@example.com" in m.to]
    assert [m for m in mail.outbox if "mum@example.com" in m.to]


def test_a_check_in_nobody_can_be_sent_goes_straight_to_a_call(
    entry: WaitlistEntry, restricted: Carer
) -> None:
    schedule_waiting_well(NOW)
    check_in = CheckIn.objects.get(entry=entry)
    assert check_in.sent_at is None
    assert check_in.clinician_prompted_at is not None


def test_links_stop_working_when_the_child_leaves_the_list(
    entry: WaitlistEntry, mum: Carer, clinician: User
) -> None:
    schedule_waiting_well(NOW)
    send_due(NOW)
    link = _link_from(next(m for m in mail.outbox if "/l/" in m.body))
    lifecycle.end_entry(
        entry=entry,
        reason=EndReason.MOVED_AWAY,
        on=TODAY,
        note="Moved",
        by=clinician,
        expected_version=entry.version,
    )
    response = Client().get(link)
    assert response.status_code == 404
    assert "no longer active" in response.content.decode()


def test_an_unknown_token_gets_one_plain_message() -> None:
    response = Client().get("/l/not-a-real-token-at-all/")
    assert response.status_code == 404
    assert response["Referrer-Policy"] == "no-referrer"
    assert "This link cannot be used" in response.content.decode()


def test_the_answer_page_needs_a_link_first() -> None:
    assert Client().get(reverse("waitlist:answer_check_in")).status_code == 404


def test_opening_links_is_rate_limited() -> None:
    client = Client()
    statuses = [client.get(f"/l/guess{n:040d}/").status_code for n in range(21)]
    assert statuses[:20] == [404] * 20
    assert statuses[20] == 429


def test_send_due_schedules_waiting_well_first(entry: WaitlistEntry, mum: Carer) -> None:
    entry.clock_start = timezone.localdate() - dt.timedelta(weeks=6)
    entry.save()
    out = StringIO()
    call_command("send_due", stdout=out)
    assert "1 check-ins queued" in out.getvalue()
    assert OutboxMessage.objects.get(template="waitlist.check_in").status == MessageStatus.SENT
    call_command("send_due", stdout=StringIO())
    assert OutboxMessage.objects.filter(template="waitlist.check_in").count() == 1
