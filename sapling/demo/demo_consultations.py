"""The demo service's consultations after training.

Two clinicians keep two slots a week (a Tuesday video call, a Thursday phone call) from
eight weeks ago to three weeks ahead. People who attended the demo's universal training
(and the demo partner, if they attended) book some of them; the past ones are recorded as
an OT would: advice given and whether a referral was avoided, made or already in. All of
it goes through the consultations lifecycle, at the moment it would have happened.
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
from sapling.consultations import lifecycle
from sapling.consultations.invitations import PURPOSE, partner_training
from sapling.consultations.models import Consultation, Mode, ReferralOutcome, Slot
from sapling.core.models import MessageStatus, OutboxMessage, SecureLink
from sapling.demo.flow import Cast
from sapling.groups.models import Enrolment, Mark

LONDON = ZoneInfo("Europe/London")
WEEKS_BACK = 8
WEEKS_AHEAD = 3
# (weekday, hour, minute, mode): Tuesday 15:45 by video, Thursday 16:00 by phone.
WEEKLY = ((1, 15, 45, Mode.ONLINE), (3, 16, 0, Mode.PHONE))
MEETING_LINK = "https://meet.example.nhs.uk/ot-consultations"

QUESTIONS = [
    "A boy in my Year 2 class covers his ears in assembly and hides under the table at "
    "wet play. What could we try?",
    "Several children in reception cannot yet hold a pencil with a tripod grip. Which "
    "activities help most?",
    "My daughter melts down every morning getting dressed for school. How can we make "
    "mornings calmer?",
    "A pupil with a new diagnosis of DCD struggles with PE changing. What adjustments would help?",
    "One of our nursery children only eats four foods. Is this something you would see?",
    "How can I set up a sensory corner on a small budget?",
]
ADVICE = [
    "Talked through a movement break before seated work and a quiet exit route from "
    "assembly; sent the sensory strategies handout.",
    "Suggested short daily fine-motor play (playdough, pegs, tweezers games) and a "
    "triangular pencil grip; review progress at half term.",
    "Agreed a visual morning routine, clothes laid out the night before, and extra time. "
    "Shared the dressing skills leaflet.",
    "Recommended changing for PE in a quiet space with extra time and Velcro fastenings; "
    "the school will try for six weeks.",
    "Explained the difference between picky eating and restricted eating; advised a GP "
    "review and food-play ideas at home.",
]
NOT_HELD = ["Did not answer two calls; left a message.", "Cancelled on the day by email."]
# Referral outcomes as the redesigned service saw them: most needs met by advice.
OUTCOMES = [ReferralOutcome.AVOIDED] * 6 + [ReferralOutcome.MADE] * 2 + [ReferralOutcome.ALREADY]


def _slot_times(today: dt.date) -> list[tuple[dt.datetime, Mode]]:
    monday = today - dt.timedelta(days=today.weekday())
    times = []
    for week in range(-WEEKS_BACK, WEEKS_AHEAD + 1):
        for weekday, hour, minute, mode in WEEKLY:
            day = monday + dt.timedelta(weeks=week, days=weekday)
            times.append((dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON), mode))
    return times


def _attendees(team: Team) -> list[Enrolment]:
    """The demo's universal-training attendees without accounts, in a stable order."""
    return list(
        Enrolment.objects.filter(
            run__team=team,
            run__programme__tier="universal",
            user__isnull=True,
            child__isnull=True,
            attendances__mark=Mark.ATTENDED,
        )
        .exclude(participant_email="")
        .select_related("run")
        .distinct()
        .order_by("pk")
    )


def _booker(enrolment: Enrolment) -> lifecycle.Booker:
    return lifecycle.Booker(
        name=enrolment.participant_name,
        email=enrolment.participant_email,
        role=enrolment.participant_role,
        setting=enrolment.participant_setting,
        enrolment=enrolment,
    )


def _publish(team: Team, clinicians: list[User], today: dt.date) -> list[Slot]:
    slots = []
    for starts_at, mode in _slot_times(today):
        for clinician in clinicians:
            slots.append(
                lifecycle.publish_slot(
                    team=team,
                    clinician=clinician,
                    starts_at=starts_at,
                    minutes=30,
                    mode=mode,
                    meeting_link=MEETING_LINK,
                    by=clinician,
                    now=starts_at - dt.timedelta(days=21),
                )
            )
    return slots


def _record(consultation: Consultation, rng: random.Random) -> None:
    slot = consultation.slot
    held = rng.random() < 0.85
    lifecycle.record_consultation(
        consultation=consultation,
        held=held,
        advice=rng.choice(ADVICE) if held else "",
        referral=rng.choice(OUTCOMES) if held else "",
        not_held_reason="" if held else rng.choice(NOT_HELD),
        by=slot.clinician,
        expected_version=consultation.version,
        now=slot.ends_at + dt.timedelta(minutes=10),
    )


def _book(
    slot: Slot, booker: lifecycle.Booker, rng: random.Random, now: dt.datetime
) -> Consultation:
    return lifecycle.book_slot(
        slot=slot,
        booker=booker,
        question=rng.choice(QUESTIONS),
        phone=f"07700 900{rng.randrange(1000):03d}" if slot.mode == Mode.PHONE else "",
        now=min(now, slot.starts_at - dt.timedelta(days=rng.randint(1, 10))),
    )


def load(*, team: Team, cast: Cast, rng: random.Random, today: dt.date) -> None:
    clinicians = cast.clinicians[:2]
    if not clinicians:
        return
    now = timezone.now()
    slots = _publish(team, clinicians, today)
    people = [_booker(e) for e in _attendees(team)]
    rng.shuffle(people)
    training = partner_training(team, cast.partner)
    if training is not None:
        partner = cast.partner
        name = partner.get_full_name() or partner.get_username()
        people.insert(
            0, lifecycle.Booker(name=name, email=partner.email, user=partner, enrolment=training)
        )
    for slot in slots:
        past = timezone.localdate(slot.starts_at) < today
        if not people or rng.random() > (0.65 if past else 0.4):
            continue
        consultation = _book(slot, people.pop(), rng, now)
        if past:
            _record(consultation, rng)
    # Confirmations of the demo's bookings went out when they were booked: nothing to send.
    OutboxMessage.objects.filter(team=team, template="consultations.confirmation").update(
        status=MessageStatus.SENT, sent_at=now
    )


def delete(team: Team) -> None:
    consultations = Consultation.objects.filter(team=team)
    slots = Slot.objects.filter(team=team)
    for model, records in ((Consultation, consultations), (Slot, slots)):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=records.values("pk"),
        ).delete()
    messages = OutboxMessage.objects.filter(team=team, template__startswith="consultations.")
    link_ids = list(messages.exclude(link=None).values_list("link_id", flat=True))
    messages.delete()
    # Booking links point at the team's enrolments, which the groups demo deletes next.
    enrolments = Enrolment.objects.filter(run__team=team).values("pk")
    SecureLink.objects.filter(
        Q(pk__in=link_ids)
        | Q(
            purpose=PURPOSE,
            target_type=ContentType.objects.get_for_model(Enrolment),
            target_id__in=enrolments,
        )
    ).delete()
    consultations.delete()
    slots.delete()
