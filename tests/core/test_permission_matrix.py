"""Every role against every page so far: allowed (200) or refused (404), by a table."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from sapling.accounts.models import Team
from sapling.core.roles import Role
from tests.care import permission_rows as care_rows
from tests.children import permission_rows as children_rows
from tests.conftest import logged_in
from tests.consultations import permission_rows as consultations_rows
from tests.factories import (
    CarerFactory,
    ChildFactory,
    GPPracticeFactory,
    LetterFactory,
    MembershipFactory,
    ReferralFactory,
)
from tests.groups import permission_rows as groups_rows
from tests.outcomes import permission_rows as outcomes_rows
from tests.permission_objects import Builders, Objects
from tests.reports import permission_rows as reports_rows
from tests.reports.factories import PlanningRunFactory, PlanningScenarioFactory
from tests.waitlist.factories import CheckInFactory, ResourceFactory, WaitlistEntryFactory

# Each app with pages of its own keeps its rows, and how to build its records, beside its
# tests: tests/<app>/permission_rows.py (MATRIX, POST_ONLY, BUILDERS, NAMESPACES, PUBLIC).
EXTENSIONS = [
    groups_rows,
    care_rows,
    consultations_rows,
    children_rows,
    outcomes_rows,
    reports_rows,
]

C, S, A, L, P, M = (
    Role.CLINICIAN,
    Role.SUPPORT_WORKER,
    Role.ADMINISTRATOR,
    Role.LEAD,
    Role.PARTNER,
    Role.COMMISSIONER,
)
ALL_ROLES: list[Role] = [C, S, A, L, P, M]
STAFF = {C, S, A, L}

# (page, how to build its URL from the team's objects, the roles that may open it)
MATRIX: list[tuple[str, Callable[[Objects], str], set[Role]]] = [
    ("home", lambda o: reverse("core:home"), set(ALL_ROLES)),
    ("letters and messages", lambda o: reverse("core:list_messages"), {A, L}),
    ("capacity planning", lambda o: reverse("reports:show_planning"), {L}),
    ("compare scenarios", lambda o: reverse("reports:compare_scenarios"), {L}),
    (
        "comparison CSV",
        lambda o: reverse("reports:export_comparison") + "?scenario=baseline",
        {L},
    ),
    (
        "rename scenario",
        lambda o: reverse("reports:rename_scenario", args=[o["planning_scenario"]]),
        {L},
    ),
    (
        "archive scenario",
        lambda o: reverse("reports:archive_scenario", args=[o["planning_scenario"]]),
        {L},
    ),
    ("planning run", lambda o: reverse("reports:show_run", args=[o["planning_run"]]), {L}),
    ("planning run CSV", lambda o: reverse("reports:export_run", args=[o["planning_run"]]), {L}),
    ("find children", lambda o: reverse("children:find_children"), STAFF),
    ("add child", lambda o: reverse("children:add_child"), STAFF),
    ("show child", lambda o: reverse("children:show_child", args=[o["child"]]), STAFF),
    ("update child", lambda o: reverse("children:update_child", args=[o["child"]]), STAFF),
    ("child history", lambda o: reverse("children:child_history", args=[o["child"]]), STAFF),
    ("add carer", lambda o: reverse("children:add_carer", args=[o["child"]]), STAFF),
    (
        "update carer",
        lambda o: reverse("children:update_carer", args=[o["child"], o["carer"]]),
        STAFF,
    ),
    ("GP practices", lambda o: reverse("children:list_gp_practices"), {L}),
    ("add GP practice", lambda o: reverse("children:add_gp_practice"), {L}),
    (
        "update GP practice",
        lambda o: reverse("children:update_gp_practice", args=[o["practice"]]),
        {L},
    ),
    ("add GP cluster", lambda o: reverse("children:add_gp_cluster"), {L}),
    ("referrals", lambda o: reverse("referrals:list_referrals"), STAFF),
    ("add referral", lambda o: reverse("referrals:add_referral"), {A, C, L}),
    ("show referral", lambda o: reverse("referrals:show_referral", args=[o["referral"]]), STAFF),
    (
        "record child views",
        lambda o: reverse("referrals:record_child_views", args=[o["referral"]]),
        {C, L},
    ),
    (
        "duplicates",
        lambda o: reverse("referrals:show_duplicates", args=[o["referral"]]),
        {C, L},
    ),
    ("refer child", lambda o: reverse("referrals:refer_child"), {P}),
    ("my referrals", lambda o: reverse("referrals:list_my_referrals"), {P}),
    # Made by someone else, so no one may open it as their own (tests/referrals cover mine).
    (
        "my referral",
        lambda o: reverse("referrals:show_my_referral", args=[o["referral"]]),
        set(),
    ),
    ("awaiting triage", lambda o: reverse("triage:list_referrals"), {C, L}),
    ("triage referral", lambda o: reverse("triage:triage_referral", args=[o["referral"]]), {C, L}),
    ("triage rules", lambda o: reverse("triage:update_rules"), {L}),
    ("triage settings", lambda o: reverse("triage:update_settings"), {L}),
    ("waiting list", lambda o: reverse("waitlist:list_entries"), STAFF),
    ("waiting list export", lambda o: reverse("waitlist:export_entries"), {C, A, L}),
    ("waiting-list entry", lambda o: reverse("waitlist:show_entry", args=[o["entry"]]), STAFF),
    ("allocate entry", lambda o: reverse("waitlist:allocate_entry", args=[o["entry"]]), STAFF),
    ("end entry", lambda o: reverse("waitlist:end_entry", args=[o["entry"]]), STAFF),
    ("adjust clock", lambda o: reverse("waitlist:adjust_clock", args=[o["entry"]]), STAFF),
    (
        "record check-in call",
        lambda o: reverse("waitlist:record_check_in_call", args=[o["entry"], o["check_in"]]),
        STAFF,
    ),
    ("resources library", lambda o: reverse("groups:list_resources"), {A, L}),
    ("add resource", lambda o: reverse("groups:add_resource"), {A, L}),
    (
        "update resource",
        lambda o: reverse("groups:update_resource", args=[o["resource"]]),
        {A, L},
    ),
]

# Views that answer POST only: allowed roles get the page back (a form with errors),
# the others 404, and everyone 405 for a GET.
POST_ONLY: list[tuple[str, Callable[[Objects], str], set[Role]]] = [
    ("save scenario", lambda o: reverse("reports:save_scenario"), {L}),
    ("start planning run", lambda o: reverse("reports:start_run"), {L}),
    ("step planning run", lambda o: reverse("reports:step_run", args=[o["planning_run"]]), {L}),
    ("cancel planning run", lambda o: reverse("reports:cancel_run", args=[o["planning_run"]]), {L}),
    ("print letter", lambda o: reverse("core:print_letter", args=[o["letter"]]), {A, L}),
    (
        "decide referral",
        lambda o: reverse("triage:decide_referral", args=[o["referral"]]),
        {C, L},
    ),
]


def _core_objects() -> Builders:
    return {
        "child": lambda o: ChildFactory.create(team=o.team).pk,
        "carer": lambda o: CarerFactory.create(child_id=o["child"]).pk,
        "practice": lambda o: GPPracticeFactory.create(team=o.team).pk,
        "referral": lambda o: ReferralFactory.create(team=o.team, child_id=o["child"]).pk,
        "entry": lambda o: WaitlistEntryFactory.create(team=o.team).pk,
        "check_in": lambda o: CheckInFactory.create(entry_id=o["entry"]).pk,
        "resource": lambda o: ResourceFactory.create(team=o.team).pk,
        "letter": lambda o: LetterFactory.create(carer__child_id=o["child"]).pk,
        "planning_scenario": lambda o: PlanningScenarioFactory.create(team=o.team).pk,
        "planning_run": lambda o: PlanningRunFactory.create(team=o.team).pk,
    }


BUILDERS: Builders = {**_core_objects()}
for _extension in EXTENSIONS:
    MATRIX += _extension.MATRIX
    POST_ONLY += _extension.POST_ONLY
    BUILDERS.update(_extension.BUILDERS)


def _objects(team: Team) -> Objects:
    return Objects(team, BUILDERS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("page", "build_url", "allowed"), MATRIX, ids=[m[0] for m in MATRIX])
def test_each_role_reaches_only_the_pages_the_table_allows(
    team: Team,
    role: str,
    page: str,
    build_url: Callable[[Objects], str],
    allowed: set[str],
) -> None:
    user = MembershipFactory.create(team=team, role=role).user
    response = logged_in(user).get(build_url(_objects(team)))
    assert response.status_code == (200 if role in allowed else 404), page


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "build_url", "allowed"), MATRIX, ids=[m[0] for m in MATRIX])
def test_anonymous_visitors_are_sent_to_log_in(
    team: Team, page: str, build_url: Callable[[Objects], str], allowed: set[str]
) -> None:
    url = build_url(_objects(team))
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "build_url", "allowed"), MATRIX, ids=[m[0] for m in MATRIX])
def test_another_teams_records_are_not_found(
    team: Team,
    other_team: Team,
    page: str,
    build_url: Callable[[Objects], str],
    allowed: set[str],
) -> None:
    outsider = MembershipFactory.create(team=other_team, role=Role.LEAD).user
    url = build_url(_objects(team))
    # A page the lead may not open (a partner's own pages) is not found for any outsider.
    names_a_record = re.search(r"/\d+(/|$)", url) is not None
    expected = 404 if names_a_record or Role.LEAD not in allowed else 200
    assert logged_in(outsider).get(url).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("page", "build_url", "allowed"), POST_ONLY, ids=[m[0] for m in POST_ONLY])
def test_post_only_views_refuse_get_and_roles_without_the_right(
    team: Team,
    role: str,
    page: str,
    build_url: Callable[[Objects], str],
    allowed: set[str],
) -> None:
    client = logged_in(MembershipFactory.create(team=team, role=role).user)
    url = build_url(_objects(team))
    assert client.get(url).status_code == 405, page
    assert client.post(url, {}).status_code == (200 if role in allowed else 404), page


def test_every_url_with_a_view_is_in_the_matrix() -> None:
    from django.urls import get_resolver

    covered = {reverse_name for reverse_name in _names_in_matrix()}
    checked_namespaces = {
        "children",
        "core",
        "referrals",
        "request_help",
        "triage",
        "waitlist",
        "groups",
        "reports",
    }
    checked_namespaces |= {name for extension in EXTENSIONS for name in extension.NAMESPACES}
    found = set()
    for namespace, (_, resolver) in get_resolver().namespace_dict.items():
        if namespace not in checked_namespaces:
            continue
        for name in resolver.reverse_dict:
            if isinstance(name, str):
                found.add(f"{namespace}:{name}")
    public = {
        "core:set_language",
        "core:accessibility",
        "core:privacy",
        "request_help:start_request",
        "request_help:answer_question",
        "request_help:check_answers",
        "request_help:request_sent",
        # A family's check-in answer (reached through a secure link) and public resources.
        "waitlist:answer_check_in",
        "waitlist:check_in_received",
        "groups:public_resources",
    }
    public |= {name for extension in EXTENSIONS for name in extension.PUBLIC}
    assert found - public <= covered, f"add these to MATRIX: {sorted(found - public - covered)}"


def _names_in_matrix() -> set[str]:
    import inspect
    import re

    modules = [inspect.getmodule(_objects), *EXTENSIONS]
    source = "".join(inspect.getsource(module) for module in modules)  # type: ignore[arg-type]
    return set(re.findall(r'reverse\("([a-z_]+:[a-z_]+)"', source))
