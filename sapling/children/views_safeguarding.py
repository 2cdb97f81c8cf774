"""Safeguarding pages: a child's concerns, recording, escalating and closing one, the open
list for the safeguarding lead, and naming that lead."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sapling.children import safeguarding
from sapling.children.forms_records import (
    CloseConcernForm,
    ConcernForm,
    EscalateConcernForm,
    SafeguardingLeadForm,
)
from sapling.children.models import Child, SafeguardingConcern, SafeguardingSettings
from sapling.children.pages import attempt, child_for_user, form_page, row
from sapling.core.audit import get_or_refuse, record_list_view, record_view
from sapling.core.http import TeamRequest
from sapling.core.permissions import permission_required


def _concern_for_user(request: TeamRequest, child: Child, pk: int) -> SafeguardingConcern:
    concerns = child.safeguarding_concerns.select_related(
        "raised_by", "escalated_to", "closed_by", "child"
    )
    return get_or_refuse(request, concerns, pk)


def _back(child: Child) -> tuple[str, str]:
    return reverse("children:list_child_concerns", args=[child.pk]), _("Safeguarding concerns")


@require_GET
@permission_required("safeguarding.record")
def list_child_concerns(request: TeamRequest, child_pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    record_view(request, child, what="safeguarding")
    context = {
        "child": child,
        "concerns": child.safeguarding_concerns.select_related(
            "raised_by", "escalated_to", "closed_by"
        ),
        "safeguarding_lead": safeguarding.safeguarding_lead(request.team),
        "sees_open_list": safeguarding.sees_open_concerns(request),
    }
    return render(request, "children/list_child_concerns.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("safeguarding.record")
def add_concern(request: TeamRequest, child_pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    form = ConcernForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: safeguarding.record_concern(child=child, by=request.user, **form.cleaned_data),
        )
    ):
        messages.success(request, _("The concern has been recorded"))
        return redirect("children:list_child_concerns", child_pk=child.pk)
    return form_page(
        request,
        form,
        title=_("Record a safeguarding concern"),
        caption=child.full_name,
        back=_back(child),
        submit=_("Record the concern"),
        intro=_(
            "If a child is in immediate danger, call 999 first. Record the concern here as "
            "soon as you can."
        ),
    )


def _concern_rows(concern: SafeguardingConcern) -> list[dict[str, object]]:
    return [
        row(_("Concern"), concern.concern),
        row(_("Date"), f"{concern.noticed_on:%-d %B %Y}"),
        row(_("Who was told"), f"{concern.who_was_told} ({concern.told_on:%-d %B %Y})"),
        row(_("Recorded by"), concern.raised_by.get_full_name() or concern.raised_by),
    ]


@require_http_methods(["GET", "POST"])
@permission_required("safeguarding.record")
def escalate_concern(request: TeamRequest, child_pk: int, pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    concern = _concern_for_user(request, child, pk)
    form = EscalateConcernForm(request.POST or None, initial={"version": concern.version})
    if request.method == "POST" and form.is_valid():
        if attempt(
            form,
            lambda: safeguarding.escalate_concern(
                concern=concern,
                note=form.cleaned_data["note"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            ),
        ):
            messages.success(request, _("The concern has been passed to the safeguarding lead"))
            return redirect("children:list_child_concerns", child_pk=child.pk)
    else:
        record_view(request, child, what="safeguarding")
    lead = safeguarding.safeguarding_lead(request.team)
    return form_page(
        request,
        form,
        title=_("Escalate to the safeguarding lead"),
        caption=child.full_name,
        back=_back(child),
        submit=_("Escalate"),
        intro=(
            _("This concern will go to %(name)s, who sees every open concern.")
            % {"name": lead.get_full_name() or lead.username}
            if lead
            else _("Your team has not named a safeguarding lead yet.")
        ),
        rows=_concern_rows(concern),
    )


@require_http_methods(["GET", "POST"])
@permission_required("safeguarding.record")
def close_concern(request: TeamRequest, child_pk: int, pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    concern = _concern_for_user(request, child, pk)
    form = CloseConcernForm(
        request.POST or None,
        initial={"version": concern.version, "closed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        if attempt(
            form,
            lambda: safeguarding.close_concern(
                concern=concern,
                outcome=form.cleaned_data["outcome"],
                on=form.cleaned_data["closed_on"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            ),
        ):
            messages.success(request, _("The concern has been closed with its outcome"))
            return redirect("children:list_child_concerns", child_pk=child.pk)
    else:
        record_view(request, child, what="safeguarding")
    return form_page(
        request,
        form,
        title=_("Close the concern"),
        caption=child.full_name,
        back=_back(child),
        submit=_("Close the concern"),
        rows=_concern_rows(concern),
    )


@require_GET
@permission_required("safeguarding.record")
def list_open_concerns(request: TeamRequest) -> HttpResponse:
    if not safeguarding.sees_open_concerns(request):
        raise Http404("Not found")
    concerns = list(
        SafeguardingConcern.objects.for_team(request.team)
        .open()
        .select_related("child", "raised_by", "escalated_to")
        .order_by(F("escalated_at").asc(nulls_last=True), "noticed_on", "pk")
    )
    record_list_view(
        request,
        Child,
        [concern.child for concern in concerns],
        description="Open safeguarding concerns",
    )
    context = {
        "concerns": concerns,
        "today": timezone.localdate(),
        "safeguarding_lead": safeguarding.safeguarding_lead(request.team),
    }
    return render(request, "children/list_open_concerns.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("team.configure")
def update_safeguarding_lead(request: TeamRequest) -> HttpResponse:
    current = SafeguardingSettings.for_team(request.team)
    form = SafeguardingLeadForm(
        request.POST or None,
        team=request.team,
        initial={"safeguarding_lead": current.safeguarding_lead_id},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: safeguarding.set_safeguarding_lead(
                team=request.team, lead=form.cleaned_data["safeguarding_lead"], by=request.user
            ),
        )
    ):
        messages.success(request, _("The safeguarding lead has been saved"))
        return redirect("children:list_open_concerns")
    return form_page(
        request,
        form,
        title=_("Safeguarding lead"),
        caption=_("Team settings"),
        back=(reverse("children:list_open_concerns"), _("Open safeguarding concerns")),
        submit=_("Save"),
        intro=_(
            "Concerns are escalated to this person. They see every open concern, whatever "
            "their role."
        ),
    )
