"""Finding a child already on the books, spotting possible duplicates, and merging them.

A request for help matches an existing child only on strong evidence (the NHS number, or
exactly the same names, date of birth and postcode). Anything weaker is shown to a
clinician as a possible duplicate to merge, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import Team, User
from sapling.children import localities
from sapling.children.models import Child
from sapling.core.lifecycle import IllegalMove
from sapling.referrals.models import Referral, ReferralEvent


def find_matching_child(*, team: Team, details: Mapping[str, Any]) -> Child | None:
    """The current record for this child: by NHS number, else names + birth date + postcode."""
    children = Child.objects.for_team(team).current()
    nhs_number = details.get("nhs_number") or ""
    if nhs_number:
        match = children.filter(nhs_number=nhs_number).order_by("pk").first()
        if match is not None:
            return match
    postcode = details.get("postcode") or ""
    if not postcode:
        return None
    candidates = children.filter(
        given_name__iexact=details["given_name"].strip(),
        family_name__iexact=details["family_name"].strip(),
        date_of_birth=details["date_of_birth"],
        postcode=postcode,
    ).order_by("pk")
    for candidate in candidates:
        # A different NHS number on file means a different child (or a typo): not a match.
        if not nhs_number or not candidate.nhs_number:
            return candidate
    return None


def possible_duplicates(child: Child) -> list[Child]:
    """Other current records that may be this child, for a clinician to compare."""
    same_birth = Q(date_of_birth=child.date_of_birth) & (
        Q(family_name__iexact=child.family_name) | (Q(postcode=child.postcode) & ~Q(postcode=""))
    )
    query = same_birth
    if child.nhs_number:
        query |= Q(nhs_number=child.nhs_number) | Q(merged_records__nhs_number=child.nhs_number)
    return list(
        Child.objects.for_team(child.team)
        .current()
        .filter(query)
        .exclude(pk=child.pk)
        .select_related("school")
        .distinct()
        .order_by("family_name", "given_name", "pk")
    )


@transaction.atomic
def merge_children(*, keep: Child, merge: Child, by: User | None, expected_version: int) -> Child:
    """Move `merge`'s referrals, carers and waiting-list entries to `keep`, and close it."""
    if keep.pk == merge.pk:
        raise IllegalMove(_("A record cannot be merged into itself"))
    if keep.team_id != merge.team_id:
        raise IllegalMove(_("Records of different teams cannot be merged"))
    if keep.merged_into_id or merge.merged_into_id:
        raise IllegalMove(_("One of these records has already been merged"))
    for referral in Referral.objects.filter(child=merge):
        referral.child = keep
        referral.needs_duplicate_review = False
        referral.save(update_fields=["child", "needs_duplicate_review", "updated_at"])
        ReferralEvent.objects.create(
            referral=referral,
            by=by,
            from_status=referral.status,
            to_status=referral.status,
            note=_("Child record %(old)s merged into record %(new)s")
            % {"old": merge.pk, "new": keep.pk},
        )
    for carer in merge.carers.all():
        carer.child = keep
        carer.save(update_fields=["child", "updated_at"])
    for entry in merge.waitlist_entries.all():
        entry.child = keep
        entry.save(update_fields=["child", "updated_at"])
    merge.merged_into = keep
    merge.merged_at = timezone.now()
    merge.updated_by = by
    merge.save_versioned(expected_version=expected_version)
    localities.restamp(keep)  # the referrals and entries moved carry the other's locality
    return keep


@transaction.atomic
def mark_not_duplicate(*, referral: Referral, by: User | None, expected_version: int) -> Referral:
    """A clinician compared the records and found this child is new: clear the warning."""
    referral.needs_duplicate_review = False
    referral.updated_by = by
    referral.save_versioned(expected_version=expected_version)
    ReferralEvent.objects.create(
        referral=referral,
        by=by,
        from_status=referral.status,
        to_status=referral.status,
        note=_("Checked for duplicates: this is a new child"),
    )
    return referral
