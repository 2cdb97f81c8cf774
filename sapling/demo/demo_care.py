"""The demo service's specialist care.

Up to a dozen children get episodes of care with the demo clinicians: the two at the top
of the specialist waiting list are new, with a first contact booked; the others are the
ten children whose first specialist contact the referral flow recorded most recently.
Those were assessed, set goals in their own words and given a care plan, with
signed notes and a next contact booked; one was then not brought twice in a row (the
not-brought prompt); one has a draft note waiting to be signed; one has been discharged
with a letter. Everything goes through the
care domain functions, except that contacts in the past are written straight into the
diary (booking refuses the past, rightly) before their outcome is recorded as it was.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models

from sapling.accounts.models import Team, User
from sapling.care import lifecycle, messages, record
from sapling.care.models import (
    Addendum,
    Appointment,
    Assessment,
    CareSettings,
    ContactKind,
    ContactOutcome,
    DischargeReason,
    Episode,
    EquipmentLoan,
    Goal,
    GoalStatus,
    Intervention,
    InterventionKind,
    Note,
)
from sapling.core.models import OutboxMessage
from sapling.demo.flow import Cast
from sapling.referrals.models import OccupationalArea
from sapling.waitlist.lifecycle import OPEN
from sapling.waitlist.models import StopReason, WaitlistEntry

LONDON = ZoneInfo("Europe/London")
EPISODES = 12
NEW = 2
CLINIC = "Morriston Child Development Centre"

GOALS = [
    ("I want to do up my own coat for playtime.", "the child"),
    ("Get dressed for school without a row every morning.", "Mum"),
    ("Write my name so people can read it.", "the child"),
    ("Eat with a knife and fork at Nain's on Sundays.", "Dad"),
    ("Ride my bike to school with my brother.", "the child"),
    ("Stay in class for the whole of the morning.", "the class teacher and Mum"),
    ("Brush my teeth on my own.", "the child"),
]
INTERVENTIONS = [
    (InterventionKind.ADVICE, "Morning routine as a picture sequence on the bedroom door."),
    (InterventionKind.SKILLS, "Buttons and zips on a dressing frame, ten minutes a day."),
    (InterventionKind.SCHOOL, "Movement break before seated work; writing slope in class."),
    (InterventionKind.ENVIRONMENT, "Quiet corner at home with a beanbag and ear defenders."),
    (InterventionKind.EQUIPMENT, "Triangular pencil grips for home and school."),
]
EQUIPMENT = ["Writing slope", "Wobble cushion", "Angled cutlery set", "Ear defenders"]
NOTES = [
    "First contact at home with Mum. Observed dressing and breakfast routine. {name} was "
    "chatty and keen; managed large buttons, not small ones or the zip. Agreed goals in "
    "{name}'s words. Plan: dressing practice daily, review in four weeks.",
    "School visit. Observed a literacy lesson: {name} tires quickly, grips the pencil very "
    "tightly and leans on the desk. Discussed a writing slope and movement breaks with the "
    "class teacher, who will try both for half a term.",
    "Clinic session. Fine-motor activities (theraputty, pegs, tweezers game). Good effort; "
    "now opening a yoghurt pot alone. Home programme updated.",
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=LONDON)


def _past_contact(
    episode: Episode, clinician: User, day: dt.date, outcome: ContactOutcome, kind: ContactKind
) -> Appointment:
    starts = _at(day, 9 + episode.pk % 7)
    appointment = Appointment.objects.create(
        team=episode.team,
        episode=episode,
        clinician=clinician,
        kind=kind,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        location=CLINIC if kind != ContactKind.ONLINE else "",
        video_link="https://meet.example.nhs.uk/ot" if kind == ContactKind.ONLINE else "",
        booked_by=clinician,
        updated_by=clinician,
    )
    return lifecycle.record_outcome(
        appointment=appointment,
        outcome=outcome,
        note="",
        by=clinician,
        expected_version=appointment.version,
    )


def _book_next(episode: Episode, clinician: User, today: dt.date, rng: random.Random) -> None:
    for _attempt in range(6):
        day = today + dt.timedelta(days=rng.randint(1, 18))
        if day.weekday() >= 5:
            continue
        try:
            lifecycle.book_appointment(
                episode=episode,
                clinician=clinician,
                kind=rng.choice([ContactKind.HOME, ContactKind.SCHOOL, ContactKind.CLINIC]),
                starts_at=_at(day, rng.randint(9, 15)),
                minutes=60,
                location=CLINIC,
                video_link="",
                by=clinician,
            )
            return
        except lifecycle.Clash:
            continue


def _seen(episode: Episode, lead: User, first: dt.date, rng: random.Random, today: dt.date) -> None:
    """An episode under way: first contact attended, assessed, goals, plan, notes."""
    name = episode.child.preferred_name or episode.child.given_name
    contact = _past_contact(episode, lead, first, ContactOutcome.ATTENDED, ContactKind.HOME)
    record.record_assessment(
        episode=episode,
        assessed_on=first,
        areas=rng.sample([a.value for a in OccupationalArea], 2),
        performance=f"{name} manages most self-care with prompts; fine-motor tasks are slow.",
        environment="Busy home in the mornings; open-plan classroom.",
        strengths=f"{name} is determined, sociable and loves Lego.",
        what_matters="Being ready for school on time and joining in at playtime.",
        by=lead,
        appointment=contact,
    )
    record.write_note(
        episode=episode,
        text=rng.choice(NOTES).format(name=name),
        by=lead,
        appointment=contact,
        sign=True,
    )
    for text, whose in rng.sample(GOALS, 2):
        record.set_goal(episode=episode, text=text, whose_words=whose, on=first, by=lead)
    for kind, text in rng.sample(INTERVENTIONS, 2):
        record.agree_intervention(episode=episode, kind=kind, description=text, on=first, by=lead)
    if rng.random() < 0.5:
        record.issue_equipment(episode=episode, item=rng.choice(EQUIPMENT), on=first, by=lead)
    second = first + dt.timedelta(weeks=2)
    if second < today:
        again = _past_contact(episode, lead, second, ContactOutcome.ATTENDED, ContactKind.SCHOOL)
        record.write_note(
            episode=episode,
            text=NOTES[2].format(name=name),
            by=lead,
            appointment=again,
            sign=True,
        )


def _candidates(team: Team, today: dt.date) -> tuple[list[WaitlistEntry], list[WaitlistEntry]]:
    """Specialist entries still waiting (new episodes), and the children whose first
    specialist contact the referral flow recorded most recently (episodes under way).

    The most recent, not those within a fixed window: a small demo may have seen only a
    couple of children in the last months, and every story below needs a child.
    """
    specialist = WaitlistEntry.objects.filter(team=team, tier="specialist").select_related("child")
    waiting = specialist.filter(status__in=OPEN).order_by("priority_rank", "clock_start", "pk")
    seen = specialist.filter(
        stop_reason=StopReason.SPECIALIST_CONTACT, clock_stopped_on__lt=today
    ).order_by("-clock_stopped_on", "-pk")
    return list(waiting[:NEW]), list(seen[: EPISODES - NEW])[::-1]


def load(*, team: Team, cast: Cast, rng: random.Random, today: dt.date) -> None:
    if not cast.clinicians:
        return
    waiting, seen = _candidates(team, today)
    CareSettings.objects.get_or_create(team=team)
    for number, entry in enumerate(waiting):
        lead = cast.clinicians[number % len(cast.clinicians)]
        episode = lifecycle.open_episode(entry=entry, lead_clinician=lead, on=today, by=lead)
        _book_next(episode, lead, today, rng)  # the first contact is still to come
    for number, entry in enumerate(seen):
        lead = cast.clinicians[number % len(cast.clinicians)]
        first = entry.clock_stopped_on
        assert first is not None
        episode = lifecycle.open_episode(entry=entry, lead_clinician=lead, on=first, by=lead)
        _seen(episode, lead, first, rng, today)
        _story(number, episode, lead, first, rng, today)


def _story(
    number: int, episode: Episode, lead: User, first: dt.date, rng: random.Random, today: dt.date
) -> None:
    if number == 0:  # not brought twice in a row since: the clinician is prompted
        for days in (10, 3):
            day = today - dt.timedelta(days=days)
            if day > first + dt.timedelta(weeks=2):
                _past_contact(episode, lead, day, ContactOutcome.NOT_BROUGHT, ContactKind.CLINIC)
        return
    if number == 1:  # a note still to sign
        record.write_note(
            episode=episode,
            text="Phoned Mum to talk through the new routine; to finish.",
            by=lead,
            appointment=None,
            sign=False,
        )
    if number == 2:  # goals met and discharged with a letter
        for goal in episode.goals.all():
            record.change_goal_status(goal=goal, status=GoalStatus.ACHIEVED, on=today)
        episode.refresh_from_db()
        lifecycle.discharge(
            episode=episode,
            reason=DischargeReason.GOALS_MET,
            summary="Goals met: dressing independently and managing at school.",
            on=today,
            by=lead,
            expected_version=episode.version,
        )
        messages.send_discharge_letters(episode)
        return
    _book_next(episode, lead, today, rng)


def _delete_audit_entries(model: type[models.Model], records: models.QuerySet) -> None:
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=records.values("pk"),
    ).delete()


def delete(team: Team) -> None:
    """Everything above, dependants first, with its audit trail and messages."""
    episodes = Episode.objects.filter(team=team)
    in_team = {"episode__team": team}
    records: list[tuple[type[models.Model], models.QuerySet]] = [
        (Addendum, Addendum.objects.filter(note__episode__team=team)),
        (Note, Note.objects.filter(**in_team)),
        (Assessment, Assessment.objects.filter(**in_team)),
        (Goal, Goal.objects.filter(**in_team)),
        (Intervention, Intervention.objects.filter(**in_team)),
        (EquipmentLoan, EquipmentLoan.objects.filter(**in_team)),
        (Appointment, Appointment.objects.filter(team=team)),
    ]
    for model, queryset in records:
        _delete_audit_entries(model, queryset)
        queryset.delete()
    _delete_audit_entries(Episode, episodes)
    episodes.update(previous=None)
    episodes.delete()
    CareSettings.objects.filter(team=team).delete()
    OutboxMessage.objects.filter(team=team, template__startswith="care.").delete()
