from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "sapling.groups"
    label = "groups"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sapling.core.links import register_destination
        from sapling.groups import audit, register_counts
        from sapling.groups.models import Attendance, Session
        from sapling.groups.notices import TOPIC_PURPOSE

        audit.register()
        for signal in (post_save, post_delete):
            signal.connect(register_counts.session_changed, sender=Session)
            signal.connect(register_counts.mark_changed, sender=Attendance)
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
