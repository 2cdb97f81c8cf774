from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sapling.children import records
from sapling.children.forms import (
    CarerForm,
    ChildForm,
    FindChildForm,
    GPClusterForm,
    GPPracticeForm,
)
from sapling.children.models import Carer, Child, GPPractice
from sapling.children.presenters import child_summary_rows, history_rows
from sapling.core.audit import get_or_refuse, record_list_view, record_view
from sapling.core.http import TeamRequest
from sapling.core.models import StaleEdit
from sapling.core.permissions import has_permission, permission_required

PAGE_SIZE = 25


def _get_child_for_user(request: TeamRequest, pk: int) -> Child:
    return get_or_refuse(request, Child.objects.for_team(request.team), pk)


def _get_carer_for_user(request: TeamRequest, child: Child, pk: int) -> Carer:
    return get_or_refuse(request, child.carers.all(), pk)


@require_GET
@permission_required("children.view")
def find_children(request: TeamRequest) -> HttpResponse:
    form = FindChildForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid() and any(form.cleaned_data.values()):
        found = (
            Child.objects.for_team(request.team)
            .search(form.cleaned_data["q"], form.cleaned_data["date_of_birth"])
            .select_related("school")
        )
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
        record_list_view(
            request,
            Child,
            page.object_list,
            description=f"Search for children: {request.GET.urlencode()}",
        )
    return render(request, "children/find_children.jinja", {"form": form, "page": page})


@require_GET
@permission_required("children.view")
def show_child(request: TeamRequest, pk: int) -> HttpResponse:
    child = _get_child_for_user(request, pk)
    if child.merged_into_id:
        messages.info(request, _("That record was merged into this one"))
        return redirect("children:show_child", pk=child.merged_into_id)
    record_view(request, child)
    context = {
        "child": child,
        "summary_rows": child_summary_rows(child),
        "carers": child.carers.all(),
        # Concerns are for clinical roles; others see only the flag.
        "open_concerns": (
            child.safeguarding_concerns.open().count()
            if has_permission(request, "safeguarding.record")
            else None
        ),
    }
    return render(request, "children/show_child.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("children.add")
def add_child(request: TeamRequest) -> HttpResponse:
    form = ChildForm(request.POST or None, team=request.team)
    if request.method == "POST" and form.is_valid():
        child = records.register_child(team=request.team, by=request.user, **form.changes())
        messages.success(request, _("%(name)s has been added") % {"name": child.full_name})
        return redirect("children:show_child", pk=child.pk)
    return render(request, "children/add_child.jinja", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required("children.change")
def update_child(request: TeamRequest, pk: int) -> HttpResponse:
    child = _get_child_for_user(request, pk)
    form = ChildForm(request.POST or None, instance=child, team=request.team)
    if request.method == "POST" and form.is_valid():
        try:
            records.update_child(
                child=child,
                expected_version=form.cleaned_data["version"] or 0,
                by=request.user,
                **form.changes(),
            )
        except StaleEdit as stale:
            form.add_error(None, stale.message())
        else:
            messages.success(request, _("The record has been updated"))
            return redirect("children:show_child", pk=child.pk)
    else:
        record_view(request, child, what="edit")
    return render(request, "children/update_child.jinja", {"form": form, "child": child})


@require_GET
@permission_required("children.view_history")
def child_history(request: TeamRequest, pk: int) -> HttpResponse:
    child = _get_child_for_user(request, pk)
    record_view(request, child, what="history")
    carer_ids = [str(pk) for pk in child.carers.values_list("pk", flat=True)]
    entries = (
        LogEntry.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Child), object_pk=str(child.pk))
            | Q(content_type=ContentType.objects.get_for_model(Carer), object_pk__in=carer_ids)
        )
        .exclude(action=LogEntry.Action.ACCESS)
        .select_related("actor")
        .order_by("-timestamp")[:200]
    )
    return render(
        request, "children/child_history.jinja", {"child": child, "rows": history_rows(entries)}
    )


@require_http_methods(["GET", "POST"])
@permission_required("children.change")
def add_carer(request: TeamRequest, child_pk: int) -> HttpResponse:
    child = _get_child_for_user(request, child_pk)
    form = CarerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        records.add_carer(child=child, by=request.user, **form.changes())
        messages.success(request, _("The carer has been added"))
        return redirect("children:show_child", pk=child.pk)
    return render(request, "children/add_carer.jinja", {"form": form, "child": child})


@require_http_methods(["GET", "POST"])
@permission_required("children.change")
def update_carer(request: TeamRequest, child_pk: int, pk: int) -> HttpResponse:
    child = _get_child_for_user(request, child_pk)
    carer = _get_carer_for_user(request, child, pk)
    form = CarerForm(request.POST or None, instance=carer)
    if request.method == "POST" and form.is_valid():
        try:
            records.update_carer(
                carer=carer,
                expected_version=form.cleaned_data["version"] or 0,
                by=request.user,
                **form.changes(),
            )
        except StaleEdit as stale:
            form.add_error(None, stale.message())
        else:
            messages.success(request, _("The carer's details have been updated"))
            return redirect("children:show_child", pk=child.pk)
    return render(
        request, "children/update_carer.jinja", {"form": form, "child": child, "carer": carer}
    )


@require_GET
@permission_required("team.configure")
def list_gp_practices(request: TeamRequest) -> HttpResponse:
    team = request.team
    context = {
        "practices": team.gp_practices.select_related("cluster"),
        "clusters": team.gp_clusters.all(),
    }
    return render(request, "children/list_gp_practices.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("team.configure")
def add_gp_practice(request: TeamRequest) -> HttpResponse:
    team = request.team
    form = GPPracticeForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        form.instance.team = team
        form.save()
        messages.success(request, _("The practice has been added"))
        return redirect("children:list_gp_practices")
    return render(request, "children/add_gp_practice.jinja", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required("team.configure")
def update_gp_practice(request: TeamRequest, pk: int) -> HttpResponse:
    team = request.team
    practice = GPPractice.objects.filter(team=team, pk=pk).first()
    if practice is None:
        raise Http404("No practice found")
    form = GPPracticeForm(request.POST or None, instance=practice, team=team)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The practice has been updated"))
        return redirect("children:list_gp_practices")
    return render(
        request, "children/update_gp_practice.jinja", {"form": form, "practice": practice}
    )


@require_http_methods(["GET", "POST"])
@permission_required("team.configure")
def add_gp_cluster(request: TeamRequest) -> HttpResponse:
    team = request.team
    form = GPClusterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if team.gp_clusters.filter(name__iexact=form.cleaned_data["name"]).exists():
            form.add_error("name", _("There is already a cluster with this name"))
        else:
            form.instance.team = team
            form.save()
            messages.success(request, _("The cluster has been added"))
            return redirect("children:list_gp_practices")
    return render(request, "children/add_gp_cluster.jinja", {"form": form})
