from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sapling.consultations import counts, invitations, lifecycle
from sapling.consultations.forms import BookingForm, RecordForm, SlotForm, WithdrawSlotForm
from sapling.consultations.lifecycle import Booker, Refused
from sapling.consultations.models import Consultation, ConsultationStatus, Slot, SlotStatus
from sapling.consultations.presenters import booking_rows, record_rows, slot_rows, when
from sapling.core.audit import get_or_refuse, record_view
from sapling.core.forms import SaplingForm
from sapling.core.http import TeamRequest
from sapling.core.lifecycle import IllegalMove
from sapling.core.links import link_id_in_session
from sapling.core.models import SecureLink, StaleEdit
from sapling.core.permissions import has_permission, permission_required
from sapling.core.tokens import LinkError, LinkUsed
from sapling.core.views import link_problem

SESSION_BOOKED = "consultations.booked"
MONTHS_SHOWN = 6


def _refusal(form: SaplingForm, error: Exception) -> None:
    """Put a refusal beside the answer it is about, or at the top of the form."""
    if isinstance(error, StaleEdit):
        form.add_error(None, error.message())
    elif isinstance(error, Refused) and error.field in form.fields:
        form.add_error(error.field, str(error))
    else:
        form.add_error(None, str(error))


def _get_slot_for_user(request: TeamRequest, pk: int) -> Slot:
    slots = Slot.objects.for_team(request.team).select_related(
        "clinician", "consultation__enrolment__run", "consultation__recorded_by"
    )
    return get_or_refuse(request, slots, pk)


# --- Staff: the team's slots -----------------------------------------------------------------


@require_GET
@permission_required("consultations.view")
def list_slots(request: TeamRequest) -> HttpResponse:
    now = timezone.now()
    team_slots = Slot.objects.for_team(request.team).select_related("clinician", "consultation")
    mine = request.GET.get("mine") == "1"
    if mine:
        team_slots = team_slots.filter(clinician=request.user)
    consultations = Consultation.objects.for_team(request.team)
    context = {
        "mine": mine,
        "coming": list(team_slots.filter(starts_at__gt=now).exclude(status=SlotStatus.WITHDRAWN)),
        "to_record": list(
            team_slots.filter(
                starts_at__lte=now, consultation__status=ConsultationStatus.BOOKED
            ).order_by("starts_at")
        ),
        "months": list(counts.monthly_counts(counts.facts(consultations), now=now).items())[
            -MONTHS_SHOWN:
        ],
        "when": when,
        "can_offer": has_permission(request, "consultations.offer"),
    }
    return render(request, "consultations/list_slots.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("consultations.offer")
def add_slot(request: TeamRequest) -> HttpResponse:
    form = SlotForm(
        request.POST or None,
        team=request.team,
        initial={"clinician": request.user.pk, "minutes": 30},
    )
    if request.method == "POST" and form.is_valid():
        try:
            slot = lifecycle.publish_slot(
                team=request.team,
                clinician=form.cleaned_data["clinician"],
                starts_at=form.starts_at(),
                minutes=form.cleaned_data["minutes"],
                mode=form.cleaned_data["mode"],
                meeting_link=form.cleaned_data["meeting_link"],
                by=request.user,
            )
        except IllegalMove as error:
            _refusal(form, error)
        else:
            messages.success(request, _("Slot published for %(when)s") % {"when": when(slot)})
            return redirect("consultations:list_slots")
    return render(request, "consultations/add_slot.jinja", {"form": form})


@require_GET
@permission_required("consultations.view")
def show_slot(request: TeamRequest, pk: int) -> HttpResponse:
    slot = _get_slot_for_user(request, pk)
    consultation: Consultation | None = getattr(slot, "consultation", None)
    if consultation is not None:
        record_view(request, consultation)
    can_offer = has_permission(request, "consultations.offer")
    context = {
        "slot": slot,
        "slot_rows": slot_rows(slot),
        "consultation": consultation,
        "booking_rows": booking_rows(consultation) if consultation else [],
        "record_rows": record_rows(consultation)
        if consultation and consultation.recorded_at
        else [],
        "can_withdraw": can_offer and slot.status == SlotStatus.OPEN,
        "can_record": can_offer and consultation is not None and slot.starts_at <= timezone.now(),
    }
    return render(request, "consultations/show_slot.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("consultations.offer")
def withdraw_slot(request: TeamRequest, pk: int) -> HttpResponse:
    slot = _get_slot_for_user(request, pk)
    form = WithdrawSlotForm(request.POST or None, initial={"version": slot.version})
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.withdraw_slot(
                slot=slot,
                reason=form.cleaned_data["reason"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (StaleEdit, IllegalMove) as error:
            _refusal(form, error)
        else:
            messages.success(request, _("The slot has been withdrawn"))
            return redirect("consultations:show_slot", pk=slot.pk)
    context = {"form": form, "slot": slot, "when": when(slot)}
    return render(request, "consultations/withdraw_slot.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("consultations.offer")
def record_consultation(request: TeamRequest, pk: int) -> HttpResponse:
    slot = _get_slot_for_user(request, pk)
    consultation: Consultation | None = getattr(slot, "consultation", None)
    if consultation is None:
        raise Http404("No consultation booked in this slot")
    initial: dict[str, Any] = {
        "version": consultation.version,
        "advice": consultation.advice,
        "referral": consultation.referral,
        "not_held_reason": consultation.not_held_reason,
    }
    if consultation.recorded_at:
        initial["held"] = "yes" if consultation.status == ConsultationStatus.HELD else "no"
    form = RecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.record_consultation(
                consultation=consultation,
                held=form.cleaned_data["held"] == "yes",
                advice=form.cleaned_data["advice"],
                referral=form.cleaned_data["referral"],
                not_held_reason=form.cleaned_data["not_held_reason"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (StaleEdit, IllegalMove) as error:
            _refusal(form, error)
        else:
            messages.success(request, _("The consultation has been recorded"))
            return redirect("consultations:show_slot", pk=slot.pk)
    record_view(request, consultation)
    context = {"form": form, "slot": slot, "consultation": consultation, "when": when(slot)}
    return render(request, "consultations/record_consultation.jinja", context)


# --- Partners: book from their account -------------------------------------------------------


@require_GET
@permission_required("consultations.book_own")
def list_my_consultations(request: TeamRequest) -> HttpResponse:
    context = {
        "eligible": invitations.partner_training(request.team, request.user) is not None,
        "bookings": invitations.partner_bookings(request.user, request.team),
        "when": when,
    }
    return render(request, "consultations/list_my_consultations.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("consultations.book_own")
def book_consultation(request: TeamRequest) -> HttpResponse:
    training = invitations.partner_training(request.team, request.user)
    slots = Slot.objects.for_team(request.team).bookable(timezone.now())
    form = BookingForm(request.POST or None, slots=slots)
    if training is not None and request.method == "POST" and form.is_valid():
        user = request.user
        booker = Booker(
            name=user.get_full_name() or user.get_username(),
            email=user.email,
            user=user,
            enrolment=training,
        )
        try:
            consultation = lifecycle.book_slot(booker=booker, **form.cleaned_data)
        except IllegalMove as error:
            _refusal(form, error)
        else:
            messages.success(
                request,
                _("Consultation booked for %(when)s. We have emailed you the details.")
                % {"when": when(consultation.slot)},
            )
            return redirect("consultations:list_my_consultations")
    context = {"form": form, "eligible": training is not None, "has_slots": slots.exists()}
    return render(request, "consultations/book_consultation.jinja", context)


# --- Attendees without an account: reached from their secure link ----------------------------


def _already_booked(request: HttpRequest, link_pk: int) -> HttpResponse:
    link = SecureLink.objects.get(pk=link_pk)
    context = {"consultation": invitations.booked_with(link), "again": True, "when": when}
    return render(request, "consultations/booking_confirmed.jinja", context)


@require_http_methods(["GET", "POST"])
@never_cache
def book_with_link(request: HttpRequest) -> HttpResponse:
    link_pk = link_id_in_session(request, invitations.PURPOSE)
    if link_pk is None:
        return link_problem(request, LinkError())
    try:
        link = invitations.live_link(link_pk)
    except LinkUsed:
        return _already_booked(request, link_pk)
    except LinkError as error:
        return link_problem(request, error)
    enrolment = invitations.enrolment_for(link)
    slots = Slot.objects.for_team(enrolment.run.team).bookable(timezone.now())
    form = BookingForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = lifecycle.book_with_link(link=link, **form.cleaned_data)
        except LinkUsed:
            return _already_booked(request, link_pk)
        except LinkError as error:
            return link_problem(request, error)
        except IllegalMove as error:
            _refusal(form, error)
        else:
            request.session[SESSION_BOOKED] = consultation.pk
            return redirect("consultations:booking_confirmed")
    context = {
        "form": form,
        "eligible": True,
        "has_slots": slots.exists(),
        "name": enrolment.participant_name,
        "email": enrolment.participant_email,
    }
    return render(request, "consultations/book_consultation.jinja", context)


@require_GET
@never_cache
def booking_confirmed(request: HttpRequest) -> HttpResponse:
    pk = request.session.get(SESSION_BOOKED)
    consultation = (
        Consultation.objects.select_related("slot__clinician").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if consultation is None:
        return link_problem(request, LinkError())
    context = {"consultation": consultation, "again": False, "when": when}
    return render(request, "consultations/booking_confirmed.jinja", context)
