"""The demo service's planning: the what-ifs a lead would have saved while planning the
redesign, ready to compare on the planning page. Only the changes are kept; the page
projects them from the demo's own waiting list on the day it is opened."""

from __future__ import annotations

import datetime as dt
import random

from sapling.accounts.models import Team
from sapling.demo.flow import Cast
from sapling.reports import scenarios
from sapling.reports.models import PlanningRun, PlanningScenario
from sapling.reports.planning import WhatIf

SAVED = (
    ("One more parenting group a term", WhatIf(extra_runs_per_term=1)),
    ("Half a clinician more", WhatIf(extra_wte=0.5)),
    ("A third of specialist referrals to groups", WhatIf(share_to_targeted=0.3)),
)


def load(*, team: Team, cast: Cast, rng: random.Random, today: dt.date) -> None:
    for name, what_if in SAVED:
        scenarios.save_scenario(team=team, name=name, what_if=what_if, by=cast.lead)


def delete(team: Team) -> None:
    PlanningRun.objects.filter(team=team).delete()
    PlanningScenario.objects.filter(team=team).delete()
