"""The dashboard, report settings and quarterly tables in the permission matrix
(tests/core/test_permission_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from sapling.core.roles import Role
from sapling.reports.filters import Quarter
from tests.permission_objects import Builders, Objects

L, M = Role.LEAD, Role.COMMISSIONER
Row = tuple[str, Callable[[Objects], str], set[Role]]

NAMESPACES: set[str] = set()  # "reports" is checked by the matrix itself
PUBLIC: set[str] = set()


def _quarter() -> str:
    return Quarter.last_complete(timezone.localdate()).slug


def _dashboard_table(file_format: str) -> Callable[[Objects], str]:
    args = ["referrals-by-month", file_format]
    return lambda o: reverse("reports:download_dashboard_table", args=args)


def _quarterly_tables(file_format: str) -> Callable[[Objects], str]:
    return lambda o: reverse("reports:download_commissioner_tables", args=[_quarter(), file_format])


MATRIX: list[Row] = [
    ("dashboard", lambda o: reverse("reports:show_dashboard"), {L}),
    ("dashboard CSV", _dashboard_table("csv"), {L}),
    ("dashboard XLSX", _dashboard_table("xlsx"), {L}),
    ("quarterly report", lambda o: reverse("reports:print_quarter", args=[_quarter()]), {L}),
    ("before and after", lambda o: reverse("reports:show_before_after"), {L}),
    ("report settings", lambda o: reverse("reports:edit_report_settings"), {L}),
    ("quarterly tables", lambda o: reverse("reports:show_commissioner_tables"), {L, M}),
    ("quarterly tables CSV", _quarterly_tables("csv"), {L, M}),
    ("quarterly tables XLSX", _quarterly_tables("xlsx"), {L, M}),
]
POST_ONLY: list[Row] = []
BUILDERS: Builders = {}
