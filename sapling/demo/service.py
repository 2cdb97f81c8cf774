"""Build and remove the synthetic Swansea Bay demo service.

Children and carers go through the same domain functions the pages use (register_child,
add_carer), so the demo's area lookups and audit trail are the real ones. The whole load
is one transaction: an interrupted load leaves nothing behind, so "the demo team exists"
always means "the demo is complete".
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from sapling.accounts.models import Locality, Membership, Team, User
from sapling.areas import importers
from sapling.areas.models import PostcodeArea
from sapling.children.models import Carer, Child, GPCluster, GPPractice, School
from sapling.children.records import add_carer, register_child
from sapling.core.models import TimestampedModel
from sapling.core.roles import Role
from sapling.demo import (
    demo_care,
    demo_child_records,
    demo_consultations,
    demo_group_history,
    demo_groups,
    demo_outcomes,
    demo_planning,
    demo_reports,
    places,
)
from sapling.demo.families import ChildPlan, FamilyGenerator
from sapling.demo.flow import Cast, load_referral_flow
from sapling.demo.staff import DemoStaff, create_staff
from sapling.planning.engine import SCHOOL_HOLIDAY_WEEKS
from sapling.reports.calibration import week_of_year

YEARS_OF_HISTORY = 3
# Referrals in a school-holiday week, against a term-time week.
HOLIDAY_SHARE = 0.5
# Each feature's part of the story, loaded after the referral flow in this order and
# deleted in the reverse order, before the flow's records.
FEATURES = (
    demo_groups,
    demo_consultations,
    demo_group_history,
    demo_care,
    demo_child_records,
    demo_planning,
    demo_outcomes,
    demo_reports,
)
LONDON = ZoneInfo("Europe/London")
ChildProgress = Callable[[int, int], None]
# Children are written, then backdated, this many at a time.
BATCH = 200


@dataclass(frozen=True)
class LoadedDemo:
    team: Team
    children: int
    carers: int
    schools: int
    practices: int
    users: int
    referrals: int


def demo_team() -> Team | None:
    return Team.objects.filter(name=places.TEAM_NAME).first()


def ensure_areas(progress: importers.Progress) -> bool:
    """Load the shipped area files unless some postcodes are loaded; True if it loaded."""
    if PostcodeArea.objects.exists():
        return False
    importers.load_shipped(progress)
    return True


def _quiet(done: int, total: int) -> None:
    return None


@transaction.atomic
def load_demo_service(
    *,
    seed: int,
    children: int,
    progress: ChildProgress = _quiet,
    flow_progress: ChildProgress = _quiet,
    today: dt.date | None = None,
) -> LoadedDemo:
    """The whole demo team, from `seed` alone: the same seed on the same day, the same data."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    start = _history_start(today)
    team = places.create_team()
    localities = places.create_localities(team)
    schools = places.create_schools(team, localities, rng)
    practices = places.create_practices(team, rng)
    staff = create_staff(team)
    _backdate_setup(team, start)
    families = FamilyGenerator(rng, localities=localities, schools=schools, practices=practices)
    times = _registration_times(rng, start, children)
    carers = _register_children(team, families, times, staff.registrars(), progress)
    cast = _cast(staff)
    referrals = load_referral_flow(
        team=team, cast=cast, rng=rng, today=today, progress=flow_progress
    )
    for feature in FEATURES:
        feature.load(team=team, cast=cast, rng=rng, today=today)
    return LoadedDemo(
        team, children, carers, len(schools), len(practices), len(staff.users()), referrals
    )


def _cast(staff: DemoStaff) -> Cast:
    partner = next(user for user in staff.logins if user.username == "demo.partner")
    return Cast(
        lead=staff.by_role[Role.LEAD][0],
        clinicians=staff.by_role[Role.CLINICIAN],
        office=staff.by_role[Role.ADMINISTRATOR],
        partner=partner,
    )


def _register_children(
    team: Team,
    families: FamilyGenerator,
    times: list[dt.datetime],
    registrars: list[User],
    progress: ChildProgress,
) -> int:
    """Register a child at each time, by one of the registrars; the number of carers."""
    carers = 0
    batch: list[Registered] = []
    for done, created_at in enumerate(times, start=1):
        batch.append(_register(team, families.plan(created_at), families.rng.choice(registrars)))
        carers += len(batch[-1].carers)
        if done % BATCH == 0 or done == len(times):
            _backdate(batch)
            batch.clear()
        if done % 100 == 0 or done == len(times):
            progress(done, len(times))
    return carers


def _history_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=365 * YEARS_OF_HISTORY)


def _registration_times(rng: random.Random, start: dt.date, count: int) -> list[dt.datetime]:
    """Working-day times over the years of history, in order, a little busier lately, and
    quieter in school holidays (most requests come through schools)."""
    # Ends a few days back, so a weekend moved to Monday is never in the future.
    span = 365 * YEARS_OF_HISTORY - 4
    offsets: list[float] = []
    while len(offsets) < count:
        offset = span * rng.random() ** 0.85
        day = start + dt.timedelta(days=int(offset))
        if week_of_year(day) in SCHOOL_HOLIDAY_WEEKS and rng.random() > HOLIDAY_SHARE:
            continue
        offsets.append(offset)
    return [_working_time(start, offset) for offset in sorted(offsets)]


def _working_time(start: dt.date, offset: float) -> dt.datetime:
    day = start + dt.timedelta(days=int(offset))
    if day.weekday() >= 5:  # referrals that arrive at weekends are entered on Monday
        day += dt.timedelta(days=7 - day.weekday())
    minutes = 8 * 60 + 30 + int((offset % 1) * 8.5 * 60)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=LONDON)


@dataclass(frozen=True)
class Registered:
    child: Child
    carers: list[Carer]
    when: dt.datetime
    by: User


def _register(team: Team, plan: ChildPlan, by: User) -> Registered:
    child = register_child(team=team, by=by, **plan.fields)
    carers = [add_carer(child=child, by=by, **fields) for fields in plan.carers]
    return Registered(child, carers, plan.created_at, by)


def _backdate(batch: list[Registered]) -> None:
    """Give records, and their audit entries, the time and author of the demo's story.

    created_at is set automatically on insert, so history is written afterwards, a batch
    at a time in plain SQL: the ORM's bulk_update spends longer building its CASE
    expressions than the database spends running them.
    """
    _backdate_records(Child, [(item.child.pk, item) for item in batch])
    _backdate_records(Carer, [(carer.pk, item) for item in batch for carer in item.carers])


def _backdate_records(model: type[TimestampedModel], records: list[tuple[int, Registered]]) -> None:
    stamp = connection.ops.adapt_datetimefield_value
    content_type = ContentType.objects.get_for_model(model).pk
    name = connection.ops.quote_name
    # Every name below comes from the models' own metadata, never from input.
    record_sql = (
        f"UPDATE {name(model._meta.db_table)} SET {name('created_at')} = %s, "  # noqa: S608
        f"{name('updated_at')} = %s WHERE {name('id')} = %s"
    )
    # "+ 0" keeps SQLite off the content type index, which without statistics it prefers
    # to the object id index, scanning every entry of the type on every update.
    entry_sql = (
        f"UPDATE {name(LogEntry._meta.db_table)} SET {name('timestamp')} = %s, "  # noqa: S608
        f"{name('actor_id')} = %s, {name('actor_email')} = %s "
        f"WHERE {name('object_id')} = %s AND {name('content_type_id')} + 0 = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            record_sql, [(stamp(item.when), stamp(item.when), pk) for pk, item in records]
        )
        cursor.executemany(
            entry_sql,
            [
                (stamp(item.when), item.by.pk, item.by.email, pk, content_type)
                for pk, item in records
            ],
        )


def _backdate_setup(team: Team, start: dt.date) -> None:
    when = dt.datetime.combine(start, dt.time(9), tzinfo=LONDON)
    Team.objects.filter(pk=team.pk).update(created_at=when, updated_at=when)
    for model in (Membership, School, GPPractice, GPCluster):
        model.objects.filter(team=team).update(created_at=when, updated_at=when)
    User.objects.filter(memberships__team=team).update(date_joined=when)


@transaction.atomic
def delete_demo_service() -> bool:
    """Remove the demo team and everything in it; False if there was none.

    Children's records normally close rather than go, but the demo is synthetic, and its
    audit entries go with it so a reset starts clean. Foreign keys are PROTECT, hence the
    order: carers, children, places, memberships, localities, users, team.
    """
    team = demo_team()
    if team is None:
        return False
    user_ids = list(Membership.objects.filter(team=team).values_list("user_id", flat=True))
    _delete_audit_entries(Child, Child.objects.filter(team=team))
    _delete_audit_entries(Carer, Carer.objects.filter(child__team=team))
    with disable_auditlog():
        for feature in reversed(FEATURES):
            feature.delete(team)
        _delete_flow(team)
        Carer.objects.filter(child__team=team).delete()
        Child.objects.filter(team=team).delete()
    for model in (School, GPPractice, GPCluster, Membership, Locality):
        model.objects.filter(team=team).delete()
    # Only users left with no team at all: a real account that joined the demo team stays.
    User.objects.filter(pk__in=user_ids, memberships__isnull=True).delete()
    team.delete()
    return True


def _delete_flow(team: Team) -> None:
    """Everything the referral flow made, children's dependants first."""
    from sapling.core.models import OutboxMessage, SecureLink
    from sapling.groups.models import Resource
    from sapling.referrals.models import Referral, ReferralEvent
    from sapling.triage.models import Pathway, RulesVersion, TriageDecision, TriageSettings
    from sapling.waitlist.models import CheckIn, ClockAdjustment, Snapshot, WaitlistEntry

    for model, records in (
        (Referral, Referral.objects.filter(team=team)),
        (TriageDecision, TriageDecision.objects.filter(referral__team=team)),
        (WaitlistEntry, WaitlistEntry.objects.filter(team=team)),
        (RulesVersion, RulesVersion.objects.filter(team=team)),
    ):
        _delete_audit_entries(model, records)
    SecureLink.objects.filter(carer__child__team=team).delete()
    OutboxMessage.objects.filter(team=team).delete()
    CheckIn.objects.filter(entry__team=team).delete()
    ClockAdjustment.objects.filter(entry__team=team).delete()
    Snapshot.objects.filter(team=team).delete()
    WaitlistEntry.objects.filter(team=team).delete()
    TriageDecision.objects.filter(referral__team=team).delete()
    ReferralEvent.objects.filter(referral__team=team).delete()
    Referral.objects.filter(team=team).delete()
    RulesVersion.objects.filter(team=team).delete()
    TriageSettings.objects.filter(team=team).delete()
    Pathway.objects.filter(team=team).delete()
    Resource.objects.filter(team=team).delete()


def _delete_audit_entries(model: type[models.Model], records: models.QuerySet) -> None:
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=records.values("pk"),
    ).delete()
