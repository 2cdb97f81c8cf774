from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sapling.core.http import TeamRequest
from sapling.core.permissions import permission_required
from sapling.groups.forms import PublicFilterForm, ResourceForm
from sapling.groups.library import matching
from sapling.groups.models import Resource
from sapling.groups.presenters import resource_rows
from sapling.groups.public import public_team


@require_GET
def public_resources(request: HttpRequest) -> HttpResponse:
    """The public resources page: no login, the public team's public resources only."""
    team = public_team()
    form = PublicFilterForm(request.GET or None)
    found: list[Resource] = []
    if team is not None:
        library = Resource.objects.filter(team=team, public=True).order_by("title")
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        found = matching(library, **filters)
    context = {"form": form, "resources": resource_rows(found), "team": team}
    return render(request, "groups/public_resources.jinja", context)


@require_GET
@permission_required("resources.manage")
def list_resources(request: TeamRequest) -> HttpResponse:
    resources = Resource.objects.filter(team=request.team).order_by("title")
    return render(request, "groups/list_resources.jinja", {"resources": resource_rows(resources)})


@require_http_methods(["GET", "POST"])
@permission_required("resources.manage")
def add_resource(request: TeamRequest) -> HttpResponse:
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.team = request.team
        form.save()
        messages.success(request, _("The resource has been added"))
        return redirect("groups:list_resources")
    return render(request, "groups/add_resource.jinja", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required("resources.manage")
def update_resource(request: TeamRequest, pk: int) -> HttpResponse:
    resource = Resource.objects.filter(team=request.team, pk=pk).first()
    if resource is None:
        raise Http404("No resource found")
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The resource has been updated"))
        return redirect("groups:list_resources")
    context = {"form": form, "resource": resource}
    return render(request, "groups/update_resource.jinja", context)
