"""Who may agree to a request: the young person at 16, else parental responsibility."""

from __future__ import annotations

import datetime as dt

import pytest

from sapling.referrals.consent import FilledInBy, consent_needed_from, refusal
from sapling.referrals.models import ConsentBy

RECEIVED = dt.date(2025, 3, 3)
SIXTEEN_TODAY = dt.date(2009, 3, 3)
SIXTEEN_TOMORROW = dt.date(2009, 3, 4)


def test_a_young_person_of_sixteen_on_the_day_received_consents_for_themselves() -> None:
    assert consent_needed_from(date_of_birth=SIXTEEN_TODAY, received_on=RECEIVED) == (
        ConsentBy.YOUNG_PERSON
    )
    assert consent_needed_from(date_of_birth=SIXTEEN_TOMORROW, received_on=RECEIVED) == (
        ConsentBy.PARENTAL_RESPONSIBILITY
    )


def test_a_leap_day_birthday_turns_sixteen_on_the_first_of_march() -> None:
    born = dt.date(2008, 2, 29)
    assert consent_needed_from(date_of_birth=born, received_on=dt.date(2024, 2, 28)) == (
        ConsentBy.PARENTAL_RESPONSIBILITY
    )
    assert consent_needed_from(date_of_birth=born, received_on=dt.date(2024, 2, 29)) == (
        ConsentBy.YOUNG_PERSON
    )


@pytest.mark.parametrize(
    ("who", "born", "refused_with"),
    [
        (FilledInBy.PARENT, SIXTEEN_TOMORROW, None),
        (FilledInBy.PARENT, SIXTEEN_TODAY, None),
        (FilledInBy.YOUNG_PERSON, SIXTEEN_TODAY, None),
        (FilledInBy.OTHER_CARER, SIXTEEN_TODAY, None),
        (FilledInBy.YOUNG_PERSON, SIXTEEN_TOMORROW, "16 or over"),
        (FilledInBy.OTHER_CARER, SIXTEEN_TOMORROW, "parental responsibility"),
    ],
)
def test_the_public_form_refuses_only_where_consent_cannot_be_given(
    who: str, born: dt.date, refused_with: str | None
) -> None:
    reason = refusal(filled_in_by=who, date_of_birth=born, received_on=RECEIVED)
    if refused_with is None:
        assert reason is None
    else:
        assert reason is not None and refused_with in reason
