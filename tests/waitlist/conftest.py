from __future__ import annotations

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
