"""A clinician's specialist episode through the browser: from the waiting list, a first
contact booked and attended (the child leaves the waiting list), a signed note, goals in
the family's words, and discharge with a letter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from sapling.accounts.models import Team, User
from sapling.care.models import Appointment
from sapling.core.models import OutboxMessage
from sapling.waitlist.models import EntryStatus, WaitlistEntry
from tests.factories import PASSWORD, CarerFactory, ChildFactory
from tests.waitlist.factories import WaitlistEntryFactory

pytestmark = pytest.mark.e2e

CheckPage = Callable[[], None]


def _fill_date(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _heading(page: Page, check_page: CheckPage, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(text)
    check_page()


def test_a_clinician_sees_a_child_through_an_episode_to_discharge(
    page: Page, check_page: CheckPage, team: Team, clinician: User
) -> None:
    # Given a child waiting for specialist care, with a carer who reads email
    child = ChildFactory.create(team=team, given_name="Ffion", family_name="Jenkins")
    CarerFactory.create(child=child, given_name="Sian", email="sian@example.org")
    entry = WaitlistEntryFactory.create(
        team=team,
        tier="specialist",
        referral__child=child,
        clock_start=timezone.localdate() - dt.timedelta(weeks=6),
    )

    # When the clinician logs in and opens the child's waiting-list entry
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(clinician.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name=team.name)).to_be_visible()
    page.goto(reverse("waitlist:show_entry", args=[entry.pk]))
    _heading(page, check_page, "Ffion Jenkins")

    # Then they can start an episode of care, with themselves as lead
    page.get_by_role("link", name="Start episode of care").click()
    _heading(page, check_page, "Start an episode of care")
    page.get_by_role("button", name="Start episode").click()
    expect(page.get_by_text("The episode of care has started")).to_be_visible()
    _heading(page, check_page, "Ffion Jenkins")

    # When they book a first contact at the clinic for tomorrow
    page.get_by_role("link", name="Book a contact").click()
    _heading(page, check_page, "Book a contact")
    page.get_by_role("radio", name="Clinic").check()
    _fill_date(page, "Date", timezone.localdate() + dt.timedelta(days=1))
    page.get_by_label("Start time").fill("10:30")
    page.get_by_label("Where (for a home, school or clinic contact)").fill("Morriston CDC")
    page.get_by_role("button", name="Book the contact").click()
    expect(page.get_by_text("The contact is booked")).to_be_visible()
    check_page()
    # Then the family is sent an invitation with a calendar file
    invitation = OutboxMessage.objects.get(template="care.invitation")
    assert invitation.attachment_name == "appointment.ics"

    # Given the time of the contact has come
    starts = timezone.now() - dt.timedelta(hours=1)
    Appointment.objects.update(starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
    page.reload()

    # When they record it as attended
    page.get_by_role("link", name="Record what happened").click()
    _heading(page, check_page, "Record what happened")
    page.get_by_role("radio", name="Attended").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Recorded: Attended")).to_be_visible()
    check_page()
    # Then the child has left the waiting list, their clock stopped today
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SEEN
    assert entry.clock_stopped_on == timezone.localdate(starts)
    assert not WaitlistEntry.objects.open().filter(pk=entry.pk).exists()

    # When they write and sign a note of the contact
    page.get_by_role("link", name="Write a note of this contact").click()
    _heading(page, check_page, "Write a note")
    page.get_by_label("Note", exact=True).fill(
        "Assessed at clinic with Mum. Buttons hard; zips fine."
    )
    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_text("Note signed", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Signed by")).to_be_visible()
    check_page()

    # ...and set a goal with the family, in their words
    page.get_by_role("link", name="Add a goal").click()
    _heading(page, check_page, "Add a goal")
    page.get_by_label("The goal, in the child's or family's words").fill(
        "I want to do up my school cardigan myself."
    )
    page.get_by_label("Whose words are these?").fill("Ffion")
    page.get_by_role("button", name="Add the goal").click()
    expect(page.get_by_text("I want to do up my school cardigan myself.")).to_be_visible()
    check_page()

    # When they discharge with the goals met
    page.get_by_role("link", name="Discharge", exact=True).click()
    _heading(page, check_page, "Discharge")
    page.get_by_role("radio", name="Goals met").check()
    page.get_by_label("Discharge summary").fill("Dresses for school independently now.")
    page.get_by_role("button", name="Discharge and send the letter").click()
    expect(page.get_by_text("The child has been discharged")).to_be_visible()
    check_page()

    # Then the family's letter is queued, and the letter can be printed
    assert OutboxMessage.objects.filter(template="care.discharge").count() == 1
    page.get_by_role("link", name="Discharge letter for the family").click()
    _heading(page, check_page, "Discharge summary for Ffion Jenkins")
    expect(page.get_by_text("I want to do up my school cardigan myself.")).to_be_visible()
    expect(page.get_by_text("Dresses for school independently now.")).to_be_visible()
