"""Safeguarding, statutory advice and school summary pages in the permission matrix
(tests/core/test_permission_matrix.py). The `children` namespace is checked there already."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from sapling.children.models import Child
from sapling.core.roles import Role
from tests.children.factories import (
    ChildAtSchoolFactory,
    PartnerSchoolFactory,
    SafeguardingConcernFactory,
    SchoolSummaryFactory,
    SharingConsentFactory,
    StatutoryAdviceRequestFactory,
)
from tests.factories import MembershipFactory
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


NAMESPACES: set[str] = {"children"}
PUBLIC: set[str] = set()
MATRIX: list[Row] = [
    ("open safeguarding concerns", lambda o: reverse("children:list_open_concerns"), {L}),
    ("safeguarding lead", lambda o: reverse("children:update_safeguarding_lead"), {L}),
    (
        "child's concerns",
        lambda o: reverse("children:list_child_concerns", args=[o["child"]]),
        CLINICAL,
    ),
    ("add concern", lambda o: reverse("children:add_concern", args=[o["child"]]), CLINICAL),
    (
        "escalate concern",
        lambda o: reverse("children:escalate_concern", args=[o["child"], o["concern"]]),
        CLINICAL,
    ),
    (
        "close concern",
        lambda o: reverse("children:close_concern", args=[o["child"], o["concern"]]),
        CLINICAL,
    ),
    ("statutory advice due", lambda o: reverse("children:list_advice_due"), {C, L}),
    (
        "child's statutory advice",
        lambda o: reverse("children:list_child_advice", args=[o["child"]]),
        {C, L},
    ),
    (
        "add advice request",
        lambda o: reverse("children:add_advice_request", args=[o["child"]]),
        {C, L},
    ),
    (
        "assign advice writer",
        lambda o: reverse("children:assign_advice_writer", args=[o["child"], o["advice"]]),
        {C, L},
    ),
    (
        "record advice sent",
        lambda o: reverse("children:record_advice_sent", args=[o["child"], o["advice"]]),
        {C, L},
    ),
    (
        "withdraw advice request",
        lambda o: reverse("children:withdraw_advice_request", args=[o["child"], o["advice"]]),
        {C, L},
    ),
    (
        "child's school summaries",
        lambda o: reverse("children:list_child_sharing", args=[o["pupil"]]),
        {C, L},
    ),
    (
        "add sharing consent",
        lambda o: reverse("children:add_sharing_consent", args=[o["pupil"]]),
        {C, L},
    ),
    (
        "withdraw sharing consent",
        lambda o: reverse("children:withdraw_sharing_consent", args=[o["pupil"], o["consent"]]),
        {C, L},
    ),
    (
        "add school summary",
        lambda o: reverse("children:add_school_summary", args=[o["pupil"]]),
        {C, L},
    ),
    (
        "update school summary",
        lambda o: reverse("children:update_school_summary", args=[o["pupil"], o["summary"]]),
        {C, L},
    ),
    (
        "release school summary",
        lambda o: reverse("children:release_school_summary", args=[o["pupil"], o["summary"]]),
        {C, L},
    ),
    (
        "withdraw school summary",
        lambda o: reverse("children:withdraw_school_summary", args=[o["pupil"], o["summary"]]),
        {C, L},
    ),
    ("shared summaries", lambda o: reverse("children:list_released_summaries"), {P}),
    # Shared with a partner of the school, not with the matrix's own partner: no one here
    # may open it (tests/children/test_sharing_pages.py opens it as that school's partner).
    (
        "shared summary",
        lambda o: reverse("children:show_released_summary", args=[o["summary"]]),
        set(),
    ),
    ("partners' schools", lambda o: reverse("children:list_partner_schools"), {L}),
    ("link partner to school", lambda o: reverse("children:add_partner_school"), {L}),
    (
        "end partner link",
        lambda o: reverse("children:end_partner_school", args=[o["partner_school"]]),
        {L},
    ),
]
POST_ONLY: list[Row] = []


def _partner_school(o: Objects) -> int:
    partner = MembershipFactory.create(team=o.team, role=Role.PARTNER).user
    return PartnerSchoolFactory.create(team=o.team, partner=partner).pk


def _child(o: Objects, name: str = "child") -> Child:
    return Child.objects.get(pk=o[name])


BUILDERS: Builders = {
    "concern": lambda o: SafeguardingConcernFactory.create(team=o.team, child=_child(o)).pk,
    "advice": lambda o: StatutoryAdviceRequestFactory.create(team=o.team, child=_child(o)).pk,
    "pupil": lambda o: ChildAtSchoolFactory.create(team=o.team).pk,
    "consent": lambda o: SharingConsentFactory.create(child=_child(o, "pupil")).pk,
    "summary": lambda o: SchoolSummaryFactory.create(team=o.team, child=_child(o, "pupil")).pk,
    "partner_school": _partner_school,
}
