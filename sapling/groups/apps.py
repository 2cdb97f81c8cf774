from __future__ import annotations

from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "sapling.groups"
    label = "groups"

    def ready(self) -> None:
        from sapling.groups import audit

        audit.register()
