from __future__ import annotations

from django.apps import AppConfig


class WaitlistConfig(AppConfig):
    name = "sapling.waitlist"
    label = "waitlist"

    def ready(self) -> None:
        from sapling.core.links import register_destination
        from sapling.waitlist.checkins import PURPOSE

        register_destination(PURPOSE, "waitlist:answer_check_in")
