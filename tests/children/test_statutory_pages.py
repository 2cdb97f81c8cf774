"""The statutory advice pages: recording a request, the coming-due list, sending."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.children.models import Child, StatutoryAdviceRequest
from tests.children.factories import StatutoryAdviceRequestFactory
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _date(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def test_recording_a_request_says_when_the_advice_is_due(child: Child, clinician: User) -> None:
    received = TODAY - dt.timedelta(days=7)
    form = {
        "requested_by": "Swansea ALN team",
        "reference": "ALN-0042",
        "writer": clinician.pk,
        **_date("received_on", received),
    }
    client = logged_in(clinician)
    response = client.post(reverse("children:add_advice_request", args=[child.pk]), form)
    assert response.status_code == 302
    advice = StatutoryAdviceRequest.objects.get(child=child)
    assert advice.due_on == received + dt.timedelta(weeks=6)
    assert advice.writer == clinician
    page = client.get(response["Location"]).content.decode()
    assert f"The advice is due on {advice.due_on:%-d %B %Y}" in page


def test_a_request_from_the_future_or_without_who_asked_is_refused(
    child: Child, clinician: User
) -> None:
    form = {"requested_by": "", **_date("received_on", TODAY + dt.timedelta(days=2))}
    response = logged_in(clinician).post(
        reverse("children:add_advice_request", args=[child.pk]), form
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say who asked for the advice" in page
    assert "must be in the past" in page
    assert not StatutoryAdviceRequest.objects.exists()


def test_the_coming_due_list_shows_overdue_and_soon_and_is_audited(
    team: Team, clinician: User, lead: User
) -> None:
    StatutoryAdviceRequestFactory.create(
        team=team, due_on=TODAY - dt.timedelta(days=2), child__given_name="Overdue"
    )
    StatutoryAdviceRequestFactory.create(
        team=team, due_on=TODAY + dt.timedelta(days=10), child__given_name="Soon", writer=lead
    )
    StatutoryAdviceRequestFactory.create(
        team=team, due_on=TODAY + dt.timedelta(days=30), child__given_name="Later"
    )
    client = logged_in(clinician)
    page = client.get(reverse("children:list_advice_due")).content.decode()
    assert "Overdue by 2 days" in page
    assert "Due in 10 days" in page
    assert "Later" not in page
    assert "No writer" in page
    assert "Later" in client.get(reverse("children:list_advice_due") + "?show=all").content.decode()
    listed = LogEntry.objects.get(object_repr="Statutory advice coming due")
    assert listed.additional_data["count"] == 2


def test_recording_the_advice_as_sent_takes_it_off_the_list(team: Team, clinician: User) -> None:
    advice = StatutoryAdviceRequestFactory.create(
        team=team, received_on=TODAY - dt.timedelta(weeks=5), due_on=TODAY + dt.timedelta(days=7)
    )
    url = reverse("children:record_advice_sent", args=[advice.child_id, advice.pk])
    client = logged_in(clinician)
    response = client.post(url, {"version": advice.version, **_date("submitted_on", TODAY)})
    assert response.status_code == 302
    advice.refresh_from_db()
    assert advice.submitted_on == TODAY
    again = client.post(url, {"version": advice.version, **_date("submitted_on", TODAY)})
    assert "This advice has already been sent" in again.content.decode()
    assert (
        advice.child.full_name
        not in client.get(reverse("children:list_advice_due")).content.decode()
    )


def test_a_stale_writer_change_says_who_changed_it(team: Team, clinician: User, lead: User) -> None:
    advice = StatutoryAdviceRequestFactory.create(team=team)
    url = reverse("children:assign_advice_writer", args=[advice.child_id, advice.pk])
    logged_in(lead).post(url, {"writer": lead.pk, "version": advice.version})
    response = logged_in(clinician).post(url, {"writer": clinician.pk, "version": advice.version})
    assert f"This was changed by {lead}" in response.content.decode()
    advice.refresh_from_db()
    assert advice.writer == lead
