from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from sapling.accounts.forms import LoginForm


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("core:home")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("core:home")


@require_http_methods(["GET", "POST"])
def login_user(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user)
        response = HttpResponseRedirect(_safe_next(request))
        # The user's stored language follows them to any browser they log in from.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=365 * 24 * 3600,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response
    return render(request, "accounts/login_user.jinja", {"form": form, "next": _safe_next(request)})


@require_POST
def logout_user(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """Shown by django-axes after too many failed attempts."""
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked_out.jinja", {"minutes": minutes}, status=429)
