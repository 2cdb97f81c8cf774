"""The records a permission test needs, made only when a row asks for them."""

from __future__ import annotations

from collections.abc import Callable

from sapling.accounts.models import Team


class Objects(dict[str, int]):
    """Primary keys of one team's records by name; a missing one is built on first use.

    Builders take this mapping, so one record can be built from another (a carer for the
    child: `lambda o: CarerFactory.create(child_id=o["child"]).pk`).
    """

    def __init__(
        self,
        team: Team,
        builders: dict[str, Callable[[Objects], int]],
        preset: dict[str, int] | None = None,
    ) -> None:
        super().__init__(preset or {})
        self.team = team
        self.builders = builders

    def __missing__(self, name: str) -> int:
        value = self.builders[name](self)
        self[name] = value
        return value


Builders = dict[str, Callable[[Objects], int]]
