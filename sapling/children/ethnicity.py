"""Ethnicity code lists. England and Wales record ethnicity with different lists, so a
child's ethnicity is kept as a code plus the code system it comes from."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

# NHS Data Dictionary "Ethnic Category" (2001 census groups), used in England's datasets.
NHS_ETHNIC_CATEGORY = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategory"
NHS_ETHNIC_CATEGORY_CODES: list[tuple[str, StrOrPromise]] = [
    ("A", _("White - British")),
    ("B", _("White - Irish")),
    ("C", _("White - Any other White background")),
    ("D", _("Mixed - White and Black Caribbean")),
    ("E", _("Mixed - White and Black African")),
    ("F", _("Mixed - White and Asian")),
    ("G", _("Mixed - Any other mixed background")),
    ("H", _("Asian or Asian British - Indian")),
    ("J", _("Asian or Asian British - Pakistani")),
    ("K", _("Asian or Asian British - Bangladeshi")),
    ("L", _("Asian or Asian British - Any other Asian background")),
    ("M", _("Black or Black British - Caribbean")),
    ("N", _("Black or Black British - African")),
    ("P", _("Black or Black British - Any other Black background")),
    ("R", _("Other ethnic groups - Chinese")),
    ("S", _("Other ethnic groups - Any other ethnic group")),
    ("Z", _("Not stated")),
    ("99", _("Not known")),
]

# The 2021 Census ethnic groups for Wales (19 groups), used by Welsh services.
WALES_CENSUS_2021 = "urn:sapling:wales-census-2021-ethnic-group"
WALES_CENSUS_2021_CODES: list[tuple[str, StrOrPromise]] = [
    ("W1", _("White: Welsh, English, Scottish, Northern Irish or British")),
    ("W2", _("White: Irish")),
    ("W3", _("White: Gypsy or Irish Traveller")),
    ("W4", _("White: Roma")),
    ("W5", _("White: Other White")),
    ("M1", _("Mixed: White and Black Caribbean")),
    ("M2", _("Mixed: White and Black African")),
    ("M3", _("Mixed: White and Asian")),
    ("M4", _("Mixed: Other Mixed or Multiple ethnic groups")),
    ("A1", _("Asian, Asian Welsh or Asian British: Indian")),
    ("A2", _("Asian, Asian Welsh or Asian British: Pakistani")),
    ("A3", _("Asian, Asian Welsh or Asian British: Bangladeshi")),
    ("A4", _("Asian, Asian Welsh or Asian British: Chinese")),
    ("A5", _("Asian, Asian Welsh or Asian British: Other Asian")),
    ("B1", _("Black, Black Welsh, Black British, Caribbean or African: Caribbean")),
    ("B2", _("Black, Black Welsh, Black British, Caribbean or African: African")),
    ("B3", _("Black, Black Welsh, Black British, Caribbean or African: Other Black")),
    ("O1", _("Other ethnic group: Arab")),
    ("O2", _("Other ethnic group: Any other ethnic group")),
    ("Z", _("Prefer not to say")),
    ("99", _("Not known")),
]

CODE_SYSTEMS = {
    "england": (NHS_ETHNIC_CATEGORY, NHS_ETHNIC_CATEGORY_CODES),
    "wales": (WALES_CENSUS_2021, WALES_CENSUS_2021_CODES),
}


def codes_for_nation(nation: str) -> tuple[str, list[tuple[str, StrOrPromise]]]:
    return CODE_SYSTEMS[nation]


def describe(system: str, code: str) -> str:
    for known_system, codes in CODE_SYSTEMS.values():
        if known_system == system:
            return str(dict(codes).get(code, code))
    return code
