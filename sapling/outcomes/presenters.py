"""Shape instruments, measures and answers into what the pages show."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sapling.outcomes import questionnaire as q
from sapling.outcomes.administration import about_name
from sapling.outcomes.forms import AnswersForm
from sapling.outcomes.models import Administration, InstrumentVersion, Response


def instrument_rows(versions: Iterable[InstrumentVersion]) -> list[list[dict[str, Any]]]:
    rows = []
    for version in versions:
        href = reverse("outcomes:show_instrument", args=[version.pk])
        rows.append(
            [
                {"html": f'<a href="{href}">{_escape(version.instrument.title)}</a>'},
                {"text": version.version},
                {"text": version.instrument.get_kind_display()},
                {"text": ", ".join(_language_name(code) for code in version.languages)},
                {
                    "text": _("Shipped with Sapling")
                    if version.instrument.team_id is None
                    else _("Our own")
                },
            ]
        )
    return rows


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def _language_name(code: str) -> str:
    return {"en": _("English"), "cy": _("Welsh")}.get(code, code)


def page_context(
    *,
    measure: Administration,
    pages: list[q.Page],
    number: int,
    form: AnswersForm,
    language: str,
) -> dict[str, Any]:
    """What the respondent's page needs: the child's first name only, never more."""
    version = measure.instrument_version
    page = pages[number - 1]
    # Display items sit between questions; each question keeps its field name.
    names = {link_id: name for name, link_id in form.link_ids.items()}
    blocks: list[dict[str, Any]] = []
    for item in page.items:
        if item.get("type") == "display":
            blocks.append({"text": q.translated(item, "text", language)})
        elif item.get("linkId") in names:
            blocks.append({"field": names[item["linkId"]]})
    return {
        "form": form,
        "first_name": about_name(measure),
        "about_child": measure.child_id is not None and measure.time_point != "session",
        "title": q.translated(version.questionnaire, "title", language),
        "page_title": q.translated(page.title, "text", language) if page.title else "",
        "blocks": blocks,
        "number": number,
        "count": len(pages),
        "last": number == len(pages),
        "previous": number - 1 if number > 1 else None,
        # Where the instrument has no Welsh, its questions are marked as English for
        # screen readers on a Welsh page.
        "content_language": language,
    }


def answer_rows(response: Response) -> list[dict[str, Any]]:
    """The answers of one response as summary-list rows, in the questionnaire's order."""
    rows = []
    for item in q.questions(response.instrument_version.questionnaire):
        if item["linkId"] not in response.answers:
            continue
        value = response.answers[item["linkId"]]
        if item["type"] == "choice":
            shown = dict(q.options(item, response.language)).get(str(value), str(value))
        elif isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        else:
            shown = str(value)
        rows.append({"key": {"text": item.get("text", "")}, "value": {"text": shown}})
    return rows
