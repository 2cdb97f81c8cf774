"""Administering a measure: scheduling it, sending it as a secure link, and the answers.

The rules `schedule_measures` applies (run by `sapling send-due`, idempotent):

0. The measures whose time point has come for episodes and group runs are made first
   (sapling/outcomes/schedule.py).
1. A scheduled measure whose due date has come is sent once to its respondent (a carer,
   or a teacher's email address) as a personal secure link valid for 14 days. One that
   nobody may be sent (a contact restriction, no consent, no address) is marked "could
   not be sent", for a clinician to do on paper. One with no recipient waits for paper.
2. A measure sent 7 days ago and not yet answered gets one reminder, with a new link.

The family's answers are saved page by page (a draft on the administration) and sent
once: the link is used up and the response saved in one transaction, so of two racing
submissions (or a link and a paper entry) exactly one is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sapling.accounts.models import Team, User
from sapling.children.models import Carer, Child
from sapling.core import tokens
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import SecureLink
from sapling.core.outbox import LinkRequest, queue_message
from sapling.core.tokens import LinkUsed, consume_link, revoke_links_for_target
from sapling.outcomes import questionnaire as q
from sapling.outcomes.models import (
    Administration,
    AdministrationStatus,
    InstrumentKind,
    InstrumentVersion,
    Mode,
    Respondent,
    Response,
    TimePoint,
)
from sapling.outcomes.scoring import score_answers

PURPOSE = "outcomes.questionnaire"
LINK_LIFETIME = dt.timedelta(days=14)
REMIND_AFTER = dt.timedelta(days=7)


class AlreadyReceived(LinkUsed):
    """The measure was answered already (through another link, or on paper)."""


class AnswersRefused(ValueError):
    """Answers that cannot be saved: {linkId: why}. Nothing was saved."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


@dataclass
class MeasureCounts:
    made: int = 0
    sent: int = 0
    reminded: int = 0
    not_sent: int = 0


def first_name(child: Child) -> str:
    return child.preferred_name or child.given_name


def about_name(administration: Administration) -> str:
    """The one name a message or page may show: the child's first name, or for a group
    participant's own feedback, the participant's first name."""
    if administration.child is not None:
        return first_name(administration.child)
    enrolment = administration.enrolment
    if enrolment is not None and enrolment.user is not None:
        return enrolment.user.first_name
    return enrolment.participant_name.split(" ")[0] if enrolment is not None else ""


def language_for(version: InstrumentVersion, wanted: str) -> str:
    """The language to show the instrument in: the one wanted if the instrument has it."""
    return wanted if wanted in version.languages else "en"


# --- Scheduling ---------------------------------------------------------------------------


@transaction.atomic
def schedule_measure(
    *,
    team: Team,
    child: Child,
    version: InstrumentVersion,
    time_point: str,
    respondent: str,
    due_on: dt.date,
    by: User | None,
    carer: Carer | None = None,
    recipient_email: str = "",
) -> Administration:
    """Owe one measure: sent on its due date by `send-due`, or entered from paper."""
    if child.team_id != team.pk:
        raise IllegalMove(_("That child is not on this team's books"))
    if version.instrument.team_id not in (None, team.pk):
        raise IllegalMove(_("That instrument belongs to another team"))
    if version.instrument.kind == InstrumentKind.GAS:
        raise IllegalMove(_("Goal Attainment Scaling is rated on the child's goals, not sent"))
    if carer is not None and carer.child_id != child.pk:
        raise IllegalMove(_("That carer is not one of this child's carers"))
    if respondent == Respondent.TEACHER and carer is not None:
        raise IllegalMove(_("Send a teacher's questionnaire to their email address"))
    if respondent != Respondent.TEACHER and recipient_email:
        raise IllegalMove(_("Only a teacher's questionnaire goes to an email address"))
    duplicate = Administration.objects.open().filter(
        child=child,
        instrument_version__instrument=version.instrument,
        time_point=time_point,
        respondent=respondent,
        carer=carer,
    )
    if duplicate.exists():
        raise IllegalMove(_("This measure is already scheduled for this person and time point"))
    return Administration.objects.create(
        team=team,
        child=child,
        instrument_version=version,
        time_point=time_point,
        respondent=respondent,
        carer=carer,
        recipient_email=recipient_email,
        due_on=due_on,
        scheduled_by=by,
        updated_by=by,
    )


@transaction.atomic
def cancel_measure(
    *, administration: Administration, reason: str, by: User, expected_version: int
) -> Administration:
    """Close a measure nobody will answer; its open links stop working."""
    if administration.status in (AdministrationStatus.COMPLETED, AdministrationStatus.CANCELLED):
        raise IllegalMove(
            _("This measure is %(status)s already")
            % {"status": administration.get_status_display().lower()}
        )
    administration.status = AdministrationStatus.CANCELLED
    administration.cancelled_reason = reason
    administration.updated_by = by
    administration.save_versioned(expected_version=expected_version)
    revoke_links_for_target(administration, "measure cancelled")
    return administration


# --- Messages -----------------------------------------------------------------------------


def _message(administration: Administration, language: str, reminder: bool) -> tuple[str, str]:
    name = about_name(administration)
    with translation.override(language):
        if administration.time_point == TimePoint.SESSION:
            subject = _("How was the session? One question")
            opening = _("Thank you for coming. How helpful was the session?")
        elif administration.child is None:
            subject = _("A short questionnaire about the course")
            opening = _("The children's occupational therapy team would like to hear from you.")
        else:
            subject = _("A short questionnaire about %(name)s") % {"name": name}
            opening = (
                _("The children's occupational therapy team would like to hear from %(name)s.")
                % {"name": name}
                if administration.respondent == Respondent.YOUNG_PERSON
                else _("The children's occupational therapy team would like to hear from you.")
            )
        if reminder:
            subject = _("Reminder: %(subject)s") % {"subject": subject}
        body = "\n".join(
            [
                opening,
                _("It takes a few minutes. Please answer here:"),
                "{link}",
                _("The link is personal to you, works once and for 14 days."),
            ]
        )
        return str(subject), body


def _queue(administration: Administration, now: dt.datetime, *, reminder: bool) -> bool:
    carer = administration.carer
    language = carer.preferred_language if carer else settings.LANGUAGE_CODE
    subject, body = _message(administration, language, reminder)
    occasion = "reminder" if reminder else "first"
    message = queue_message(
        team=administration.team,
        carer=carer,
        recipient=administration.recipient_email if carer is None else "",
        template="outcomes.reminder" if reminder else PURPOSE,
        subject=subject,
        body=body,
        dedupe_key=f"{PURPOSE}:{administration.pk}:{occasion}",
        send_after=now,
        link=LinkRequest(purpose=PURPOSE, target=administration, valid_for=LINK_LIFETIME),
    )
    return message is not None


def schedule_measures(now: dt.datetime | None = None) -> MeasureCounts:
    """Send every measure due and every reminder due; safe to run as often as you like."""
    from sapling.outcomes.schedule import schedule_due_measures

    now = now or timezone.now()
    made = schedule_due_measures(now)
    counts = MeasureCounts(made=made.episodes + made.runs)
    due = (
        Administration.objects.filter(
            status=AdministrationStatus.SCHEDULED, due_on__lte=timezone.localdate(now)
        )
        .exclude(carer__isnull=True, recipient_email="")
        .select_related("team", "child", "carer")
        .order_by("pk")
    )
    for administration in due.iterator(chunk_size=200):
        sent = _queue(administration, now, reminder=False)
        status = AdministrationStatus.SENT if sent else AdministrationStatus.NOT_SENT
        Administration.objects.filter(
            pk=administration.pk, status=AdministrationStatus.SCHEDULED
        ).update(status=status, sent_at=now if sent else None, version=F("version") + 1)
        counts.sent += sent
        counts.not_sent += not sent
    unanswered = Administration.objects.filter(
        status=AdministrationStatus.SENT, sent_at__lte=now - REMIND_AFTER, reminded_at__isnull=True
    ).select_related("team", "child", "carer")
    for administration in unanswered.iterator(chunk_size=200):
        if _queue(administration, now, reminder=True):
            counts.reminded += 1
        Administration.objects.filter(pk=administration.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
    return counts


# --- Answers ------------------------------------------------------------------------------


def live_link(pk: int, now: dt.datetime | None = None) -> SecureLink:
    """The questionnaire link a respondent's session holds, if it can still be answered."""
    return tokens.live_link(pk, purpose=PURPOSE, now=now)


def administration_for(link: SecureLink) -> Administration:
    administration = Administration.objects.select_related(
        "child", "enrolment__user", "instrument_version__instrument"
    ).get(pk=link.target_id)
    if administration.status == AdministrationStatus.COMPLETED:
        raise AlreadyReceived()
    if administration.status == AdministrationStatus.CANCELLED:
        raise tokens.LinkRevoked()
    return administration


def _with_page(
    draft: dict[str, Any], answers: dict[str, Any], page: Collection[str]
) -> dict[str, Any]:
    """The draft with this page's answers in place (a question left blank is cleared)."""
    return {**{k: v for k, v in draft.items() if k not in page}, **answers}


@transaction.atomic
def save_draft(
    *, administration: Administration, answers: dict[str, Any], page: Collection[str]
) -> dict[str, Any]:
    """Keep one page's answers so the respondent can come back to the rest later.

    `page` names the page's questions: the required ones among them must be answered.
    """
    locked = Administration.objects.select_for_update().get(pk=administration.pk)
    if locked.status in (AdministrationStatus.COMPLETED, AdministrationStatus.CANCELLED):
        raise AlreadyReceived()
    definition = locked.instrument_version.questionnaire
    merged = q.keep_enabled(definition, _with_page(locked.draft, answers, page))
    problems = {
        k: v for k, v in q.answer_problems(definition, merged).items() if k in merged or k in page
    }
    if problems:
        raise AnswersRefused(problems)
    Administration.objects.filter(pk=locked.pk).update(draft=merged, updated_at=timezone.now())
    administration.draft = merged
    return merged


def _complete(
    administration: Administration,
    answers: dict[str, Any],
    *,
    mode: str,
    language: str,
    now: dt.datetime,
    by: User | None,
) -> Response:
    version = administration.instrument_version
    answers = q.keep_enabled(version.questionnaire, answers)
    problems = q.answer_problems(version.questionnaire, answers)
    if problems:
        raise AnswersRefused(problems)
    # The conditional update decides, whatever else is running: only one answer is kept.
    claimed = (
        Administration.objects.filter(pk=administration.pk, completed_at__isnull=True)
        .exclude(status=AdministrationStatus.CANCELLED)
        .update(
            status=AdministrationStatus.COMPLETED,
            completed_at=now,
            draft={},
            version=F("version") + 1,
            updated_by=by,
            updated_at=now,
        )
    )
    if not claimed:
        raise AlreadyReceived()
    try:
        with transaction.atomic():
            response = Response.objects.create(
                administration=administration,
                instrument_version=version,
                answers=answers,
                scores=score_answers(version.scoring, answers),
                language=language,
                mode=mode,
                submitted_at=now,
                entered_by=by,
            )
    except IntegrityError as error:
        raise AlreadyReceived() from error
    administration.refresh_from_db()
    return response


@transaction.atomic
def submit_answers(
    *,
    link: SecureLink,
    answers: dict[str, Any],
    page: Collection[str] = (),
    language: str,
    now: dt.datetime | None = None,
) -> Response:
    """The respondent sends their answers (the last page's, with the saved draft).

    The link is used up in the same transaction that saves the response.
    """
    now = now or timezone.now()
    administration = administration_for(link)
    merged = _with_page(administration.draft, answers, page)
    problems = q.answer_problems(
        administration.instrument_version.questionnaire,
        q.keep_enabled(administration.instrument_version.questionnaire, merged),
    )
    if problems:
        raise AnswersRefused(problems)
    consume_link(link, now=now)
    # Another link for the same measure (the reminder's) then shows "already received".
    return _complete(administration, merged, mode=Mode.LINK, language=language, now=now, by=None)


@transaction.atomic
def enter_paper_response(
    *, administration: Administration, answers: dict[str, Any], language: str, by: User
) -> Response:
    """A clinician types in a questionnaire the respondent filled in on paper."""
    now = timezone.now()
    return _complete(administration, answers, mode=Mode.PAPER, language=language, now=now, by=by)
