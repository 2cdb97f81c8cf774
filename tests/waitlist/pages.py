from __future__ import annotations

from typing import Any


def page_context(response: Any) -> dict[str, Any]:
    """What a Jinja2 page was rendered with (kept by the keep_context fixture)."""
    context: dict[str, Any] = response.page_context
    return context
