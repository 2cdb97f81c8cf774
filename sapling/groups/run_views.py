"""Staff pages for programmes, runs, sessions, enrolments and registers; partners' booking."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sapling.children.models import Child
from sapling.core.audit import get_or_refuse, record_list_view
from sapling.core.http import TeamRequest
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import StaleEdit
from sapling.core.permissions import has_permission, permission_required
from sapling.groups import lifecycle, topics
from sapling.groups.figures import digital_access, programme_figures, run_figures
from sapling.groups.forms import (
    DigitalAccessForm,
    EnrolChildForm,
    MoveSessionForm,
    ProgrammeForm,
    ReasonForm,
    RegisterForm,
    RunForm,
    TopicsForm,
    VersionedForm,
    WithdrawForm,
)
from sapling.groups.models import (
    Enrolment,
    EnrolmentStatus,
    Programme,
    ProgrammeTier,
    Resource,
    Run,
    RunStatus,
    Session,
    SessionStatus,
)
from sapling.groups.presenters import enrolment_rows, figure_rows, programme_rows, session_rows
from sapling.waitlist.checkins import recipients


def _runs(request: TeamRequest) -> Any:
    return Run.objects.filter(team=request.team).select_related("programme")


def _get_run(request: TeamRequest, pk: int) -> Run:
    return get_or_refuse(request, _runs(request), pk)


def _get_session(request: TeamRequest, pk: int) -> Session:
    sessions = Session.objects.filter(run__team=request.team).select_related("run__programme")
    return get_or_refuse(request, sessions, pk)


def _get_enrolment(request: TeamRequest, run: Run, pk: int) -> Enrolment:
    enrolments = run.enrolments.select_related("child", "user", "run__programme")
    return get_or_refuse(request, enrolments, pk)


def _problem(form: Any, error: Exception) -> None:
    form.add_error(None, error.message() if isinstance(error, StaleEdit) else str(error))


def _record_children(request: TeamRequest, enrolments: list[Enrolment], what: str) -> None:
    children = [e.child for e in enrolments if e.child is not None]
    if children:
        record_list_view(request, Child, children, description=what)


# --- Catalogue and runs ------------------------------------------------------------------


@require_GET
@permission_required("groups.view")
def list_runs(request: TeamRequest) -> HttpResponse:
    programmes = list(
        Programme.objects.filter(team=request.team).annotate(
            live_runs=Count("runs", filter=Q(runs__status__in=lifecycle.LIVE_RUN))
        )
    )
    runs = list(
        _runs(request)
        .annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)),
            reserves=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.RESERVE)),
        )
        .order_by("status", "-pk")[:200]
    )
    everyone = Enrolment.objects.filter(run__team=request.team).prefetch_related("run__sessions")
    context = {
        "programmes": programme_rows(programmes, {p.pk: programme_figures(p) for p in programmes}),
        "runs": runs,
        "digital": digital_access(everyone),
        "can_manage": has_permission(request, "groups.manage"),
    }
    return render(request, "groups/list_runs.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("groups.manage")
def add_programme(request: TeamRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, team=request.team, initial={"languages": ["en"]})
    if request.method == "POST" and form.is_valid():
        form.instance.team = request.team
        form.save()
        messages.success(request, _("The programme has been added to the catalogue"))
        return redirect("runs:list_runs")
    return render(request, "groups/add_programme.jinja", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required("groups.manage")
def add_run(request: TeamRequest, pk: int) -> HttpResponse:
    programme = get_or_refuse(request, Programme.objects.filter(team=request.team), pk)
    initial = {
        "title": programme.name,
        "capacity": programme.capacity,
        "count": programme.sessions_count,
        "language": "en",
        "minutes": 90,
        "every_days": 7,
        "facilitators": list(programme.facilitators.all()),
    }
    form = RunForm(request.POST or None, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = lifecycle.create_run(
                programme=programme,
                title=data["title"],
                term=data["term"],
                venue=data["venue"],
                meeting_link=data["meeting_link"],
                capacity=data["capacity"],
                language=data["language"],
                facilitators=data["facilitators"],
                sessions=form.sessions(),
                by=request.user,
            )
        except IllegalMove as error:
            _problem(form, error)
        else:
            messages.success(request, _("The run has been planned. Open it when it can be booked."))
            return redirect("runs:show_run", pk=run.pk)
    return render(request, "groups/add_run.jinja", {"form": form, "programme": programme})


@require_GET
@permission_required("groups.view")
def show_run(request: TeamRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    enrolments = list(
        run.enrolments.select_related("child", "user").prefetch_related("carers", "attendances")
    )
    _record_children(request, enrolments, f"Group run {run.pk}: enrolments")
    sessions = list(run.sessions.all())
    figures = run_figures(run)
    context = {
        "run": run,
        "sessions": session_rows(sessions),
        "enrolled": enrolment_rows(
            [e for e in enrolments if e.status == EnrolmentStatus.ENROLLED], sessions
        ),
        "reserves": sorted(
            [e for e in enrolments if e.status == EnrolmentStatus.RESERVE],
            key=lambda e: (e.reserve_position or 0, e.pk),
        ),
        "withdrawn": [e for e in enrolments if e.status == EnrolmentStatus.WITHDRAWN],
        "places_left": lifecycle.places_left(run),
        "figures": figure_rows(figures),
        "digital": digital_access(enrolments),
        "live": run.status in lifecycle.LIVE_RUN,
        "can_manage": has_permission(request, "groups.manage"),
        "can_enrol": has_permission(request, "groups.enrol"),
        "can_register": has_permission(request, "groups.take_register"),
    }
    return render(request, "groups/show_run.jinja", context)


def _versioned_action(
    request: TeamRequest,
    record: Run | Session,
    *,
    form_class: type[VersionedForm],
    move: Callable[..., Any],
    template: str,
    done: str,
    arguments: Callable[[Any], dict[str, Any]] | None = None,
) -> HttpResponse:
    """A run or session move from a versioned form: the move, or the form with the reason
    it was refused. ``arguments`` turns the valid form into the move's own arguments (by
    default, every field but the version)."""
    name = "run" if isinstance(record, Run) else "session"
    form = form_class(request.POST or None, initial={"version": record.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            move(
                **{name: record},
                by=request.user,
                expected_version=expected,
                **(arguments(form) if arguments else data),
            )
        except (StaleEdit, IllegalMove) as error:
            _problem(form, error)
        else:
            messages.success(request, done)
            run_pk = record.pk if isinstance(record, Run) else record.run_id
            return redirect("runs:show_run", pk=run_pk)
    return render(request, template, {"form": form, name: record})


def _run_action(request: TeamRequest, pk: int, **action: Any) -> HttpResponse:
    return _versioned_action(request, _get_run(request, pk), **action)


@require_http_methods(["GET", "POST"])
@permission_required("groups.manage")
def open_run(request: TeamRequest, pk: int) -> HttpResponse:
    return _run_action(
        request,
        pk,
        form_class=VersionedForm,
        move=lifecycle.open_run,
        template="groups/open_run.jinja",
        done=_("The run is open for booking"),
    )


@require_http_methods(["GET", "POST"])
@permission_required("groups.manage")
def finish_run(request: TeamRequest, pk: int) -> HttpResponse:
    return _run_action(
        request,
        pk,
        form_class=VersionedForm,
        move=lifecycle.finish_run,
        template="groups/finish_run.jinja",
        done=_("The run is finished. Its completion and dropout are now counted."),
    )


@require_http_methods(["GET", "POST"])
@permission_required("groups.manage")
def cancel_run(request: TeamRequest, pk: int) -> HttpResponse:
    return _run_action(
        request,
        pk,
        form_class=ReasonForm,
        move=lifecycle.cancel_run,
        template="groups/cancel_run.jinja",
        done=_("The run is cancelled and everyone with a place has been told"),
    )


# --- Sessions ----------------------------------------------------------------------------


def _new_times(form: MoveSessionForm) -> dict[str, Any]:
    starts_at, ends_at = form.times()
    return {"starts_at": starts_at, "ends_at": ends_at, "reason": form.cleaned_data["reason"]}


@require_http_methods(["GET", "POST"])
@permission_required("groups.manage")
def move_session(request: TeamRequest, pk: int) -> HttpResponse:
    return _versioned_action(
        request,
        _get_session(request, pk),
        form_class=MoveSessionForm,
        move=lifecycle.move_session,
        template="groups/move_session.jinja",
        done=_("The session has moved and everyone enrolled is told"),
        arguments=_new_times,
    )


@require_http_methods(["GET", "POST"])
@permission_required("groups.manage")
def cancel_session(request: TeamRequest, pk: int) -> HttpResponse:
    return _versioned_action(
        request,
        _get_session(request, pk),
        form_class=ReasonForm,
        move=lifecycle.cancel_session,
        template="groups/cancel_session.jinja",
        done=_("The session is cancelled and everyone enrolled is told"),
    )


@require_http_methods(["GET", "POST"])
@permission_required("groups.take_register")
def take_register(request: TeamRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    enrolments = lifecycle.register_enrolments(session)
    _record_children(request, enrolments, f"Group session {session.pk}: register")
    current = {a.enrolment_id: a.mark for a in session.attendances.all()}
    initial = {f"mark_{pk}": mark for pk, mark in current.items()}
    form = RegisterForm(request.POST or None, enrolments=enrolments, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = lifecycle.record_register(session=session, marks=form.marks(), by=request.user)
        except IllegalMove as error:
            _problem(form, error)
        else:
            unmarked = len(enrolments) - len(set(current) | {a.enrolment_id for a in saved})
            text = _("The register has been saved")
            if unmarked:
                text += ". " + _("%(n)s people have no mark yet.") % {"n": unmarked}
            messages.success(request, text)
            return redirect("runs:show_run", pk=session.run_id)
    context = {"form": form, "session": session, "enrolments": enrolments}
    return render(request, "groups/take_register.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("groups.take_register")
def session_topics(request: TeamRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    suggestions = list(session.topic_suggestions.all())
    library = list(Resource.objects.filter(team=request.team).order_by("title"))
    initial = {
        "covered": [str(s.pk) for s in suggestions if s.covered],
        "resources": [str(r.pk) for r in session.resources_shared.all()],
    }
    form = TopicsForm(
        request.POST or None, suggestions=suggestions, library=library, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        topics.record_session_topics(
            session=session,
            covered={int(pk) for pk in form.cleaned_data["covered"]},
            resources=[r for r in library if str(r.pk) in form.cleaned_data["resources"]],
            by=request.user,
        )
        messages.success(request, _("The topics covered and resources shared have been saved"))
        return redirect("runs:session_topics", pk=session.pk)
    context = {
        "form": form,
        "session": session,
        "groups": topics.grouped(suggestions),
    }
    return render(request, "groups/session_topics.jinja", context)


# --- Enrolments --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("groups.enrol")
def enrol_child(request: TeamRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    form = EnrolChildForm(request.POST or None, run=run)
    if request.method == "POST" and form.is_valid():
        entry = form.cleaned_data["entry"]
        try:
            enrolment = lifecycle.enrol_child(
                run=run, entry=entry, carers=recipients(entry.child.carers.all()), by=request.user
            )
        except IllegalMove as error:
            _problem(form, error)
        else:
            if enrolment.status == EnrolmentStatus.RESERVE:
                messages.success(request, _("The run is full: the child is on the reserve list"))
            else:
                messages.success(request, _("The child has a place and the family is told"))
            return redirect("runs:show_run", pk=run.pk)
    return render(request, "groups/enrol_child.jinja", {"form": form, "run": run})


@require_http_methods(["GET", "POST"])
@permission_required("groups.enrol")
def withdraw_enrolment(request: TeamRequest, pk: int, enrolment_pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    enrolment = _get_enrolment(request, run, enrolment_pk)
    form = WithdrawForm(request.POST or None, initial={"version": enrolment.version})
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.withdraw(
                enrolment=enrolment,
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (StaleEdit, IllegalMove) as error:
            _problem(form, error)
        else:
            messages.success(request, _("Withdrawn. A freed place goes to the reserve list."))
            return redirect("runs:show_run", pk=run.pk)
    context = {"form": form, "run": run, "enrolment": enrolment}
    return render(request, "groups/withdraw_enrolment.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("groups.enrol")
def update_digital_access(request: TeamRequest, pk: int, enrolment_pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    enrolment = _get_enrolment(request, run, enrolment_pk)
    initial = {
        "version": enrolment.version,
        "needs": enrolment.digital_needs,
        "support": enrolment.digital_support,
        "arranged_on": enrolment.digital_support_arranged_on,
    }
    form = DigitalAccessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lifecycle.record_digital_access(
                enrolment=enrolment,
                needs=data["needs"],
                support=data["support"],
                arranged_on=data["arranged_on"],
                by=request.user,
                expected_version=data["version"],
            )
        except (StaleEdit, IllegalMove) as error:
            _problem(form, error)
        else:
            messages.success(request, _("Digital access has been recorded"))
            return redirect("runs:show_run", pk=run.pk)
    context = {"form": form, "run": run, "enrolment": enrolment}
    return render(request, "groups/update_digital_access.jinja", context)


# --- Partners book universal training for themselves --------------------------------------


def _bookable(request: TeamRequest) -> Any:
    return _runs(request).filter(status=RunStatus.OPEN, programme__tier=ProgrammeTier.UNIVERSAL)


@require_GET
@permission_required("groups.book_own")
def list_training(request: TeamRequest) -> HttpResponse:
    mine = list(
        Enrolment.objects.filter(user=request.user, run__team=request.team)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("run__programme")
    )
    context = {
        "runs": list(_bookable(request).prefetch_related("sessions")),
        "mine": mine,
        "booked": {e.run_id for e in mine},
    }
    return render(request, "groups/list_training.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("groups.book_own")
def book_training(request: TeamRequest, pk: int) -> HttpResponse:
    run = get_or_refuse(request, _bookable(request), pk)
    form = VersionedForm(request.POST or None, initial={"version": run.version})
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = lifecycle.book_partner(run=run, user=request.user)
        except IllegalMove as error:
            _problem(form, error)
        else:
            if enrolment.status == EnrolmentStatus.RESERVE:
                messages.success(request, _("The training is full: you are on the reserve list"))
            else:
                messages.success(request, _("You have a place. We have emailed you the dates."))
            return redirect("runs:list_training")
    sessions = [s for s in run.sessions.all() if s.status != SessionStatus.CANCELLED]
    context = {
        "form": form,
        "run": run,
        "sessions": sessions,
        "places_left": lifecycle.places_left(run),
    }
    return render(request, "groups/book_training.jinja", context)
