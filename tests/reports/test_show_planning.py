from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.reports import planning
from sapling.reports.calibration import Conversions, calibrate
from sapling.reports.planning import WhatIf
from tests.conftest import logged_in
from tests.waitlist.factories import WaitlistEntryFactory

URL = "/reports/planning/"


def _list(team: Team, waiting: int, seen: int) -> None:
    today = timezone.localdate()
    for n in range(waiting):
        WaitlistEntryFactory.create(
            team=team, tier="specialist", clock_start=today - dt.timedelta(days=7 * (n % 30))
        )
    for n in range(seen):
        start = today - dt.timedelta(days=200 + n)
        WaitlistEntryFactory.create(
            team=team,
            tier="specialist",
            clock_start=start,
            status="seen",
            clock_stopped_on=start + dt.timedelta(days=90),
            stop_reason="specialist_contact",
        )


@pytest.mark.django_db
def test_the_lead_sees_the_calibration_and_the_baseline(lead: User, team: Team) -> None:
    _list(team, waiting=40, seen=20)
    html = logged_in(lead).get(URL).content.decode()
    assert "From your own data" in html
    assert "Specialist, routine" in html
    assert "If nothing changes" in html
    assert "The data is thin in places" in html  # 40 arrivals spread thinly
    assert "With chance taken into account" in html
    assert "Group places delivered a week" in html
    assert "no episode discharged yet" in html


@pytest.mark.django_db
def test_more_capacity_shortens_the_projected_list(lead: User, team: Team) -> None:
    _list(team, waiting=40, seen=20)
    html = logged_in(lead).get(URL, {"extra_specialist": "5"}).content.decode()
    assert "With your change" in html

    base = planning.baseline(calibrate(team, today=timezone.localdate()))
    before = planning.checkpoints(planning.run(base))
    after = planning.checkpoints(
        planning.run(planning.apply(base, WhatIf(extra_specialist=5), Conversions()))
    )
    assert after[-1].list_size < before[-1].list_size
    assert after[-1].median_wait <= before[-1].median_wait


@pytest.mark.django_db
def test_staff_and_group_runs_are_planned_in_the_teams_own_units(lead: User, team: Team) -> None:
    _list(team, waiting=40, seen=20)
    client = logged_in(lead)
    html = client.get(URL).content.decode()
    # No contacts, staff or groups recorded: the documented defaults, and said so.
    assert "one more whole-time clinician starts about 2.6 specialist children a week" in html
    assert "one more targeted group a term starts about 0.8 children a week" in html
    assert "Sapling&#39;s defaults are used" in html or "Sapling's defaults are used" in html
    assert "Not measured: too little history" in html

    changed = client.get(URL, {"extra_wte": "0.5", "extra_runs_per_term": "2"})
    assert "With your change" in changed.content.decode()
    saved = client.post(
        reverse("reports:save_scenario"),
        {"extra_wte": "0.5", "extra_runs_per_term": "2", "name": "Half a clinician, two groups"},
    )
    assert saved.status_code == 302
    listed = client.get(URL).content.decode()
    assert "0.5 more clinicians (whole-time equivalent)" in listed
    assert "2 more targeted group runs a term" in listed


@pytest.mark.django_db
def test_bad_numbers_are_explained_and_the_baseline_still_shows(lead: User, team: Team) -> None:
    response = logged_in(lead).get(URL, {"extra_specialist": "-3", "share_to_targeted": "150"})
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "If nothing changes" in html
    assert "With your change" not in html


@pytest.mark.django_db
def test_only_the_lead_plans(clinician: User) -> None:
    assert logged_in(clinician).get(reverse("reports:show_planning")).status_code == 404


@pytest.mark.django_db
def test_the_range_from_chance_surrounds_the_expected_projection(team: Team) -> None:
    _list(team, waiting=40, seen=20)
    base = planning.baseline(calibrate(team, today=timezone.localdate()))
    expected = planning.checkpoints(planning.run(base))[-1]
    spread = planning.uncertainty(base)
    assert spread.list_size.low <= spread.list_size.high
    assert spread.list_size.low - 5 <= expected.list_size <= spread.list_size.high + 5
    assert planning.uncertainty(base) == spread  # the same seed, the same page
