"""Who may agree to a request for help: the young person at 16, else parental responsibility.

A young person of 16 or more on the day the request is received consents for themselves.
For a younger child, a person with parental responsibility consents; a clinician can later
record a competent younger child's own views and consent on the referral.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sapling.referrals.models import ConsentBy

AGE_OF_OWN_CONSENT = 16


class FilledInBy(models.TextChoices):
    """Who is filling in the public form."""

    PARENT = "parent", gettext_lazy("A parent or carer with parental responsibility")
    OTHER_CARER = (
        "other_carer",
        gettext_lazy("Another carer, without parental responsibility (for example a grandparent)"),
    )
    YOUNG_PERSON = "young_person", gettext_lazy("The young person, aged 16 or over")


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


def consent_needed_from(*, date_of_birth: dt.date, received_on: dt.date) -> str:
    """The ConsentBy value the law asks for, by the child's age on the day received."""
    if age_on(date_of_birth, received_on) >= AGE_OF_OWN_CONSENT:
        return ConsentBy.YOUNG_PERSON
    return ConsentBy.PARENTAL_RESPONSIBILITY


def refusal(*, filled_in_by: str, date_of_birth: dt.date, received_on: dt.date) -> str | None:
    """Why this person cannot ask for this child on the public form, or None if they can."""
    needed = consent_needed_from(date_of_birth=date_of_birth, received_on=received_on)
    if needed == ConsentBy.YOUNG_PERSON:
        return None  # anyone may fill it in; the young person's own agreement is asked for
    if filled_in_by == FilledInBy.YOUNG_PERSON:
        return _(
            "You need to be 16 or over to ask for help for yourself. Ask a parent or carer "
            "with parental responsibility to fill in this form, or talk to your school, "
            "college or GP, who can ask us for you."
        )
    if filled_in_by == FilledInBy.OTHER_CARER:
        return _(
            "For a child under 16, a person with parental responsibility needs to agree to "
            "this request. Ask them to fill in this form, or ask the child's school, health "
            "visitor, social worker or GP, who can ask us with their agreement."
        )
    return None
