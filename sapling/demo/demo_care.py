"""The demo service's care: filled in by the feature that owns it."""

from __future__ import annotations

import datetime as dt
import random

from sapling.accounts.models import Team
from sapling.demo.flow import Cast


def load(*, team: Team, cast: Cast, rng: random.Random, today: dt.date) -> None:
    return None


def delete(team: Team) -> None:
    return None
