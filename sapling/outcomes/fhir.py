"""A response as a FHIR R4 QuestionnaireResponse, built and validated with fhir.resources.

fhir.resources' default models are R5; its R4B subpackage's QuestionnaireResponse is the
R4 resource (R4B changed nothing in it), so that is what validates the export.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from sapling.outcomes import questionnaire as q
from sapling.outcomes.models import Response

NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"


def _answer(item: dict[str, Any], value: Any) -> dict[str, Any]:
    kind = item["type"]
    if kind == "choice":
        for option in item.get("answerOption", []):
            if q.option_code(option) == str(value):
                if "valueCoding" in option:
                    return {"valueCoding": option["valueCoding"]}
                key = next(k for k in option if k.startswith("value"))
                return {key: option[key]}
        return {"valueString": str(value)}
    key = {
        "boolean": "valueBoolean",
        "integer": "valueInteger",
        "decimal": "valueDecimal",
        "date": "valueDate",
    }.get(kind, "valueString")
    return {key: value}


def _items(items: list[dict[str, Any]], answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The answered items in the questionnaire's own structure (groups kept)."""
    found = []
    for item in items:
        link_id = item.get("linkId")
        if item.get("type") == "group":
            inside = _items(item.get("item", []), answers)
            if inside:
                found.append({"linkId": link_id, "text": item.get("text"), "item": inside})
        elif item.get("type") in q.QUESTION_TYPES and link_id in answers:
            entry: dict[str, Any] = {"linkId": link_id, "answer": [_answer(item, answers[link_id])]}
            if item.get("text"):
                entry["text"] = item["text"]
            found.append(entry)
    return found


def _subject(response: Response) -> dict[str, Any] | None:
    child = response.administration.child
    if child is None:
        return None  # a group participant's own feedback is about no patient
    nhs_number = getattr(child, "nhs_number", "")
    if nhs_number:
        return {"identifier": {"system": NHS_NUMBER, "value": nhs_number}}
    return {"reference": f"Patient/{child.pk}"}


def questionnaire_response(response: Response) -> QuestionnaireResponse:
    """The validated resource; pydantic refuses anything that is not valid R4."""
    version = response.instrument_version
    administration = response.administration
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": f"sapling-response-{response.pk}",
        "questionnaire": version.canonical,
        "status": "completed",
        "authored": response.submitted_at.isoformat(),
        "language": response.language,
        "source": {"display": administration.get_respondent_display()},
        "item": _items(version.questionnaire.get("item", []), response.answers),
    }
    subject = _subject(response)
    if subject is not None:
        resource["subject"] = subject
    return QuestionnaireResponse.model_validate(resource)


def questionnaire_response_json(response: Response) -> str:
    return questionnaire_response(response).model_dump_json(indent=2)
