"""Small areas (LSOAs), deprivation indices, postcode lookup and child population."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaStatus(models.TextChoices):
    KNOWN = "known", _("Known")
    AMBIGUOUS = "ambiguous", _("Ambiguous")
    UNKNOWN = "unknown", _("Area unknown")
    NOT_APPLICABLE = "not_applicable", _("No fixed address")
    NO_POSTCODE = "no_postcode", _("No postcode")


class Lsoa(models.Model):
    """A 2011 Lower layer Super Output Area, the unit the shipped indices rank."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)
    local_authority = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DeprivationIndex(models.Model):
    """One edition of one nation's index: WIMD 2019, IMD 2019, later WIMD 2025 beside them."""

    key = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    nation = models.CharField(max_length=10)
    edition = models.PositiveSmallIntegerField()
    lsoa_prefix = models.CharField(max_length=3, help_text="W01 for Wales, E01 for England")

    class Meta:
        ordering = ["nation", "-edition"]

    def __str__(self) -> str:
        return self.name


class DeprivationRank(models.Model):
    index = models.ForeignKey(DeprivationIndex, on_delete=models.CASCADE, related_name="ranks")
    lsoa_code = models.CharField(max_length=9)
    rank = models.PositiveIntegerField()
    decile = models.PositiveSmallIntegerField()
    quintile = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["index", "lsoa_code"], name="one_rank_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.lsoa_code}: rank {self.rank}"


class PostcodeArea(models.Model):
    """Where a postcode lies: its 2021 LSOA and, where the mapping is exact, its 2011 LSOA."""

    postcode = models.CharField(max_length=8, unique=True)
    lsoa21_code = models.CharField(max_length=9, blank=True)
    lsoa11_code = models.CharField(max_length=9, blank=True)
    # Where a 2021 area merged several 2011 areas: those candidates, separated by ";".
    lsoa11_candidates = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=40)

    def __str__(self) -> str:
        return self.postcode

    def candidates(self) -> list[str]:
        if self.lsoa11_code:
            return [self.lsoa11_code]
        return [code for code in self.lsoa11_candidates.split(";") if code]


class ChildPopulation(models.Model):
    lsoa_code = models.CharField(max_length=9, db_index=True)
    mid_year = models.PositiveSmallIntegerField()
    age = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()
    source = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lsoa_code", "mid_year", "age"], name="one_count_per_area_year_age"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lsoa_code} age {self.age} in {self.mid_year}: {self.count}"
