from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sapling.core.audit import get_or_refuse, record_list_view, record_view
from sapling.core.http import TeamRequest
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import StaleEdit
from sapling.core.permissions import permission_required
from sapling.referrals.models import OccupationalArea, Referral, Status
from sapling.triage import decisions, presenters, settings_store, versions
from sapling.triage.forms import DecisionForm, RulesForm, SettingsForm, TriageAnswersForm
from sapling.triage.rules import RulesError, parse_rules

PAGE_SIZE = 50


def _get_referral_for_user(request: TeamRequest, pk: int) -> Referral:
    return get_or_refuse(
        request, Referral.objects.for_team(request.team).select_related("child"), pk
    )


@require_GET
@permission_required("triage.decide")
def list_referrals(request: TeamRequest) -> HttpResponse:
    waiting = (
        Referral.objects.for_team(request.team)
        .awaiting_triage()
        .select_related("child")
        .order_by("received_on", "pk")
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    record_list_view(request, Referral, page.object_list, description="Referrals awaiting triage")
    context = {"page": page, "area_labels": dict(OccupationalArea.choices)}
    return render(request, "triage/list_referrals.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("triage.decide")
def triage_referral(request: TeamRequest, pk: int) -> HttpResponse:
    referral = _get_referral_for_user(request, pk)
    if referral.status != Status.RECEIVED:
        messages.info(request, _("Referral %(ref)s has already been triaged") % {"ref": referral})
        return redirect("triage:list_referrals")
    form = TriageAnswersForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        return _recommendation_page(request, referral, form, None)
    record_view(request, referral, what="triage")
    return _answers_page(request, referral, form)


@require_POST
@permission_required("triage.decide")
def decide_referral(request: TeamRequest, pk: int) -> HttpResponse:
    referral = _get_referral_for_user(request, pk)
    answers_form = TriageAnswersForm(request.POST, referral=referral)
    if not answers_form.is_valid():
        return _answers_page(request, referral, answers_form)
    return _recommendation_page(request, referral, answers_form, request.POST)


def _answers_page(
    request: TeamRequest, referral: Referral, form: TriageAnswersForm
) -> HttpResponse:
    context = {
        "form": form,
        "referral": referral,
        "risk_params": presenters.checkboxes_params(form["risks"]),
    }
    return render(request, "triage/triage_referral.jinja", context)


def _recommendation_page(
    request: TeamRequest, referral: Referral, answers_form: TriageAnswersForm, data: object
) -> HttpResponse:
    """Show the recommendation and the decision form; with `data`, carry out the decision."""
    answers = answers_form.answers()
    number, recommendation = decisions.recommendation_for(referral=referral, answers=answers)
    form = DecisionForm(
        data,
        team=request.team,
        recommendation=recommendation,
        referral=referral,
        rules_number=number,
    )
    if data is not None and form.is_valid():
        if form.cleaned_data["rules_number"] != number:
            form.add_error(None, _("The triage rules changed. Review the new recommendation."))
        else:
            try:
                decision = decisions.decide(
                    referral=referral,
                    answers=answers,
                    outcome=form.cleaned_data["outcome"],
                    overrides=form.overrides(),
                    reasons=form.reasons(),
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as stale:
                form.add_error(None, stale.message())
            except IllegalMove as refused:
                form.add_error(None, str(refused))
            except decisions.DecisionRefused as refused:
                form.add_error(refused.field, str(refused))
            else:
                messages.success(request, presenters.decision_message(decision))
                return redirect("triage:list_referrals")
    context = {
        "referral": referral,
        "form": form,
        "answers_form": answers_form,
        "recommendation": recommendation,
        "summary_rows": presenters.recommendation_rows(request.team, recommendation),
        "factor_rows": presenters.factor_rows(recommendation),
    }
    return render(request, "triage/show_recommendation.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("triage.configure")
def update_rules(request: TeamRequest) -> HttpResponse:
    active = versions.active_version(request.team)
    form = RulesForm(
        request.POST or None, initial={"source": active.source, "based_on": active.number}
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source"]
        try:
            if request.POST.get("action") == "save":
                saved = versions.save_rules(
                    team=request.team,
                    source=source,
                    by=request.user,
                    based_on=form.cleaned_data["based_on"],
                )
                messages.success(
                    request, _("Rules version %(n)s is now in use") % {"n": saved.number}
                )
                return redirect("triage:update_rules")
            preview = versions.preview(team=request.team, rules=parse_rules(source))
        except RulesError as error:
            for problem in error.problems:
                form.add_error("source", str(problem))
        except versions.RulesChanged as changed:
            form.add_error(None, changed.message())
    history = request.team.rules_versions.select_related("created_by")[:10]
    context = {
        "form": form,
        "active": active,
        "preview": preview,
        "preview_counts": presenters.preview_counts(preview) if preview else [],
        "preview_rows": presenters.preview_rows(request.team, preview) if preview else [],
        "history_rows": presenters.history_rows(history),
    }
    return render(request, "triage/update_rules.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("triage.configure")
def update_settings(request: TeamRequest) -> HttpResponse:
    current = settings_store.live_order_for(request.team)
    form = SettingsForm(request.POST or None, initial={"live_order": current})
    if request.method == "POST" and form.is_valid():
        settings_store.set_live_order(team=request.team, live_order=form.cleaned_data["live_order"])
        messages.success(request, _("The live waiting-list order has been saved"))
        return redirect("triage:update_settings")
    return render(request, "triage/update_settings.jinja", {"form": form})
