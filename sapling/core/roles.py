"""The roles of DESIGN.md and what each may do: the one table every view consults."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLINICIAN = "clinician", _("Clinician")
    SUPPORT_WORKER = "support_worker", _("Support worker")
    ADMINISTRATOR = "administrator", _("Administrator")
    LEAD = "lead", _("Service lead")
    PARTNER = "partner", _("School or early years partner")
    COMMISSIONER = "commissioner", _("Commissioner")


CLINICAL = frozenset({Role.CLINICIAN, Role.SUPPORT_WORKER, Role.LEAD})
STAFF = CLINICAL | {Role.ADMINISTRATOR}

# Each permission names the roles that hold it. Views ask for a permission, never a role,
# so that changing who may do what is an edit to this table alone.
PERMISSIONS: dict[str, frozenset[str]] = {
    "children.view": STAFF,
    "children.add": STAFF,
    "children.change": STAFF,
    "children.view_history": STAFF,
    "children.view_safeguarding": CLINICAL,
    "referrals.view": STAFF,
    "referrals.add": frozenset({Role.ADMINISTRATOR, Role.CLINICIAN, Role.LEAD}),
    "referrals.merge": frozenset({Role.CLINICIAN, Role.LEAD}),
    "referrals.record_child_views": frozenset({Role.CLINICIAN, Role.LEAD}),
    "referrals.refer": frozenset({Role.PARTNER}),
    "referrals.view_own": frozenset({Role.PARTNER}),
    "triage.decide": frozenset({Role.CLINICIAN, Role.LEAD}),
    "triage.configure": frozenset({Role.LEAD}),
    "waitlist.view": STAFF,
    "waitlist.change": STAFF,
    "waitlist.export": frozenset({Role.CLINICIAN, Role.ADMINISTRATOR, Role.LEAD}),
    "resources.manage": frozenset({Role.ADMINISTRATOR, Role.LEAD}),
    "team.view": STAFF | {Role.PARTNER, Role.COMMISSIONER},
    "team.configure": frozenset({Role.LEAD}),
    "messages.manage": frozenset({Role.ADMINISTRATOR, Role.LEAD}),
    "planning.view": frozenset({Role.LEAD}),
    # Reports: the lead's dashboard and its settings; fixed, suppressed quarterly tables for
    # commissioners (and the lead, to see what the funders see).
    "reports.view_dashboard": frozenset({Role.LEAD}),
    "reports.configure": frozenset({Role.LEAD}),
    "reports.view_commissioner": frozenset({Role.LEAD, Role.COMMISSIONER}),
    # Universal and targeted tiers: programmes, runs, enrolment, registers, topics.
    "groups.view": STAFF,
    "groups.manage": frozenset({Role.ADMINISTRATOR, Role.LEAD}),
    "groups.enrol": STAFF,
    "groups.take_register": CLINICAL,
    "groups.book_own": frozenset({Role.PARTNER}),
    # Consultation after training.
    "consultations.offer": frozenset({Role.CLINICIAN, Role.LEAD}),
    "consultations.view": STAFF,
    "consultations.book_own": frozenset({Role.PARTNER}),
    # Specialist tier: diaries and bookings for all staff; the clinical record for clinical roles.
    "care.view_diary": STAFF,
    "care.book": STAFF,
    "care.view_record": CLINICAL,
    "care.write_record": CLINICAL,
    "care.discharge": frozenset({Role.CLINICIAN, Role.LEAD}),
    "care.view_team_caseloads": frozenset({Role.LEAD}),
    # Safeguarding, statutory advice and what schools may see.
    "safeguarding.record": CLINICAL,
    "safeguarding.view_open": frozenset({Role.LEAD}),
    "statutory.manage": frozenset({Role.CLINICIAN, Role.LEAD}),
    "sharing.release": frozenset({Role.CLINICIAN, Role.LEAD}),
    "sharing.view_released": frozenset({Role.PARTNER}),
    # Outcome and experience measures: results for clinical roles; instruments by the lead.
    "outcomes.view": CLINICAL,
    "outcomes.record": CLINICAL,
    "outcomes.manage_instruments": frozenset({Role.LEAD}),
}


def role_has(role: str, permission: str) -> bool:
    try:
        return role in PERMISSIONS[permission]
    except KeyError:
        raise KeyError(f"Unknown permission {permission!r}; add it to PERMISSIONS") from None
