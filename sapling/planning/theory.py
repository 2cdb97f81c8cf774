"""Steady-state helpers for sizing a waiting list, in weeks.

The first six functions reproduce the NHS-R community's NHSRwaitinglist package (its
``calc_*`` functions), which wraps the rules in Fong et al., "Understanding Waiting List
Pressures" (medRxiv 2022, doi 10.1101/2022.08.23.22279117). Analysts in the NHS know them by
these names, so the names and defaults follow the package. Every rate is per week and every
wait is in weeks; demand and capacity are children per week.

The queueing results (Erlang C, Cobham's priority classes) describe a service in steady
state. They say nothing about how long an existing backlog takes to clear: use
``relief_capacity`` or the projection engine for that.
"""

from __future__ import annotations

import math

import numpy as np


def queue_load(demand: float, capacity: float) -> float:
    """Demand over capacity: at 1 or more the list grows without bound."""
    return demand / capacity


def target_mean_wait(target_wait: float, factor: float = 4) -> float:
    """The mean wait (weeks) that meets a target wait (weeks) for all but e^-factor of children.

    Waits in a busy queue are close to exponential, so P(wait > T) = exp(-T / mean): a mean
    of T/4 leaves 1.8% of children past the target.
    """
    return target_wait / factor


def target_queue_size(demand: float, target_wait: float, factor: float = 4) -> float:
    """The list size (children) that meets the target, by Little's law L = demand x mean wait."""
    return demand * target_mean_wait(target_wait, factor)


def relief_capacity(
    demand: float,
    queue_size: float,
    target_queue_size: float,
    time_to_target: float = 26,
    num_referrals: int = 0,
    cv_demand: float = 0,
) -> float:
    """Capacity (children per week) that shrinks the list to its target in time_to_target weeks.

    As in NHSRwaitinglist, when num_referrals and cv_demand are given the demand is first
    inflated by two standard errors, so that the plan survives a busy spell.
    """
    if num_referrals > 0 and cv_demand > 0:
        margin = 2 * demand * cv_demand / math.sqrt(num_referrals)
        if margin < 1:
            demand = demand / (1 - margin)
    return demand + (queue_size - target_queue_size) / time_to_target


def target_capacity(
    demand: float,
    target_wait: float,
    factor: float = 4,
    cv_demand: float = 1,
    cv_capacity: float = 1,
) -> float:
    """Capacity (children per week) that keeps the mean wait at target_wait / factor.

    Kingman's heavy-traffic approximation E[Wq] ~ ((ca^2 + cs^2) / 2) / (mu - lambda), solved
    for mu. The /2 is Kingman's; NHSRwaitinglist's code has it too (its help text omits it,
    see its issues #134 and #135).
    """
    variability = (cv_demand**2 + cv_capacity**2) / 2
    return demand + variability * factor / target_wait


def waiting_list_pressure(mean_wait: float, target_wait: float) -> float:
    """2 x mean wait / target wait: above 1 the target is likely to be missed."""
    return 2 * mean_wait / target_wait


def factor_for_percentile(q: float) -> float:
    """The factor for a target met by share q of children: -ln(1 - q).

    92% within the target gives 2.53; 95% gives 3.0; the default factor 4 is 98.2%.
    """
    if not 0 < q < 1:
        raise ValueError(f"share must lie strictly between 0 and 1, got {q}")
    return -math.log1p(-q)


def capacity_for_wait_probability(demand: float, target_wait: float, probability: float) -> float:
    """Capacity mu (per week) at which an M/M/1 wait exceeds target_wait with this probability.

    Solves (demand / mu) x exp(-(mu - demand) x target_wait) = probability exactly by bisection
    (NHSRwaitinglist's Lambert W shortcut is an approximation).
    """
    if not 0 < probability < 1:
        raise ValueError(f"probability must lie strictly between 0 and 1, got {probability}")

    def tail(mu: float) -> float:
        return demand / mu * math.exp(-(mu - demand) * target_wait)

    low, high = demand, demand + 1.0
    while tail(high) > probability:
        high = demand + 2 * (high - demand)
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if tail(mid) > probability else (low, mid)
    return (low + high) / 2


def erlang_c_probability(arrival_rate: float, service_rate: float, servers: int) -> float:
    """The chance an arriving child waits at all in an M/M/c queue (Erlang C)."""
    if arrival_rate <= 0:
        return 0.0
    offered = arrival_rate / service_rate
    if offered >= servers:
        return 1.0
    # Sum in log space: factorials overflow for large teams.
    log_terms = [k * math.log(offered) - math.lgamma(k + 1) for k in range(servers)]
    log_last = servers * math.log(offered) - math.lgamma(servers + 1)
    log_last += math.log(servers / (servers - offered))
    peak = max([*log_terms, log_last])
    below = sum(math.exp(t - peak) for t in log_terms)
    top = math.exp(log_last - peak)
    return top / (below + top)


def erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean wait before service (weeks) in an M/M/c queue; infinite when the load reaches 1."""
    if arrival_rate >= servers * service_rate:
        return math.inf
    waits = erlang_c_probability(arrival_rate, service_rate, servers)
    return waits / (servers * service_rate - arrival_rate)


def priority_class_waits(
    arrival_rates: list[float] | np.ndarray, service_rate: float, servers: int = 1
) -> np.ndarray:
    """Mean wait (weeks) per class, most urgent first, under non-preemptive priority.

    Cobham (1954) for M/M/c with one service rate: W_k = P(wait) / (c mu (1 - s_{k-1})(1 - s_k))
    where s_k is the load of classes 1..k. A class whose cumulative load reaches 1 waits
    without bound (inf), even when more urgent classes are fine.
    """
    rates = np.asarray(arrival_rates, dtype=float)
    capacity = servers * service_rate
    loads = np.concatenate([[0.0], np.cumsum(rates) / capacity])
    waits_at_all = erlang_c_probability(min(rates.sum(), capacity), service_rate, servers)
    below, upto = 1 - loads[:-1], 1 - loads[1:]
    with np.errstate(divide="ignore"):
        waits = waits_at_all / (capacity * below * upto)
    return np.where(upto > 0, waits, np.inf)


def unstable_classes(loads: list[float] | np.ndarray) -> np.ndarray:
    """Which classes (most urgent first) have cumulative load of 1 or more: waits without bound."""
    return np.cumsum(np.asarray(loads, dtype=float)) >= 1
