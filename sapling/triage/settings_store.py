"""A team's triage settings: which waiting-list order is live."""

from __future__ import annotations

from django.db import transaction

from sapling.accounts.models import Team
from sapling.triage.models import LiveOrder, TriageSettings


def live_order_for(team: Team) -> str:
    """The live waiting-list order: "plain" (the default) or "need_adjusted"."""
    stored = TriageSettings.objects.filter(team=team).values_list("live_order", flat=True).first()
    return stored or LiveOrder.PLAIN


@transaction.atomic
def set_live_order(*, team: Team, live_order: str) -> TriageSettings:
    order = LiveOrder(live_order)  # refuses anything but the two orders
    settings, _ = TriageSettings.objects.update_or_create(team=team, defaults={"live_order": order})
    return settings
