from __future__ import annotations

import datetime as dt

from sapling.accounts.models import Team
from sapling.reports import before_after, demand, memo, sections
from sapling.reports.filters import Filters
from sapling.reports.models import ReportSettings
from tests.factories import ChildFactory, ReferralFactory

TODAY = dt.date(2026, 6, 30)
asked: list[tuple[int, str]] = []


@memo.memoised
def _figure(n: int, word: str = "") -> tuple[int, str]:
    asked.append((n, word))
    return n, word


def test_within_a_page_each_question_is_answered_once() -> None:
    asked.clear()
    with memo.remembering():
        assert _figure(1) == (1, "")
        assert _figure(1) == (1, "")
        assert _figure(2) == (2, "")
        assert _figure(1, word="a") == (1, "a")
        with memo.remembering():  # a section opening its own scope shares the page's
            assert _figure(2) == (2, "")
    assert asked == [(1, ""), (2, ""), (1, "a")]


def test_nothing_is_kept_outside_a_page() -> None:
    asked.clear()
    _figure(1)
    with memo.remembering():
        _figure(1)
    _figure(1)
    assert asked == [(1, ""), (1, ""), (1, "")]


def test_pages_show_each_section_as_it_is_worked_out_alone(team: Team) -> None:
    # Both windows and the dashboard's own period hold referrals and re-referrals, so a
    # figure kept for the wrong period would show.
    for day in (dt.date(2025, 3, 3), dt.date(2025, 9, 1), dt.date(2026, 2, 2)):
        child = ChildFactory.create(team=team)
        ReferralFactory.create(team=team, child=child, received_on=day)
        ReferralFactory.create(team=team, child=child, received_on=day + dt.timedelta(days=40))
    settings = ReportSettings.for_team(team)
    settings.service_change_date = dt.date(2025, 7, 1)
    settings.save()
    filters = Filters.last_twelve_months(TODAY)

    page = sections.all_sections(team, filters, today=TODAY)
    compared = sections.before_and_after(team, filters, today=TODAY)

    shown = {section.slug: section for section in page}
    assert shown["demand"] == demand.section(team, filters, today=TODAY)
    assert compared == before_after.section(team, filters, today=TODAY)
    re_referrals = sections.find_table(page, "re-referrals")
    assert re_referrals is not None
    assert re_referrals.summary.startswith("2 of 4 referrals")
    rate = next(row for row in compared.tables[0].rows if row[0] == "Re-referral rate")
    assert (rate[6], rate[7]) == (2, 2)  # each window's own referrals, not the other's
