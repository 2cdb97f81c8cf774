"""Statutory advice pages: requests coming due, a child's requests, and their actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sapling.children import statutory
from sapling.children.forms_records import (
    AdviceRequestForm,
    AdviceSentForm,
    AssignWriterForm,
    WithdrawForm,
)
from sapling.children.models import Child, StatutoryAdviceRequest
from sapling.children.pages import attempt, child_for_user, form_page, refusal, row
from sapling.core.audit import get_or_refuse, record_list_view, record_view
from sapling.core.http import TeamRequest
from sapling.core.lifecycle import IllegalMove
from sapling.core.permissions import permission_required


def _request_for_user(request: TeamRequest, child: Child, pk: int) -> StatutoryAdviceRequest:
    return get_or_refuse(request, child.statutory_advice_requests.select_related("writer"), pk)


def _back(child: Child) -> tuple[str, str]:
    return reverse("children:list_child_advice", args=[child.pk]), _("Statutory advice")


def _rows(advice: StatutoryAdviceRequest) -> list[dict[str, object]]:
    return [
        row(_("Asked by"), advice.requested_by),
        row(_("Received"), f"{advice.received_on:%-d %B %Y}"),
        row(_("Due"), f"{advice.due_on:%-d %B %Y}"),
    ]


@require_GET
@permission_required("statutory.manage")
def list_advice_due(request: TeamRequest) -> HttpResponse:
    """Outstanding advice due within two weeks or overdue; ?show=all for every outstanding."""
    today = timezone.localdate()
    everything = request.GET.get("show") == "all"
    found = (
        StatutoryAdviceRequest.objects.for_team(request.team)
        .outstanding()
        .select_related("child", "writer")
        if everything
        else statutory.statutory_advice_due(request.team, today=today)
    )
    advice = list(found)
    record_list_view(
        request,
        Child,
        [item.child for item in advice],
        description="Statutory advice " + ("outstanding" if everything else "coming due"),
    )
    context = {"advice": advice, "today": today, "everything": everything}
    return render(request, "children/list_advice_due.jinja", context)


@require_GET
@permission_required("statutory.manage")
def list_child_advice(request: TeamRequest, child_pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    record_view(request, child, what="statutory advice")
    context = {
        "child": child,
        "advice": child.statutory_advice_requests.select_related("writer"),
        "today": timezone.localdate(),
    }
    return render(request, "children/list_child_advice.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("statutory.manage")
def add_advice_request(request: TeamRequest, child_pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    form = AdviceRequestForm(request.POST or None, team=request.team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            advice = statutory.record_request(
                child=child,
                requested_by=data["requested_by"],
                reference=data["reference"],
                received_on=data["received_on"],
                writer=data["writer"],
                by=request.user,
            )
        except IllegalMove as error:
            refusal(form, error)
        else:
            messages.success(
                request,
                _("The request has been recorded. The advice is due on %(date)s")
                % {"date": f"{advice.due_on:%-d %B %Y}"},
            )
            return redirect("children:list_child_advice", child_pk=child.pk)
    return form_page(
        request,
        form,
        title=_("Record a request for statutory advice"),
        caption=child.full_name,
        back=_back(child),
        submit=_("Record the request"),
        intro=_("The advice is due 6 weeks after the date the request was received."),
    )


def _advice_step(
    request: TeamRequest,
    child: Child,
    advice: StatutoryAdviceRequest,
    form: Any,
    *,
    move: Callable[[dict[str, Any]], object],
    done: str,
    title: str,
    submit: str,
) -> HttpResponse:
    """One step of a request for advice: the move with the form's data, or the form again
    with the reason it was refused."""
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, lambda: move(form.cleaned_data))
    ):
        messages.success(request, done)
        return redirect("children:list_child_advice", child_pk=child.pk)
    return form_page(
        request,
        form,
        title=title,
        caption=child.full_name,
        back=_back(child),
        submit=submit,
        rows=_rows(advice),
    )


@require_http_methods(["GET", "POST"])
@permission_required("statutory.manage")
def assign_advice_writer(request: TeamRequest, child_pk: int, pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    advice = _request_for_user(request, child, pk)
    form = AssignWriterForm(
        request.POST or None,
        team=request.team,
        initial={"version": advice.version, "writer": advice.writer_id},
    )
    return _advice_step(
        request,
        child,
        advice,
        form,
        move=lambda data: statutory.assign_writer(
            request=advice,
            writer=data["writer"],
            by=request.user,
            expected_version=data["version"],
        ),
        done=_("The writer has been saved"),
        title=_("Who is writing the advice?"),
        submit=_("Save"),
    )


@require_http_methods(["GET", "POST"])
@permission_required("statutory.manage")
def record_advice_sent(request: TeamRequest, child_pk: int, pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    advice = _request_for_user(request, child, pk)
    form = AdviceSentForm(
        request.POST or None,
        initial={"version": advice.version, "submitted_on": timezone.localdate()},
    )
    return _advice_step(
        request,
        child,
        advice,
        form,
        move=lambda data: statutory.record_submission(
            request=advice,
            on=data["submitted_on"],
            by=request.user,
            expected_version=data["version"],
        ),
        done=_("The advice has been recorded as sent"),
        title=_("Record the advice as sent"),
        submit=_("Save"),
    )


@require_http_methods(["GET", "POST"])
@permission_required("statutory.manage")
def withdraw_advice_request(request: TeamRequest, child_pk: int, pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    advice = _request_for_user(request, child, pk)
    form = WithdrawForm(request.POST or None, initial={"version": advice.version})
    form.fields["reason"].help_text = _("For example: the local authority decided not to assess.")
    return _advice_step(
        request,
        child,
        advice,
        form,
        move=lambda data: statutory.withdraw_request(
            request=advice,
            reason=data["reason"],
            by=request.user,
            expected_version=data["version"],
        ),
        done=_("The request has been closed as withdrawn"),
        title=_("The request was withdrawn"),
        submit=_("Close the request"),
    )
