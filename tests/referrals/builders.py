"""Builders shared by the referral tests: the details a request for help carries."""

from __future__ import annotations

import datetime as dt
from typing import Any


def child_details(**overrides: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "given_name": "Cerys",
        "family_name": "Hughes",
        "date_of_birth": dt.date(2016, 9, 4),
        "nhs_number": "",
        "postcode": "",
    }
    details.update(overrides)
    return details


def referral_details(**overrides: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "received_on": dt.date(2025, 3, 3),
        "reasons": ["handwriting", "movement"],
        "description": "Finds buttons hard",
        "setting": "school",
        "consent_by": "parental_responsibility",
        "consent_given": True,
    }
    details.update(overrides)
    return details
