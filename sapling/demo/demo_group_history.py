"""A year and a half of finished groups and training since the redesign, and the
questionnaires families and staff sent back after them.

The referral flow (sapling/demo/flow.py) stopped targeted children's clocks on the day of
a group session every few weeks after the redesign; here each of those days starts as
many runs of the virtual parenting group as its children need, so every such child holds
a place whose first attended session is the day their clock stopped. School staff came to
"Sensory processing in the classroom" about twice a term and to "Handwriting for teaching
assistants" twice. Every run is finished, with its registers, and the measures the
outcomes rules make for a run (feedback after each session attended, family confidence at
the end) are there, most answered, the rest sent and reminded, with the Friends and Family
Test the service asked families at the end of each parenting group. Some of the staff
booked a consultation in the weeks after their training.

This is history, so nothing here goes through the lifecycle (which would stop clocks and
send messages now): records are written in bulk, dated when things happened. It loads
before demo_outcomes, whose run of the outcomes rules then finds every measure made.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Model, QuerySet
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.children.models import Carer
from sapling.consultations.models import (
    Consultation,
    ConsultationStatus,
    Slot,
    SlotStatus,
)
from sapling.demo import demo_consultations
from sapling.demo.demo_groups import FAMILY_NAMES, FIRST_NAMES, ROLES, SETTINGS, _ascii
from sapling.demo.flow import REDESIGN_WEEKS_AGO, Cast
from sapling.groups import register_counts
from sapling.groups.models import (
    Attendance,
    DigitalNeed,
    DigitalSupport,
    Enrolment,
    EnrolmentStatus,
    Mark,
    Programme,
    Run,
    RunStatus,
    Session,
)
from sapling.outcomes.administration import language_for
from sapling.outcomes.instruments import (
    FAMILY_CONFIDENCE,
    FRIENDS_AND_FAMILY_TEST,
    SESSION_FEEDBACK,
    load_shipped,
    shipped_version,
)
from sapling.outcomes.models import (
    Administration,
    AdministrationStatus,
    InstrumentVersion,
    Mode,
    Respondent,
    Response,
    TimePoint,
)
from sapling.outcomes.scoring import score_answers
from sapling.waitlist.checkins import recipients
from sapling.waitlist.clock import start_of_week
from sapling.waitlist.models import StopReason, WaitlistEntry

LONDON = ZoneInfo("Europe/London")
MEETING_LINK = "https://meet.example.nhs.uk/sapling-training"
PARENT_LINK = "https://meet.example.nhs.uk/parenting-group"
VENUE = "Cockett Children's Centre, Swansea"
# A parenting group's places at most; each day's children are shared between as many
# runs as keep them no more than MOST_PER_RUN each.
PARENT_PLACES = 10
MOST_PER_RUN = 9
# Parenting groups run in the morning, after school drop-off, or in the evening.
PARENT_TIMES = [(19, 0), (10, 0), (13, 0), (19, 30)]
# (month, day) each term's training runs start on or after: about twice a term.
SENSORY_STARTS = [(1, 14), (2, 25), (4, 22), (6, 10), (9, 16), (11, 4)]
# Handwriting ran twice, this many weeks after the redesign.
HANDWRITING_WEEKS = (30, 62)
# The newest training in the history starts at least a week before the demo's own
# finished run (which started 49 days ago).
BEFORE_DEMO_RUN = dt.timedelta(days=56)
# Questionnaires: share answered, and of those, share entered from paper.
ANSWERED = 0.72
ON_PAPER = 0.1
FEEDBACK_ANSWERED = 0.6
# Share of the staff who attended training and booked a consultation afterwards.
CONSULTED = 0.2


@dataclass
class Planned:
    """One history run before it is written: its sessions' times and who had a place."""

    programme: Programme
    title: str
    term: str
    first: dt.datetime
    minutes: int
    capacity: int
    link: str = ""
    venue: str = ""
    children: list[WaitlistEntry] = field(default_factory=list)
    people: int = 0


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def _on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def term_of(day: dt.date) -> str:
    """The school term a day falls in, as the team names runs: "Autumn 2025"."""
    if day.month >= 9:
        return f"Autumn {day.year}"
    if day.month <= 3:
        return f"Spring {day.year}"
    return f"Summer {day.year}"


def _programmes(team: Team) -> dict[str, Programme]:
    return {p.topic: p for p in Programme.objects.filter(team=team)}


def group_days(team: Team, *, last_start: dt.date) -> dict[dt.date, list[WaitlistEntry]]:
    """Targeted children whose clock a group session stopped, by that day, up to
    `last_start` (later groups are still running)."""
    stopped = (
        WaitlistEntry.objects.filter(
            team=team,
            tier="targeted",
            stop_reason=StopReason.GROUP_SESSION,
            clock_stopped_on__lte=last_start,
        )
        .select_related("child")
        .order_by("clock_stopped_on", "pk")
    )
    days: dict[dt.date, list[WaitlistEntry]] = defaultdict(list)
    for entry in stopped:
        assert entry.clock_stopped_on is not None
        days[entry.clock_stopped_on].append(entry)
    return days


def _parenting_runs(
    programme: Programme, days: dict[dt.date, list[WaitlistEntry]], rng: random.Random
) -> list[Planned]:
    planned = []
    for day, entries in days.items():
        count = -(-len(entries) // MOST_PER_RUN)
        shuffled = entries[:]
        rng.shuffle(shuffled)
        for number in range(count):
            hour, minute = PARENT_TIMES[number % len(PARENT_TIMES)]
            children = shuffled[number::count]
            planned.append(
                Planned(
                    programme,
                    title=f"{programme.name}, {_when_label(hour)} group",
                    term=term_of(day),
                    first=_at(day, hour, minute),
                    minutes=90,
                    capacity=_places_for(len(children), rng),
                    link=PARENT_LINK,
                    children=children,
                )
            )
    return planned


def _places_for(children: int, rng: random.Random) -> int:
    """The places a group offered: the team sized each to the families referred for it,
    leaving a place or two for late referrals."""
    return min(PARENT_PLACES, max(children, round(children / rng.uniform(0.75, 0.95))))


def _when_label(hour: int) -> str:
    return "evening" if hour >= 17 else "morning" if hour < 12 else "afternoon"


def _training_runs(
    programmes: dict[str, Programme], redesign: dt.date, last_start: dt.date, rng: random.Random
) -> list[Planned]:
    sensory, handwriting = programmes["sensory"], programmes["handwriting"]
    planned = []
    for year in range(redesign.year, last_start.year + 1):
        for month, day in SENSORY_STARTS:
            start = _on_or_after(dt.date(year, month, day), 1)  # Tuesdays after school
            if redesign + dt.timedelta(weeks=2) <= start <= last_start:
                fill = rng.uniform(0.7, 0.95)
                planned.append(
                    Planned(
                        sensory,
                        title=f"{sensory.name}, {term_of(start).split()[0].lower()}",
                        term=term_of(start),
                        first=_at(start, 15, 45),
                        minutes=75,
                        capacity=sensory.capacity,
                        link=MEETING_LINK,
                        people=round(sensory.capacity * fill),
                    )
                )
    for weeks in HANDWRITING_WEEKS:
        start = _on_or_after(redesign + dt.timedelta(weeks=weeks), 3)  # Thursdays
        if start <= last_start:
            planned.append(
                Planned(
                    handwriting,
                    title=f"{handwriting.name}, {term_of(start).split()[0].lower()}",
                    term=term_of(start),
                    first=_at(start, 15, 30),
                    minutes=90,
                    capacity=handwriting.capacity,
                    venue=VENUE,
                    people=round(handwriting.capacity * rng.uniform(0.75, 0.95)),
                )
            )
    return planned


def _write_runs(planned: list[Planned], team: Team, cast: Cast) -> list[Run]:
    runs = Run.objects.bulk_create(
        [
            Run(
                programme=p.programme,
                team=team,
                title=p.title,
                term=p.term,
                venue=p.venue,
                meeting_link=p.link,
                capacity=p.capacity,
                language="en",
                status=RunStatus.FINISHED,
                updated_by=cast.lead,
            )
            for p in planned
        ]
    )
    facilitators = cast.clinicians[:2] or [cast.lead]
    Run.facilitators.through.objects.bulk_create(
        [Run.facilitators.through(run=run, user=user) for run in runs for user in facilitators]
    )
    sessions = Session.objects.bulk_create(
        [
            Session(
                run=run,
                number=number,
                starts_at=p.first + dt.timedelta(weeks=number - 1),
                ends_at=p.first + dt.timedelta(weeks=number - 1, minutes=p.minutes),
                updated_by=cast.lead,
            )
            for run, p in zip(runs, planned, strict=True)
            for number in range(1, p.programme.sessions_count + 1)
        ]
    )
    by_run: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        by_run[session.run_id].append(session)
    for run, p in zip(runs, planned, strict=True):
        made = p.first - dt.timedelta(days=35)
        Run.objects.filter(pk=run.pk).update(created_at=made, updated_at=_last(by_run, run))
        Session.objects.filter(run=run).update(created_at=made, updated_at=made)
        run.history_sessions = by_run[run.pk]  # type: ignore[attr-defined]
    return runs


def _last(by_run: dict[int, list[Session]], run: Run) -> dt.datetime:
    return max(s.ends_at for s in by_run[run.pk]) + dt.timedelta(days=1)


@dataclass
class Place:
    """A written place, with what the registers and questionnaires need of it."""

    enrolment: Enrolment
    sessions: list[Session]
    carers: list[Carer]
    attended: list[Session] = field(default_factory=list)


def _enrol(runs: list[Run], planned: list[Planned], cast: Cast, rng: random.Random) -> list[Place]:
    """Places: waiting children with their carers, or school staff who booked."""
    enrolments: list[Enrolment] = []
    carers_of: list[list[Carer]] = []
    sessions_of: list[list[Session]] = []
    carers_by_child = _carers([entry.child_id for p in planned for entry in p.children])
    for run, p in zip(runs, planned, strict=True):
        sessions = run.history_sessions  # type: ignore[attr-defined]
        booked = p.first - dt.timedelta(days=rng.randint(14, 30))
        for entry in p.children:
            enrolments.append(
                _place(
                    run,
                    booked,
                    cast,
                    child_id=entry.child_id,
                    waitlist_entry=entry,
                    # Written in bulk, so stamped here rather than on save.
                    child_locality_id=entry.child_locality_id,
                )
            )
            carers_of.append(carers_by_child.get(entry.child_id, []))
            sessions_of.append(sessions)
        for n in range(p.people):
            given, family = rng.choice(FIRST_NAMES), rng.choice(FAMILY_NAMES)
            enrolments.append(
                _place(
                    run,
                    booked + dt.timedelta(hours=n),
                    cast,
                    participant_name=f"{given} {family}",
                    participant_role=rng.choice(ROLES),
                    participant_setting=rng.choice(SETTINGS),
                    participant_email=f"{_ascii(given)}.{family.lower()}.h{run.pk}n{n}"
                    "@school.example.org",
                )
            )
            carers_of.append([])
            sessions_of.append(sessions)
    for enrolment, sessions in zip(enrolments, sessions_of, strict=True):
        if rng.random() < 0.06:
            _digital_need(enrolment, sessions[0], rng)
    written = Enrolment.objects.bulk_create(enrolments, batch_size=500)
    Enrolment.carers.through.objects.bulk_create(
        [
            Enrolment.carers.through(enrolment=enrolment, carer=carer)
            for enrolment, carers in zip(written, carers_of, strict=True)
            for carer in carers
        ],
        batch_size=500,
    )
    for run in runs:
        first = run.history_sessions[0].starts_at  # type: ignore[attr-defined]
        Enrolment.objects.filter(run=run).update(
            created_at=first - dt.timedelta(days=20), updated_at=first - dt.timedelta(days=20)
        )
    return [
        Place(e, sessions, carers)
        for e, sessions, carers in zip(written, sessions_of, carers_of, strict=True)
    ]


def _place(run: Run, booked: dt.datetime, cast: Cast, **who: object) -> Enrolment:
    return Enrolment(
        run=run,
        status=EnrolmentStatus.ENROLLED,
        enrolled_at=booked,
        created_by=cast.lead,
        updated_by=cast.lead,
        **who,
    )


def _carers(child_ids: list[int]) -> dict[int, list[Carer]]:
    """The carers each child's group messages go to, as enrol_child chooses them."""
    by_child: dict[int, list[Carer]] = defaultdict(list)
    for carer in Carer.objects.filter(child_id__in=child_ids).order_by("pk"):
        by_child[carer.child_id].append(carer)
    return {child: list(recipients(found)) for child, found in by_child.items()}


def _digital_need(enrolment: Enrolment, first: Session, rng: random.Random) -> None:
    enrolment.digital_needs = rng.choice(
        [[DigitalNeed.DEVICE], [DigitalNeed.CONFIDENCE], [DigitalNeed.DATA, DigitalNeed.DEVICE]]
    )
    enrolment.digital_support = rng.choice(list(DigitalSupport.values))
    enrolment.digital_support_arranged_on = timezone.localdate(first.starts_at) - dt.timedelta(
        days=rng.randint(2, 10)
    )


def _registers(places: list[Place], runs: list[Run], cast: Cast, rng: random.Random) -> None:
    """Every session's register. Parents stay to the end (one run has one who dropped
    out); some staff drift away from training after a session or two."""
    targeted = [p for p in places if p.enrolment.child_id is not None]
    dropping = rng.choice(targeted).enrolment.pk if targeted else None
    marks = []
    for place in places:
        sessions = place.sessions
        if place.enrolment.child_id is not None:
            leaves_after = 2 if place.enrolment.pk == dropping else len(sessions)
        else:
            leaves_after = rng.choice([len(sessions)] * 14 + [1, 2])
        for number, session in enumerate(sessions, start=1):
            mark = _mark(place, number, len(sessions), leaves_after, rng)
            if mark == Mark.ATTENDED:
                place.attended.append(session)
            marks.append(
                Attendance(
                    enrolment=place.enrolment,
                    session=session,
                    mark=mark,
                    recorded_by=rng.choice(cast.clinicians or [cast.lead]),
                    recorded_at=session.ends_at + dt.timedelta(minutes=10),
                )
            )
    Attendance.objects.bulk_create(marks, batch_size=1000)
    register_counts.recount(run.pk for run in runs)  # written in bulk: no signal to recount
    for run in runs:
        held = run.history_sessions[-1].ends_at  # type: ignore[attr-defined]
        Attendance.objects.filter(session__run=run).update(created_at=held, updated_at=held)


def _mark(place: Place, number: int, sessions: int, leaves_after: int, rng: random.Random) -> str:
    if number > leaves_after:
        return rng.choice([Mark.DID_NOT_ATTEND, Mark.APOLOGIES])
    if place.enrolment.child_id is not None and number in (1, sessions):
        # The first session stopped the child's clock; everyone came back for the last.
        return Mark.ATTENDED
    if rng.random() < 0.9:
        return Mark.ATTENDED
    return rng.choice([Mark.APOLOGIES, Mark.APOLOGIES, Mark.DID_NOT_ATTEND])


@dataclass
class Asked:
    """One questionnaire owed, and the answers it got back if it was answered."""

    administration: Administration
    answers: dict[str, object] | None


def _questionnaires(places: list[Place], team: Team, cast: Cast, rng: random.Random) -> None:
    """What the outcomes rules make for a finished run, plus the Friends and Family Test."""
    load_shipped()
    feedback = shipped_version(SESSION_FEEDBACK)
    confidence = shipped_version(FAMILY_CONFIDENCE)
    fft = shipped_version(FRIENDS_AND_FAMILY_TEST)
    asked: list[Asked] = []
    for place in places:
        enrolment = place.enrolment
        for session in place.attended:
            day = timezone.localdate(session.starts_at)
            for carer, email in _recipients(place):
                asked.append(
                    _ask(enrolment, feedback, TimePoint.SESSION, day, carer, email, session, rng)
                )
        if enrolment.child_id is None or not place.attended:
            continue
        end = timezone.localdate(place.sessions[-1].starts_at)
        for carer, email in _recipients(place):
            asked.append(
                _ask(enrolment, confidence, TimePoint.RUN_END, end, carer, email, None, rng)
            )
            asked.append(_ask(enrolment, fft, TimePoint.RUN_END, end, carer, email, None, rng))
    written = Administration.objects.bulk_create(
        [item.administration for item in asked], batch_size=500
    )
    _responses(
        [(a, item.answers) for a, item in zip(written, asked, strict=True) if item.answers],
        cast,
        rng,
    )
    by_due: dict[dt.date, list[int]] = defaultdict(list)
    for administration in written:
        by_due[administration.due_on].append(administration.pk)
    _backdate(Administration.objects.all(), by_due)


def _recipients(place: Place) -> list[tuple[Carer | None, str]]:
    if place.enrolment.child_id is not None:
        return [(carer, "") for carer in place.carers]
    return [(None, place.enrolment.participant_email)]


def _ask(
    enrolment: Enrolment,
    version: InstrumentVersion,
    time_point: str,
    due: dt.date,
    carer: Carer | None,
    email: str,
    session: Session | None,
    rng: random.Random,
) -> Asked:
    sent = _at(due, 20 if time_point == TimePoint.SESSION else 10)
    share = FEEDBACK_ANSWERED if time_point == TimePoint.SESSION else ANSWERED
    answers = _answers(version, rng) if rng.random() < share else None
    administration = Administration(
        team=enrolment.run.team,
        child_id=enrolment.child_id,
        child_locality_id=enrolment.child_locality_id,  # written in bulk: no save to stamp it
        instrument_version=version,
        run=enrolment.run,
        session=session,
        enrolment=enrolment,
        time_point=time_point,
        respondent=Respondent.PARENT if enrolment.child_id else Respondent.TEACHER,
        carer=carer,
        recipient_email=email,
        due_on=due,
        sent_at=sent,
        # Unanswered ones were reminded once, long ago: nothing is owed now.
        status=AdministrationStatus.COMPLETED if answers else AdministrationStatus.SENT,
        reminded_at=None if answers else sent + dt.timedelta(days=7),
        completed_at=sent + dt.timedelta(hours=rng.randint(1, 60)) if answers else None,
    )
    return Asked(administration, answers)


def _answers(version: InstrumentVersion, rng: random.Random) -> dict[str, object]:
    name = version.instrument.name
    if name == FAMILY_CONFIDENCE:
        # The reference service: every family extremely or somewhat confident.
        return {"confidence": rng.choice(["extremely", "extremely", "extremely", "somewhat"])}
    if name == FRIENDS_AND_FAMILY_TEST:
        return {"experience": rng.choice(["1", "1", "1", "2", "2", "3"])}
    return {"rating": rng.choice(["5", "5", "4", "4", "3"])}


def _responses(
    answered: list[tuple[Administration, dict[str, object]]], cast: Cast, rng: random.Random
) -> None:
    languages: dict[tuple[int, str], str] = {}
    responses = []
    for administration, answers in answered:
        version = administration.instrument_version
        wanted = administration.carer.preferred_language if administration.carer else "en"
        key = (version.pk, wanted)
        if key not in languages:
            languages[key] = language_for(version, wanted)
        paper = rng.random() < ON_PAPER
        assert administration.completed_at is not None
        responses.append(
            Response(
                administration=administration,
                child_locality_id=administration.child_locality_id,  # bulk: stamped here
                instrument_version=version,
                answers=answers,
                scores=score_answers(version.scoring, answers),
                language=languages[key],
                mode=Mode.PAPER if paper else Mode.LINK,
                submitted_at=administration.completed_at,
                entered_by=cast.lead if paper else None,
            )
        )
    Response.objects.bulk_create(responses, batch_size=500)
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for response in responses:
        by_day[timezone.localdate(response.submitted_at)].append(response.pk)
    _backdate(Response.objects.all(), by_day)


def _backdate(records: QuerySet[Model], by_day: dict[dt.date, list[int]]) -> None:
    """Creation times to the day things happened, a day at a time."""
    for day, pks in by_day.items():
        when = _at(day, 21)
        records.filter(pk__in=pks).update(created_at=when, updated_at=when)


def load(*, team: Team, cast: Cast, rng: random.Random, today: dt.date) -> None:
    redesign = start_of_week(today) - dt.timedelta(weeks=REDESIGN_WEEKS_AGO)
    programmes = _programmes(team)
    parenting = programmes["parenting"]
    # A parenting group's six weekly sessions have all been held.
    last_group = today - dt.timedelta(weeks=parenting.sessions_count)
    planned = _parenting_runs(parenting, group_days(team, last_start=last_group), rng)
    planned += _training_runs(programmes, redesign, today - BEFORE_DEMO_RUN, rng)
    if not planned:
        return
    runs = _write_runs(planned, team, cast)
    places = _enrol(runs, planned, cast, rng)
    _registers(places, runs, cast, rng)
    _questionnaires(places, team, cast, rng)
    # demo_consultations keeps its own slots from this week on.
    _consultations(places, team, cast, rng, before=start_of_week(today) - dt.timedelta(weeks=8))


def _consultations(
    places: list[Place], team: Team, cast: Cast, rng: random.Random, *, before: dt.date
) -> None:
    """Some staff booked a consultation in the weeks after their training: a Tuesday video
    call or a Thursday phone call, recorded as the OT saw it."""
    clinicians = cast.clinicians[:2]
    if not clinicians:
        return
    taken: set[tuple[int, dt.datetime]] = set()
    slots: list[Slot] = []
    bookings: list[Consultation] = []
    for place in places:
        enrolment = place.enrolment
        if enrolment.child_id is not None or not place.attended or rng.random() > CONSULTED:
            continue
        clinician = rng.choice(clinicians)
        day = timezone.localdate(place.sessions[-1].starts_at) + dt.timedelta(
            days=rng.randint(5, 28)
        )
        online = rng.random() < 0.6
        day = _on_or_after(day, 1 if online else 3)
        starts_at = _at(day, 15, 45) if online else _at(day, 16)
        if day >= before or (clinician.pk, starts_at) in taken:
            continue
        taken.add((clinician.pk, starts_at))
        slots.append(
            Slot(
                team=team,
                clinician=clinician,
                starts_at=starts_at,
                minutes=30,
                mode=demo_consultations.Mode.ONLINE if online else demo_consultations.Mode.PHONE,
                meeting_link=demo_consultations.MEETING_LINK if online else "",
                status=SlotStatus.BOOKED,
                created_by=clinician,
                updated_by=clinician,
            )
        )
        bookings.append(_booking(enrolment, team, starts_at, online, clinician, rng))
    for slot, booking in zip(Slot.objects.bulk_create(slots), bookings, strict=True):
        booking.slot = slot
    Consultation.objects.bulk_create(bookings)
    for booking in bookings:
        Slot.objects.filter(pk=booking.slot.pk).update(created_at=booking.booked_at)
        Consultation.objects.filter(pk=booking.pk).update(
            created_at=booking.booked_at, updated_at=booking.recorded_at
        )


def _booking(
    enrolment: Enrolment,
    team: Team,
    starts_at: dt.datetime,
    online: bool,
    clinician: User,
    rng: random.Random,
) -> Consultation:
    held = rng.random() < 0.85
    return Consultation(
        team=team,
        enrolment=enrolment,
        name=enrolment.participant_name,
        role=enrolment.participant_role,
        setting=enrolment.participant_setting,
        email=enrolment.participant_email,
        phone="" if online else f"07700 900{rng.randrange(1000):03d}",
        question=rng.choice(demo_consultations.QUESTIONS),
        booked_at=starts_at - dt.timedelta(days=rng.randint(2, 10)),
        status=ConsultationStatus.HELD if held else ConsultationStatus.NOT_HELD,
        advice=rng.choice(demo_consultations.ADVICE) if held else "",
        referral=rng.choice(demo_consultations.OUTCOMES) if held else "",
        not_held_reason="" if held else rng.choice(demo_consultations.NOT_HELD),
        recorded_at=starts_at + dt.timedelta(minutes=40),
        recorded_by=clinician,
        updated_by=clinician,
    )


def delete(team: Team) -> None:
    """Nothing of its own to remove: demo_outcomes.delete removes the team's measures and
    demo_groups.delete every run, these with them."""
    return None
