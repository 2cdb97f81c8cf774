from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class TeamMiddleware:
    """Puts the user's active membership and team on the request for views and templates."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = None
        if request.user.is_authenticated:
            membership = request.user.active_membership()
        request.membership = membership  # type: ignore[attr-defined]
        request.team = membership.team if membership else None  # type: ignore[attr-defined]
        return self.get_response(request)
