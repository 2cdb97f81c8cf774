"""The planning engine's first calibration, from the team's own waiting list.

Everything is measured over the last 52 weeks (the 364 days up to and including today):

- arrivals: entries whose clock started in the window, per tier and priority, / 52;
- capacity delivered: clock stops in the window (first group session or first specialist
  contact), per tier, / 52: children started a week, what the engine's capacity means;
- beside it, for the lead to compare (``Delivered``): group places delivered (first
  session attended) by programme tier, group attendances, attended specialist contacts and
  contacts per discharged episode, from sapling.groups and sapling.care;
- withdrawals: entries ended in the window (any end reason: withdrawn, no longer needed,
  moved away, not brought, validation) / 52, divided by the class's average list size over
  the window. That is a weekly hazard, the chance a waiting child leaves unseen in a week,
  which is what the engine's ``withdrawal`` means;
- the current list: open entries by completed weeks waited, the engine's starting list;
- seasonality: clock starts (referrals) and clock stops (capacity) by week of the year over
  up to three whole years, each year measured against its own weekly average so that a
  growing or shrinking service is not mistaken for a season;
- conversions (``Conversions``): what half a clinician or one more group a term means in
  children started a week, from the team's contacts per episode, contact lengths, clinical
  hours and children per group run.

The database does the counting (a few GROUP BY queries by date); Python folds the dated
counts into rates, as ``sapling.waitlist.figures`` does. The planning package stays free of
Django: this module only hands it a plain dict that ``scenario_from_dict`` reads.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import Any

from django.db.models import Count, Min, Sum
from django.db.models.functions import Coalesce

from sapling.accounts.models import Membership, Team
from sapling.care.models import Appointment, ContactOutcome, Episode
from sapling.core.roles import CLINICAL
from sapling.groups.models import Attendance, Mark
from sapling.planning.capacity import clinician_capacity, group_capacity
from sapling.planning.engine import SCHOOL_HOLIDAY_WEEKS, WEEKS_PER_YEAR
from sapling.reports.metrics import completed_weeks
from sapling.triage.models import LiveOrder, TriageDecision
from sapling.triage.settings_store import live_order_for
from sapling.waitlist.models import WaitlistEntry

WINDOW_WEEKS = 52
TIERS = ("targeted", "specialist")  # the tiers that have a waiting list
PRIORITIES = ("urgent", "soon", "routine")  # most urgent first, as the engine expects
# Below this many events a rate rests on too little data to plan with unchallenged.
THIN = 30
# The engine refuses a share of 1 (its factor, -ln(1-q), is infinite); Wales's "everyone
# within the target" is carried as this.
MAX_SHARE = 0.999
ENGINE_ORDER: dict[str, str] = {LiveOrder.PLAIN: "priority", LiveOrder.NEED_ADJUSTED: "need"}
# Seasonality is measured over at most this many whole years, and needs this many events.
SEASON_YEARS = 3
SEASON_MIN_EVENTS = 2 * WEEKS_PER_YEAR
# Planned leave is not recorded in Sapling: annual leave, bank holidays and sickness are
# taken as this share of clinical time (clinician_capacity's default; docs/planning.md).
LEAVE_SHARE = 0.12
# Travel, notes and preparation around a contact, added to its booked length.
CONTACT_OVERHEAD_HOURS = 0.5
HOURS_PER_WTE = 37.5
TERM_WEEKS = 13
# Used where the team has no figures of its own yet (clinician_capacity's defaults, and a
# group of 12 places filled at 85%).
DEFAULT_CONTACTS_PER_EPISODE = 6.0
DEFAULT_HOURS_PER_CONTACT = 1.5
DEFAULT_CLINICAL_SHARE = 0.7
DEFAULT_CHILDREN_PER_RUN = 10.0

Class = tuple[str, str]  # (tier, priority)
Dated = dict[Class, list[tuple[dt.date, int]]]


@dataclass(frozen=True)
class ClassFigures:
    """One tier and priority: the counts over the window and the rates made from them."""

    tier: str
    priority: str
    arrivals: int  # clocks started in the window
    stopped: int  # clocks stopped (first contact) in the window
    ended: int  # taken off unseen in the window, any end reason
    average_list: float  # children waiting, averaged over the window's 52 week-ends
    waiting_now: int
    arrival_rate: float  # children a week
    withdrawal_rate: float  # weekly chance a waiting child leaves unseen


@dataclass(frozen=True)
class Delivered:
    """Group places and specialist contacts delivered in the window, counts and rates.

    - a group place is delivered when its holder first attends a session of the run (one
      place per enrolment, however many sessions follow), by the programme's tier;
    - group attendances are every session attended (person-sessions);
    - specialist contacts are appointments with the outcome "attended";
    - contacts per episode are the attended contacts of the episodes discharged in the
      window, divided by their number (the engine's "contacts per episode").
    """

    group_places: dict[str, int] = field(default_factory=dict)  # by programme tier
    child_places: int = 0  # of those, places held by a child (from the waiting list)
    group_attendances: int = 0
    specialist_contacts: int = 0
    discharged_episodes: int = 0
    discharged_contacts: int = 0

    def places_a_week(self, tier: str) -> float:
        return self.group_places.get(tier, 0) / WINDOW_WEEKS

    @property
    def attendances_a_week(self) -> float:
        return self.group_attendances / WINDOW_WEEKS

    @property
    def contacts_a_week(self) -> float:
        return self.specialist_contacts / WINDOW_WEEKS

    @property
    def contacts_per_episode(self) -> float | None:
        if not self.discharged_episodes:
            return None
        return self.discharged_contacts / self.discharged_episodes


@dataclass(frozen=True)
class Conversions:
    """What a what-if's staff and groups mean in the engine's unit, children started a week.

    ``measured`` names the figures that came from the team's own records; the others are
    the documented defaults above.
    """

    contacts_per_episode: float = DEFAULT_CONTACTS_PER_EPISODE
    hours_per_contact: float = DEFAULT_HOURS_PER_CONTACT  # booked length plus overhead
    clinical_share: float = DEFAULT_CLINICAL_SHARE
    leave_share: float = LEAVE_SHARE
    children_per_run: float = DEFAULT_CHILDREN_PER_RUN  # from the waiting list, targeted runs
    measured: frozenset[str] = frozenset()

    @property
    def children_per_wte(self) -> float:
        """Specialist children started a week by one more whole-time clinician."""
        return clinician_capacity(
            1.0,
            hours_per_wte=HOURS_PER_WTE,
            clinical_share=self.clinical_share,
            leave_share=self.leave_share,
            contacts_per_episode=self.contacts_per_episode,
            hours_per_contact=self.hours_per_contact,
        )

    @property
    def children_per_run_a_term(self) -> float:
        """Targeted children started a week by one more group run each term."""
        return group_capacity(1, self.children_per_run, fill=1.0, term_weeks=TERM_WEEKS)


@dataclass(frozen=True)
class Seasonality:
    """Weekly multipliers by week of the year (week 0 starts 1 January), mean 1."""

    arrivals: tuple[float, ...] | None  # None: too little history to say
    capacity: tuple[float, ...] | None
    years: int  # whole years measured

    @staticmethod
    def holiday_ratio(profile: tuple[float, ...] | None) -> float | None:
        """School-holiday weeks against the others, for a sentence on the page."""
        if profile is None:
            return None
        holidays = set(SCHOOL_HOLIDAY_WEEKS)
        inside = [v for week, v in enumerate(profile) if week in holidays]
        outside = [v for week, v in enumerate(profile) if week not in holidays]
        return (sum(inside) / len(inside)) / (sum(outside) / len(outside))


@dataclass(frozen=True)
class Calibration:
    """What the team's data says, with the counts behind each rate, for the lead to check."""

    team: str
    today: dt.date
    window_start: dt.date  # first day counted
    classes: dict[Class, ClassFigures]
    capacity: dict[str, float]  # per tier, first contacts a week
    stops: dict[str, dict[str, int]]  # per tier, clock stops in the window by stop reason
    current_list: dict[Class, dict[int, int]]  # {completed weeks waited: children}
    target_weeks: int
    target_share: float
    live_order: str  # as the team has it: "plain" or "need_adjusted"
    order: str  # the engine's name for it
    clinicians: int  # active members in clinical roles
    wte: float
    clinical_hours: float  # a week, as recorded on memberships
    capacity_from_wte: float  # clinician_capacity(wte) with its defaults, for comparison
    triage_outcomes: dict[str, int]  # referrals decided in the window, by outcome
    warnings: tuple[str, ...] = field(default=())
    # Delivered in groups and specialist care over the window, for the lead to compare with
    # the first contacts the engine's capacity is measured from.
    delivered: Delivered = field(default_factory=lambda: Delivered())
    conversions: Conversions = field(default_factory=Conversions)
    seasonality: Seasonality = field(default_factory=lambda: Seasonality(None, None, 0))
    tiers: tuple[str, ...] = TIERS
    priorities: tuple[str, ...] = PRIORITIES

    def list_size(self) -> int:
        return sum(sum(bands.values()) for bands in self.current_list.values())

    def to_scenario_dict(self, weeks: int = 104, max_weeks: int = 104) -> dict[str, Any]:
        """A baseline scenario as ``scenario_from_dict`` reads it: today's service, unchanged."""
        data: dict[str, Any] = {
            "name": f"Calibrated baseline: {self.team} on {self.today.isoformat()}",
            "priorities": list(self.priorities),
            "tiers": list(self.tiers),
            "weeks": weeks,
            "max_weeks": max_weeks,
            "start_week_of_year": min((self.today.timetuple().tm_yday - 1) // 7, 51),
            "order": self.order,
            "target": {
                "weeks": float(self.target_weeks),
                "share": min(self.target_share, MAX_SHARE),
            },
            "arrivals": self._grid(lambda c: c.arrival_rate),
            "capacity": {tier: self.capacity[tier] for tier in self.tiers},
            "withdrawal": self._grid(lambda c: c.withdrawal_rate),
            "initial_list": {
                tier: {p: self._dense(tier, p) for p in self.priorities} for tier in self.tiers
            },
        }
        if self.order == "need":
            data["need_weights"] = _priority_first_weights(self.priorities, max_weeks)
        if self.seasonality.arrivals:
            data["seasonality"] = {"profile": list(self.seasonality.arrivals)}
        if self.seasonality.capacity:
            data["capacity_seasonality"] = {"profile": list(self.seasonality.capacity)}
        return data

    def _grid(self, value: Any) -> dict[str, dict[str, float]]:
        return {
            tier: {p: float(value(self.classes[tier, p])) for p in self.priorities}
            for tier in self.tiers
        }

    def _dense(self, tier: str, priority: str) -> list[float]:
        # Counts by week waited; scenario_from_dict folds anything past max_weeks into the
        # top band.
        bands = self.current_list.get((tier, priority), {})
        counts = [0.0] * (max(bands, default=-1) + 1)
        for week, n in bands.items():
            counts[week] = float(n)
        return counts


def _priority_first_weights(priorities: tuple[str, ...], max_weeks: int) -> dict[str, float]:
    """Need weights that make the engine's "need" order serve priority first.

    The team's need-adjusted order is priority, then need score, then longest wait. The
    engine has no need-score dimension, so within a class it can only serve the longest
    wait first; weights steeper than the deepest band keep priority in charge.
    """
    step = float(max_weeks + 2)
    top = len(priorities) - 1
    return {p: step ** (top - i) for i, p in enumerate(priorities)}


# --- the queries ------------------------------------------------------------------------


def calibrate(team: Team, *, today: dt.date) -> Calibration:
    """The team's rates over the 52 weeks up to ``today``, with warnings where data is thin."""
    window_start = today - dt.timedelta(weeks=WINDOW_WEEKS) + dt.timedelta(days=1)
    entries = WaitlistEntry.objects.for_team(team).filter(tier__in=TIERS).order_by()
    starts = _dated(entries.values_list("tier", "priority", "clock_start").annotate(n=Count("pk")))
    exits = _exits(entries)
    current = _current_list(entries, today)
    classes = {
        (tier, p): _class_figures(tier, p, starts, exits, current, window_start, today)
        for tier in TIERS
        for p in PRIORITIES
    }
    stops = _stops(entries, window_start, today)
    staff = _staff(team)
    live = live_order_for(team)
    delivered, children_per_run = _delivered(team, window_start, today)
    calibration = Calibration(
        team=team.name,
        today=today,
        window_start=window_start,
        classes=classes,
        capacity={tier: sum(stops[tier].values()) / WINDOW_WEEKS for tier in TIERS},
        stops=stops,
        current_list=current,
        target_weeks=int(team.target_weeks),
        target_share=float(team.target_share),
        live_order=str(live),
        order=ENGINE_ORDER.get(live, "priority"),
        clinicians=staff["n"] or 0,
        wte=float(staff["wte"] or 0),
        clinical_hours=float(staff["hours"] or 0),
        capacity_from_wte=clinician_capacity(float(staff["wte"] or 0)),
        triage_outcomes=_triage_outcomes(team, window_start, today),
        delivered=delivered,
        conversions=_conversions(team, staff, delivered, children_per_run, window_start, today),
        seasonality=_seasonality(starts, exits["stopped"], today),
    )
    first = min((rows[0][0] for rows in starts.values() if rows), default=None)
    return _with_warnings(calibration, first)


def _dated(rows: Any) -> Dated:
    """{(tier, priority): [(date, n), ...] sorted by date} from (tier, priority, date, n) rows."""
    found: Dated = defaultdict(list)
    for tier, priority, day, n in rows:
        if day is not None:
            found[tier, priority].append((day, n))
    for dated in found.values():
        dated.sort()
    return found


def _exits(entries: Any) -> dict[str, Dated]:
    """Clock stops and endings by date: one query. An entry leaves the list once, either way."""
    rows = (
        entries.exclude(clock_stopped_on__isnull=True, ended_on__isnull=True)
        .annotate(left_on=Coalesce("clock_stopped_on", "ended_on"))
        .values_list("tier", "priority", "left_on", "ended_on")
        .annotate(n=Count("pk"))
    )
    stopped: list[tuple[str, str, dt.date, int]] = []
    ended: list[tuple[str, str, dt.date, int]] = []
    for tier, priority, left_on, ended_on, n in rows:
        (stopped if ended_on is None else ended).append((tier, priority, left_on, n))
    return {"stopped": _dated(stopped), "ended": _dated(ended)}


def _current_list(entries: Any, today: dt.date) -> dict[Class, dict[int, int]]:
    """Open entries by completed weeks waited: grouped by clock start, folded here."""
    rows = entries.open().values_list("tier", "priority", "clock_start").annotate(n=Count("pk"))
    found: dict[Class, dict[int, int]] = defaultdict(dict)
    for tier, priority, start, n in rows:
        week = completed_weeks((today - start).days)
        found[tier, priority][week] = found[tier, priority].get(week, 0) + n
    return {key: dict(sorted(bands.items())) for key, bands in found.items()}


def _stops(entries: Any, window_start: dt.date, today: dt.date) -> dict[str, dict[str, int]]:
    rows = (
        entries.filter(clock_stopped_on__range=(window_start, today))
        .values_list("tier", "stop_reason")
        .annotate(n=Count("pk"))
    )
    found: dict[str, dict[str, int]] = {tier: {} for tier in TIERS}
    for tier, reason, n in rows:
        found[tier][reason or "unrecorded"] = n
    return found


def _staff(team: Team) -> dict[str, Any]:
    # Leads and support workers give clinical time too (a lead's caseload, a support
    # worker's groups), so every clinical role counts.
    members = Membership.objects.filter(team=team, active=True, role__in=CLINICAL)
    return members.aggregate(n=Count("pk"), wte=Sum("wte"), hours=Sum("clinical_hours_per_week"))


def _triage_outcomes(team: Team, window_start: dt.date, today: dt.date) -> dict[str, int]:
    """The tier mix at triage, including those never listed (universal, declined)."""
    rows = (
        TriageDecision.objects.filter(
            referral__team=team, created_at__date__range=(window_start, today)
        )
        .order_by()
        .values_list("outcome")
        .annotate(n=Count("referral", distinct=True))
    )
    return {outcome: n for outcome, n in rows}


def _delivered(team: Team, window_start: dt.date, today: dt.date) -> tuple[Delivered, float | None]:
    """Four queries over groups and specialist care (sapling.groups, sapling.care), and the
    children from the waiting list per targeted run started in the window (None: no run)."""
    window = (window_start, today)
    attended = Attendance.objects.filter(mark=Mark.ATTENDED, session__run__team=team).order_by()
    firsts = (
        attended.values(
            "enrolment_id",
            "enrolment__run_id",
            "enrolment__run__programme__tier",
            "enrolment__child_id",
        )
        .annotate(first=Min("session__starts_at"))
        .filter(first__date__range=window)
    )
    places: dict[str, int] = defaultdict(int)
    children = 0
    targeted_runs: set[int] = set()
    targeted_children = 0
    for row in firsts:
        tier = row["enrolment__run__programme__tier"]
        places[tier] += 1
        is_child = row["enrolment__child_id"] is not None
        children += is_child
        if tier == "targeted":
            targeted_runs.add(row["enrolment__run_id"])
            targeted_children += is_child
    contacts = Appointment.objects.filter(team=team, outcome=ContactOutcome.ATTENDED).order_by()
    discharged = Episode.objects.filter(team=team, discharged_on__range=window).order_by()
    delivered = Delivered(
        group_places=dict(places),
        child_places=children,
        group_attendances=attended.filter(session__starts_at__date__range=window).count(),
        specialist_contacts=contacts.filter(starts_at__date__range=window).count(),
        discharged_episodes=discharged.count(),
        discharged_contacts=contacts.filter(episode__in=discharged).count(),
    )
    per_run = targeted_children / len(targeted_runs) if targeted_runs else None
    return delivered, per_run


def _contact_hours(team: Team, window_start: dt.date, today: dt.date) -> float | None:
    """The average booked length of the contacts attended in the window, in hours.

    Grouped by start and end so the database counts; the lengths are taken in Python,
    which keeps the arithmetic the same on SQLite and PostgreSQL.
    """
    rows = (
        Appointment.objects.filter(
            team=team,
            outcome=ContactOutcome.ATTENDED,
            starts_at__date__range=(window_start, today),
        )
        .order_by()
        .values_list("starts_at", "ends_at")
        .annotate(n=Count("pk"))
    )
    total_hours, contacts = 0.0, 0
    for starts_at, ends_at, n in rows:
        total_hours += (ends_at - starts_at).total_seconds() / 3600 * n
        contacts += n
    return total_hours / contacts if contacts else None


def _conversions(
    team: Team,
    staff: dict[str, Any],
    delivered: Delivered,
    children_per_run: float | None,
    window_start: dt.date,
    today: dt.date,
) -> Conversions:
    measured: dict[str, float] = {}
    if delivered.contacts_per_episode:
        measured["contacts_per_episode"] = delivered.contacts_per_episode
    booked = _contact_hours(team, window_start, today)
    if booked:
        measured["hours_per_contact"] = booked + CONTACT_OVERHEAD_HOURS
    wte, hours = float(staff["wte"] or 0), float(staff["hours"] or 0)
    if wte > 0 and hours > 0:
        measured["clinical_share"] = min(hours / (wte * HOURS_PER_WTE), 1.0)
    if children_per_run:
        measured["children_per_run"] = children_per_run
    return Conversions(**measured, measured=frozenset(measured))


def _seasonality(starts: Dated, stops: Dated, today: dt.date) -> Seasonality:
    years = min(SEASON_YEARS, _whole_years(starts, today))
    return Seasonality(
        arrivals=season_profile(_all_classes(starts), today, years),
        capacity=season_profile(_all_classes(stops), today, years),
        years=years,
    )


def _all_classes(dated: Dated) -> list[tuple[dt.date, int]]:
    return sorted(pair for rows in dated.values() for pair in rows)


def _whole_years(starts: Dated, today: dt.date) -> int:
    first = min((rows[0][0] for rows in starts.values() if rows), default=None)
    return 0 if first is None else (today - first).days // (7 * WEEKS_PER_YEAR)


def week_of_year(day: dt.date) -> int:
    """The engine's week of the year: week 0 starts 1 January; the last days join week 51."""
    return min((day.timetuple().tm_yday - 1) // 7, WEEKS_PER_YEAR - 1)


def season_profile(
    events: list[tuple[dt.date, int]], today: dt.date, years: int
) -> tuple[float, ...] | None:
    """Events a day in each week of the year against the year's own daily average, averaged
    over the years, smoothed (a quarter of each neighbouring week) and scaled to mean 1;
    None if too few. ``events`` are (date, n) pairs."""
    if years < 1:
        return None
    ratios: list[list[float]] = [[] for _ in range(WEEKS_PER_YEAR)]
    used = 0
    for year in range(years):
        end = today - dt.timedelta(weeks=WEEKS_PER_YEAR * year)
        start = end - dt.timedelta(weeks=WEEKS_PER_YEAR) + dt.timedelta(days=1)
        counts, days = [0] * WEEKS_PER_YEAR, [0] * WEEKS_PER_YEAR
        for offset in range(7 * WEEKS_PER_YEAR):
            days[week_of_year(start + dt.timedelta(days=offset))] += 1
        for day, n in events:
            if start <= day <= end:
                counts[week_of_year(day)] += n
        total = sum(counts)
        if not total:
            continue
        used += total
        daily = total / (7 * WEEKS_PER_YEAR)
        for week in range(WEEKS_PER_YEAR):
            ratios[week].append(counts[week] / days[week] / daily)
    if used < SEASON_MIN_EVENTS:
        return None
    means = [sum(r) / len(r) for r in ratios]
    smooth = [
        0.25 * means[w - 1] + 0.5 * means[w] + 0.25 * means[(w + 1) % WEEKS_PER_YEAR]
        for w in range(WEEKS_PER_YEAR)
    ]
    average = sum(smooth) / WEEKS_PER_YEAR
    return tuple(round(v / average, 4) for v in smooth)


# --- folding counts into rates ------------------------------------------------------------


def _in_window(dated: list[tuple[dt.date, int]], start: dt.date, end: dt.date) -> int:
    return sum(n for day, n in dated if start <= day <= end)


def _count_by(dated: list[tuple[dt.date, int]], days: list[dt.date]) -> list[int]:
    """How many of the dated events happened on or before each of ``days``."""
    dates = [day for day, _ in dated]
    running = list(accumulate(n for _, n in dated))
    return [running[i - 1] if (i := bisect_right(dates, day)) else 0 for day in days]


def _average_list(
    starts: list[tuple[dt.date, int]], exits: list[tuple[dt.date, int]], today: dt.date
) -> float:
    """The list size at the end of each of the window's 52 weeks, averaged.

    Waiting on a day means the clock had started and the child had not yet left.
    """
    days = [today - dt.timedelta(weeks=k) for k in range(WINDOW_WEEKS)]
    started, left = _count_by(starts, days), _count_by(exits, days)
    return sum(s - e for s, e in zip(started, left, strict=True)) / WINDOW_WEEKS


def _class_figures(
    tier: str,
    priority: str,
    starts: Dated,
    exits: dict[str, Dated],
    current: dict[Class, dict[int, int]],
    window_start: dt.date,
    today: dt.date,
) -> ClassFigures:
    key = (tier, priority)
    stopped, ended = exits["stopped"].get(key, []), exits["ended"].get(key, [])
    average = _average_list(starts.get(key, []), sorted(stopped + ended), today)
    arrivals = _in_window(starts.get(key, []), window_start, today)
    ended_count = _in_window(ended, window_start, today)
    return ClassFigures(
        tier=tier,
        priority=priority,
        arrivals=arrivals,
        stopped=_in_window(stopped, window_start, today),
        ended=ended_count,
        average_list=average,
        waiting_now=sum(current.get(key, {}).values()),
        arrival_rate=arrivals / WINDOW_WEEKS,
        # Cap at 1: a class that was almost never waiting cannot lose more than everyone.
        withdrawal_rate=min(ended_count / WINDOW_WEEKS / average, 1.0) if average > 0 else 0.0,
    )


def _with_warnings(calibration: Calibration, first_start: dt.date | None) -> Calibration:
    found: list[str] = []
    if first_start is None or first_start > calibration.window_start:
        found.append("The list has less than 52 weeks of history, so every weekly rate is too low.")
    for (tier, priority), figures in calibration.classes.items():
        if figures.arrivals < THIN:
            found.append(
                f"Only {figures.arrivals} {priority} {tier} arrivals in 52 weeks: "
                f"the arrival rate is rough (fewer than {THIN})."
            )
        if figures.ended and figures.average_list == 0:
            found.append(f"{priority.capitalize()} {tier}: endings but no list to divide by.")
    for tier in calibration.tiers:
        seen = sum(calibration.stops[tier].values())
        if seen < THIN:
            found.append(
                f"Only {seen} first contacts in {tier} in 52 weeks: "
                f"capacity delivered is rough (fewer than {THIN})."
            )
    if calibration.seasonality.arrivals is None:
        found.append(
            "Too little history to measure seasonality (a whole year and "
            f"{SEASON_MIN_EVENTS} referrals): the projection has none."
        )
    if calibration.target_share > MAX_SHARE:
        found.append(
            f"The team's target share of {calibration.target_share:g} is planned as "
            f"{MAX_SHARE:g}: the engine needs a share below 1."
        )
    return replace(calibration, warnings=tuple(found))
