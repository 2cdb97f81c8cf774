from __future__ import annotations

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "sapling.care"
    label = "care"

    def ready(self) -> None:
        from sapling.care import audit

        audit.register()
