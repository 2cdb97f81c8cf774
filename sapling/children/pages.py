"""What the safeguarding, statutory advice and school summary views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from sapling.children.models import Child
from sapling.core.audit import get_or_refuse
from sapling.core.http import TeamRequest
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import StaleEdit
from sapling.waitlist.forms import VersionedForm


def child_for_user(request: TeamRequest, pk: int) -> Child:
    return get_or_refuse(request, Child.objects.for_team(request.team).current(), pk)


def refusal(form: Any, error: StaleEdit | IllegalMove) -> None:
    """A stale or illegal move: say why on the form; nothing was saved."""
    form.add_error(None, error.message() if isinstance(error, StaleEdit) else str(error))


def form_page(
    request: TeamRequest,
    form: Any,
    *,
    title: str,
    caption: str,
    back: tuple[str, str],
    submit: str,
    intro: str = "",
    rows: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    """One form on a page: the error summary, a heading, optional facts, the fields."""
    hidden = ["version"] if isinstance(form, VersionedForm) else []
    context = {
        "form": form,
        "fields": [name for name in form.fields if name not in hidden],
        "hidden": hidden,
        "title": title,
        "caption": caption,
        "back_url": back[0],
        "back_text": back[1],
        "submit": submit,
        "intro": intro,
        "rows": rows or [],
    }
    return render(request, "children/record_form.jinja", context)


def row(key: str, value: Any) -> dict[str, Any]:
    return {"key": {"text": key}, "value": {"text": "" if value is None else str(value)}}


def attempt(form: Any, action: Callable[[], object]) -> bool:
    """Run one domain move; if it is stale or not allowed, say why on the form instead."""
    try:
        action()
    except (StaleEdit, IllegalMove) as error:
        refusal(form, error)
        return False
    return True
