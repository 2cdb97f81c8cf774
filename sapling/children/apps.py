from __future__ import annotations

from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "sapling.children"
    label = "children"

    def ready(self) -> None:
        from sapling.children import audit

        audit.register()
