"""Three years of requests for help, triage and waiting, telling the reference story.

Before a redesign about 18 months ago the service ran one specialist list, and waits
climbed to about 45 weeks. At the redesign the team switched to tiered triage rules (more
children to universal and targeted support), validated its list and ran groups, and
waits fell toward 7 weeks. Everything goes through the same domain functions the pages
use, week by week, so the records, events and clocks are what the service would hold.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from sapling.accounts.models import Team, User
from sapling.children.models import Child
from sapling.core.models import MessageChannel, MessageStatus, OutboxMessage
from sapling.referrals.intake import submit_referral
from sapling.referrals.models import OccupationalArea, Referral, ReferralEvent, Route, Source
from sapling.triage.decisions import decide, recommendation_for
from sapling.triage.models import LiveOrder, Outcome, RulesVersion, Tier, TriageDecision
from sapling.triage.rules import default_source
from sapling.triage.settings_store import set_live_order
from sapling.triage.versions import save_rules
from sapling.waitlist.clock import start_of_week
from sapling.waitlist.lifecycle import end_entry, stop_clock
from sapling.waitlist.models import EndReason, Snapshot, StopReason, WaitlistEntry

REDESIGN_WEEKS_AGO = 78
# First specialist contacts a week, as a share of the week's average requests for help:
# (before the redesign, after it). Before, the list grows and waits climb toward 45 weeks.
SPECIALIST_CAPACITY = (0.62, 0.85)
# Groups start every third week, with places for this share of three weeks' requests.
GROUP_EVERY_WEEKS = 3
GROUP_PLACES = 1.6
# After the redesign, first appointments are booked this many weeks ahead, and a group's
# places go to children referred at least this long before it starts.
BOOKING_LEAD_WEEKS = (8, 6)
# Share of the list found, on validation after the redesign, to need help no longer.
VALIDATED_AWAY = 0.3
WEEKLY_WITHDRAWAL = 0.004
UNTRIAGED_DAYS = 10
# Children referred again within a year of a referral (the dashboard's re-referrals): this
# share of newly referred children, once each, two to eleven months on, unless something
# for them is still open then or they have been on the specialist list.
RE_REFERRED = 0.08
RE_REFERRAL_AFTER_DAYS = (60, 330)
NEWEST_LETTERS = 6

# Before the redesign every accepted request joined the one specialist list.
OLD_TIERS = "[tiers]\ntargeted = 1\nspecialist = 2\n"

Progress = Callable[[int, int], None]
AREAS = [area.value for area in OccupationalArea]
LEVELS = ["mild", "moderate", "severe"]


@dataclass
class Cast:
    """Who does what in the story."""

    lead: User
    clinicians: list[User]
    office: list[User]
    partner: User


@dataclass
class Capacity:
    """Whole contacts each week from fractional capacity, carrying the remainder."""

    per_week: float
    carried: float = 0.0
    group_carried: float = 0.0
    week: int = 0

    def this_week(self, *, after: bool) -> tuple[int, int]:
        self.carried += SPECIALIST_CAPACITY[after] * self.per_week
        specialist = int(self.carried)
        self.carried -= specialist
        self.week += 1
        places = 0
        if after and self.week % GROUP_EVERY_WEEKS == 0:
            self.group_carried += GROUP_PLACES * GROUP_EVERY_WEEKS * self.per_week
            places = int(self.group_carried)
            self.group_carried -= places
        return specialist, places


@dataclass
class Timeline:
    """Dated records to backdate once the week-by-week run is over."""

    referrals: dict[int, dt.datetime]
    decisions: dict[int, dt.datetime]
    entries: dict[int, dt.datetime]


def old_rules_source() -> str:
    source = default_source()
    start = source.index("[tiers]")
    end = source.index("[", start + 1)
    return source[:start] + OLD_TIERS + "\n" + source[end:]


def load_referral_flow(
    *, team: Team, cast: Cast, rng: random.Random, today: dt.date, progress: Progress
) -> int:
    """Referrals for every child, triaged and served week by week; the number of referrals."""
    children = list(Child.objects.filter(team=team).order_by("created_at", "pk"))
    if not children:
        return 0
    first = start_of_week(timezone.localtime(children[0].created_at).date())
    redesign = start_of_week(today) - dt.timedelta(weeks=REDESIGN_WEEKS_AGO)
    timeline = Timeline({}, {}, {})
    rules = save_rules(team=team, source=old_rules_source(), by=cast.lead)
    _backdate_rules(rules, first)
    by_week = _children_by_week(children)
    weeks = (start_of_week(today) - first).days // 7 + 1
    capacity = Capacity(per_week=len(children) / weeks)
    # Its own random stream, so the children's first referrals keep their story.
    again = ReReferrals(random.Random(len(children)), today)
    for number in range(weeks):
        monday = first + dt.timedelta(weeks=number)
        if monday == redesign:
            _redesign(team, cast, rng, monday)
        for child in by_week.get(monday, []):
            when = timezone.localtime(child.created_at)
            _refer(team, child, cast, rng, timeline, when=when)
            again.maybe_plan(child, when)
        for child, when in again.due(monday):
            if not _kept_from_re_referral(child):
                _refer(team, child, cast, again.rng, timeline, when=when)
        _triage_due(team, cast, rng, monday, today, timeline)
        _serve(team, cast, rng, monday, capacity.this_week(after=monday >= redesign), today)
        progress(number + 1, weeks)
    _backdate(timeline)
    _mark_history_sent(team)
    _snapshots(team, first, today)
    return len(timeline.referrals)


@dataclass
class ReReferrals:
    """Second referrals planned for the week they arrive in."""

    rng: random.Random
    today: dt.date
    planned: dict[dt.date, list[tuple[Child, dt.datetime]]] = field(default_factory=dict)

    def maybe_plan(self, child: Child, first: dt.datetime) -> None:
        if self.rng.random() >= RE_REFERRED:
            return
        day = first.date() + dt.timedelta(days=self.rng.randint(*RE_REFERRAL_AFTER_DAYS))
        if day.weekday() >= 5:  # entered on the Monday, as weekend referrals are
            day += dt.timedelta(days=7 - day.weekday())
        if day < self.today:
            self.planned.setdefault(start_of_week(day), []).append((child, _at(day, 11)))

    def due(self, monday: dt.date) -> list[tuple[Child, dt.datetime]]:
        return self.planned.pop(monday, [])


def _kept_from_re_referral(child: Child) -> bool:
    """A referral still awaiting triage, a place on the waiting list, or a specialist wait
    ever: a child in specialist care is helped within their episode, and the demo's
    episodes (demo_care) are opened from specialist entries, one open episode a child."""
    entries = WaitlistEntry.objects.filter(child=child)
    return (
        Referral.objects.filter(child=child).awaiting_triage().exists()
        or entries.open().exists()
        or entries.filter(tier=Tier.SPECIALIST).exists()
    )


def _children_by_week(children: list[Child]) -> dict[dt.date, list[Child]]:
    by_week: dict[dt.date, list[Child]] = {}
    for child in children:
        monday = start_of_week(timezone.localtime(child.created_at).date())
        by_week.setdefault(monday, []).append(child)
    return by_week


def _redesign(team: Team, cast: Cast, rng: random.Random, monday: dt.date) -> None:
    rules = save_rules(team=team, source=default_source(), by=cast.lead)
    _backdate_rules(rules, monday)
    set_live_order(team=team, live_order=LiveOrder.NEED_ADJUSTED)
    for entry in WaitlistEntry.objects.for_team(team).open():
        if rng.random() < VALIDATED_AWAY:
            end_entry(
                entry=entry,
                reason=EndReason.VALIDATION,
                on=monday + dt.timedelta(days=rng.randint(0, 55)),
                note="Family said on validation that help is no longer needed",
                by=cast.lead,
                expected_version=entry.version,
            )


def _backdate_rules(rules: RulesVersion, day: dt.date) -> None:
    RulesVersion.objects.filter(pk=rules.pk).update(created_at=_at(day, 9))


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


ROUTES = [
    (Route.PUBLIC_FORM, Source.PARENT, 0.3),
    (Route.PARTNER_FORM, Source.SCHOOL, 0.22),
    (Route.PARTNER_FORM, Source.EARLY_YEARS, 0.06),
    (Route.E_REFERRAL, Source.GP, 0.12),
    (Route.E_REFERRAL, Source.PAEDIATRICIAN, 0.1),
    (Route.LETTER, Source.HEALTH_VISITOR, 0.08),
    (Route.PHONE, Source.CAMHS, 0.04),
    (Route.LETTER, Source.SOCIAL_CARE, 0.04),
    (Route.PUBLIC_FORM, Source.YOUNG_PERSON, 0.04),
]


def _route(rng: random.Random, child: Child, received: dt.date) -> tuple[str, str]:
    route, source = rng.choices([(r, s) for r, s, _ in ROUTES], weights=[w for *_, w in ROUTES])[0]
    if source == Source.YOUNG_PERSON and child.age_on(received) < 16:
        return Route.PUBLIC_FORM, Source.PARENT
    return route, source


def _refer(
    team: Team,
    child: Child,
    cast: Cast,
    rng: random.Random,
    timeline: Timeline,
    *,
    when: dt.datetime,
) -> None:
    route, source = _route(rng, child, when.date())
    reasons = rng.sample(AREAS, rng.choice([1, 1, 2, 2, 3]))
    by: User | None = rng.choice(cast.office)
    if route == Route.PUBLIC_FORM:
        by = None
    elif route == Route.PARTNER_FORM:
        by = cast.partner
    referral = submit_referral(
        team=team,
        child=child,
        child_details={},
        referral_details={
            "received_on": when.date(),
            "reasons": reasons,
            "description": _description(rng, reasons),
            "setting": "school" if child.school_id else "home",
            "consent_by": "parental_responsibility",
            "consent_given": True,
        },
        carer_details=None,
        route=route,
        source=source,
        by=by,
    )
    timeline.referrals[referral.pk] = when


DESCRIPTIONS = {
    "self_care": "Still needs help to dress and use cutlery at mealtimes.",
    "play": "Finds playground games hard and often plays alone.",
    "school_work": "Cannot keep up with written work in class.",
    "handwriting": "Handwriting is slow and hard to read; says it hurts.",
    "movement": "Trips and bumps into things; avoids PE.",
    "sensory": "Covers ears at noise, will not wear some clothes.",
    "emotional_regulation": "Meltdowns after school most days.",
    "attending_school": "Has missed many school days this term.",
}


def _description(rng: random.Random, reasons: list[str]) -> str:
    return " ".join(DESCRIPTIONS[area] for area in reasons)


def _triage_due(
    team: Team,
    cast: Cast,
    rng: random.Random,
    monday: dt.date,
    today: dt.date,
    timeline: Timeline,
) -> None:
    """Referrals received at least a week ago are triaged; the newest await triage."""
    due = (
        Referral.objects.for_team(team)
        .awaiting_triage()
        .filter(
            received_on__lte=min(
                monday - dt.timedelta(days=3), today - dt.timedelta(UNTRIAGED_DAYS)
            )
        )
    )
    for referral in due.select_related("child"):
        decision = _triage(referral, cast, rng)
        decided = max(referral.received_on + dt.timedelta(days=rng.randint(3, 9)), monday)
        timeline.decisions[decision.pk] = _at(min(decided, today), 14)
        entry = WaitlistEntry.objects.filter(referral=referral).first()
        if entry is not None:
            timeline.entries[entry.pk] = timeline.decisions[decision.pk]


def _triage(referral: Referral, cast: Cast, rng: random.Random) -> TriageDecision:
    answers = _answers(referral, rng)
    _number, recommended = recommendation_for(referral=referral, answers=answers)
    outcome = {
        Tier.UNIVERSAL: Outcome.UNIVERSAL,
        Tier.TARGETED: Outcome.TARGETED,
        Tier.SPECIALIST: Outcome.SPECIALIST,
    }[Tier(recommended.tier)]
    reasons = {}
    if rng.random() < 0.04:
        outcome = rng.choice([Outcome.DECLINED, Outcome.REDIRECTED])
        reasons["outcome"] = (
            "Needs are being met by the school's own plan"
            if outcome == Outcome.DECLINED
            else "Redirected to the community paediatric physiotherapy service"
        )
    return decide(
        referral=referral,
        answers=answers,
        outcome=outcome,
        overrides={},
        reasons=reasons,
        by=rng.choice(cast.clinicians),
        expected_version=referral.version,
    )


def _answers(referral: Referral, rng: random.Random) -> dict[str, object]:
    impact = {area: rng.choices(LEVELS, weights=[5, 4, 2])[0] for area in referral.reasons}
    risks = [
        risk
        for risk, chance in (
            ("exclusion", 0.05),
            ("persistent_absence", 0.08),
            ("no_other_support", 0.15),
            ("safeguarding", 0.02),
        )
        if rng.random() < chance
    ]
    if referral.child.care_experienced == "yes":
        risks.append("care_experienced")
    complexity = rng.choices(["low", "medium", "high"], weights=[6, 3, 1])[0]
    return {"impact": impact, "risks": risks, "complexity": complexity}


def _serve(
    team: Team,
    cast: Cast,
    rng: random.Random,
    monday: dt.date,
    capacity: tuple[int, int],
    today: dt.date,
) -> None:
    """This week's first contacts and group starts stop clocks; a few families withdraw."""
    open_entries = WaitlistEntry.objects.for_team(team).open().filter(clock_start__lte=monday)
    order = ["priority_rank", "-need_score", "clock_start"]
    contacts, places = capacity
    booked_by = monday - dt.timedelta(weeks=BOOKING_LEAD_WEEKS[0])
    specialist = open_entries.filter(tier=Tier.SPECIALIST, clock_start__lte=booked_by).order_by(
        *order, "pk"
    )
    for entry in specialist[:contacts]:
        stop_clock(
            entry=entry,
            on=min(monday + dt.timedelta(days=rng.randint(0, 4)), today),
            reason=StopReason.SPECIALIST_CONTACT,
            by=rng.choice(cast.clinicians),
        )
    if places:
        joined_by = monday - dt.timedelta(weeks=BOOKING_LEAD_WEEKS[1])
        targeted = open_entries.filter(tier=Tier.TARGETED, clock_start__lte=joined_by).order_by(
            *order, "pk"
        )
        for entry in targeted[:places]:
            stop_clock(
                entry=entry,
                on=min(monday + dt.timedelta(days=2), today),
                reason=StopReason.GROUP_SESSION,
                by=rng.choice(cast.clinicians),
            )
    _withdrawals(team, cast, rng, monday, today)


def _withdrawals(
    team: Team, cast: Cast, rng: random.Random, monday: dt.date, today: dt.date
) -> None:
    for entry in WaitlistEntry.objects.for_team(team).open().filter(clock_start__lt=monday):
        if rng.random() < WEEKLY_WITHDRAWAL:
            end_entry(
                entry=entry,
                reason=rng.choice([EndReason.WITHDRAWN, EndReason.MOVED_AWAY]),
                on=min(monday + dt.timedelta(days=rng.randint(0, 4)), today),
                note="Family told the office",
                by=rng.choice(cast.office),
                expected_version=entry.version,
            )


def _backdate(timeline: Timeline) -> None:
    """Creation times to when each thing happened, in a few statements."""
    _set_times(Referral, "created_at", timeline.referrals)
    _set_times(TriageDecision, "created_at", timeline.decisions)
    _set_times(WaitlistEntry, "created_at", timeline.entries)
    with connection.cursor() as cursor:
        table = ReferralEvent._meta.db_table
        referral_table = Referral._meta.db_table
        cursor.execute(
            f"UPDATE {table} SET at = (SELECT created_at FROM {referral_table} r "  # noqa: S608
            f"WHERE r.id = {table}.referral_id) WHERE from_status = ''"
        )
    for decision_id, when in timeline.decisions.items():
        referral_id = TriageDecision.objects.filter(pk=decision_id).values("referral_id")
        ReferralEvent.objects.filter(referral_id__in=referral_id).exclude(from_status="").update(
            at=when
        )


def _set_times(model: type, field: str, times: dict[int, dt.datetime]) -> None:
    table = model._meta.db_table  # type: ignore[attr-defined]
    rows = list(times.items())
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 300):
            chunk = rows[start : start + 300]
            cursor.executemany(
                f"UPDATE {table} SET {field} = %s WHERE id = %s",  # noqa: S608
                [(when, pk) for pk, when in chunk],
            )


def _mark_history_sent(team: Team) -> None:
    """Letters of the past went out long ago; the newest few wait on the print list."""
    newest_letters = list(
        OutboxMessage.objects.filter(
            team=team, status=MessageStatus.QUEUED, channel=MessageChannel.LETTER
        )
        .order_by("-pk")
        .values_list("pk", flat=True)[:NEWEST_LETTERS]
    )
    OutboxMessage.objects.filter(pk__in=newest_letters).update(status=MessageStatus.FOR_PRINT)
    OutboxMessage.objects.filter(team=team, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENT
    )


EntryDates = tuple[str, int | None, str, dt.date, dt.date | None, dt.date | None]


def _snapshots(team: Team, first: dt.date, today: dt.date) -> None:
    """The list as it stood each Monday, as `sapling snapshot-waitlist` would have kept it."""
    entries: list[EntryDates] = list(
        WaitlistEntry.objects.for_team(team).values_list(
            "tier", "pathway_id", "priority", "clock_start", "clock_stopped_on", "ended_on"
        )
    )
    rows = []
    monday = first
    while monday <= start_of_week(today):
        rows.extend(_snapshot_rows(team, entries, monday))
        monday += dt.timedelta(weeks=1)
    Snapshot.objects.filter(team=team).delete()
    Snapshot.objects.bulk_create(rows, batch_size=1000)


def _snapshot_rows(team: Team, entries: list[EntryDates], monday: dt.date) -> list[Snapshot]:
    groups: dict[tuple[str, int | None, str], dict[str, int]] = {}
    for tier, pathway_id, priority, start, stopped, ended in entries:
        closed = stopped or ended
        if start > monday or (closed is not None and closed <= monday):
            continue
        weeks = str((monday - start).days // 7)
        counts = groups.setdefault((tier, pathway_id, priority), {})
        counts[weeks] = counts.get(weeks, 0) + 1
    return [
        Snapshot(
            team=team,
            week_starting=monday,
            tier=tier,
            pathway_id=pathway_id,
            priority=priority,
            counts_by_week=counts,
        )
        for (tier, pathway_id, priority), counts in groups.items()
    ]
