"""A date entered as day, month and year boxes, as the NHS.UK date input asks for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NHSDateWidget(forms.Widget):
    """Reads `<name>_day`, `<name>_month` and `<name>_year`; renders through the macro."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str, str]:
        return tuple(  # type: ignore[return-value]
            str(data.get(f"{name}_{part}", "")).strip() for part in ("day", "month", "year")
        )

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}_{part}" in data for part in ("day", "month", "year"))

    def parts(self, value: Any) -> tuple[str, str, str]:
        if isinstance(value, dt.date):
            return str(value.day), str(value.month), str(value.year)
        if isinstance(value, tuple | list) and len(value) == 3:
            return str(value[0]), str(value[1]), str(value[2])
        if isinstance(value, str) and value:
            try:
                parsed = dt.date.fromisoformat(value)
            except ValueError:
                return "", "", ""
            return str(parsed.day), str(parsed.month), str(parsed.year)
        return "", "", ""


class NHSDateField(forms.Field):
    widget = NHSDateWidget

    def __init__(self, *, allow_future: bool = True, **kwargs: Any) -> None:
        self.allow_future = allow_future
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        day, month, year = value if isinstance(value, tuple | list) else ("", "", "")
        if not (day or month or year):
            return None
        label = str(self.label or _("Date")).lower()
        missing = [
            name
            for name, part in ((_("day"), day), (_("month"), month), (_("year"), year))
            if not part
        ]
        if missing:
            raise ValidationError(
                _("The %(label)s must include a %(parts)s")
                % {"label": label, "parts": _(" and a ").join(missing)}
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(
                _("Enter the %(label)s as numbers, for example 27 3 2019") % {"label": label}
            )
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(
                _("The %(label)s must be a real date") % {"label": label}
            ) from None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not self.allow_future:
            from django.utils import timezone

            if value > timezone.localdate():
                label = str(self.label or _("Date")).lower()
                raise ValidationError(_("The %(label)s must be in the past") % {"label": label})
