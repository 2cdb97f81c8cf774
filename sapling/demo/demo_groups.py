"""The demo service's training and groups.

Three programmes, as the redesigned Swansea Bay service runs them:
- "Sensory processing in the classroom" (universal, school staff, online): a run that
  finished last month, with its registers (some dropped out), and an open run starting
  tomorrow with bookings, a reserve list and a digital-access need.
- "Understanding your child's behaviour" (targeted virtual parenting group): a run half
  way through, with children from the waiting list and their carers, registers taken for
  the sessions held (which stopped those children's clocks), and topics sent in.
- "Handwriting for teaching assistants" (universal, in person): in the catalogue, with a
  planned run.

Everything goes through the groups lifecycle at the moment it would have happened;
messages dated in the past are marked sent, so `sapling send-due` sends only what is due.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.core.models import MessageStatus, OutboxMessage, SecureLink
from sapling.demo.flow import Cast
from sapling.groups import lifecycle, register_counts
from sapling.groups.lifecycle import weekly_sessions
from sapling.groups.models import (
    Attendance,
    Enrolment,
    Programme,
    Resource,
    Run,
    Session,
    TopicInvitation,
    TopicSuggestion,
)
from sapling.waitlist.checkins import recipients
from sapling.waitlist.models import WaitlistEntry

LONDON = ZoneInfo("Europe/London")
MEETING_LINK = "https://meet.example.nhs.uk/sapling-training"
PARENT_LINK = "https://meet.example.nhs.uk/parenting-group"
FIRST_NAMES = [
    "Rhian", "Gareth", "Siân", "Dylan", "Ffion", "Owain", "Catrin", "Rhys", "Bethan",
    "Aled", "Lowri", "Iwan", "Megan", "Huw", "Nia", "Tomos", "Elin", "Dafydd",
]  # fmt: skip
FAMILY_NAMES = [
    "Evans", "Jones", "Williams", "Davies", "Thomas", "Roberts", "Hughes", "Lewis",
    "Morgan", "Griffiths", "Price", "Powell", "Rees", "Jenkins",
]  # fmt: skip
ROLES = ["Teaching assistant", "Class teacher", "ALNCo", "Nursery practitioner"]
SETTINGS = [
    "Ysgol Gynradd Treforys",
    "Pentrehafod School",
    "Ysgol y Graig",
    "Brynhyfryd Primary",
    "Clase Primary",
]
TOPICS = [
    ("challenge", "Bedtime takes two hours and ends in tears most nights."),
    ("question", "How do we use a visual timetable without it becoming a battle?"),
    ("topic", "Managing meltdowns when we are out shopping."),
    ("question", "Should we reward calm mornings, or does that make it worse?"),
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def _run(
    programme: Programme,
    *,
    title: str,
    first: dt.datetime,
    minutes: int,
    by: User,
    made_at: dt.datetime,
    link: str = "",
    venue: str = "",
) -> Run:
    return lifecycle.create_run(
        programme=programme,
        title=title,
        term="",
        venue=venue,
        meeting_link=link,
        capacity=programme.capacity,
        language="en",
        facilitators=list(programme.facilitators.all()),
        sessions=weekly_sessions(first, minutes=minutes, count=programme.sessions_count),
        by=by,
        now=made_at,
    )


def _ascii(name: str) -> str:
    return name.lower().replace("â", "a")


def _book_people(run: Run, rng: random.Random, count: int, when: dt.datetime) -> None:
    for n in range(count):
        given, family = rng.choice(FIRST_NAMES), rng.choice(FAMILY_NAMES)
        lifecycle.book_public(
            run=run,
            name=f"{given} {family}",
            role=rng.choice(ROLES),
            setting=rng.choice(SETTINGS),
            email=f"{_ascii(given)}.{family.lower()}{run.pk}{n}@school.example.org",
            now=when + dt.timedelta(hours=n),
        )


def _registers(run: Run, rng: random.Random, by: User, *, up_to: dt.datetime) -> None:
    """Registers for every session started by `up_to`: most come, a few drift away."""
    sessions = [s for s in run.sessions.order_by("starts_at") if s.starts_at <= up_to]
    enrolments = list(run.enrolments.filter(status="enrolled").order_by("pk"))
    leaves_after = {e.pk: rng.choice([99, 99, 99, 99, 1, 2]) for e in enrolments}
    for number, session in enumerate(sessions, start=1):
        marks = {}
        for enrolment in enrolments:
            if number > leaves_after[enrolment.pk]:
                marks[enrolment.pk] = rng.choice(["did_not_attend", "apologies"])
            else:
                marks[enrolment.pk] = "attended" if rng.random() < 0.88 else "apologies"
        lifecycle.record_register(
            session=session, marks=marks, by=by, now=session.ends_at + dt.timedelta(minutes=10)
        )


def load(*, team: Team, cast: Cast, rng: random.Random, today: dt.date) -> None:
    lead = cast.lead
    facilitators = cast.clinicians[:2] or [lead]
    now = timezone.now()
    sensory = Programme.objects.create(
        team=team,
        name="Sensory processing in the classroom",
        summary="Three online sessions for school staff: what sensory differences look "
        "like in class, and simple changes that help the whole class.",
        tier="universal",
        audience="school_staff",
        topic="sensory",
        delivery="online",
        sessions_count=3,
        capacity=20,
        languages=["en", "cy"],
    )
    parenting = Programme.objects.create(
        team=team,
        name="Understanding your child's behaviour",
        summary="A six-week virtual group for parents and carers. You shape the content: "
        "send in your topics before each session.",
        tier="targeted",
        audience="parents",
        topic="parenting",
        delivery="online",
        sessions_count=6,
        capacity=10,
        languages=["en"],
    )
    handwriting = Programme.objects.create(
        team=team,
        name="Handwriting for teaching assistants",
        summary="Two practical sessions on pencil grip, letter formation and warm-ups.",
        tier="universal",
        audience="school_staff",
        topic="handwriting",
        delivery="in_person",
        sessions_count=2,
        capacity=16,
        languages=["en"],
    )
    for programme in (sensory, parenting, handwriting):
        programme.facilitators.set(facilitators)

    # The sensory run that finished last month: booked, held, registered, finished.
    start = today - dt.timedelta(days=49)
    made = _at(start - dt.timedelta(days=28), 10)
    past = _run(
        sensory,
        title="Sensory processing in the classroom, autumn",
        first=_at(start, 15, 45),
        minutes=75,
        by=lead,
        made_at=made,
        link=MEETING_LINK,
    )
    lifecycle.open_run(run=past, by=lead, expected_version=past.version)
    _book_people(past, rng, 14, made + dt.timedelta(days=1))
    lifecycle.book_partner(run=past, user=cast.partner, now=made + dt.timedelta(days=2))
    _registers(past, rng, facilitators[0], up_to=now)
    past.refresh_from_db()
    lifecycle.finish_run(
        run=past, by=lead, expected_version=past.version, now=_at(start + dt.timedelta(days=15), 9)
    )

    # The next sensory run starts tomorrow: bookings, a reserve list, a digital need.
    soon = _run(
        sensory,
        title="Sensory processing in the classroom, winter",
        first=_at(today + dt.timedelta(days=1), 15, 45),
        minutes=75,
        by=lead,
        made_at=now - dt.timedelta(days=21),
        link=MEETING_LINK,
    )
    soon.capacity = 12
    soon.save()
    lifecycle.open_run(run=soon, by=lead, expected_version=soon.version)
    _book_people(soon, rng, 14, now - dt.timedelta(days=20))
    needing = soon.enrolments.filter(status="enrolled").order_by("pk").first()
    if needing is not None:
        lifecycle.record_digital_access(
            enrolment=needing,
            needs=["device", "confidence"],
            support="device_loan",
            arranged_on=today - dt.timedelta(days=3),
            by=cast.office[0] if cast.office else lead,
            expected_version=needing.version,
        )

    # The parenting group, half way through, with children from the waiting list.
    group_start = today - dt.timedelta(days=17)
    group_made = _at(group_start - dt.timedelta(days=21), 11)
    group = _run(
        parenting,
        title="Understanding your child's behaviour, evening group",
        first=_at(group_start, 19),
        minutes=90,
        by=lead,
        made_at=group_made,
        link=PARENT_LINK,
    )
    entries = (
        WaitlistEntry.objects.open()
        .filter(team=team, tier="targeted", clock_start__lt=group_made.date())
        .select_related("child")
        .order_by("clock_start", "pk")[:20]
    )
    enrolled = 0
    for entry in entries:
        carers = recipients(entry.child.carers.all())
        if not carers or enrolled >= 8:
            continue
        lifecycle.enrol_child(
            run=group,
            entry=entry,
            carers=carers,
            by=lead,
            now=group_made + dt.timedelta(hours=enrolled),
        )
        enrolled += 1
    _registers(group, rng, facilitators[-1], up_to=now)
    _topics(group, rng, now)

    # Handwriting: planned for next half term, not yet open.
    _run(
        handwriting,
        title="Handwriting for teaching assistants, spring",
        first=_at(today + dt.timedelta(days=42), 15, 30),
        minutes=90,
        by=lead,
        made_at=now,
        venue="Cockett Children's Centre, Swansea",
    )

    # What happened in the past was sent then.
    OutboxMessage.objects.filter(
        team=team, template__startswith="groups.", status=MessageStatus.QUEUED, send_after__lt=now
    ).update(status=MessageStatus.SENT, sent_at=now)


def _topics(run: Run, rng: random.Random, now: dt.datetime) -> None:
    """Topics parents sent in for the next session, and resources shared at past ones."""
    upcoming = run.sessions.filter(starts_at__gt=now).order_by("starts_at").first()
    held = run.sessions.filter(starts_at__lte=now).order_by("starts_at").last()
    enrolments = list(run.enrolments.filter(status="enrolled").order_by("pk"))
    if upcoming is not None:
        for enrolment, (kind, text) in zip(enrolments, TOPICS, strict=False):
            TopicSuggestion.objects.create(
                enrolment=enrolment, session=upcoming, kind=kind, text=text
            )
    if held is not None:
        library = Resource.objects.filter(team=run.team).order_by("pk")
        shared = [r for r in library if "parents" in r.audiences][:2]
        held.resources_shared.set(shared)
        for enrolment, (kind, text) in zip(enrolments[-2:], TOPICS[2:], strict=False):
            TopicSuggestion.objects.create(
                enrolment=enrolment,
                session=held,
                kind=kind,
                text=text,
                covered=True,
                covered_at=held.ends_at,
            )


def delete(team: Team) -> None:
    """Everything above, and the messages, links and audit entries that point at it."""
    invitations = TopicInvitation.objects.filter(session__run__team=team)
    invitation_type = ContentType.objects.get_for_model(TopicInvitation)
    OutboxMessage.objects.filter(
        Q(team=team, template__startswith="groups.")
        | Q(link_target_type=invitation_type, link_target_id__in=invitations.values("pk"))
    ).delete()
    SecureLink.objects.filter(
        target_type=invitation_type, target_id__in=invitations.values("pk")
    ).delete()
    for model, records in (
        (Enrolment, Enrolment.objects.filter(run__team=team)),
        (Attendance, Attendance.objects.filter(session__run__team=team)),
        (TopicSuggestion, TopicSuggestion.objects.filter(session__run__team=team)),
    ):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=records.values("pk"),
        ).delete()
    TopicSuggestion.objects.filter(session__run__team=team).delete()
    invitations.delete()
    with register_counts.deferred():  # one recount of each run going, not one per mark
        Attendance.objects.filter(session__run__team=team).delete()
        Enrolment.objects.filter(run__team=team).delete()
        Session.objects.filter(run__team=team).delete()
        Run.objects.filter(team=team).delete()
    Programme.objects.filter(team=team).delete()
