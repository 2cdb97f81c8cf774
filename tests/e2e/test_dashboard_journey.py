"""A lead reads the service dashboard: the charts drawn under the strict CSP, filtered to
one locality by keyboard, a table opened, its CSV downloaded and matching the page, and a
quarter's report to print. Hand-made sections give known figures (tests/reports)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from sapling.accounts.models import Team, User
from sapling.reports.filters import Quarter
from tests.e2e.conftest import filter_to_locality_by_keyboard, log_in
from tests.factories import ChildFactory, LocalityFactory, ReferralFactory
from tests.reports.dashboard_sections import use_hand_made_sections

pytestmark = pytest.mark.e2e


def _referrals(team: Team) -> None:
    """Three referrals in Swansea and two in Neath, in the last two months."""
    swansea = LocalityFactory.create(team=team, name="Swansea")
    neath = LocalityFactory.create(team=team, name="Neath")
    today = timezone.localdate()
    for days_ago, locality in ((5, swansea), (35, swansea), (36, swansea), (6, neath), (7, neath)):
        child = ChildFactory.create(team=team, locality=locality)
        ReferralFactory.create(
            team=team, child=child, received_on=today - dt.timedelta(days=days_ago)
        )


def test_a_lead_filters_the_dashboard_to_one_locality_and_downloads_the_data(
    page: Page,
    check_page: Callable[[], None],
    team: Team,
    lead: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_hand_made_sections(monkeypatch)
    _referrals(team)
    page.set_default_timeout(20_000)
    log_in(page, lead)

    # Given the dashboard, with Plotly's charts drawn and nothing refused by the CSP.
    page.goto(reverse("reports:show_dashboard"))
    expect(page.get_by_role("heading", level=1, name="Service dashboard")).to_be_visible()
    expect(page.locator("[data-report-chart].js-plotly-plot")).to_have_count(2, timeout=30_000)
    expect(page.locator("[data-report-chart] .main-svg").first).to_be_attached()
    expect(page.get_by_text("5 referrals in the period.").first).to_be_visible()
    check_page()

    # When the lead chooses Swansea and applies the filters, by keyboard only.
    filter_to_locality_by_keyboard(page, team.localities.get(name="Swansea"))

    # Then the figures are Swansea's, and the charts are drawn again.
    expect(page.get_by_text("3 referrals in the period.").first).to_be_visible()
    expect(page.get_by_text("5 referrals in the period.")).to_have_count(0)
    expect(page.locator("[data-report-chart].js-plotly-plot")).to_have_count(2, timeout=30_000)
    check_page()

    # The chart takes no focus; its table opens from the keyboard.
    focusable = "[data-report-chart] :is(a, button, input, [tabindex])"
    assert page.evaluate(f"document.querySelectorAll('{focusable}').length") == 0
    page.locator("summary").filter(has_text="Show the table: Referrals a month").focus()
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name="Referrals a month")
    expect(table).to_be_visible()
    shown = [
        [cell.inner_text().strip() for cell in row.locator("th, td").all()]
        for row in table.get_by_role("row").all()
    ]
    assert sum(int(row[1]) for row in shown[1:]) == 3
    check_page()

    # The CSV download holds the rows on the page, for Swansea.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download data for Referrals a month (CSV)").click()
    assert download.value.suggested_filename.startswith("sapling-referrals-by-month-")
    path = download.value.path()
    assert path is not None
    with open(path, encoding="utf-8") as file:
        assert list(csv.reader(file)) == shown

    # The quarter under way, ready to print: tables in place of charts, no navigation.
    quarter = Quarter.containing(timezone.localdate())
    page.get_by_role("link", name=f"{quarter.label} (").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"quarterly report, {quarter.label}"
    )
    expect(page.get_by_role("table", name="Referrals a month")).to_be_visible()
    expect(page.locator("[data-report-chart]")).to_have_count(0)
    check_page()
    page.emulate_media(media="print")
    expect(page.locator(".nhsuk-header")).to_be_hidden()
    expect(page.get_by_text("Use your browser's Print command")).to_be_hidden()
    expect(page.get_by_role("table", name="Referrals a month")).to_be_visible()
