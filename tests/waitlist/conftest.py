from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def local_cache(settings) -> None:
    """The rate limiter counts in the cache; tests use memory instead of the cache table."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "waitlist-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def keep_context(monkeypatch) -> None:
    """Jinja2 pages send no template signal: keep each page's context on its response."""
    from django import shortcuts

    from sapling.waitlist import views

    def render(request: Any, template_name: str, context: Any = None, **kwargs: Any) -> Any:
        response: Any = shortcuts.render(request, template_name, context, **kwargs)
        response.page_context = context or {}
        return response

    monkeypatch.setattr(views, "render", render)
