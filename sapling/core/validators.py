"""Validation and normalisation shared by every form: postcodes, NHS numbers, free text."""

from __future__ import annotations

import re
import unicodedata

import nhs_number
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Outward code: A9, A99, AA9, AA99, A9A or AA9A; inward code: 9AA (the letters C I K M O V
# never appear in it). GIR 0AA is the one historic exception still in use.
_POSTCODE = re.compile(
    r"^(?:(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[0-9][ABD-HJLNP-UW-Z]{2}|GIR0AA)$"
)
# NHS pseudo-postcodes (ZZ99 3VZ no fixed abode, ZZ99 3WZ address not known, ...) break
# the letter rules of real postcodes, so they are matched on their own.
PSEUDO_POSTCODE_PREFIX = "ZZ99"
_PSEUDO_POSTCODE = re.compile(r"^ZZ99[0-9][A-Z]{2}$")


def normalise_postcode(raw: str) -> str:
    """Upper case with one space before the inward code; raise if it is not a postcode."""
    compact = re.sub(r"\s+", "", raw or "").upper()
    if not (_POSTCODE.match(compact) or _PSEUDO_POSTCODE.match(compact)):
        raise ValidationError(
            _("Enter a real postcode, like SA1 1AA. Use ZZ99 3VZ for no fixed abode."),
            code="invalid_postcode",
        )
    return f"{compact[:-3]} {compact[-3:]}"


def is_pseudo_postcode(postcode: str) -> bool:
    return postcode.replace(" ", "").upper().startswith(PSEUDO_POSTCODE_PREFIX)


def normalise_nhs_number(raw: str, *, allow_test_numbers: bool | None = None) -> str:
    """Ten digits with a correct check digit; the 999 test range only where allowed."""
    digits = re.sub(r"[\s-]+", "", raw or "")
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(_("NHS number must be 10 digits"), code="nhs_number_length")
    if not nhs_number.is_valid(digits):
        raise ValidationError(
            _("This is not a valid NHS number: check the digits"), code="nhs_number_check"
        )
    allow = settings.ALLOW_TEST_NHS_NUMBERS if allow_test_numbers is None else allow_test_numbers
    if digits.startswith("999") and not allow:
        raise ValidationError(
            _("NHS numbers starting 999 are test numbers and cannot be used for a real child"),
            code="nhs_number_test_range",
        )
    return digits


def format_nhs_number(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits


# New lines and tabs in long text; zero-width (non-)joiners, which some scripts need in names.
_ALLOWED_INVISIBLE = frozenset("\n\r\t\u200c\u200d")


def reject_control_characters(value: str) -> None:
    """Refuse invisible control characters (new lines and tabs are allowed in long text)."""
    for char in value or "":
        if char in _ALLOWED_INVISIBLE:
            continue
        if unicodedata.category(char) in {"Cc", "Cf", "Co", "Cs"}:
            raise ValidationError(
                _("Remove the hidden control characters from this text"),
                code="control_characters",
            )
