"""The before-and-after page: every comparable figure either side of the service change date
for the locality, tier and programme chosen, its download, and the dashboard's link to it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Locality, Team, User
from sapling.reports.models import ReportSettings
from tests.conftest import logged_in
from tests.factories import ChildFactory, LocalityFactory, ReferralFactory

URL = reverse("reports:show_before_after")


def _referrals(team: Team) -> Locality:
    """A change 100 days ago (so 101-day windows); in North 2 referrals before it and 3
    after, and 4 more after it with no locality. Returns North."""
    today = timezone.localdate()
    change = today - dt.timedelta(days=100)
    ReportSettings.objects.create(team=team, service_change_date=change)
    ReferralFactory.create(team=team, received_on=today - dt.timedelta(days=700))
    north = LocalityFactory.create(team=team, name="North")
    for days_ago, n in ((150, 2), (50, 3)):
        for _ in range(n):
            child = ChildFactory.create(team=team, locality=north)
            ReferralFactory.create(
                team=team, child=child, received_on=today - dt.timedelta(days=days_ago)
            )
    for _ in range(4):
        ReferralFactory.create(team=team, received_on=today - dt.timedelta(days=20))
    return north


# 101 days is 101 x 12 / 365.25 = 3.32 months.
IN_NORTH = (
    "Referrals a month: 0.6 referrals a month before and 0.9 referrals a month after "
    "(groups of 2 and 3)"
)
EVERYWHERE = (
    "Referrals a month: 0.6 referrals a month before and 2.1 referrals a month after "
    "(groups of 2 and 7)"
)


@pytest.mark.django_db
def test_a_lead_sees_each_figure_either_side_of_the_change_in_the_locality_chosen(
    lead: User, team: Team
) -> None:
    north = _referrals(team)
    client = logged_in(lead)

    everywhere = client.get(URL).content.decode()
    in_north = client.get(URL, {"locality": north.pk}).content.decode()

    assert "Compared over 101 days either side of" in everywhere
    assert EVERYWHERE in everywhere
    assert IN_NORTH in in_north
    assert EVERYWHERE not in in_north


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"locality": "999999"}, "Choose a locality from the list"),
        ({"tier": "everything"}, "Choose a tier from the list"),
        ({"programme": "999999"}, "Choose a programme from the list"),
    ],
)
@pytest.mark.django_db
def test_bad_filters_are_explained_and_the_whole_service_compared(
    lead: User, team: Team, query: dict[str, str], message: str
) -> None:
    _referrals(team)

    html = logged_in(lead).get(URL, query).content.decode()

    assert "nhsuk-error-summary" in html
    assert message in html
    assert EVERYWHERE in html


@pytest.mark.django_db
def test_the_download_has_the_rows_the_page_shows_for_the_same_filters(
    lead: User, team: Team
) -> None:
    north = _referrals(team)
    client = logged_in(lead)
    html = client.get(URL, {"locality": north.pk}).content.decode()
    link = re.search(r'href="([^"]*/before-after\.csv\?[^"]*)"', html)
    assert link is not None

    response = client.get(link[1].replace("&amp;", "&"))

    # Named by the windows: 101 days before the change, 100 days ago, to today.
    today = timezone.localdate()
    first = today - dt.timedelta(days=201)
    name = f"sapling-before-after-{first:%Y-%m-%d}-to-{today:%Y-%m-%d}.csv"
    assert f'filename="{name}"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    referrals = next(row for row in rows if row[0] == "Referrals a month")
    assert referrals[2:4] == ["0.6", "0.9"]
    assert referrals[-2:] == ["2", "3"]
    shown = re.findall(r'<th scope="row" class="nhsuk-table__header">([^<]+)</th>', html)
    assert [row[0] for row in rows[1:]] == shown


@pytest.mark.django_db
def test_the_dashboard_links_to_the_comparison_instead_of_working_it_out(
    lead: User, team: Team
) -> None:
    _referrals(team)

    html = logged_in(lead).get(reverse("reports:show_dashboard")).content.decode()

    assert f'href="{URL}"' in html
    assert "section-before-after" not in html
    assert "Compared over" not in html
