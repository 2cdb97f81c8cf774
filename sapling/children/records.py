"""Workflows on a child's record: register, update, add and change carers.

Each runs in one transaction, looks the area up once when the postcode changes, and
refuses an update started from an older version (StaleEdit) rather than overwrite it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from sapling.accounts.models import Team, User
from sapling.areas.lookup import lookup_postcode
from sapling.areas.models import AreaStatus
from sapling.children import localities
from sapling.children.models import Carer, Child
from sapling.core.tokens import revoke_links_for_carer
from sapling.core.validators import normalise_postcode


def _apply_area(child: Child) -> None:
    fix = lookup_postcode(child.postcode)
    child.area_status = fix.status
    child.lsoa_code = fix.lsoa_code
    child.deprivation_index = fix.index_key
    child.deprivation_rank = fix.rank
    child.deprivation_decile = fix.decile
    child.deprivation_quintile = fix.quintile


@transaction.atomic
def register_child(*, team: Team, by: User | None, **fields: Any) -> Child:
    child = Child(team=team, updated_by=by, **fields)
    if child.postcode:
        child.postcode = normalise_postcode(child.postcode)
    _apply_area(child)
    child.save()
    return child


@transaction.atomic
def update_child(*, child: Child, expected_version: int, by: User | None, **changes: Any) -> Child:
    old_postcode, old_locality_id = Child.objects.filter(pk=child.pk).values_list(
        "postcode", "locality_id"
    ).first() or (None, None)
    for name, value in changes.items():
        setattr(child, name, value)
    if child.postcode:
        child.postcode = normalise_postcode(child.postcode)
    if child.postcode != old_postcode:
        _apply_area(child)
    child.updated_by = by
    child.save_versioned(expected_version=expected_version)
    if child.locality_id != old_locality_id:
        localities.restamp(child)
    return child


@transaction.atomic
def add_carer(*, child: Child, by: User | None, **fields: Any) -> Carer:
    return Carer.objects.create(child=child, updated_by=by, **fields)


# A change to any of these withdraws the links already sent to the carer (DESIGN.md).
CARER_CONTACT_AND_RIGHTS = (
    "email",
    "phone",
    "address",
    "contact_restriction",
    "consent_to_contact",
    "parental_responsibility",
)


@transaction.atomic
def update_carer(*, carer: Carer, expected_version: int, by: User | None, **changes: Any) -> Carer:
    before = Carer.objects.filter(pk=carer.pk).values(*CARER_CONTACT_AND_RIGHTS).get()
    for name, value in changes.items():
        setattr(carer, name, value)
    carer.updated_by = by
    carer.save_versioned(expected_version=expected_version)
    changed = [name for name in CARER_CONTACT_AND_RIGHTS if getattr(carer, name) != before[name]]
    if changed:
        revoke_links_for_carer(carer, f"carer's {', '.join(changed)} changed")
    return carer


AREA_FIELDS = [
    "area_status",
    "lsoa_code",
    "deprivation_index",
    "deprivation_rank",
    "deprivation_decile",
    "deprivation_quintile",
]


def relookup_unknown_areas(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Look up again the children whose postcode was not found when it was saved.

    For after a postcode directory is loaded: known and ambiguous areas are history and
    stay as they were. Returns how many children now have an area.
    """
    waiting = list(
        Child.objects.filter(area_status=AreaStatus.UNKNOWN).exclude(postcode="").order_by("pk")
    )
    found = 0
    for done, child in enumerate(waiting, start=1):
        _apply_area(child)
        if child.area_status != AreaStatus.UNKNOWN:
            with transaction.atomic():
                child.save(update_fields=AREA_FIELDS)
            found += 1
        if progress and (done % 500 == 0 or done == len(waiting)):
            progress(done, len(waiting))
    return found
