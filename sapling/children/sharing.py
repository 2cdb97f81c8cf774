"""Consent to share and the school summary: what helps this child in class.

A clinician writes a summary for the child's school and releases it only under a recorded
consent to share with that school, given by a carer with parental responsibility or by a
young person able to decide. Withdrawing the consent withdraws every summary released
under it. Partners (school staff) read released summaries only for children at a school
the team's lead has linked them to (PartnerSchool), and nothing else of the child.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import Team, User
from sapling.children import notices
from sapling.children.models import (
    Carer,
    Child,
    ConsentGiver,
    PartnerSchool,
    School,
    SchoolSummary,
    SharingConsent,
    SummaryStatus,
)
from sapling.core.lifecycle import IllegalMove
from sapling.core.roles import Role

# A young person of this age or over is presumed able to decide (Mental Capacity Act
# 2005); younger, the clinician records how they judged them competent (Gillick).
PRESUMED_COMPETENT_AGE = 16


def _require_school(child: Child) -> School:
    if child.school is None:
        raise IllegalMove(_("Record the child's school on their record first"))
    return child.school


@transaction.atomic
def record_consent(
    *,
    child: Child,
    given_by: str,
    carer: Carer | None,
    given_on: dt.date,
    method: str,
    competence_note: str,
    by: User,
) -> SharingConsent:
    """Consent to share with the child's current school, from someone who can give it."""
    school = _require_school(child)
    if given_on > timezone.localdate():
        raise IllegalMove(_("The date consent was given cannot be in the future"))
    if given_by == ConsentGiver.CARER:
        if carer is None or carer.child_id != child.pk:
            raise IllegalMove(_("Choose the parent or carer who gave consent"))
        if not carer.parental_responsibility:
            raise IllegalMove(
                _("%(name)s does not have parental responsibility, so cannot give consent")
                % {"name": f"{carer.given_name} {carer.family_name}"}
            )
        competence_note = ""
    else:
        carer = None
        if child.age_on(given_on) < PRESUMED_COMPETENT_AGE and not competence_note.strip():
            raise IllegalMove(
                _(
                    "%(name)s is under 16: record how you judged them able to decide, or "
                    "ask a parent or carer with parental responsibility"
                )
                % {"name": child.full_name}
            )
    return SharingConsent.objects.create(
        child=child,
        school=school,
        given_by=given_by,
        carer=carer,
        given_on=given_on,
        method=method,
        competence_note=competence_note.strip(),
        recorded_by=by,
        updated_by=by,
    )


@transaction.atomic
def withdraw_consent(
    *, consent: SharingConsent, reason: str, by: User, expected_version: int
) -> int:
    """Consent withdrawn: every summary released under it is withdrawn too. Returns how many."""
    if consent.withdrawn_on is not None:
        raise IllegalMove(_("This consent has already been withdrawn"))
    if not reason.strip():
        raise IllegalMove(_("Say who withdrew consent and how"))
    consent.withdrawn_on = timezone.localdate()
    consent.withdrawn_reason = reason.strip()
    consent.withdrawn_recorded_by = by
    consent.updated_by = by
    consent.save_versioned(expected_version=expected_version)
    withdrawn = 0
    for summary in consent.summaries.filter(status=SummaryStatus.RELEASED):
        _withdraw(summary, _("Consent to share was withdrawn"), by)
        withdrawn += 1
    return withdrawn


def current_consent(child: Child) -> SharingConsent | None:
    """The newest consent in force to share with the child's current school."""
    if child.school_id is None:
        return None
    return (
        child.sharing_consents.current()
        .filter(school_id=child.school_id)
        .select_related("carer")
        .first()
    )


@transaction.atomic
def write_summary(*, child: Child, strengths: str, what_helps: str, by: User) -> SchoolSummary:
    school = _require_school(child)
    if not what_helps.strip():
        raise IllegalMove(_("Write what helps this child in class"))
    return SchoolSummary.objects.create(
        team=child.team,
        child=child,
        school=school,
        strengths=strengths.strip(),
        what_helps=what_helps.strip(),
        written_by=by,
        updated_by=by,
    )


@transaction.atomic
def update_summary(
    *, summary: SchoolSummary, strengths: str, what_helps: str, by: User, expected_version: int
) -> SchoolSummary:
    """Only a draft changes; a released summary is what the school read, so it is kept."""
    if summary.status != SummaryStatus.DRAFT:
        raise IllegalMove(
            _("Only a draft can be changed. Write a new summary to replace a shared one.")
        )
    if not what_helps.strip():
        raise IllegalMove(_("Write what helps this child in class"))
    summary.strengths = strengths.strip()
    summary.what_helps = what_helps.strip()
    summary.updated_by = by
    summary.save_versioned(expected_version=expected_version)
    return summary


@transaction.atomic
def release_summary(*, summary: SchoolSummary, by: User, expected_version: int) -> SchoolSummary:
    """Share the summary with the school, under the consent in force; it replaces (withdraws)
    any summary shared before for the same child and school."""
    if summary.status != SummaryStatus.DRAFT:
        raise IllegalMove(_("Only a draft can be shared"))
    child = summary.child
    if child.school_id != summary.school_id:
        raise IllegalMove(
            _("%(name)s is no longer at %(school)s. Write a new summary for their school.")
            % {"name": child.full_name, "school": summary.school}
        )
    consent = current_consent(child)
    if consent is None:
        raise IllegalMove(
            _(
                "There is no consent to share with %(school)s. Record consent from a parent "
                "or carer with parental responsibility, or from the young person, first."
            )
            % {"school": summary.school}
        )
    for earlier in child.school_summaries.filter(
        school=summary.school, status=SummaryStatus.RELEASED
    ).exclude(pk=summary.pk):
        _withdraw(earlier, _("Replaced by a newer summary"), by)
    summary.status = SummaryStatus.RELEASED
    summary.consent = consent
    summary.released_at = timezone.now()
    summary.released_by = by
    summary.updated_by = by
    summary.save_versioned(expected_version=expected_version)
    notices.summary_shared(summary)
    return summary


def _withdraw(
    summary: SchoolSummary, reason: str, by: User, expected_version: int | None = None
) -> None:
    summary.status = SummaryStatus.WITHDRAWN
    summary.withdrawn_at = timezone.now()
    summary.withdrawn_reason = reason
    summary.updated_by = by
    summary.save_versioned(
        expected_version=summary.version if expected_version is None else expected_version
    )


@transaction.atomic
def withdraw_summary(
    *, summary: SchoolSummary, reason: str, by: User, expected_version: int
) -> SchoolSummary:
    if summary.status != SummaryStatus.RELEASED:
        raise IllegalMove(_("Only a shared summary can be withdrawn"))
    if not reason.strip():
        raise IllegalMove(_("Say why the summary is being withdrawn"))
    _withdraw(summary, reason.strip(), by, expected_version)
    return summary


# --- Which partner works at which school -----------------------------------------------


@transaction.atomic
def link_partner(*, team: Team, partner: User, school: School, by: User) -> PartnerSchool:
    if school.team_id != team.pk:
        raise IllegalMove(_("Choose one of your team's schools"))
    if not partner.memberships.filter(team=team, active=True, role=Role.PARTNER).exists():
        raise IllegalMove(_("Only a school or early years partner can be linked to a school"))
    if PartnerSchool.objects.current().filter(partner=partner, school=school).exists():
        raise IllegalMove(
            _("%(partner)s is already linked to %(school)s")
            % {"partner": partner.get_full_name() or partner.username, "school": school}
        )
    return PartnerSchool.objects.create(team=team, partner=partner, school=school, added_by=by)


@transaction.atomic
def unlink_partner(*, link: PartnerSchool, by: User) -> PartnerSchool:
    """The partner no longer works there: they stop seeing its summaries at once."""
    if link.ended_at is not None:
        raise IllegalMove(_("This link has already ended"))
    link.ended_at = timezone.now()
    link.ended_by = by
    link.save(update_fields=["ended_at", "ended_by"])
    return link
