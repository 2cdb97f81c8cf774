"""Consent to share and school summaries: released only under consent, seen only by the school."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.children import sharing
from sapling.children.models import Child, SchoolSummary, SummaryStatus
from sapling.core.lifecycle import IllegalMove
from sapling.core.roles import Role
from tests.children.factories import (
    ChildAtSchoolFactory,
    PartnerSchoolFactory,
    SchoolSummaryFactory,
    SharingConsentFactory,
)
from tests.factories import CarerFactory, MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def pupil(team: Team) -> Child:
    return ChildAtSchoolFactory.create(team=team, date_of_birth=dt.date(2016, 1, 9))


def _consent(child: Child, by: User, **changes: object) -> object:
    fields: dict[str, object] = {
        "given_by": "carer",
        "carer": None,
        "given_on": TODAY,
        "method": "phone",
        "competence_note": "",
        **changes,
    }
    return sharing.record_consent(child=child, by=by, **fields)  # type: ignore[arg-type]


def test_consent_from_a_carer_without_parental_responsibility_is_refused(
    pupil: Child, clinician: User
) -> None:
    grandparent = CarerFactory.create(
        child=pupil, relationship="grandparent", parental_responsibility=False
    )
    with pytest.raises(IllegalMove, match="does not have parental responsibility"):
        _consent(pupil, clinician, carer=grandparent)
    assert not pupil.sharing_consents.exists()


def test_another_childs_carer_cannot_give_consent(pupil: Child, clinician: User) -> None:
    with pytest.raises(IllegalMove, match="Choose the parent or carer"):
        _consent(pupil, clinician, carer=CarerFactory.create())


def test_a_young_person_under_16_needs_a_recorded_judgement_of_competence(
    pupil: Child, clinician: User
) -> None:
    with pytest.raises(IllegalMove, match="under 16"):
        _consent(pupil, clinician, given_by="young_person")
    consent = _consent(
        pupil,
        clinician,
        given_by="young_person",
        competence_note="Explained what the school would see; she could say it back and chose.",
    )
    assert consent.carer is None  # type: ignore[attr-defined]


def test_consent_needs_the_childs_school_on_record(team: Team, clinician: User) -> None:
    child = ChildAtSchoolFactory.create(team=team, school=None)
    with pytest.raises(IllegalMove, match="school on their record"):
        _consent(child, clinician, carer=CarerFactory.create(child=child))


def test_a_summary_is_released_only_with_consent_in_force(team: Team, clinician: User) -> None:
    summary = SchoolSummaryFactory.create(team=team)
    with pytest.raises(IllegalMove, match="no consent to share"):
        sharing.release_summary(summary=summary, by=clinician, expected_version=1)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT

    consent = SharingConsentFactory.create(child=summary.child)
    sharing.release_summary(summary=summary, by=clinician, expected_version=1)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.RELEASED
    assert summary.consent == consent


def test_consent_from_a_carer_who_lost_parental_responsibility_no_longer_counts(
    team: Team, clinician: User
) -> None:
    summary = SchoolSummaryFactory.create(team=team)
    consent = SharingConsentFactory.create(child=summary.child)
    consent.carer.parental_responsibility = False  # type: ignore[union-attr]
    consent.carer.save()  # type: ignore[union-attr]
    with pytest.raises(IllegalMove, match="no consent to share"):
        sharing.release_summary(summary=summary, by=clinician, expected_version=1)


def test_withdrawing_consent_withdraws_what_was_released(team: Team, clinician: User) -> None:
    summary = SchoolSummaryFactory.create(team=team)
    consent = SharingConsentFactory.create(child=summary.child)
    sharing.release_summary(summary=summary, by=clinician, expected_version=1)
    count = sharing.withdraw_consent(
        consent=consent, reason="Mother phoned to withdraw", by=clinician, expected_version=1
    )
    assert count == 1
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.WITHDRAWN
    assert summary.withdrawn_reason == "Consent to share was withdrawn"
    draft = SchoolSummaryFactory.create(team=team, child=summary.child)
    with pytest.raises(IllegalMove, match="no consent to share"):
        sharing.release_summary(summary=draft, by=clinician, expected_version=1)


def test_a_new_release_replaces_the_one_before(team: Team, clinician: User) -> None:
    first = SchoolSummaryFactory.create(team=team)
    SharingConsentFactory.create(child=first.child)
    sharing.release_summary(summary=first, by=clinician, expected_version=1)
    second = SchoolSummaryFactory.create(team=team, child=first.child)
    sharing.release_summary(summary=second, by=clinician, expected_version=1)
    first.refresh_from_db()
    assert first.status == SummaryStatus.WITHDRAWN
    assert first.withdrawn_reason == "Replaced by a newer summary"


def test_a_released_summary_cannot_be_edited(team: Team, clinician: User) -> None:
    summary = SchoolSummaryFactory.create(team=team)
    SharingConsentFactory.create(child=summary.child)
    sharing.release_summary(summary=summary, by=clinician, expected_version=1)
    with pytest.raises(IllegalMove, match="Only a draft can be changed"):
        sharing.update_summary(
            summary=summary, strengths="", what_helps="New text", by=clinician, expected_version=2
        )


# --- What a partner sees -----------------------------------------------------------------


def _released(team: Team, by: User, **child: object) -> SchoolSummary:
    summary = SchoolSummaryFactory.create(team=team, **{f"child__{k}": v for k, v in child.items()})
    SharingConsentFactory.create(child=summary.child)
    return sharing.release_summary(summary=summary, by=by, expected_version=1)


def test_a_partner_sees_only_released_summaries_of_children_at_their_school(
    team: Team, partner: User, clinician: User
) -> None:
    ours = _released(team, clinician)
    _released(team, clinician)  # another school's child
    draft = SchoolSummaryFactory.create(team=team, child__school=ours.school)
    PartnerSchoolFactory.create(team=team, partner=partner, school=ours.school)
    assert list(SchoolSummary.objects.released_to(partner, team)) == [ours]
    assert draft.status == SummaryStatus.DRAFT


def test_a_partner_of_another_school_or_team_sees_nothing(
    team: Team, other_team: Team, partner: User, clinician: User
) -> None:
    summary = _released(team, clinician)
    PartnerSchoolFactory.create(team=team, partner=partner, school=SchoolFactory.create(team=team))
    assert not SchoolSummary.objects.released_to(partner, team).exists()
    outsider = MembershipFactory.create(team=other_team, role=Role.PARTNER).user
    PartnerSchoolFactory.create(team=other_team, partner=outsider)
    assert not SchoolSummary.objects.released_to(outsider, other_team).exists()
    assert summary.status == SummaryStatus.RELEASED


def test_a_child_who_changes_school_drops_out_of_the_old_schools_list(
    team: Team, partner: User, clinician: User
) -> None:
    summary = _released(team, clinician)
    PartnerSchoolFactory.create(team=team, partner=partner, school=summary.school)
    assert SchoolSummary.objects.released_to(partner, team).exists()
    Child.objects.filter(pk=summary.child_id).update(school=SchoolFactory.create(team=team))
    assert not SchoolSummary.objects.released_to(partner, team).exists()


def test_a_partner_who_leaves_the_school_stops_seeing_it(
    team: Team, partner: User, clinician: User, lead: User
) -> None:
    summary = _released(team, clinician)
    link = sharing.link_partner(team=team, partner=partner, school=summary.school, by=lead)
    assert SchoolSummary.objects.released_to(partner, team).exists()
    sharing.unlink_partner(link=link, by=lead)
    assert not SchoolSummary.objects.released_to(partner, team).exists()


def test_only_partners_can_be_linked_to_a_school(team: Team, clinician: User, lead: User) -> None:
    with pytest.raises(IllegalMove, match="Only a school or early years partner"):
        sharing.link_partner(
            team=team, partner=clinician, school=SchoolFactory.create(team=team), by=lead
        )
