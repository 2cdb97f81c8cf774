"""Waiting well: resources for the family while they wait, and regular check-ins.

The rules `schedule_waiting_well` applies (run by `sapling send-due`, idempotent):

1. Resources, once per entry and carer: the team's public resources for parents and
   carers whose topics match the referral's reasons, in the carer's language (English
   ones if the team has none in that language).
2. Check-ins every N weeks of waiting (the team's WaitingWellSettings.check_in_weeks,
   default 6): on clock start + N, 2N, ... weeks a CheckIn is made for the latest round
   due and each carer with parental responsibility (every carer if none has it) is sent a
   secure link asking whether they still need the service.
3. A check-in sent 14 days ago and still unanswered, or one nobody could be sent, goes
   on the list of check-ins needing a call. Nothing here ever takes a child off the list.

Carers with a contact restriction or without consent are never sent anything: the outbox
refuses them and keeps only a "suppressed" row saying why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sapling.accounts.models import Team
from sapling.children.models import Carer
from sapling.core import tokens
from sapling.core.models import MessageStatus, OutboxMessage, SecureLink
from sapling.core.outbox import LinkRequest, queue_message
from sapling.core.tokens import LinkUsed, consume_link
from sapling.groups.models import Audience, Resource
from sapling.waitlist.models import (
    CheckIn,
    CheckInAnswer,
    EntryStatus,
    WaitingWellSettings,
    WaitlistEntry,
)

PURPOSE = "waitlist.check_in"
LINK_LIFETIME = dt.timedelta(days=14)
# A check-in unanswered this long after it was sent is handed to a clinician to call.
ANSWER_WITHIN = dt.timedelta(days=14)
OPEN = [EntryStatus.WAITING, EntryStatus.ALLOCATED]


class AlreadyAnswered(LinkUsed):
    """Another carer's link already answered this check-in."""


@dataclass
class WaitingWellCounts:
    resources: int = 0
    check_ins: int = 0
    prompted: int = 0


# --- Who hears, and what ------------------------------------------------------------------


def recipients(carers: Iterable[Carer]) -> list[Carer]:
    """Carers with parental responsibility, or every carer if none has it recorded."""
    carers = list(carers)
    responsible = [c for c in carers if c.parental_responsibility]
    return responsible or carers


def resources_for(
    resources: Iterable[Resource], reasons: list[str], language: str
) -> list[Resource]:
    """Public resources for parents matching any of the reasons, in the language if any."""
    fitting = [
        r
        for r in resources
        if r.public and Audience.PARENTS in r.audiences and set(r.topics) & set(reasons)
    ]
    in_language = [r for r in fitting if r.language == language]
    return in_language or [r for r in fitting if r.language == "en"]


def _resources_body(carer: Carer, child_first_name: str, picks: list[Resource]) -> tuple[str, str]:
    with translation.override(carer.preferred_language):
        subject = _("Ideas to help while you wait")
        lines = [
            _("While %(name)s waits to see us, these may help:") % {"name": child_first_name},
            "",
        ]
        for resource in picks:
            where = resource.url or f"{settings.SAPLING_BASE_URL.rstrip('/')}/resources/"
            lines.append(f"- {resource.title}: {where}")
        lines += ["", _("You do not need to reply. You stay on our waiting list.")]
        return str(subject), "\n".join(lines)


def _check_in_body(carer: Carer, child_first_name: str) -> tuple[str, str]:
    with translation.override(carer.preferred_language):
        subject = _("Do you still need our help?")
        body = "\n".join(
            [
                _("%(name)s is on the waiting list for children's occupational therapy.")
                % {"name": child_first_name},
                _("Please tell us whether you still need our help, or if things have got worse:"),
                "{link}",
                _("The link works once and for 14 days. You stay on the list whatever you say."),
            ]
        )
        return str(subject), body


def first_name(entry: WaitlistEntry) -> str:
    return entry.child.preferred_name or entry.child.given_name


# --- Scheduling ---------------------------------------------------------------------------


def _already_queued(prefix: str) -> set[str]:
    """Dedupe keys already used, except refusals, which are retried in case rights changed."""
    return set(
        OutboxMessage.objects.filter(dedupe_key__startswith=prefix)
        .exclude(status=MessageStatus.SUPPRESSED)
        .values_list("dedupe_key", flat=True)
    )


def _send_resources(
    entry: WaitlistEntry,
    carers: list[Carer],
    resources: list[Resource],
    done: set[str],
    now: dt.datetime,
) -> int:
    sent = 0
    for carer in carers:
        key = f"waitlist.resources:{entry.pk}:{carer.pk}"
        picks = resources_for(resources, entry.referral.reasons, carer.preferred_language)
        if key in done or not picks:
            continue
        subject, body = _resources_body(carer, first_name(entry), picks)
        message = queue_message(
            team=entry.team,
            carer=carer,
            template="waitlist.resources",
            subject=subject,
            body=body,
            dedupe_key=key,
            send_after=now,
        )
        sent += message is not None
    return sent


def due_round(clock_start: dt.date, today: dt.date, every_weeks: int) -> dt.date | None:
    """The latest check-in date due by today: clock start + k x N weeks, k >= 1."""
    rounds = (today - clock_start).days // (7 * every_weeks)
    if rounds < 1:
        return None
    return clock_start + dt.timedelta(weeks=rounds * every_weeks)


def _send_check_in(
    entry: WaitlistEntry, carers: list[Carer], every_weeks: int, today: dt.date, now: dt.datetime
) -> int:
    due_on = due_round(entry.clock_start, today, every_weeks)
    if due_on is None:
        return 0
    check_in, _created = CheckIn.objects.get_or_create(entry=entry, due_on=due_on)
    if check_in.sent_at is not None or check_in.answered_at is not None:
        return 0
    queued = 0
    for carer in carers:
        subject, body = _check_in_body(carer, first_name(entry))
        message = queue_message(
            team=entry.team,
            carer=carer,
            template=PURPOSE,
            subject=subject,
            body=body,
            dedupe_key=f"{PURPOSE}:{check_in.pk}:{carer.pk}",
            link=LinkRequest(purpose=PURPOSE, target=check_in, valid_for=LINK_LIFETIME),
            send_after=now,
        )
        queued += message is not None
    if queued:
        CheckIn.objects.filter(pk=check_in.pk, sent_at__isnull=True).update(sent_at=now)
    else:
        # Nobody may be sent it (or nobody is recorded): a clinician has to phone instead.
        CheckIn.objects.filter(pk=check_in.pk, clinician_prompted_at__isnull=True).update(
            clinician_prompted_at=now
        )
    WaitlistEntry.objects.filter(pk=entry.pk).update(
        next_check_in_on=due_on + dt.timedelta(weeks=every_weeks)
    )
    return 1 if queued else 0


def prompt_unanswered(now: dt.datetime) -> int:
    """Check-ins sent 14 days ago with no answer go on the list of calls to make."""
    return CheckIn.objects.filter(
        entry__status__in=OPEN,
        sent_at__lte=now - ANSWER_WITHIN,
        answered_at__isnull=True,
        clinician_prompted_at__isnull=True,
    ).update(clinician_prompted_at=now)


def schedule_waiting_well(now: dt.datetime | None = None) -> WaitingWellCounts:
    """Queue every waiting-well message due; safe to run as often as you like."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = WaitingWellCounts()
    done = _already_queued("waitlist.resources:")
    every = {s.team_id: s.check_in_weeks for s in WaitingWellSettings.objects.all()}
    library: dict[int, list[Resource]] = {}
    entries = (
        WaitlistEntry.objects.open()
        .select_related("team", "referral", "child")
        .prefetch_related("child__carers")
        .order_by("pk")
    )
    for entry in entries.iterator(chunk_size=200):
        if entry.team_id not in library:
            library[entry.team_id] = list(Resource.objects.filter(team_id=entry.team_id))
        carers = recipients(entry.child.carers.all())
        counts.resources += _send_resources(entry, carers, library[entry.team_id], done, now)
        weeks = every.get(entry.team_id, WaitingWellSettings().check_in_weeks)
        counts.check_ins += _send_check_in(entry, carers, weeks, today, now)
    counts.prompted = prompt_unanswered(now)
    return counts


# --- Answers ------------------------------------------------------------------------------


def live_link(pk: int, now: dt.datetime | None = None) -> SecureLink:
    """The check-in link a family's session holds, if it can still be answered."""
    return tokens.live_link(pk, purpose=PURPOSE, now=now)


def check_in_for(link: SecureLink) -> CheckIn:
    return CheckIn.objects.select_related("entry__child").get(pk=link.target_id)


def _alert_worse(check_in: CheckIn) -> None:
    entry = check_in.entry
    clinician = entry.triaged_by or entry.allocated_to
    if clinician is None or not clinician.email:
        return  # the entry page shows the answer either way
    address = f"{settings.SAPLING_BASE_URL.rstrip('/')}" + reverse(
        "waitlist:show_entry", args=[entry.pk]
    )
    with translation.override(clinician.preferred_language):
        subject = _("A family on the waiting list says things have got worse")
        body = _(
            "A family answered a waiting-list check-in: things have got worse. "
            "Please review the entry: %(address)s"
        ) % {"address": address}
    queue_message(
        team=entry.team,
        recipient=clinician.email,
        template="waitlist.check_in_worse",
        subject=str(subject),
        body=body,
        dedupe_key=f"waitlist.check_in_worse:{check_in.pk}",
    )


def _save_answer(check_in: CheckIn, answer: str, comment: str, now: dt.datetime) -> CheckIn:
    updated = CheckIn.objects.filter(pk=check_in.pk, answered_at__isnull=True).update(
        answer=answer, comment=comment, answered_at=now, updated_at=now
    )
    if not updated:
        raise AlreadyAnswered()
    check_in.refresh_from_db()
    if answer == CheckInAnswer.WORSE:
        _alert_worse(check_in)
    return check_in


@transaction.atomic
def answer_check_in(
    *, link: SecureLink, answer: str, comment: str, now: dt.datetime | None = None
) -> CheckIn:
    """A family's answer: the link is used up in the same transaction, so only once."""
    now = now or timezone.now()
    consume_link(link, now=now)
    # An answer is kept even if the child was seen since: it changes nothing by itself.
    return _save_answer(check_in_for(link), CheckInAnswer(answer), comment, now)


@transaction.atomic
def record_call(*, check_in: CheckIn, answer: str, comment: str) -> CheckIn:
    """A clinician phoned the family and records their answer on the check-in."""
    return _save_answer(check_in, CheckInAnswer(answer), comment, timezone.now())


def needing_a_call(team: Team) -> list[CheckIn]:
    """Open entries' check-ins nobody answered (or nobody could be sent), oldest first."""
    return list(
        CheckIn.objects.filter(
            entry__team=team,
            entry__status__in=OPEN,
            answered_at__isnull=True,
            clinician_prompted_at__isnull=False,
        )
        .select_related("entry__child")
        .order_by("due_on", "pk")[:50]
    )
