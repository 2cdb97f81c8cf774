"""Logging in works from the keyboard alone, and a wrong password is explained accessibly."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from sapling.accounts.models import Team, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_the_keyboard_alone_skips_to_the_form_and_logs_in(
    page: Page, check_page: Callable[[], None], team: Team, clinician: User
) -> None:
    # Given the login page
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1, name="Log in")).to_be_visible()
    check_page()

    # When the user presses Tab from the top of the page
    page.keyboard.press("Tab")

    # Then the skip link is the first thing focused, and it takes them to the main content
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    # When they tab through the form, type their details and press Enter
    page.keyboard.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(clinician.username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    # Then they are logged in, on their team's home page
    expect(page.get_by_role("heading", level=1, name=team.name)).to_be_visible()
    check_page()


def test_a_wrong_password_shows_a_focused_error_summary(
    page: Page, check_page: Callable[[], None], clinician: User
) -> None:
    # Given the login page
    page.goto("/accounts/login/")

    # When the user submits a wrong password
    page.get_by_label("Username").fill(clinician.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()

    # Then the NHS.UK error summary explains the problem and has the focus
    summary = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name="There is a problem")
    )
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(page.locator(".nhsuk-error-summary")).to_be_focused()
    expect(page.get_by_label("Password")).to_have_value("")
    check_page()
