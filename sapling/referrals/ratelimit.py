"""A per-address limit on public submissions, counted in the cache all workers share."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def allow(*, scope: str, address: str, limit: int | None = None, now: float | None = None) -> bool:
    """Count one attempt from `address`; False once more than `limit` were made this hour.

    `cache.add` creates the counter only if it is missing and `cache.incr` bumps it in the
    shared store, so workers never reset each other's counts.
    """
    limit = settings.SAPLING_PUBLIC_FORM_RATE if limit is None else limit
    window = int((time.time() if now is None else now) // WINDOW_SECONDS)
    key = f"ratelimit:{scope}:{address}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS + 60)
        count = 1
    return count <= limit
