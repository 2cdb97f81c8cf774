"""Slots and consultations shaped into the words and rows the pages show."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sapling.consultations.models import Consultation, Mode, Slot, SlotStatus
from sapling.core.jinja import localdate


def clinician_name(slot: Slot) -> str:
    return slot.clinician.get_full_name() or slot.clinician.get_username()


def when(slot: Slot) -> str:
    """'Tuesday 3 March 2027, 14:00 to 14:30'."""
    return _("%(day)s, %(start)s to %(end)s") % {
        "day": localdate(slot.starts_at, "%A %-d %B %Y"),
        "start": localdate(slot.starts_at, "%H:%M"),
        "end": localdate(slot.ends_at, "%H:%M"),
    }


def slot_label(slot: Slot) -> str:
    """One bookable time as a person choosing between them reads it."""
    return _("%(when)s: %(how)s with %(name)s") % {
        "when": when(slot),
        "how": _("video call") if slot.mode == Mode.ONLINE else _("phone call"),
        "name": clinician_name(slot),
    }


def status_text(slot: Slot) -> str:
    consultation: Consultation | None = getattr(slot, "consultation", None)
    if slot.status == SlotStatus.BOOKED and consultation is not None:
        return _("%(status)s: %(name)s") % {
            "status": consultation.get_status_display(),
            "name": consultation.name,
        }
    return str(slot.get_status_display())


def _row(key: str, value: str) -> dict[str, Any]:
    return {"key": {"text": key}, "value": {"text": value}}


def slot_rows(slot: Slot) -> list[dict[str, Any]]:
    how = slot.get_mode_display()
    rows = [
        _row(_("When"), when(slot)),
        _row(_("How"), f"{how}: {slot.meeting_link}" if slot.meeting_link else how),
        _row(_("Clinician"), clinician_name(slot)),
        _row(_("Status"), str(slot.get_status_display())),
    ]
    if slot.status == SlotStatus.WITHDRAWN:
        rows.append(_row(_("Reason withdrawn"), slot.withdrawn_reason))
    return rows


def booking_rows(consultation: Consultation) -> list[dict[str, Any]]:
    rows = [
        _row(_("Booked by"), consultation.name),
        _row(_("Role"), consultation.role or "-"),
        _row(_("School or setting"), consultation.setting or "-"),
        _row(_("Email"), consultation.email),
        _row(_("Phone"), consultation.phone or "-"),
        _row(
            _("Training attended"),
            str(consultation.enrolment.run) if consultation.enrolment else "-",
        ),
        _row(_("Their question"), consultation.question),
        _row(_("Booked on"), localdate(consultation.booked_at)),
    ]
    return rows


def record_rows(consultation: Consultation) -> list[dict[str, Any]]:
    rows = [_row(_("Outcome"), str(consultation.get_status_display()))]
    if consultation.advice:
        rows.append(_row(_("Advice given"), consultation.advice))
    if consultation.referral:
        rows.append(_row(_("Referral"), str(consultation.get_referral_display())))
    if consultation.not_held_reason:
        rows.append(_row(_("Why it did not take place"), consultation.not_held_reason))
    recorder = consultation.recorded_by
    if recorder is not None and consultation.recorded_at is not None:
        rows.append(
            _row(
                _("Recorded by"),
                f"{recorder.get_full_name() or recorder.get_username()}, "
                f"{localdate(consultation.recorded_at, '%-d %B %Y %H:%M')}",
            )
        )
    return rows
