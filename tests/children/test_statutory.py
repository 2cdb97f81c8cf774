"""Statutory advice: the due date by nation, the writer, submission and the coming-due list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.children import statutory
from sapling.children.models import AdviceKind, Child
from sapling.core.lifecycle import IllegalMove
from tests.children.factories import StatutoryAdviceRequestFactory
from tests.factories import ChildFactory, TeamFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("nation", "kind"),
    [("england", AdviceKind.EHC_NEEDS_ASSESSMENT), ("wales", AdviceKind.ADDITIONAL_LEARNING_NEEDS)],
)
def test_the_advice_is_due_six_weeks_after_the_request_in_either_nation(
    nation: str, kind: AdviceKind, clinician: User
) -> None:
    child = ChildFactory.create(team=TeamFactory.create(nation=nation))
    received = TODAY - dt.timedelta(days=3)
    request = statutory.record_request(
        child=child,
        requested_by="LA",
        reference="EHC/1",
        received_on=received,
        writer=None,
        by=clinician,
    )
    assert request.kind == kind
    assert request.due_on == received + dt.timedelta(days=42)


def test_a_request_received_in_the_future_is_refused(child: Child, clinician: User) -> None:
    with pytest.raises(IllegalMove, match="cannot be in the future"):
        statutory.record_request(
            child=child,
            requested_by="LA",
            reference="",
            received_on=TODAY + dt.timedelta(days=1),
            writer=None,
            by=clinician,
        )
    assert not child.statutory_advice_requests.exists()


def test_only_a_clinician_or_lead_of_the_team_can_write_it(
    child: Child, clinician: User, support_worker: User, other_clinician: User
) -> None:
    for someone in (support_worker, other_clinician):
        with pytest.raises(IllegalMove, match="clinician or lead"):
            statutory.record_request(
                child=child,
                requested_by="LA",
                reference="",
                received_on=TODAY,
                writer=someone,
                by=clinician,
            )


def test_coming_due_is_within_two_weeks_or_overdue_and_not_yet_sent(
    team: Team, clinician: User, lead: User
) -> None:
    def due_in(days: int, **fields: object) -> object:
        return StatutoryAdviceRequestFactory.create(
            team=team, due_on=TODAY + dt.timedelta(days=days), **{"writer": clinician, **fields}
        )

    overdue, soon, edge = due_in(-3), due_in(5), due_in(14)
    due_in(15)  # not yet
    due_in(2, submitted_on=TODAY)  # sent
    due_in(2, withdrawn_on=TODAY, withdrawn_reason="Assessment not going ahead")
    mine_only = due_in(1, writer=lead)
    assert list(statutory.statutory_advice_due(clinician)) == [overdue, soon, edge]
    assert list(statutory.statutory_advice_due(team)) == [overdue, mine_only, soon, edge]


def test_another_teams_requests_are_never_due_for_us(
    team: Team, other_team: Team, clinician: User
) -> None:
    StatutoryAdviceRequestFactory.create(team=other_team, due_on=TODAY, writer=clinician)
    assert not statutory.statutory_advice_due(team).exists()
    assert not statutory.statutory_advice_due(clinician).exists()


def test_sending_the_advice_records_the_date_once(team: Team, clinician: User) -> None:
    request = StatutoryAdviceRequestFactory.create(
        team=team, received_on=TODAY - dt.timedelta(weeks=3)
    )
    with pytest.raises(IllegalMove, match="between the date of the request and today"):
        statutory.record_submission(
            request=request, on=TODAY - dt.timedelta(weeks=4), by=clinician, expected_version=1
        )
    statutory.record_submission(request=request, on=TODAY, by=clinician, expected_version=1)
    request.refresh_from_db()
    assert request.submitted_on == TODAY
    with pytest.raises(IllegalMove, match="already been sent"):
        statutory.record_submission(request=request, on=TODAY, by=clinician, expected_version=2)


def test_a_withdrawn_request_needs_a_reason_and_is_kept(team: Team, clinician: User) -> None:
    request = StatutoryAdviceRequestFactory.create(team=team)
    with pytest.raises(IllegalMove, match="Say why"):
        statutory.withdraw_request(request=request, reason="", by=clinician, expected_version=1)
    statutory.withdraw_request(
        request=request, reason="The family moved to Cardiff", by=clinician, expected_version=1
    )
    request.refresh_from_db()
    assert request.withdrawn_on == TODAY
    assert not request.is_outstanding
