"""Factories for outcome measures, and a small multi-page instrument to upload."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from sapling.outcomes.instruments import FAMILY_CONFIDENCE, shipped_version
from sapling.outcomes.models import Administration, GasGoal
from tests.factories import ChildFactory, TeamFactory, UserFactory

# Two pages: the second asks about school only if the child goes to school.
TWO_PAGES: dict[str, Any] = {
    "questionnaire": {
        "resourceType": "Questionnaire",
        "name": "daily_life",
        "version": "1",
        "title": "Daily life",
        "status": "active",
        "item": [
            {
                "linkId": "home",
                "type": "group",
                "text": "At home",
                "item": [
                    {
                        "linkId": "dressing",
                        "type": "integer",
                        "text": "How well does your child dress, from 1 to 10?",
                        "required": True,
                        "extension": [
                            {
                                "url": "http://hl7.org/fhir/StructureDefinition/minValue",
                                "valueInteger": 1,
                            },
                            {
                                "url": "http://hl7.org/fhir/StructureDefinition/maxValue",
                                "valueInteger": 10,
                            },
                        ],
                    },
                    {
                        "linkId": "at_school",
                        "type": "boolean",
                        "text": "Does your child go to school?",
                        "required": True,
                    },
                ],
            },
            {
                "linkId": "school",
                "type": "group",
                "text": "At school",
                "item": [
                    {
                        "linkId": "writing",
                        "type": "choice",
                        "text": "How is handwriting going?",
                        "required": True,
                        "enableWhen": [
                            {"question": "at_school", "operator": "=", "answerBoolean": True}
                        ],
                        "answerOption": [
                            {"valueCoding": {"code": "better", "display": "Better"}},
                            {"valueCoding": {"code": "same", "display": "The same"}},
                            {"valueCoding": {"code": "worse", "display": "Worse"}},
                        ],
                    },
                    {"linkId": "notes", "type": "text", "text": "Anything else?"},
                ],
            },
        ],
    },
    "sapling": {
        "kind": "prom",
        "respondents": ["parent"],
        "source": "Written for Sapling's tests.",
        "licence": "MIT",
        "scoring": {
            "scores": [
                {
                    "key": "dressing",
                    "label": "Dressing (1 to 10)",
                    "method": "value",
                    "items": ["dressing"],
                }
            ]
        },
    },
}


def two_pages(**changes: Any) -> dict[str, Any]:
    """A fresh copy of the two-page instrument, with top-level questionnaire changes."""
    data = copy.deepcopy(TWO_PAGES)
    data["questionnaire"].update(changes)
    return data


class AdministrationFactory(DjangoModelFactory[Administration]):
    class Meta:
        model = Administration

    team = factory.SubFactory(TeamFactory)
    child = factory.SubFactory(ChildFactory, team=factory.SelfAttribute("..team"))
    instrument_version = factory.LazyFunction(lambda: shipped_version(FAMILY_CONFIDENCE))
    time_point = "baseline"
    respondent = "parent"
    due_on = factory.LazyFunction(dt.date.today)


class GasGoalFactory(DjangoModelFactory[GasGoal]):
    class Meta:
        model = GasGoal

    team = factory.SubFactory(TeamFactory)
    child = factory.SubFactory(ChildFactory, team=factory.SelfAttribute("..team"))
    goal_text = "Alys will dress herself for school"
    much_less = "Needs help with every item"
    less = "Dresses with help for buttons and socks"
    expected = "Dresses alone except shoelaces"
    more = "Dresses alone, including shoelaces, with reminders"
    much_more = "Dresses alone, on time, without reminders"
    baseline = -1
    set_on = factory.LazyFunction(dt.date.today)
    set_by = factory.SubFactory(UserFactory)
