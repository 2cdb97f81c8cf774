"""Topic links: a participant sends a topic before a session; expiry, wrong token, reuse."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sapling.core.models import SecureLink
from sapling.groups import lifecycle, topics
from sapling.groups.models import Session, TopicSuggestion
from tests.conftest import logged_in
from tests.groups.factories import run_with_sessions


def _reminded_link(team) -> tuple[str, Session]:
    run = run_with_sessions(2, programme__team=team, first_in_days=1)
    lifecycle.book_public(run=run, name="Ceri Ellis", role="TA", setting="Ysgol", email="c@e.org")
    call_command("send_due", stdout=io.StringIO())
    body = next(str(m.body) for m in mail.outbox if "Reminder" in m.subject)
    found = re.search(r"/l/([A-Za-z0-9_-]+)/", body)
    assert found is not None
    return f"/l/{found.group(1)}/", run.sessions.get(number=1)


def test_a_participant_sends_a_topic_once_through_their_link(team, clinician) -> None:
    link, session = _reminded_link(team)
    client = Client()
    landing = client.get(link)
    assert landing["Location"] == reverse("booking:send_topic")
    page = client.get(landing["Location"]).content.decode()
    assert "Tell us what to cover" in page and "Session 1" in page
    response = client.post(
        reverse("booking:send_topic"),
        {"kind": "challenge", "text": "Transitions after break time"},
    )
    assert response["Location"] == reverse("booking:topic_sent")
    suggestion = TopicSuggestion.objects.get()
    assert suggestion.session == session and suggestion.kind == "challenge"
    # Reuse: the same link again says it was already sent and keeps nothing new.
    again = client.post(reverse("booking:send_topic"), {"kind": "topic", "text": "More"})
    assert "We already have what you sent" in again.content.decode()
    assert TopicSuggestion.objects.count() == 1
    # Opened again, the link itself says so in a topic's own words.
    reopened = Client().get(link)
    assert reopened.status_code == 404
    assert "We have already received your topic" in reopened.content.decode()
    # The facilitator sees it, grouped, and marks it covered.
    staff = logged_in(clinician)
    url = reverse("runs:session_topics", args=[session.pk])
    assert "Transitions after break time" in staff.get(url).content.decode()
    staff.post(url, {"covered": [str(suggestion.pk)]})
    suggestion.refresh_from_db()
    assert suggestion.covered and suggestion.covered_by == clinician


def test_a_wrong_token_gets_the_link_problem_page(team) -> None:
    _reminded_link(team)
    response = Client().get("/l/" + "x" * 43 + "/")
    assert response.status_code == 404
    assert "This link cannot be used" in response.content.decode()


def test_a_topic_sent_after_the_link_expired_gets_the_expired_page(team) -> None:
    link, _session = _reminded_link(team)
    client = Client()
    client.get(link)
    SecureLink.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.post(reverse("booking:send_topic"), {"kind": "topic", "text": "Late"})
    assert response.status_code == 404
    assert "This link has expired" in response.content.decode()
    assert not TopicSuggestion.objects.exists()


def test_the_link_stops_when_the_session_starts_whatever_its_expiry(team) -> None:
    link, session = _reminded_link(team)
    client = Client()
    client.get(link)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    response = client.get(reverse("booking:send_topic"))
    assert "This link has expired" in response.content.decode()


def test_cancelling_the_session_withdraws_its_topic_links(team) -> None:
    link, session = _reminded_link(team)
    lifecycle.cancel_session(session=session, reason="", by=None, expected_version=1)
    client = Client()
    assert "This link is no longer active" in client.get(link).content.decode()


def test_the_topics_page_without_a_link_is_refused(db: None) -> None:
    response = Client().get(reverse("booking:send_topic"))
    assert response.status_code == 404


def test_grouping_keeps_topics_questions_and_challenges_apart(team) -> None:
    _link, session = _reminded_link(team)
    run = session.run
    enrolment = run.enrolments.get()
    for kind, text in [("question", "Q1"), ("topic", "T1"), ("question", "Q2")]:
        TopicSuggestion.objects.create(enrolment=enrolment, session=session, kind=kind, text=text)
    groups = topics.grouped(session.topic_suggestions.all())
    assert [(g.kind, [s.text for s in g.suggestions]) for g in groups] == [
        ("topic", ["T1"]),
        ("question", ["Q1", "Q2"]),
    ]
