"""The care pages in the permission matrix (tests/core/test_permission_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from sapling.care.models import Episode
from sapling.core.roles import Role
from tests.care.factories import (
    AppointmentFactory,
    EpisodeFactory,
    EquipmentLoanFactory,
    GoalFactory,
    NoteFactory,
)
from tests.factories import MembershipFactory
from tests.permission_objects import Builders, Objects
from tests.waitlist.factories import WaitlistEntryFactory

C, S, A, L, P, M = (
    Role.CLINICIAN,
    Role.SUPPORT_WORKER,
    Role.ADMINISTRATOR,
    Role.LEAD,
    Role.PARTNER,
    Role.COMMISSIONER,
)
STAFF = {C, S, A, L}
CLINICAL = {C, S, L}
Row = tuple[str, Callable[[Objects], str], set[Role]]


def _episode(o: Objects) -> Episode:
    return Episode.objects.get(pk=o["episode"])


# URL namespaces whose every named URL must appear below (or in PUBLIC).
NAMESPACES: set[str] = {"care"}
# URL names anyone may open without logging in (public booking, secure-link pages).
PUBLIC: set[str] = set()
# (page, how to build its URL from the team's objects, the roles that may open it)
MATRIX: list[Row] = [
    ("my caseload", lambda o: reverse("care:show_caseload"), CLINICAL),
    ("team caseloads", lambda o: reverse("care:list_caseloads"), {L}),
    (
        "a clinician's caseload",
        lambda o: reverse("care:show_clinician_caseload", args=[o["care_clinician"]]),
        {L},
    ),
    ("diary", lambda o: reverse("care:show_diary"), STAFF),
    ("care settings", lambda o: reverse("care:update_settings"), {L}),
    (
        "start episode",
        lambda o: reverse("care:start_episode", args=[o["specialist_entry"]]),
        CLINICAL,
    ),
    ("book appointment", lambda o: reverse("care:book_appointment"), STAFF),
    (
        "show appointment",
        lambda o: reverse("care:show_appointment", args=[o["appointment"]]),
        STAFF,
    ),
    (
        "record outcome",
        lambda o: reverse("care:record_outcome", args=[o["appointment"]]),
        CLINICAL,
    ),
    (
        "cancel appointment",
        lambda o: reverse("care:cancel_appointment", args=[o["appointment"]]),
        STAFF,
    ),
    ("show episode", lambda o: reverse("care:show_episode", args=[o["episode"]]), CLINICAL),
    (
        "safeguarding consideration",
        lambda o: reverse("care:record_safeguarding_consideration", args=[o["episode"]]),
        CLINICAL,
    ),
    ("discharge episode", lambda o: reverse("care:discharge_episode", args=[o["episode"]]), {C, L}),
    (
        "discharge letter",
        lambda o: reverse("care:show_discharge_letter", args=[o["discharged_episode"], "gp"]),
        CLINICAL,
    ),
    ("add note", lambda o: reverse("care:add_note", args=[o["episode"]]), CLINICAL),
    (
        "update note",
        lambda o: reverse("care:update_note", args=[o["episode"], o["care_note"]]),
        CLINICAL,
    ),
    (
        "add addendum",
        lambda o: reverse("care:add_addendum", args=[o["episode"], o["signed_note"]]),
        CLINICAL,
    ),
    ("add assessment", lambda o: reverse("care:add_assessment", args=[o["episode"]]), CLINICAL),
    ("add goal", lambda o: reverse("care:add_goal", args=[o["episode"]]), CLINICAL),
    (
        "update goal",
        lambda o: reverse("care:update_goal", args=[o["episode"], o["goal"]]),
        CLINICAL,
    ),
    ("add intervention", lambda o: reverse("care:add_intervention", args=[o["episode"]]), CLINICAL),
    ("issue equipment", lambda o: reverse("care:issue_equipment", args=[o["episode"]]), CLINICAL),
    (
        "return equipment",
        lambda o: reverse("care:return_equipment", args=[o["episode"], o["loan"]]),
        CLINICAL,
    ),
]
# Views that answer POST only.
POST_ONLY: list[Row] = []
# How to build each record the rows above name: name -> (objects -> primary key).
BUILDERS: Builders = {
    "episode": lambda o: EpisodeFactory.create(team=o.team).pk,
    "discharged_episode": lambda o: (
        EpisodeFactory.create(
            team=o.team,
            status="discharged",
            discharge_reason="goals_met",
            discharged_on=timezone.localdate(),
        ).pk
    ),
    "specialist_entry": lambda o: WaitlistEntryFactory.create(team=o.team, tier="specialist").pk,
    "appointment": lambda o: AppointmentFactory.create(episode=_episode(o)).pk,
    "care_note": lambda o: NoteFactory.create(episode=_episode(o)).pk,
    "signed_note": lambda o: NoteFactory.create(episode=_episode(o), signed_at=timezone.now()).pk,
    "goal": lambda o: GoalFactory.create(episode=_episode(o)).pk,
    "loan": lambda o: EquipmentLoanFactory.create(episode=_episode(o)).pk,
    "care_clinician": lambda o: MembershipFactory.create(team=o.team, role=C).user.pk,
}
