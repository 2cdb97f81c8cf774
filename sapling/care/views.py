from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sapling.accounts.models import User
from sapling.care import lifecycle, queries, record
from sapling.care import messages as family
from sapling.care.forms import (
    AddendumForm,
    AssessmentForm,
    BookAppointmentForm,
    CancelAppointmentForm,
    CareSettingsForm,
    DiaryForm,
    DischargeForm,
    EquipmentForm,
    GoalForm,
    GoalStatusForm,
    InterventionForm,
    NoteForm,
    RecordOutcomeForm,
    ReturnEquipmentForm,
    SafeguardingConsiderationForm,
    StartEpisodeForm,
)
from sapling.care.models import (
    Appointment,
    CareSettings,
    ContactOutcome,
    DischargeReason,
    Episode,
    EpisodeStatus,
    GoalStatus,
    InterventionKind,
    Note,
)
from sapling.children.models import Child
from sapling.core.audit import get_or_refuse, record_list_view, record_view
from sapling.core.http import TeamRequest
from sapling.core.lifecycle import IllegalMove
from sapling.core.models import StaleEdit
from sapling.core.permissions import has_permission, permission_required
from sapling.core.roles import CLINICAL
from sapling.waitlist.clock import start_of_week
from sapling.waitlist.models import WaitlistEntry

FORM = "care/form.jinja"


def _episode(request: TeamRequest, pk: int) -> Episode:
    episodes = Episode.objects.for_team(request.team).select_related(
        "child", "lead_clinician", "entry", "referral", "team"
    )
    return get_or_refuse(request, episodes, pk)


def _appointment(request: TeamRequest, pk: int) -> Appointment:
    appointments = Appointment.objects.for_team(request.team).select_related(
        "episode__child", "episode__entry", "clinician", "team"
    )
    return get_or_refuse(request, appointments, pk)


def _problem(form: Form, error: Exception) -> None:
    form.add_error(None, error.message() if isinstance(error, StaleEdit) else str(error))


def _form_page(request: TeamRequest, form: Form, episode: Episode, **context: Any) -> HttpResponse:
    """The shared page for the record's small forms: heading, fields, one button."""
    context.setdefault("back", (reverse("care:show_episode", args=[episode.pk]), episode.child))
    context.setdefault("caption", episode.child.full_name)
    return render(request, FORM, {"form": form, "episode": episode, **context})


def _done(request: TeamRequest, text: str, episode: Episode) -> HttpResponse:
    messages.success(request, text)
    return redirect("care:show_episode", pk=episode.pk)


# --- Episodes -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("care.write_record")
def start_episode(request: TeamRequest, entry_pk: int) -> HttpResponse:
    entries = WaitlistEntry.objects.for_team(request.team).select_related("child", "allocated_to")
    entry = get_or_refuse(request, entries, entry_pk)
    lead = entry.allocated_to or request.user
    form = StartEpisodeForm(request.POST or None, team=request.team, initial_lead=lead)
    if request.method == "POST" and form.is_valid():
        try:
            episode = lifecycle.open_episode(
                entry=entry,
                lead_clinician=form.cleaned_data["lead_clinician"],
                on=timezone.localdate(),
                by=request.user,
            )
        except (IllegalMove, StaleEdit) as error:
            _problem(form, error)
        else:
            return _done(request, _("The episode of care has started"), episode)
    context = {
        "form": form,
        "fields": ["lead_clinician"],
        "title": _("Start an episode of care"),
        "caption": entry.child.full_name,
        "back": (reverse("waitlist:show_entry", args=[entry.pk]), _("Waiting list entry")),
        "submit": _("Start episode"),
        "intro": _(
            "The child stays on the waiting list, with the clock running, until their first "
            "contact is recorded as attended."
        ),
    }
    return render(request, FORM, context)


@require_GET
@permission_required("care.view_record")
def show_episode(request: TeamRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    record_view(request, episode.child)
    notes = episode.notes.select_related("author", "appointment").prefetch_related(
        "addenda__author"
    )
    context = {
        "episode": episode,
        "appointments": episode.appointments.select_related("clinician"),
        "notes": notes,
        "assessments": episode.assessments.select_related("author"),
        "goals": episode.goals.all(),
        "interventions": episode.interventions.all(),
        "equipment": episode.equipment.all(),
        "history": [e for e in queries.episode_history(episode.child) if e.pk != episode.pk],
        "prompt": lifecycle.not_brought_prompt(episode),
        "in_a_row": lifecycle.not_brought_in_a_row(episode),
        "recipients": family.Recipient.ALL,
        "today": timezone.localdate(),
    }
    return render(request, "care/show_episode.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("care.write_record")
def record_safeguarding_consideration(request: TeamRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    form = SafeguardingConsiderationForm(
        request.POST or None,
        initial={"version": episode.version, "text": episode.safeguarding_considered},
    )
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.record_safeguarding_consideration(
                episode=episode,
                text=form.cleaned_data["text"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (IllegalMove, StaleEdit) as error:
            _problem(form, error)
        else:
            return _done(request, _("Your safeguarding consideration has been recorded"), episode)
    return _form_page(
        request,
        form,
        episode,
        fields=["text"],
        hidden=["version"],
        title=_("Record a safeguarding consideration"),
        submit=_("Save"),
    )


@require_http_methods(["GET", "POST"])
@permission_required("care.discharge")
def discharge_episode(request: TeamRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    form = DischargeForm(request.POST or None, initial={"version": episode.version})
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.discharge(
                episode=episode,
                reason=DischargeReason(form.cleaned_data["reason"]),
                summary=form.cleaned_data["summary"],
                on=timezone.localdate(),
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (IllegalMove, StaleEdit) as error:
            _problem(form, error)
        else:
            sent = family.send_discharge_letters(episode)
            text = _("The child has been discharged. Letters queued to the family: %(n)s") % {
                "n": len(sent)
            }
            return _done(request, text, episode)
    return _form_page(
        request,
        form,
        episode,
        fields=["reason", "summary"],
        hidden=["version"],
        title=_("Discharge"),
        submit=_("Discharge and send the letter"),
        intro=_(
            "The family is sent the discharge letter, by letter or email as they prefer. The "
            "referrer's and GP's letters are ready to print from the episode page."
        ),
        measures=family.measures_due_at_discharge(episode),
        unsigned=episode.notes.filter(signed_at__isnull=True).count(),
    )


@require_GET
@permission_required("care.view_record")
def show_discharge_letter(request: TeamRequest, pk: int, recipient: str) -> HttpResponse:
    episode = _episode(request, pk)
    if episode.status != EpisodeStatus.DISCHARGED or recipient not in family.Recipient.ALL:
        raise Http404("No letter")
    record_view(request, episode.child, what="letter")
    carer = episode.child.carers.first() if recipient == family.Recipient.FAMILY else None
    language = carer.preferred_language if carer else translation.get_language()
    with translation.override(language):
        letter = family.discharge_letter(episode, recipient, carer)
    context = {"episode": episode, "letter": letter, "recipient": recipient, "carer": carer}
    context["language"] = language
    return render(request, "care/show_discharge_letter.jinja", context)


# --- Appointments -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("care.book")
def book_appointment(request: TeamRequest) -> HttpResponse:
    settings = CareSettings.for_team(request.team)
    initial: dict[str, Any] = {"minutes": settings.default_minutes}
    if request.GET.get("episode", "").isdigit():
        initial["episode"] = request.GET["episode"]
    if request.user.memberships.filter(team=request.team, role__in=CLINICAL).exists():
        initial["clinician"] = request.user.pk
    form = BookAppointmentForm(request.POST or None, team=request.team, initial=initial)
    found: list[Appointment] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = lifecycle.book_appointment(
                episode=data["episode"],
                clinician=data["clinician"],
                kind=data["kind"],
                starts_at=data["starts_at"],
                minutes=data["minutes"],
                location=data["location"],
                video_link=data["video_link"],
                by=request.user,
            )
        except lifecycle.Clash as clash:
            found = clash.found
            _problem(form, clash)
        except IllegalMove as error:
            _problem(form, error)
        else:
            sent = family.send_invitation(appointment)
            messages.success(
                request,
                _("The contact is booked. Invitations queued to the family: %(n)s")
                % {"n": len(sent)},
            )
            return redirect("care:show_appointment", pk=appointment.pk)
    context = {"form": form, "clashes": found}
    return render(request, "care/book_appointment.jinja", context)


@require_GET
@permission_required("care.view_diary")
def show_appointment(request: TeamRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    record_view(request, appointment.episode.child)
    context = {
        "appointment": appointment,
        "is_booked": appointment.outcome == ContactOutcome.BOOKED,
        "has_started": appointment.starts_at <= timezone.now(),
    }
    return render(request, "care/show_appointment.jinja", context)


def _outcome(request: TeamRequest, pk: int, form_class: type[RecordOutcomeForm]) -> HttpResponse:
    appointment = _appointment(request, pk)
    form = form_class(request.POST or None, initial={"version": appointment.version})
    if request.method == "POST" and form.is_valid():
        outcome = ContactOutcome(form.cleaned_data["outcome"])
        try:
            lifecycle.record_outcome(
                appointment=appointment,
                outcome=outcome,
                note=form.cleaned_data["note"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (IllegalMove, StaleEdit) as error:
            _problem(form, error)
        else:
            if outcome in lifecycle.CANCELLED:
                family.send_cancellation(appointment)
            messages.success(request, _("Recorded: %(outcome)s") % {"outcome": outcome.label})
            return redirect("care:show_appointment", pk=appointment.pk)
    cancelling = form_class is CancelAppointmentForm
    context = {
        "form": form,
        "fields": ["outcome", "note"],
        "hidden": ["version"],
        "title": _("Cancel the contact") if cancelling else _("Record what happened"),
        "caption": f"{appointment.episode.child.full_name}, {appointment}",
        "back": (reverse("care:show_appointment", args=[appointment.pk]), _("The contact")),
        "submit": _("Cancel the contact") if cancelling else _("Save"),
        "intro": _("The family is told the contact is cancelled.") if cancelling else "",
    }
    return render(request, FORM, context)


@require_http_methods(["GET", "POST"])
@permission_required("care.write_record")
def record_outcome(request: TeamRequest, pk: int) -> HttpResponse:
    return _outcome(request, pk, RecordOutcomeForm)


@require_http_methods(["GET", "POST"])
@permission_required("care.book")
def cancel_appointment(request: TeamRequest, pk: int) -> HttpResponse:
    return _outcome(request, pk, CancelAppointmentForm)


@require_GET
@permission_required("care.view_diary")
def show_diary(request: TeamRequest) -> HttpResponse:
    form = DiaryForm(request.GET or None, team=request.team)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    monday = start_of_week(chosen.get("week") or timezone.localdate())
    clinician: User | None = chosen.get("clinician")
    if not form.is_bound and has_permission(request, "care.write_record"):
        clinician = request.user
        form = DiaryForm(initial={"clinician": request.user.pk}, team=request.team)
    days = queries.week(request.team, monday, clinician)
    shown = [a.episode.child for day in days for a in day.appointments]
    record_list_view(request, Child, shown, description=f"Diary: {request.GET.urlencode()}")
    whose = f"clinician={clinician.pk}&" if clinician else "clinician=&"
    context = {
        "form": form,
        "days": days,
        "monday": monday,
        "clinician": clinician,
        "previous": f"?{whose}week={monday - dt.timedelta(weeks=1):%Y-%m-%d}",
        "next": f"?{whose}week={monday + dt.timedelta(weeks=1):%Y-%m-%d}",
    }
    return render(request, "care/show_diary.jinja", context)


# --- The clinical record ------------------------------------------------------------------


def _appointment_of(episode: Episode, value: str | None) -> Appointment | None:
    if value and value.isdigit():
        return episode.appointments.filter(pk=value).first()
    return None


@require_http_methods(["GET", "POST"])
@permission_required("care.write_record")
def add_note(request: TeamRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    appointment = _appointment_of(episode, request.GET.get("appointment"))
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sign = "sign" in request.POST
        try:
            record.write_note(
                episode=episode,
                text=form.cleaned_data["text"],
                by=request.user,
                appointment=appointment,
                sign=sign,
            )
        except IllegalMove as error:
            _problem(form, error)
        else:
            return _done(request, _("Note signed") if sign else _("Draft note saved"), episode)
    context = {"form": form, "episode": episode, "appointment": appointment, "note": None}
    return render(request, "care/write_note.jinja", context)


def _note(request: TeamRequest, episode: Episode, note_pk: int) -> Note:
    return get_or_refuse(request, episode.notes.select_related("author"), note_pk)


@require_http_methods(["GET", "POST"])
@permission_required("care.write_record")
def update_note(request: TeamRequest, pk: int, note_pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    note = _note(request, episode, note_pk)
    form = NoteForm(request.POST or None, initial={"text": note.text})
    if request.method == "POST" and form.is_valid():
        sign = "sign" in request.POST
        try:
            record.update_note(
                note=note, text=form.cleaned_data["text"], by=request.user, sign=sign
            )
        except IllegalMove as error:
            _problem(form, error)
        else:
            return _done(request, _("Note signed") if sign else _("Draft note saved"), episode)
    elif note.is_signed:
        form.add_error(
            None, _("This note is signed and cannot be changed: add an addendum instead")
        )
    context = {"form": form, "episode": episode, "appointment": note.appointment, "note": note}
    return render(request, "care/write_note.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required("care.write_record")
def add_addendum(request: TeamRequest, pk: int, note_pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    note = _note(request, episode, note_pk)
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record.add_addendum(note=note, text=form.cleaned_data["text"], by=request.user)
        except IllegalMove as error:
            _problem(form, error)
        else:
            return _done(request, _("Addendum signed"), episode)
    return _form_page(
        request,
        form,
        episode,
        fields=["text"],
        title=_("Add an addendum"),
        submit=_("Sign the addendum"),
        quote=note,
    )


@require_http_methods(["GET", "POST"])
@permission_required("care.write_record")
def add_assessment(request: TeamRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    form = AssessmentForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            record.record_assessment(episode=episode, by=request.user, **form.cleaned_data)
        except IllegalMove as error:
            _problem(form, error)
        else:
            return _done(request, _("The assessment has been saved"), episode)
    fields = ["assessed_on", "areas", "performance", "environment", "strengths", "what_matters"]
    return _form_page(
        request, form, episode, fields=fields, title=_("Record an assessment"), submit=_("Save")
    )


@require_http_methods(["GET", "POST"])
@permission_required("care.write_record")
def add_goal(request: TeamRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record.set_goal(
                episode=episode, on=timezone.localdate(), by=request.user, **form.cleaned_data
            )
        except IllegalMove as error:
            _problem(form, error)
        else:
            return _done(request, _("The goal has been added"), episode)
    return _form_page(
        request,
        form,
        episode,
        fields=["text", "whose_words"],
        title=_("Add a goal"),
        submit=_("Add the goal"),
        intro=_("Write the goal as the child or family said it, with them."),
    )


@require_http_methods(["GET", "POST"])
@permission_required("care.write_record")
def update_goal(request: TeamRequest, pk: int, goal_pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    goal = get_or_refuse(request, episode.goals.all(), goal_pk)
    form = GoalStatusForm(request.POST or None, initial={"status": goal.status})
    if request.method == "POST" and form.is_valid():
        try:
            record.change_goal_status(
                goal=goal, status=GoalStatus(form.cleaned_data["status"]), on=timezone.localdate()
            )
        except IllegalMove as error:
            _problem(form, error)
        else:
            return _done(request, _("The goal has been updated"), episode)
    return _form_page(
        request,
        form,
        episode,
        fields=["status"],
        title=_("Update a goal"),
        submit=_("Save"),
        intro=goal.text,
    )


@require_http_methods(["GET", "POST"])
@permission_required("care.write_record")
def add_intervention(request: TeamRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    form = InterventionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record.agree_intervention(
                episode=episode,
                kind=InterventionKind(form.cleaned_data["kind"]),
                description=form.cleaned_data["description"],
                on=timezone.localdate(),
                by=request.user,
            )
        except IllegalMove as error:
            _problem(form, error)
        else:
            return _done(request, _("The care plan has been updated"), episode)
    return _form_page(
        request,
        form,
        episode,
        fields=["kind", "description"],
        title=_("Add to the care plan"),
        submit=_("Add"),
    )


@require_http_methods(["GET", "POST"])
@permission_required("care.write_record")
def issue_equipment(request: TeamRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    form = EquipmentForm(request.POST or None, initial={"issued_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            record.issue_equipment(
                episode=episode,
                item=form.cleaned_data["item"],
                on=form.cleaned_data["issued_on"],
                by=request.user,
            )
        except IllegalMove as error:
            _problem(form, error)
        else:
            return _done(request, _("The equipment has been recorded as issued"), episode)
    return _form_page(
        request,
        form,
        episode,
        fields=["item", "issued_on"],
        title=_("Issue equipment"),
        submit=_("Save"),
    )


@require_http_methods(["GET", "POST"])
@permission_required("care.write_record")
def return_equipment(request: TeamRequest, pk: int, loan_pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    loan = get_or_refuse(request, episode.equipment.all(), loan_pk)
    form = ReturnEquipmentForm(request.POST or None, initial={"returned_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            record.return_equipment(
                loan=loan, on=form.cleaned_data["returned_on"], note=form.cleaned_data["note"]
            )
        except IllegalMove as error:
            _problem(form, error)
        else:
            return _done(request, _("The equipment has been recorded as returned"), episode)
    return _form_page(
        request,
        form,
        episode,
        fields=["returned_on", "note"],
        title=_("Return equipment: %(item)s") % {"item": loan.item},
        submit=_("Save"),
    )


# --- Caseloads and settings ---------------------------------------------------------------


def _caseload_page(request: TeamRequest, clinician: User, own: bool) -> HttpResponse:
    rows = queries.caseload(request.team, clinician)
    record_list_view(
        request,
        Child,
        [row.episode.child for row in rows],
        description=f"Caseload of {clinician.username}",
    )
    context = {"rows": rows, "clinician": clinician, "own": own, "today": timezone.localdate()}
    return render(request, "care/show_caseload.jinja", context)


@require_GET
@permission_required("care.view_record")
def show_caseload(request: TeamRequest) -> HttpResponse:
    return _caseload_page(request, request.user, own=True)


@require_GET
@permission_required("care.view_team_caseloads")
def show_clinician_caseload(request: TeamRequest, user_pk: int) -> HttpResponse:
    staff = User.objects.filter(memberships__team=request.team).distinct()
    return _caseload_page(request, get_or_refuse(request, staff, user_pk), own=False)


@require_GET
@permission_required("care.view_team_caseloads")
def list_caseloads(request: TeamRequest) -> HttpResponse:
    rows = queries.team_caseloads(request.team)
    return render(request, "care/list_caseloads.jinja", {"rows": rows})


@require_http_methods(["GET", "POST"])
@permission_required("team.configure")
def update_settings(request: TeamRequest) -> HttpResponse:
    instance = CareSettings.for_team(request.team)
    form = CareSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The specialist care settings have been saved"))
        return redirect("care:update_settings")
    context = {
        "form": form,
        "fields": ["not_brought_in_a_row", "not_brought_steps", "default_minutes"],
        "title": _("Specialist care settings"),
        "caption": request.team.name,
        "submit": _("Save"),
        "intro": _(
            "The not-brought policy: when a child has not been brought this many times in a "
            "row, the clinician is prompted with these steps. Nothing happens without them."
        ),
    }
    return render(request, FORM, context)
