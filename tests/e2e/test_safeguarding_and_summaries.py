"""Safeguarding and the school summary, through the browser: a clinician records a concern
and escalates it to the team's safeguarding lead, who finds it in the open list; the
clinician writes what helps the child in class, is refused sharing it until a parent's
consent is recorded, then shares it; the school's partner reads it, and nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from sapling.accounts.models import Team, User
from sapling.children import safeguarding
from sapling.children.models import Child
from tests.children.factories import ChildAtSchoolFactory, PartnerSchoolFactory
from tests.e2e.conftest import log_in
from tests.factories import CarerFactory, SchoolFactory

pytestmark = pytest.mark.e2e

CheckPage = Callable[[], None]


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1, name="Log in")).to_be_visible()


def _heading(page: Page, check_page: CheckPage, name: str) -> None:
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    check_page()


def _fill_date(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _menu_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True)


@pytest.fixture
def pupil(team: Team, partner: User) -> Child:
    school = SchoolFactory.create(team=team, name="Ysgol Gynradd Gellifedw")
    child = ChildAtSchoolFactory.create(
        team=team, given_name="Elis", family_name="Powell", school=school
    )
    CarerFactory.create(child=child, given_name="Mererid", family_name="Powell")
    PartnerSchoolFactory.create(team=team, partner=partner, school=school)
    return child


def test_a_concern_reaches_the_lead_and_a_summary_reaches_only_its_school(
    page: Page,
    check_page: CheckPage,
    team: Team,
    pupil: Child,
    clinician: User,
    lead: User,
    partner: User,
) -> None:
    today = timezone.localdate()
    safeguarding.set_safeguarding_lead(team=team, lead=lead, by=lead)

    # Given a clinician on the child's record
    log_in(page, clinician)
    page.goto(f"/children/{pupil.pk}/")
    _heading(page, check_page, "Elis Powell")

    # When they record a safeguarding concern, first leaving out who was told
    page.get_by_role("link", name="Safeguarding concerns").click()
    _heading(page, check_page, "Safeguarding concerns")
    page.get_by_role("button", name="Record a concern").click()
    _heading(page, check_page, "Record a safeguarding concern")
    page.get_by_label("What is the concern?").fill(
        "Elis said his brother hits him when their mum is at work & he is scared to go home."
    )
    _fill_date(page, "Date of the concern", today)
    _fill_date(page, "Date they were told", today)
    page.get_by_role("button", name="Record the concern").click()

    # Then they are told exactly what is missing
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say who was told")
    check_page()

    # When they say who was told
    page.get_by_label("Who was told?").fill("Children's services duty team")
    page.get_by_role("button", name="Record the concern").click()

    # Then the concern is open, and they escalate it to the safeguarding lead
    _heading(page, check_page, "Safeguarding concerns")
    expect(page.get_by_text("Open", exact=True)).to_be_visible()
    page.get_by_role("link", name="Escalate to the safeguarding lead").click()
    _heading(page, check_page, "Escalate to the safeguarding lead")
    page.get_by_label("What does the safeguarding lead need to know? (optional)").fill(
        "Please call me today"
    )
    page.get_by_role("button", name="Escalate").click()
    _heading(page, check_page, "Safeguarding concerns")

    # ...and the child's record now carries the flag, linked to the concern
    page.goto(f"/children/{pupil.pk}/")
    expect(page.get_by_role("link", name="See the 1 open concern")).to_be_visible()
    check_page()

    # When they write what helps Elis in class and try to share it without consent
    page.get_by_role("link", name="School summaries and consent to share").click()
    _heading(page, check_page, "School summaries")
    page.get_by_role("button", name="Write a summary for school").click()
    _heading(page, check_page, "Write a summary for school")
    page.get_by_label("What helps this child in class?").fill(
        "A sloped board for writing.\nMovement breaks every 20 minutes."
    )
    page.get_by_role("button", name="Save as a draft").click()
    _heading(page, check_page, "School summaries")
    page.get_by_role("link", name="Share with the school").click()
    _heading(page, check_page, "Share the summary with the school")
    page.get_by_role("button", name="Share with the school").click()

    # Then sharing is refused: there is no consent yet
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("There is no consent to share")
    check_page()

    # When they record consent from Elis's mother, given on the phone
    page.get_by_role("link", name="School summaries").click()
    page.get_by_role("button", name="Record consent to share").click()
    _heading(page, check_page, "Record consent to share")
    page.get_by_label("A parent or carer with parental responsibility").check()
    page.get_by_label("Which parent or carer?").select_option(label="Mererid Powell (Mother)")
    _fill_date(page, "Date consent was given", today)
    page.get_by_label("On the phone").check()
    page.get_by_role("button", name="Record consent").click()
    _heading(page, check_page, "School summaries")

    # Then they can share the summary
    page.get_by_role("link", name="Share with the school").click()
    expect(page.get_by_text("Consent given by Mererid Powell")).to_be_visible()
    page.get_by_role("button", name="Share with the school").click()
    expect(
        page.get_by_text("The summary has been shared with Ysgol Gynradd Gellifedw")
    ).to_be_visible()
    check_page()
    _log_out(page)

    # Given the safeguarding lead
    log_in(page, lead)
    _menu_link(page, "Safeguarding").click()

    # Then the escalated concern is in the open list
    _heading(page, check_page, "Open safeguarding concerns")
    concerns = page.get_by_role("table")
    expect(concerns.get_by_role("link", name="Elis Powell")).to_be_visible()
    expect(concerns).to_contain_text("Escalated")
    _log_out(page)

    # Given the school's partner
    log_in(page, partner)
    _menu_link(page, "Shared summaries").click()
    _heading(page, check_page, "Summaries shared with your school")

    # Then they read what helps Elis in class
    page.get_by_role("link", name="Elis Powell").click()
    _heading(page, check_page, "What helps in class")
    expect(page.get_by_text("Movement breaks every 20 minutes.")).to_be_visible()

    # ...and nothing else of his record
    response = page.goto(f"/children/{pupil.pk}/concerns/")
    assert response is not None and response.status == 404
