"""The clinical record of an episode: assessments, notes and addenda, goals, the care plan
and equipment. Notes are drafts until signed; a signed note never changes again."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import User
from sapling.care.models import (
    Addendum,
    Appointment,
    Assessment,
    Episode,
    EpisodeStatus,
    EquipmentLoan,
    Goal,
    GoalStatus,
    Intervention,
    InterventionKind,
    Note,
)
from sapling.core.lifecycle import IllegalMove


def _require_open(episode: Episode) -> None:
    if episode.status != EpisodeStatus.OPEN:
        raise IllegalMove(_("This episode of care has been discharged; its record is closed"))


def _require_text(text: str, message: str) -> str:
    if not text.strip():
        raise IllegalMove(message)
    return text.strip()


@transaction.atomic
def record_assessment(
    *,
    episode: Episode,
    assessed_on: dt.date,
    areas: list[str],
    performance: str,
    environment: str,
    strengths: str,
    what_matters: str,
    by: User,
    appointment: Appointment | None = None,
) -> Assessment:
    _require_open(episode)
    if assessed_on > timezone.localdate():
        raise IllegalMove(_("An assessment cannot be dated in the future"))
    return Assessment.objects.create(
        episode=episode,
        appointment=appointment,
        assessed_on=assessed_on,
        areas=areas,
        performance=performance.strip(),
        environment=environment.strip(),
        strengths=strengths.strip(),
        what_matters=what_matters.strip(),
        author=by,
    )


@transaction.atomic
def write_note(
    *, episode: Episode, text: str, by: User, appointment: Appointment | None, sign: bool
) -> Note:
    """A new note, kept as a draft or signed at once."""
    _require_open(episode)
    if sign:
        _require_text(text, _("Write the note before signing it"))
    note = Note.objects.create(episode=episode, appointment=appointment, text=text, author=by)
    if sign:
        note.signed_at = timezone.now()
        note.save(update_fields=["signed_at"])
    return note


@transaction.atomic
def update_note(*, note: Note, text: str, by: User, sign: bool) -> Note:
    """Change a draft (its author only), and sign it if asked. A signed note is refused."""
    locked = Note.objects.select_for_update().get(pk=note.pk)
    if locked.signed_at is not None:
        raise IllegalMove(_("This note is signed and cannot be changed: add an addendum instead"))
    if locked.author_id != by.pk:
        raise IllegalMove(_("Only the note's author can change or sign it"))
    _require_open(locked.episode)
    if sign:
        _require_text(text, _("Write the note before signing it"))
    locked.text = text
    if sign:
        locked.signed_at = timezone.now()
    locked.save()
    return locked


@transaction.atomic
def add_addendum(*, note: Note, text: str, by: User) -> Addendum:
    """A correction or addition to a signed note, signed by its author as it is written."""
    if note.signed_at is None:
        raise IllegalMove(_("This note is still a draft: change it instead of adding to it"))
    return Addendum.objects.create(
        note=note, text=_require_text(text, _("Write the addendum")), author=by
    )


@transaction.atomic
def set_goal(*, episode: Episode, text: str, whose_words: str, on: dt.date, by: User) -> Goal:
    _require_open(episode)
    return Goal.objects.create(
        episode=episode,
        text=_require_text(text, _("Write the goal in the child's or family's words")),
        whose_words=whose_words.strip(),
        set_on=on,
        set_by=by,
    )


@transaction.atomic
def change_goal_status(*, goal: Goal, status: GoalStatus, on: dt.date) -> Goal:
    _require_open(goal.episode)
    if goal.status == status:
        raise IllegalMove(_("The goal already has that status"))
    goal.status = status
    goal.status_changed_on = on
    goal.save(update_fields=["status", "status_changed_on", "updated_at"])
    return goal


@transaction.atomic
def agree_intervention(
    *, episode: Episode, kind: InterventionKind, description: str, on: dt.date, by: User
) -> Intervention:
    _require_open(episode)
    return Intervention.objects.create(
        episode=episode,
        kind=kind,
        description=_require_text(description, _("Say what was agreed")),
        agreed_on=on,
        agreed_by=by,
    )


@transaction.atomic
def issue_equipment(*, episode: Episode, item: str, on: dt.date, by: User) -> EquipmentLoan:
    _require_open(episode)
    if on > timezone.localdate():
        raise IllegalMove(_("Equipment cannot be issued in the future"))
    return EquipmentLoan.objects.create(
        episode=episode, item=_require_text(item, _("Name the item")), issued_on=on, issued_by=by
    )


@transaction.atomic
def return_equipment(*, loan: EquipmentLoan, on: dt.date, note: str) -> EquipmentLoan:
    """Returns are recorded after discharge too: equipment comes back when it comes back."""
    locked = EquipmentLoan.objects.select_for_update().get(pk=loan.pk)
    if locked.returned_on is not None:
        raise IllegalMove(_("This equipment has already been returned"))
    if on < locked.issued_on:
        raise IllegalMove(_("Equipment cannot be returned before it was issued"))
    locked.returned_on = on
    locked.return_note = note
    locked.save(update_fields=["returned_on", "return_note", "updated_at"])
    return locked
