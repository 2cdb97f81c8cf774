"""Consent to share and school summaries: the clinician's pages, the partner's pages, and
which partner works at which school."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sapling.children import sharing
from sapling.children.forms_records import (
    ConfirmForm,
    PartnerSchoolForm,
    PlainConfirmForm,
    SchoolSummaryForm,
    SharingConsentForm,
    WithdrawForm,
)
from sapling.children.models import (
    Child,
    PartnerSchool,
    SchoolSummary,
    SharingConsent,
)
from sapling.children.pages import attempt, child_for_user, form_page, refusal, row
from sapling.core.audit import get_or_refuse, record_list_view, record_view
from sapling.core.http import TeamRequest
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import StaleEdit
from sapling.core.permissions import permission_required


def _back(child: Child) -> tuple[str, str]:
    return reverse("children:list_child_sharing", args=[child.pk]), _("School summaries")


def _summary_for_user(request: TeamRequest, child: Child, pk: int) -> SchoolSummary:
    return get_or_refuse(request, child.school_summaries.select_related("school", "child"), pk)


def _summary_rows(summary: SchoolSummary) -> list[dict[str, object]]:
    return [
        row(_("School"), summary.school),
        row(_("What the child is good at"), summary.strengths or _("Not written")),
        row(_("What helps in class"), summary.what_helps),
    ]


@require_GET
@permission_required("sharing.release")
def list_child_sharing(request: TeamRequest, child_pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    record_view(request, child, what="school summaries")
    context = {
        "child": child,
        "consent": sharing.current_consent(child),
        "consents": child.sharing_consents.select_related("carer", "school", "recorded_by"),
        "summaries": child.school_summaries.select_related("school", "written_by", "released_by"),
    }
    return render(request, "children/list_child_sharing.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("sharing.release")
def add_sharing_consent(request: TeamRequest, child_pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    form = SharingConsentForm(request.POST or None, child=child)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form, lambda: sharing.record_consent(child=child, by=request.user, **form.cleaned_data)
        )
    ):
        messages.success(request, _("Consent to share has been recorded"))
        return redirect("children:list_child_sharing", child_pk=child.pk)
    school = child.school
    return form_page(
        request,
        form,
        title=_("Record consent to share"),
        caption=child.full_name,
        back=_back(child),
        submit=_("Record consent"),
        intro=(
            _("Consent to share a summary of what helps %(name)s in class with %(school)s.")
            % {"name": child.full_name, "school": school}
            if school
            else _("Record the child's school on their record first.")
        ),
    )


@require_http_methods(["GET", "POST"])
@permission_required("sharing.release")
def withdraw_sharing_consent(request: TeamRequest, child_pk: int, pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    consent: SharingConsent = get_or_refuse(
        request, child.sharing_consents.select_related("carer", "child", "school"), pk
    )
    form = WithdrawForm(request.POST or None, initial={"version": consent.version})
    form.fields["reason"].label = _("Who withdrew consent, and how?")
    form.fields["reason"].error_messages["required"] = _("Say who withdrew consent and how")
    if request.method == "POST" and form.is_valid():
        try:
            count = sharing.withdraw_consent(
                consent=consent,
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (StaleEdit, IllegalMove) as error:
            refusal(form, error)
        else:
            messages.success(
                request,
                _("Consent has been withdrawn; %(count)s shared summaries were withdrawn with it")
                % {"count": count},
            )
            return redirect("children:list_child_sharing", child_pk=child.pk)
    return form_page(
        request,
        form,
        title=_("Withdraw consent to share"),
        caption=child.full_name,
        back=_back(child),
        submit=_("Withdraw consent"),
        intro=_("The school will no longer see any summary shared under this consent."),
        rows=[
            row(_("Given by"), consent.giver_name),
            row(_("Given on"), f"{consent.given_on:%-d %B %Y}"),
            row(_("School"), consent.school),
        ],
    )


@require_http_methods(["GET", "POST"])
@permission_required("sharing.release")
def add_school_summary(request: TeamRequest, child_pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    form = SchoolSummaryForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: sharing.write_summary(
                child=child,
                strengths=form.cleaned_data["strengths"],
                what_helps=form.cleaned_data["what_helps"],
                by=request.user,
            ),
        )
    ):
        messages.success(request, _("The summary has been saved as a draft"))
        return redirect("children:list_child_sharing", child_pk=child.pk)
    return form_page(
        request,
        form,
        title=_("Write a summary for school"),
        caption=child.full_name,
        back=_back(child),
        submit=_("Save as a draft"),
        intro=_("Nothing is shared until you choose to share it."),
    )


@require_http_methods(["GET", "POST"])
@permission_required("sharing.release")
def update_school_summary(request: TeamRequest, child_pk: int, pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    summary = _summary_for_user(request, child, pk)
    form = SchoolSummaryForm(
        request.POST or None,
        initial={
            "version": summary.version,
            "strengths": summary.strengths,
            "what_helps": summary.what_helps,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: sharing.update_summary(
                summary=summary,
                strengths=form.cleaned_data["strengths"],
                what_helps=form.cleaned_data["what_helps"],
                by=request.user,
                expected_version=form.cleaned_data["version"] or 0,
            ),
        )
    ):
        messages.success(request, _("The draft has been saved"))
        return redirect("children:list_child_sharing", child_pk=child.pk)
    return form_page(
        request,
        form,
        title=_("Change the draft summary"),
        caption=child.full_name,
        back=_back(child),
        submit=_("Save the draft"),
    )


@require_http_methods(["GET", "POST"])
@permission_required("sharing.release")
def release_school_summary(request: TeamRequest, child_pk: int, pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    summary = _summary_for_user(request, child, pk)
    form = ConfirmForm(request.POST or None, initial={"version": summary.version})
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: sharing.release_summary(
                summary=summary, by=request.user, expected_version=form.cleaned_data["version"]
            ),
        )
    ):
        messages.success(
            request,
            _("The summary has been shared with %(school)s") % {"school": summary.school},
        )
        return redirect("children:list_child_sharing", child_pk=child.pk)
    consent = sharing.current_consent(child)
    return form_page(
        request,
        form,
        title=_("Share the summary with the school"),
        caption=child.full_name,
        back=_back(child),
        submit=_("Share with the school"),
        intro=(
            _("Consent given by %(name)s on %(date)s.")
            % {"name": consent.giver_name, "date": f"{consent.given_on:%-d %B %Y}"}
            if consent
            else _("There is no consent to share with this school yet.")
        ),
        rows=_summary_rows(summary),
    )


@require_http_methods(["GET", "POST"])
@permission_required("sharing.release")
def withdraw_school_summary(request: TeamRequest, child_pk: int, pk: int) -> HttpResponse:
    child = child_for_user(request, child_pk)
    summary = _summary_for_user(request, child, pk)
    form = WithdrawForm(request.POST or None, initial={"version": summary.version})
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: sharing.withdraw_summary(
                summary=summary,
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            ),
        )
    ):
        messages.success(request, _("The summary has been withdrawn from the school"))
        return redirect("children:list_child_sharing", child_pk=child.pk)
    return form_page(
        request,
        form,
        title=_("Withdraw the summary from the school"),
        caption=child.full_name,
        back=_back(child),
        submit=_("Withdraw"),
        rows=_summary_rows(summary),
    )


# --- The partner's side ----------------------------------------------------------------


@require_GET
@permission_required("sharing.view_released")
def list_released_summaries(request: TeamRequest) -> HttpResponse:
    summaries = list(
        SchoolSummary.objects.released_to(request.user, request.team)
        .select_related("child", "school")
        .order_by("child__family_name", "child__given_name")
    )
    record_list_view(
        request,
        Child,
        [summary.child for summary in summaries],
        description="School summaries shared with a partner",
    )
    schools = PartnerSchool.objects.current().filter(team=request.team, partner=request.user)
    context = {"summaries": summaries, "schools": [link.school for link in schools]}
    return render(request, "children/list_released_summaries.jinja", context)


@require_GET
@permission_required("sharing.view_released")
def show_released_summary(request: TeamRequest, pk: int) -> HttpResponse:
    released = SchoolSummary.objects.released_to(request.user, request.team).select_related(
        "child", "school", "written_by"
    )
    summary = get_or_refuse(request, released, pk)
    record_view(request, summary.child, what="school summary")
    return render(request, "children/show_released_summary.jinja", {"summary": summary})


# --- Which partner works at which school (the lead's setting) -------------------------


@require_GET
@permission_required("team.configure")
def list_partner_schools(request: TeamRequest) -> HttpResponse:
    links = (
        PartnerSchool.objects.current()
        .filter(team=request.team)
        .select_related("partner", "school")
    )
    return render(request, "children/list_partner_schools.jinja", {"links": links})


@require_http_methods(["GET", "POST"])
@permission_required("team.configure")
def add_partner_school(request: TeamRequest) -> HttpResponse:
    form = PartnerSchoolForm(request.POST or None, team=request.team)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            form,
            lambda: sharing.link_partner(team=request.team, by=request.user, **form.cleaned_data),
        )
    ):
        messages.success(request, _("The partner has been linked to the school"))
        return redirect("children:list_partner_schools")
    return form_page(
        request,
        form,
        title=_("Link a partner to a school"),
        caption=_("Team settings"),
        back=(reverse("children:list_partner_schools"), _("Partners' schools")),
        submit=_("Link"),
        intro=_(
            "The partner will see the summaries shared with this school, for children "
            "whose record names it."
        ),
    )


@require_http_methods(["GET", "POST"])
@permission_required("team.configure")
def end_partner_school(request: TeamRequest, pk: int) -> HttpResponse:
    link = get_or_refuse(
        request,
        PartnerSchool.objects.current()
        .filter(team=request.team)
        .select_related("partner", "school"),
        pk,
    )
    form = PlainConfirmForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, lambda: sharing.unlink_partner(link=link, by=request.user))
    ):
        messages.success(request, _("The partner no longer sees that school's summaries"))
        return redirect("children:list_partner_schools")
    return form_page(
        request,
        form,
        title=_("End the link"),
        caption=_("Team settings"),
        back=(reverse("children:list_partner_schools"), _("Partners' schools")),
        submit=_("End the link"),
        rows=[
            row(_("Partner"), link.partner.get_full_name() or link.partner.username),
            row(_("School or setting"), link.school),
            row(_("Since"), f"{timezone.localtime(link.added_at):%-d %B %Y}"),
        ],
    )
