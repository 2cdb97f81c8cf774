"""A teacher books universal training on the public page, attends, is sent a booking link,
and books a consultation with an occupational therapist through it, without an account.

The clinician's side runs through the browser too: the facilitator takes the register and
an OT publishes the slot the teacher books."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from sapling.accounts.models import Team, User
from sapling.consultations.models import Consultation
from sapling.groups.models import Attendance, Mark, Run, Session
from tests.factories import PASSWORD
from tests.groups.factories import run_with_sessions

pytestmark = pytest.mark.e2e

CheckPage = Callable[[], None]
TEACHER = "Siân Jenkins"
EMAIL = "sian.jenkins@tirdeunaw.example.org"


@pytest.fixture
def training(team: Team) -> Run:
    """Universal training for school staff, open for booking, two weekly online sessions."""
    return run_with_sessions(
        2, programme__team=team, title="Sensory processing in the classroom", status="open"
    )


def _heading(page: Page, check_page: CheckPage, name: str) -> None:
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    check_page()


def _log_in(page: Page, check_page: CheckPage, user: User, team: Team) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    _heading(page, check_page, team.name)


def _the_first_session_has_happened(run: Run) -> Session:
    """Time passes: the first session was this afternoon."""
    session = run.sessions.order_by("number").first()
    assert session is not None
    start = timezone.now() - dt.timedelta(hours=3)
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    return session


def _next_week() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=7)


def _secure_link_in(body: str) -> str:
    found = re.search(r"/l/[A-Za-z0-9_-]{43}/", body)
    assert found, body
    return found.group(0)


def test_a_teacher_attends_training_then_books_a_consultation(
    page: Page, check_page: CheckPage, team: Team, clinician: User, training: Run
) -> None:
    # A long journey on a busy machine: give each step more than the default 5 s.
    page.set_default_timeout(20_000)

    # Given the public training page, and a teacher with no account
    page.goto("/book/")
    _heading(page, check_page, "Training for parents, carers and school staff")

    # When she books a place on the universal training
    page.get_by_role("link", name="Book a place on Sensory processing in the classroom").click()
    _heading(page, check_page, "Book a place Sensory processing in the classroom")
    page.get_by_label("Full name").fill(TEACHER)
    page.get_by_label("Your role").fill("Class teacher")
    page.get_by_label("School or setting").fill("Ysgol Gynradd Tirdeunaw")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Book my place").click()
    _heading(page, check_page, "Your place is booked")

    # And she attends the first session: the facilitator takes the register
    session = _the_first_session_has_happened(training)
    _log_in(page, check_page, clinician, team)
    page.goto(f"/groups/sessions/{session.pk}/register/")
    _heading(page, check_page, "Register")
    page.get_by_role("group", name=TEACHER).get_by_label("Attended").check()
    page.get_by_role("button", name="Save the register").click()
    expect(page.get_by_text("The register has been saved")).to_be_visible()
    assert Attendance.objects.get(session=session).mark == Mark.ATTENDED

    # And an occupational therapist publishes a consultation slot for next week
    page.goto("/consultations/")
    _heading(page, check_page, "Consultations")
    page.get_by_role("link", name="Publish a slot").click()
    _heading(page, check_page, "Publish a consultation slot")
    day = _next_week()
    date = page.get_by_role("group", name="Date")
    date.get_by_label("Day").fill(str(day.day))
    date.get_by_label("Month").fill(str(day.month))
    date.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("16:00")
    page.get_by_label("30 minutes").check()
    page.get_by_label("Online (video call)").check()
    page.get_by_label("Meeting link (online slots only)").fill("http://meet.example.nhs.uk/ot")
    page.get_by_role("button", name="Publish slot").click()

    # Then a link that is not https is refused, with a message saying why
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter a meeting link that starts with https://"
    )
    check_page()
    page.get_by_label("Meeting link (online slots only)").fill("https://meet.example.nhs.uk/ot")
    page.get_by_role("button", name="Publish slot").click()
    expect(page.get_by_text("Slot published for")).to_be_visible()
    check_page()
    page.get_by_role("button", name="Log out").click()

    # When the day's messages go out
    call_command("send_due", stdout=StringIO())

    # Then the teacher is emailed a link to book a consultation
    [invitation] = [m for m in mail.outbox if m.subject.startswith("Book a free consultation")]
    assert invitation.to == [EMAIL]

    # When she opens it and chooses the time, saying what she would like to ask
    page.goto(_secure_link_in(str(invitation.body)))
    _heading(page, check_page, "Book a consultation with an occupational therapist")
    expect(page.get_by_text(f"We will email the confirmation to {EMAIL}")).to_be_visible()
    page.get_by_role("group", name="Choose a time").get_by_role("radio").first.check()
    page.get_by_label("What would you like to ask about?").fill(
        "A pupil covers his ears in assembly & hides at wet play <every day>."
    )
    page.get_by_role("button", name="Book consultation").click()

    # Then she sees it booked, with how to join
    _heading(page, check_page, "Consultation booked")
    expect(page.get_by_role("link", name="https://meet.example.nhs.uk/ot")).to_be_visible()
    consultation = Consultation.objects.get()
    assert consultation.name == TEACHER
    assert consultation.question.endswith("<every day>.")

    # And the confirmation, with a calendar invitation, is emailed to her
    call_command("send_due", stdout=StringIO())
    [confirmation] = [m for m in mail.outbox if m.subject.endswith("is booked")]
    assert confirmation.to == [EMAIL]
    [(name, content, _mimetype)] = confirmation.attachments
    assert name == "consultation.ics"
    assert "SUMMARY:Consultation with an occupational therapist" in str(content)

    # And the link cannot book a second time
    page.goto(_secure_link_in(str(invitation.body)))
    # (a 404 page, which the browser logs as an error, so it is not run through check_page)
    expect(page.get_by_text("You have already booked with this link")).to_be_visible()
    assert Consultation.objects.count() == 1
