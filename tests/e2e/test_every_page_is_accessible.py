"""Every page of the app, with realistic data, passes `check_page`: no WCAG 2.2 A/AA
violation, no browser or CSP error, every NHS.UK component initialised.

The pages come from the permission matrix (tests/core/test_permission_matrix.py), so a new
page there is checked here too, plus the public pages and the states a page can be in: a
form after a failed submission, the triage recommendation, another waiting-list order.
Each role logs in once and visits its pages in one browser context; every failing page is
listed, with its violations, rather than only the first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from sapling.accounts.models import Team, User
from sapling.core.roles import Role
from sapling.core.tokens import issue_link
from sapling.referrals.models import Referral
from sapling.triage.decisions import decide
from sapling.waitlist import checkins
from sapling.waitlist.models import CheckIn, WaitlistEntry
from tests.core.test_permission_matrix import BUILDERS, MATRIX
from tests.e2e.conftest import BrowserErrors, log_in
from tests.factories import (
    CarerFactory,
    ChildFactory,
    GPClusterFactory,
    GPPracticeFactory,
    LetterFactory,
    MembershipFactory,
    ReferralFactory,
    SchoolFactory,
)
from tests.permission_objects import Objects
from tests.waitlist.factories import CheckInFactory, ResourceFactory

pytestmark = pytest.mark.e2e

# Not an HTML page: the waiting list as a CSV download.
NOT_HTML = {
    "waiting list export",
    "comparison CSV",
    "planning run CSV",
    "FHIR export of a response",
    "dashboard CSV",
    "dashboard XLSX",
    "quarterly tables CSV",
    "quarterly tables XLSX",
}
# Pages whose matrix URL needs another object than the shared one.
OWN_OBJECTS = {"duplicates": "duplicate_referral"}


@dataclass
class Visits:
    """Checks `check_page` on each page visited, and keeps every failure to report at the end."""

    page: Page
    check_page: Callable[[], None]
    browser_errors: BrowserErrors
    failures: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    def open(self, url: str, status: int = 200) -> None:
        response = self.page.goto(url)
        answered = response.status if response is not None else None
        if answered != status:
            self.failures.append(f"{url}: answered {answered}, not {status}")
            return
        if status != 200:
            # The browser logs a page's own error status; that status is the one expected.
            own = re.compile(rf"status of {status}\b.*\({re.escape(self.page.url)}\)$")
            self.browser_errors.messages[:] = [
                message for message in self.browser_errors.messages if not own.search(message)
            ]
        self.check(url)

    def check(self, label: str) -> None:
        self.visited.append(label)
        try:
            self.check_page()
        except AssertionError as problem:
            self.failures.append(f"{label}: {problem}")
        # Each page answers for its own errors only.
        self.browser_errors.messages.clear()

    def submit(self, button: str, label: str, *, errors: bool) -> None:
        """Submit the page's form (with whatever it holds) and check the page it answers."""
        self.page.get_by_role("button", name=button, exact=True).click()
        self.page.wait_for_load_state("load")
        summary = expect(self.page.locator(".nhsuk-error-summary"))
        if errors:
            summary.to_be_focused()
        else:
            summary.not_to_be_attached()
        self.check(label)

    def report(self) -> None:
        assert self.visited, "no page was visited"
        if self.failures:
            pytest.fail(
                f"{len(self.failures)} of {len(self.visited)} pages failed:\n\n"
                + "\n\n".join(self.failures),
                pytrace=False,
            )


@pytest.fixture
def visits(page: Page, check_page: Callable[[], None], browser_errors: BrowserErrors) -> Visits:
    return Visits(page, check_page, browser_errors)


@pytest.fixture
def objects(team: Team, clinician: User, partner: User, settings: Any) -> Objects:
    """A small but realistic team: children with carers, referrals at each stage, a waiting
    list with a check-in, GP practices, a resource and a letter to print."""
    settings.SAPLING_PUBLIC_TEAM = team.name
    school = SchoolFactory.create(team=team, name="Ysgol Gymraeg Bryn Tawe")
    cluster = GPClusterFactory.create(team=team, name="Cwmtawe")
    practice = GPPracticeFactory.create(team=team, name="Morriston Surgery", cluster=cluster)
    child = ChildFactory.create(
        team=team,
        given_name="Alys",
        family_name="Pritchard",
        date_of_birth=dt.date(2017, 5, 14),
        nhs_number="9990000018",
        postcode="SA1 8PN",
        school=school,
        gp_practice=practice,
    )
    carer = CarerFactory.create(
        child=child, given_name="Ceri", family_name="Pritchard", relationship="mother"
    )
    awaiting = ReferralFactory.create(
        team=team, child=child, reasons=["handwriting", "movement"], reference="R-AWAIT001"
    )

    # Triaged to targeted, so the waiting list has an entry, with a check-in due.
    waiting_child = ChildFactory.create(
        team=team, given_name="Osian", family_name="Hughes", postcode="SA6 8AB", school=school
    )
    CarerFactory.create(child=waiting_child, given_name="Rhian")
    triaged: Referral = ReferralFactory.create(
        team=team,
        child=waiting_child,
        reasons=["handwriting", "movement"],
        received_on=timezone.localdate() - dt.timedelta(days=50),
        referred_by=partner,
    )
    decide(
        referral=triaged,
        answers={
            "impact": {"handwriting": "moderate", "movement": "severe"},
            "risks": [],
            "complexity": "medium",
        },
        outcome="targeted",
        overrides={},
        reasons={},
        by=clinician,
        expected_version=triaged.version,
    )
    entry = WaitlistEntry.objects.get(referral=triaged)
    check_in = CheckInFactory.create(entry=entry, due_on=timezone.localdate())

    # Two records that may be one child: the same family name and date of birth.
    born = dt.date(2016, 9, 4)
    ChildFactory.create(team=team, given_name="Mali", family_name="Prosser", date_of_birth=born)
    new = ChildFactory.create(
        team=team, given_name="Mali", family_name="Prosser", date_of_birth=born
    )
    duplicate = ReferralFactory.create(team=team, child=new, needs_duplicate_review=True)

    # The rest (groups, care) are built, as the matrix builds them, when a page asks.
    preset = {
        "child": child.pk,
        "carer": carer.pk,
        "practice": practice.pk,
        "referral": awaiting.pk,
        "my_referral": triaged.pk,
        "duplicate_referral": duplicate.pk,
        "entry": entry.pk,
        "check_in": check_in.pk,
        "resource": ResourceFactory.create(team=team, title="Pencil grips at home").pk,
        "letter": LetterFactory.create(carer__child=child).pk,
    }
    return Objects(team, BUILDERS, preset)


@pytest.fixture
def check_in_link(objects: Objects) -> str:
    """The link a family is sent to answer the waiting list's check-in."""
    check_in = CheckIn.objects.select_related("entry__child").get(pk=objects["check_in"])
    _, token = issue_link(
        purpose=checkins.PURPOSE,
        target=check_in,
        carer=check_in.entry.child.carers.get(),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return f"/l/{token}/"


def _matrix_urls(role: Role, objects: Objects) -> list[str]:
    urls = []
    for name, build_url, allowed in MATRIX:
        if role in allowed and name not in NOT_HTML:
            own = OWN_OBJECTS.get(name)
            page_objects = objects
            if own:
                page_objects = Objects(
                    objects.team, BUILDERS, {**objects, "referral": objects[own]}
                )
            urls.append(build_url(page_objects))
    return urls


def test_every_page_a_lead_sees_is_accessible(
    visits: Visits, page: Page, lead: User, objects: Objects
) -> None:
    log_in(page, lead)
    for url in _matrix_urls(Role.LEAD, objects):
        visits.open(url)
    visits.open(reverse("waitlist:list_entries") + "?order=need_adjusted")

    # Forms sent empty: the error summary and the errors beside the fields.
    visits.open(reverse("children:add_child"))
    visits.submit("Add child", "add child, with errors", errors=True)
    visits.open(reverse("referrals:add_referral"))
    visits.submit("Add referral", "add referral, with errors", errors=True)
    triage = reverse("triage:triage_referral", args=[objects["referral"]])
    visits.open(triage)
    visits.submit("See the recommendation", "triage answers, with errors", errors=True)

    # The recommendation, from the answers to the triage questions.
    visits.open(triage)
    for name, value in [
        ("impact_handwriting", "moderate"),
        ("impact_movement", "severe"),
        ("complexity", "medium"),
    ]:
        page.locator(f"input[name={name}][value={value}]").check()
    visits.submit("See the recommendation", "triage recommendation", errors=False)
    expect(page.get_by_role("heading", name="Recommendation")).to_be_visible()
    visits.report()


def test_every_page_a_partner_sees_is_accessible(
    visits: Visits, page: Page, partner: User, objects: Objects
) -> None:
    log_in(page, partner)
    for url in _matrix_urls(Role.PARTNER, objects):
        visits.open(url)
    visits.open(reverse("referrals:show_my_referral", args=[objects["my_referral"]]))
    visits.open(reverse("referrals:refer_child"))
    visits.submit("Send referral", "refer a child, with errors", errors=True)
    visits.report()


@pytest.mark.parametrize(
    "role", [Role.ADMINISTRATOR, Role.CLINICIAN, Role.SUPPORT_WORKER, Role.COMMISSIONER]
)
def test_the_home_page_and_letters_of_other_roles_are_accessible(
    visits: Visits, page: Page, team: Team, objects: Objects, role: Role
) -> None:
    user = MembershipFactory.create(team=team, role=role, user__username=f"u-{role}").user
    log_in(page, user)
    visits.open(reverse("core:home"))
    if role == Role.ADMINISTRATOR:
        visits.open(reverse("core:list_messages"))
    visits.report()


def test_every_public_page_is_accessible(visits: Visits, page: Page, check_in_link: str) -> None:
    for url in [
        reverse("accounts:login"),
        reverse("core:accessibility"),
        reverse("core:privacy"),
        reverse("groups:public_resources"),
        reverse("request_help:start_request"),
        reverse("request_help:answer_question", args=["who"]),
    ]:
        visits.open(url)
    visits.open("/l/not-a-real-token/", status=404)
    visits.open(reverse("request_help:answer_question", args=["who"]))
    visits.submit("Continue", "request help, first question with errors", errors=True)

    # A family opens their check-in link (it leaves the token's URL for the question).
    visits.open(check_in_link)
    expect(
        page.get_by_role("heading", level=1, name="Do you still need our help for Osian?")
    ).to_be_visible()
    visits.report()


def test_a_family_answers_their_check_in_in_the_browser(
    visits: Visits, page: Page, check_in_link: str
) -> None:
    visits.open(check_in_link)
    visits.submit("Send my answer", "check-in, with errors", errors=True)
    page.get_by_role("radio").first.check()
    visits.submit("Send my answer", "check-in received", errors=False)
    visits.report()
