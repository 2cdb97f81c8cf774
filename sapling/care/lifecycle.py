"""Every move of an episode of care and its appointments: open, book, record, discharge.

Each function is one transaction that checks the move is allowed (IllegalMove with a
message for the user otherwise) and saves with optimistic locking where a form started
from a version.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import User
from sapling.care.models import (
    Appointment,
    CareSettings,
    ContactKind,
    ContactOutcome,
    DischargeReason,
    Episode,
    EpisodeStatus,
)
from sapling.core.lifecycle import IllegalMove
from sapling.triage.models import Tier
from sapling.waitlist import lifecycle as waitlist
from sapling.waitlist.models import (
    ClockRules,
    EndReason,
    StopReason,
    WaitingWellSettings,
    WaitlistEntry,
)

CANCELLED = {ContactOutcome.CANCELLED_BY_FAMILY, ContactOutcome.CANCELLED_BY_SERVICE}
REVIEW_EVERY = dt.timedelta(weeks=12)


# --- Episodes -----------------------------------------------------------------------------


@transaction.atomic
def open_episode(
    *, entry: WaitlistEntry, lead_clinician: User, on: dt.date, by: User | None
) -> Episode:
    """Take a child off the specialist waiting list into an episode of care.

    The entry is allocated to the lead clinician and stays on the list, clock running,
    until the first attended contact stops it. A child whose first specialist contact was
    recorded on the waiting list before the episode was opened can have one opened too.
    A re-referred child's new episode points at the one before, so the history stays linked.
    """
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.tier != Tier.SPECIALIST:
        raise IllegalMove(_("Only children waiting for specialist care can start an episode"))
    seen_already = entry.stop_reason == StopReason.SPECIALIST_CONTACT
    if entry.status not in waitlist.OPEN and not seen_already:
        raise IllegalMove(_("This child is no longer on the waiting list"))
    if Episode.objects.filter(entry=entry).exists():
        raise IllegalMove(_("An episode of care has already started from this entry"))
    if Episode.objects.filter(child=entry.child, status=EpisodeStatus.OPEN).exists():
        raise IllegalMove(_("This child already has an open episode of care"))
    if entry.status in waitlist.OPEN:
        waitlist.allocate(entry=entry, to=lead_clinician, by=by, expected_version=entry.version)
    previous = (
        Episode.objects.filter(child=entry.child, status=EpisodeStatus.DISCHARGED)
        .filter(next_episode__isnull=True)
        .order_by("-discharged_on", "-pk")
        .first()
    )
    return Episode.objects.create(
        team=entry.team,
        child=entry.child,
        entry=entry,
        referral=entry.referral,
        previous=previous,
        lead_clinician=lead_clinician,
        opened_on=on,
        review_due_on=on + REVIEW_EVERY,
        updated_by=by,
    )


def _require_open(episode: Episode) -> None:
    if episode.status != EpisodeStatus.OPEN:
        raise IllegalMove(_("This episode of care has been discharged"))


@transaction.atomic
def record_safeguarding_consideration(
    *, episode: Episode, text: str, by: User, expected_version: int
) -> Episode:
    """What the clinician considered about safeguarding, and decided; needed before a
    not-brought discharge."""
    _require_open(episode)
    if not text.strip():
        raise IllegalMove(_("Write what you considered and what you decided"))
    episode.safeguarding_considered = text.strip()
    episode.safeguarding_considered_by = by
    episode.safeguarding_considered_at = timezone.now()
    episode.updated_by = by
    episode.save_versioned(expected_version=expected_version)
    return episode


@transaction.atomic
def discharge(
    *,
    episode: Episode,
    reason: DischargeReason,
    summary: str,
    on: dt.date,
    by: User,
    expected_version: int,
) -> Episode:
    """Close the episode with a reason; unsigned notes and a not-brought discharge without
    a recorded safeguarding consideration are refused. Booked contacts are cancelled."""
    _require_open(episode)
    unsigned = episode.notes.filter(signed_at__isnull=True).count()
    if unsigned:
        raise IllegalMove(
            _("Sign or complete the %(count)s unsigned note(s) before discharging")
            % {"count": unsigned}
        )
    if reason == DischargeReason.NOT_BROUGHT and not episode.safeguarding_considered:
        raise IllegalMove(
            _(
                "Record your safeguarding consideration before discharging a child who was "
                "not brought"
            )
        )
    if on < episode.opened_on:
        raise IllegalMove(_("The discharge date must be on or after the episode started"))
    now = timezone.now()
    for appointment in episode.appointments.booked().filter(starts_at__gte=now):
        appointment.outcome = ContactOutcome.CANCELLED_BY_SERVICE
        appointment.outcome_note = _("Cancelled at discharge")
        appointment.outcome_recorded_at = now
        appointment.updated_by = by
        appointment.save_versioned(expected_version=appointment.version)
    episode.status = EpisodeStatus.DISCHARGED
    episode.discharge_reason = reason
    episode.discharge_summary = summary
    episode.discharged_on = on
    episode.discharged_by = by
    episode.updated_by = by
    episode.save_versioned(expected_version=expected_version)
    _end_entry_if_never_seen(episode, reason, on, by)
    return episode


def _end_entry_if_never_seen(
    episode: Episode, reason: DischargeReason, on: dt.date, by: User
) -> None:
    """A child discharged before any attended contact leaves the waiting list too."""
    entry = episode.entry
    if entry is None:
        return
    entry.refresh_from_db()
    if entry.status not in waitlist.OPEN:
        return
    end_reason = {
        DischargeReason.MOVED_AWAY: EndReason.MOVED_AWAY,
        DischargeReason.NOT_BROUGHT: EndReason.NOT_BROUGHT,
    }.get(reason, EndReason.NO_LONGER_NEEDED)
    waitlist.end_entry(
        entry=entry,
        reason=end_reason,
        on=on,
        note=_("Discharged from specialist care before a first contact"),
        by=by,
        expected_version=entry.version,
    )


# --- Appointments -------------------------------------------------------------------------


def clashes(
    *,
    clinician: User,
    episode: Episode,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    ignore: Appointment | None = None,
) -> list[Appointment]:
    """Contacts in the diary that overlap this time, for the clinician or the child."""
    overlapping = (
        Appointment.objects.in_diary()
        .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
        .select_related("episode__child", "clinician")
    )
    if ignore is not None:
        overlapping = overlapping.exclude(pk=ignore.pk)
    by_clinician = overlapping.filter(clinician=clinician)
    for_child = overlapping.filter(episode__child=episode.child)
    return list((by_clinician | for_child).distinct().order_by("starts_at"))


class Clash(IllegalMove):
    """The clinician or the child is already booked at that time."""

    def __init__(self, found: list[Appointment]) -> None:
        self.found = found
        super().__init__(_("That time clashes with another booking"))


@transaction.atomic
def book_appointment(
    *,
    episode: Episode,
    clinician: User,
    kind: ContactKind,
    starts_at: dt.datetime,
    minutes: int,
    location: str,
    video_link: str,
    by: User,
) -> Appointment:
    """Book a contact; refused in the past, for a closed episode, or over another booking."""
    _require_open(episode)
    if starts_at <= timezone.now():
        raise IllegalMove(_("A new booking must be in the future"))
    if not 5 <= minutes <= 480:
        raise IllegalMove(_("A contact lasts between 5 minutes and 8 hours"))
    if kind == ContactKind.ONLINE and not video_link:
        raise IllegalMove(_("Give the link to join an online contact"))
    if kind in {ContactKind.HOME, ContactKind.SCHOOL, ContactKind.CLINIC} and not location:
        raise IllegalMove(_("Say where the contact is"))
    ends_at = starts_at + dt.timedelta(minutes=minutes)
    # Lock the episode so two bookings for the same child cannot both pass the check.
    Episode.objects.select_for_update().filter(pk=episode.pk).first()
    found = clashes(clinician=clinician, episode=episode, starts_at=starts_at, ends_at=ends_at)
    if found:
        raise Clash(found)
    appointment = Appointment.objects.create(
        team=episode.team,
        episode=episode,
        clinician=clinician,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        video_link=video_link,
        booked_by=by,
        updated_by=by,
    )
    _restart_clock_on_rebooking(episode, appointment, by)
    return appointment


@transaction.atomic
def record_outcome(
    *,
    appointment: Appointment,
    outcome: ContactOutcome,
    note: str,
    by: User,
    expected_version: int,
) -> Appointment:
    """Attended, cancelled (by the family or the service) or not brought.

    The first attended contact stops the waiting-list clock; a cancelled or not-brought one
    does not (it may restart it, under the team's clock rules: see _apply_clock_rule).
    """
    episode = appointment.episode
    _require_open(episode)
    if outcome == ContactOutcome.BOOKED:
        raise IllegalMove(_("Choose what happened"))
    if appointment.outcome != ContactOutcome.BOOKED:
        raise IllegalMove(
            _("The outcome of this contact was already recorded: %(outcome)s")
            % {"outcome": appointment.get_outcome_display()}
        )
    if outcome in {ContactOutcome.ATTENDED, ContactOutcome.NOT_BROUGHT} and (
        appointment.starts_at > timezone.now()
    ):
        raise IllegalMove(_("A contact that has not started yet cannot be attended or missed"))
    appointment.outcome = outcome
    appointment.outcome_note = note
    appointment.outcome_recorded_at = timezone.now()
    appointment.updated_by = by
    appointment.save_versioned(expected_version=expected_version)
    entry = episode.entry
    day = timezone.localdate(appointment.starts_at)
    if entry is None:
        return appointment
    entry.refresh_from_db()
    if entry.status not in waitlist.OPEN:
        return appointment  # seen already, or taken off the list by hand
    if outcome == ContactOutcome.ATTENDED:
        waitlist.stop_clock(entry=entry, on=day, reason=StopReason.SPECIALIST_CONTACT, by=by)
    else:
        _apply_clock_rule(entry, appointment, outcome, day, by)
    return appointment


# The team's clock rules (sapling/waitlist/clock.py) applied while the child still waits.
_WALES_RULES = {
    ContactOutcome.NOT_BROUGHT: "wales.not_brought",
    ContactOutcome.CANCELLED_BY_FAMILY: "wales.could_not_attend",
}
ENGLAND_RULE = "england.first_not_brought"


def _apply_clock_rule(
    entry: WaitlistEntry, appointment: Appointment, outcome: str, day: dt.date, by: User
) -> None:
    """NHS Wales: a first appointment the family cancelled or the child was not brought to
    restarts the clock from that day. (NHS England restarts it when the family rebooks.)"""
    if WaitingWellSettings.for_team(entry.team).clock_rules != ClockRules.WALES:
        return
    rule = _WALES_RULES.get(ContactOutcome(outcome))
    if rule is None or day <= entry.clock_start:
        return
    waitlist.adjust_clock(
        entry=entry,
        rule=rule,
        happened_on=day,
        new_clock_start=day,
        reason=_("Recorded on the specialist contact of %(when)s")
        % {"when": f"{timezone.localtime(appointment.starts_at):%-d %B %Y %H:%M}"},
        by=by,
        expected_version=entry.version,
    )


def _restart_clock_on_rebooking(episode: Episode, appointment: Appointment, by: User) -> None:
    """NHS England: after a first appointment the child was not brought to, the clock
    restarts on the day the family rebooks (once)."""
    entry = episode.entry
    if entry is None or entry.status not in waitlist.OPEN:
        return
    if WaitingWellSettings.for_team(entry.team).clock_rules != ClockRules.ENGLAND:
        return
    happened = list(
        episode.appointments.exclude(outcome__in=[ContactOutcome.BOOKED, *CANCELLED])
        .exclude(pk=appointment.pk)
        .order_by("starts_at")[:1]
    )
    if not happened or happened[0].outcome != ContactOutcome.NOT_BROUGHT:
        return
    if entry.adjustments.filter(rule=ENGLAND_RULE).exists():
        return
    today = timezone.localdate()
    waitlist.adjust_clock(
        entry=entry,
        rule=ENGLAND_RULE,
        happened_on=today,
        new_clock_start=max(today, entry.clock_start),
        reason=_("The family rebooked after the first appointment was missed"),
        by=by,
        expected_version=entry.version,
    )


def not_brought_in_a_row(episode: Episode) -> int:
    """How many of the latest contacts that happened, in a row, the child was not brought to."""
    count = 0
    happened = episode.appointments.exclude(outcome__in=[ContactOutcome.BOOKED, *CANCELLED])
    for outcome in happened.order_by("-starts_at").values_list("outcome", flat=True):
        if outcome != ContactOutcome.NOT_BROUGHT:
            break
        count += 1
    return count


def not_brought_prompt(episode: Episode) -> str:
    """The team's not-brought policy, when this episode has reached it; "" otherwise."""
    if not episode.is_open:
        return ""
    settings = CareSettings.for_team(episode.team)
    if not_brought_in_a_row(episode) < settings.not_brought_in_a_row:
        return ""
    return settings.not_brought_steps


def first_contact_attended(episode: Episode) -> bool:
    return episode.appointments.filter(outcome=ContactOutcome.ATTENDED).exists()
