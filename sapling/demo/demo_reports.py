"""The demo service's report settings: its catchment (the two local authorities its
families live in), the date of its redesign for the before-and-after comparison, and the
return-on-investment assumptions a lead would start from."""

from __future__ import annotations

import datetime as dt
import random

from sapling.accounts.models import Team
from sapling.demo.flow import REDESIGN_WEEKS_AGO, Cast
from sapling.demo.postcodes import AUTHORITIES
from sapling.reports.models import ReportSettings


def load(*, team: Team, cast: Cast, rng: random.Random, today: dt.date) -> None:
    ReportSettings.objects.update_or_create(
        team=team,
        defaults={
            "catchment_local_authorities": list(AUTHORITIES),
            "service_change_date": today - dt.timedelta(weeks=REDESIGN_WEEKS_AGO),
            "service_change_label": "Tiered triage, groups and consultation after training",
            "updated_by": cast.lead,
        },
    )


def delete(team: Team) -> None:
    ReportSettings.objects.filter(team=team).delete()
