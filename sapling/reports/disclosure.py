"""Statistical disclosure control: the one place a count is made safe to publish.

The rule is NHS Digital's for published Hospital Episode Statistics (docs/commissioner-
reports.md gives the source): a count of 1 to 7 is shown as "*", every other count is
rounded to the nearest 5, and a true zero is shown as 0 (a zero says nobody, so it reveals
nobody). A percentage is not shown where its numerator or denominator is hidden.

Hiding a small count is not enough when totals are published beside it: a row total minus
the other cells of the row gives the hidden one back. So the counts of all of a quarter's
tables are modelled as linear equations (`Equation`: a total equals the sum of its parts,
for every row and column of every table, with the totals that several breakdowns of the
same children share named by the same cell), and `cells_to_suppress` hides more cells
until no hidden cell can be worked out from the published ones, checked by linear algebra
as if every published (rounded) value were exact.

Pure functions: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

Cell = Hashable  # any key that names one count
Shown = int | str  # what is published for a count: a rounded number, or SUPPRESSED

SUPPRESSED = "*"
SMALLEST_SHOWN = 8  # counts from 1 to SMALLEST_SHOWN - 1 are never shown
ROUNDING_BASE = 5

# Singular values below this are zero: the equation matrices hold only 0 and +-1.
_RANK_TOLERANCE = 1e-9
# Larger than any count: the top of the range a "*" can stand for before subtraction.
_UNBOUNDED = 10**12


@dataclass(frozen=True)
class Equation:
    """One line of a table: `total` is the sum of `parts` (a row, or a column)."""

    total: Cell
    parts: tuple[Cell, ...]

    @property
    def terms(self) -> tuple[Cell, ...]:
        return (self.total, *self.parts)


def is_small(count: int) -> bool:
    """A count the primary rule hides: 1 to 7."""
    return 0 < count < SMALLEST_SHOWN


def round_to_five(count: int) -> int:
    """The nearest multiple of 5, halves up (8 -> 10, 12 -> 10, 13 -> 15)."""
    if count < 0:
        raise ValueError("a count is never negative")
    return (count + ROUNDING_BASE // 2) // ROUNDING_BASE * ROUNDING_BASE


def show_count(count: int, *, hidden: bool = False) -> Shown:
    """What is published for one count: 0 for zero, "*" for a small or hidden count,
    otherwise the count rounded to the nearest 5."""
    if count == 0:
        return 0
    if hidden or is_small(count):
        return SUPPRESSED
    return round_to_five(count)


def show_percentage(numerator: Shown, denominator: Shown) -> Decimal | str | None:
    """A whole-number percentage of two published counts: "*" if either is hidden, None
    (no figure) when the denominator is zero.

    From the published (rounded) counts, not the true ones: a percentage of true counts
    can give those counts back exactly, and exact counts narrow what a hidden cell beside
    them can be, which the checks in `cells_to_suppress` assume rounding prevents.
    """
    if SUPPRESSED in (numerator, denominator):
        return SUPPRESSED
    if denominator == 0:
        return None
    percent = Decimal(int(numerator)) * 100 / Decimal(int(denominator))
    return percent.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def publish(counts: Mapping[Cell, int], equations: Sequence[Equation]) -> dict[Cell, Shown]:
    """Every count as it may be published, with primary and secondary suppression."""
    hidden = cells_to_suppress(counts, equations)
    return {cell: show_count(count, hidden=cell in hidden) for cell, count in counts.items()}


def cells_to_suppress(counts: Mapping[Cell, int], equations: Sequence[Equation]) -> set[Cell]:
    """The cells to show as "*": the small counts, and enough others that none of them
    can be recovered from the published counts.

    1. Hide every count of 1 to 7.
    2. While some equation has exactly one hidden term (so the total minus the published
       terms gives it), hide the smallest non-zero published term of that equation.
    3. If linear algebra still recovers a hidden cell from several equations together, or
       subtracting the published counts' ranges (a count shown as 10 is 8 to 12) narrows a
       hidden cell to fewer than the 7 values "*" stands for, hide the smallest non-zero
       published term in a line through it; go back to 2.

    Ties go to the cell that comes first in `counts`, so the result never varies.
    """
    _check_adds_up(counts, equations)
    order = {cell: position for position, cell in enumerate(counts)}
    hidden = {cell for cell, count in counts.items() if is_small(count)}
    while True:
        _hide_lone_cells(counts, equations, hidden, order)
        exposed = recoverable_cells(equations, hidden, order) or narrowed_cells(
            counts, equations, hidden, order
        )
        if not exposed:
            return hidden
        hidden.add(_next_to_hide(exposed[0], counts, equations, hidden, order))


def recoverable_cells(
    equations: Sequence[Equation], hidden: Iterable[Cell], order: Mapping[Cell, int]
) -> list[Cell]:
    """The hidden cells the equations pin to one value, if every other cell is known.

    Moving the published terms to the right-hand side leaves A x = b over the hidden
    cells x. A hidden cell is determined exactly when its unit vector lies in the row
    space of A. Hidden cells no equation links are solved apart (smaller matrices).
    """
    hidden = set(hidden)
    lines = [
        [(1.0 if term == eq.total else -1.0, term) for term in eq.terms if term in hidden]
        for eq in equations
    ]
    recoverable: list[Cell] = []
    for group in _linked_groups([line for line in lines if line]):
        unknowns = sorted({cell for line in group for _sign, cell in line}, key=order.__getitem__)
        column = {cell: i for i, cell in enumerate(unknowns)}
        matrix = np.zeros((len(group), len(unknowns)))
        for i, line in enumerate(group):
            for sign, cell in line:
                matrix[i, column[cell]] += sign
        _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
        row_space = vt[: int((singular > _RANK_TOLERANCE).sum())]
        # The squared length of each unit vector's projection onto the row space.
        projected = (row_space**2).sum(axis=0)
        recoverable += [cell for cell, p in zip(unknowns, projected, strict=True) if p > 1 - 1e-6]
    return sorted(recoverable, key=order.__getitem__)


def _linked_groups(
    lines: list[list[tuple[float, Cell]]],
) -> list[list[list[tuple[float, Cell]]]]:
    """The lines split into groups that share no hidden cell with one another."""
    parent: dict[Cell, Cell] = {}

    def root(cell: Cell) -> Cell:
        while parent.setdefault(cell, cell) != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for line in lines:
        first = root(line[0][1])
        for _sign, cell in line[1:]:
            parent[root(cell)] = first
    groups: dict[Cell, list[list[tuple[float, Cell]]]] = {}
    for line in lines:
        groups.setdefault(root(line[0][1]), []).append(line)
    return list(groups.values())


def published_range(shown: Shown) -> tuple[int, int]:
    """The true counts a published value can stand for (for "*", 1 up to unbounded)."""
    if shown == SUPPRESSED:
        return 1, _UNBOUNDED
    value = int(shown)
    if value == 0:
        return 0, 0
    # Rounded to the nearest 5, and never below the smallest count shown.
    return max(value - ROUNDING_BASE // 2, SMALLEST_SHOWN), value + ROUNDING_BASE // 2


def narrowed_cells(
    counts: Mapping[Cell, int],
    equations: Sequence[Equation],
    hidden: Iterable[Cell],
    order: Mapping[Cell, int],
) -> list[Cell]:
    """The hidden cells that subtracting published ranges narrows to fewer than 7 values.

    Each equation bounds each of its terms by the others' ranges (a part is at most the
    total's highest less the others' lowest); repeated until nothing tightens.
    """
    hidden = set(hidden)
    bounds = {
        cell: published_range(show_count(count, hidden=cell in hidden))
        for cell, count in counts.items()
    }
    bounds = tighten(bounds, equations)
    narrow = [cell for cell in hidden if bounds[cell][1] - bounds[cell][0] < SMALLEST_SHOWN - 2]
    return sorted(narrow, key=order.__getitem__)


def tighten(
    bounds: Mapping[Cell, tuple[int, int]], equations: Sequence[Equation], *, sweeps: int = 50
) -> dict[Cell, tuple[int, int]]:
    """Bounds on every cell after repeatedly applying each equation to the others' bounds."""
    low = {cell: lo for cell, (lo, _) in bounds.items()}
    high = {cell: hi for cell, (_, hi) in bounds.items()}
    for _ in range(sweeps):
        changed = False
        for equation in equations:
            parts_low = sum(low[part] for part in equation.parts)
            parts_high = sum(high[part] for part in equation.parts)
            total = equation.total
            new_total = (max(low[total], parts_low), min(high[total], parts_high))
            if new_total != (low[total], high[total]):
                low[total], high[total] = new_total
                changed = True
            for part in equation.parts:
                new_low = max(low[part], low[total] - (parts_high - high[part]))
                new_high = min(high[part], high[total] - (parts_low - low[part]))
                if (new_low, new_high) != (low[part], high[part]):
                    parts_low += new_low - low[part]
                    parts_high += new_high - high[part]
                    low[part], high[part] = new_low, new_high
                    changed = True
        if not changed:
            break
    return {cell: (low[cell], high[cell]) for cell in bounds}


def _check_adds_up(counts: Mapping[Cell, int], equations: Sequence[Equation]) -> None:
    for equation in equations:
        parts = sum(counts[part] for part in equation.parts)
        if counts[equation.total] != parts:
            raise ValueError(f"{equation.total!r} is {counts[equation.total]}, its parts {parts}")


def _hide_lone_cells(
    counts: Mapping[Cell, int],
    equations: Sequence[Equation],
    hidden: set[Cell],
    order: Mapping[Cell, int],
) -> None:
    changed = True
    while changed:
        changed = False
        for equation in equations:
            if sum(term in hidden for term in equation.terms) == 1:
                hidden.add(_smallest_shown(equation.terms, counts, hidden, order))
                changed = True


def _smallest_shown(
    terms: Iterable[Cell], counts: Mapping[Cell, int], hidden: set[Cell], order: Mapping[Cell, int]
) -> Cell:
    shown = [term for term in terms if term not in hidden and counts[term] > 0]
    if not shown:
        # Counts that add up never leave a non-zero hidden cell among zeros.
        raise AssertionError("no published non-zero term to hide")
    return min(shown, key=lambda term: (counts[term], order[term]))


def _next_to_hide(
    cell: Cell,
    counts: Mapping[Cell, int],
    equations: Sequence[Equation],
    hidden: set[Cell],
    order: Mapping[Cell, int],
) -> Cell:
    """The smallest published non-zero term in a line through `cell` (or, if its lines
    are all hidden or zero, in any line through a hidden cell)."""
    for lines in (
        [eq for eq in equations if cell in eq.terms],
        [eq for eq in equations if any(term in hidden for term in eq.terms)],
    ):
        candidates = [
            term for eq in lines for term in eq.terms if term not in hidden and counts[term] > 0
        ]
        if candidates:
            return _smallest_shown(candidates, counts, hidden, order)
    raise AssertionError(f"{cell!r} is recoverable but nothing is left to hide")


def grid_equations(body: Sequence[Sequence[Cell]], total_row: Sequence[Cell]) -> list[Equation]:
    """The equations of one table: each row of `body`, and `total_row`, ends with its total
    cell, and `total_row` holds each column's total. Tables that break the same children
    down differently pass the same `total_row`, which links their equations."""
    rows = [*body, total_row]
    across = [Equation(row[-1], tuple(row[:-1])) for row in rows]
    down = [
        Equation(total, tuple(row[column] for row in body))
        for column, total in enumerate(total_row)
    ]
    return across + down
