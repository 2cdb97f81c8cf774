"""Which team's resources the public page shows."""

from __future__ import annotations

from django.conf import settings

from sapling.accounts.models import Team


def public_team() -> Team | None:
    """SAPLING_PUBLIC_TEAM (a team's name) when set; otherwise the only team, if just one."""
    name = getattr(settings, "SAPLING_PUBLIC_TEAM", "")
    if name:
        return Team.objects.filter(name=name).first()
    teams = list(Team.objects.all()[:2])
    return teams[0] if len(teams) == 1 else None
