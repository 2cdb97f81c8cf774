from __future__ import annotations

from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "sapling.groups"
    label = "groups"

    def ready(self) -> None:
        from sapling.core.links import register_destination
        from sapling.groups import audit
        from sapling.groups.notices import TOPIC_PURPOSE

        audit.register()
        register_destination(TOPIC_PURPOSE, "booking:send_topic")
