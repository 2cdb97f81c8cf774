"""Training and groups (being built)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from sapling.accounts.models import Team
from sapling.reports.filters import Comparable, Filters
from sapling.reports.tables import Section


def section(team: Team, filters: Filters, *, today: dt.date) -> Section:
    return Section(slug="groups", title=_("Training and groups"), tables=())


def comparables() -> list[Comparable]:
    return []
