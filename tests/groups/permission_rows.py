"""The groups pages in the permission matrix (tests/core/test_permission_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from sapling.core.roles import Role
from tests.groups.factories import EnrolmentFactory, ProgrammeFactory, RunFactory, SessionFactory
from tests.permission_objects import Builders, Objects

C, S, A, L, P, M = (
    Role.CLINICIAN,
    Role.SUPPORT_WORKER,
    Role.ADMINISTRATOR,
    Role.LEAD,
    Role.PARTNER,
    Role.COMMISSIONER,
)
STAFF = {C, S, A, L}
Row = tuple[str, Callable[[Objects], str], set[Role]]

# URL namespaces whose every named URL must appear below (or in PUBLIC).
NAMESPACES: set[str] = {"runs", "booking"}
# URL names anyone may open without logging in (public booking, secure-link pages).
PUBLIC: set[str] = {
    "booking:list_open_training",
    "booking:book_run",
    "booking:booked",
    "booking:send_topic",
    "booking:topic_sent",
}
MANAGE = {A, L}


def _place(o: Objects) -> list[int]:
    return [o["group_run"], o["group_enrolment"]]


REGISTER = {C, S, L}
# (page, how to build its URL from the team's objects, the roles that may open it)
MATRIX: list[Row] = [
    ("training and groups", lambda o: reverse("runs:list_runs"), STAFF),
    ("add programme", lambda o: reverse("runs:add_programme"), MANAGE),
    ("plan a run", lambda o: reverse("runs:add_run", args=[o["programme"]]), MANAGE),
    ("show run", lambda o: reverse("runs:show_run", args=[o["group_run"]]), STAFF),
    ("open run", lambda o: reverse("runs:open_run", args=[o["group_run"]]), MANAGE),
    ("finish run", lambda o: reverse("runs:finish_run", args=[o["group_run"]]), MANAGE),
    ("cancel run", lambda o: reverse("runs:cancel_run", args=[o["group_run"]]), MANAGE),
    ("enrol child", lambda o: reverse("runs:enrol_child", args=[o["group_run"]]), STAFF),
    ("withdraw enrolment", lambda o: reverse("runs:withdraw_enrolment", args=_place(o)), STAFF),
    ("digital access", lambda o: reverse("runs:update_digital_access", args=_place(o)), STAFF),
    ("register", lambda o: reverse("runs:take_register", args=[o["group_session"]]), REGISTER),
    (
        "session topics",
        lambda o: reverse("runs:session_topics", args=[o["group_session"]]),
        REGISTER,
    ),
    ("move session", lambda o: reverse("runs:move_session", args=[o["group_session"]]), MANAGE),
    (
        "cancel session",
        lambda o: reverse("runs:cancel_session", args=[o["group_session"]]),
        MANAGE,
    ),
    ("book training", lambda o: reverse("runs:list_training"), {P}),
    ("book a training place", lambda o: reverse("runs:book_training", args=[o["group_run"]]), {P}),
]
# Views that answer POST only.
POST_ONLY: list[Row] = []
# How to build each record the rows above name: name -> (objects -> primary key).
BUILDERS: Builders = {
    "programme": lambda o: ProgrammeFactory.create(team=o.team).pk,
    "group_run": lambda o: RunFactory.create(programme_id=o["programme"], team=o.team).pk,
    "group_session": lambda o: SessionFactory.create(run_id=o["group_run"], number=1).pk,
    "group_enrolment": lambda o: EnrolmentFactory.create(run_id=o["group_run"]).pk,
}
