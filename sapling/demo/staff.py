"""The demo team's twelve staff, and one demo login per role with a known password."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from sapling.accounts.models import Membership, Team, User
from sapling.core.roles import Role

# Printed for anyone trying the demo; the demo never holds real data.
DEMO_PASSWORD = "sapling-demo-2026"  # noqa: S105
EMAIL_DOMAIN = "swanseabay-ot.example"


@dataclass(frozen=True)
class StaffMember:
    given_name: str
    family_name: str
    role: Role
    wte: Decimal
    # Hours a week of direct clinical work, what capacity planning counts.
    clinical_hours: Decimal

    @property
    def username(self) -> str:
        # Plain letters, so a username types the same on every keyboard (Siân: sian).
        name = unicodedata.normalize("NFKD", f"{self.given_name}.{self.family_name}")
        return "".join(ch for ch in name if ch.isascii() and ch != "'").lower()


def _member(given: str, family: str, role: Role, wte: str, hours: str) -> StaffMember:
    return StaffMember(given, family, role, Decimal(wte), Decimal(hours))


# A 1.0 WTE occupational therapist works 37.5 hours, about 60% of them face to face.
STAFF = (
    _member("Rhian", "Morgan", Role.LEAD, "1.00", "7.5"),
    _member("Owain", "Pritchard", Role.CLINICIAN, "1.00", "22.5"),
    _member("Siân", "Hughes", Role.CLINICIAN, "0.80", "18.0"),
    _member("Priya", "Nair", Role.CLINICIAN, "1.00", "22.5"),
    _member("Catrin", "Llewellyn", Role.CLINICIAN, "0.60", "13.5"),
    _member("Tomasz", "Nowak", Role.CLINICIAN, "1.00", "22.5"),
    _member("Ffion", "Evans", Role.CLINICIAN, "1.00", "24.0"),
    _member("Gareth", "Thomas", Role.SUPPORT_WORKER, "1.00", "30.0"),
    _member("Amira", "Hassan", Role.SUPPORT_WORKER, "0.80", "24.0"),
    _member("Leanne", "Davies", Role.SUPPORT_WORKER, "1.00", "30.0"),
    _member("Bethan", "Jones", Role.ADMINISTRATOR, "1.00", "0"),
    _member("Mark", "O'Sullivan", Role.ADMINISTRATOR, "0.60", "0"),
)

# One login per role for people trying the demo: (username, role, WTE, clinical hours).
DEMO_LOGINS = (
    ("demo.clinician", Role.CLINICIAN, "1.00", "22.5"),
    ("demo.support", Role.SUPPORT_WORKER, "1.00", "30.0"),
    ("demo.admin", Role.ADMINISTRATOR, "1.00", "0"),
    ("demo.lead", Role.LEAD, "1.00", "7.5"),
    # Partners and commissioners are not team staff: they give the service no time.
    ("demo.partner", Role.PARTNER, "0", "0"),
    ("demo.commissioner", Role.COMMISSIONER, "0", "0"),
)


@dataclass(frozen=True)
class DemoStaff:
    by_role: dict[str, list[User]]
    logins: list[User]

    def users(self) -> list[User]:
        return [user for users in self.by_role.values() for user in users] + self.logins

    def registrars(self) -> list[User]:
        """The staff who register children: office staff mostly, clinicians sometimes."""
        admins = self.by_role[Role.ADMINISTRATOR]
        return admins * 3 + self.by_role[Role.CLINICIAN] + self.by_role[Role.LEAD]


def _add_user(
    team: Team,
    *,
    username: str,
    names: tuple[str, str],
    role: Role,
    hours: tuple[str, str],
    password_hash: str,
) -> User:
    user = User.objects.create(
        username=username,
        first_name=names[0],
        last_name=names[1],
        email=f"{username}@{EMAIL_DOMAIN}",
        password=password_hash,
    )
    Membership.objects.create(
        user=user,
        team=team,
        role=role,
        wte=Decimal(hours[0]),
        clinical_hours_per_week=Decimal(hours[1]),
    )
    return user


def create_staff(team: Team) -> DemoStaff:
    # Hash once: Argon2 is slow by design, and every demo account shares the password.
    password_hash = make_password(DEMO_PASSWORD)
    by_role: dict[str, list[User]] = {role: [] for role in Role}
    for member in STAFF:
        user = _add_user(
            team,
            username=member.username,
            names=(member.given_name, member.family_name),
            role=member.role,
            hours=(str(member.wte), str(member.clinical_hours)),
            password_hash=password_hash,
        )
        by_role[member.role].append(user)
    logins = [
        _add_user(
            team,
            username=username,
            names=("Demo", str(role.label)),
            role=role,
            hours=(wte, clinical_hours),
            password_hash=password_hash,
        )
        for username, role, wte, clinical_hours in DEMO_LOGINS
    ]
    return DemoStaff(by_role=by_role, logins=logins)


def login_lines() -> list[str]:
    """The demo logins as aligned lines, for the commands to print."""
    width = max(len(username) for username, *_ in DEMO_LOGINS)
    lines = [f"{'username':<{width}}  {'role':<30}  password"]
    for username, role, *_ in DEMO_LOGINS:
        lines.append(f"{username:<{width}}  {role.label!s:<30}  {DEMO_PASSWORD}")
    return lines
