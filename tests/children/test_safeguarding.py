"""Safeguarding concerns: who was told, escalation to the lead, closing with an outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.children import safeguarding
from sapling.children.models import Child, SafeguardingConcern
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import StaleEdit
from tests.children.factories import SafeguardingConcernFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _record(child: Child, by: User, **changes: object) -> SafeguardingConcern:
    fields: dict[str, object] = {
        "concern": "Child says there is no food at home at weekends.",
        "noticed_on": TODAY - dt.timedelta(days=1),
        "who_was_told": "School's designated safeguarding person, Mrs Evans",
        "told_on": TODAY,
        **changes,
    }
    return safeguarding.record_concern(child=child, by=by, **fields)  # type: ignore[arg-type]


def test_recording_a_concern_flags_the_childs_record(child: Child, clinician: User) -> None:
    assert not child.safeguarding_flag
    concern = _record(child, clinician)
    child.refresh_from_db()
    assert child.safeguarding_flag
    assert concern.is_open


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"noticed_on": TODAY + dt.timedelta(days=1)}, "cannot be in the future"),
        ({"told_on": TODAY - dt.timedelta(days=5)}, "cannot have been told before"),
        ({"who_was_told": "  "}, "who was told"),
    ],
)
def test_a_concern_with_impossible_details_is_refused_and_nothing_changes(
    child: Child, clinician: User, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(IllegalMove, match=message):
        _record(child, clinician, **changes)
    child.refresh_from_db()
    assert not child.safeguarding_flag
    assert not child.safeguarding_concerns.exists()


def test_escalation_goes_to_the_teams_safeguarding_lead(
    team: Team, child: Child, clinician: User, support_worker: User, lead: User
) -> None:
    safeguarding.set_safeguarding_lead(team=team, lead=clinician, by=lead)
    concern = SafeguardingConcernFactory.create(team=team, child=child, raised_by=support_worker)
    safeguarding.escalate_concern(
        concern=concern, note="Please call me", by=support_worker, expected_version=1
    )
    concern.refresh_from_db()
    assert concern.escalated_to == clinician
    assert concern.escalated_by == support_worker
    assert concern.escalation_note == "Please call me"
    with pytest.raises(IllegalMove, match="already been escalated"):
        safeguarding.escalate_concern(
            concern=concern, note="", by=support_worker, expected_version=concern.version
        )


def test_escalation_without_a_safeguarding_lead_says_what_to_do(
    team: Team, child: Child, clinician: User
) -> None:
    concern = SafeguardingConcernFactory.create(team=team, child=child)
    with pytest.raises(IllegalMove, match="no safeguarding lead"):
        safeguarding.escalate_concern(concern=concern, note="", by=clinician, expected_version=1)


def test_only_a_clinical_member_can_be_the_safeguarding_lead(
    team: Team, administrator: User, lead: User, other_clinician: User
) -> None:
    for someone in (administrator, other_clinician):
        with pytest.raises(IllegalMove, match="clinical member"):
            safeguarding.set_safeguarding_lead(team=team, lead=someone, by=lead)


def test_a_lead_who_leaves_the_team_is_no_longer_the_lead(
    team: Team, clinician: User, lead: User
) -> None:
    safeguarding.set_safeguarding_lead(team=team, lead=clinician, by=lead)
    assert safeguarding.safeguarding_lead(team) == clinician
    clinician.memberships.update(active=False)
    assert safeguarding.safeguarding_lead(team) is None


def test_closing_records_the_outcome_and_refuses_without_one(
    team: Team, child: Child, lead: User
) -> None:
    concern = SafeguardingConcernFactory.create(team=team, child=child)
    with pytest.raises(IllegalMove, match="Record the outcome"):
        safeguarding.close_concern(
            concern=concern, outcome=" ", on=TODAY, by=lead, expected_version=1
        )
    safeguarding.close_concern(
        concern=concern,
        outcome="Strategy meeting: no further action",
        on=TODAY,
        by=lead,
        expected_version=1,
    )
    concern.refresh_from_db()
    assert not concern.is_open
    assert concern.outcome == "Strategy meeting: no further action"
    assert concern.closed_by == lead
    with pytest.raises(IllegalMove, match="has been closed"):
        safeguarding.close_concern(
            concern=concern, outcome="again", on=TODAY, by=lead, expected_version=concern.version
        )


def test_a_stale_close_overwrites_nothing(team: Team, child: Child, lead: User) -> None:
    concern = SafeguardingConcernFactory.create(team=team, child=child)
    with pytest.raises(StaleEdit):
        safeguarding.close_concern(
            concern=concern, outcome="Done", on=TODAY, by=lead, expected_version=7
        )
    concern.refresh_from_db()
    assert concern.is_open
