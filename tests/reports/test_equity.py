"""Reach and equity on hand-made areas, populations and children with known answers.

The areas here use made-up codes and a made-up 2031 edition of each index, so the tests
give the same answers whether or not the real area files are loaded in the same session.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from sapling.accounts.models import Locality, Team
from sapling.areas.models import ChildPopulation, DeprivationIndex, DeprivationRank, Lsoa
from sapling.children.models import Child
from sapling.reports import equity
from sapling.reports.filters import Filters
from sapling.reports.models import ReportSettings
from sapling.reports.tables import Table
from tests.care.factories import AppointmentFactory, EpisodeFactory
from tests.factories import ChildFactory, LocalityFactory, TeamFactory
from tests.groups.factories import (
    AttendanceFactory,
    EnrolmentFactory,
    ProgrammeFactory,
    RunFactory,
    SessionFactory,
)
from tests.outcomes.factories import GasGoalFactory
from tests.reports.table_rows import row
from tests.waitlist.factories import WaitlistEntryFactory

TODAY = dt.date(2026, 6, 30)
PERIOD = Filters(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
WALES = "wimd2031"
ENGLAND = "imd2031"
# One made-up area per quintile in "Testshire", and a most deprived area outside it.
AREAS = {f"W0190000{q}": q for q in range(1, 6)}
ELSEWHERE = "W01900009"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def areas(db: None) -> None:
    wales = DeprivationIndex.objects.create(
        key=WALES, name="WIMD 2031", nation="wales", edition=2031, lsoa_prefix="W01"
    )
    DeprivationIndex.objects.create(
        key=ENGLAND, name="IMD 2031", nation="england", edition=2031, lsoa_prefix="E01"
    )
    for code, quintile in [*AREAS.items(), (ELSEWHERE, 1)]:
        authority = "Elsewhere" if code == ELSEWHERE else "Testshire"
        Lsoa.objects.create(code=code, name=code, local_authority=authority)
        DeprivationRank.objects.create(
            index=wales, lsoa_code=code, rank=quintile, decile=quintile * 2, quintile=quintile
        )
    # 20 children of each age 0-17 in quintile 1's area (360), 10 of each in the others
    # (180 each), at mid-2030; an older year and 18-year-olds are never counted.
    for code, quintile in AREAS.items():
        for age in range(18):
            ChildPopulation.objects.create(
                lsoa_code=code,
                mid_year=2030,
                age=age,
                count=20 if quintile == 1 else 10,
                source="t",
            )
        ChildPopulation.objects.create(lsoa_code=code, mid_year=2030, age=18, count=50, source="t")
        ChildPopulation.objects.create(lsoa_code=code, mid_year=2029, age=5, count=999, source="t")


@pytest.fixture
def welsh_team(areas: None) -> Team:
    team = TeamFactory.create(name="Testshire Children's OT", nation="wales")
    ReportSettings.objects.create(team=team, catchment_local_authorities=["Testshire"])
    return team


def living_in(team: Team, quintile: int | None, **fields: Any) -> Child:
    """A child known to live in this quintile's Testshire area."""
    area: dict[str, Any] = {}
    if quintile is not None:
        area = {
            "area_status": "known",
            "lsoa_code": f"W0190000{quintile}",
            "deprivation_index": WALES,
            "deprivation_quintile": quintile,
        }
    return ChildFactory.create(team=team, **(area | fields))


def attends_group(child: Child, day: dt.date, *, mark: str = "attended", **run: Any) -> None:
    run_made = RunFactory.create(programme__team=child.team, **run)
    enrolment = EnrolmentFactory.create(
        run=run_made, child=child, participant_name="", participant_email=""
    )
    session = SessionFactory.create(run=run_made, starts_at=at(day), ends_at=at(day, 11))
    AttendanceFactory.create(enrolment=enrolment, session=session, mark=mark)


def has_contact(child: Child, day: dt.date, *, outcome: str = "attended") -> None:
    episode = EpisodeFactory.create(team=child.team, entry=None, child=child)
    AppointmentFactory.create(
        episode=episode, starts_at=at(day), ends_at=at(day, 11), outcome=outcome
    )


def reach_table(team: Team, filters: Filters = PERIOD) -> Table:
    return equity.reach_table(equity.reach(team, filters))


# --- Reach ---------------------------------------------------------------------------------


def test_children_supported_per_thousand_and_shares_by_quintile(welsh_team: Team) -> None:
    day = dt.date(2026, 3, 2)
    attends_group(living_in(welsh_team, 1), day)
    has_contact(living_in(welsh_team, 1), day)
    both = living_in(welsh_team, 1)
    attends_group(both, day)
    has_contact(both, day)
    attends_group(living_in(welsh_team, 5), day)
    # Supported, most deprived, but living outside the catchment: counted, not in the rate.
    attends_group(living_in(welsh_team, 1, lsoa_code=ELSEWHERE), day)
    # Not supported: before the period, sent apologies, a cancelled contact.
    attends_group(living_in(welsh_team, 2), dt.date(2025, 12, 31))
    attends_group(living_in(welsh_team, 3), day, mark="apologies")
    has_contact(living_in(welsh_team, 4), day, outcome="cancelled_by_family")

    table = reach_table(welsh_team)

    most = row(table, "Quintile 1 (most deprived)")
    assert most["supported"] == 4
    assert most["counted"] == 3
    assert most["share_supported"] == Decimal("75.0")
    assert most["population"] == 360
    assert most["share_population"] == Decimal("33.3")
    assert most["per_thousand"] == Decimal("8.3")
    least = row(table, "Quintile 5 (least deprived)")
    assert (least["supported"], least["share_supported"], least["per_thousand"]) == (
        1,
        Decimal("25.0"),
        Decimal("5.6"),
    )
    assert row(table, "Quintile 2")["supported"] == 0
    assert row(table, "Quintile 3")["supported"] == 0
    assert row(table, "Quintile 4")["supported"] == 0
    assert "are 75.0% of those supported and 33.3% of the child population" in table.summary


def test_unknown_ambiguous_and_other_index_children_are_counted_apart(welsh_team: Team) -> None:
    day = dt.date(2026, 2, 2)
    # The candidate areas agree on quintile 1, and the child is still not placed in it.
    ambiguous = living_in(welsh_team, None, area_status="ambiguous", deprivation_index=WALES)
    ambiguous.deprivation_quintile = 1
    ambiguous.save()
    english = living_in(
        welsh_team,
        None,
        area_status="known",
        lsoa_code="E01000001",
        deprivation_index=ENGLAND,
        deprivation_quintile=1,
    )
    no_postcode = living_in(welsh_team, None)
    for child in (ambiguous, english, no_postcode):
        attends_group(child, day)

    table = reach_table(welsh_team)

    assert row(table, "Ambiguous area")["supported"] == 1
    assert row(table, "Outside the index")["supported"] == 1
    assert row(table, "Unknown area")["supported"] == 1
    assert row(table, "Quintile 1 (most deprived)")["supported"] == 0
    assert row(table, "Ambiguous area")["share_supported"] is None
    assert "3 of them live in an ambiguous or unknown area or outside the index" in table.summary


def test_an_english_team_gets_counts_but_no_rates(areas: None) -> None:
    team = TeamFactory.create(name="Northshire Children's OT", nation="england")
    Lsoa.objects.create(code="E01900001", name="Northshire 1", local_authority="Northshire")
    DeprivationRank.objects.create(
        index=DeprivationIndex.objects.get(key=ENGLAND),
        lsoa_code="E01900001",
        rank=1,
        decile=1,
        quintile=1,
    )
    ReportSettings.objects.create(team=team, catchment_local_authorities=["Northshire"])
    english = ChildFactory.create(
        team=team,
        area_status="known",
        lsoa_code="E01900001",
        deprivation_index=ENGLAND,
        deprivation_quintile=1,
    )
    welsh = living_in(team, 2)  # a Welsh quintile 2 is not an English quintile 2
    attends_group(english, dt.date(2026, 4, 1))
    attends_group(welsh, dt.date(2026, 4, 1))

    table = reach_table(team)

    assert row(table, "Quintile 1 (most deprived)")["supported"] == 1
    assert row(table, "Quintile 2")["supported"] == 0
    assert row(table, "Outside the index")["supported"] == 1
    assert table.column_values("per_thousand") == [None] * 8
    assert table.column_values("population") == [None] * 8
    assert "No child population is loaded for this catchment" in table.summary
    assert "100.0% of those supported" in table.summary


def test_a_team_with_no_catchment_is_told_so(areas: None) -> None:
    team = TeamFactory.create(name="Unset Children's OT", nation="wales")
    attends_group(living_in(team, 3), dt.date(2026, 4, 1))

    table = reach_table(team)

    assert row(table, "Quintile 3")["supported"] == 1
    assert row(table, "Quintile 3")["counted"] is None
    assert table.summary.startswith("No catchment is set, so there are no rates.")


def test_catchment_lsoas_and_the_age_band_set_who_is_counted(welsh_team: Team) -> None:
    settings = ReportSettings.for_team(welsh_team)
    settings.catchment_local_authorities = []
    settings.catchment_lsoas = ["W01900001"]
    settings.population_age_from, settings.population_age_to = 0, 5
    settings.save()
    day = dt.date(2026, 3, 2)
    attends_group(living_in(welsh_team, 1, date_of_birth=dt.date(2023, 1, 1)), day)
    # Six throughout the period: outside a 0-5 band.
    attends_group(living_in(welsh_team, 1, date_of_birth=dt.date(2019, 6, 1)), day)
    # Turns six on 2 January: was five on the period's first day, so counted.
    attends_group(living_in(welsh_team, 1, date_of_birth=dt.date(2020, 1, 2)), day)
    # In the authority, but not in the one area the catchment now names.
    attends_group(living_in(welsh_team, 2, date_of_birth=dt.date(2023, 1, 1)), day)

    table = reach_table(welsh_team)

    most = row(table, "Quintile 1 (most deprived)")
    assert (most["supported"], most["counted"]) == (3, 2)
    assert most["population"] == 120  # 20 at each age from 0 to 5
    assert most["per_thousand"] == Decimal("16.7")
    assert (row(table, "Quintile 2")["supported"], row(table, "Quintile 2")["counted"]) == (1, 0)
    assert row(table, "Quintile 2")["population"] == 0


def test_an_age_band_beyond_the_population_loaded_has_no_rates(welsh_team: Team) -> None:
    settings = ReportSettings.for_team(welsh_team)
    settings.population_age_to = 20  # estimates are loaded for ages 0 to 18 only
    settings.save()
    attends_group(living_in(welsh_team, 1), dt.date(2026, 3, 2))

    table = reach_table(welsh_team)

    assert row(table, "Quintile 1 (most deprived)")["counted"] == 1
    assert table.column_values("per_thousand") == [None] * 8
    assert "No child population is loaded for ages 19, 20 in this catchment" in table.summary


def test_filters_narrow_who_is_supported(welsh_team: Team) -> None:
    north: Locality = LocalityFactory.create(team=welsh_team, name="North")
    day = dt.date(2026, 3, 2)
    in_group = living_in(welsh_team, 1, locality=north)
    attends_group(in_group, day, programme__tier="targeted")
    in_clinic = living_in(welsh_team, 1, locality=north)
    has_contact(in_clinic, day)
    attends_group(living_in(welsh_team, 1), day, programme__tier="targeted")

    def supported(**narrowed: Any) -> int:
        filters = Filters(PERIOD.date_from, PERIOD.date_to, **narrowed)
        return int(row(reach_table(welsh_team, filters), "Quintile 1 (most deprived)")["supported"])

    assert supported() == 3
    assert supported(locality_id=north.pk) == 2
    assert supported(tier="targeted") == 2
    assert supported(tier="specialist") == 1
    programme = in_group.group_enrolments.get().run.programme_id
    assert supported(programme_id=programme) == 1
    assert supported(locality_id=north.pk, tier="specialist") == 1


def test_a_wait_ended_in_the_period_counts_as_supported(welsh_team: Team) -> None:
    # History brought in without registers: the clock stop is the only sign of support.
    waited(living_in(welsh_team, 2), started=dt.date(2026, 1, 5), stopped=dt.date(2026, 2, 2))
    waited(living_in(welsh_team, 2), started=dt.date(2025, 1, 5), stopped=dt.date(2025, 2, 2))

    def supported(**narrowed: Any) -> int:
        filters = Filters(PERIOD.date_from, PERIOD.date_to, **narrowed)
        return int(row(reach_table(welsh_team, filters), "Quintile 2")["supported"])

    assert supported() == 1
    assert supported(tier="targeted") == 1
    assert supported(tier="specialist") == 0
    assert supported(programme_id=ProgrammeFactory.create(team=welsh_team).pk) == 0


def test_a_child_supported_many_ways_is_counted_once(welsh_team: Team) -> None:
    # The children supported are read from every session, contact and ended wait: one
    # child with two sessions, a contact and a wait ended is still one child.
    day = dt.date(2026, 3, 2)
    child = living_in(welsh_team, 3)
    attends_group(child, day)
    attends_group(child, day + dt.timedelta(days=7))
    has_contact(child, day)
    waited(child, started=dt.date(2026, 1, 5), stopped=day, tier="specialist")

    quintile = row(reach_table(welsh_team), "Quintile 3")

    assert (quintile["supported"], quintile["counted"]) == (1, 1)


# --- Waits ---------------------------------------------------------------------------------


def waits(team: Team, slug: str, filters: Filters = PERIOD) -> Table:
    found = {table.slug: table for table in equity.section(team, filters, today=TODAY).tables}
    return found[slug]


def waited(
    child: Child, *, started: dt.date, stopped: dt.date | None, tier: str = "targeted"
) -> None:
    WaitlistEntryFactory.create(
        team=child.team,
        referral__child=child,
        tier=tier,
        clock_start=started,
        clock_stopped_on=stopped,
        status="seen" if stopped else "waiting",
    )


def test_waits_by_quintile_state_the_gap(welsh_team: Team) -> None:
    stop = dt.date(2026, 3, 1)
    waited(living_in(welsh_team, 1), started=stop - dt.timedelta(days=3 * 7 + 6), stopped=stop)
    waited(living_in(welsh_team, 1), started=stop - dt.timedelta(days=10 * 7), stopped=stop)
    waited(living_in(welsh_team, 1), started=TODAY - dt.timedelta(weeks=20), stopped=None)
    waited(living_in(welsh_team, 5), started=stop - dt.timedelta(days=8), stopped=stop)
    # Seen before the period: not in its figures.
    waited(living_in(welsh_team, 5), started=dt.date(2025, 1, 1), stopped=dt.date(2025, 12, 1))

    table = waits(welsh_team, "waits-by-quintile")

    most = row(table, "Quintile 1 (most deprived)")
    # Nearest-rank median of 3 and 10 completed weeks is the lower, 3.
    assert (most["seen"], most["median_seen"]) == (2, 3)
    assert (most["waiting"], most["median_waiting"]) == (1, 20)
    assert most["within_target"] == Decimal("0.0")
    least = row(table, "Quintile 5 (least deprived)")
    assert (least["seen"], least["median_seen"], least["waiting"]) == (1, 1, 0)
    assert least["median_waiting"] is None
    assert table.summary == (
        "Children from the most deprived fifth of areas waited a median of 3 weeks to be "
        "seen; children from the least deprived fifth, 1 week."
    )


def test_waits_by_ethnicity_aln_and_care_experience_use_readable_labels(
    welsh_team: Team,
) -> None:
    stop = dt.date(2026, 4, 1)
    welsh_white = living_in(
        welsh_team,
        2,
        ethnicity_system="urn:sapling:wales-census-2021-ethnic-group",
        ethnicity_code="W1",
        additional_learning_needs="yes",
        care_experienced="yes",
    )
    waited(welsh_white, started=stop - dt.timedelta(weeks=6), stopped=stop)
    waited(living_in(welsh_team, 2), started=stop - dt.timedelta(weeks=2), stopped=stop)

    ethnicity_rows = waits(welsh_team, "waits-by-ethnicity").rows
    assert [(r[0], r[2]) for r in ethnicity_rows] == [
        ("White: Welsh, English, Scottish, Northern Irish or British", 6),
        ("Not recorded", 2),
    ]
    assert [(r[0], r[2]) for r in waits(welsh_team, "waits-by-aln").rows] == [
        ("ALN", 6),
        ("Not known", 2),
    ]
    care = waits(welsh_team, "waits-by-care-experienced")
    assert [(r[0], r[2]) for r in care.rows] == [("Care-experienced", 6), ("Not known", 2)]
    assert care.summary == (
        "Median weeks waited to be seen, by care experience: Care-experienced: 6; Not known: 2."
    )


def test_waits_follow_the_tier_and_locality_filters(welsh_team: Team) -> None:
    north = LocalityFactory.create(team=welsh_team, name="North")
    stop = dt.date(2026, 4, 1)
    waited(
        living_in(welsh_team, 3, locality=north), started=stop - dt.timedelta(weeks=4), stopped=stop
    )
    waited(
        living_in(welsh_team, 3),
        started=stop - dt.timedelta(weeks=9),
        stopped=stop,
        tier="specialist",
    )

    def median(**narrowed: Any) -> Any:
        filters = Filters(PERIOD.date_from, PERIOD.date_to, **narrowed)
        return row(waits(welsh_team, "waits-by-quintile", filters), "Quintile 3")["median_seen"]

    assert median() == 4
    assert median(tier="specialist") == 9
    assert median(locality_id=north.pk) == 4


# --- Outcomes ------------------------------------------------------------------------------


def rated(child: Child, attainment: int, *, time_point: str = "discharge", on: dt.date) -> None:
    goal = GasGoalFactory.create(team=child.team, child=child)
    goal.ratings.create(
        time_point=time_point, attainment=attainment, rated_on=on, rated_by=goal.set_by
    )


def test_goals_met_at_discharge_by_quintile(welsh_team: Team) -> None:
    on = dt.date(2026, 5, 1)
    most = living_in(welsh_team, 1)
    rated(most, 0, on=on)
    rated(most, -1, on=on)
    rated(living_in(welsh_team, 1), 2, time_point="review", on=on)  # a review: not counted
    rated(living_in(welsh_team, 5), 1, on=on)
    rated(living_in(welsh_team, 5), -2, on=dt.date(2025, 5, 1))  # before the period

    table = waits(welsh_team, "outcomes-by-quintile")

    assert row(table, "Quintile 1 (most deprived)") == {
        "group": "Quintile 1 (most deprived)",
        "goals": 2,
        "met": 1,
        "percent_met": Decimal("50.0"),
    }
    assert row(table, "Quintile 5 (least deprived)")["percent_met"] == Decimal("100.0")
    assert "Quintile 1 (most deprived): 50.0%" in table.summary


def test_the_section_has_its_tables_in_a_stable_order(welsh_team: Team) -> None:
    section = equity.section(welsh_team, PERIOD, today=TODAY)

    assert section.slug == "equity"
    assert [table.slug for table in section.tables] == [
        "reach-by-quintile",
        "waits-by-quintile",
        "waits-by-ethnicity",
        "waits-by-aln",
        "waits-by-care-experienced",
        "outcomes-by-quintile",
        "outcomes-by-ethnicity",
        "outcomes-by-aln",
        "outcomes-by-care-experienced",
    ]
    assert section.tables[0].summary == "No child was supported in the period."
    assert "/reports/settings/" in section.tables[0].notes


def test_the_section_asks_the_same_few_queries_however_many_children(
    welsh_team: Team, django_assert_max_num_queries: Any
) -> None:
    day = dt.date(2026, 3, 2)
    for quintile in (1, 2, 3, 4, 5, 1, 2):
        child = living_in(welsh_team, quintile)
        attends_group(child, day)
        waited(child, started=day - dt.timedelta(weeks=3), stopped=day)
        rated(child, 1, on=day)

    with django_assert_max_num_queries(9):
        equity.section(welsh_team, PERIOD, today=TODAY)
