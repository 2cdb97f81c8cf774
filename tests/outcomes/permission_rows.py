"""The outcomes pages in the permission matrix (tests/core/test_permission_matrix.py)."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.urls import reverse

from sapling.core.roles import Role
from sapling.outcomes.administration import enter_paper_response
from sapling.outcomes.instruments import add_instrument
from tests.care.factories import EpisodeFactory, GoalFactory
from tests.factories import UserFactory
from tests.groups.factories import RunFactory
from tests.outcomes.factories import AdministrationFactory, two_pages
from tests.permission_objects import Builders, Objects

C, S, A, L, P, M = (
    Role.CLINICIAN,
    Role.SUPPORT_WORKER,
    Role.ADMINISTRATOR,
    Role.LEAD,
    Role.PARTNER,
    Role.COMMISSIONER,
)
CLINICAL = {C, S, L}
Row = tuple[str, Callable[[Objects], str], set[Role]]

# URL namespaces whose every named URL must appear below (or in PUBLIC).
NAMESPACES: set[str] = {"outcomes"}
# URL names anyone may open without logging in: the respondent's pages, reached from a
# secure link (they show nothing without one).
PUBLIC: set[str] = {"outcomes:answer_questionnaire", "outcomes:questionnaire_received"}
# (page, how to build its URL from the team's objects, the roles that may open it)
MATRIX: list[Row] = [
    ("outcomes", lambda o: reverse("outcomes:show_overview"), CLINICAL),
    ("instruments", lambda o: reverse("outcomes:list_instruments"), CLINICAL),
    ("load an instrument", lambda o: reverse("outcomes:upload_instrument"), {L}),
    (
        "instrument",
        lambda o: reverse("outcomes:show_instrument", args=[o["instrument"]]),
        CLINICAL,
    ),
    (
        "child's outcomes",
        lambda o: reverse("outcomes:show_child_outcomes", args=[o["child"]]),
        CLINICAL,
    ),
    (
        "schedule a measure",
        lambda o: reverse("outcomes:schedule_measure", args=[o["child"]]),
        CLINICAL,
    ),
    ("scale a goal", lambda o: reverse("outcomes:add_gas_goal", args=[o["child"]]), CLINICAL),
    ("rate goals", lambda o: reverse("outcomes:rate_gas_goals", args=[o["child"]]), CLINICAL),
    (
        "cancel a measure",
        lambda o: reverse("outcomes:cancel_measure", args=[o["measure"]]),
        CLINICAL,
    ),
    (
        "enter paper answers",
        lambda o: reverse("outcomes:enter_paper_response", args=[o["measure"]]),
        CLINICAL,
    ),
    (
        "episode outcomes",
        lambda o: reverse("outcomes:show_episode_outcomes", args=[o["outcomes_episode"]]),
        CLINICAL,
    ),
    (
        "plan an episode measure",
        lambda o: reverse("outcomes:plan_episode_measure", args=[o["outcomes_episode"]]),
        CLINICAL,
    ),
    (
        "rate an episode's goals",
        lambda o: reverse("outcomes:rate_episode_goals", args=[o["outcomes_episode"]]),
        CLINICAL,
    ),
    (
        "scale an episode goal",
        lambda o: reverse("outcomes:scale_goal", args=[o["outcomes_goal"]]),
        CLINICAL,
    ),
    (
        "group outcomes",
        lambda o: reverse("outcomes:show_run_outcomes", args=[o["outcomes_run"]]),
        CLINICAL,
    ),
    (
        "plan a group measure",
        lambda o: reverse("outcomes:plan_run_measure", args=[o["outcomes_run"]]),
        CLINICAL,
    ),
    (
        "FHIR export of a response",
        lambda o: reverse("outcomes:export_response", args=[o["response"]]),
        CLINICAL,
    ),
]
# Views that answer POST only.
POST_ONLY: list[Row] = []


def _response(o: Objects) -> int:
    measure = AdministrationFactory.create(team=o.team, child_id=o["child"])
    return enter_paper_response(
        administration=measure,
        answers={"confidence": "somewhat"},
        language="en",
        by=UserFactory.create(),
    ).pk


# How to build each record the rows above name: name -> (objects -> primary key).
BUILDERS: Builders = {
    "instrument": lambda o: (
        add_instrument(team=o.team, raw=json.dumps(two_pages()), by=UserFactory.create()).pk
    ),
    "measure": lambda o: AdministrationFactory.create(team=o.team, child_id=o["child"]).pk,
    "response": _response,
    "outcomes_episode": lambda o: EpisodeFactory.create(team=o.team).pk,
    "outcomes_goal": lambda o: GoalFactory.create(episode_id=o["outcomes_episode"]).pk,
    "outcomes_run": lambda o: RunFactory.create(programme__team=o.team).pk,
}
