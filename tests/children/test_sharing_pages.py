"""School summaries on the page: sharing needs consent; partners see only their school's."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.children import sharing
from sapling.children.models import Child, SchoolSummary, SummaryStatus
from sapling.core.roles import Role
from tests.children.factories import (
    ChildAtSchoolFactory,
    PartnerSchoolFactory,
    SchoolSummaryFactory,
    SharingConsentFactory,
)
from tests.conftest import logged_in
from tests.factories import CarerFactory, MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def summary(team: Team) -> SchoolSummary:
    return SchoolSummaryFactory.create(
        team=team, child__given_name="Nia", what_helps="Sit near the front, away from the door."
    )


def _share(summary: SchoolSummary, by: User) -> None:
    SharingConsentFactory.create(child=summary.child)
    sharing.release_summary(summary=summary, by=by, expected_version=summary.version)


def test_sharing_without_consent_is_refused_with_the_reason(
    summary: SchoolSummary, clinician: User
) -> None:
    url = reverse("children:release_school_summary", args=[summary.child_id, summary.pk])
    response = logged_in(clinician).post(url, {"version": summary.version})
    assert response.status_code == 200
    assert "There is no consent to share with" in response.content.decode()
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT


def test_a_clinician_records_consent_from_a_parent_then_shares(
    summary: SchoolSummary, clinician: User
) -> None:
    mother = CarerFactory.create(child=summary.child, given_name="Sian")
    client = logged_in(clinician)
    consent_form = {
        "given_by": "carer",
        "carer": mother.pk,
        "method": "phone",
        "given_on_day": str(TODAY.day),
        "given_on_month": str(TODAY.month),
        "given_on_year": str(TODAY.year),
    }
    url = reverse("children:add_sharing_consent", args=[summary.child_id])
    assert client.post(url, consent_form).status_code == 302
    url = reverse("children:release_school_summary", args=[summary.child_id, summary.pk])
    assert "Consent given by Sian" in client.get(url).content.decode()
    assert client.post(url, {"version": summary.version}).status_code == 302
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.RELEASED


def test_consent_from_a_carer_without_parental_responsibility_is_refused_on_the_page(
    summary: SchoolSummary, clinician: User
) -> None:
    aunt = CarerFactory.create(
        child=summary.child,
        given_name="Bethan",
        relationship="other",
        parental_responsibility=False,
    )
    form = {
        "given_by": "carer",
        "carer": aunt.pk,
        "method": "in_person",
        "given_on_day": str(TODAY.day),
        "given_on_month": str(TODAY.month),
        "given_on_year": str(TODAY.year),
    }
    response = logged_in(clinician).post(
        reverse("children:add_sharing_consent", args=[summary.child_id]), form
    )
    assert "does not have parental responsibility" in response.content.decode()
    assert not summary.child.sharing_consents.exists()


def test_withdrawing_consent_on_the_page_withdraws_the_shared_summary(
    summary: SchoolSummary, clinician: User, partner: User
) -> None:
    _share(summary, clinician)
    PartnerSchoolFactory.create(team=summary.team, partner=partner, school=summary.school)
    consent = summary.child.sharing_consents.get()
    url = reverse("children:withdraw_sharing_consent", args=[summary.child_id, consent.pk])
    response = logged_in(clinician).post(
        url, {"reason": "Father phoned to say no", "version": consent.version}
    )
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.WITHDRAWN
    shown = logged_in(partner).get(reverse("children:show_released_summary", args=[summary.pk]))
    assert shown.status_code == 404


def test_the_schools_partner_reads_the_summary_and_the_read_is_recorded(
    summary: SchoolSummary, clinician: User, partner: User
) -> None:
    _share(summary, clinician)
    PartnerSchoolFactory.create(team=summary.team, partner=partner, school=summary.school)
    client = logged_in(partner)
    listed = client.get(reverse("children:list_released_summaries")).content.decode()
    assert summary.child.full_name in listed
    page = client.get(reverse("children:show_released_summary", args=[summary.pk]))
    assert "Sit near the front, away from the door." in page.content.decode()
    read = LogEntry.objects.filter(additional_data__event="school summary").get()
    assert read.object_pk == str(summary.child_id)
    assert read.actor == partner


def test_a_partner_of_another_school_sees_nothing_of_the_child(
    team: Team, summary: SchoolSummary, clinician: User
) -> None:
    _share(summary, clinician)
    elsewhere = MembershipFactory.create(team=team, role=Role.PARTNER).user
    PartnerSchoolFactory.create(
        team=team, partner=elsewhere, school=SchoolFactory.create(team=team)
    )
    client = logged_in(elsewhere)
    listed = client.get(reverse("children:list_released_summaries")).content.decode()
    assert summary.child.full_name not in listed
    for url in (
        reverse("children:show_released_summary", args=[summary.pk]),
        reverse("children:show_child", args=[summary.child_id]),
        reverse("children:list_child_sharing", args=[summary.child_id]),
    ):
        assert client.get(url).status_code == 404


def test_a_partner_sees_only_the_shared_summary_not_drafts_or_other_records(
    team: Team, summary: SchoolSummary, clinician: User, partner: User
) -> None:
    PartnerSchoolFactory.create(team=team, partner=partner, school=summary.school)
    client = logged_in(partner)
    url = reverse("children:show_released_summary", args=[summary.pk])
    assert client.get(url).status_code == 404  # still a draft
    classmate = ChildAtSchoolFactory.create(team=team, school=summary.school, given_name="Cai")
    assert "Cai" not in client.get(reverse("children:list_released_summaries")).content.decode()
    assert (
        client.get(reverse("children:list_child_concerns", args=[classmate.pk])).status_code == 404
    )


def test_a_partner_without_a_school_is_told_to_ask_for_the_link(partner: User) -> None:
    page = logged_in(partner).get(reverse("children:list_released_summaries")).content.decode()
    assert "Your account is not linked to a school or setting yet" in page


def test_the_lead_links_a_partner_to_a_school_and_ends_it(
    team: Team, lead: User, partner: User
) -> None:
    school = SchoolFactory.create(team=team, name="Ysgol y Graig")
    client = logged_in(lead)
    response = client.post(
        reverse("children:add_partner_school"), {"partner": partner.pk, "school": school.pk}
    )
    assert response.status_code == 302
    link = partner.partner_schools.get()
    again = client.post(
        reverse("children:add_partner_school"), {"partner": partner.pk, "school": school.pk}
    )
    assert "is already linked to Ysgol y Graig" in again.content.decode()
    assert client.post(reverse("children:end_partner_school", args=[link.pk])).status_code == 302
    link.refresh_from_db()
    assert link.ended_at is not None


def test_a_released_summary_cannot_be_changed_on_the_page(
    summary: SchoolSummary, clinician: User
) -> None:
    _share(summary, clinician)
    summary.refresh_from_db()
    url = reverse("children:update_school_summary", args=[summary.child_id, summary.pk])
    response = logged_in(clinician).post(
        url, {"what_helps": "Rewritten", "strengths": "", "version": summary.version}
    )
    assert "Only a draft can be changed" in response.content.decode()
    summary.refresh_from_db()
    assert summary.what_helps == "Sit near the front, away from the door."


def test_no_summary_can_be_written_for_a_child_without_a_school(
    team: Team, clinician: User
) -> None:
    child = ChildAtSchoolFactory.create(team=team, school=None)
    response = logged_in(clinician).post(
        reverse("children:add_school_summary", args=[child.pk]), {"what_helps": "Breaks"}
    )
    assert "school on their record first" in response.content.decode()
    assert not Child.objects.get(pk=child.pk).school_summaries.exists()
