"""The lead's service dashboard: filters, every table as a chart, a table and downloads,
and the printable quarterly report; built on hand-made sections with known figures."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from sapling.accounts.models import Team, User
from sapling.children import records
from sapling.children.models import Child
from sapling.reports import sections
from sapling.reports.dashboard_display import NO_FIGURE
from sapling.reports.filters import Filters, Quarter
from sapling.reports.tables import ChartSpec, Column, Section, Table
from tests.conftest import logged_in
from tests.factories import ChildFactory, LocalityFactory, ReferralFactory
from tests.groups.factories import ProgrammeFactory
from tests.reports.dashboard_sections import use_hand_made_sections

URL = reverse("reports:show_dashboard")
CAPTION = '<caption class="nhsuk-table__caption nhsuk-table__caption--s">'
NUMERIC_HEADER = "nhsuk-table__header nhsuk-table__header--numeric"


@pytest.fixture(autouse=True)
def hand_made(monkeypatch: pytest.MonkeyPatch) -> None:
    use_hand_made_sections(monkeypatch)


def _referrals(team: Team) -> tuple[int, int]:
    """Three referrals in Swansea and one in Neath within the last year, one too old."""
    swansea = LocalityFactory.create(team=team, name="Swansea")
    neath = LocalityFactory.create(team=team, name="Neath")
    today = timezone.localdate()
    for days_ago, locality in (
        (10, swansea),
        (40, swansea),
        (41, swansea),
        (50, neath),
        (400, neath),
    ):
        child = ChildFactory.create(team=team, locality=locality)
        ReferralFactory.create(
            team=team, child=child, received_on=today - dt.timedelta(days=days_ago)
        )
    return swansea.pk, neath.pk


def _dates(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def _chart_data(html: str) -> Any:
    match = re.search(
        r'<script type="application/json" id="report-chart-data">(.*?)</script>', html
    )
    assert match, "the page has no chart data"
    return json.loads(match[1])


@pytest.mark.django_db
def test_the_lead_sees_every_section_for_the_last_twelve_months(lead: User, team: Team) -> None:
    _referrals(team)
    html = logged_in(lead).get(URL).content.decode()
    today = timezone.localdate()
    assert f"to {today:%-d %B %Y}" in html
    assert "4 referrals in the period." in html  # the one 400 days ago is outside
    assert "Demand: 4 referrals in the period." in html  # the section's own summary
    # At a glance: each section's first table's summary; none for a section without tables.
    glance = html[html.index("At a glance") : html.index("Filter the figures")]
    keys = re.findall(r'summary-list__key[^"]*"\s*>\s*(.*?)\s*</dt>', glance)
    values = re.findall(r'summary-list__value[^"]*"\s*>\s*(.*?)\s*</dd>', glance)
    assert list(zip(keys, values, strict=True)) == [
        ("Demand", "4 referrals in the period."),
        ("Waiting", "The median wait rose from 6.5 to 7.0 weeks."),
    ]
    assert 'id="section-demand-heading">Demand' in html
    assert "Training and groups" in html and "No figures in this section yet." in html
    assert "Counted by the date each referral was received." in html
    assert "docs/metrics.md" in html


@pytest.mark.django_db
def test_each_chart_has_its_data_a_text_summary_and_a_table(lead: User, team: Team) -> None:
    _referrals(team)
    html = logged_in(lead).get(URL).content.decode()
    charts = _chart_data(html)
    assert charts["median-wait"] == {
        "kind": "line",
        "stacked": False,
        "x": ["2026-01-05", "2026-01-12", "2026-01-19"],
        "x_title": "Week",
        "y_title": "",
        "series": [
            {
                "name": "Median wait (weeks)",
                "y": [6.5, None, 7.0],
                "low": [4.0, None, 5.0],
                "high": [9.0, None, 10.0],
            },
            {"name": "Within target", "y": [81.4, None, 78.0]},
        ],
    }
    assert (
        '<div class="sapling-report-chart" data-report-chart="median-wait" aria-hidden="true">'
        in html
    )
    assert "Show the table: Median wait by week" in html
    assert f"{CAPTION}Median wait by week</caption>" in html
    assert f'<th scope="col" class="{NUMERIC_HEADER}">Within target</th>' in html
    assert '<th scope="row" class="nhsuk-table__header">12 Jan 2026</th>' in html
    # No figure is a dash in the table and a gap in the chart; percentages as people write them.
    assert f">{NO_FIGURE}</td>" in html
    assert ">81.4%</td>" in html and ">78%</td>" in html and ">6.5</td>" in html
    assert "The median wait rose from 6.5 to 7.0 weeks." in html


@pytest.mark.django_db
def test_filtering_to_one_locality_narrows_the_figures_and_the_downloads(
    lead: User, team: Team
) -> None:
    swansea, _neath = _referrals(team)
    response = logged_in(lead).get(URL, {"locality": str(swansea), "tier": "specialist"})
    html = response.content.decode()
    assert "3 referrals in the period." in html
    assert "nhsuk-error-summary" not in html
    csv_link = reverse("reports:download_dashboard_table", args=["referrals-by-month", "csv"])
    assert f'href="{csv_link}?locality={swansea}&amp;tier=specialist"' in html
    assert re.search(rf"<option value=\"{swansea}\"\s+selected[^>]*>\s*Swansea", html), html[
        html.find('locality"') :
    ][:600]


@pytest.mark.django_db
def test_a_child_who_moves_locality_is_counted_in_their_new_one(lead: User, team: Team) -> None:
    swansea, neath = _referrals(team)
    moving = Child.objects.filter(locality_id=swansea).first()
    assert moving is not None
    records.update_child(child=moving, expected_version=moving.version, by=lead, locality_id=neath)
    client = logged_in(lead)
    in_swansea = client.get(URL, {"locality": str(swansea)}).content.decode()
    in_neath = client.get(URL, {"locality": str(neath)}).content.decode()
    assert "2 referrals in the period." in in_swansea
    assert "2 referrals in the period." in in_neath


@pytest.mark.django_db
def test_a_period_narrows_the_figures(lead: User, team: Team) -> None:
    _referrals(team)
    today = timezone.localdate()
    query = _dates("date_from", today - dt.timedelta(days=45)) | _dates(
        "date_to", today - dt.timedelta(days=20)
    )
    html = logged_in(lead).get(URL, query).content.decode()
    assert "2 referrals in the period." in html
    assert f"from {today - dt.timedelta(days=45):%-d %B %Y}" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": 20, "date_to": 30}, "The start date must be on or before the end date"),
        ({"date_from": -3}, "The start date must be today or in the past"),
        ({"date_to": -3}, "The end date must be today or in the past"),
        ({"locality": "999999"}, "Choose a locality from the list"),
        ({"tier": "everything"}, "Choose a tier from the list"),
        ({"programme": "999999"}, "Choose a programme from the list"),
    ],
)
@pytest.mark.django_db
def test_bad_filters_are_explained_and_the_default_figures_shown(
    lead: User, team: Team, query: dict[str, int | str], message: str
) -> None:
    _referrals(team)
    today = timezone.localdate()
    params: dict[str, str] = {}
    for name, value in query.items():
        if name.startswith("date"):
            params |= _dates(name, today - dt.timedelta(days=int(value)))
        else:
            params[name] = str(value)
    html = logged_in(lead).get(URL, params).content.decode()
    assert "nhsuk-error-summary" in html
    assert message in html
    assert "4 referrals in the period." in html  # the last 12 months, everything
    csv_link = reverse("reports:download_dashboard_table", args=["referrals-by-month", "csv"])
    assert f'href="{csv_link}"' in html  # downloads carry no bad filters


@pytest.mark.django_db
def test_another_teams_locality_and_programme_are_not_offered(
    lead: User, team: Team, other_team: Team
) -> None:
    theirs = LocalityFactory.create(team=other_team, name="Cardiff")
    programme = ProgrammeFactory.create(team=other_team, name="Their handwriting group")
    ProgrammeFactory.create(team=team, name="Our sensory group")
    html = logged_in(lead).get(URL).content.decode()
    assert "Cardiff" not in html and "Their handwriting group" not in html
    assert "Our sensory group" in html
    refused = logged_in(lead).get(URL, {"locality": str(theirs.pk), "programme": str(programme.pk)})
    assert "Choose a locality from the list" in refused.content.decode()


@pytest.mark.django_db
def test_the_page_links_to_settings_quarterly_tables_and_quarters_to_print(
    lead: User, team: Team
) -> None:
    html = logged_in(lead).get(URL).content.decode()
    assert reverse("reports:edit_report_settings") in html
    assert reverse("reports:show_commissioner_tables") in html
    last = Quarter.last_complete(timezone.localdate())
    assert reverse("reports:print_quarter", args=[last.slug]) in html
    assert f"{last.label} ({last.start:%-d %B %Y} to {last.end:%-d %B %Y})" in html


@pytest.mark.django_db
def test_a_quarters_report_shows_that_quarter_with_tables_not_charts(
    lead: User, team: Team
) -> None:
    _referrals(team)
    quarter = Quarter.containing(timezone.localdate() - dt.timedelta(days=40))
    in_quarter = sum(
        quarter.start <= timezone.localdate() - dt.timedelta(days=d) <= quarter.end
        for d in (10, 40, 41, 50, 400)
    )
    response = logged_in(lead).get(reverse("reports:print_quarter", args=[quarter.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{escape(team.name)}: quarterly report, {quarter.label}" in html
    assert f"Produced on {timezone.localdate():%-d %B %Y}" in html
    assert f"{in_quarter} referrals in the period." in html
    assert "data-report-chart" not in html and "plotly" not in html
    assert "Download data" not in html
    hidden = CAPTION.replace('--s"', '--s nhsuk-u-visually-hidden"')
    assert f"{hidden}Referrals a month</caption>" in html  # under its own heading
    assert "report-charts.css" in html


@pytest.mark.parametrize("slug", ["2026-q5", "q3-2026", "0000-q1", "9999-q4"])
@pytest.mark.django_db
def test_a_bad_or_future_quarter_is_not_found(lead: User, slug: str) -> None:
    assert logged_in(lead).get(reverse("reports:print_quarter", args=[slug])).status_code == 404


@pytest.mark.django_db
def test_only_a_lead_sees_the_dashboard(clinician: User, commissioner: User) -> None:
    assert logged_in(clinician).get(URL).status_code == 404
    assert logged_in(commissioner).get(URL).status_code == 404


@pytest.mark.django_db
def test_the_page_adds_no_query_for_each_locality_or_programme(
    lead: User, team: Team, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    """The sections' own queries are theirs to keep few; the page's form adds a fixed
    number whatever the size of the team."""
    monkeypatch.setattr(sections, "SECTIONS", ())
    client = logged_in(lead)
    LocalityFactory.create(team=team)
    client.get(URL)  # the session and the team, once
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    LocalityFactory.create_batch(5, team=team)
    ProgrammeFactory.create_batch(5, team=team)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_a_table_with_no_rows_says_so_with_no_chart_or_download(
    lead: User, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = Table(
        slug="empty-table",
        title="Nothing yet",
        columns=(Column("month", "Month", "text"), Column("n", "Count")),
        rows=(),
        summary="No runs in the period.",
        chart=ChartSpec("bar", x="month", series=("n",)),
    )

    def only_empty(team: Team, filters: Filters, *, today: dt.date) -> Section:
        return Section("groups", "Training and groups", (empty,))

    monkeypatch.setattr(sections, "SECTIONS", (only_empty,))
    html = logged_in(lead).get(URL).content.decode()
    assert "No runs in the period." in html and "No figures for this period." in html
    assert "data-report-chart" not in html and "report-chart-data" not in html
    assert "plotly.min.js" not in html
    assert "empty-table.csv" not in html
