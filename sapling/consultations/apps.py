from __future__ import annotations

from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "sapling.consultations"
    label = "consultations"

    def ready(self) -> None:
        from sapling.consultations import audit
        from sapling.consultations.invitations import PURPOSE
        from sapling.core.links import register_destination

        audit.register()
        register_destination(PURPOSE, "consultations:book_with_link")
