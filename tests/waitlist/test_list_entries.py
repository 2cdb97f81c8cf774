"""The waiting list page: filters, warnings, figures, scoping, audit and query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.triage.models import LiveOrder, TriageSettings
from sapling.waitlist.models import CheckIn, EndReason, EntryStatus, WaitlistEntry
from tests.conftest import logged_in
from tests.factories import LocalityFactory, SchoolFactory
from tests.waitlist.factories import CheckInFactory, PathwayFactory, WaitlistEntryFactory
from tests.waitlist.pages import page_context

pytestmark = pytest.mark.django_db
URL = reverse("waitlist:list_entries")


def _weeks_ago(weeks: int, days: int = 0) -> dt.date:
    return timezone.localdate() - dt.timedelta(weeks=weeks, days=days)


def _names(response: Any) -> list[str]:
    return [row["child"].given_name for row in page_context(response)["rows"]]


def test_it_lists_open_entries_in_the_live_order(team: Team, clinician: User) -> None:
    WaitlistEntryFactory.create(
        team=team, clock_start=_weeks_ago(3), referral__child__given_name="Cai"
    )
    WaitlistEntryFactory.create(
        team=team, clock_start=_weeks_ago(9), referral__child__given_name="Beca"
    )
    WaitlistEntryFactory.create(
        team=team, clock_start=_weeks_ago(1), priority="urgent", priority_rank=0,
        referral__child__given_name="Alys",
    )  # fmt: skip
    WaitlistEntryFactory.create(
        team=team, status=EntryStatus.ENDED, referral__child__given_name="Gone"
    )
    response = logged_in(clinician).get(URL)
    assert response.status_code == 200
    assert _names(response) == ["Alys", "Beca", "Cai"]


def test_it_shows_positions_in_the_other_order_beside_the_live_one(
    team: Team, clinician: User
) -> None:
    WaitlistEntryFactory.create(
        team=team, clock_start=_weeks_ago(9), referral__child__given_name="Old"
    )
    WaitlistEntryFactory.create(
        team=team, clock_start=_weeks_ago(2), need_score=5, referral__child__given_name="Needy"
    )
    TriageSettings.objects.create(team=team, live_order=LiveOrder.PLAIN)
    response = logged_in(clinician).get(URL, {"order": "need_adjusted"})
    rows = page_context(response)["rows"]
    assert [(r["child"].given_name, r["position"], r["other_position"]) for r in rows] == [
        ("Needy", 1, 2),
        ("Old", 2, 1),
    ]
    assert "Live position" in response.content.decode()


def test_filters_narrow_the_list(team: Team, clinician: User) -> None:
    sensory = PathwayFactory.create(team=team, name="Sensory")
    north = LocalityFactory.create(team=team, name="North")
    school = SchoolFactory.create(team=team)
    WaitlistEntryFactory.create(
        team=team, pathway=sensory, tier="specialist", clock_start=_weeks_ago(10),
        referral__child__given_name="Match", referral__child__locality=north,
        referral__child__school=school,
    )  # fmt: skip
    WaitlistEntryFactory.create(
        team=team, clock_start=_weeks_ago(10), referral__child__given_name="Other"
    )
    client = logged_in(clinician)
    for query in (
        {"pathway": sensory.pk},
        {"tier": "specialist"},
        {"locality": north.pk},
        {"school": school.pk},
    ):
        assert _names(client.get(URL, query)) == ["Match"], query
    assert _names(client.get(URL, {"priority": "urgent"})) == []


def test_weeks_waited_filters_use_completed_weeks(team: Team, clinician: User) -> None:
    WaitlistEntryFactory.create(
        team=team, clock_start=_weeks_ago(4, 6), referral__child__given_name="Four"
    )
    WaitlistEntryFactory.create(
        team=team, clock_start=_weeks_ago(5), referral__child__given_name="Five"
    )
    WaitlistEntryFactory.create(
        team=team, clock_start=_weeks_ago(6, 1), referral__child__given_name="Six"
    )
    client = logged_in(clinician)
    assert _names(client.get(URL, {"min_weeks": 5})) == ["Six", "Five"]
    assert _names(client.get(URL, {"max_weeks": 5})) == ["Five", "Four"]
    assert _names(client.get(URL, {"min_weeks": 5, "max_weeks": 5})) == ["Five"]


def test_min_weeks_above_max_is_an_error(team: Team, clinician: User) -> None:
    response = logged_in(clinician).get(URL, {"min_weeks": 6, "max_weeks": 2})
    assert "The most weeks must be at least the fewest weeks" in response.content.decode()


def test_a_warning_tag_shows_near_and_over_the_target(team: Team, clinician: User) -> None:
    team.target_weeks = 14
    team.save()
    WaitlistEntryFactory.create(
        team=team, clock_start=_weeks_ago(11), referral__child__given_name="Fine"
    )
    WaitlistEntryFactory.create(
        team=team, clock_start=_weeks_ago(12), referral__child__given_name="Near"
    )
    WaitlistEntryFactory.create(
        team=team, clock_start=_weeks_ago(14), referral__child__given_name="Over"
    )
    response = logged_in(clinician).get(URL)
    warnings = {r["child"].given_name: r["warning"] for r in page_context(response)["rows"]}
    assert warnings["Fine"] is None
    assert warnings["Near"]["text"] == "Near target"
    assert warnings["Over"]["text"] == "Over target"
    assert "Over target" in response.content.decode()


def test_headline_figures_cover_the_filtered_list(team: Team, clinician: User) -> None:
    for weeks in (1, 2, 3, 20):
        WaitlistEntryFactory.create(team=team, clock_start=_weeks_ago(weeks))
    figures = page_context(logged_in(clinician).get(URL))["figures"]
    assert figures.overall.waiting == 4
    assert figures.overall.median_weeks == 2
    assert figures.overall.p92_weeks == 20
    assert figures.overall.within_target == 3
    assert list(figures.by_tier) == ["targeted"]


def test_another_teams_entries_are_never_shown(
    team: Team, other_team: Team, clinician: User
) -> None:
    WaitlistEntryFactory.create(team=other_team, referral__child__given_name="Elsewhere")
    response = logged_in(clinician).get(URL)
    assert _names(response) == []
    assert page_context(response)["figures"].overall.waiting == 0


def test_the_page_is_audited_as_one_list_event_naming_the_children(
    team: Team, clinician: User
) -> None:
    entries = [WaitlistEntryFactory.create(team=team) for _ in range(3)]
    logged_in(clinician).get(URL)
    events = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert events.count() == 1
    assert sorted(events.get().additional_data["records"]) == sorted(e.child_id for e in entries)


def test_the_page_shows_fifty_children_at_a_time(team: Team, clinician: User) -> None:
    WaitlistEntryFactory.create_batch(51, team=team)
    client = logged_in(clinician)
    assert len(page_context(client.get(URL))["rows"]) == 50
    assert len(page_context(client.get(URL, {"page": 2}))["rows"]) == 1


def test_check_ins_needing_a_call_are_listed(team: Team, clinician: User) -> None:
    entry = WaitlistEntryFactory.create(team=team, referral__child__given_name="Quiet")
    CheckInFactory.create(entry=entry, clinician_prompted_at=timezone.now())
    answered = WaitlistEntryFactory.create(team=team)
    CheckInFactory.create(
        entry=answered, clinician_prompted_at=timezone.now(), answered_at=timezone.now()
    )
    calls = page_context(logged_in(clinician).get(URL))["calls"]
    assert [c.entry.child.given_name for c in calls] == ["Quiet"]


def test_a_family_saying_worse_is_tagged(team: Team, clinician: User) -> None:
    entry = WaitlistEntryFactory.create(team=team)
    CheckInFactory.create(entry=entry, answer="worse", answered_at=timezone.now())
    response = logged_in(clinician).get(URL)
    assert page_context(response)["rows"][0]["worse"] is True
    assert "Family says worse" in response.content.decode()


def _fill(team: Team, n: int) -> None:
    pathways = [PathwayFactory.create(team=team, name=f"P{i}") for i in range(3)]
    for i in range(n):
        entry = WaitlistEntryFactory.create(
            team=team, pathway=pathways[i % 3], clock_start=_weeks_ago(i % 30)
        )
        if i % 7 == 0:
            CheckIn.objects.create(entry=entry, due_on=entry.clock_start, answer="worse")


def test_the_number_of_queries_does_not_grow_with_the_list(
    team: Team, clinician: User, django_assert_max_num_queries
) -> None:
    client = logged_in(clinician)
    _fill(team, 10)
    client.get(URL)  # warm caches (content types, session)
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Both measured with the headline figures worked out afresh, as after any change.
    cache.clear()
    with CaptureQueriesContext(connection) as ten:
        client.get(URL)
    _fill(team, 50)
    cache.clear()
    with django_assert_max_num_queries(len(ten.captured_queries)):
        response = client.get(URL)
    assert len(page_context(response)["rows"]) == 50


@pytest.mark.django_db
def test_the_headline_figures_follow_every_change_to_the_list(team: Team, clinician: User) -> None:
    from sapling.waitlist.lifecycle import end_entry

    client = logged_in(clinician)
    _fill(team, 3)
    assert page_context(client.get(URL))["figures"].overall.waiting == 3
    entry = WaitlistEntry.objects.filter(team=team).first()
    assert entry is not None
    end_entry(
        entry=entry,
        reason=EndReason.WITHDRAWN,
        on=entry.clock_start,
        note="",
        by=clinician,
        expected_version=entry.version,
    )
    assert page_context(client.get(URL))["figures"].overall.waiting == 2
