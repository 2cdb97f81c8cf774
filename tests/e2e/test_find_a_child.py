"""The core journey: a clinician logs in, finds a child and opens their record."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from sapling.accounts.models import Team, User
from tests.factories import PASSWORD, CarerFactory, ChildFactory, SchoolFactory

pytestmark = pytest.mark.e2e


def _summary_value(page: Page, key: str) -> Locator:
    """The value beside `key` in the page's first NHS.UK summary list."""
    row = page.locator(".nhsuk-summary-list__row").filter(
        has=page.get_by_role("term").filter(has_text=re.compile(rf"^\s*{key}\s*$"))
    )
    return row.first.get_by_role("definition").first


def test_a_clinician_finds_a_child_and_opens_their_record(
    page: Page,
    check_page: Callable[[], None],
    team: Team,
    clinician: User,
) -> None:
    # Given a child on the clinician's team, with a school, a postcode and a carer
    school = SchoolFactory(team=team, name="Ysgol Gymraeg Bryn Tawe")
    child = ChildFactory(
        team=team,
        given_name="Alys",
        family_name="Pritchard",
        date_of_birth=dt.date(2017, 5, 14),
        nhs_number="9990000018",
        postcode="SA1 8PN",
        school=school,
    )
    CarerFactory(child=child, given_name="Ceri", family_name="Pritchard", relationship="mother")
    # ...and another child the search must leave out
    ChildFactory(team=team, given_name="Osian", family_name="Hughes")

    # When they log in with their username and password
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1, name="Log in")).to_be_visible()
    check_page()
    page.get_by_label("Username").fill(clinician.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Then they see the home page of their team
    expect(page.get_by_role("heading", level=1, name=team.name)).to_be_visible()
    check_page()

    # When they go to Children in the navigation and search by the child's last name
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children").click()
    expect(page.get_by_role("heading", level=1, name="Find a child")).to_be_visible()
    search = page.get_by_role("search", name="Find a child")
    search.get_by_label("Name or NHS number").fill("Pritchard")
    search.get_by_role("button", name="Search").click()

    # Then they see the child, and only that child, in the results
    expect(page.get_by_role("heading", level=2, name="1 child found")).to_be_visible()
    results = page.get_by_role("table", name="Children matching your search")
    expect(results.get_by_role("row")).to_have_count(2)  # the header row and one child
    expect(results.get_by_role("link", name="Pritchard, Alys")).to_be_visible()
    check_page()

    # When they open the child's record
    results.get_by_role("link", name="Pritchard, Alys").click()

    # Then they see the child's details and their carer
    expect(page.get_by_role("heading", level=1, name=re.compile("Alys Pritchard"))).to_be_visible()
    expect(_summary_value(page, "NHS number")).to_have_text("999 000 0018")
    expect(_summary_value(page, "Date of birth")).to_contain_text("14 May 2017")
    expect(_summary_value(page, "Postcode")).to_have_text("SA1 8PN")
    expect(_summary_value(page, "School")).to_contain_text("Ysgol Gymraeg Bryn Tawe")
    expect(page.get_by_role("heading", level=3, name=re.compile("Ceri Pritchard"))).to_be_visible()
    check_page()
