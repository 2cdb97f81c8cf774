"""A lead opens the before-and-after comparison from the dashboard, filters it to one
locality by keyboard, and downloads its table, which matches the page."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from sapling.accounts.models import Team, User
from sapling.reports.dashboard_display import NO_FIGURE
from sapling.reports.models import ReportSettings
from tests.e2e.conftest import filter_to_locality_by_keyboard, log_in
from tests.factories import ChildFactory, LocalityFactory, ReferralFactory

pytestmark = pytest.mark.e2e


def _referrals(team: Team) -> None:
    """A redesign 100 days ago; in Swansea 2 referrals before it and 3 after, in Neath 4
    after."""
    today = timezone.localdate()
    ReportSettings.objects.create(
        team=team,
        service_change_date=today - dt.timedelta(days=100),
        service_change_label="Redesign",
    )
    ReferralFactory.create(team=team, received_on=today - dt.timedelta(days=700))
    swansea = LocalityFactory.create(team=team, name="Swansea")
    neath = LocalityFactory.create(team=team, name="Neath")
    for days_ago, n, locality in ((150, 2, swansea), (50, 3, swansea), (20, 4, neath)):
        for _ in range(n):
            child = ChildFactory.create(team=team, locality=locality)
            ReferralFactory.create(
                team=team, child=child, received_on=today - dt.timedelta(days=days_ago)
            )


def _value(cell: str) -> Decimal | str | None:
    """A cell as a number where it is one, whether shown ("50%", "1,234", a dash for none)
    or downloaded ("50.0", "1234", "")."""
    plain = cell.replace(",", "").removesuffix("%")
    if plain in ("", NO_FIGURE):
        return None
    try:
        return Decimal(plain)
    except InvalidOperation:
        return cell


def _rows(page: Page) -> list[list[str]]:
    table = page.get_by_role("table", name="Before and after the service change")
    return [
        [cell.inner_text().strip() for cell in row.locator("th, td").all()]
        for row in table.get_by_role("row").all()
    ]


def test_a_lead_compares_one_locality_before_and_after_the_change_and_downloads_it(
    page: Page, check_page: Callable[[], None], team: Team, lead: User
) -> None:
    _referrals(team)
    page.set_default_timeout(20_000)
    log_in(page, lead)

    # From the dashboard, the comparison is one link away.
    page.goto(reverse("reports:show_dashboard"))
    page.get_by_role("link", name="Compare the figures before and after the service change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Before and after the service change")
    expect(page.get_by_text("Compared over 101 days either side of")).to_be_visible()
    expect(page.get_by_text("(groups of 2 and 7)").first).to_be_visible()
    check_page()

    # Swansea, chosen and applied by keyboard.
    filter_to_locality_by_keyboard(page, team.localities.get(name="Swansea"))
    expect(page.get_by_text("(groups of 2 and 3)").first).to_be_visible()
    expect(page.get_by_text("(groups of 2 and 7)")).to_have_count(0)
    shown = _rows(page)
    referrals = next(row for row in shown if row[0] == "Referrals a month")
    assert referrals[-2:] == ["2", "3"]
    check_page()

    # The download is the table on the page (its raw values: no % sign, no dash for none).
    name = "Download data for Before and after the service change (CSV)"
    with page.expect_download() as download:
        page.get_by_role("link", name=name).click()
    today = timezone.localdate()
    assert download.value.suggested_filename == (
        f"sapling-before-after-{today - dt.timedelta(days=201):%Y-%m-%d}-to-{today:%Y-%m-%d}.csv"
    )
    path = download.value.path()
    assert path is not None
    with open(path, encoding="utf-8") as file:
        downloaded = list(csv.reader(file))
    assert downloaded[0] == shown[0]
    assert [[_value(cell) for cell in row] for row in downloaded[1:]] == [
        [_value(cell) for cell in row] for row in shown[1:]
    ]
