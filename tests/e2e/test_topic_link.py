"""A parent in a virtual parenting group sends a topic through the link in their reminder,
and the facilitator sees it before the session and marks it covered."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from sapling.accounts.models import Team, User
from sapling.groups import lifecycle
from sapling.groups.models import TopicSuggestion
from tests.e2e.conftest import BrowserErrors
from tests.factories import PASSWORD, CarerFactory
from tests.groups.factories import run_with_sessions
from tests.waitlist.factories import WaitlistEntryFactory

pytestmark = pytest.mark.e2e

CHALLENGE = "Getting out of the door for school without shouting"


def test_a_parent_sends_a_topic_through_their_link(
    page: Page,
    check_page: Callable[[], None],
    browser_errors: BrowserErrors,
    team: Team,
    clinician: User,
) -> None:
    page.set_default_timeout(20_000)
    run = run_with_sessions(
        3,
        programme__team=team,
        programme__tier="targeted",
        programme__audience="parents",
        title="Understanding your child's behaviour",
        first_in_days=1,
        status="planned",
    )
    entry = WaitlistEntryFactory.create(team=team)
    CarerFactory.create(child=entry.child, given_name="Ffion", email="ffion@example.org")
    lifecycle.enrol_child(run=run, entry=entry, carers=entry.child.carers.all(), by=clinician)

    # The reminder two days before the session carries a personal link.
    call_command("send_due", stdout=StringIO())
    [reminder] = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert reminder.to == ["ffion@example.org"]
    found = re.search(r"/l/[A-Za-z0-9_-]{43}/", str(reminder.body))
    assert found is not None

    page.goto(found.group(0))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tell us what to cover")
    check_page()
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check_page()
    page.get_by_label("A challenge we are facing").check()
    page.get_by_label("Tell the facilitators").fill(CHALLENGE)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, the facilitators will see it"
    )
    check_page()
    assert TopicSuggestion.objects.get().text == CHALLENGE

    # The same link a second time: it has been used (a 404, which the console reports).
    page.goto(found.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("We have already received your topic")
    assert all("status of 404" in m for m in browser_errors.messages)
    browser_errors.messages.clear()
    check_page()

    # The facilitator sees it grouped, and marks it covered.
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(clinician.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/groups/runs/{run.pk}/")
    page.get_by_role("link", name="Topics and resources for session 1").click()
    expect(
        page.get_by_role("heading", level=2, name="A challenge we are facing (1)")
    ).to_be_visible()
    check_page()
    page.get_by_role("group", name="Covered in the session").get_by_label(CHALLENGE).check()
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("The topics covered and resources shared have been saved")
    ).to_be_visible()
    check_page()
    assert TopicSuggestion.objects.get().covered
