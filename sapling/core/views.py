from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sapling.core import links, outbox
from sapling.core.audit import record_view
from sapling.core.http import TeamRequest
from sapling.core.models import MessageChannel, MessageStatus, OutboxMessage
from sapling.core.permissions import has_permission, permission_required
from sapling.core.tokens import LinkError, LinkUsed, resolve_link


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        reason = f"{type(error).__name__}: {error}".strip()[:200]
        return JsonResponse({"status": "error", "database": reason}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not has_permission(request, "team.view"):
        # Logged in but in no team yet: say so, rather than a bare "not found".
        return render(request, "core/no_team.jinja", status=403)
    return render(request, "core/home.jinja")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language, remember it on the user, and return to the same page."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        if request.user.is_authenticated:
            request.user.preferred_language = language
            request.user.save(update_fields=["preferred_language"])
    return response


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.jinja")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.jinja")


MESSAGE_LISTS = {
    "print": (MessageStatus.FOR_PRINT, _lazy("Letters to print")),
    "failed": (MessageStatus.FAILED, _lazy("Could not be sent")),
    "suppressed": (MessageStatus.SUPPRESSED, _lazy("Not sent: contact not allowed")),
}


@require_GET
@permission_required("messages.manage")
def list_messages(request: TeamRequest) -> HttpResponse:
    """Letters waiting to be printed, and messages that did not go, for the office."""
    shown = request.GET.get("show", "print")
    status, _title = MESSAGE_LISTS.get(shown, MESSAGE_LISTS["print"])
    found = (
        OutboxMessage.objects.filter(team=request.team, status=status)
        .select_related("carer__child")
        .order_by("-created_at")[:200]
    )
    context = {"messages_shown": found, "lists": MESSAGE_LISTS, "shown": shown}
    return render(request, "core/list_messages.jinja", context)


@require_POST
@permission_required("messages.manage")
def print_letter(request: TeamRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(
        OutboxMessage.objects.select_related("carer__child"),
        team=request.team,
        pk=pk,
        channel=MessageChannel.LETTER,
    )
    try:
        subject, body = outbox.print_letter(message, timezone.now())
    except outbox.AlreadyPrinted:
        messages.info(request, _("That letter was printed already"))
        return redirect("core:list_messages")
    except outbox.LetterWithheld:
        messages.info(
            request, _("That letter was not printed: the carer may no longer be contacted")
        )
        return redirect("core:list_messages")
    if message.carer is not None:
        record_view(request, message.carer.child, what="letter")
    context = {"message": message, "subject": subject, "body": body}
    return render(request, "core/print_letter.jinja", context)


# --- Secure links: /l/<token>/ is exchanged for a session, then the page for its purpose ---

# Openings of /l/ allowed per client address in LINK_WINDOW seconds (security catalogue D6).
LINK_RATE = 20
LINK_WINDOW = 600


def _no_referrer(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    return response


def _rate_limited(request: HttpRequest) -> bool:
    key = f"secure-link-openings:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, LINK_WINDOW)
    try:
        return cache.incr(key) > LINK_RATE
    except ValueError:  # expired between add and incr
        cache.set(key, 1, LINK_WINDOW)
        return False


def link_problem(request: HttpRequest, error: LinkError) -> HttpResponse:
    """One plain message per kind of problem; never more (a guesser learns nothing)."""
    used = links.USED_WORDING.get(error.purpose) if isinstance(error, LinkUsed) else None
    context = {"problem": type(error).__name__, "used": used}
    response = render(request, "core/link_problem.jinja", context, status=404)
    return _no_referrer(response)


@require_GET
@never_cache
def open_secure_link(request: HttpRequest, token: str) -> HttpResponse:
    """/l/<token>/: check the token, keep the link in the session, and leave the token URL.

    The token never stays in the address bar, the history or a Referer header: the page
    the visitor answers on has no token in its URL (security catalogue D5/D6). That page
    keeps the site's same-origin referrer policy: with no-referrer, browsers send
    "Origin: null" with the form and Django's CSRF check refuses the answer.
    """
    if _rate_limited(request):
        response = render(request, "core/link_problem.jinja", {"problem": "rate"}, status=429)
        return _no_referrer(response)
    try:
        link = resolve_link(token, purpose=links.DESTINATIONS.keys())
    except LinkError as error:
        return link_problem(request, error)
    request.session.cycle_key()
    request.session[links.session_key(link.purpose)] = link.pk
    return _no_referrer(redirect(links.DESTINATIONS[link.purpose]))
