from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from sapling.accounts.models import Membership, Team, User


class TeamRequest(HttpRequest):
    """A request that passed the permission check: a member of a team is logged in."""

    user: User
    team: Team
    membership: Membership
