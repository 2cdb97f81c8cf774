"""Measures sent as secure links: scheduling, send-due, answering once, partial save."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.children.models import Carer, Child
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import SecureLink
from sapling.core.outbox import send_due
from sapling.core.tokens import LinkUsed
from sapling.outcomes import administration as admin
from sapling.outcomes.instruments import (
    FAMILY_CONFIDENCE,
    FRIENDS_AND_FAMILY_TEST,
    GAS,
    add_instrument,
    shipped_version,
)
from sapling.outcomes.models import Administration, AdministrationStatus, Response
from tests.factories import CarerFactory, ChildFactory
from tests.outcomes.factories import two_pages

pytestmark = pytest.mark.django_db
NOW = timezone.now()
TODAY = timezone.localdate(NOW)
ANSWER = reverse("outcomes:answer_questionnaire")


@pytest.fixture
def mum(child: Child) -> Carer:
    return CarerFactory.create(child=child, given_name="Sian", email="sian@example.com")


def _schedule(team: Team, child: Child, carer: Carer | None, name: str = FAMILY_CONFIDENCE):
    return admin.schedule_measure(
        team=team,
        child=child,
        version=shipped_version(name),
        time_point="discharge",
        respondent="parent",
        carer=carer,
        due_on=TODAY,
        by=None,
    )


def _send(team: Team, child: Child, carer: Carer, name: str = FAMILY_CONFIDENCE) -> str:
    """Schedule a measure, run send-due, and return the link the carer was sent."""
    _schedule(team, child, carer, name)
    admin.schedule_measures(NOW)
    send_due(NOW)
    message = next(m for m in mail.outbox if "/l/" in m.body)
    found = re.search(r"/l/([A-Za-z0-9_-]+)/", str(message.body))
    assert found, message.body
    return f"/l/{found.group(1)}/"


def _opened(link: str) -> Client:
    family = Client()
    response = family.get(link)
    assert response.status_code == 302
    assert response["Location"] == ANSWER
    return family


def test_a_measure_is_sent_once_with_a_personal_link(team: Team, child: Child, mum: Carer) -> None:
    link = _send(team, child, mum)
    token = link.split("/")[2]
    # 32 random bytes, URL-safe: 43 characters, 256 bits; only its hash is stored.
    assert len(token) == 43
    assert not SecureLink.objects.filter(token_hash=token).exists()
    message = next(m for m in mail.outbox if "/l/" in m.body)
    assert "Alys" in message.subject
    assert "Morgan" not in f"{message.subject} {message.body}"
    assert admin.schedule_measures(NOW).sent == 0  # idempotent
    assert Administration.objects.get().status == AdministrationStatus.SENT


def test_the_parent_answers_once_and_a_second_submit_is_already_received(
    team: Team, child: Child, mum: Carer
) -> None:
    family = _opened(_send(team, child, mum))
    page = family.get(ANSWER).content.decode()
    assert "How confident are you" in page
    assert "Alys" in page
    assert "Morgan" not in page  # first name only
    # The first (and only) question is radios: field q0.
    sent = family.post(ANSWER, {"q0": "extremely"})
    assert sent.status_code == 302
    assert "received your answers" in family.get(sent["Location"]).content.decode()
    response = Response.objects.get()
    assert response.answers == {"confidence": "extremely"}
    assert response.scores == {"confidence": 5}
    assert response.instrument_version == shipped_version(FAMILY_CONFIDENCE)
    again = family.post(ANSWER, {"q0": "not-at-all"})
    assert "already received your answers" in again.content.decode()
    assert Response.objects.get().answers == {"confidence": "extremely"}


def test_a_missing_required_answer_is_refused_and_nothing_saved(
    team: Team, child: Child, mum: Carer
) -> None:
    family = _opened(_send(team, child, mum))
    refused = family.post(ANSWER, {"q1": "Just a comment"})
    assert refused.status_code == 200
    assert "Answer this question" in refused.content.decode()
    assert not Response.objects.exists()
    assert not SecureLink.objects.filter(used_at__isnull=False).exists()


def test_two_racing_submissions_keep_exactly_one(team: Team, child: Child, mum: Carer) -> None:
    _opened(_send(team, child, mum))
    link = SecureLink.objects.get(purpose=admin.PURPOSE)
    stale = SecureLink.objects.get(pk=link.pk)  # read before either submission
    admin.submit_answers(link=link, answers={"confidence": "somewhat"}, language="en")
    with pytest.raises(LinkUsed):
        admin.submit_answers(link=stale, answers={"confidence": "neither"}, language="en")
    assert Response.objects.get().answers == {"confidence": "somewhat"}


def test_a_paper_entry_and_a_link_cannot_both_be_kept(
    team: Team, child: Child, mum: Carer, clinician: User
) -> None:
    family = _opened(_send(team, child, mum))
    measure = Administration.objects.get()
    admin.enter_paper_response(
        administration=measure, answers={"confidence": "extremely"}, language="en", by=clinician
    )
    assert "already received" in family.post(ANSWER, {"q0": "somewhat"}).content.decode()
    response = Response.objects.get()
    assert (response.mode, response.entered_by) == ("paper", clinician)


def test_an_expired_link_is_refused(team: Team, child: Child, mum: Carer) -> None:
    link = _send(team, child, mum)
    SecureLink.objects.update(expires_at=NOW - dt.timedelta(seconds=1))
    assert "This link has expired" in Client().get(link).content.decode()


def test_a_tampered_link_or_another_purpose_is_not_found(
    team: Team, child: Child, mum: Carer
) -> None:
    link = _send(team, child, mum)
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + "/"
    assert "This link cannot be used" in Client().get(tampered).content.decode()
    # Without opening a link first, the answer page shows nothing of anyone's.
    assert "This link cannot be used" in Client().get(ANSWER).content.decode()


def test_a_cancelled_measure_stops_its_link(
    team: Team, child: Child, mum: Carer, clinician: User
) -> None:
    family = _opened(_send(team, child, mum))
    measure = Administration.objects.get()
    admin.cancel_measure(
        administration=measure,
        reason="Family moved",
        by=clinician,
        expected_version=measure.version,
    )
    assert "no longer active" in family.get(ANSWER).content.decode()


def test_a_restricted_carer_is_never_sent_it(team: Team, child: Child) -> None:
    barred = CarerFactory.create(
        child=child, email="x@example.com", contact_restriction="do_not_contact"
    )
    _schedule(team, child, barred)
    counts = admin.schedule_measures(NOW)
    assert (counts.sent, counts.not_sent) == (0, 1)
    assert Administration.objects.get().status == AdministrationStatus.NOT_SENT


def test_a_paper_only_measure_waits_and_the_future_is_not_sent(
    team: Team, child: Child, mum: Carer
) -> None:
    _schedule(team, child, None)
    admin.schedule_measure(
        team=team,
        child=child,
        version=shipped_version(FRIENDS_AND_FAMILY_TEST),
        time_point="discharge",
        respondent="parent",
        carer=mum,
        due_on=TODAY + dt.timedelta(days=3),
        by=None,
    )
    assert admin.schedule_measures(NOW).sent == 0
    assert set(Administration.objects.values_list("status", flat=True)) == {"scheduled"}


def test_one_reminder_after_seven_days(team: Team, child: Child, mum: Carer) -> None:
    _schedule(team, child, mum)
    Administration.objects.update(due_on=TODAY - dt.timedelta(days=8))
    admin.schedule_measures(NOW - dt.timedelta(days=8))
    assert admin.schedule_measures(NOW).reminded == 1
    assert admin.schedule_measures(NOW).reminded == 0
    assert Administration.objects.get().reminded_at is not None


def test_send_due_sends_measures(team: Team, child: Child, mum: Carer) -> None:
    from io import StringIO

    from django.core.management import call_command

    _schedule(team, child, mum)
    out = StringIO()
    call_command("send_due", stdout=out)
    assert "outcome measures: 0 due, 1 sent" in out.getvalue()
    assert any("/l/" in m.body for m in mail.outbox)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"version": shipped_version}, "Goal Attainment Scaling is rated"),
    ],
)
def test_gas_is_not_sent(team: Team, child: Child, change: object, reason: str) -> None:
    with pytest.raises(IllegalMove, match=reason):
        _schedule(team, child, None, GAS)


def test_scheduling_refuses_another_childs_carer_and_a_duplicate(
    team: Team, child: Child, mum: Carer
) -> None:
    other = CarerFactory.create(child=ChildFactory.create(team=team))
    with pytest.raises(IllegalMove, match="not one of this child's carers"):
        _schedule(team, child, other)
    _schedule(team, child, mum)
    with pytest.raises(IllegalMove, match="already scheduled"):
        _schedule(team, child, mum)


# --- Multi-page instruments: progress is saved page by page --------------------------------


@pytest.fixture
def daily_life_link(team: Team, child: Child, mum: Carer, lead: User) -> str:
    version = add_instrument(team=team, raw=json.dumps(two_pages()), by=lead)
    admin.schedule_measure(
        team=team,
        child=child,
        version=version,
        time_point="baseline",
        respondent="parent",
        carer=mum,
        due_on=TODAY,
        by=lead,
    )
    admin.schedule_measures(NOW)
    send_due(NOW)
    message = next(m for m in mail.outbox if "/l/" in m.body)
    found = re.search(r"/l/([A-Za-z0-9_-]+)/", str(message.body))
    assert found
    return f"/l/{found.group(1)}/"


def test_progress_is_saved_and_resumed_from_the_same_link(daily_life_link: str) -> None:
    family = _opened(daily_life_link)
    assert "Page 1 of 2" in family.get(ANSWER).content.decode()
    out_of_range = family.post(ANSWER, {"q0": "11", "q1": "yes"})
    assert "less than or equal to 10" in out_of_range.content.decode()
    saved = family.post(ANSWER, {"q0": "6", "q1": "yes"})
    assert saved["Location"] == f"{ANSWER}?page=2"
    assert Administration.objects.get().draft == {"dressing": 6, "at_school": True}
    # Later, on another phone: the same link opens where they left off.
    later = _opened(daily_life_link)
    assert 'value="6"' in later.get(ANSWER).content.decode()
    # Handwriting is asked because the child goes to school, so it is required.
    missing = later.post(f"{ANSWER}?page=2", {"q1": "Thanks"})
    assert "Answer this question" in missing.content.decode()
    done = later.post(f"{ANSWER}?page=2", {"q0": "better", "q1": "Thanks"})
    assert done.status_code == 302
    response = Response.objects.get()
    assert response.answers == {
        "dressing": 6,
        "at_school": True,
        "writing": "better",
        "notes": "Thanks",
    }
    assert response.scores == {"dressing": 6.0}
    assert Administration.objects.get().draft == {}


def test_a_question_not_asked_is_not_required(daily_life_link: str) -> None:
    family = _opened(daily_life_link)
    family.post(ANSWER, {"q0": "3", "q1": "no"})
    done = family.post(f"{ANSWER}?page=2", {})
    assert done.status_code == 302, re.findall(
        r"error-message.{0,300}", done.content.decode(), re.S
    )
    assert Response.objects.get().answers == {"dressing": 3, "at_school": False}


def test_the_last_page_cannot_skip_an_unanswered_first_page(daily_life_link: str) -> None:
    family = _opened(daily_life_link)
    refused = family.post(f"{ANSWER}?page=2", {"q0": "better"})
    assert "earlier page" in refused.content.decode()
    assert not Response.objects.exists()


def test_welsh_is_shown_when_the_instrument_has_it(team: Team, child: Child, mum: Carer) -> None:
    family = _opened(_send(team, child, mum))
    family.cookies["sapling_language"] = "cy"
    page = family.get(ANSWER).content.decode()
    assert "Pa mor hyderus ydych chi" in page
    assert "Hyderus iawn" in page
