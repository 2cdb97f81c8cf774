from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.groups.figures import Figures
from sapling.groups.models import (
    Audience,
    DigitalNeed,
    Enrolment,
    Mark,
    Programme,
    Resource,
    Session,
    SessionStatus,
)
from sapling.referrals.models import OccupationalArea

LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}


def _labels(values: list[str], choices: type[Audience] | type[OccupationalArea]) -> str:
    names = dict(choices.choices)
    return ", ".join(str(names.get(v, v)) for v in values)


def resource_rows(resources: Iterable[Resource]) -> list[dict[str, Any]]:
    return [
        {
            "resource": r,
            "kind": r.get_kind_display(),
            "audiences": _labels(r.audiences, Audience),
            "topics": _labels(r.topics, OccupationalArea),
            "language": LANGUAGE_NAMES.get(r.language, r.language),
        }
        for r in resources
    ]


# --- Programmes and runs -------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "-" if value is None else f"{round(value * 100)}%"


def figure_rows(figures: Figures) -> list[dict[str, Any]]:
    """Completion, attendance and dropout as summary-list rows."""
    rows = [
        (_("Attendance (of marks recorded)"), percent(figures.attendance_rate)),
        (
            _("Completion (finished runs)"),
            f"{percent(figures.completion_rate)} ({figures.completed}/{figures.counted})",
        ),
        (
            _("Dropout (of those who started, finished runs)"),
            f"{percent(figures.dropout_rate)} ({figures.dropped_out}/{figures.started})",
        ),
    ]
    return [{"key": {"text": str(key)}, "value": {"text": value}} for key, value in rows]


def programme_rows(
    programmes: Iterable[Programme], figures: dict[int, Figures]
) -> list[dict[str, Any]]:
    return [
        {
            "programme": p,
            "languages": ", ".join(LANGUAGE_NAMES.get(code, code) for code in p.languages),
            "figures": figures[p.pk],
            "attendance": percent(figures[p.pk].attendance_rate),
            "completion": percent(figures[p.pk].completion_rate),
            "dropout": percent(figures[p.pk].dropout_rate),
        }
        for p in programmes
    ]


def session_rows(sessions: Iterable[Session]) -> list[dict[str, Any]]:
    return [
        {
            "session": s,
            "when": f"{timezone.localtime(s.starts_at):%a %-d %b %Y, %H:%M}"
            f"-{timezone.localtime(s.ends_at):%H:%M}",
            "cancelled": s.status == SessionStatus.CANCELLED,
            "started": s.starts_at <= timezone.now(),
        }
        for s in sessions
    ]


def enrolment_rows(
    enrolments: Iterable[Enrolment], sessions: list[Session]
) -> list[dict[str, Any]]:
    held = [s for s in sessions if s.status != SessionStatus.CANCELLED]
    rows = []
    for e in enrolments:
        marks = {a.session_id: a.mark for a in e.attendances.all()}
        attended = sum(1 for s in held if marks.get(s.pk) == Mark.ATTENDED)
        if e.child is not None:
            detail = ", ".join(c.given_name + " " + c.family_name for c in e.carers.all())
        else:
            detail = ", ".join(x for x in (e.participant_role, e.participant_setting) if x)
        rows.append(
            {
                "enrolment": e,
                "name": e.display_name,
                "detail": detail,
                "attended": f"{attended}/{len(held)}",
                "digital": ", ".join(
                    str(dict(DigitalNeed.choices).get(n, n)) for n in e.digital_needs
                ),
                "support": e.get_digital_support_display() if e.digital_support else "",
            }
        )
    return sorted(rows, key=lambda r: (str(r["name"]).lower(), r["enrolment"].pk))
