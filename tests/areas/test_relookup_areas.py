from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from sapling.accounts.models import Team
from sapling.areas.models import AreaStatus, PostcodeArea
from sapling.children import records

pytestmark = pytest.mark.usefixtures("shipped_areas")


@pytest.mark.django_db
def test_unknown_areas_are_found_after_a_directory_is_loaded(team: Team) -> None:
    english = records.register_child(
        team=team,
        by=None,
        given_name="Amir",
        family_name="Khan",
        date_of_birth=dt.date(2016, 3, 1),
        postcode="SW1A 1AA",
    )
    welsh = records.register_child(
        team=team,
        by=None,
        given_name="Nia",
        family_name="Rees",
        date_of_birth=dt.date(2016, 3, 1),
        postcode="SA1 1AA",
    )
    assert english.area_status == AreaStatus.UNKNOWN
    PostcodeArea.objects.create(postcode="SW1A 1AA", lsoa11_code="E01004736", source="test")

    out = StringIO()
    call_command("relookup_areas", stdout=out)

    english.refresh_from_db()
    welsh.refresh_from_db()
    assert english.area_status == AreaStatus.KNOWN
    assert english.deprivation_index == "imd2019"
    assert english.deprivation_quintile is not None
    assert welsh.deprivation_rank == 355  # untouched
    assert "1 children now have an area" in out.getvalue()
