from __future__ import annotations

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "sapling.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from sapling.core.links import register_destination
        from sapling.outcomes import audit
        from sapling.outcomes.administration import PURPOSE

        register_destination(PURPOSE, "outcomes:answer_questionnaire")
        audit.register()
