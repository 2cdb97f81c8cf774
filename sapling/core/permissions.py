"""The one permission check every view and API endpoint uses.

A view declares the permission it needs; the check finds the user's active membership,
puts `request.team` and `request.membership` in place, and answers 404 to anyone whose
role lacks the permission, so that a refused page reveals nothing about what exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from sapling.core.roles import role_has

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponse)


def has_permission(request: HttpRequest, permission: str) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and role_has(membership.role, permission)


def permission_required(permission: str) -> Callable[[Callable[..., R]], Callable[..., Any]]:
    """Require a logged-in member of a team whose role holds `permission`."""
    role_has("", permission)  # fail at import time on a misspelt permission

    def decorator(view: Callable[..., R]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_permission(request, permission):
                raise Http404("Not found")
            return view(request, *args, **kwargs)

        wrapped.required_permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorator
