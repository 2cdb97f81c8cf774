"""The groups pages in the permission matrix (tests/core/test_permission_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable

from sapling.core.roles import Role
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
NAMESPACES: set[str] = set()
# URL names anyone may open without logging in (public booking, secure-link pages).
PUBLIC: set[str] = set()
# (page, how to build its URL from the team's objects, the roles that may open it)
MATRIX: list[Row] = []
# Views that answer POST only.
POST_ONLY: list[Row] = []
# How to build each record the rows above name: name -> (objects -> primary key).
BUILDERS: Builders = {}
