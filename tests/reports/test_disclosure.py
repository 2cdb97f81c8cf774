"""Disclosure control: the primary rule, percentages, secondary suppression, and an
attacker who tries every subtraction and recovers nothing."""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sapling.reports.disclosure import (
    SUPPRESSED,
    Equation,
    Shown,
    grid_equations,
    publish,
    round_to_five,
    show_count,
    show_percentage,
)

Cell = Hashable


# --- The attacker -------------------------------------------------------------------------
# Written apart from the module it attacks: it enumerates subtractions of equations rather
# than using linear algebra, and bounds cells by true ranges of the rounded values.


def recovered_by_subtraction(
    published: Mapping[Cell, Shown], equations: Sequence[Equation], *, depth: int = 3
) -> set[Cell]:
    """Hidden cells that adding or subtracting up to `depth` equations leaves alone, once
    the published values (taken as exact) are moved to the other side."""
    hidden = {cell for cell, shown in published.items() if shown == SUPPRESSED}
    lines = []
    for equation in equations:
        line: dict[Cell, int] = {}
        for sign, terms in ((1, (equation.total,)), (-1, equation.parts)):
            for term in terms:
                if term in hidden:
                    line[term] = line.get(term, 0) + sign
        if line:
            lines.append(line)
    unique = [dict(items) for items in {tuple(sorted(line.items(), key=repr)) for line in lines}]
    recovered: set[Cell] = set()
    for size in range(1, depth + 1):
        for combination in itertools.combinations(unique, size):
            for signs in itertools.product((1, -1), repeat=size - 1):
                total: dict[Cell, int] = {}
                for sign, line in zip((1, *signs), combination, strict=True):
                    for cell, coefficient in line.items():
                        total[cell] = total.get(cell, 0) + sign * coefficient
                left = [cell for cell, coefficient in total.items() if coefficient]
                if len(left) == 1:
                    recovered.add(left[0])
    return recovered


def true_ranges(
    published: Mapping[Cell, Shown], equations: Sequence[Equation]
) -> dict[Cell, tuple[int, int]]:
    """What a reader can say of each hidden cell: published 10 is 8 to 12, 0 is 0, "*" is
    at least 1; each equation then bounds each term by the others, until nothing changes."""
    low: dict[Cell, int] = {}
    high: dict[Cell, int] = {}
    for cell, shown in published.items():
        if shown == SUPPRESSED:
            low[cell], high[cell] = 1, 10**9
        elif shown == 0:
            low[cell], high[cell] = 0, 0
        else:
            low[cell], high[cell] = max(int(shown) - 2, 8), int(shown) + 2
    for _ in range(500):
        before = (dict(low), dict(high))
        for equation in equations:
            others_of = {part: [p for p in equation.parts if p != part] for part in equation.parts}
            low[equation.total] = max(low[equation.total], sum(low[p] for p in equation.parts))
            high[equation.total] = min(high[equation.total], sum(high[p] for p in equation.parts))
            for part, others in others_of.items():
                low[part] = max(low[part], low[equation.total] - sum(high[p] for p in others))
                high[part] = min(high[part], high[equation.total] - sum(low[p] for p in others))
        if (low, high) == before:
            break
    hidden = [cell for cell, shown in published.items() if shown == SUPPRESSED]
    return {cell: (low[cell], high[cell]) for cell in hidden}


def disclosed(published: Mapping[Cell, Shown], equations: Sequence[Equation]) -> set[Cell]:
    """Hidden cells pinned to one value, or narrowed to fewer values than 1 to 7."""
    narrowed = {cell for cell, (lo, hi) in true_ranges(published, equations).items() if hi - lo < 6}
    return recovered_by_subtraction(published, equations) | narrowed


# --- Hand-made tables ---------------------------------------------------------------------


def grid(
    name: str, values: Sequence[Sequence[int]], *, totals: str = ""
) -> tuple[dict[Cell, int], list[Equation]]:
    """A table from its body; totals are added as the last column and the last row.
    Tables given the same `totals` share their total row (other breakdowns of it)."""
    with_totals = [[*row, sum(row)] for row in values]
    column_totals = [sum(column) for column in zip(*with_totals, strict=True)]
    counts: dict[Cell, int] = {}
    body = []
    for r, row in enumerate(with_totals):
        keys = [(name, r, c) for c in range(len(row))]
        counts.update(zip(keys, row, strict=True))
        body.append(keys)
    total_row = [("total", totals or name, c) for c in range(len(column_totals))]
    counts.update(zip(total_row, column_totals, strict=True))
    return counts, grid_equations(body, total_row)


def primary_only(counts: Mapping[Cell, int]) -> dict[Cell, Shown]:
    return {cell: show_count(count) for cell, count in counts.items()}


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, 0), (1, "*"), (7, "*"), (8, 10), (12, 10), (13, 15), (1234, 1235), (1232, 1230)],
)
def test_the_primary_rule_hides_1_to_7_shows_zero_and_rounds_the_rest_to_5(
    count: int, shown: Shown
) -> None:
    assert show_count(count) == shown


def test_rounding_goes_half_up_to_the_nearest_5() -> None:
    assert [round_to_five(n) for n in (10, 11, 12, 13, 14, 15, 17, 18)] == [
        10,
        10,
        10,
        15,
        15,
        15,
        15,
        20,
    ]


def test_a_percentage_is_hidden_where_either_count_is_hidden() -> None:
    assert show_percentage("*", 40) == SUPPRESSED
    assert show_percentage(30, "*") == SUPPRESSED


def test_a_percentage_comes_from_the_published_counts() -> None:
    # 9 of 20 is 45%; published as 10 of 20, the page says 50%, as a reader would work out.
    assert show_percentage(show_count(9), show_count(20)) == Decimal("50")
    assert show_percentage(15, 40) == Decimal("38")  # 37.5 rounds half up


def test_a_percentage_of_nobody_is_no_figure_and_of_zero_is_zero() -> None:
    assert show_percentage(0, 0) is None
    assert show_percentage(0, 20) == Decimal("0")


def test_a_small_count_in_a_row_hides_the_next_smallest_in_that_row() -> None:
    # Row 0: 3 + 20 + 30 = 53. Hiding only the 3 would leave 53 - 20 - 30 = 3.
    counts, equations = grid("t", [[3, 20, 30], [40, 50, 60]])
    published = publish(counts, equations)
    assert published[("t", 0, 0)] == SUPPRESSED
    assert published[("t", 0, 1)] == SUPPRESSED  # 20, the smallest other in the row
    assert published[("t", 0, 2)] == 30
    assert not disclosed(published, equations)


def test_a_small_count_in_a_column_hides_the_next_smallest_in_that_column() -> None:
    counts, equations = grid("t", [[5, 40], [20, 60], [30, 70]])
    published = publish(counts, equations)
    column_zero = [published[("t", r, 0)] for r in range(3)]
    assert column_zero == [SUPPRESSED, SUPPRESSED, 30]
    assert not disclosed(published, equations)


def test_a_zero_is_shown_and_never_hidden_to_protect_another_cell() -> None:
    counts, equations = grid("t", [[0, 4, 30], [0, 20, 40]])
    published = publish(counts, equations)
    assert published[("t", 0, 0)] == 0
    assert published[("t", 1, 0)] == 0
    assert not disclosed(published, equations)


def test_two_tables_sharing_a_total_are_protected_together() -> None:
    # The same 60 children by locality and by cluster. The cluster table has no small
    # count, but its column totals are the locality table's too.
    by_locality, locality_equations = grid("locality", [[3, 20], [17, 20]], totals="all")
    by_cluster, cluster_equations = grid("cluster", [[10, 20], [10, 20]], totals="all")
    counts = {**by_locality, **by_cluster}
    equations = locality_equations + cluster_equations
    published = publish(counts, equations)
    assert published[("locality", 0, 0)] == SUPPRESSED
    # The shared column total must not give the 3 back: 20 = 3 + 17 and 20 = 10 + 10.
    assert not disclosed(published, equations)
    shown_alone = publish(by_locality, locality_equations)
    hidden_alone = {cell for cell, shown in shown_alone.items() if shown == SUPPRESSED}
    hidden_together = {cell for cell, shown in published.items() if shown == SUPPRESSED}
    assert hidden_alone <= hidden_together


def test_rounded_ranges_do_not_narrow_two_small_cells_below_1_to_7() -> None:
    # 2 + 2 + 8 = 12: shown *, *, 10, 10 would tell a reader the two hidden cells add up
    # to at most 4, so each is 1 to 3. More is hidden until that no longer holds.
    counts, equations = grid("t", [[2, 2, 8], [30, 40, 50]])
    published = publish(counts, equations)
    assert not disclosed(published, equations)


def test_the_attacker_recovers_a_cell_that_only_primary_suppression_hid() -> None:
    counts, equations = grid("t", [[3, 20, 30], [40, 50, 60]])
    assert ("t", 0, 0) in disclosed(primary_only(counts), equations)


def test_tables_protected_one_at_a_time_give_each_other_away_but_not_together() -> None:
    # The same 28 children by locality (a) and by GP cluster (b), sharing column totals.
    by_locality, locality_equations = grid("a", [[3, 20], [5, 0]], totals="all")
    by_cluster, cluster_equations = grid("b", [[6, 17], [2, 3]], totals="all")
    shared = [("total", "all", c) for c in range(3)]
    equations = locality_equations + cluster_equations
    one_at_a_time = {
        **publish(by_cluster, cluster_equations),
        **publish(by_locality, locality_equations),
    }
    # A total one table hides and the other shows is published.
    for cell in shared:
        if publish(by_cluster, cluster_equations)[cell] != SUPPRESSED:
            one_at_a_time[cell] = publish(by_cluster, cluster_equations)[cell]
    assert disclosed(one_at_a_time, equations)
    assert not disclosed(publish({**by_locality, **by_cluster}, equations), equations)


def test_counts_that_do_not_add_up_are_refused() -> None:
    with pytest.raises(ValueError, match="parts"):
        publish({"a": 1, "b": 2, "t": 4}, [Equation("t", ("a", "b"))])


# --- Random tables ------------------------------------------------------------------------


@st.composite
def two_breakdowns(draw: st.DrawFn) -> tuple[dict[Cell, int], list[Equation]]:
    """Children each in one column and one row of two breakdowns (say locality and GP
    cluster), counted into two tables that share their column totals."""
    columns = draw(st.integers(2, 4))
    rows_a = draw(st.integers(1, 4))
    rows_b = draw(st.integers(1, 4))
    groups = draw(
        st.lists(
            st.tuples(
                st.integers(0, rows_a - 1),
                st.integers(0, rows_b - 1),
                st.integers(0, columns - 1),
                st.sampled_from([0, 1, 1, 2, 3, 5, 7, 8, 12, 20, 40]),
            ),
            min_size=1,
            max_size=14,
        )
    )
    tables = []
    for name, rows, pick in (("a", rows_a, 0), ("b", rows_b, 1)):
        values = [[0] * columns for _ in range(rows)]
        for group in groups:
            values[group[pick]][group[2]] += group[3]
        tables.append(grid(name, values, totals="all"))
    counts: dict[Cell, int] = {}
    equations: list[Equation] = []
    for table_counts, table_equations in tables:
        counts.update(table_counts)
        equations += table_equations
    return counts, equations


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_breakdowns())
def test_no_subtraction_recovers_a_hidden_cell_of_random_tables(
    tables: tuple[dict[Cell, int], list[Equation]],
) -> None:
    counts, equations = tables
    published = publish(counts, equations)
    assert not disclosed(published, equations)
    for cell, count in counts.items():
        if 0 < count < 8:
            assert published[cell] == SUPPRESSED
        if count == 0:
            assert published[cell] == 0
