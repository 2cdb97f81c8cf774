"""Pages for requests for help: staff entry and review, the partner form, the public form."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sapling.children.forms import FindChildForm
from sapling.children.models import Child
from sapling.core.audit import get_or_refuse, record_list_view, record_view
from sapling.core.http import TeamRequest
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import StaleEdit
from sapling.core.permissions import has_permission, permission_required
from sapling.referrals import intake, matching, presenters, public, ratelimit
from sapling.referrals.forms import (
    ChildViewsForm,
    DuplicateForm,
    PartnerReferralForm,
    StaffReferralForm,
    StatusFilterForm,
)
from sapling.referrals.models import Referral, Route, Status
from sapling.referrals.records import record_child_views as save_child_views

PAGE_SIZE = 25


def _get_referral_for_user(request: TeamRequest, pk: int) -> Referral:
    return get_or_refuse(
        request, Referral.objects.for_team(request.team).select_related("child"), pk
    )


def _get_own_referral(request: TeamRequest, pk: int) -> Referral:
    """A partner's own referral; anyone else's is not found, and the attempt is recorded."""
    mine = Referral.objects.for_team(request.team).filter(referred_by=request.user)
    return get_or_refuse(request, mine.select_related("child"), pk)


def _picked_child(request: TeamRequest) -> Child | None:
    raw = request.GET.get("child", "")
    if not raw:
        return None
    return get_or_refuse(request, Child.objects.for_team(request.team).current(), raw)


def _found_children(request: TeamRequest) -> list[Child] | None:
    text = request.GET.get("q", "").strip()[:100]
    if not text:
        return None
    found = list(Child.objects.for_team(request.team).current().search(text)[:20])
    record_list_view(request, Child, found, description=f"Find a child for a referral: {text}")
    return found


@require_GET
@permission_required("referrals.view")
def list_referrals(request: TeamRequest) -> HttpResponse:
    form = StatusFilterForm(request.GET or {"status": Status.RECEIVED})
    status = form.cleaned_data["status"] if form.is_valid() else Status.RECEIVED
    status = status or Status.RECEIVED
    referrals = Referral.objects.for_team(request.team).select_related("child")
    if status != "all":
        referrals = referrals.filter(status=status)
    page = Paginator(referrals.order_by("received_on", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    record_list_view(request, Referral, page.object_list, description=f"Referrals: {status}")
    context = {"page": page, "form": form}
    return render(request, "referrals/list_referrals.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("referrals.add")
def add_referral(request: TeamRequest) -> HttpResponse:
    child = _picked_child(request)
    form = StaffReferralForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        referral = intake.submit_referral(
            team=request.team,
            child=child,
            child_details=form.child_details(),
            referral_details=form.referral_details(),
            carer_details=None,
            route=form.cleaned_data["route"],
            source=form.cleaned_data["source"],
            by=request.user,
        )
        messages.success(
            request, _("Referral %(ref)s has been added") % {"ref": referral.reference}
        )
        return redirect("referrals:show_referral", pk=referral.pk)
    context = {
        "form": form,
        "child": child,
        "find_form": FindChildForm(request.GET or None),
        "found": _found_children(request),
    }
    return render(request, "referrals/add_referral.jinja", context)


@require_GET
@permission_required("referrals.view")
def show_referral(request: TeamRequest, pk: int) -> HttpResponse:
    referral = _get_referral_for_user(request, pk)
    record_view(request, referral)
    context = {
        "referral": referral,
        "rows": presenters.referral_rows(referral),
        "events": presenters.event_rows(referral),
        "can_merge": has_permission(request, "referrals.merge"),
        "can_record_views": has_permission(request, "referrals.record_child_views"),
        "views_form": ChildViewsForm(
            initial={
                "child_views": referral.child_views,
                "child_consent": referral.child_consent,
                "version": referral.version,
            }
        ),
    }
    return render(request, "referrals/show_referral.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("referrals.record_child_views")
def record_child_views(request: TeamRequest, pk: int) -> HttpResponse:
    referral = _get_referral_for_user(request, pk)
    form = ChildViewsForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        try:
            save_child_views(referral=referral, by=request.user, **form.cleaned_data)
        except StaleEdit as stale:
            form.add_error(None, stale.message())
        else:
            messages.success(request, _("The child's own views have been recorded"))
            return redirect("referrals:show_referral", pk=referral.pk)
    else:
        record_view(request, referral, what="edit")
    context = {"form": form, "referral": referral}
    return render(request, "referrals/record_child_views.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("referrals.merge")
def show_duplicates(request: TeamRequest, pk: int) -> HttpResponse:
    referral = _get_referral_for_user(request, pk)
    candidates = matching.possible_duplicates(referral.child)
    form = DuplicateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _resolve_duplicate(request, form, referral, {c.pk: c for c in candidates})
        if done:
            return redirect("referrals:show_referral", pk=referral.pk)
    else:
        record_view(request, referral)
        record_list_view(request, Child, candidates, description="Possible duplicates")
    context = {
        "referral": referral,
        "candidates": candidates,
        "form": form,
        "comparison": presenters.comparison_rows([referral.child, *candidates]),
    }
    return render(request, "referrals/show_duplicates.jinja", context)


def _resolve_duplicate(
    request: TeamRequest, form: DuplicateForm, referral: Referral, candidates: dict[int, Child]
) -> bool:
    keep_pk = form.cleaned_data["keep"]
    version = form.cleaned_data["version"]
    try:
        if keep_pk is None:
            matching.mark_not_duplicate(
                referral=referral, by=request.user, expected_version=version
            )
            messages.success(request, _("Marked as a new child, not a duplicate"))
            return True
        if keep_pk not in candidates:
            raise IllegalMove(_("Choose one of the records shown"))
        matching.merge_children(
            keep=candidates[keep_pk],
            merge=referral.child,
            by=request.user,
            expected_version=version,
        )
    except (StaleEdit, IllegalMove) as problem:
        message = problem.message() if isinstance(problem, StaleEdit) else str(problem)
        form.add_error(None, message)
        return False
    messages.success(request, _("The records have been merged"))
    return True


# Partners (school and early years staff) ------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("referrals.refer")
def refer_child(request: TeamRequest) -> HttpResponse:
    form = PartnerReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        referral = intake.submit_referral(
            team=request.team,
            child_details=form.child_details(),
            referral_details=form.referral_details(),
            carer_details=form.carer_details(),
            route=Route.PARTNER_FORM,
            source=form.cleaned_data["source"],
            by=request.user,
        )
        messages.success(
            request, _("Thank you. Your reference is %(ref)s") % {"ref": referral.reference}
        )
        return redirect("referrals:show_my_referral", pk=referral.pk)
    return render(request, "referrals/refer_child.jinja", {"form": form})


@require_GET
@permission_required("referrals.view_own")
def list_my_referrals(request: TeamRequest) -> HttpResponse:
    mine = Referral.objects.for_team(request.team).filter(referred_by=request.user)
    page = Paginator(mine.select_related("child", "waitlist_entry"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    record_list_view(request, Referral, page.object_list, description="My referrals")
    rows = [(referral, presenters.partner_status(referral)) for referral in page.object_list]
    return render(request, "referrals/list_my_referrals.jinja", {"page": page, "rows": rows})


@require_GET
@permission_required("referrals.view_own")
def show_my_referral(request: TeamRequest, pk: int) -> HttpResponse:
    referral = _get_own_referral(request, pk)
    record_view(request, referral)
    context = {"referral": referral, "status": presenters.partner_status(referral)}
    return render(request, "referrals/show_my_referral.jinja", context)


# The public form: no account, answers kept in the session until the final submit -------


def _unavailable(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/request_unavailable.jinja", status=503)


@require_GET
def start_request(request: HttpRequest) -> HttpResponse:
    if public.public_team() is None:
        return _unavailable(request)
    return render(request, "referrals/start_request.jinja")


@require_http_methods(["GET", "POST"])
def answer_question(request: HttpRequest, step: str) -> HttpResponse:
    current = public.BY_SLUG.get(step)
    if current is None:
        raise Http404("No such question")
    missing = public.first_unanswered(request.session)
    slugs = list(public.BY_SLUG)
    if missing and slugs.index(missing) < slugs.index(step):
        return redirect("request_help:answer_question", step=missing)
    form = current.form_class(
        request.POST or None,
        initial=public.step_answers(request.session, step),
        **public.form_kwargs(request.session, step),
    )
    if request.method == "POST" and form.is_valid():
        public.save_step(request.session, step, form.cleaned_data)
        refusal = public.consent_refusal(request.session)
        if refusal:
            return render(request, "referrals/request_refused.jinja", {"reason": refusal})
        return redirect(_after(request, step))
    context = {"form": form, "step": current, "back": _back(request, step)}
    return render(request, "referrals/answer_question.jinja", context)


def _after(request: HttpRequest, step: str) -> str:
    following = public.next_slug(step)
    done = public.first_unanswered(request.session) is None
    if following is None or (done and request.GET.get("return") == "check"):
        return reverse("request_help:check_answers")
    return reverse("request_help:answer_question", args=[following])


def _back(request: HttpRequest, step: str) -> str:
    if request.GET.get("return") == "check":
        return reverse("request_help:check_answers")
    previous = public.previous_slug(step)
    if previous is None:
        return reverse("request_help:start_request")
    return reverse("request_help:answer_question", args=[previous])


@require_http_methods(["GET", "POST"])
def check_answers(request: HttpRequest) -> HttpResponse:
    team = public.public_team()
    if team is None:
        return _unavailable(request)
    if request.method == "POST":
        return _submit_answers(request, team)
    missing = public.first_unanswered(request.session)
    if missing:
        return redirect("request_help:answer_question", step=missing)
    if public.consent_refusal(request.session):
        return redirect("request_help:answer_question", step="who")
    context = {
        "rows": presenters.check_answer_rows(public.answers(request.session)),
        "submission_key": public.submission_key(request.session),
    }
    return render(request, "referrals/check_answers.jinja", context)


def _submit_answers(request: HttpRequest, team: object) -> HttpResponse:
    key = request.POST.get("submission_key", "")[:64]
    sent = public.already_sent(key)
    if sent is None:
        if (
            not key
            or key != request.session.get(public.KEY)
            or public.first_unanswered(request.session)
        ):
            messages.info(request, _("Check your answers before you send them"))
            return redirect("request_help:check_answers")
        address = request.META.get("REMOTE_ADDR") or "unknown"
        if not ratelimit.allow(scope="request_help", address=address):
            return render(request, "referrals/too_many_requests.jinja", status=429)
        sent = public.submit(session=request.session, team=team, key=key)  # type: ignore[arg-type]
    public.finish(request.session, sent)
    return redirect("request_help:request_sent")


@require_GET
def request_sent(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(public.SENT)
    if not reference:
        return redirect("request_help:start_request")
    return render(request, "referrals/request_sent.jinja", {"reference": reference})
