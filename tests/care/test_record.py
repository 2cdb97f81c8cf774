"""The clinical record: notes signed and immutable, addenda, goals, equipment."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sapling.accounts.models import User
from sapling.care import record
from sapling.care.models import GoalStatus
from sapling.core.lifecycle import IllegalMove
from tests.care.factories import EpisodeFactory, EquipmentLoanFactory, GoalFactory, NoteFactory

pytestmark = pytest.mark.django_db


def test_a_signed_note_records_its_author_and_time(clinician: User) -> None:
    episode = EpisodeFactory.create(lead_clinician=clinician)
    note = record.write_note(
        episode=episode, text="Practised buttons.", by=clinician, appointment=None, sign=True
    )
    assert note.author == clinician
    assert note.signed_at is not None


def test_signing_an_empty_note_is_refused_and_saves_nothing(clinician: User) -> None:
    episode = EpisodeFactory.create(lead_clinician=clinician)
    with pytest.raises(IllegalMove, match="Write the note before signing"):
        record.write_note(episode=episode, text="  ", by=clinician, appointment=None, sign=True)
    assert not episode.notes.exists()


def test_a_draft_can_be_finished_and_signed_by_its_author_only(clinician: User, lead: User) -> None:
    note = NoteFactory.create(episode__lead_clinician=clinician, text="Half")
    with pytest.raises(IllegalMove, match="author"):
        record.update_note(note=note, text="Changed", by=lead, sign=True)
    signed = record.update_note(note=note, text="Whole note.", by=clinician, sign=True)
    assert signed.text == "Whole note."
    assert signed.is_signed


def test_a_signed_note_cannot_be_edited(clinician: User) -> None:
    note = NoteFactory.create(episode__lead_clinician=clinician, signed_at=timezone.now())
    with pytest.raises(IllegalMove, match="add an addendum"):
        record.update_note(note=note, text="Rewritten", by=clinician, sign=False)
    note.refresh_from_db()
    assert note.text.startswith("Worked on buttons")


def test_corrections_to_a_signed_note_are_addenda(clinician: User, lead: User) -> None:
    note = NoteFactory.create(episode__lead_clinician=clinician, signed_at=timezone.now())
    addendum = record.add_addendum(note=note, text="It was the left hand, not the right.", by=lead)
    assert list(note.addenda.all()) == [addendum]
    assert addendum.author == lead
    with pytest.raises(IllegalMove, match="Write the addendum"):
        record.add_addendum(note=note, text="", by=lead)


def test_a_draft_takes_no_addendum(clinician: User) -> None:
    note = NoteFactory.create(episode__lead_clinician=clinician)
    with pytest.raises(IllegalMove, match="still a draft"):
        record.add_addendum(note=note, text="More", by=clinician)


def test_goals_keep_the_family_s_words_and_change_status(clinician: User) -> None:
    episode = EpisodeFactory.create(lead_clinician=clinician)
    goal = record.set_goal(
        episode=episode,
        text="Eat with a knife and fork at Nain's",
        whose_words="Mum",
        on=timezone.localdate(),
        by=clinician,
    )
    assert goal.text == "Eat with a knife and fork at Nain's"
    record.change_goal_status(goal=goal, status=GoalStatus.ACHIEVED, on=timezone.localdate())
    assert GoalFactory._meta.model.objects.get(pk=goal.pk).status == GoalStatus.ACHIEVED


def test_equipment_is_issued_and_returned_once(clinician: User) -> None:
    loan = EquipmentLoanFactory.create(episode__lead_clinician=clinician)
    record.return_equipment(loan=loan, on=timezone.localdate(), note="Good condition")
    with pytest.raises(IllegalMove, match="already been returned"):
        record.return_equipment(loan=loan, on=timezone.localdate(), note="")
