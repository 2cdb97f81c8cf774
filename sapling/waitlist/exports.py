"""The waiting list as CSV, safe to open in a spreadsheet.

A cell starting with =, +, -, @ (or a tab or carriage return, which some spreadsheets
skip before reading a formula) is prefixed with a single quote, so a name typed as
"=HYPERLINK(...)" is shown as text and never run as a formula (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from sapling.waitlist.clock import weeks_waited
from sapling.waitlist.models import WaitlistEntry

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def header() -> list[str]:
    return [
        _("Position"),
        _("Child"),
        _("NHS number"),
        _("Date of birth"),
        _("Referral"),
        _("Tier"),
        _("Pathway"),
        _("Priority"),
        _("Need score"),
        _("Clock started"),
        _("Weeks waited"),
        _("Status"),
        _("Locality"),
        _("School"),
    ]


def row(position: int, entry: WaitlistEntry, today: dt.date) -> list[object]:
    child = entry.child
    return [
        position,
        child.full_name,
        child.nhs_number,
        child.date_of_birth.isoformat(),
        entry.referral.reference,
        entry.get_tier_display(),
        entry.pathway or "",
        entry.get_priority_display(),
        entry.need_score,
        entry.clock_start.isoformat(),
        weeks_waited(entry, today),
        entry.get_status_display(),
        child.locality or "",
        child.school or "",
    ]


def entries_csv(entries: Iterable[WaitlistEntry], today: dt.date) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(cell) for cell in header()])
    for position, entry in enumerate(entries, start=1):
        writer.writerow([csv_safe(cell) for cell in row(position, entry, today)])
    return out.getvalue()
