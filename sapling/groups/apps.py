from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "sapling.groups"
    label = "groups"

    def ready(self) -> None:
        from sapling.core.links import register_destination
        from sapling.groups import audit
        from sapling.groups.notices import TOPIC_PURPOSE

        audit.register()
        register_destination(
            TOPIC_PURPOSE,
            "booking:send_topic",
            used=(
                _("We have already received your topic"),
                _(
                    "Thank you: the facilitators have it. Your next reminder brings a new link "
                    "if you want to suggest something else."
                ),
            ),
        )
