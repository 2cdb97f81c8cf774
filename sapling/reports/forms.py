from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sapling.core.forms import SaplingForm
from sapling.reports.planning import WhatIf


class WhatIfForm(SaplingForm):
    extra_targeted = forms.FloatField(
        label=_("More children starting targeted support each week"),
        help_text=_("For example 4 for one more group of 12 every three weeks"),
        min_value=0,
        max_value=100,
        required=False,
    )
    extra_specialist = forms.FloatField(
        label=_("More first specialist contacts each week"),
        help_text=_("For example 2 for about half a clinician more"),
        min_value=0,
        max_value=100,
        required=False,
    )
    share_to_targeted = forms.IntegerField(
        label=_("Share of specialist referrals met in targeted support instead (%)"),
        min_value=0,
        max_value=100,
        required=False,
    )

    def what_if(self) -> WhatIf:
        data = self.cleaned_data
        return WhatIf(
            extra_targeted=data.get("extra_targeted") or 0.0,
            extra_specialist=data.get("extra_specialist") or 0.0,
            share_to_targeted=(data.get("share_to_targeted") or 0) / 100,
        )
