"""Co-production: participants send topics before a session through a personal link.

Each session reminder carries a fresh single-use link (sapling/groups/notices.py) to a
TopicInvitation: one participant, one session. The link works until that session starts
(the token service caps any link at 14 days), and never after the run ends or the person
withdraws; a moved or cancelled session withdraws its links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sapling.accounts.models import User
from sapling.core import tokens
from sapling.core.models import SecureLink
from sapling.core.tokens import (
    LinkExpired,
    LinkRevoked,
    consume_link,
)
from sapling.groups.models import (
    EnrolmentStatus,
    Resource,
    RunStatus,
    Session,
    SessionStatus,
    TopicInvitation,
    TopicKind,
    TopicSuggestion,
)
from sapling.groups.notices import TOPIC_PURPOSE

PURPOSE = TOPIC_PURPOSE


def live_link(pk: int, now: dt.datetime | None = None) -> SecureLink:
    """The topic link a visitor's session holds, if a topic can still be sent with it."""
    now = now or timezone.now()
    link = tokens.live_link(pk, purpose=PURPOSE, now=now)
    invitation = invitation_for(link)
    session, enrolment = invitation.session, invitation.enrolment
    # The link's own expiry is set when the reminder goes out; the session's start, the
    # run's end and the person's withdrawal close it whatever that expiry says.
    if session.starts_at <= now or session.run.status not in (RunStatus.PLANNED, RunStatus.OPEN):
        raise LinkExpired()
    if session.status == SessionStatus.CANCELLED or enrolment.status != EnrolmentStatus.ENROLLED:
        raise LinkRevoked()
    return link


def invitation_for(link: SecureLink) -> TopicInvitation:
    return TopicInvitation.objects.select_related(
        "session__run__programme", "enrolment__child"
    ).get(pk=link.target_id)


@transaction.atomic
def send_topic(
    *, link: SecureLink, kind: str, text: str, now: dt.datetime | None = None
) -> TopicSuggestion:
    """Keep the participant's topic for the facilitators; the link is used up with it."""
    now = now or timezone.now()
    live_link(link.pk, now)
    consume_link(link, now=now)
    invitation = invitation_for(link)
    return TopicSuggestion.objects.create(
        enrolment=invitation.enrolment,
        session=invitation.session,
        kind=TopicKind(kind),
        text=text,
    )


@dataclass(frozen=True)
class TopicGroup:
    kind: str
    label: str
    suggestions: list[TopicSuggestion]


def grouped(suggestions: Iterable[TopicSuggestion]) -> list[TopicGroup]:
    """Topics, questions and challenges, each group in the order they arrived."""
    items = list(suggestions)
    return [
        TopicGroup(
            kind.value,
            str(kind.label),
            sorted([s for s in items if s.kind == kind], key=lambda s: (s.created_at, s.pk)),
        )
        for kind in TopicKind
        if any(s.kind == kind for s in items)
    ]


@transaction.atomic
def record_session_topics(
    *, session: Session, covered: set[int], resources: list[Resource], by: User | None
) -> None:
    """Which suggestions the session covered, and the library resources it shared."""
    now = timezone.now()
    for suggestion in session.topic_suggestions.all():
        is_covered = suggestion.pk in covered
        if suggestion.covered != is_covered:
            suggestion.covered = is_covered
            suggestion.covered_by = by if is_covered else None
            suggestion.covered_at = now if is_covered else None
            suggestion.save()
    session.resources_shared.set([r for r in resources if r.team_id == session.run.team_id])
