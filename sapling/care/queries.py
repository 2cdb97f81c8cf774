"""Set-level reads of specialist care: a child's open episode, caseloads and diaries.

`open_episode_for(child)` is the one way other features ask whether a child is in
specialist care now.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.care.lifecycle import not_brought_prompt
from sapling.care.models import Appointment, ContactOutcome, Episode, EpisodeStatus
from sapling.children.models import Child
from sapling.core.roles import CLINICAL


def open_episode_for(child: Child) -> Episode | None:
    """The child's open episode of specialist care, if they have one."""
    return Episode.objects.filter(child=child, status=EpisodeStatus.OPEN).first()


def episode_history(child: Child) -> list[Episode]:
    """Every episode of the child, newest first: a re-referral's history stays in view."""
    return list(Episode.objects.filter(child=child).select_related("lead_clinician"))


def clinical_staff(team: Team) -> list[User]:
    return list(
        User.objects.filter(
            memberships__team=team, memberships__active=True, memberships__role__in=CLINICAL
        )
        .order_by("first_name", "last_name")
        .distinct()
    )


@dataclass
class CaseloadRow:
    episode: Episode
    next_contact: dt.datetime | None
    last_contact: dt.datetime | None
    days_since_last: int | None
    unsigned_notes: int
    review_due: bool
    not_brought: bool

    @property
    def overdue_actions(self) -> int:
        return int(self.unsigned_notes > 0) + int(self.review_due) + int(self.not_brought)


def caseload(team: Team, clinician: User, *, now: dt.datetime | None = None) -> list[CaseloadRow]:
    """The clinician's open episodes with their next contact, time since the last contact
    attended, and what is overdue: unsigned notes, a review due, the not-brought policy."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    episodes = (
        Episode.objects.for_team(team)
        .open()
        .filter(lead_clinician=clinician)
        .select_related("child", "team")
        .annotate(
            next_contact=Min(
                "appointments__starts_at",
                filter=Q(
                    appointments__outcome=ContactOutcome.BOOKED,
                    appointments__starts_at__gte=now,
                ),
            ),
            last_contact=Max(
                "appointments__starts_at",
                filter=Q(appointments__outcome=ContactOutcome.ATTENDED),
            ),
            unsigned=Count("notes", filter=Q(notes__signed_at__isnull=True), distinct=True),
        )
        .order_by("child__family_name", "child__given_name")
    )
    rows = []
    for episode in episodes:
        last = episode.last_contact
        rows.append(
            CaseloadRow(
                episode=episode,
                next_contact=episode.next_contact,
                last_contact=last,
                days_since_last=(today - timezone.localdate(last)).days if last else None,
                unsigned_notes=episode.unsigned,
                review_due=bool(episode.review_due_on and episode.review_due_on <= today),
                not_brought=bool(not_brought_prompt(episode)),
            )
        )
    return rows


@dataclass
class TeamCaseloadRow:
    clinician: User
    open_episodes: int = 0
    booked_this_week: int = 0
    unsigned_notes: int = 0
    reviews_due: int = 0


def team_caseloads(team: Team, *, today: dt.date | None = None) -> list[TeamCaseloadRow]:
    """Counts per clinician across the team, to balance work."""
    today = today or timezone.localdate()
    rows = {user.pk: TeamCaseloadRow(user) for user in clinical_staff(team)}
    episodes = Episode.objects.for_team(team).open()
    for lead_id, count in Counter(episodes.values_list("lead_clinician_id", flat=True)).items():
        rows.setdefault(lead_id, TeamCaseloadRow(User.objects.get(pk=lead_id)))
        rows[lead_id].open_episodes = count
    for lead_id in episodes.filter(review_due_on__lte=today).values_list(
        "lead_clinician_id", flat=True
    ):
        rows[lead_id].reviews_due += 1
    for author_id in episodes.filter(notes__signed_at__isnull=True).values_list(
        "notes__author_id", flat=True
    ):
        if author_id in rows:
            rows[author_id].unsigned_notes += 1
    week_start = today - dt.timedelta(days=today.weekday())
    start, end = week_bounds(week_start)
    booked = (
        Appointment.objects.for_team(team)
        .in_diary()
        .filter(starts_at__gte=start, starts_at__lt=end)
    )
    for clinician_id in booked.values_list("clinician_id", flat=True):
        if clinician_id in rows:
            rows[clinician_id].booked_this_week += 1
    return sorted(rows.values(), key=lambda row: -row.open_episodes)


# --- Diaries ------------------------------------------------------------------------------


def week_bounds(monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first and last instant of the (local) week starting on this Monday."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min, tzinfo=zone)
    return start, end


@dataclass
class DiaryDay:
    day: dt.date
    appointments: list[Appointment] = field(default_factory=list)


def week(team: Team, monday: dt.date, clinician: User | None) -> list[DiaryDay]:
    """Each day of the week with its contacts (one clinician's, or the whole team's)."""
    start, end = week_bounds(monday)
    appointments = (
        Appointment.objects.for_team(team)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("episode__child", "clinician")
        .order_by("starts_at", "clinician__first_name")
    )
    if clinician is not None:
        appointments = appointments.filter(clinician=clinician)
    days = [DiaryDay(monday + dt.timedelta(days=n)) for n in range(7)]
    for appointment in appointments:
        days[(timezone.localdate(appointment.starts_at) - monday).days].appointments.append(
            appointment
        )
    # Weekends show only when something is booked on them.
    return [d for d in days if d.day.weekday() < 5 or d.appointments]
