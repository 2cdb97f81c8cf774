"""The Jinja2 environment: NHS.UK frontend macros, translations and a few globals."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader
from markupsafe import Markup, escape

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


# A path on this site inside plain text, such as "/reports/settings/".
_SITE_PATH = re.compile(r"(?<![\w/.])(/[a-z0-9][a-z0-9\-/]*/)")


def link_paths(text: str) -> Markup:
    """Plain text, escaped, with each path that is a page of Sapling made a link to it."""

    def link(found: re.Match[str]) -> str:
        path = found.group(1)
        try:
            resolve(path)
        except Resolver404:
            return path
        return f'<a href="{path}">{path}</a>'

    return Markup(_SITE_PATH.sub(link, str(escape(text))))  # noqa: S704 - escaped above


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
    env.filters["link_paths"] = link_paths
    presenters.bind(env)
    return env
