"""Instrument files: the shipped ones pass, broken ones are refused with the reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from sapling.accounts.models import Team, User
from sapling.outcomes.instruments import add_instrument, load_shipped, shipped
from sapling.outcomes.models import InstrumentVersion
from sapling.outcomes.validation import InstrumentRefused, check_instrument
from tests.outcomes.factories import two_pages


def _refusal(data: dict[str, Any] | str) -> str:
    with pytest.raises(InstrumentRefused) as refused:
        check_instrument(data if isinstance(data, str) else json.dumps(data))
    return " | ".join(refused.value.reasons)


def _page(data: dict[str, Any], n: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = data["questionnaire"]["item"][n]["item"]
    return items


def test_every_shipped_instrument_is_valid_and_has_a_source() -> None:
    found = shipped()
    assert set(found) == {
        "family_confidence",
        "friends_and_family_test",
        "session_feedback",
        "goal_attainment_scaling",
    }
    assert all(instrument.source for instrument in found.values())
    assert found["family_confidence"].languages == ["en", "cy"]
    assert found["friends_and_family_test"].languages == ["en"]
    assert found["friends_and_family_test"].version == "2020"


def test_the_two_page_test_instrument_is_valid() -> None:
    checked = check_instrument(json.dumps(two_pages()))
    assert (checked.name, checked.version, checked.kind) == ("daily_life", "1", "prom")


def _dangling(data: dict[str, Any]) -> None:
    _page(data, 1)[0]["enableWhen"][0]["question"] = "goes_to_school"


def _duplicate(data: dict[str, Any]) -> None:
    _page(data, 1)[1]["linkId"] = "dressing"


def _later(data: dict[str, Any]) -> None:
    _page(data, 0)[0]["enableWhen"] = [
        {"question": "writing", "operator": "exists", "answerBoolean": True}
    ]


def _no_code(data: dict[str, Any]) -> None:
    _page(data, 1)[0]["answerOption"][0]["valueCoding"] = {"display": "Better"}


def _same_code(data: dict[str, Any]) -> None:
    _page(data, 1)[0]["answerOption"][1]["valueCoding"]["code"] = "better"


def _no_options(data: dict[str, Any]) -> None:
    _page(data, 1)[0]["answerOption"] = []


def _wrong_answer_type(data: dict[str, Any]) -> None:
    _page(data, 1)[0]["enableWhen"] = [
        {"question": "at_school", "operator": "=", "answerString": "yes"}
    ]


def _unknown_code(data: dict[str, Any]) -> None:
    _page(data, 1)[1]["enableWhen"] = [
        {"question": "writing", "operator": "=", "answerCoding": {"code": "great"}}
    ]


def _bounds(data: dict[str, Any]) -> None:
    _page(data, 0)[0]["extension"][0]["valueInteger"] = 11


def _score_missing(data: dict[str, Any]) -> None:
    data["sapling"]["scoring"]["scores"][0]["items"] = ["standing"]


def _not_fhir(data: dict[str, Any]) -> None:
    _page(data, 0)[0]["required"] = "sometimes"


def _kind(data: dict[str, Any]) -> None:
    data["sapling"]["kind"] = "survey"


@pytest.mark.parametrize(
    ("breaks", "reason"),
    [
        (_dangling, '"writing" is shown depending on "goes_to_school", which is not a question'),
        (_duplicate, 'The link id "dressing" is used more than once'),
        (_later, '"dressing" depends on "writing", which must come before it'),
        (_no_code, 'An answer option of "writing" needs a code and a display text'),
        (_same_code, 'Question "writing" has the answer code better more than once'),
        (_no_options, 'Choice question "writing" has no answer options'),
        (_wrong_answer_type, "compares it with answerString, not answerBoolean"),
        (_unknown_code, 'depends on the answer "great", which "writing" does not offer'),
        (_bounds, 'Question "dressing" has a minimum above its maximum'),
        (_score_missing, 'counts "standing", which is not a choice or number question'),
        (_not_fhir, "Not a valid FHIR Questionnaire at item.0.item.0.required"),
        (_kind, '"kind" must be one of'),
    ],
)
def test_a_broken_instrument_is_refused_with_the_reason(
    breaks: Callable[[dict[str, Any]], None], reason: str
) -> None:
    data = two_pages()
    breaks(data)
    assert reason in _refusal(data)


def test_every_problem_is_reported_at_once() -> None:
    data = two_pages()
    _dangling(data)
    _duplicate(data)
    found = _refusal(data)
    assert "goes_to_school" in found
    assert "used more than once" in found


def test_a_file_that_is_not_json_or_not_an_instrument_is_refused() -> None:
    assert "not valid JSON line 1" in _refusal("{not json")
    assert 'needs a "questionnaire" object' in _refusal('{"resourceType": "Questionnaire"}')
    assert '"resourceType" must be "Questionnaire"' in _refusal(
        {"questionnaire": {"resourceType": "Patient"}, "sapling": {}}
    )


@pytest.mark.django_db
def test_loading_the_shipped_instruments_is_idempotent() -> None:
    first = load_shipped()
    assert load_shipped() == first
    assert InstrumentVersion.objects.count() == 4


@pytest.mark.django_db
def test_an_upload_is_the_teams_and_a_repeat_version_is_refused(
    team: Team, other_team: Team, lead: User
) -> None:
    version = add_instrument(team=team, raw=json.dumps(two_pages()), by=lead)
    assert version.instrument.team == team
    assert version.uploaded_by == lead
    assert list(InstrumentVersion.objects.for_team(other_team)) == []
    with pytest.raises(InstrumentRefused, match="already loaded"):
        add_instrument(team=team, raw=json.dumps(two_pages()), by=lead)
    newer = add_instrument(team=team, raw=json.dumps(two_pages(version="2")), by=lead)
    assert newer.instrument == version.instrument
    with pytest.raises(InstrumentRefused, match="name of an instrument Sapling ships"):
        add_instrument(team=team, raw=json.dumps(two_pages(name="family_confidence")), by=lead)
