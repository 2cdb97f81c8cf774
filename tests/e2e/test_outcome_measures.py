"""Outcome measures through the browser: a parent answers the family confidence measure
on a phone from the link they were sent; a clinician scales an episode's goals for Goal
Attainment Scaling and rates them at discharge."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from sapling.accounts.models import Team, User
from sapling.children.models import Child
from sapling.core.outbox import send_due
from sapling.outcomes import administration as admin
from sapling.outcomes.instruments import FAMILY_CONFIDENCE, shipped_version
from sapling.outcomes.models import GasGoal, Response
from tests.care.factories import EpisodeFactory
from tests.e2e.conftest import BrowserErrors
from tests.factories import PASSWORD, CarerFactory

pytestmark = pytest.mark.e2e

CheckPage = Callable[[], None]
PHONE = ViewportSize(width=360, height=740)


def _link_sent_to(address: str) -> str:
    message = next(m for m in mail.outbox if m.to == [address] and "/l/" in m.body)
    found = re.search(r"/l/[A-Za-z0-9_-]+/", str(message.body))
    assert found, message.body
    return found.group(0)


def test_a_parent_answers_the_confidence_measure_on_a_phone(
    page: Page, check_page: CheckPage, browser_errors: BrowserErrors, team: Team, child: Child
) -> None:
    page.set_default_timeout(20_000)
    # Given: Alys's mum is owed the family confidence measure at discharge, and send-due sent it.
    mum = CarerFactory.create(child=child, given_name="Sian", email="sian@example.com")
    admin.schedule_measure(
        team=team,
        child=child,
        version=shipped_version(FAMILY_CONFIDENCE),
        time_point="discharge",
        respondent="parent",
        carer=mum,
        due_on=timezone.localdate(),
        by=None,
    )
    admin.schedule_measures()
    send_due()
    link = _link_sent_to("sian@example.com")

    # When: she opens the link on her phone.
    page.set_viewport_size(PHONE)
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name="Family confidence")).to_be_visible()
    check_page()
    expect(page.get_by_text("These questions are about Alys.")).to_be_visible()
    expect(page.get_by_text("Morgan")).to_have_count(0)  # first name only
    assert "/l/" not in page.url  # the token left the address bar
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Sending without choosing an answer is refused, with the reason.
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Answer this question")
    check_page()

    page.get_by_role("radio", name="Extremely confident").check()
    page.get_by_role("textbox").fill("The morning routine ideas changed everything.")
    page.get_by_role("button", name="Send my answers").click()

    # Then: thanked, and the answer is kept once with the instrument version.
    expect(
        page.get_by_role("heading", level=1, name="Thank you, we have received your answers")
    ).to_be_visible()
    check_page()
    response = Response.objects.get()
    assert response.answers["confidence"] == "extremely"
    assert response.instrument_version.version == "1"

    # Opening the link again says it was already received.
    page.goto(link)
    expect(
        page.get_by_role("heading", level=1, name="We have already received your answers")
    ).to_be_visible()
    # A used link is answered with a 404, which the browser's console reports.
    assert all("status of 404" in m for m in browser_errors.messages)
    browser_errors.messages.clear()
    check_page()


def test_a_clinician_sets_gas_goals_and_rates_them_at_discharge(
    page: Page, check_page: CheckPage, team: Team, clinician: User
) -> None:
    page.set_default_timeout(20_000)
    episode = EpisodeFactory.create(team=team, lead_clinician=clinician)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(clinician.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name=team.name)).to_be_visible()

    # Given: the goal is set with the family on the episode (the care pages).
    page.goto(f"/care/episodes/{episode.pk}/goals/add/")
    check_page()
    page.get_by_label("The goal, in the child's or family's words").fill(
        "I want to do up my own coat for playtime."
    )
    page.get_by_label("Whose words are these?").fill("the child")
    page.get_by_role("button", name="Add the goal").click()

    # When: the clinician scales it on the episode's outcomes page.
    page.goto(f"/outcomes/episodes/{episode.pk}/")
    expect(page.get_by_role("heading", level=1, name="Outcomes of this episode")).to_be_visible()
    check_page()
    page.get_by_role("link", name=re.compile("Scale this goal")).click()
    expect(page.get_by_role("heading", level=1, name="Scale a goal")).to_be_visible()
    check_page()
    levels = {
        "-2: much less than expected": "Cannot start the zip",
        "-1: less than expected": "Starts the zip with help",
        "0: the expected outcome": "Does the zip alone",
        "+1: more than expected": "Does zip and buttons alone",
        "+2: much more than expected": "Does zip, buttons and toggles alone",
    }
    for label, text in levels.items():
        page.get_by_role("textbox", name=label, exact=True).fill(text)
    page.get_by_role("radio", name="-2: much less than expected").check()
    page.get_by_role("button", name="Save the levels").click()
    expect(page.get_by_role("cell", name="Does the zip alone")).to_be_visible()
    check_page()

    # And rates it at discharge.
    page.get_by_role("link", name="Rate the goals").click()
    expect(page.get_by_role("heading", level=1, name="Rate goals")).to_be_visible()
    check_page()
    page.get_by_role("radio", name="Discharge").check()
    page.get_by_role("radio", name="+1: Does zip and buttons alone").check()
    page.get_by_role("button", name="Save the ratings").click()

    # Then: the T-score moved from 30 at baseline (-2) to 60 at discharge (+1).
    scores = page.get_by_role("table", name=re.compile("GAS T-scores"))
    expect(scores.get_by_role("row", name=re.compile("Baseline"))).to_contain_text("30.0")
    expect(scores.get_by_role("row", name=re.compile("Discharge"))).to_contain_text("60.0")
    check_page()
    assert GasGoal.objects.get().ratings.get().attainment == 1
