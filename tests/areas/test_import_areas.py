from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sapling.areas import importers
from sapling.areas.models import ChildPopulation, DeprivationRank, PostcodeArea


@pytest.mark.django_db
def test_the_shipped_files_load_with_their_published_totals(shipped_areas: None) -> None:
    assert DeprivationRank.objects.filter(index__key="wimd2019").count() == 1909
    assert DeprivationRank.objects.filter(index__key="imd2019").count() == 32844
    assert PostcodeArea.objects.count() >= 138323
    wales_0_17 = sum(ChildPopulation.objects.values_list("count", flat=True))
    assert wales_0_17 == 629872  # ONS mid-2020, Wales, aged 0-17 (PROVENANCE.md)


@pytest.mark.django_db
def test_english_quintiles_come_from_deciles(shipped_areas: None) -> None:
    ranks = DeprivationRank.objects.filter(index__key="imd2019")
    assert set(ranks.filter(decile__in=[1, 2]).values_list("quintile", flat=True)) == {1}
    assert set(ranks.filter(decile__in=[9, 10]).values_list("quintile", flat=True)) == {5}


@pytest.mark.django_db
def test_loading_again_replaces_rather_than_duplicates(shipped_areas: None) -> None:
    before = DeprivationRank.objects.count()
    importers.load_wimd2019()
    assert DeprivationRank.objects.count() == before


@pytest.mark.django_db
def test_an_ons_postcode_directory_adds_english_postcodes(
    shipped_areas: None, tmp_path: Path
) -> None:
    onspd = tmp_path / "ONSPD.csv"
    onspd.write_text(
        "pcd,pcds,doterm,lsoa11,lsoa21\n"
        "SW1A1AA,SW1A 1AA,,E01004736,E01004736\n"
        "NOTAPC,NOT A PC,,E01004736,\n"
    )
    call_command("import_areas", "--onspd", str(onspd), "--skip-shipped")
    area = PostcodeArea.objects.get(postcode="SW1A 1AA")
    assert area.lsoa11_code == "E01004736"
    assert not PostcodeArea.objects.filter(postcode="NOT A PC").exists()


@pytest.mark.django_db
def test_a_file_that_is_not_a_postcode_directory_is_refused(tmp_path: Path) -> None:
    wrong = tmp_path / "people.csv"
    wrong.write_text("name,age\nA,3\n")
    with pytest.raises(CommandError, match="no postcode column"):
        call_command("import_areas", "--onspd", str(wrong), "--skip-shipped")
