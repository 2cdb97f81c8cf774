"""A teacher books universal training on the public page, with no account: the form tells
her what is missing, a full run offers the reserve list, and she is emailed the dates with
a calendar invitation."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from sapling.accounts.models import Team
from sapling.groups.models import Enrolment
from tests.groups.factories import EnrolmentFactory, run_with_sessions

pytestmark = pytest.mark.e2e


def test_a_teacher_books_universal_training_on_the_public_page(
    page: Page, check_page: Callable[[], None], team: Team
) -> None:
    page.set_default_timeout(20_000)
    run = run_with_sessions(3, programme__team=team, title="Handwriting in the early years")
    full = run_with_sessions(2, programme__team=team, title="Sensory circuits", capacity=1)
    EnrolmentFactory.create(run=full)

    page.goto("/book/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Training for parents, carers and school staff"
    )
    check_page()
    page.get_by_role("link", name="Book a place on Handwriting in the early years").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Handwriting in the early years")
    check_page()

    # Missing details are named, and nothing is booked.
    page.get_by_label("Full name").fill("Bethan Rees")
    page.get_by_role("button", name="Book my place").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    check_page()
    assert not Enrolment.objects.filter(run=run).exists()

    page.get_by_label("Your role").fill("Reception teacher")
    page.get_by_label("School or setting").fill("Ysgol Gymraeg Lon Las")
    page.get_by_label("Email address").fill("bethan.rees@lonlas.example.org")
    page.get_by_label("Not confident joining online").check()
    page.get_by_role("button", name="Book my place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your place is booked")
    check_page()
    booked = Enrolment.objects.get(run=run)
    assert booked.participant_email == "bethan.rees@lonlas.example.org"
    assert booked.digital_needs == ["confidence"]

    call_command("send_due", stdout=StringIO())
    [confirmation] = [m for m in mail.outbox if m.subject.startswith("Your place on")]
    assert confirmation.to == ["bethan.rees@lonlas.example.org"]
    [(name, content, _mimetype)] = confirmation.attachments
    assert name == "sessions.ics" and str(content).count("BEGIN:VEVENT") == 3

    # A full run: booking puts her on the reserve list, and says so.
    page.goto("/book/")
    page.get_by_role("link", name="Book a place on Sensory circuits").click()
    expect(page.get_by_text("This training is full.")).to_be_visible()
    page.get_by_label("Full name").fill("Bethan Rees")
    page.get_by_label("Your role").fill("Reception teacher")
    page.get_by_label("School or setting").fill("Ysgol Gymraeg Lon Las")
    page.get_by_label("Email address").fill("bethan.rees@lonlas.example.org")
    page.get_by_role("button", name="Book my place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are on the reserve list")
    check_page()
    assert Enrolment.objects.get(run=full, participant_name="Bethan Rees").reserve_position == 1
