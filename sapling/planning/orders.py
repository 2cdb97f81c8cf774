"""Service orders: which waiting child a free slot goes to.

Every order here ranks the cells of one tier's list (priority x weeks-waited band) by a key
that depends only on the cell, so it is a fixed permutation worked out once per scenario.
The weekly update then serves cells in that sequence with a single cumulative sum. Within a
priority every order serves the longest wait first, which is what makes "more capacity never
lengthens a class's wait" hold for all of them.
"""

from __future__ import annotations

import numpy as np

ORDERS = ("priority", "need", "breach", "ringfence")


def priority_order(priorities: int, bands: int) -> np.ndarray:
    """Strict priority, then the longest wait: most urgent class first, oldest band first."""
    p, b = np.divmod(np.arange(priorities * bands), bands)
    return np.lexsort((-b, p))


def need_order(need_weights: np.ndarray, bands: int) -> np.ndarray:
    """Need-adjusted: the highest need weight x weeks waited first.

    A weight of 3 for urgent children means an urgent child who has waited 2 weeks goes
    ahead of a routine child (weight 1) who has waited 5.
    """
    weights = np.asarray(need_weights, dtype=float)
    p, b = np.divmod(np.arange(weights.size * bands), bands)
    score = weights[p] * (b + 1)
    return np.lexsort((-b, p, -score))


def breach_order(target_weeks: np.ndarray, bands: int) -> np.ndarray:
    """Earliest breach date first: the least time left before the class's target wait."""
    targets = np.asarray(target_weeks, dtype=float)
    p, b = np.divmod(np.arange(targets.size * bands), bands)
    slack = targets[p] - b
    return np.lexsort((-b, p, slack))


def service_order(
    order: str,
    priorities: int,
    bands: int,
    need_weights: np.ndarray | None = None,
    target_weeks: np.ndarray | None = None,
) -> np.ndarray:
    """The permutation of a tier's flattened (priority, band) cells in service sequence.

    The ring-fenced order serves each class's share oldest first, then hands what is left
    over in strict priority order, so its permutation is the strict one.
    """
    if order in ("priority", "ringfence"):
        return priority_order(priorities, bands)
    if order == "need":
        weights = np.ones(priorities) if need_weights is None else need_weights
        return need_order(weights, bands)
    if order == "breach":
        if target_weeks is None:
            raise ValueError("the breach order needs a target wait for each priority")
        return breach_order(target_weeks, bands)
    raise ValueError(f"unknown service order {order!r}; choose one of {', '.join(ORDERS)}")
