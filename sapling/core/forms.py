from __future__ import annotations

from typing import Any

from django import forms

from sapling.core.validators import reject_control_characters


class SaplingFormMixin:
    """Every text field refuses control characters; text is otherwise kept as typed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField):
                field.validators.append(reject_control_characters)


class SaplingForm(SaplingFormMixin, forms.Form):
    pass


class SaplingModelForm(SaplingFormMixin, forms.ModelForm):
    pass
