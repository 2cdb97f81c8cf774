"""The core flow of a request for help, through the browser: a parent asks for help without an
account; the office finds the request; a clinician triages it to targeted; the child waits
on the waiting list with the right weeks waited; a school partner follows a referral of
their own by its status alone."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from sapling.accounts.models import Team, User
from sapling.referrals.models import Referral, Status
from sapling.triage.decisions import decide
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

CheckPage = Callable[[], None]


def _log_in(page: Page, check_page: CheckPage, user: User, team: Team) -> None:
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1, name="Log in")).to_be_visible()
    check_page()
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name=team.name)).to_be_visible()
    check_page()


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1, name="Log in")).to_be_visible()


def _menu_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True)


def _question(page: Page, check_page: CheckPage, title: str) -> None:
    """Wait for the question page titled `title`, and check it."""
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    check_page()


def _continue(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def _fill_date(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _eight_years_old() -> dt.date:
    today = timezone.localdate()
    return dt.date(today.year - 8, 5, 14)


def _row(table: Locator, name: str) -> Locator:
    return table.get_by_role("row").filter(has=table.page.get_by_role("cell", name=name))


def test_a_parents_request_is_triaged_and_joins_the_waiting_list(
    page: Page,
    check_page: CheckPage,
    team: Team,
    administrator: User,
    clinician: User,
) -> None:
    born = _eight_years_old()

    # Given the public start page, and a parent who has no account
    page.goto("/request-help/")
    expect(
        page.get_by_role(
            "heading", level=1, name="Ask for help from children's occupational therapy"
        )
    ).to_be_visible()
    check_page()

    # When they start the form
    page.get_by_role("button", name="Start now").click()

    # Then the first question asks who they are, and they answer it with the keyboard alone
    _question(page, check_page, "Who is filling in this form?")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    parent = page.get_by_label("A parent or carer with parental responsibility")
    expect(parent).to_be_focused()
    page.keyboard.press("Space")
    expect(parent).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continue")).to_be_focused()
    page.keyboard.press("Enter")

    # When they give the child's details, with a Welsh postcode
    _question(page, check_page, "The child's details")
    page.get_by_label("First name").fill("Gruffydd")
    page.get_by_label("Last name").fill("Rhys-Evans")
    _fill_date(page, "Date of birth", born)
    page.get_by_label("Postcode").fill("sa1 1aa")
    page.get_by_label("School, nursery or college (optional)").fill("Ysgol Gynradd Tirdeunaw")
    _continue(page)

    # ...what the child finds hard
    _question(page, check_page, "What the child finds hard")
    page.get_by_label("Handwriting").check()
    page.get_by_label("Movement and coordination").check()
    page.get_by_label("Tell us more, in your own words (optional)").fill(
        "He finds holding a pencil tiring & falls over a lot <at playtime>."
    )
    _continue(page)

    # ...where the child spends their day
    _question(page, check_page, "Where the child spends their day")
    page.get_by_role("group", name="Where does the child spend most of their day?").get_by_label(
        "School", exact=True
    ).check()
    _continue(page)

    # ...who else is involved
    _question(page, check_page, "Who else is involved")
    page.get_by_label("Who else is helping the child? (optional)").fill("Our health visitor")
    _continue(page)

    # ...how to contact them
    _question(page, check_page, "Your contact details")
    page.get_by_label("Your first name").fill("Catrin")
    page.get_by_label("Your last name").fill("Rhys-Evans")
    page.get_by_label("Your relationship to the child").select_option(label="Mother")
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_label("Email address").fill("catrin@example.org")
    page.get_by_role("group", name="How should we contact you?").get_by_label("Email").check()
    page.get_by_role("group", name="Which language would you like us to use?").get_by_label(
        "English"
    ).check()
    _continue(page)

    # ...and agree, as the person with parental responsibility
    _question(page, check_page, "Agreement")
    page.get_by_label("I have parental responsibility for Gruffydd").check()
    _continue(page)

    # Then they check their answers, shown as they typed them
    expect(
        page.get_by_role("heading", level=1, name="Check your answers before sending your request")
    ).to_be_visible()
    answers = page.locator(".nhsuk-summary-list")
    expect(answers).to_contain_text("Gruffydd Rhys-Evans")
    expect(answers).to_contain_text("SA1 1AA")
    expect(answers).to_contain_text("Handwriting, Movement and coordination")
    expect(answers).to_contain_text("falls over a lot <at playtime>.")
    check_page()

    # ...and, as a parent might, leave the same page open in a second tab
    second_tab = page.context.new_page()
    second_tab.goto("/request-help/check/")
    expect(second_tab.get_by_role("button", name="Send request")).to_be_visible()

    # When they send the request, clicking twice
    page.get_by_role("button", name="Send request").dblclick()

    # Then they see the confirmation panel with their reference number
    expect(page.get_by_role("heading", level=1, name="Request sent")).to_be_visible()
    referral = Referral.objects.get()
    sent = f"Your reference number is {referral.reference}"
    expect(page.locator(".nhsuk-panel")).to_contain_text(sent)
    check_page()

    # When they send the same answers again from the second tab
    second_tab.get_by_role("button", name="Send request").click()

    # Then that tab confirms the same request, by the same reference
    expect(second_tab.get_by_role("heading", level=1, name="Request sent")).to_be_visible()
    expect(second_tab.locator(".nhsuk-panel")).to_contain_text(sent)
    second_tab.close()

    # When they press the browser's back button
    page.go_back()

    # Then their answers are gone, so there is nothing to send twice: the form starts again
    _question(page, check_page, "Who is filling in this form?")
    expect(page.get_by_label("A parent or carer with parental responsibility")).not_to_be_checked()

    # When they go forward to the confirmation and reload it
    page.go_forward()
    expect(page.get_by_role("heading", level=1, name="Request sent")).to_be_visible()
    page.reload()
    expect(page.locator(".nhsuk-panel")).to_contain_text(sent)
    check_page()

    # Then there is still exactly one request
    assert Referral.objects.count() == 1
    referral = Referral.objects.get()
    assert referral.status == Status.RECEIVED
    assert referral.child.postcode == "SA1 1AA"
    assert referral.reasons == ["handwriting", "movement"]

    # Given 23 days pass before triage (standing for the time the request waits in the office)
    referral.received_on = timezone.localdate() - dt.timedelta(days=23)
    referral.save(update_fields=["received_on"])

    # When an administrator logs in and opens Referrals
    _log_in(page, check_page, administrator, team)
    _menu_link(page, "Referrals").click()

    # Then they find the new request by the child's name, and open it
    expect(page.get_by_role("heading", level=1, name="Referrals")).to_be_visible()
    received = page.get_by_role("table", name="Referrals, oldest first")
    row = _row(received, "Rhys-Evans, Gruffydd")
    expect(row).to_contain_text("Parent or carer")
    expect(row).to_contain_text("Received")
    check_page()
    row.get_by_role("link", name=referral.reference).click()
    expect(
        page.get_by_role("heading", level=1, name=re.compile("Gruffydd Rhys-Evans"))
    ).to_be_visible()
    details = page.locator(".nhsuk-summary-list").first
    expect(details).to_contain_text("Request for help form")
    expect(details).to_contain_text("falls over a lot <at playtime>.")  # as typed, escaped
    check_page()
    _log_out(page)

    # When a clinician logs in and opens Triage
    _log_in(page, check_page, clinician, team)
    _menu_link(page, "Triage").click()
    expect(page.get_by_role("heading", level=1, name="Referrals awaiting triage")).to_be_visible()
    awaiting = page.get_by_role("table", name="Referrals awaiting triage, oldest first")
    row = _row(awaiting, "Rhys-Evans, Gruffydd")
    expect(row).to_contain_text("Handwriting, Movement and coordination")
    check_page()
    row.get_by_role("link", name=f"Triage {referral.reference}").click()

    # ...and answers the triage: moderate impact on handwriting and movement, low complexity
    expect(page.get_by_role("heading", level=1, name=re.compile("Triage$"))).to_be_visible()
    check_page()
    page.get_by_role("group", name="Handwriting").get_by_label("Moderate").check()
    page.get_by_role("group", name="Movement and coordination").get_by_label("Moderate").check()
    page.get_by_role("group", name="Complexity").get_by_label("Low: one area").check()
    page.get_by_role("button", name="See the recommendation").click()

    # Then the rules recommend targeted support, routine, and say why
    expect(page.get_by_role("heading", level=1, name=re.compile("Recommendation$"))).to_be_visible()
    summary = page.locator(".nhsuk-summary-list").first
    expect(summary).to_contain_text("Targeted")
    expect(summary).to_contain_text("Motor coordination")
    expect(summary).to_contain_text("Routine")
    factors = page.get_by_role("table", name="Each factor and what it added")
    expect(factors).to_contain_text("Handwriting")
    expect(factors).to_contain_text("+2")
    expect(factors).to_contain_text("+3")
    check_page()

    # When they accept the recommendation as it is
    targeted = page.get_by_label("Targeted: add to the waiting list")
    expect(targeted).to_be_checked()
    page.get_by_role("button", name="Record the decision").click()

    # Then the referral has left the triage list, added to the waiting list
    expect(page.get_by_role("heading", level=1, name="Referrals awaiting triage")).to_be_visible()
    expect(page.get_by_text(f"Referral {referral.reference}: targeted")).to_be_visible()
    expect(page.get_by_role("link", name=f"Triage {referral.reference}")).to_have_count(0)
    check_page()

    # When they open the waiting list
    _menu_link(page, "Waiting list").click()

    # Then the child waits there: targeted, 3 completed weeks
    expect(page.get_by_role("heading", level=1, name="Waiting list")).to_be_visible()
    waiting = page.get_by_role("table", name="Children on the waiting list")
    row = _row(waiting, "Rhys-Evans, Gruffydd")
    cells = row.get_by_role("cell")
    expect(cells.nth(1)).to_have_text("Rhys-Evans, Gruffydd")
    expect(cells.nth(2)).to_have_text("Targeted")
    expect(cells.nth(3)).to_have_text("Motor coordination")
    expect(cells.nth(4)).to_have_text("Routine")
    expect(cells.nth(5)).to_have_text("3")
    check_page()


def test_a_school_partner_refers_a_child_and_sees_only_its_status(
    page: Page,
    check_page: CheckPage,
    team: Team,
    partner: User,
    clinician: User,
) -> None:
    # Given a school partner, logged in
    _log_in(page, check_page, partner, team)

    # When they open My referrals and choose to refer a child
    _menu_link(page, "My referrals").click()
    expect(page.get_by_role("heading", level=1, name="My referrals")).to_be_visible()
    expect(page.get_by_text("You have not referred any children yet.")).to_be_visible()
    check_page()
    page.get_by_role("link", name="Refer a child").click()

    # ...and fill in the referral form
    expect(
        page.get_by_role("heading", level=1, name="Refer a child from your school or setting")
    ).to_be_visible()
    check_page()
    page.get_by_label("First name", exact=True).fill("Mali")
    page.get_by_label("Last name", exact=True).fill("Prosser")
    _fill_date(page, "Date of birth", _eight_years_old())
    page.get_by_label("Postcode").fill("SA6 8AB")
    page.get_by_role("group", name="Where do you work?").get_by_label("School").check()
    page.get_by_label("Name of your school or setting").fill("Ysgol Gynradd Tirdeunaw")
    page.get_by_label("Your role").fill("ALNCo")
    page.get_by_label("Handwriting").check()
    page.get_by_label("Movement and coordination").check()
    page.get_by_label("Describe what the child finds hard, in your own words").fill(
        "Mali cannot keep up with copying from the board."
    )
    page.get_by_role("group", name="Where does the child spend their day?").get_by_label(
        "School", exact=True
    ).check()
    page.get_by_label("Parent or carer's first name").fill("Rhian")
    page.get_by_label("Parent or carer's last name").fill("Prosser")
    page.get_by_label("Parent or carer's email").fill("rhian@example.org")
    page.get_by_label("A parent or carer with parental responsibility (or the young person").check()
    page.get_by_role("button", name="Send referral").click()

    # Then they see their referral, received
    expect(page.get_by_role("heading", level=1, name=re.compile("Mali Prosser"))).to_be_visible()
    referral = Referral.objects.get()
    expect(page.get_by_text(f"Thank you. Your reference is {referral.reference}")).to_be_visible()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Received")
    check_page()

    # Given 15 days pass (standing for the wait), then a clinician triages it to targeted
    referral.received_on = timezone.localdate() - dt.timedelta(days=15)
    referral.save(update_fields=["received_on"])
    decide(
        referral=referral,
        answers={
            "impact": {"handwriting": "moderate", "movement": "moderate"},
            "risks": [],
            "complexity": "low",
        },
        outcome="targeted",
        overrides={},
        reasons={},
        by=clinician,
        expected_version=referral.version,
    )

    # When the partner looks at My referrals again
    page.goto("/referrals/mine/")

    # Then they see it waiting, with the completed weeks waited
    expect(page.get_by_role("heading", level=1, name="My referrals")).to_be_visible()
    mine = page.get_by_role("table", name="Referrals you have made")
    row = _row(mine, "Mali Prosser")
    expect(row.get_by_role("cell").nth(3)).to_have_text("Waiting (2 completed weeks)")
    check_page()

    # ...and on the referral's own page, its status and nothing of the clinical triage
    row.get_by_role("link", name=referral.reference).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Mali Prosser"))).to_be_visible()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Waiting (2 completed weeks)")
    main = page.get_by_role("main")
    for clinical in ("Targeted", "Motor coordination", "Routine", "Moderate", "copying"):
        expect(main).not_to_contain_text(clinical)
    check_page()
