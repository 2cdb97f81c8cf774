from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "sapling.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from sapling.core.links import register_destination
        from sapling.outcomes import audit
        from sapling.outcomes.administration import PURPOSE

        register_destination(
            PURPOSE,
            "outcomes:answer_questionnaire",
            used=(
                _("We have already received your answers"),
                _(
                    "Thank you: this questionnaire has been answered. Please phone the team if "
                    "you want to change an answer."
                ),
            ),
        )
        audit.register()
