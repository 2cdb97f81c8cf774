from __future__ import annotations

import nhs_number
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sapling.core.validators import (
    is_pseudo_postcode,
    normalise_nhs_number,
    normalise_postcode,
    reject_control_characters,
)

INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@st.composite
def postcodes(draw: st.DrawFn) -> str:
    """Well-formed postcodes of every outward shape (A9, A99, AA9, AA99, A9A, AA9A)."""
    area = draw(st.sampled_from(["S", "SA", "CF", "NP", "LL", "E", "W", "M", "B"]))
    district = str(draw(st.integers(min_value=1, max_value=99 if len(area) == 2 else 9)))
    suffix = draw(st.sampled_from(["", "A"])) if len(district) == 1 else ""
    if suffix and len(area) == 1:
        suffix = draw(st.sampled_from("ABCDEFGHJKPSTUW"))
    elif suffix:
        suffix = draw(st.sampled_from("ABEHMNPRVWXY"))
    inward = f"{draw(st.integers(0, 9))}{draw(st.sampled_from(INWARD_LETTERS))}"
    inward += draw(st.sampled_from(INWARD_LETTERS))
    return f"{area}{district}{suffix} {inward}"


@given(postcodes(), st.sampled_from(["", " ", "  "]), st.booleans())
def test_any_spacing_or_case_of_a_postcode_normalises_to_one_form(
    postcode: str, gap: str, lower: bool
) -> None:
    outward, inward = postcode.split(" ")
    typed = f" {outward}{gap}{inward} "
    typed = typed.lower() if lower else typed
    assert normalise_postcode(typed) == postcode
    assert normalise_postcode(normalise_postcode(typed)) == postcode


@given(st.text(max_size=12))
def test_normalised_postcodes_always_have_one_space_before_three_characters(text: str) -> None:
    try:
        result = normalise_postcode(text)
    except ValidationError:
        return
    assert result == result.upper()
    assert result[-4] == " " and result.count(" ") == 1


@pytest.mark.parametrize("bad", ["", "SA1", "SA1 1A", "1SA 1AA", "SA1 1AAA", "SA1 1CA", "QA1 1AA"])
def test_malformed_postcodes_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        normalise_postcode(bad)


def test_nhs_pseudo_postcodes_are_accepted_and_recognised() -> None:
    assert normalise_postcode("zz993vz") == "ZZ99 3VZ"
    assert is_pseudo_postcode("ZZ99 3VZ")
    assert not is_pseudo_postcode("SA1 1AA")


@given(st.integers(min_value=400_000_000, max_value=899_999_999))
def test_numbers_with_a_correct_check_digit_are_accepted(stem: int) -> None:
    check = nhs_number.calculate_checksum(str(stem))
    if check is None or check == 10:
        return
    number = f"{stem}{check}"
    assert normalise_nhs_number(f"{number[:3]} {number[3:6]} {number[6:]}") == number


@given(st.integers(min_value=400_000_000, max_value=899_999_999), st.integers(1, 9))
def test_a_wrong_check_digit_is_refused(stem: int, offset: int) -> None:
    check = nhs_number.calculate_checksum(str(stem))
    if check is None or check == 10:
        return
    wrong = (check + offset) % 10
    with pytest.raises(ValidationError, match="not a valid NHS number"):
        normalise_nhs_number(f"{stem}{wrong}")


def test_the_999_test_range_is_refused_outside_the_demo() -> None:
    with pytest.raises(ValidationError, match="test numbers"):
        normalise_nhs_number("9990000018", allow_test_numbers=False)
    assert normalise_nhs_number("999 000 0018", allow_test_numbers=True) == "9990000018"


@pytest.mark.parametrize("bad", ["12345", "94347659199", "abcdefghij"])
def test_nhs_numbers_that_are_not_ten_digits_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="10 digits"):
        normalise_nhs_number(bad)


@pytest.mark.parametrize("text", ["score <5", 'said "no"', "line one\nline two", "Siân"])
def test_ordinary_text_with_symbols_and_new_lines_is_allowed(text: str) -> None:
    reject_control_characters(text)


@pytest.mark.parametrize("text", ["bell\x07", "null\x00", "escape\x1b[31m", "rtl\u202e"])
def test_control_characters_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="control characters"):
        reject_control_characters(text)
