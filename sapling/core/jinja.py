"""The Jinja2 environment: NHS.UK frontend macros, translations and a few globals."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from sapling.core import presenters
from sapling.core.permissions import has_permission
from sapling.core.validators import format_nhs_number


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def localdate(value: Any, fmt: str = "%-d %B %Y") -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return value.strftime(fmt)


def environment(**options: Any) -> Environment:
    # ChainableUndefined lets the NHS.UK macros read optional nested parameters.
    options["undefined"] = ChainableUndefined
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    env = Environment(**options)  # noqa: S701 - Django's backend sets autoescape=True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext, translation.ngettext, newstyle=True
    )
    env.globals.update(
        static=static,
        url=url,
        field=presenters.render_field,
        error_summary=presenters.render_error_summary,
        pagination_params=presenters.pagination_params,
        has_permission=has_permission,
        service_name=settings.SERVICE_NAME,
        languages=settings.LANGUAGES,
        get_current_language=translation.get_language,
        get_messages=messages.get_messages,
    )
    env.filters["localdate"] = localdate
    env.filters["nhs_number"] = format_nhs_number
    presenters.bind(env)
    return env
