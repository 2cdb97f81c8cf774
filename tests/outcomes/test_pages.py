"""The staff pages: results, scheduling, paper entry, uploads and the FHIR export."""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from sapling.accounts.models import Team, User
from sapling.children.models import Child
from sapling.outcomes import administration as admin
from sapling.outcomes.instruments import FAMILY_CONFIDENCE, FRIENDS_AND_FAMILY_TEST, shipped_version
from sapling.outcomes.models import Administration, InstrumentVersion, Response
from tests.conftest import logged_in
from tests.factories import CarerFactory, ChildFactory
from tests.outcomes.factories import AdministrationFactory, two_pages

pytestmark = pytest.mark.django_db


def _answered(team: Team, child: Child, by: User, name: str, answer: dict, point: str) -> Response:
    measure = AdministrationFactory.create(
        team=team, child=child, instrument_version=shipped_version(name), time_point=point
    )
    return admin.enter_paper_response(administration=measure, answers=answer, language="en", by=by)


def test_the_fhir_export_is_a_valid_r4_questionnaire_response(
    team: Team, child: Child, clinician: User
) -> None:
    Child.objects.filter(pk=child.pk).update(nhs_number="9434765919")
    response = _answered(
        team, child, clinician, FAMILY_CONFIDENCE, {"confidence": "somewhat"}, "discharge"
    )
    got = logged_in(clinician).get(reverse("outcomes:export_response", args=[response.pk]))
    assert got["Content-Type"].startswith("application/fhir+json")
    data = json.loads(got.content)
    QuestionnaireResponse.model_validate(data)  # R4 (R4B models), not the package's R5
    assert data["questionnaire"].endswith("/Questionnaire/family-confidence|1")
    assert data["status"] == "completed"
    assert data["subject"]["identifier"]["value"] == "9434765919"
    assert data["item"][0]["answer"][0]["valueCoding"]["code"] == "somewhat"
    assert LogEntry.objects.filter(additional_data__event="export").exists()


def test_results_show_change_from_baseline_and_experience_percentages(
    team: Team, child: Child, clinician: User
) -> None:
    _answered(team, child, clinician, FAMILY_CONFIDENCE, {"confidence": "not-very"}, "baseline")
    _answered(team, child, clinician, FAMILY_CONFIDENCE, {"confidence": "extremely"}, "discharge")
    _answered(team, child, clinician, FRIENDS_AND_FAMILY_TEST, {"experience": "1"}, "discharge")
    _answered(team, child, clinician, FRIENDS_AND_FAMILY_TEST, {"experience": "6"}, "discharge")
    client = logged_in(clinician)
    page = client.get(reverse("outcomes:show_child_outcomes", args=[child.pk])).content.decode()
    assert "+3" in page  # 2 (not very) at baseline to 5 (extremely)
    overview = client.get(reverse("outcomes:show_overview")).content.decode()
    assert "50%" in overview  # family confidence: 1 of 2 extremely or somewhat
    assert "Positive (very good or good)" in overview


def test_scheduling_from_the_page(team: Team, child: Child, clinician: User) -> None:
    mum = CarerFactory.create(child=child)
    stranger = CarerFactory.create(child=ChildFactory.create(team=team))
    client = logged_in(clinician)
    url = reverse("outcomes:schedule_measure", args=[child.pk])
    version = shipped_version(FAMILY_CONFIDENCE)
    form = {
        "instrument": version.pk,
        "time_point": "review",
        "respondent": "parent",
        "due_on_day": "1",
        "due_on_month": "1",
        "due_on_year": "2099",
    }
    refused = client.post(url, {**form, "carer": stranger.pk})
    assert refused.status_code == 200
    assert not Administration.objects.exists()
    assert client.post(url, {**form, "carer": mum.pk}).status_code == 302
    assert Administration.objects.get().carer == mum


def test_paper_entry_refuses_a_missing_answer_then_saves(
    team: Team, child: Child, clinician: User
) -> None:
    measure = AdministrationFactory.create(team=team, child=child)
    client = logged_in(clinician)
    url = reverse("outcomes:enter_paper_response", args=[measure.pk])
    assert "Answer this question" in client.post(url, {"q1": "x"}).content.decode()
    assert not Response.objects.exists()
    assert client.post(url, {"q0": "extremely"}).status_code == 302
    assert Response.objects.get().mode == "paper"


def test_a_lead_uploads_an_instrument_and_a_broken_one_is_refused_with_reasons(
    team: Team, lead: User
) -> None:
    client = logged_in(lead)
    url = reverse("outcomes:upload_instrument")
    broken = two_pages()
    broken["questionnaire"]["item"][1]["item"][0]["enableWhen"][0]["question"] = "nowhere"
    page = client.post(
        url,
        {"definition": SimpleUploadedFile("b.json", json.dumps(broken).encode()), "licensed": "on"},
    )
    assert "which is not a question here" in page.content.decode()
    assert not InstrumentVersion.objects.filter(instrument__team=team).exists()
    saved = client.post(
        url,
        {
            "definition": SimpleUploadedFile("g.json", json.dumps(two_pages()).encode()),
            "licensed": "on",
        },
    )
    assert saved.status_code == 302
    assert InstrumentVersion.objects.get(instrument__team=team).instrument.title == "Daily life"
