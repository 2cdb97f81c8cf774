"""Receiving a request for help from any route: one transaction, one referral, one child.

`submit_referral` finds the child (or registers them and flags possible duplicates),
copies the child's area onto the referral so that a later move never rewrites history,
gives it a reference people can read aloud, and records its first event. A public
submission carries a one-time key, so a double submit returns the referral it already made.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from sapling.accounts.models import Team, User
from sapling.children import records
from sapling.children.models import Carer, Child
from sapling.referrals import lifecycle
from sapling.referrals.matching import find_matching_child, possible_duplicates
from sapling.referrals.models import Referral

# No 0/O, 1/I/L or 5/S look-alikes: references are read out on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
REFERENCE_LENGTH = 8

CHILD_FIELDS = ("given_name", "family_name", "date_of_birth", "nhs_number", "postcode", "school")
REFERRAL_FIELDS = (
    "received_on",
    "reasons",
    "description",
    "setting",
    "others_involved",
    "referrer_name",
    "referrer_role",
    "referrer_organisation",
    "referrer_email",
    "referrer_phone",
    "consent_by",
    "consent_given",
    "contact_preference",
    "school_name",
)
AREA_FIELDS = (
    "postcode",
    "area_status",
    "lsoa_code",
    "deprivation_index",
    "deprivation_decile",
    "deprivation_quintile",
)


def new_reference() -> str:
    while True:
        reference = "R-" + "".join(
            secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)
        )
        if not Referral.objects.filter(reference=reference).exists():
            return reference


def new_submission_key() -> str:
    return secrets.token_urlsafe(32)


def submit_referral(
    *,
    team: Team,
    child_details: Mapping[str, Any],
    referral_details: Mapping[str, Any],
    carer_details: Mapping[str, Any] | None,
    route: str,
    source: str,
    by: User | None,
    submission_key: str | None = None,
    child: Child | None = None,
) -> Referral:
    """Save a request for help whole, or not at all; the same key returns the same referral.

    `child` names a record staff picked by search; otherwise `child_details` are matched.
    """
    existing = sent_with(submission_key)
    if existing is not None:
        return existing
    try:
        return _save(
            team=team,
            child_details=child_details,
            referral_details=referral_details,
            carer_details=carer_details,
            route=route,
            source=source,
            by=by,
            submission_key=submission_key,
            child=child,
        )
    except IntegrityError:
        # Two requests raced with the same key: the other one saved it first.
        existing = sent_with(submission_key)
        if existing is not None:
            return existing
        raise


def sent_with(submission_key: str | None) -> Referral | None:
    """The referral a public submission already made with this key, if any."""
    if not submission_key:
        return None
    return Referral.objects.filter(submission_key=submission_key).first()


@transaction.atomic
def _save(
    *,
    team: Team,
    child_details: Mapping[str, Any],
    referral_details: Mapping[str, Any],
    carer_details: Mapping[str, Any] | None,
    route: str,
    source: str,
    by: User | None,
    submission_key: str | None,
    child: Child | None,
) -> Referral:
    needs_review = False
    if child is None:
        child = find_matching_child(team=team, details=child_details)
    if child is None:
        fields = {name: child_details[name] for name in CHILD_FIELDS if name in child_details}
        child = records.register_child(team=team, by=by, **fields)
        needs_review = bool(possible_duplicates(child))
    if carer_details:
        _add_carer_once(child=child, by=by, details=carer_details)
    referral = Referral(
        team=team,
        child=child,
        reference=new_reference(),
        route=route,
        source=source,
        referred_by=by,
        updated_by=by,
        submission_key=submission_key or None,
        needs_duplicate_review=needs_review,
        **{name: referral_details[name] for name in REFERRAL_FIELDS if name in referral_details},
        **{name: getattr(child, name) for name in AREA_FIELDS},
    )
    referral.save()
    lifecycle.record_received(referral=referral, by=by)
    return referral


def _add_carer_once(*, child: Child, by: User | None, details: Mapping[str, Any]) -> Carer:
    """The carer who asked, unless the child's record already names them."""
    known = child.carers.filter(
        given_name__iexact=details["given_name"].strip(),
        family_name__iexact=details["family_name"].strip(),
    ).first()
    if known is not None:
        return known
    return records.add_carer(child=child, by=by, **details)
