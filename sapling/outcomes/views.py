from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sapling.care.models import Episode, Goal
from sapling.children.models import Child
from sapling.core.audit import get_or_refuse, record_view
from sapling.core.http import TeamRequest
from sapling.core.lifecycle import IllegalMove
from sapling.core.links import link_id_in_session
from sapling.core.models import SecureLink, StaleEdit
from sapling.core.permissions import permission_required
from sapling.core.tokens import LinkError, LinkUsed
from sapling.core.views import link_problem
from sapling.groups.models import Run
from sapling.outcomes import administration as admin
from sapling.outcomes import gas, results, schedule
from sapling.outcomes import questionnaire as q
from sapling.outcomes.fhir import questionnaire_response_json
from sapling.outcomes.forms import (
    AnswersForm,
    CancelForm,
    GasGoalForm,
    PlanForm,
    RateGoalsForm,
    ScaleGoalForm,
    ScheduleForm,
    UploadInstrumentForm,
)
from sapling.outcomes.instruments import add_instrument, load_shipped
from sapling.outcomes.models import (
    Administration,
    AdministrationStatus,
    InstrumentVersion,
    Response,
)
from sapling.outcomes.presenters import instrument_rows, page_context
from sapling.outcomes.validation import InstrumentRefused

SESSION_RECEIVED = "outcomes.questionnaire.received"
OPEN_STATUSES = [
    AdministrationStatus.SCHEDULED,
    AdministrationStatus.SENT,
    AdministrationStatus.NOT_SENT,
]


def _child(request: TeamRequest, pk: int) -> Child:
    return get_or_refuse(request, Child.objects.for_team(request.team), pk)


def _administration(request: TeamRequest, pk: int) -> Administration:
    found = Administration.objects.for_team(request.team).select_related(
        "child", "instrument_version__instrument", "carer", "enrolment__user"
    )
    return get_or_refuse(request, found, pk)


def _back_to(measure: Administration) -> HttpResponse:
    """The page the measure was listed on: its child's, else its group's."""
    return redirect(measure.back_url)


def _scale(request: TeamRequest, form: GasGoalForm, child: Child, goal: Goal | None) -> bool:
    data = form.cleaned_data
    try:
        gas.add_goal(
            team=request.team,
            child=child,
            goal_text=goal.text if goal is not None else data["goal_text"],
            levels=[data[level] for level in gas.LEVELS],
            weight=data["weight"],
            baseline=data["baseline"],
            set_on=timezone.localdate(),
            by=request.user,
            care_goal=goal,
        )
    except IllegalMove as error:
        _problem(form, error)
        return False
    messages.success(request, _("The goal has been scaled"))
    return True


def _rate(request: TeamRequest, form: RateGoalsForm, child: Child, episode: Episode | None) -> bool:
    try:
        gas.rate_goals(
            child=child,
            episode=episode,
            ratings=form.ratings(),
            time_point=form.cleaned_data["time_point"],
            rated_on=timezone.localdate(),
            by=request.user,
        )
    except IllegalMove as error:
        _problem(form, error)
        return False
    messages.success(request, _("The goals have been rated"))
    return True


def _problem(form: Any, error: Exception) -> None:
    form.add_error(None, error.message() if isinstance(error, StaleEdit) else str(error))


# --- Results and instruments ---------------------------------------------------------------


@require_GET
@permission_required("outcomes.view")
def show_overview(request: TeamRequest) -> HttpResponse:
    team_measures = Administration.objects.for_team(request.team)
    context = {
        "completion": results.completion_rates(team_measures),
        "experience": results.experience(results.team_responses(request.team)),
        "programmes": results.by_programme(request.team),
        "paper": team_measures.filter(status=AdministrationStatus.NOT_SENT)
        .select_related("child", "enrolment__user", "instrument_version__instrument")
        .order_by("due_on")[:50],
    }
    return render(request, "outcomes/show_overview.jinja", context)


@require_GET
@permission_required("outcomes.view")
def list_instruments(request: TeamRequest) -> HttpResponse:
    load_shipped()
    versions = InstrumentVersion.objects.for_team(request.team).select_related("instrument")
    return render(request, "outcomes/list_instruments.jinja", {"rows": instrument_rows(versions)})


@require_GET
@permission_required("outcomes.view")
def show_instrument(request: TeamRequest, pk: int) -> HttpResponse:
    versions = InstrumentVersion.objects.for_team(request.team).select_related("instrument")
    version = get_or_refuse(request, versions, pk)
    language = admin.language_for(version, translation.get_language() or "en")
    context = {
        "version": version,
        "language": language,
        "pages": q.pages(version.questionnaire),
        "q": q,
    }
    return render(request, "outcomes/show_instrument.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("outcomes.manage_instruments")
def upload_instrument(request: TeamRequest) -> HttpResponse:
    form = UploadInstrumentForm(request.POST or None, request.FILES or None)
    reasons: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            version = add_instrument(
                team=request.team, raw=form.cleaned_data["definition"].read(), by=request.user
            )
        except InstrumentRefused as refused:
            reasons = refused.reasons
            form.add_error("definition", _("The instrument was not loaded: see the problems"))
        else:
            messages.success(request, _("The instrument has been loaded"))
            return redirect("outcomes:show_instrument", pk=version.pk)
    return render(request, "outcomes/upload_instrument.jinja", {"form": form, "reasons": reasons})


@require_GET
@permission_required("outcomes.view")
def show_child_outcomes(request: TeamRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    record_view(request, child)
    measures = child.administrations.select_related(
        "instrument_version__instrument", "carer", "response"
    )
    responses = Response.objects.filter(administration__child=child).select_related(
        "instrument_version__instrument", "administration"
    )
    goals = list(child.gas_goals.filter(closed_on__isnull=True).prefetch_related("ratings"))
    context = {
        "child": child,
        "measures": measures,
        "lines": results.score_lines(responses),
        "goals": goals,
        "gas_results": gas.results(goals),
        "open": OPEN_STATUSES,
    }
    return render(request, "outcomes/show_child_outcomes.jinja", context)


@require_GET
@permission_required("outcomes.view")
def export_response(request: TeamRequest, pk: int) -> HttpResponse:
    found = Response.objects.filter(administration__team=request.team).select_related(
        "administration__child", "instrument_version__instrument"
    )
    response = get_or_refuse(request, found, pk)
    # A participant's own session feedback is about no child: the response itself is logged.
    record_view(request, response.administration.child or response, what="export")
    body = questionnaire_response_json(response)
    http = HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
    http["Content-Disposition"] = f'attachment; filename="questionnaire-response-{pk}.json"'
    return http


# --- Recording -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("outcomes.record")
def schedule_measure(request: TeamRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    load_shipped()
    form = ScheduleForm(
        request.POST or None,
        team=request.team,
        child=child,
        initial={"due_on": timezone.localdate(), "respondent": "parent"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            admin.schedule_measure(
                team=request.team,
                child=child,
                version=data["instrument"],
                time_point=data["time_point"],
                respondent=data["respondent"],
                carer=data["carer"],
                recipient_email=data["recipient_email"],
                due_on=data["due_on"],
                by=request.user,
            )
        except IllegalMove as error:
            _problem(form, error)
        else:
            messages.success(request, _("The measure has been scheduled"))
            return redirect("outcomes:show_child_outcomes", pk=child.pk)
    return render(request, "outcomes/schedule_measure.jinja", {"form": form, "child": child})


@require_http_methods(["GET", "POST"])
@permission_required("outcomes.record")
def cancel_measure(request: TeamRequest, pk: int) -> HttpResponse:
    measure = _administration(request, pk)
    form = CancelForm(request.POST or None, initial={"version": measure.version})
    if request.method == "POST" and form.is_valid():
        try:
            admin.cancel_measure(
                administration=measure,
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (IllegalMove, StaleEdit) as error:
            _problem(form, error)
        else:
            messages.success(request, _("The measure has been cancelled"))
            return _back_to(measure)
    return render(request, "outcomes/cancel_measure.jinja", {"form": form, "measure": measure})


@require_http_methods(["GET", "POST"])
@permission_required("outcomes.record")
def enter_paper_response(request: TeamRequest, pk: int) -> HttpResponse:
    measure = _administration(request, pk)
    version = measure.instrument_version
    items = q.questions(version.questionnaire)
    data = request.POST if request.method == "POST" else None
    form = AnswersForm(data, items=items, language="en")
    if request.method == "POST" and form.is_valid():
        try:
            admin.enter_paper_response(
                administration=measure, answers=form.answers(), language="en", by=request.user
            )
        except admin.AnswersRefused as refused:
            form.add_problems(refused.problems)
        except LinkUsed:
            form.add_error(None, _("This measure has already been answered"))
        else:
            messages.success(request, _("The answers have been saved"))
            return _back_to(measure)
    context = {"form": form, "measure": measure, "fields": list(form.fields)}
    return render(request, "outcomes/enter_paper_response.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("outcomes.record")
def add_gas_goal(request: TeamRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    form = GasGoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _scale(request, form, child, None):
        return redirect("outcomes:show_child_outcomes", pk=child.pk)
    return render(request, "outcomes/add_gas_goal.jinja", {"form": form, "child": child})


@require_http_methods(["GET", "POST"])
@permission_required("outcomes.record")
def rate_gas_goals(request: TeamRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    goals = gas.open_goals(child)
    form = RateGoalsForm(request.POST or None, goals=goals)
    if request.method == "POST" and form.is_valid() and _rate(request, form, child, None):
        return redirect("outcomes:show_child_outcomes", pk=child.pk)
    context = {"form": form, "child": child, "goals": goals}
    return render(request, "outcomes/rate_gas_goals.jinja", context)


# --- Specialist episodes and group runs -----------------------------------------------------


def _episode(request: TeamRequest, pk: int) -> Episode:
    episodes = Episode.objects.for_team(request.team).select_related("child", "team")
    return get_or_refuse(request, episodes, pk)


def _run(request: TeamRequest, pk: int) -> Run:
    runs = Run.objects.filter(team=request.team).select_related("programme", "team")
    return get_or_refuse(request, runs, pk)


@require_GET
@permission_required("outcomes.view")
def show_episode_outcomes(request: TeamRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    record_view(request, episode.child)
    goals = gas.open_goals(episode.child, episode)
    scaled = {g.goal_id for g in goals}
    responses = Response.objects.filter(administration__episode=episode).select_related(
        "instrument_version__instrument", "administration"
    )
    context = {
        "episode": episode,
        "child": episode.child,
        "goals": goals,
        "unscaled": [g for g in episode.goals.all() if g.pk not in scaled],
        "gas_results": gas.results(goals),
        "lines": results.score_lines(responses),
        "measures": episode.administrations.select_related(
            "instrument_version__instrument", "carer", "response"
        ),
        "plans": episode.plans.filter(ended_at__isnull=True).select_related(
            "instrument_version__instrument"
        ),
        "open": OPEN_STATUSES,
    }
    return render(request, "outcomes/show_episode_outcomes.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("outcomes.record")
def scale_goal(request: TeamRequest, pk: int) -> HttpResponse:
    goals = Goal.objects.filter(episode__team=request.team).select_related("episode__child")
    goal = get_or_refuse(request, goals, pk)
    form = ScaleGoalForm(request.POST or None)
    child = goal.episode.child
    if request.method == "POST" and form.is_valid() and _scale(request, form, child, goal):
        return redirect("outcomes:show_episode_outcomes", pk=goal.episode_id)
    return render(request, "outcomes/scale_goal.jinja", {"form": form, "goal": goal})


@require_http_methods(["GET", "POST"])
@permission_required("outcomes.record")
def rate_episode_goals(request: TeamRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    goals = gas.open_goals(episode.child, episode)
    form = RateGoalsForm(request.POST or None, goals=goals)
    child = episode.child
    if request.method == "POST" and form.is_valid() and _rate(request, form, child, episode):
        return redirect("outcomes:show_episode_outcomes", pk=episode.pk)
    context = {"form": form, "child": episode.child, "goals": goals, "episode": episode}
    return render(request, "outcomes/rate_gas_goals.jinja", context)


def _plan(request: TeamRequest, form: PlanForm, **owner: Any) -> bool:
    data = form.cleaned_data
    try:
        schedule.plan_measure(
            team=request.team,
            version=data["instrument"],
            time_point=data["time_point"],
            respondent=data["respondent"],
            by=request.user,
            **owner,
        )
    except IllegalMove as error:
        _problem(form, error)
        return False
    messages.success(request, _("The measure has been planned"))
    return True


@require_http_methods(["GET", "POST"])
@permission_required("outcomes.record")
def plan_episode_measure(request: TeamRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    load_shipped()
    points = list(schedule.EPISODE_POINTS)
    form = PlanForm(request.POST or None, team=request.team, time_points=points)
    if request.method == "POST" and form.is_valid() and _plan(request, form, episode=episode):
        return redirect("outcomes:show_episode_outcomes", pk=episode.pk)
    back = reverse("outcomes:show_episode_outcomes", args=[episode.pk])
    context = {"form": form, "caption": episode.child.full_name, "back": back}
    return render(request, "outcomes/plan_measure.jinja", context)


@require_GET
@permission_required("outcomes.view")
def show_run_outcomes(request: TeamRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    responses = Response.objects.filter(administration__run=run)
    context = {
        "run": run,
        "sessions": results.session_feedback(run),
        "experience": results.experience(responses.filter(administration__session__isnull=True)),
        "completion": results.completion_rates(Administration.objects.filter(run=run)),
        "plans": run.plans.filter(ended_at__isnull=True).select_related(
            "instrument_version__instrument"
        ),
    }
    return render(request, "outcomes/show_run_outcomes.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("outcomes.record")
def plan_run_measure(request: TeamRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    load_shipped()
    points = list(schedule.RUN_POINTS)
    form = PlanForm(request.POST or None, team=request.team, time_points=points)
    if request.method == "POST" and form.is_valid() and _plan(request, form, run=run):
        return redirect("outcomes:show_run_outcomes", pk=run.pk)
    back = reverse("outcomes:show_run_outcomes", args=[run.pk])
    return render(
        request, "outcomes/plan_measure.jinja", {"form": form, "caption": run.title, "back": back}
    )


# --- The respondent's side: reached from /l/<token>/ (sapling/core/links.py) ---------------


def _page_number(request: HttpRequest, count: int) -> int:
    raw = request.GET.get("page", "1")
    return min(max(int(raw), 1), count) if raw.isdigit() else 1


@require_http_methods(["GET", "POST"])
@never_cache
def answer_questionnaire(request: HttpRequest) -> HttpResponse:
    link_pk = link_id_in_session(request, admin.PURPOSE)
    if link_pk is None:
        return link_problem(request, LinkError())
    try:
        link = admin.live_link(link_pk)
        measure = admin.administration_for(link)
    except LinkUsed:
        return render(request, "outcomes/questionnaire_received.jinja", {"again": True})
    except LinkError as error:
        return link_problem(request, error)
    version = measure.instrument_version
    language = admin.language_for(version, translation.get_language() or "en")
    pages = q.pages(version.questionnaire)
    number = _page_number(request, len(pages))
    items = pages[number - 1].items
    # A page may be all optional questions, so an empty POST is still a submission.
    data = request.POST if request.method == "POST" else None
    form = AnswersForm(data, items=items, language=language, initial_answers=measure.draft)
    if request.method == "POST" and form.is_valid():
        return _save_page(request, form, link, measure, number, language)
    context = page_context(
        measure=measure, pages=pages, number=number, form=form, language=language
    )
    return render(request, "outcomes/answer_questionnaire.jinja", context)


def _save_page(
    request: HttpRequest,
    form: AnswersForm,
    link: SecureLink,
    measure: Administration,
    number: int,
    language: str,
) -> HttpResponse:
    pages = q.pages(measure.instrument_version.questionnaire)
    on_page = set(form.link_ids.values())
    try:
        if number < len(pages):
            admin.save_draft(administration=measure, answers=form.answers(), page=on_page)
            return redirect(f"{request.path}?page={number + 1}")
        admin.submit_answers(link=link, answers=form.answers(), page=on_page, language=language)
    except admin.AnswersRefused as refused:
        form.add_problems({k: v for k, v in refused.problems.items() if k in on_page})
        if set(refused.problems) - on_page:
            form.add_error(None, _("Some questions on an earlier page still need an answer"))
        context = page_context(
            measure=measure, pages=pages, number=number, form=form, language=language
        )
        return render(request, "outcomes/answer_questionnaire.jinja", context)
    except LinkUsed:
        return render(request, "outcomes/questionnaire_received.jinja", {"again": True})
    except LinkError as error:
        return link_problem(request, error)
    request.session[SESSION_RECEIVED] = True
    return redirect("outcomes:questionnaire_received")


@require_GET
@never_cache
def questionnaire_received(request: HttpRequest) -> HttpResponse:
    again = request.session.pop(SESSION_RECEIVED, None) is None
    return render(request, "outcomes/questionnaire_received.jinja", {"again": again})
