from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WaitlistConfig(AppConfig):
    name = "sapling.waitlist"
    label = "waitlist"

    def ready(self) -> None:
        from sapling.core.links import register_destination
        from sapling.waitlist.checkins import PURPOSE

        register_destination(
            PURPOSE,
            "waitlist:answer_check_in",
            used=(
                _("We have already received your answer"),
                _("Thank you: we have your answer. If something changes, please phone the team."),
            ),
        )
