from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sapling.children.models import Child
from sapling.core.audit import get_or_refuse, record_list_view, record_view
from sapling.core.http import TeamRequest
from sapling.core.lifecycle import IllegalMove
from sapling.core.links import link_id_in_session
from sapling.core.models import StaleEdit
from sapling.core.permissions import permission_required
from sapling.core.tokens import LinkError, LinkUsed
from sapling.core.views import link_problem
from sapling.triage.models import LiveOrder
from sapling.waitlist import checkins, lifecycle
from sapling.waitlist.clock import new_clock_start
from sapling.waitlist.exports import entries_csv
from sapling.waitlist.figures import cached_headline
from sapling.waitlist.forms import (
    AdjustClockForm,
    AllocateForm,
    CheckInAnswerForm,
    EndEntryForm,
    FilterForm,
    RecordCallForm,
    VersionedForm,
)
from sapling.waitlist.models import (
    CheckIn,
    CheckInAnswer,
    EndReason,
    WaitlistEntry,
    WaitlistEntryQuerySet,
)
from sapling.waitlist.ordering import in_order, live_order, other_order, page_with_positions
from sapling.waitlist.presenters import entry_rows, figures_row, summary_rows, target_text

PAGE_SIZE = 50
SESSION_ANSWERED = "waitlist.check_in.answered"


def _get_entry_for_user(request: TeamRequest, pk: int) -> WaitlistEntry:
    entries = WaitlistEntry.objects.for_team(request.team).select_related(
        "child", "referral", "pathway", "allocated_to", "triaged_by", "team"
    )
    return get_or_refuse(request, entries, pk)


def _filtered(request: TeamRequest) -> tuple[FilterForm, Any, str, str]:
    """The filter form, the matching open entries, the live order and the order shown."""
    form = FilterForm(request.GET or None, team=request.team)
    live = live_order(request.team)
    order = (form.cleaned_data.get("order") if form.is_valid() else "") or live
    entries = form.apply(WaitlistEntry.objects.for_team(request.team).open(), today())
    return form, entries, live, order


def today() -> Any:
    return timezone.localdate()


def _with_details(entries: WaitlistEntryQuerySet) -> WaitlistEntryQuerySet:
    worse = CheckIn.objects.filter(entry=OuterRef("pk"), answer=CheckInAnswer.WORSE)
    return entries.select_related("child", "pathway").annotate(family_says_worse=Exists(worse))


@require_GET
@permission_required("waitlist.view")
def list_entries(request: TeamRequest) -> HttpResponse:
    form, entries, live, order = _filtered(request)
    page, listed = page_with_positions(
        entries,
        order,
        number=request.GET.get("page"),
        size=PAGE_SIZE,
        detail=_with_details,
        with_other=order != live,
    )
    filters = request.GET.copy()
    filters.pop("page", None)
    figures = cached_headline(
        entries, team=request.team, today=today(), filters=filters.urlencode()
    )
    record_list_view(
        request,
        Child,
        [entry.child for entry in listed],
        description=f"Waiting list: {request.GET.urlencode()}",
    )
    context = {
        "form": form,
        "page": page,
        "rows": entry_rows(listed, today=today(), target_weeks=request.team.target_weeks),
        "figures": figures,
        "target_text": target_text(figures.overall),
        "figure_rows": [figures_row(_("All"), figures.overall)]
        + [figures_row(str(t).capitalize(), f) for t, f in figures.by_tier.items()]
        + [figures_row(p or _("No pathway"), f) for p, f in figures.by_pathway.items()],
        "live": live,
        "live_label": LiveOrder(live).label,
        "order": order,
        "other": other_order(order),
        "calls": checkins.needing_a_call(request.team),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "waitlist/list_entries.jinja", context)


@require_GET
@permission_required("waitlist.export")
def export_entries(request: TeamRequest) -> HttpResponse:
    _form, entries, _live, order = _filtered(request)
    listed = list(
        in_order(
            entries.select_related("child__locality", "child__school", "referral", "pathway"), order
        )
    )
    record_list_view(
        request,
        Child,
        [entry.child for entry in listed],
        description=f"Waiting list export: {request.GET.urlencode()}",
        what="export",
    )
    response = HttpResponse(entries_csv(listed, today()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="waiting-list-{today():%Y-%m-%d}.csv"'
    return response


@require_GET
@permission_required("waitlist.view")
def show_entry(request: TeamRequest, pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk)
    record_view(request, entry.child)
    check_ins = list(entry.check_ins.all())
    context = {
        "entry": entry,
        "summary_rows": summary_rows(entry, today()),
        "check_ins": check_ins,
        "worse": [c for c in check_ins if c.answer == CheckInAnswer.WORSE],
        "adjustments": entry.adjustments.select_related("recorded_by"),
        "is_open": entry.status in lifecycle.OPEN,
    }
    return render(request, "waitlist/show_entry.jinja", context)


def _stale_or_illegal(form: VersionedForm, error: Exception) -> None:
    form.add_error(None, error.message() if isinstance(error, StaleEdit) else str(error))


@require_http_methods(["GET", "POST"])
@permission_required("waitlist.change")
def allocate_entry(request: TeamRequest, pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk)
    form = AllocateForm(request.POST or None, team=request.team, initial={"version": entry.version})
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.allocate(
                entry=entry,
                to=form.cleaned_data["clinician"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (StaleEdit, IllegalMove) as error:
            _stale_or_illegal(form, error)
        else:
            messages.success(request, _("The child has been allocated"))
            return redirect("waitlist:show_entry", pk=entry.pk)
    return render(request, "waitlist/allocate_entry.jinja", {"form": form, "entry": entry})


@require_http_methods(["GET", "POST"])
@permission_required("waitlist.change")
def end_entry(request: TeamRequest, pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk)
    form = EndEntryForm(request.POST or None, initial={"version": entry.version})
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.end_entry(
                entry=entry,
                reason=EndReason(form.cleaned_data["reason"]),
                on=today(),
                note=form.cleaned_data["note"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (StaleEdit, IllegalMove) as error:
            _stale_or_illegal(form, error)
        else:
            messages.success(request, _("The child has been taken off the waiting list"))
            return redirect("waitlist:show_entry", pk=entry.pk)
    return render(request, "waitlist/end_entry.jinja", {"form": form, "entry": entry})


@require_http_methods(["GET", "POST"])
@permission_required("waitlist.change")
def adjust_clock(request: TeamRequest, pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk)
    form = AdjustClockForm(request.POST or None, entry=entry, initial={"version": entry.version})
    if request.method == "POST" and form.is_valid():
        rule = form.rules[form.cleaned_data["rule"]]
        happened_on = form.cleaned_data["happened_on"]
        try:
            lifecycle.adjust_clock(
                entry=entry,
                rule=rule.key,
                happened_on=happened_on,
                new_clock_start=new_clock_start(rule, happened_on),
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (StaleEdit, IllegalMove) as error:
            _stale_or_illegal(form, error)
        else:
            messages.success(request, _("The clock adjustment has been recorded"))
            return redirect("waitlist:show_entry", pk=entry.pk)
    return render(request, "waitlist/adjust_clock.jinja", {"form": form, "entry": entry})


@require_http_methods(["GET", "POST"])
@permission_required("waitlist.change")
def record_check_in_call(request: TeamRequest, pk: int, check_in_pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk)
    check_in = entry.check_ins.filter(pk=check_in_pk).first()
    if check_in is None:
        raise Http404("No check-in found")
    form = RecordCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checkins.record_call(check_in=check_in, **form.cleaned_data)
        except LinkUsed:
            form.add_error(None, _("This check-in has already been answered"))
        else:
            messages.success(request, _("The family's answer has been recorded"))
            return redirect("waitlist:show_entry", pk=entry.pk)
    context = {"form": form, "entry": entry, "check_in": check_in}
    return render(request, "waitlist/record_check_in_call.jinja", context)


# --- The family's side: reached from a secure link (sapling/core/links.py) ---------------


@require_http_methods(["GET", "POST"])
@never_cache
def answer_check_in(request: HttpRequest) -> HttpResponse:
    link_pk = link_id_in_session(request, checkins.PURPOSE)
    if link_pk is None:
        return link_problem(request, LinkError())
    try:
        link = checkins.live_link(link_pk)
    except LinkUsed:
        return render(request, "waitlist/check_in_received.jinja", {"again": True})
    except LinkError as error:
        return link_problem(request, error)
    check_in = checkins.check_in_for(link)
    form = CheckInAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checkins.answer_check_in(link=link, **form.cleaned_data)
        except LinkUsed:
            return render(request, "waitlist/check_in_received.jinja", {"again": True})
        except LinkError as error:
            return link_problem(request, error)
        request.session[SESSION_ANSWERED] = form.cleaned_data["answer"]
        return redirect("waitlist:check_in_received")
    context = {"form": form, "first_name": checkins.first_name(check_in.entry)}
    return render(request, "waitlist/answer_check_in.jinja", context)


@require_GET
@never_cache
def check_in_received(request: HttpRequest) -> HttpResponse:
    answer = request.session.pop(SESSION_ANSWERED, None)
    context = {"again": answer is None, "answer": answer}
    return render(request, "waitlist/check_in_received.jinja", context)
