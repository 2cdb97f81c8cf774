"""Emails to staff and partners about safeguarding, statutory advice and shared summaries.

They say only that there is something to read and where: never a child's name or any
detail of a concern, because email leaves the service. All go through the outbox, once
each (the dedupe key names the record, the occasion and the person).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sapling.accounts.models import Team, User
from sapling.children.models import (
    PartnerSchool,
    SafeguardingConcern,
    SchoolSummary,
    StatutoryAdviceRequest,
)
from sapling.children.statutory import COMING_DUE
from sapling.core.models import OutboxMessage
from sapling.core.outbox import queue_message


def _address(url_name: str) -> str:
    return settings.SAPLING_BASE_URL.rstrip("/") + reverse(url_name)


def _email(user: User, *, team: Team, template: str, subject: str, body: str, key: str) -> bool:
    """Queue the email unless the person has no address or it was queued before."""
    if not user.email or OutboxMessage.objects.filter(dedupe_key=key).exists():
        return False
    queue_message(
        team=team,
        recipient=user.email,
        template=template,
        subject=subject,
        body=body,
        dedupe_key=key,
        channel="email",
    )
    return True


def concern_escalated(concern: SafeguardingConcern) -> bool:
    """Tell the safeguarding lead a concern waits for them (they may not be a service lead,
    so the email carries the address of the open list)."""
    lead = concern.escalated_to
    if lead is None:
        return False
    with translation.override(lead.preferred_language):
        subject = _("A safeguarding concern has been escalated to you")
        body = _(
            "A safeguarding concern has been escalated to you as your team's safeguarding "
            "lead. Sign in to Sapling to read it:\n\n%(url)s"
        ) % {"url": _address("children:list_open_concerns")}
    return _email(
        lead,
        team=concern.team,
        template="safeguarding.escalated",
        subject=subject,
        body=body,
        key=f"safeguarding.escalated:{concern.pk}:{lead.pk}",
    )


def summary_shared(summary: SchoolSummary) -> int:
    """Tell the school's partners that a summary has been shared with them."""
    told = 0
    links = PartnerSchool.objects.current().filter(team_id=summary.team_id, school=summary.school)
    for link in links.select_related("partner"):
        partner = link.partner
        with translation.override(partner.preferred_language):
            subject = _("A therapy summary has been shared with your school")
            body = _(
                "The children's occupational therapy service has shared a summary of what "
                "helps a pupil in class. Sign in to read it:\n\n%(url)s"
            ) % {"url": _address("children:list_released_summaries")}
        told += _email(
            partner,
            team=summary.team,
            template="sharing.summary_shared",
            subject=subject,
            body=body,
            key=f"sharing.summary_shared:{summary.pk}:{partner.pk}",
        )
    return told


def schedule_advice_reminders(now: dt.datetime) -> int:
    """Email each writer once when their advice comes within two weeks of its due date, and
    once when it is overdue. Idempotent: the keys name the request, writer and occasion."""
    today = timezone.localdate(now)
    queued = 0
    due = (
        StatutoryAdviceRequest.objects.coming_due(today, COMING_DUE)
        .filter(writer__isnull=False)
        .select_related("writer", "team")
    )
    for advice in due:
        writer = advice.writer
        assert writer is not None
        occasion = "overdue" if advice.due_on < today else "due_soon"
        with translation.override(writer.preferred_language):
            subject = (
                _("Statutory advice is overdue")
                if occasion == "overdue"
                else _("Statutory advice is due soon")
            )
            body = _(
                "Statutory advice you are writing is due on %(date)s. Sign in to see the "
                "advice coming due:\n\n%(url)s"
            ) % {"date": f"{advice.due_on:%-d %B %Y}", "url": _address("children:list_advice_due")}
        queued += _email(
            writer,
            team=advice.team,
            template=f"statutory.{occasion}",
            subject=subject,
            body=body,
            key=f"statutory.{occasion}:{advice.pk}:{writer.pk}",
        )
    return queued
