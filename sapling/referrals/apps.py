from __future__ import annotations

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "sapling.referrals"
    label = "referrals"

    def ready(self) -> None:
        from sapling.referrals import audit

        audit.register()
