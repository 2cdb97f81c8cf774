"""Return on investment (being built)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from sapling.accounts.models import Team
from sapling.reports.filters import Filters
from sapling.reports.tables import Section


def section(team: Team, filters: Filters, *, today: dt.date) -> Section:
    return Section(slug="roi", title=_("Return on investment"), tables=())
