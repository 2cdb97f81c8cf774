"""Public pages, no login: booking universal training, and sending a topic by secure link."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sapling.core.lifecycle import IllegalMove
from sapling.core.links import link_id_in_session
from sapling.core.tokens import LinkError, LinkUsed
from sapling.core.views import link_problem
from sapling.groups import lifecycle, topics
from sapling.groups.forms import BookingForm, TopicForm
from sapling.groups.models import EnrolmentStatus, ProgrammeTier, Run, RunStatus, SessionStatus
from sapling.groups.public import public_team

SESSION_BOOKED = "groups.booking.status"
SESSION_TOPIC = "groups.topic.sent"


def _open_runs() -> Any:
    team = public_team()
    if team is None:
        return Run.objects.none()
    return Run.objects.filter(
        team=team, status=RunStatus.OPEN, programme__tier=ProgrammeTier.UNIVERSAL
    ).select_related("programme")


def _held(run: Run) -> list[Any]:
    return [s for s in run.sessions.all() if s.status != SessionStatus.CANCELLED]


@require_GET
def list_open_training(request: HttpRequest) -> HttpResponse:
    runs = list(_open_runs().prefetch_related("sessions").order_by("pk"))
    rows = [{"run": r, "sessions": _held(r), "places_left": lifecycle.places_left(r)} for r in runs]
    return render(request, "groups/list_open_training.jinja", {"rows": rows})


@require_http_methods(["GET", "POST"])
@never_cache
def book_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _open_runs().filter(pk=pk).first()
    if run is None:
        raise Http404("No training found")
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrolment = lifecycle.book_public(
                run=run,
                name=data["name"],
                role=data["role"],
                setting=data["setting"],
                email=data["email"],
                digital_needs=data["digital_needs"],
            )
        except IllegalMove as error:
            form.add_error(None, str(error))
        else:
            request.session[SESSION_BOOKED] = [run.pk, enrolment.status]
            return redirect("booking:booked")
    context = {
        "form": form,
        "run": run,
        "sessions": _held(run),
        "places_left": lifecycle.places_left(run),
    }
    return render(request, "groups/book_run.jinja", context)


@require_GET
@never_cache
def booked(request: HttpRequest) -> HttpResponse:
    found: list[Any] = request.session.get(SESSION_BOOKED) or [None, ""]
    run = _open_runs().filter(pk=found[0]).first() if found[0] else None
    context = {"run": run, "reserve": found[1] == EnrolmentStatus.RESERVE}
    return render(request, "groups/booked.jinja", context)


@require_http_methods(["GET", "POST"])
@never_cache
def send_topic(request: HttpRequest) -> HttpResponse:
    link_pk = link_id_in_session(request, topics.PURPOSE)
    if link_pk is None:
        return link_problem(request, LinkError())
    try:
        link = topics.live_link(link_pk)
    except LinkUsed:
        return render(request, "groups/topic_sent.jinja", {"again": True})
    except LinkError as error:
        return link_problem(request, error)
    invitation = topics.invitation_for(link)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topics.send_topic(link=link, **form.cleaned_data)
        except LinkUsed:
            return render(request, "groups/topic_sent.jinja", {"again": True})
        except LinkError as error:
            return link_problem(request, error)
        request.session[SESSION_TOPIC] = True
        return redirect("booking:topic_sent")
    context = {"form": form, "session": invitation.session, "run": invitation.session.run}
    return render(request, "groups/send_topic.jinja", context)


@require_GET
@never_cache
def topic_sent(request: HttpRequest) -> HttpResponse:
    sent = request.session.pop(SESSION_TOPIC, None)
    return render(request, "groups/topic_sent.jinja", {"again": sent is None})
