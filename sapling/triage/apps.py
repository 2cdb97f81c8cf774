from __future__ import annotations

from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "sapling.triage"
    label = "triage"

    def ready(self) -> None:
        from sapling.triage import audit

        audit.register()
