"""The waiting list as CSV: the filtered list, audited as an export, injection-safe."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.waitlist.exports import csv_safe
from tests.conftest import logged_in
from tests.waitlist.factories import WaitlistEntryFactory

pytestmark = pytest.mark.django_db
URL = reverse("waitlist:export_entries")


def _rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44", "'+44"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Alys", "Alys"),
        (None, ""),
        (3, "3"),
    ],
)
def test_cells_that_could_be_formulas_are_quoted(value: object, safe: str) -> None:
    assert csv_safe(value) == safe


def test_it_exports_the_filtered_list_in_order(
    team: Team, other_team: Team, clinician: User
) -> None:
    WaitlistEntryFactory.create(
        team=team, tier="specialist", referral__child__given_name="=cmd|' /C calc'!A0"
    )
    WaitlistEntryFactory.create(team=team, tier="targeted")
    WaitlistEntryFactory.create(team=other_team, tier="specialist")
    response = logged_in(clinician).get(URL, {"tier": "specialist"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][:3] == ["Position", "Child", "NHS number"]
    assert len(rows) == 2
    assert rows[1][1].startswith("'=cmd")
    assert rows[1][5] == "Specialist"


def test_the_export_is_audited_as_an_export_naming_the_children(
    team: Team, clinician: User
) -> None:
    entries = WaitlistEntryFactory.create_batch(2, team=team)
    logged_in(clinician).get(URL)
    event = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert event.additional_data["event"] == "export"
    assert sorted(event.additional_data["records"]) == sorted(e.child_id for e in entries)


def test_support_workers_cannot_export(support_worker: User) -> None:
    assert logged_in(support_worker).get(URL).status_code == 404


def test_only_those_who_may_export_are_offered_the_download(
    support_worker: User, clinician: User
) -> None:
    page = reverse("waitlist:list_entries")
    assert "Download this list (CSV)" in logged_in(clinician).get(page).content.decode()
    assert "Download this list (CSV)" not in logged_in(support_worker).get(page).content.decode()
