"""Plans for synthetic children and their carers: plain data, no database writes.

Shares follow what a Swansea Bay children's OT caseload looks like (census 2021 ethnic
groups, about one family in eight Welsh-speaking, twice as many boys as girls referred,
more need and free school meals in deprived areas), not any real child.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from nhs_number import calculate_checksum

from sapling.accounts.models import Locality
from sapling.children.ethnicity import WALES_CENSUS_2021
from sapling.children.models import (
    Channel,
    ContactRestriction,
    EducationSetting,
    Relationship,
    YesNoUnknown,
)
from sapling.demo.names import (
    MIXED_PARTNER,
    POOL_FOR_ETHNICITY,
    SHORT_FORMS,
    STREETS,
    WELSH,
    NamePool,
)
from sapling.demo.places import LOCALITIES, PracticeInfo, SchoolInfo
from sapling.demo.postcodes import Home, PostcodeSampler

# Wales 2021 census ethnic groups, weighted for children in Swansea and Neath Port Talbot.
ETHNICITY_WEIGHTS = {
    "W1": 83.0, "W2": 0.3, "W3": 0.4, "W4": 0.2, "W5": 3.0,
    "M1": 0.6, "M2": 0.5, "M3": 1.0, "M4": 0.8,
    "A1": 0.6, "A2": 0.3, "A3": 1.4, "A4": 0.8, "A5": 0.7,
    "B1": 0.1, "B2": 1.2, "B3": 0.2, "O1": 0.9, "O2": 0.5,
    "Z": 0.5, "99": 3.0,
}  # fmt: skip
ETHNIC_CODES = list(ETHNICITY_WEIGHTS)
ETHNIC_WEIGHTS = list(ETHNICITY_WEIGHTS.values())
# Children's OT sees most children between starting school and the end of primary.
AGE_WEIGHTS = [1, 2, 3, 5, 7, 8, 9, 9, 8, 7, 6, 5, 4, 4, 3, 3, 2, 1]
FREE_MEALS_BY_QUINTILE = {1: 0.45, 2: 0.32, 3: 0.2, 4: 0.12, 5: 0.07}
SHARE_WITH_NHS_NUMBER = 0.94
SHARE_WELSH_SPEAKING = 0.12
SHARE_BOYS = 0.65
DIGITAL_NEEDS = (
    "No internet at home",
    "Shares one phone between the family",
    "Needs help to join video calls",
    "No device for online groups; uses the school's",
    "Prefers paper letters to emails or texts",
)
RESTRICTIONS = (
    (ContactRestriction.NO_INFORMATION, "Court order: no information about the child's care"),
    (ContactRestriction.DO_NOT_CONTACT, "Child arrangements order: no contact with the family"),
    (ContactRestriction.DO_NOT_CONTACT, "Social worker advises no contact: domestic abuse"),
)


@dataclass
class ChildPlan:
    """What register_child and add_carer are given, and when the record was made."""

    created_at: dt.datetime
    fields: dict[str, Any]
    carers: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Family:
    """What one child's household shares: heritage, home, language."""

    ethnicity: str
    home: Home
    locality: str
    welsh_speaking: bool
    other_language: str


def ascii_letters(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if ch.isascii() and ch.isalpha()).lower()


class FamilyGenerator:
    def __init__(
        self,
        rng: random.Random,
        *,
        localities: dict[str, Locality],
        schools: list[SchoolInfo],
        practices: list[PracticeInfo],
    ) -> None:
        self.rng = rng
        self.localities = localities
        self.schools = schools
        self.practices = practices
        self.homes = PostcodeSampler(rng)
        self.nhs_numbers: set[str] = set()

    def plan(self, created_at: dt.datetime) -> ChildPlan:
        family = self._family()
        boy = self.rng.random() < SHARE_BOYS
        pool = POOL_FOR_ETHNICITY.get(family.ethnicity, WELSH)
        given = self.rng.choice(pool.boys if boy else pool.girls)
        surname = self.rng.choice(self._child_surname_pool(family))
        age = self.rng.choices(range(len(AGE_WEIGHTS)), weights=AGE_WEIGHTS)[0]
        born = self._born(created_at.date(), age)
        fields = {
            "given_name": given,
            "family_name": surname,
            "preferred_name": SHORT_FORMS.get(given, "") if self.rng.random() < 0.5 else "",
            "date_of_birth": born,
            "nhs_number": self._nhs_number() if self.rng.random() < SHARE_WITH_NHS_NUMBER else "",
            "postcode": family.home.postcode,
            "locality": self.localities[family.locality],
            "ethnicity_code": family.ethnicity,
            "ethnicity_system": WALES_CENSUS_2021,
            "gp_practice": self._practice(family.locality),
            **self._language_fields(family),
            **self._education(age, family),
            **self._needs(age, family),
        }
        carers = Households(self.rng, family, surname).carers(fields["care_experienced"])
        return ChildPlan(created_at=created_at, fields=fields, carers=carers)

    def _family(self) -> Family:
        ethnicity = self.rng.choices(ETHNIC_CODES, weights=ETHNIC_WEIGHTS)[0]
        home = self.homes.draw()
        locality = home.locality or self.rng.choice(LOCALITIES)
        pool = POOL_FOR_ETHNICITY.get(ethnicity, WELSH)
        # Welsh is spoken at home mostly in White and mixed Welsh families.
        welsh = pool is WELSH and self.rng.random() < SHARE_WELSH_SPEAKING
        other = ""
        if pool.languages and self.rng.random() < 0.35:
            other = self.rng.choice(pool.languages)
        return Family(ethnicity, home, locality, welsh, other)

    def _child_surname_pool(self, family: Family) -> tuple[str, ...]:
        partner = MIXED_PARTNER.get(family.ethnicity)
        if partner and self.rng.random() < 0.6:
            return partner.family
        return POOL_FOR_ETHNICITY.get(family.ethnicity, WELSH).family

    def _born(self, registered: dt.date, age: int) -> dt.date:
        # At least a month old when registered, so no date of birth is in the future.
        days = age * 365 + self.rng.randint(30 if age == 0 else 0, 364)
        return registered - dt.timedelta(days=days)

    def _nhs_number(self) -> str:
        """A 999-range test number with a correct check digit, unique in the demo."""
        while True:
            body = f"999{self.rng.randrange(10**6):06d}"
            check = calculate_checksum(body)
            number = f"{body}{check}"
            # Check digit 10 means no valid number has these nine digits.
            if check is not None and check != 10 and number not in self.nhs_numbers:
                self.nhs_numbers.add(number)
                return number

    def _practice(self, locality: str) -> Any:
        if self.rng.random() < 0.04:
            return None  # not registered with a GP, or not yet known
        local = [info.practice for info in self.practices if info.locality == locality]
        return self.rng.choice(local or [info.practice for info in self.practices])

    def _language_fields(self, family: Family) -> dict[str, Any]:
        if family.welsh_speaking:
            return {"preferred_language": "Welsh", "interpreter_needed": False}
        if family.other_language:
            return {
                "preferred_language": family.other_language,
                "interpreter_needed": self.rng.random() < 0.4,
            }
        return {"preferred_language": "English", "interpreter_needed": False}

    def _education(self, age: int, family: Family) -> dict[str, Any]:
        setting, kinds = self._setting(age)
        school = self._school(kinds, family) if kinds else None
        return {"education_setting": setting, "school": school}

    def _setting(self, age: int) -> tuple[str, tuple[str, ...]]:
        """Where a child of this age learns, and the kinds of school that means."""
        roll = self.rng.random()
        if age <= 2:
            if roll < 0.7:
                return EducationSetting.HOME, ()
            return EducationSetting.EARLY_YEARS, ("early_years",)
        if age == 3:
            if roll < 0.6:
                return EducationSetting.EARLY_YEARS, ("early_years",)
            return EducationSetting.MAINSTREAM_SCHOOL, ("primary",)
        if roll < 0.07:
            return EducationSetting.SPECIAL_SCHOOL, ("special",)
        if roll < 0.10:
            return EducationSetting.ELECTIVE_HOME_EDUCATION, ()
        if age >= 16:
            if roll < 0.55:
                return EducationSetting.COLLEGE, ("college",)
            if roll < 0.8:
                return EducationSetting.MAINSTREAM_SCHOOL, ("secondary",)
            return EducationSetting.NOT_IN_EDUCATION, ()
        if age >= 11:
            if roll < 0.13:
                return EducationSetting.NOT_IN_EDUCATION, ()
            if roll < 0.16:
                return EducationSetting.MAINSTREAM_SCHOOL, ("pupil_referral",)
            if roll < 0.18:
                return EducationSetting.MAINSTREAM_SCHOOL, ("independent",)
            return EducationSetting.MAINSTREAM_SCHOOL, ("secondary",)
        return EducationSetting.MAINSTREAM_SCHOOL, ("primary", "independent")

    def _school(self, kinds: tuple[str, ...], family: Family) -> Any:
        fitting = [info for info in self.schools if info.school.school_type in kinds]
        local = [info for info in fitting if info.locality == family.locality] or fitting
        # Welsh-speaking families mostly choose Welsh-medium schools where there is one.
        welsh = [info for info in local if info.welsh_medium]
        if family.welsh_speaking and welsh and self.rng.random() < 0.8:
            local = welsh
        elif kinds[0] == "primary":
            # Independent schools are an occasional choice, not one in two.
            local = [info for info in local if info.school.school_type == "primary"] or local
        return self.rng.choice(local).school if local else None

    def _needs(self, age: int, family: Family) -> dict[str, Any]:
        quintile = family.home.quintile or 3
        care = self._yes_no(0.045 + (0.03 if quintile == 1 else 0), unknown=0.12)
        digital = 0.04 + {1: 0.07, 2: 0.04}.get(quintile, 0)
        return {
            "additional_learning_needs": self._yes_no(0.38, unknown=0.6 if age < 3 else 0.2),
            "care_experienced": care,
            "free_school_meals": (
                self._yes_no(FREE_MEALS_BY_QUINTILE[quintile], unknown=0.1)
                if 4 <= age <= 16
                else YesNoUnknown.UNKNOWN
            ),
            "digital_access_needs": (
                self.rng.choice(DIGITAL_NEEDS) if self.rng.random() < digital else ""
            ),
            "safeguarding_flag": self.rng.random() < (0.15 if care == YesNoUnknown.YES else 0.02),
        }

    def _yes_no(self, yes: float, *, unknown: float) -> str:
        if self.rng.random() < unknown:
            return YesNoUnknown.UNKNOWN
        return YesNoUnknown.YES if self.rng.random() < yes else YesNoUnknown.NO


class Households:
    """The adults around one child: parents together or apart, step, kinship or foster."""

    def __init__(self, rng: random.Random, family: Family, surname: str) -> None:
        self.rng = rng
        self.family = family
        self.surname = surname
        self.pool = POOL_FOR_ETHNICITY.get(family.ethnicity, WELSH)
        self.partner_pool = MIXED_PARTNER.get(family.ethnicity, self.pool)
        self.address = self._address(family.home)

    def carers(self, care_experienced: str) -> list[dict[str, Any]]:
        if care_experienced == YesNoUnknown.YES:
            return self._looked_after()
        roll = self.rng.random()
        if roll < 0.45:
            return [self._mother(), self._father()]
        if roll < 0.72:
            return [self._mother()]
        if roll < 0.76:
            return [self._father()]
        if roll < 0.93:
            return self._separated()
        return [self._mother(), self._adult(Relationship.STEP_PARENT, self.pool, boy=True)]

    def _separated(self) -> list[dict[str, Any]]:
        """Parents apart: both usually keep parental responsibility; some are restricted."""
        mother = self._mother(family_name=self.rng.choice(self.pool.family))
        father = self._father(address=self._address(self.family.home, moved=True))
        if self.rng.random() < 0.2:
            father.update(self._restriction())
        if self.rng.random() < 0.1:
            father["parental_responsibility"] = False  # never married, not on the certificate
        return [mother, father]

    def _looked_after(self) -> list[dict[str, Any]]:
        if self.rng.random() < 0.4:
            kin = self._adult(Relationship.GRANDPARENT, self.pool, boy=False)
            # A special guardianship order gives kinship carers parental responsibility.
            kin["parental_responsibility"] = True
            carers = [kin]
        else:
            carers = [self._foster_carer()]
        carers.append(self._social_worker())
        if self.rng.random() < 0.4:
            # A birth parent shares responsibility under a care order but may be restricted.
            birth = self._mother(address=self._address(self.family.home, moved=True))
            if self.rng.random() < 0.6:
                birth.update(self._restriction())
            carers.append(birth)
        return carers

    def _foster_carer(self) -> dict[str, Any]:
        carer = self._adult(Relationship.FOSTER_CARER, WELSH, boy=self.rng.random() < 0.3)
        carer["family_name"] = self.rng.choice(WELSH.family)
        carer["address"] = self._address(self.family.home, moved=True)
        carer["parental_responsibility"] = False
        return carer

    def _social_worker(self) -> dict[str, Any]:
        given = self.rng.choice(WELSH.girls + WELSH.boys)
        family = self.rng.choice(WELSH.family)
        return {
            "given_name": given,
            "family_name": family,
            "relationship": Relationship.SOCIAL_WORKER,
            "parental_responsibility": False,
            "phone": self._phone(landline=True),
            "email": f"{ascii_letters(given)}.{ascii_letters(family)}@childrens-services.example",
            "address": "Children's Services, Civic Centre",
            "preferred_channel": Channel.EMAIL,
            "preferred_language": "en",
        }

    def _mother(self, **overrides: Any) -> dict[str, Any]:
        carer = self._adult(Relationship.MOTHER, self.pool, boy=False)
        return carer | overrides

    def _father(self, **overrides: Any) -> dict[str, Any]:
        carer = self._adult(Relationship.FATHER, self.partner_pool, boy=True)
        carer["family_name"] = self.surname
        return carer | overrides

    def _adult(self, relationship: str, pool: NamePool, *, boy: bool) -> dict[str, Any]:
        given = self.rng.choice(pool.boys if boy else pool.girls)
        family = self.surname if self.rng.random() < 0.7 else self.rng.choice(pool.family)
        email = ""
        if self.rng.random() < 0.8:
            number = self.rng.randint(1, 99)
            email = f"{ascii_letters(given)}.{ascii_letters(family)}{number}@example.com"
        phone = self._phone() if self.rng.random() < 0.95 else ""
        channel = self._channel(has_email=bool(email), has_phone=bool(phone))
        return {
            "given_name": given,
            "family_name": family,
            "relationship": relationship,
            "parental_responsibility": relationship in {Relationship.MOTHER, Relationship.FATHER},
            "phone": phone,
            "email": email,
            "address": self.address,
            "preferred_channel": channel,
            "preferred_language": "cy" if self.family.welsh_speaking else "en",
            "consent_to_contact": self.rng.random() < 0.97,
        }

    def _channel(self, *, has_email: bool, has_phone: bool) -> str:
        # The same rule as the carer form: a channel needs its contact detail.
        roll = self.rng.random()
        if roll < 0.45 and has_email:
            return Channel.EMAIL
        if roll < 0.8 and has_phone:
            return Channel.SMS
        return Channel.PHONE if roll >= 0.93 and has_phone else Channel.LETTER

    def _phone(self, *, landline: bool = False) -> str:
        # Ofcom keeps these ranges for drama: they never reach a real person.
        if landline:
            return f"01632 960{self.rng.randint(0, 999):03d}"
        return f"07700 900{self.rng.randint(0, 999):03d}"

    def _restriction(self) -> dict[str, Any]:
        kind, reason = self.rng.choice(RESTRICTIONS)
        return {"contact_restriction": kind, "restriction_reason": reason}

    def _address(self, home: Home, *, moved: bool = False) -> str:
        if home.locality is None and not moved and home.postcode.startswith("ZZ99"):
            return ""  # no fixed abode
        if moved:
            # Another home in the area: the lines are made up, the postcode left off.
            return f"{self.rng.randint(1, 120)} {self.rng.choice(STREETS)}\n{self.family.locality}"
        lines = [f"{self.rng.randint(1, 120)} {self.rng.choice(STREETS)}", home.town, home.postcode]
        return "\n".join(line for line in lines if line)
