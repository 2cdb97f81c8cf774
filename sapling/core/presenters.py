"""Shape Django forms into the parameters the NHS.UK frontend macros expect.

Templates call `field(form.name)` and `error_summary(form)`; the choice of component
follows the field's widget, so no template hand-writes component HTML.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.boundfield import BoundField
from django.utils.translation import gettext as _
from jinja2 import Environment
from markupsafe import Markup

from sapling.core.widgets import NHSDateWidget

_env: Environment | None = None


def bind(env: Environment) -> None:
    global _env
    _env = env


def _macro(component: str, name: str) -> Any:
    assert _env is not None, "the Jinja environment binds itself at start-up"
    template = _env.get_template(f"nhsuk/components/{component}/macro.jinja")
    return getattr(template.module, name)


def _common(bound: BoundField, **overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {"id": bound.auto_id, "name": bound.html_name}
    if bound.help_text:
        params["hint"] = {"text": str(bound.help_text)}
    if bound.errors:
        params["errorMessage"] = {"text": " ".join(str(e) for e in bound.errors)}
    params.update(overrides)
    return params


def _label(bound: BoundField, classes: str = "") -> dict[str, Any]:
    label: dict[str, Any] = {"text": str(bound.label)}
    if classes:
        label["classes"] = classes
    return label


def _value(bound: BoundField) -> str:
    value = bound.value()
    return "" if value is None else str(value)


def _choice_group(bound: BoundField, legend: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """Radios or checkboxes: the first input takes the field's id (the error summary links
    to it), so the group's container must not carry the same id, or its label points
    nowhere."""
    params = _common(
        bound, fieldset=legend, idPrefix=bound.auto_id, items=_choice_items(bound), **overrides
    )
    if params.get("id") == bound.auto_id:
        del params["id"]
    return params


def _choice_items(bound: BoundField) -> list[dict[str, Any]]:
    current = bound.value()
    selected = {str(v) for v in current} if isinstance(current, list | tuple) else {str(current)}
    return [
        {"value": str(value), "text": str(text), "checked": str(value) in selected}
        for value, text in bound.field.choices  # type: ignore[attr-defined]
    ]


def render_field(bound: BoundField, **overrides: Any) -> Markup:
    widget = bound.field.widget
    legend = {"legend": {"text": str(bound.label), "classes": "nhsuk-fieldset__legend--s"}}
    if isinstance(widget, NHSDateWidget):
        day, month, year = widget.parts(bound.value())
        items = [
            {"name": f"{bound.html_name}_day", "label": _("Day"), "value": day, "width": 2},
            {"name": f"{bound.html_name}_month", "label": _("Month"), "value": month, "width": 2},
            {"name": f"{bound.html_name}_year", "label": _("Year"), "value": year, "width": 4},
        ]
        for item, part in zip(items, ("day", "month", "year"), strict=True):
            item["id"] = f"{bound.auto_id}_{part}"
        params = _common(bound, fieldset=legend, items=items, **overrides)
        return Markup(_macro("date-input", "dateInput")(params))  # noqa: S704
    # Django's CheckboxSelectMultiple subclasses RadioSelect, so it is tested first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        params = _choice_group(bound, legend, **overrides)
        return Markup(_macro("checkboxes", "checkboxes")(params))  # noqa: S704
    if isinstance(widget, forms.RadioSelect):
        params = _choice_group(bound, legend, **overrides)
        return Markup(_macro("radios", "radios")(params))  # noqa: S704
    if isinstance(widget, forms.CheckboxInput):
        item = {"value": "on", "text": str(bound.label), "checked": bool(bound.value())}
        if bound.help_text:
            item["hint"] = {"text": str(bound.help_text)}
        params = _common(bound, items=[item], **overrides)
        params.pop("hint", None)
        return Markup(_macro("checkboxes", "checkboxes")(params))  # noqa: S704
    if isinstance(widget, forms.Select):
        items = [
            {"value": i["value"], "text": i["text"], "selected": i["checked"]}
            for i in _choice_items(bound)
        ]
        params = _common(bound, label=_label(bound), items=items, **overrides)
        return Markup(_macro("select", "select")(params))  # noqa: S704
    if isinstance(widget, forms.Textarea):
        params = _common(bound, label=_label(bound), value=_value(bound), **overrides)
        return Markup(_macro("textarea", "textarea")(params))  # noqa: S704
    input_type = getattr(widget, "input_type", "text")
    params = _common(
        bound,
        label=_label(bound),
        value="" if input_type == "password" else _value(bound),
        type=input_type,
        **overrides,
    )
    autocomplete = widget.attrs.get("autocomplete")
    if autocomplete:
        params.setdefault("autocomplete", autocomplete)
    if "spellcheck" in widget.attrs:
        params["spellcheck"] = widget.attrs["spellcheck"]
    return Markup(_macro("input", "input")(params))  # noqa: S704


def error_list(form: forms.BaseForm) -> list[dict[str, str]]:
    """Each error once, linked to its field (a date links to its day box)."""
    errors = []
    for message in form.non_field_errors():
        errors.append({"text": str(message), "href": "#maincontent"})
    for name, messages in form.errors.items():
        if name == NON_FIELD_ERRORS:
            continue
        bound = form[name]
        anchor = bound.auto_id
        if isinstance(bound.field.widget, NHSDateWidget):
            anchor = f"{anchor}_day"
        elif isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            anchor = bound.auto_id
        errors.extend({"text": str(m), "href": f"#{anchor}"} for m in messages)
    return errors


def render_error_summary(*forms_: forms.BaseForm) -> Markup:
    errors = [error for form in forms_ if form.is_bound for error in error_list(form)]
    if not errors:
        return Markup("")
    params = {"titleText": _("There is a problem"), "errorList": errors}
    return Markup(_macro("error-summary", "errorSummary")(params))  # noqa: S704


def pagination_params(request: Any, page: Any) -> dict[str, Any]:
    """Previous and next links for the NHS.UK pagination macro, keeping the query."""

    def link(number: int) -> dict[str, str]:
        query = request.GET.copy()
        query["page"] = str(number)
        label = _("Page %(n)s of %(total)s") % {"n": number, "total": page.paginator.num_pages}
        return {"href": f"?{query.urlencode()}", "labelText": label}

    return {
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
    }
