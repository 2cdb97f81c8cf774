from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sapling.core.forms import SaplingForm, SaplingModelForm
from sapling.groups.models import Audience, Resource, ResourceKind
from sapling.referrals.models import OccupationalArea

LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]


class ResourceForm(SaplingModelForm):
    url = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        help_text=_("The address of the handout, video or website, starting https://"),
    )
    audiences = forms.MultipleChoiceField(
        label=_("Who is it for?"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label=_("What does it help with?"),
        choices=OccupationalArea.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Resource
        fields = ["title", "summary", "kind", "url", "audiences", "topics", "language", "public"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.RadioSelect,
            "language": forms.RadioSelect,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("url"):
            self.add_error("url", _("Enter the address families can open it at"))
        elif not str(data["url"]).startswith("https://"):
            self.add_error("url", _("The address must start with https://"))
        return data


class PublicFilterForm(SaplingForm):
    topic = forms.ChoiceField(
        label=_("What does your child find hard?"),
        required=False,
        choices=[("", _("Anything")), *OccupationalArea.choices],
    )
    audience = forms.ChoiceField(
        label=_("Who is it for?"), required=False, choices=[("", _("Anyone")), *Audience.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *LANGUAGES]
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any")), *ResourceKind.choices]
    )
