"""A commissioner opens the quarterly tables, sees a small count suppressed, downloads the
tables as a spreadsheet that matches the page, and cannot reach a child's record."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from sapling.accounts.models import Team, User
from sapling.reports.filters import Quarter
from tests.factories import PASSWORD, ChildFactory, LocalityFactory, ReferralFactory

pytestmark = pytest.mark.e2e


def test_a_commissioner_sees_suppressed_tables_downloads_them_and_cannot_reach_a_child(
    page: Page, check_page: Callable[[], None], team: Team, commissioner: User
) -> None:
    # Given 3 referrals in one locality and 20 in another last quarter
    quarter = Quarter.last_complete(timezone.localdate())
    small = LocalityFactory.create(team=team, name="Gorseinon")
    large = LocalityFactory.create(team=team, name="Morriston")
    child = None
    for locality, count in ((small, 3), (large, 20)):
        for _ in range(count):
            child = ChildFactory.create(team=team, locality=locality)
            ReferralFactory.create(
                team=team, child=child, received_on=quarter.start, status="universal"
            )
    assert child is not None

    # When the commissioner logs in and opens Quarterly tables from the menu
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(commissioner.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Quarterly tables").click()

    # Then the last complete quarter's tables show the small count as *
    expect(page.get_by_role("heading", level=1, name="Quarterly tables")).to_be_visible()
    expect(page.get_by_text(quarter.label).first).to_be_visible()
    by_locality = page.get_by_role("table", name="Referrals received, by locality")
    small_row = by_locality.get_by_role("row", name="Gorseinon")
    expect(small_row.get_by_role("cell").first).to_have_text("*")
    check_page()

    # When they download the tables as XLSX
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"All tables for {quarter.label} (XLSX").click()
    path = download_info.value.path()

    # Then the sheet for the table holds what the page shows
    workbook = load_workbook(io.BytesIO(path.read_bytes()))
    sheet = workbook["referrals-by-locality"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]}
    page_cells = small_row.get_by_role("cell").all_inner_texts()
    assert [str(v) for v in rows["Gorseinon"][: len(page_cells)]] == page_cells
    large_cells = by_locality.get_by_role("row", name="Morriston").get_by_role("cell")
    assert [str(v) for v in rows["Morriston"][:5]] == large_cells.all_inner_texts()

    # When they try to open a child's record
    page.goto(f"/children/{child.pk}/")

    # Then it is not found, and nothing of the child shows
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    expect(page.get_by_text(child.family_name)).to_have_count(0)
