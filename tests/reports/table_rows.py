"""Reading a report Table in tests: one row, by its first cell, as {column key: value}."""

from __future__ import annotations

from typing import Any

from sapling.reports.tables import Table


def row(table: Table, label: str) -> dict[str, Any]:
    found = [
        {column.key: value for column, value in zip(table.columns, values, strict=True)}
        for values in table.rows
        if values[0] == label
    ]
    assert len(found) == 1, f"{label!r} in {[values[0] for values in table.rows]}"
    return found[0]
