"""Capacity in the engine's unit, children started a week, from what a team has in post.

The engine counts throughput, not caseload: a team that can deliver 180 clinical hours a
week with episodes of 6 contacts of 1.5 hours (travel and notes included) starts 20
children a week in steady state, however long each episode runs.
"""

from __future__ import annotations


def clinician_capacity(
    wte: float,
    *,
    hours_per_wte: float = 37.5,
    clinical_share: float = 0.7,
    leave_share: float = 0.12,
    contacts_per_episode: float = 6,
    hours_per_contact: float = 1.5,
) -> float:
    """One-to-one episodes a team can start a week.

    ``clinical_share`` is the part of the week spent with or for children (not training,
    supervision or meetings); ``leave_share`` covers annual leave, bank holidays and
    sickness; ``hours_per_contact`` includes travel and notes.
    """
    if contacts_per_episode <= 0 or hours_per_contact <= 0:
        raise ValueError("an episode needs at least one contact of some length")
    clinical_hours = wte * hours_per_wte * clinical_share * (1 - leave_share)
    return clinical_hours / (contacts_per_episode * hours_per_contact)


def group_capacity(
    runs_per_term: float, places_per_run: float, *, fill: float = 0.85, term_weeks: float = 13
) -> float:
    """Group places a week, averaged over a term: runs x places x expected fill / weeks.

    Groups start at set points in a term; spreading their places over the term's weeks is
    what a weekly model can carry. Use ``capacity_seasonality`` for the holidays.
    """
    if term_weeks <= 0:
        raise ValueError("a term lasts at least a week")
    return runs_per_term * places_per_run * fill / term_weeks
