"""The commissioner's quarterly tables: what each counts, suppression as a reader sees it,
the page, its downloads and the quarters offered."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sapling.accounts.models import Team, User
from sapling.areas.models import Lsoa
from sapling.reports import commissioner, disclosure
from sapling.reports.filters import Quarter
from sapling.reports.tables import Table
from tests.care.factories import EpisodeFactory
from tests.conftest import logged_in
from tests.factories import (
    ChildFactory,
    GPClusterFactory,
    GPPracticeFactory,
    LocalityFactory,
    ReferralFactory,
)
from tests.groups.factories import (
    AttendanceFactory,
    EnrolmentFactory,
    ProgrammeFactory,
    RunFactory,
    SessionFactory,
)
from tests.outcomes.factories import AdministrationFactory
from tests.reports.test_disclosure import disclosed
from tests.waitlist.factories import WaitlistEntryFactory

QUARTER = Quarter(2025, 3)  # 1 October to 31 December 2025
IN_QUARTER = dt.date(2025, 11, 3)


def by_column(counts: commissioner.Counts) -> Counter[str]:
    totals: Counter[str] = Counter()
    for (_place, column), n in counts.items():
        totals[column] += n
    return totals


def table(tables: commissioner.QuarterTables, slug: str) -> Table:
    return next(t for t in tables.tables if t.slug == slug)


def row(found: Table, label: str) -> tuple[Any, ...]:
    return next(r for r in found.rows if r[0] == label)[1:]


def referrals(team: Team, n: int, *, received_on: dt.date = IN_QUARTER, **child: Any) -> None:
    for _ in range(n):
        kid = ChildFactory.create(team=team, **child)
        ReferralFactory.create(team=team, child=kid, received_on=received_on, status="universal")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# --- What each measure counts -------------------------------------------------------------


def test_children_waiting_at_quarter_end_and_over_target_count_the_clock_on_the_last_day(
    team: Team,
) -> None:
    end = QUARTER.end  # 31 December 2025; the target is 14 weeks, 98 days
    WaitlistEntryFactory.create(team=team, clock_start=dt.date(2025, 6, 1))  # over
    WaitlistEntryFactory.create(  # seen after the quarter: still waiting on its last day
        team=team,
        tier="specialist",
        clock_start=dt.date(2025, 12, 1),
        clock_stopped_on=dt.date(2026, 1, 10),
        status="seen",
    )
    WaitlistEntryFactory.create(  # exactly 14 completed weeks: over
        team=team, tier="specialist", clock_start=end - dt.timedelta(days=98)
    )
    WaitlistEntryFactory.create(  # 13 weeks and 6 days: within
        team=team, tier="specialist", clock_start=end - dt.timedelta(days=97)
    )
    WaitlistEntryFactory.create(  # seen in the quarter
        team=team,
        clock_start=dt.date(2025, 9, 1),
        clock_stopped_on=dt.date(2025, 11, 15),
        status="seen",
    )
    WaitlistEntryFactory.create(  # left the list in the quarter
        team=team, clock_start=dt.date(2025, 9, 1), ended_on=dt.date(2025, 12, 1), status="ended"
    )
    WaitlistEntryFactory.create(team=team, clock_start=dt.date(2026, 1, 5))  # after

    counted = commissioner.count_measures(team, QUARTER)

    assert by_column(counted["waiting"]) == {"targeted": 1, "specialist": 3}
    assert by_column(counted["waiting-over-target"]) == {"targeted": 1, "specialist": 1}
    assert by_column(counted["seen"]) == {"targeted": 1}


def test_referrals_count_by_where_triage_sent_them_in_the_quarter_received(team: Team) -> None:
    ReferralFactory.create(team=team, received_on=IN_QUARTER, status="universal")
    WaitlistEntryFactory.create(team=team, referral__received_on=IN_QUARTER, tier="specialist")
    ReferralFactory.create(team=team, received_on=IN_QUARTER, status="declined")
    ReferralFactory.create(team=team, received_on=IN_QUARTER)  # not yet triaged
    ReferralFactory.create(team=team, received_on=dt.date(2025, 9, 30), status="universal")

    counted = commissioner.count_measures(team, QUARTER)

    assert by_column(counted["referrals"]) == {"universal": 1, "specialist": 1, "other": 2}


def test_group_places_count_each_place_attended_in_the_quarter_once(team: Team) -> None:
    universal = RunFactory.create(programme=ProgrammeFactory.create(team=team))
    targeted = RunFactory.create(
        programme=ProgrammeFactory.create(team=team, tier="targeted", audience="parents")
    )
    sessions = [
        SessionFactory.create(run=universal, starts_at=at(IN_QUARTER)),
        SessionFactory.create(run=universal, starts_at=at(IN_QUARTER + dt.timedelta(days=7))),
    ]
    teacher = EnrolmentFactory.create(run=universal)
    for session in sessions:  # two sessions, one place
        AttendanceFactory.create(enrolment=teacher, session=session)
    AttendanceFactory.create(
        enrolment=EnrolmentFactory.create(run=universal), session=sessions[0], mark="apologies"
    )
    child_place = EnrolmentFactory.create(
        run=targeted, child=ChildFactory.create(team=team), participant_email=""
    )
    AttendanceFactory.create(
        enrolment=child_place, session=SessionFactory.create(run=targeted, starts_at=at(IN_QUARTER))
    )
    before = EnrolmentFactory.create(
        run=targeted, child=ChildFactory.create(team=team), participant_email=""
    )
    AttendanceFactory.create(
        enrolment=before,
        session=SessionFactory.create(run=targeted, starts_at=at(dt.date(2025, 9, 30), 20)),
    )

    counted = commissioner.count_measures(team, QUARTER)["group-places"]

    assert by_column(counted) == {"universal": 1, "targeted": 1}
    adult = [place for place, _c in counted if not place.child]
    assert len(adult) == 1


def test_outcome_measures_count_those_completed_in_the_quarter_by_what_they_measure(
    team: Team,
) -> None:
    episode = EpisodeFactory.create(team=team)
    AdministrationFactory.create(
        team=team,
        child=episode.child,
        episode=episode,
        status="completed",
        completed_at=at(IN_QUARTER),
    )
    run = RunFactory.create(programme=ProgrammeFactory.create(team=team, tier="targeted"))
    AdministrationFactory.create(
        team=team, run=run, status="completed", completed_at=at(IN_QUARTER)
    )
    AdministrationFactory.create(
        team=team, run=run, status="completed", completed_at=at(dt.date(2026, 1, 2))
    )
    AdministrationFactory.create(team=team, run=run, status="sent")

    counted = commissioner.count_measures(team, QUARTER)["outcome-measures"]

    assert by_column(counted) == {"specialist": 1, "groups": 1}


# --- Breakdowns and suppression -----------------------------------------------------------


def test_small_counts_are_starred_and_the_next_smallest_hidden_so_the_total_gives_nothing_away(
    team: Team,
) -> None:
    a, b, c = (LocalityFactory.create(team=team, name=name) for name in ("Afan", "Bryn", "Cwm"))
    referrals(team, 9, locality=a)
    referrals(team, 3, locality=b)
    referrals(team, 8, locality=c)

    tables = commissioner.quarter_tables(team, QUARTER)
    found = table(tables, "referrals-by-locality")

    # Universal, targeted, specialist, other, total
    assert row(found, "Afan") == (10, 0, 0, 0, 10)
    assert row(found, "Bryn") == ("*", 0, 0, 0, "*")
    # 3 alone would be 20 - 9 - 8; the next smallest, Cwm's 8, is hidden with it.
    assert row(found, "Cwm") == ("*", 0, 0, 0, "*")
    assert row(found, "Total") == (20, 0, 0, 0, 20)
    assert "fewer than 8" not in found.summary and "about 20" in found.summary


def test_local_authority_comes_from_the_childs_area_and_gp_cluster_from_their_practice(
    team: Team,
) -> None:
    # A made-up code: the real areas may be loaded by another test in the same run.
    Lsoa.objects.create(code="W01099999", name="Swansea 999A", local_authority="Swansea")
    cluster = GPClusterFactory.create(team=team, name="Penderi")
    in_cluster = GPPracticeFactory.create(team=team, cluster=cluster)
    no_cluster = GPPracticeFactory.create(team=team)
    referrals(team, 20, area_status="known", lsoa_code="W01099999", gp_practice=in_cluster)
    referrals(team, 10, area_status="ambiguous", gp_practice=no_cluster)
    referrals(team, 10)

    tables = commissioner.quarter_tables(team, QUARTER)

    by_area = table(tables, "referrals-by-local-authority")
    assert row(by_area, "Swansea")[-1] == 20
    assert row(by_area, "Unknown or ambiguous area")[-1] == 20
    by_cluster = table(tables, "referrals-by-gp-cluster")
    assert row(by_cluster, "Penderi")[-1] == 20
    assert row(by_cluster, "Practice not in a cluster")[-1] == 10
    assert row(by_cluster, "No GP practice recorded")[-1] == 10


def test_the_share_waiting_over_target_comes_from_published_counts_and_hides_with_them(
    team: Team,
) -> None:
    long_ago, lately = dt.date(2025, 5, 1), dt.date(2025, 12, 1)  # over and within 14 weeks
    for name, starts in (
        ("Afan", [long_ago] * 9 + [lately] * 11),
        ("Bryn", [long_ago]),
        ("Cwm", [long_ago] * 8),
    ):
        locality = LocalityFactory.create(team=team, name=name)
        for start in starts:
            WaitlistEntryFactory.create(
                team=team, clock_start=start, referral__child__locality=locality
            )

    found = table(commissioner.quarter_tables(team, QUARTER), "waiting-over-target-by-locality")

    # Targeted, specialist, total, share of children waiting
    assert row(found, "Bryn") == ("*", 0, "*", "*")
    assert row(found, "Cwm") == ("*", 0, "*", "*")  # 8, hidden so Bryn's 1 stays hidden
    # 9 of 20 waiting, shown as 10 of 20: 50%, from the published counts (45% from the
    # true ones would give a reader exact counts to subtract).
    assert row(found, "Afan") == (10, 0, 10, Decimal("50"))


def test_no_subtraction_recovers_a_hidden_cell_of_a_real_quarters_tables(team: Team) -> None:
    localities = [LocalityFactory.create(team=team, name=n) for n in ("Afan", "Bryn", "Cwm")]
    cluster = GPClusterFactory.create(team=team)
    practice = GPPracticeFactory.create(team=team, cluster=cluster)
    for n, locality in zip((2, 9, 14), localities, strict=True):
        referrals(team, n, locality=locality, gp_practice=practice)
        for i in range(n):
            WaitlistEntryFactory.create(
                team=team,
                tier="specialist" if i % 3 else "targeted",
                clock_start=dt.date(2025, 4, 1) + dt.timedelta(days=20 * i),
                referral__child__locality=locality,
            )

    found = commissioner.quarter_counts(team, QUARTER)
    published = disclosure.publish(found.counts, found.equations)

    assert disclosure.SUPPRESSED in published.values()
    assert not disclosed(published, found.equations)
    primary_only = {cell: disclosure.show_count(n) for cell, n in found.counts.items()}
    assert disclosed(primary_only, found.equations)


# --- The page and its downloads -----------------------------------------------------------


@pytest.fixture
def last_quarter() -> Quarter:
    return Quarter.last_complete(timezone.localdate())


@pytest.fixture
def as_commissioner(commissioner: User) -> Client:
    return logged_in(commissioner)


def test_a_commissioner_sees_the_last_complete_quarter_with_small_counts_starred(
    team: Team, as_commissioner: Client, last_quarter: Quarter
) -> None:
    locality = LocalityFactory.create(team=team, name="Afan")
    referrals(team, 3, received_on=last_quarter.start, locality=locality)

    response = as_commissioner.get(reverse("reports:show_commissioner_tables"))

    assert response.status_code == 200
    page = response.content.decode()
    assert last_quarter.label in page
    assert "Referrals received, by locality" in page
    assert '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">*</td>' in page
    assert "<p>* = 1 to 7, or hidden so that it cannot be worked out" in page
    assert "&lt;p&gt;" not in page


def test_the_quarter_picker_offers_only_quarters_with_data(
    team: Team, as_commissioner: Client, last_quarter: Quarter
) -> None:
    first = last_quarter.previous().previous()
    referrals(team, 1, received_on=first.start)

    response = as_commissioner.get(reverse("reports:show_commissioner_tables"))

    options = response.content.decode().count("<option")
    assert options == 3
    earlier = as_commissioner.get(
        reverse("reports:show_commissioner_tables"), {"quarter": first.previous().slug}
    )
    assert earlier.status_code == 400
    assert "Choose a quarter from the list" in earlier.content.decode()
    chosen = as_commissioner.get(
        reverse("reports:show_commissioner_tables"), {"quarter": first.slug}
    )
    assert chosen.status_code == 200
    assert first.label in chosen.content.decode()


def test_a_team_with_no_referrals_is_offered_the_last_complete_quarter(team: Team) -> None:
    today = dt.date(2026, 11, 26)
    assert commissioner.available_quarters(team, today=today) == [Quarter(2026, 2)]


def test_downloads_refuse_an_unknown_format_or_a_quarter_not_offered(
    as_commissioner: Client, last_quarter: Quarter
) -> None:
    url = "reports:download_commissioner_tables"
    assert as_commissioner.get(reverse(url, args=[last_quarter.slug, "pdf"])).status_code == 404
    assert (
        as_commissioner.get(reverse(url, args=[last_quarter.next().slug, "csv"])).status_code == 404
    )
    assert as_commissioner.get(reverse(url, args=["2025-q9", "csv"])).status_code == 404


def test_the_xlsx_download_holds_the_tables_the_page_shows(
    team: Team, as_commissioner: Client, last_quarter: Quarter
) -> None:
    referrals(team, 3, received_on=last_quarter.start)
    referrals(team, 12, received_on=last_quarter.end)
    tables = commissioner.quarter_tables(team, last_quarter).tables

    response = as_commissioner.get(
        reverse("reports:download_commissioner_tables", args=[last_quarter.slug, "xlsx"])
    )

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == len(tables)
    for sheet, shown in zip(workbook.worksheets, tables, strict=True):
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert values[0][0] == shown.title
        body = [tuple(r[: len(shown.columns)]) for r in values[2 : 2 + len(shown.rows)]]
        assert body == [tuple(r) for r in shown.rows]


def test_the_csv_download_has_a_titled_block_per_table(
    team: Team, as_commissioner: Client, last_quarter: Quarter
) -> None:
    referrals(team, 12, received_on=last_quarter.end)
    tables = commissioner.quarter_tables(team, last_quarter).tables

    response = as_commissioner.get(
        reverse("reports:download_commissioner_tables", args=[last_quarter.slug, "csv"])
    )

    text = response.content.decode()
    assert response["Content-Disposition"].endswith(f'quarterly-tables-{last_quarter.slug}.csv"')
    assert "1 to 7" in text.splitlines()[1]
    for shown in tables:
        assert f"\r\n{shown.title}\r\n" in text or f'\r\n"{shown.title}"\r\n' in text
    assert "Total,10,0,0,0,10" in text


def test_a_commissioner_sees_only_their_own_teams_counts(
    team: Team, other_team: Team, as_commissioner: Client, last_quarter: Quarter
) -> None:
    referrals(other_team, 40, received_on=last_quarter.start)

    response = as_commissioner.get(reverse("reports:show_commissioner_tables"))

    assert response.status_code == 200
    found = commissioner.quarter_tables(team, last_quarter)
    assert row(table(found, "referrals-by-locality"), "Total")[-1] == 0
    page = response.content.decode()
    assert f"Referrals received in {last_quarter.label}: none in all." in page
    assert "about 40" not in page


def test_the_tables_take_the_same_few_queries_however_many_children(
    team: Team, django_assert_num_queries: Any
) -> None:
    locality = LocalityFactory.create(team=team)
    referrals(team, 30, locality=locality, area_status="known", lsoa_code="W01099999")
    for _ in range(10):
        WaitlistEntryFactory.create(team=team, clock_start=dt.date(2025, 7, 1))
    commissioner.quarter_tables(team, QUARTER)  # report settings made on first use

    # Five GROUP BY queries, localities, clusters, areas and the report settings.
    with django_assert_num_queries(9):
        commissioner.quarter_tables(team, QUARTER)
