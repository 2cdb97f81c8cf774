"""Shape a child's record into rows for the NHS.UK summary list and table macros."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.areas.models import AreaStatus
from sapling.children import ethnicity
from sapling.children.models import Child
from sapling.core.validators import format_nhs_number


def _row(key: str, value: Any) -> dict[str, Any]:
    text = "" if value is None else str(value)
    return {"key": {"text": key}, "value": {"text": text or _("Not recorded")}}


def deprivation_text(child: Child) -> str:
    if child.area_status == AreaStatus.KNOWN:
        return _("%(index)s decile %(decile)s, quintile %(quintile)s (area %(lsoa)s)") % {
            "index": child.deprivation_index.upper(),
            "decile": child.deprivation_decile,
            "quintile": child.deprivation_quintile,
            "lsoa": child.lsoa_code,
        }
    if child.area_status == AreaStatus.AMBIGUOUS:
        parts = []
        if child.deprivation_quintile:
            parts.append(_("quintile %(q)s") % {"q": child.deprivation_quintile})
        if child.deprivation_decile:
            parts.append(_("decile %(d)s") % {"d": child.deprivation_decile})
        agreed = ", ".join(parts) if parts else _("no measure agreed")
        return _("Ambiguous: the postcode's area spans older areas (%(agreed)s)") % {
            "agreed": agreed
        }
    return str(AreaStatus(child.area_status).label)


def child_summary_rows(child: Child) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        _row(_("NHS number"), format_nhs_number(child.nhs_number)),
        _row(
            _("Date of birth"),
            f"{child.date_of_birth:%-d %B %Y} ({_('age')} {child.age_on(today)})",
        ),
        _row(_("Preferred name"), child.preferred_name),
        _row(_("Postcode"), child.postcode),
        _row(_("Deprivation"), deprivation_text(child)),
        _row(_("Locality"), child.locality),
        _row(_("School"), child.school),
        _row(_("Education setting"), child.get_education_setting_display()),
        _row(_("Additional learning needs"), child.get_additional_learning_needs_display()),
        _row(_("Care experienced"), child.get_care_experienced_display()),
        _row(_("Free school meals"), child.get_free_school_meals_display()),
        _row(_("Ethnicity"), ethnicity.describe(child.ethnicity_system, child.ethnicity_code)),
        _row(
            _("Language"),
            child.preferred_language
            + (f" ({_('needs an interpreter')})" if child.interpreter_needed else ""),
        ),
        _row(_("Digital access needs"), child.digital_access_needs),
        _row(_("GP practice"), child.gp_practice),
    ]


def history_rows(entries: Iterable[LogEntry]) -> list[list[dict[str, str]]]:
    rows = []
    for entry in entries:
        changes = entry.changes_dict or {}
        described = "; ".join(
            f"{field}: {before!s} → {after!s}" for field, (before, after) in changes.items()
        )
        rows.append(
            [
                {"text": timezone.localtime(entry.timestamp).strftime("%-d %b %Y %H:%M")},
                {"text": str(entry.actor or _("System"))},
                {"text": f"{entry.get_action_display()} {entry.object_repr}"},
                {"text": described},
            ]
        )
    return rows
