"""Every move of a run, its sessions and its enrolments; each is one transaction.

Rules where the issue left the choice to us (docs/groups.md says the same):
- A child may hold one live place (enrolled or reserve) at a time across runs that are
  planned or open: a group is a first intervention, and two at once would double-count it.
- A full run puts newcomers on its reserve list, in order of asking. The reserve list has
  no clock: when a place is freed, the first on the list gets it at once and is told.
- Sessions are never in the past when scheduled or moved; moving one keeps its calendar
  UID and raises its SEQUENCE (the session's version), so calendars update it in place.
- A register can be taken once the session has started, never for a cancelled session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import User
from sapling.children.models import Carer
from sapling.core.lifecycle import IllegalMove
from sapling.core.tokens import revoke_links_for_target
from sapling.groups import notices, register_counts
from sapling.groups.models import (
    Attendance,
    Delivery,
    Enrolment,
    EnrolmentStatus,
    Mark,
    Programme,
    ProgrammeTier,
    Run,
    RunStatus,
    Session,
    SessionStatus,
    TopicInvitation,
)
from sapling.waitlist.lifecycle import OPEN as OPEN_ENTRY
from sapling.waitlist.lifecycle import stop_clock
from sapling.waitlist.models import StopReason, WaitlistEntry

LIVE_RUN = [RunStatus.PLANNED, RunStatus.OPEN]
LIVE_PLACE = [EnrolmentStatus.ENROLLED, EnrolmentStatus.RESERVE]


@dataclass(frozen=True)
class SessionTimes:
    starts_at: dt.datetime
    ends_at: dt.datetime


def weekly_sessions(
    first_starts_at: dt.datetime, *, minutes: int, count: int, every_days: int = 7
) -> list[SessionTimes]:
    """`count` sessions of `minutes`, `every_days` apart, at the same local time."""
    local = timezone.localtime(first_starts_at)
    times = []
    for n in range(count):
        day = local.date() + dt.timedelta(days=n * every_days)
        start = timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))
        times.append(SessionTimes(start, start + dt.timedelta(minutes=minutes)))
    return times


# --- Runs --------------------------------------------------------------------------------


def _check_place(programme: Programme, venue: str, meeting_link: str) -> None:
    if meeting_link and not meeting_link.lower().startswith("https://"):
        raise IllegalMove(_("The meeting link must start with https://"))
    if programme.delivery in (Delivery.ONLINE, Delivery.HYBRID) and not meeting_link:
        raise IllegalMove(_("An online or hybrid run needs a meeting link"))
    if programme.delivery in (Delivery.IN_PERSON, Delivery.HYBRID) and not venue:
        raise IllegalMove(_("An in-person or hybrid run needs a venue"))


def _check_future(starts_at: dt.datetime, now: dt.datetime) -> None:
    if starts_at <= now:
        raise IllegalMove(
            _("A session cannot start in the past (%(when)s)")
            % {"when": f"{timezone.localtime(starts_at):%-d %B %Y %H:%M}"}
        )


@transaction.atomic
def create_run(
    *,
    programme: Programme,
    title: str,
    term: str,
    venue: str,
    meeting_link: str,
    capacity: int,
    language: str,
    facilitators: Iterable[User],
    sessions: Sequence[SessionTimes],
    by: User | None,
    now: dt.datetime | None = None,
) -> Run:
    """A planned run with its dated sessions; nobody can book it until it is opened."""
    now = now or timezone.now()
    if not programme.active:
        raise IllegalMove(_("This programme is not offered now"))
    if not sessions:
        raise IllegalMove(_("A run needs at least one session"))
    _check_place(programme, venue, meeting_link)
    for times in sessions:
        _check_future(times.starts_at, now)
        if times.ends_at <= times.starts_at:
            raise IllegalMove(_("A session must end after it starts"))
    run = Run.objects.create(
        programme=programme,
        team=programme.team,
        title=title,
        term=term,
        venue=venue,
        meeting_link=meeting_link,
        capacity=capacity,
        language=language,
        updated_by=by,
    )
    run.facilitators.set(facilitators)
    ordered = sorted(sessions, key=lambda t: t.starts_at)
    with register_counts.deferred():
        for number, times in enumerate(ordered, start=1):
            Session.objects.create(
                run=run,
                number=number,
                starts_at=times.starts_at,
                ends_at=times.ends_at,
                updated_by=by,
            )
    return run


@transaction.atomic
def open_run(*, run: Run, by: User | None, expected_version: int) -> Run:
    """Open a planned run for booking (the public page lists open universal runs)."""
    if run.status != RunStatus.PLANNED:
        raise IllegalMove(_("Only a planned run can be opened for booking"))
    run.status = RunStatus.OPEN
    run.updated_by = by
    run.save_versioned(expected_version=expected_version)
    return run


def last_session_end(run: Run) -> dt.datetime | None:
    held = [s for s in run.sessions.all() if s.status != SessionStatus.CANCELLED]
    return max((s.ends_at for s in held), default=None)


@transaction.atomic
def finish_run(
    *, run: Run, by: User | None, expected_version: int, now: dt.datetime | None = None
) -> Run:
    """A run is finished once its last session has ended; dropout is counted from then."""
    now = now or timezone.now()
    if run.status not in LIVE_RUN:
        raise IllegalMove(_("This run is already finished or cancelled"))
    last = last_session_end(run)
    if last is None or last > now:
        raise IllegalMove(_("A run can be marked finished only after its last session has ended"))
    run.status = RunStatus.FINISHED
    run.updated_by = by
    run.save_versioned(expected_version=expected_version)
    _revoke_topic_links(run, "the run has finished")
    return run


@transaction.atomic
def cancel_run(
    *,
    run: Run,
    reason: str,
    by: User | None,
    expected_version: int,
    now: dt.datetime | None = None,
) -> Run:
    """Cancel a whole run: everyone enrolled or on the reserve list is told."""
    now = now or timezone.now()
    if run.status not in LIVE_RUN:
        raise IllegalMove(_("This run is already finished or cancelled"))
    run.status = RunStatus.CANCELLED
    run.closed_reason = reason
    run.updated_by = by
    run.save_versioned(expected_version=expected_version)
    for enrolment in run.enrolments.filter(status__in=LIVE_PLACE):
        notices.run_cancelled(enrolment, now=now)
    _revoke_topic_links(run, "the run was cancelled")
    return run


def _revoke_topic_links(run: Run, reason: str) -> None:
    for invitation in TopicInvitation.objects.filter(session__run=run):
        revoke_links_for_target(invitation, reason)


# --- Sessions ----------------------------------------------------------------------------


def _require_live_session(session: Session) -> None:
    if session.run.status not in LIVE_RUN:
        raise IllegalMove(_("This run is finished or cancelled: its sessions cannot change"))
    if session.status == SessionStatus.CANCELLED:
        raise IllegalMove(_("This session was cancelled"))


@transaction.atomic
def move_session(
    *,
    session: Session,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    by: User | None,
    expected_version: int,
    now: dt.datetime | None = None,
) -> Session:
    """A new date or time; everyone enrolled gets the updated calendar entry."""
    now = now or timezone.now()
    _require_live_session(session)
    if session.starts_at <= now:
        raise IllegalMove(_("This session has already started: it cannot be moved"))
    _check_future(starts_at, now)
    if ends_at <= starts_at:
        raise IllegalMove(_("A session must end after it starts"))
    session.starts_at = starts_at
    session.ends_at = ends_at
    session.status = SessionStatus.MOVED
    session.change_reason = reason
    session.updated_by = by
    session.save_versioned(expected_version=expected_version)
    for invitation in session.topic_invitations.all():
        # A topic link runs until the session starts; a new one comes with the new reminder.
        revoke_links_for_target(invitation, "the session moved")
    for enrolment in session.run.enrolments.filter(status=EnrolmentStatus.ENROLLED):
        notices.session_changed(enrolment, session, now=now)
    return session


@transaction.atomic
def cancel_session(
    *,
    session: Session,
    reason: str,
    by: User | None,
    expected_version: int,
    now: dt.datetime | None = None,
) -> Session:
    """Cancel one session: everyone enrolled is told, and the calendar entry is cancelled."""
    now = now or timezone.now()
    _require_live_session(session)
    if session.attendances.exists():
        raise IllegalMove(_("This session has a register already: it cannot be cancelled"))
    session.status = SessionStatus.CANCELLED
    session.change_reason = reason
    session.updated_by = by
    session.save_versioned(expected_version=expected_version)
    for invitation in session.topic_invitations.all():
        revoke_links_for_target(invitation, "the session was cancelled")
    for enrolment in session.run.enrolments.filter(status=EnrolmentStatus.ENROLLED):
        notices.session_changed(enrolment, session, now=now)
    return session


# --- Enrolment ---------------------------------------------------------------------------


def enrolled_count(run: Run) -> int:
    return run.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()


def places_left(run: Run) -> int:
    return max(run.capacity - enrolled_count(run), 0)


def _require_bookable(run: Run, *, public: bool) -> None:
    if run.status in (RunStatus.FINISHED, RunStatus.CANCELLED):
        raise IllegalMove(_("This run is finished or cancelled: nobody can join it"))
    if public and run.status != RunStatus.OPEN:
        raise IllegalMove(_("This training is not open for booking"))
    if public and run.programme.tier != ProgrammeTier.UNIVERSAL:
        raise IllegalMove(_("Places on targeted groups are offered by the team, not booked"))


def _place(enrolment: Enrolment, run: Run, now: dt.datetime) -> Enrolment:
    """Enrolled if a place is free, otherwise next on the reserve list."""
    # Lock the run row so two bookings for the last place cannot both take it.
    Run.objects.select_for_update().filter(pk=run.pk).first()
    if enrolled_count(run) < run.capacity:
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.enrolled_at = now
    else:
        last = run.enrolments.aggregate(last=Max("reserve_position"))["last"] or 0
        enrolment.status = EnrolmentStatus.RESERVE
        enrolment.reserve_position = last + 1
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        raise IllegalMove(_("This person already has a place on this run")) from None
    return enrolment


def _announce(enrolment: Enrolment, now: dt.datetime) -> None:
    if enrolment.status == EnrolmentStatus.ENROLLED:
        notices.confirmation(enrolment, now=now)
    else:
        notices.on_reserve(enrolment, now=now)


@transaction.atomic
def enrol_child(
    *,
    run: Run,
    entry: WaitlistEntry,
    carers: Iterable[Carer],
    by: User | None,
    now: dt.datetime | None = None,
) -> Enrolment:
    """Staff offer a waiting child (with their carers) a place on a group."""
    now = now or timezone.now()
    _require_bookable(run, public=False)
    if entry.team_id != run.team_id or entry.status not in OPEN_ENTRY:
        raise IllegalMove(_("This child is not on the team's waiting list"))
    carers = list(carers)
    if any(c.child_id != entry.child_id for c in carers):
        raise IllegalMove(_("Choose carers of this child only"))
    if run.enrolments.filter(child=entry.child, status__in=LIVE_PLACE).exists():
        raise IllegalMove(_("This child already has a place on this run"))
    elsewhere = (
        Enrolment.objects.filter(child=entry.child, status__in=LIVE_PLACE, run__status__in=LIVE_RUN)
        .exclude(run=run)
        .select_related("run")
        .first()
    )
    if elsewhere is not None:
        raise IllegalMove(
            _("This child already has a place on %(run)s. Withdraw them from it first.")
            % {"run": elsewhere.run.title}
        )
    enrolment = Enrolment(
        run=run, child=entry.child, waitlist_entry=entry, created_by=by, updated_by=by
    )
    _place(enrolment, run, now)
    enrolment.carers.set(carers)
    _announce(enrolment, now)
    return enrolment


@transaction.atomic
def book_public(
    *,
    run: Run,
    name: str,
    role: str,
    setting: str,
    email: str,
    digital_needs: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> Enrolment:
    """Anyone books universal training from the public page: no account."""
    now = now or timezone.now()
    _require_bookable(run, public=True)
    email = email.strip().lower()
    if run.enrolments.filter(participant_email__iexact=email, status__in=LIVE_PLACE).exists():
        raise IllegalMove(_("This email address already has a place on this training"))
    enrolment = Enrolment(
        run=run,
        participant_name=name,
        participant_role=role,
        participant_setting=setting,
        participant_email=email,
        digital_needs=list(digital_needs),
    )
    _place(enrolment, run, now)
    _announce(enrolment, now)
    return enrolment


@transaction.atomic
def book_partner(*, run: Run, user: User, now: dt.datetime | None = None) -> Enrolment:
    """A logged-in partner books universal training for themselves."""
    now = now or timezone.now()
    _require_bookable(run, public=True)
    if run.enrolments.filter(user=user, status__in=LIVE_PLACE).exists():
        raise IllegalMove(_("You already have a place on this training"))
    enrolment = Enrolment(run=run, user=user, created_by=user, updated_by=user)
    _place(enrolment, run, now)
    _announce(enrolment, now)
    return enrolment


@transaction.atomic
def withdraw(
    *,
    enrolment: Enrolment,
    reason: str,
    by: User | None,
    expected_version: int,
    now: dt.datetime | None = None,
) -> Enrolment:
    """Leave a run (or its reserve list); a freed place goes to the first on the reserve."""
    now = now or timezone.now()
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise IllegalMove(_("This person has already withdrawn"))
    if enrolment.run.status not in LIVE_RUN:
        raise IllegalMove(_("This run is finished or cancelled"))
    freed = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.reserve_position = None
    enrolment.withdrawn_at = now
    enrolment.withdrawn_reason = reason
    enrolment.updated_by = by
    enrolment.save_versioned(expected_version=expected_version)
    for invitation in enrolment.topic_invitations.all():
        revoke_links_for_target(invitation, "withdrawn from the run")
    if freed:
        promote_reserves(enrolment.run, now=now)
    return enrolment


def promote_reserves(run: Run, *, now: dt.datetime) -> list[Enrolment]:
    """Give free places to the reserve list in order; each promoted person is told."""
    promoted = []
    Run.objects.select_for_update().filter(pk=run.pk).first()
    while enrolled_count(run) < run.capacity:
        first = (
            run.enrolments.filter(status=EnrolmentStatus.RESERVE)
            .order_by("reserve_position", "pk")
            .first()
        )
        if first is None:
            break
        first.status = EnrolmentStatus.ENROLLED
        first.reserve_position = None
        first.enrolled_at = now
        first.save_versioned(expected_version=first.version)
        notices.promoted(first, now=now)
        promoted.append(first)
    return promoted


def reserve_rank(enrolment: Enrolment) -> int | None:
    """1 for the first on the reserve list, and so on."""
    if enrolment.status != EnrolmentStatus.RESERVE or enrolment.reserve_position is None:
        return None
    ahead = enrolment.run.enrolments.filter(
        status=EnrolmentStatus.RESERVE, reserve_position__lt=enrolment.reserve_position
    ).count()
    return ahead + 1


@transaction.atomic
def record_digital_access(
    *,
    enrolment: Enrolment,
    needs: Sequence[str],
    support: str,
    arranged_on: dt.date | None,
    by: User | None,
    expected_version: int,
) -> Enrolment:
    """What stops this person joining online, and the support arranged (and when)."""
    if support and arranged_on is None:
        raise IllegalMove(_("Enter the date the support was arranged"))
    if arranged_on is not None and not support:
        raise IllegalMove(_("Choose the support that was arranged"))
    if support and not needs:
        raise IllegalMove(_("Choose the need the support answers"))
    enrolment.digital_needs = list(needs)
    enrolment.digital_support = support
    enrolment.digital_support_arranged_on = arranged_on
    enrolment.updated_by = by
    enrolment.save_versioned(expected_version=expected_version)
    return enrolment


# --- Registers ---------------------------------------------------------------------------


def register_enrolments(session: Session) -> list[Enrolment]:
    """Who is on the register: everyone enrolled, and anyone already marked for it."""
    marked = list(session.attendances.values_list("enrolment_id", flat=True))
    found = session.run.enrolments.filter(
        Q(status=EnrolmentStatus.ENROLLED) | Q(pk__in=marked)
    ).select_related("child", "user")
    return sorted(found, key=lambda e: (e.display_name.lower(), e.pk))


@transaction.atomic
def record_register(
    *,
    session: Session,
    marks: Mapping[int, str],
    by: User | None,
    now: dt.datetime | None = None,
) -> list[Attendance]:
    """Save the facilitator's marks; a first attended session stops the child's clock."""
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        raise IllegalMove(_("This session was cancelled: there is no register to take"))
    if session.run.status == RunStatus.CANCELLED:
        raise IllegalMove(_("This run was cancelled"))
    if session.starts_at > now:
        raise IllegalMove(_("The register can be taken once the session has started"))
    allowed = {e.pk: e for e in register_enrolments(session)}
    unknown = set(marks) - set(allowed)
    if unknown:
        raise IllegalMove(_("Someone marked is not on this session's register"))
    saved = []
    with register_counts.deferred():
        for enrolment_pk, mark in marks.items():
            attendance, _created = Attendance.objects.update_or_create(
                enrolment_id=enrolment_pk,
                session=session,
                defaults={"mark": Mark(mark), "recorded_by": by, "recorded_at": now},
            )
            saved.append(attendance)
            if mark == Mark.ATTENDED:
                _stop_clock_on_first_session(allowed[enrolment_pk], session, by)
    return saved


def _stop_clock_on_first_session(enrolment: Enrolment, session: Session, by: User | None) -> None:
    entry = enrolment.waitlist_entry
    if entry is None:
        return
    entry.refresh_from_db()
    if entry.clock_stopped_on is not None or entry.status not in OPEN_ENTRY:
        return  # already stopped (idempotent), or the child left the list another way
    stop_clock(
        entry=entry,
        on=timezone.localdate(session.starts_at),
        reason=StopReason.GROUP_SESSION,
        by=by,
    )
