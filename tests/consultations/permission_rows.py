"""The consultations pages in the permission matrix (tests/core/test_permission_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from sapling.core.roles import Role
from tests.consultations.factories import ConsultationFactory, SlotFactory, in_days
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
NAMESPACES: set[str] = {"consultations"}
# URL names anyone may open without logging in: the booking page a secure link leads to.
PUBLIC: set[str] = {"consultations:book_with_link", "consultations:booking_confirmed"}
# (page, how to build its URL from the team's objects, the roles that may open it)
MATRIX: list[Row] = [
    ("consultations", lambda o: reverse("consultations:list_slots"), STAFF),
    ("publish a slot", lambda o: reverse("consultations:add_slot"), {C, L}),
    ("consultation slot", lambda o: reverse("consultations:show_slot", args=[o["slot"]]), STAFF),
    (
        "withdraw a slot",
        lambda o: reverse("consultations:withdraw_slot", args=[o["slot"]]),
        {C, L},
    ),
    (
        "record a consultation",
        lambda o: reverse("consultations:record_consultation", args=[o["booked_slot"]]),
        {C, L},
    ),
    ("my consultations", lambda o: reverse("consultations:list_my_consultations"), {P}),
    ("book a consultation", lambda o: reverse("consultations:book_consultation"), {P}),
]
# Views that answer POST only.
POST_ONLY: list[Row] = []
# How to build each record the rows above name: name -> (objects -> primary key).
BUILDERS: Builders = {
    "slot": lambda o: SlotFactory.create(team=o.team).pk,
    "booked_slot": lambda o: (
        ConsultationFactory.create(team=o.team, slot__starts_at=in_days(-1)).slot_id
    ),
}
