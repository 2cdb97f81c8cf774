"""The demo's requests for help arrive as a school-led service's do: fewer in the holidays."""

from __future__ import annotations

import datetime as dt
import random

from sapling.demo.service import HOLIDAY_SHARE, _registration_times
from sapling.planning.engine import SCHOOL_HOLIDAY_WEEKS
from sapling.reports.calibration import week_of_year


def test_school_holiday_weeks_have_about_half_the_requests() -> None:
    start = dt.date(2023, 11, 27)
    times = _registration_times(random.Random(5), start, 20_000)
    holidays = sum(week_of_year(t.date()) in SCHOOL_HOLIDAY_WEEKS for t in times)
    term = len(times) - holidays
    holiday_weeks = len(SCHOOL_HOLIDAY_WEEKS)
    per_holiday_week = holidays / holiday_weeks
    per_term_week = term / (52 - holiday_weeks)
    assert abs(per_holiday_week / per_term_week - HOLIDAY_SHARE) < 0.08
