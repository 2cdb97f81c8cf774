"""Headless Chromium for browser journeys, and the checks every page must pass.

Each page a journey visits goes through `check_page`: axe-core finds no WCAG 2.2 A/AA
violation, the browser logged no error (a Content Security Policy violation included), and
the NHS.UK frontend's JavaScript initialised every component on the page.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Route,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from sapling.accounts.models import Locality, User
from tests.factories import PASSWORD

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Chromium logs a CSP violation to the console, but an event listener added before any page
# script runs catches it for certain, whatever the browser's logging does.
_RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""

_UNINITIALISED_COMPONENTS = """
() => Array.from(document.querySelectorAll("[data-module]"))
  .filter((el) => !el.hasAttribute(`data-${el.dataset.module}-init`))
  .map((el) => el.dataset.module)
"""

NHS_FONTS = "https://assets.nhs.uk/fonts/"

_RUN_AXE = "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})"


def _unavailable(reason: str) -> NoReturn:
    """Fail in CI, where the journeys must run; skip on a machine without the tools."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def allow_database_access_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in this thread, so Django would refuse the
    tests' own (synchronous, safe) factory calls; allowed for the browser journeys only."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SOURCE.exists():
        _unavailable(f"axe-core is not installed at {AXE_SOURCE} (run npm ci)")
    return AXE_SOURCE.read_text()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium: `playwright install` cannot download browsers here."""
    executable = shutil.which("chromium")
    if executable is None:
        _unavailable("chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class BrowserErrors:
    """Errors the browser reported while a test ran: console errors and uncaught exceptions."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.messages.append(f"console: {message.text} ({message.location.get('url')})")

    def page_error(self, error: Exception) -> None:
        self.messages.append(f"uncaught: {error}")


@pytest.fixture
def browser_errors() -> BrowserErrors:
    return BrowserErrors()


def _serve_offline(route: Route) -> None:
    """Keep the journeys hermetic: nothing but the NHS.UK fonts may leave the live server.

    The frontend's CSS loads Frutiger from assets.nhs.uk, which tests must not depend on;
    an empty font makes the browser fall back to Arial, as it does when that host is down.
    """
    if route.request.url.startswith(NHS_FONTS):
        route.fulfill(status=200, content_type="font/woff2", body=b"")
    else:
        route.abort("blockedbyclient")


@pytest.fixture
def page(
    browser: Browser, browser_errors: BrowserErrors, live_server: LiveServer
) -> Iterator[Page]:
    """A fresh browser context per test, so no cookie or session leaks between journeys."""
    context = browser.new_context(locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(5_000)
    context.add_init_script(_RECORD_CSP_VIOLATIONS)
    context.route(re.compile(rf"^(?!{re.escape(live_server.url)}/)"), _serve_offline)
    page = context.new_page()
    page.on("console", browser_errors.console)
    page.on("pageerror", browser_errors.page_error)
    yield page
    context.close()


def _describe(violation: dict[str, Any]) -> str:
    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"


@pytest.fixture
def check_page(page: Page, browser_errors: BrowserErrors, axe_source: str) -> Callable[[], None]:
    """Check the page the browser is showing now: accessible, error-free and enhanced."""

    def check() -> None:
        page.wait_for_load_state("load")
        where = page.url
        csp_violations = page.evaluate("window.__cspViolations")
        assert not csp_violations, f"{where}: CSP violations: {csp_violations}"
        assert not browser_errors.messages, f"{where}: browser errors: {browser_errors.messages}"

        # The module script runs after parsing; wait until it has initialised the header.
        page.wait_for_selector("[data-nhsuk-header-init]", state="attached")
        assert "nhsuk-frontend-supported" in (page.get_attribute("body", "class") or "")
        uninitialised = page.evaluate(_UNINITIALISED_COMPONENTS)
        assert not uninitialised, f"{where}: NHS.UK components not initialised: {uninitialised}"

        # Runtime.evaluate is not subject to the page's CSP, so axe needs no bypass_csp.
        page.evaluate(axe_source)
        results = page.evaluate(_RUN_AXE, WCAG_22_A_AA)
        violations = [_describe(v) for v in results["violations"]]
        assert not violations, f"{where}: WCAG 2.2 A/AA violations:\n" + "\n".join(violations)

    return check


def log_in(page: Page, user: User) -> None:
    """Log in through the login page, as a person would."""
    # The server's first page compiles its templates: slow on a busy machine.
    page.goto("/accounts/login/", timeout=30_000)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached()


def filter_to_locality_by_keyboard(page: Page, locality: Locality) -> None:
    """On a report's filter form: type the locality's name into its list, Tab past the tier
    and programme to the button, and press Enter, as a keyboard user would."""
    page.get_by_label("Locality").focus()
    page.keyboard.type(locality.name)
    expect(page.get_by_label("Locality")).to_have_value(str(locality.pk))
    for _ in range(3):  # tier, programme, then the button
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show these figures")).to_be_focused()
    page.keyboard.press("Enter")
