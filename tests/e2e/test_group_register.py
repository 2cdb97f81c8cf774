"""A facilitator takes the register of a session of 15 people with the keyboard alone.

The budget: at most two key presses per person (Tab to the person's marks, then Space for
Attended, the down arrow for Apologies or the up arrow for Did not attend), plus two to
reach the register (skip link) and two to save (Tab to the button, Enter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sapling.accounts.models import Team, User
from sapling.groups.models import Attendance, Session
from tests.factories import PASSWORD
from tests.groups.factories import EnrolmentFactory, run_with_sessions

pytestmark = pytest.mark.e2e

PEOPLE = 15
KEY_FOR = {"attended": " ", "apologies": "ArrowDown", "did_not_attend": "ArrowUp"}


def test_a_facilitator_takes_a_register_of_15_with_two_keys_each(
    page: Page, check_page: Callable[[], None], team: Team, support_worker: User
) -> None:
    page.set_default_timeout(20_000)
    run = run_with_sessions(
        3, programme__team=team, programme__tier="targeted", title="Parenting group"
    )
    session = run.sessions.get(number=1)
    start = timezone.now() - dt.timedelta(hours=2)
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    people = [
        EnrolmentFactory.create(run=run, participant_name=f"Parent {n:02d}") for n in range(PEOPLE)
    ]
    wanted = {
        p.pk: ["attended", "attended", "apologies", "did_not_attend"][n % 4]
        for n, p in enumerate(people)
    }

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(support_worker.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name=team.name)).to_be_visible()
    page.goto(f"/groups/sessions/{session.pk}/register/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register")
    check_page()

    presses: list[str] = []

    def press(key: str) -> None:
        presses.append(key)
        page.keyboard.press(key)

    # Skip link, then into the page's main content.
    press("Tab")
    press("Enter")
    for person in sorted(people, key=lambda p: p.participant_name):
        before = len(presses)
        press("Tab")
        focused = page.evaluate("document.activeElement.name")
        assert focused == f"mark_{person.pk}", f"Tab reached {focused}, not {person}"
        press(KEY_FOR[wanted[person.pk]])
        assert len(presses) - before <= 2
    press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Save the register"
    press("Enter")

    expect(page.get_by_text("The register has been saved")).to_be_visible()
    check_page()
    assert len(presses) <= 2 * PEOPLE + 4, presses
    saved = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "mark"))
    assert saved == wanted
