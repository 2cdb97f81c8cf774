"""The per-address limit counts in the shared cache and resets each hour."""

from __future__ import annotations

import pytest

from sapling.referrals import ratelimit


@pytest.mark.django_db
def test_an_address_is_refused_after_the_limit_and_others_are_not() -> None:
    hour = 3600.0 * 500_000
    assert [ratelimit.allow(scope="s", address="a", limit=3, now=hour) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert ratelimit.allow(scope="s", address="b", limit=3, now=hour)
    assert ratelimit.allow(scope="s", address="a", limit=3, now=hour + ratelimit.WINDOW_SECONDS)
