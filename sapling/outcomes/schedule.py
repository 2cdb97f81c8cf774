"""Which measures fall due for specialist episodes and group runs.

The rules `schedule_due_measures` applies (run by `sapling send-due` just before measures
are sent; idempotent, so running it again makes nothing twice):

1. A discharged specialist episode: the family confidence measure to each carer with
   parental responsibility (every carer if none has it), due on the discharge date; in
   England also the NHS Friends and Family Test (Welsh services load their own survey and
   plan it).
2. Each group session that took place: session feedback to each place marked attended
   (the child's carers on the place, or the participant), due the day of the session.
3. The end of a group run (its last session has taken place): family confidence to the
   carers of each child's place, and in England the Friends and Family Test to every
   place that attended at least once.
4. A clinician's plan (MeasurePlan) falls due at its time point: baseline on the day it
   is planned (or the episode's start, if later); review on the episode's next review
   date; discharge on the discharge date; a run's start on its first session and its end
   on its last.

A measure is only made when its day has come, for the people on the place at that time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import Team, User
from sapling.care.models import Episode, EpisodeStatus
from sapling.core.lifecycle import IllegalMove
from sapling.groups.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    Mark,
    Run,
    RunStatus,
    Session,
    SessionStatus,
)
from sapling.groups.notices import recipients as place_recipients
from sapling.outcomes.instruments import (
    FAMILY_CONFIDENCE,
    FRIENDS_AND_FAMILY_TEST,
    SESSION_FEEDBACK,
    shipped_version,
)
from sapling.outcomes.models import (
    Administration,
    InstrumentKind,
    InstrumentVersion,
    MeasurePlan,
    Respondent,
    TimePoint,
)
from sapling.waitlist.checkins import recipients as family_recipients

EPISODE_POINTS = (TimePoint.BASELINE, TimePoint.REVIEW, TimePoint.DISCHARGE)
RUN_POINTS = (TimePoint.RUN_START, TimePoint.RUN_END)


def _experience(team: Team) -> list[InstrumentVersion]:
    """Family confidence everywhere; the Friends and Family Test in England only."""
    versions = [shipped_version(FAMILY_CONFIDENCE)]
    if getattr(team, "nation", "") == "england":
        versions.append(shipped_version(FRIENDS_AND_FAMILY_TEST))
    return versions


def _make(
    *,
    team: Team,
    version: InstrumentVersion,
    time_point: str,
    respondent: str,
    due_on: dt.date,
    child_id: int | None,
    carer_id: int | None = None,
    recipient_email: str = "",
    episode: Episode | None = None,
    run: Run | None = None,
    session: Session | None = None,
    enrolment: Enrolment | None = None,
) -> bool:
    """One administration, unless the same one exists already (whatever its status)."""
    _made, created = Administration.objects.get_or_create(
        team=team,
        instrument_version__instrument_id=version.instrument_id,
        episode=episode,
        run=run,
        session=session,
        enrolment=enrolment,
        time_point=time_point,
        recipient_email=recipient_email,
        due_on=due_on,
        **({"carer_id": carer_id} if carer_id is not None else {"carer__isnull": True}),
        defaults={
            "instrument_version": version,
            "child_id": child_id,
            "carer_id": carer_id,
            "respondent": respondent,
        },
    )
    return created


# --- Specialist episodes ----------------------------------------------------------------------


def _for_episode(
    episode: Episode, version: InstrumentVersion, time_point: str, respondent: str, due: dt.date
) -> int:
    carers = family_recipients(episode.child.carers.all())
    if respondent == Respondent.TEACHER or not carers:
        # Nobody to send it to: it waits for paper.
        return int(
            _make(
                team=episode.team,
                version=version,
                time_point=time_point,
                respondent=respondent,
                due_on=due,
                child_id=episode.child_id,
                episode=episode,
            )
        )
    return sum(
        _make(
            team=episode.team,
            version=version,
            time_point=time_point,
            respondent=respondent,
            due_on=due,
            child_id=episode.child_id,
            carer_id=carer.pk,
            episode=episode,
        )
        for carer in carers
    )


def _episode_due(plan: MeasurePlan, episode: Episode, today: dt.date) -> dt.date | None:
    if plan.time_point == TimePoint.BASELINE:
        return max(episode.opened_on, timezone.localdate(plan.created_at))
    if plan.time_point == TimePoint.REVIEW and episode.status == EpisodeStatus.OPEN:
        return episode.review_due_on
    if plan.time_point == TimePoint.DISCHARGE:
        return episode.discharged_on
    return None


def _episodes(today: dt.date) -> int:
    made = 0
    discharged = Episode.objects.filter(
        status=EpisodeStatus.DISCHARGED, discharged_on__lte=today
    ).select_related("team", "child")
    for episode in discharged.iterator(chunk_size=200):
        assert episode.discharged_on is not None
        for version in _experience(episode.team):
            made += _for_episode(
                episode, version, TimePoint.DISCHARGE, Respondent.PARENT, episode.discharged_on
            )
    plans = MeasurePlan.objects.filter(episode__isnull=False, ended_at__isnull=True)
    for plan in plans.select_related("episode__team", "episode__child", "instrument_version"):
        assert plan.episode is not None
        due = _episode_due(plan, plan.episode, today)
        if due is not None and due <= today:
            made += _for_episode(
                plan.episode, plan.instrument_version, plan.time_point, plan.respondent, due
            )
    return made


# --- Group runs -------------------------------------------------------------------------------


# What identifies a run's administration: instrument, session, enrolment, time point,
# recipient email, due date and carer (as _make looks one up).
RunKey = tuple[int, int | None, int | None, str, str, dt.date, int | None]


def _made_for_run(run: Run) -> set[RunKey]:
    """The run's administrations, in one query, so send-due asks again only for new ones."""
    return set(
        Administration.objects.filter(run=run)
        .order_by()
        .values_list(
            "instrument_version__instrument_id",
            "session_id",
            "enrolment_id",
            "time_point",
            "recipient_email",
            "due_on",
            "carer_id",
        )
    )


def _for_place(
    enrolment: Enrolment,
    version: InstrumentVersion,
    time_point: str,
    due: dt.date,
    session: Session | None = None,
    parents_only: bool = False,
    made: set[RunKey] | None = None,
) -> int:
    if parents_only and enrolment.child_id is None:
        return 0
    respondent = Respondent.PARENT if enrolment.child_id is not None else Respondent.TEACHER
    recipients = [
        recipient
        for recipient in place_recipients(enrolment)
        if made is None
        or (
            version.instrument_id,
            session.pk if session else None,
            enrolment.pk,
            time_point,
            "" if recipient.carer else recipient.address,
            due,
            recipient.carer.pk if recipient.carer else None,
        )
        not in made
    ]
    return sum(
        _make(
            team=enrolment.run.team,
            version=version,
            time_point=time_point,
            respondent=respondent,
            due_on=due,
            child_id=enrolment.child_id,
            carer_id=recipient.carer.pk if recipient.carer else None,
            recipient_email="" if recipient.carer else recipient.address,
            run=enrolment.run,
            session=session,
            enrolment=enrolment,
        )
        for recipient in recipients
    )


def _held(run: Run, now: dt.datetime) -> list[Session]:
    return [
        s for s in run.sessions.all() if s.status != SessionStatus.CANCELLED and s.ends_at <= now
    ]


def _runs(now: dt.datetime) -> int:
    made = 0
    feedback = shipped_version(SESSION_FEEDBACK)
    runs = Run.objects.exclude(status__in=[RunStatus.PLANNED, RunStatus.CANCELLED]).filter(
        sessions__ends_at__lte=now
    )
    plans: dict[int, list[MeasurePlan]] = {}
    for plan in MeasurePlan.objects.filter(run__isnull=False, ended_at__isnull=True).select_related(
        "instrument_version"
    ):
        assert plan.run_id is not None
        plans.setdefault(plan.run_id, []).append(plan)
    for run in runs.distinct().select_related("team").prefetch_related("sessions"):
        made_already = _made_for_run(run)
        held = _held(run, now)
        live = [s for s in run.sessions.all() if s.status != SessionStatus.CANCELLED]
        places = list(
            run.enrolments.filter(status=EnrolmentStatus.ENROLLED)
            .select_related("run__team", "user")
            .prefetch_related("carers")
        )
        attended = set(
            Attendance.objects.filter(session__in=held, mark=Mark.ATTENDED).values_list(
                "enrolment_id", "session_id"
            )
        )
        for session in held:
            day = timezone.localdate(session.starts_at)
            for place in places:
                if (place.pk, session.pk) in attended:
                    made += _for_place(
                        place, feedback, TimePoint.SESSION, day, session, made=made_already
                    )
        finished = bool(live) and len(held) == len(live)
        ever = {enrolment_id for enrolment_id, _session in attended}
        if finished:
            end = timezone.localdate(live[-1].starts_at)
            experience = [
                (version, version.instrument.name == FAMILY_CONFIDENCE)
                for version in _experience(run.team)
            ]
            for place in places:
                if place.pk in ever:
                    for version, parents_only in experience:
                        made += _for_place(
                            place, version, TimePoint.RUN_END, end, None, parents_only, made_already
                        )
        for plan in plans.get(run.pk, []):
            if plan.time_point == TimePoint.RUN_START and held:
                point_day = timezone.localdate(live[0].starts_at)
            elif plan.time_point == TimePoint.RUN_END and finished:
                point_day = timezone.localdate(live[-1].starts_at)
            else:
                continue
            for place in places:
                made += _for_place(
                    place,
                    plan.instrument_version,
                    plan.time_point,
                    point_day,
                    made=made_already,
                )
    return made


@dataclass
class ScheduleCounts:
    episodes: int = 0
    runs: int = 0


def schedule_due_measures(now: dt.datetime | None = None) -> ScheduleCounts:
    """Make every administration whose time point has come; safe to run again."""
    now = now or timezone.now()
    with transaction.atomic():
        counts = ScheduleCounts(episodes=_episodes(timezone.localdate(now)))
    with transaction.atomic():
        counts.runs = _runs(now)
    return counts


# --- Plans ------------------------------------------------------------------------------------


@transaction.atomic
def plan_measure(
    *,
    team: Team,
    version: InstrumentVersion,
    time_point: str,
    respondent: str,
    by: User,
    episode: Episode | None = None,
    run: Run | None = None,
) -> MeasurePlan:
    """Plan a measure at a time point of an episode or a run."""
    if (episode is None) == (run is None):
        raise IllegalMove(_("A plan is for one episode or one group run"))
    owner = episode or run
    assert owner is not None
    if owner.team_id != team.pk or version.instrument.team_id not in (None, team.pk):
        raise IllegalMove(_("That belongs to another team"))
    if version.instrument.kind == InstrumentKind.GAS:
        raise IllegalMove(_("Goal Attainment Scaling is rated on the child's goals, not sent"))
    allowed = EPISODE_POINTS if episode is not None else RUN_POINTS
    if time_point not in allowed:
        raise IllegalMove(
            _("Choose one of: %(points)s")
            % {"points": ", ".join(str(TimePoint(p).label).lower() for p in allowed)}
        )
    duplicate = MeasurePlan.objects.filter(
        episode=episode,
        run=run,
        instrument_version__instrument=version.instrument,
        time_point=time_point,
        respondent=respondent,
        ended_at__isnull=True,
    )
    if duplicate.exists():
        raise IllegalMove(_("This measure is already planned for that time point"))
    return MeasurePlan.objects.create(
        team=team,
        instrument_version=version,
        episode=episode,
        run=run,
        time_point=time_point,
        respondent=respondent,
        created_by=by,
    )


def plans_for(records: Iterable[MeasurePlan]) -> list[MeasurePlan]:
    return [p for p in records if p.ended_at is None]
