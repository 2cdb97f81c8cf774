from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "sapling.consultations"
    label = "consultations"

    def ready(self) -> None:
        from sapling.consultations import audit
        from sapling.consultations.invitations import PURPOSE
        from sapling.core.links import register_destination

        audit.register()
        register_destination(
            PURPOSE,
            "consultations:book_with_link",
            used=(
                _("You have already booked with this link"),
                _(
                    "Your confirmation email has the time and how to join. Please phone the team "
                    "if you need to change it."
                ),
            ),
        )
