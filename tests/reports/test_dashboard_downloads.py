"""Each dashboard table downloads as CSV or XLSX with the page's filters: the rows are the
rows the page shows for the same filters."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sapling.accounts.models import Team, User
from sapling.reports import sections
from sapling.reports.filters import Filters
from sapling.reports.tables import Section
from tests.conftest import logged_in
from tests.factories import ChildFactory, LocalityFactory, ReferralFactory
from tests.reports.dashboard_sections import (
    demand_section,
    use_hand_made_sections,
    waiting_section,
)


@pytest.fixture(autouse=True)
def hand_made(monkeypatch: pytest.MonkeyPatch) -> None:
    use_hand_made_sections(monkeypatch)


def _url(slug: str, file_format: str) -> str:
    return reverse("reports:download_dashboard_table", args=[slug, file_format])


def _referrals(team: Team) -> int:
    """Two referrals in Swansea in one month, one in Neath in another; returns Swansea's id."""
    swansea = LocalityFactory.create(team=team, name="Swansea")
    neath = LocalityFactory.create(team=team, name="Neath")
    today = timezone.localdate()
    first = today.replace(day=1) - dt.timedelta(days=1)  # the last day of last month
    for day, locality in (
        (first, swansea),
        (first - dt.timedelta(days=1), swansea),
        (first.replace(day=1) - dt.timedelta(days=1), neath),
    ):
        child = ChildFactory.create(team=team, locality=locality)
        ReferralFactory.create(team=team, child=child, received_on=day)
    return swansea.pk


def _page_rows(html: str, caption: str) -> list[list[str]]:
    """The rows of the page's table with this caption, as text."""
    table = html[html.index(f'--s">{caption}</caption>') :]
    body = table[table.index("<tbody") : table.index("</tbody>")]
    return [
        [cell.strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.django_db
def test_the_csv_matches_the_page_for_the_same_filters(lead: User, team: Team) -> None:
    swansea = _referrals(team)
    client = logged_in(lead)
    for query in ({}, {"locality": str(swansea)}):
        page = client.get(reverse("reports:show_dashboard"), query).content.decode()
        response = client.get(_url("referrals-by-month", "csv"), query)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == ["Month", "Referrals"]
        assert rows[1:] == _page_rows(page, "Referrals a month")
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    assert rows[1:] == [[last_month, "2"]]  # Swansea only: Neath's month is gone


@pytest.mark.django_db
def test_the_xlsx_holds_the_same_rows_titled_and_with_notes(lead: User, team: Team) -> None:
    swansea = _referrals(team)
    response = logged_in(lead).get(_url("referrals-by-month", "xlsx"), {"locality": str(swansea)})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    assert values[:3] == [["Referrals a month", None], ["Month", "Referrals"], [last_month, 2]]
    assert values[-1][0] == "Counted by the date each referral was received."


@pytest.mark.django_db
def test_the_file_is_named_for_the_table_and_the_period(lead: User, team: Team) -> None:
    today = timezone.localdate()
    default = Filters.last_twelve_months(today)
    response = logged_in(lead).get(_url("referrals-by-month", "csv"))
    expected = f"sapling-referrals-by-month-{default.date_from:%Y-%m-%d}-to-{today:%Y-%m-%d}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    query = {
        "date_from_day": "1",
        "date_from_month": "4",
        "date_from_year": "2025",
        "date_to_day": "30",
        "date_to_month": "6",
        "date_to_year": "2025",
    }
    response = logged_in(lead).get(_url("median-wait", "xlsx"), query)
    assert (
        'filename="sapling-median-wait-2025-04-01-to-2025-06-30.xlsx"'
        in response["Content-Disposition"]
    )


@pytest.mark.django_db
def test_a_none_is_an_empty_cell_in_the_csv(lead: User) -> None:
    rows = list(
        csv.reader(io.StringIO(logged_in(lead).get(_url("median-wait", "csv")).content.decode()))
    )
    assert rows[2] == ["2026-01-12", "", "", "", ""]
    assert rows[1] == ["2026-01-05", "6.5", "4", "9", "81.4"]


@pytest.mark.parametrize(
    ("slug", "file_format"), [("no-such-table", "csv"), ("referrals-by-month", "pdf")]
)
@pytest.mark.django_db
def test_an_unknown_table_or_format_is_not_found(lead: User, slug: str, file_format: str) -> None:
    assert logged_in(lead).get(_url(slug, file_format)).status_code == 404


@pytest.mark.django_db
def test_bad_filters_give_the_page_with_the_problem_not_a_file(lead: User) -> None:
    response = logged_in(lead).get(_url("referrals-by-month", "csv"), {"tier": "everything"})
    assert response.status_code == 400
    assert "Choose a tier from the list" in response.content.decode()
    assert "Content-Disposition" not in response


@pytest.mark.django_db
def test_only_a_lead_downloads(clinician: User, commissioner: User) -> None:
    for user in (clinician, commissioner):
        assert logged_in(user).get(_url("referrals-by-month", "csv")).status_code == 404


@pytest.mark.django_db
def test_a_download_works_out_only_the_sections_up_to_its_table(
    lead: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    worked_out: list[str] = []

    def later_section(team: Team, filters: Filters, *, today: dt.date) -> Section:
        worked_out.append("waiting")
        return waiting_section(team, filters, today=today)

    monkeypatch.setattr(sections, "SECTIONS", (demand_section, later_section))
    client = logged_in(lead)

    assert client.get(_url("referrals-by-month", "csv")).status_code == 200
    assert worked_out == []
    assert client.get(_url("median-wait", "csv")).status_code == 200
    assert worked_out == ["waiting"]
