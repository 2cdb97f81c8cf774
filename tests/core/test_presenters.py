from __future__ import annotations

from django import forms

from sapling.core.forms import SaplingForm


class _Choices(SaplingForm):
    many = forms.MultipleChoiceField(
        choices=[("a", "Apples"), ("b", "Pears")], widget=forms.CheckboxSelectMultiple
    )
    one = forms.ChoiceField(choices=[("x", "Yes"), ("y", "No")], widget=forms.RadioSelect)


def test_multiple_choices_render_as_checkboxes_and_single_ones_as_radios() -> None:
    from django.template import engines

    engines["jinja2"]  # binds the presenters to the Jinja environment
    from sapling.core.presenters import render_field

    form = _Choices(data={"many": ["a", "b"], "one": "x"})
    many = str(render_field(form["many"]))
    one = str(render_field(form["one"]))
    assert 'type="checkbox"' in many and 'type="radio"' not in many
    assert many.count("checked") == 2
    assert 'type="radio"' in one and 'type="checkbox"' not in one
