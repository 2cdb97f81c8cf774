"""Training and groups: runs, places, attendance, completion, dropout, digital access, and
consultations after training (docs/metrics.md, "Groups and training figures").

A run belongs to the period its first session held falls in. Completion and dropout are
`sapling.groups.attendance.completed` and `dropped_out` (the one definition), applied to
each place's register as the database counts it for every run in the period: how many
sessions held the holder attended, and whether the last was one of them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import Team
from sapling.consultations.counts import MonthCounts, facts, monthly_counts
from sapling.consultations.models import Consultation, ConsultationQuerySet
from sapling.groups.attendance import Pattern, completed, dropped_out
from sapling.groups.figures import Figures, digital_access
from sapling.groups.models import (
    Enrolment,
    EnrolmentStatus,
    Mark,
    ProgrammeTier,
    Run,
    RunStatus,
    Session,
    SessionStatus,
)
from sapling.reports.demand import month_label
from sapling.reports.filters import Comparable, Filters, PeriodFigure
from sapling.reports.memo import memoised
from sapling.reports.metrics import months_in, percent
from sapling.reports.tables import ChartSpec, Column, Section, Table


def period_bounds(filters: Filters) -> tuple[dt.datetime, dt.datetime]:
    """The period as aware datetimes: from local midnight on date_from to local midnight
    after date_to (end excluded)."""
    start = timezone.make_aware(dt.datetime.combine(filters.date_from, dt.time.min))
    after = filters.date_to + dt.timedelta(days=1)
    return start, timezone.make_aware(dt.datetime.combine(after, dt.time.min))


def _programme_scope(filters: Filters, prefix: str = "") -> Q:
    """Programme and tier filters on a query reaching the programme through `prefix`.

    Programmes are universal or targeted, so the specialist tier selects none."""
    scope = Q()
    if filters.programme_id is not None:
        scope &= Q(**{f"{prefix}programme_id": filters.programme_id})
    if filters.tier is not None:
        scope &= Q(**{f"{prefix}programme__tier": filters.tier})
    return scope


def runs_in_period(team: Team, filters: Filters) -> QuerySet[Run]:
    """Runs not cancelled whose first session held starts in the period: one held in the
    period and none held before it (which the database answers from each run's sessions by
    their index, rather than finding the first session of every run the team ever had)."""
    start, end = period_bounds(filters)
    held = Session.objects.filter(run=OuterRef("pk")).exclude(status=SessionStatus.CANCELLED)
    return (
        Run.objects.filter(team=team)
        .filter(_programme_scope(filters))
        .exclude(status=RunStatus.CANCELLED)
        .filter(Exists(held.filter(starts_at__gte=start, starts_at__lt=end)))
        .exclude(Exists(held.filter(starts_at__lt=start)))
    )


@dataclass
class ProgrammeFigures:
    """One programme's (or all programmes') runs in the period."""

    name: str
    tier: str
    runs: int = 0
    places_offered: int = 0
    places_taken: int = 0  # enrolled now (withdrawals freed their place)
    figures: Figures = field(default_factory=Figures)

    def add(self, other: ProgrammeFigures) -> None:
        self.runs += other.runs
        self.places_offered += other.places_offered
        self.places_taken += other.places_taken
        self.figures.add(other.figures)


@dataclass(frozen=True, slots=True)
class PeriodRun:
    """A run in the period, with what its programme's row needs."""

    pk: int
    programme_id: int
    programme: str
    tier: str
    capacity: int
    status: str


class Place(NamedTuple):
    """A place (not a reserve place) on a run, as completion and dropout need it: its
    status and how its holder's register ended. Places alike are counted together."""

    status: str
    taken_up: bool  # enrolled_at recorded (someone withdrawn from the reserve list has none)
    came: int  # sessions held attended
    came_last: bool  # attended the run's last session held

    @property
    def counted(self) -> bool:
        # attendance.counted_enrolments' rule for a finished run, on values rather than
        # model instances (tens of thousands a year on a large team):
        # tests/reports/test_group_report.py checks the two agree.
        return self.status == EnrolmentStatus.ENROLLED or (
            self.status == EnrolmentStatus.WITHDRAWN and self.taken_up
        )

    def pattern(self, held: int) -> Pattern:
        """A pattern for which completed() and dropped_out() answer as for the holder's own
        (attendance.pattern_for): as many sessions held and attended, the same last mark,
        the earlier attended marks first. Those rules read no more than whether someone
        attended and whether they attended the last session, and apologies, did not attend
        and no mark all count as missed; tests/reports/test_group_report.py checks this
        for every register of up to five sessions."""
        earlier: list[str] = [Mark.ATTENDED] * (self.came - self.came_last)
        missed = [""] * (held - self.came)
        last: list[str] = [Mark.ATTENDED] if self.came_last else []
        return Pattern(earlier + missed + last, withdrew=self.status == EnrolmentStatus.WITHDRAWN)


@dataclass
class Registers:
    """The period's runs (in programme name order) and, per run id: sessions held, marks
    recorded and attended, and its places counted by kind."""

    runs: list[PeriodRun]
    held: dict[int, int]
    recorded: dict[int, int]  # marks recorded for sessions held
    attended: dict[int, int]  # of which attended
    places: dict[int, Counter[Place]]


@memoised
def registers(team: Team, filters: Filters) -> Registers:
    """Two queries, whatever the number of runs, none in a model's default order: the runs
    with their register counts, and their places with theirs (the counts kept by
    sapling/groups/register_counts.py from the sessions and marks), so neither the database
    nor Python reads the hundred thousand marks a year behind them."""
    runs = []
    held: dict[int, int] = {}
    recorded: dict[int, int] = {}
    attended_marks: dict[int, int] = {}
    for pk, programme_id, name, tier, capacity, status, *counts in (
        runs_in_period(team, filters)
        .values_list(
            "pk",
            "programme_id",
            "programme__name",
            "programme__tier",
            "capacity",
            "status",
            "sessions_held",
            "marks_recorded",
            "marks_attended",
        )
        .order_by("programme__name", "pk")
    ):
        runs.append(PeriodRun(pk, programme_id, name, tier, capacity, status))
        held[pk], recorded[pk], attended_marks[pk] = counts
    places: defaultdict[int, Counter[Place]] = defaultdict(Counter)
    # One Place per kind for every run, not one per run: a large team's year of runs holds
    # some ten thousand kinds, which otherwise stay alive for the garbage collector to walk
    # through again and again for the rest of the page.
    kinds: dict[Place, Place] = {}
    for run_id, *fields in (
        Enrolment.objects.filter(run__in=[run.pk for run in runs])
        .exclude(status=EnrolmentStatus.RESERVE)
        .values_list(
            "run_id", "status", _has("enrolled_at"), "sessions_attended", "attended_last_held"
        )
        .order_by()
    ):
        place = Place(*fields)
        places[run_id][kinds.setdefault(place, place)] += 1
    return Registers(runs, held, recorded, attended_marks, dict(places))


def _has(name: str) -> ExpressionWrapper:
    """Whether the field `name` holds a value, worked out by the database (so that no
    datetime comes back to be converted only to be tested for None)."""
    return ExpressionWrapper(Q(**{f"{name}__isnull": False}), output_field=BooleanField())


@memoised
def programme_figures(team: Team, filters: Filters) -> dict[int, ProgrammeFigures]:
    """Figures per programme id for the runs in the period."""
    found = registers(team, filters)
    # completed() and dropped_out() for each kind of place and number of sessions held: a
    # few dozen kinds cover a large team's year of places.
    outcomes: dict[tuple[Place, int], tuple[bool, bool]] = {}
    by_programme: dict[int, ProgrammeFigures] = {}
    for run in found.runs:
        programme = by_programme.setdefault(
            run.programme_id, ProgrammeFigures(run.programme, run.tier)
        )
        programme.runs += 1
        programme.places_offered += run.capacity
        _add_run(programme, run, found, outcomes)
    return by_programme


def _add_run(
    programme: ProgrammeFigures,
    run: PeriodRun,
    found: Registers,
    outcomes: dict[tuple[Place, int], tuple[bool, bool]],
) -> None:
    """Add one run's places, marks, completion and dropout to its programme's figures."""
    figures, held = programme.figures, found.held.get(run.pk, 0)
    places = found.places.get(run.pk, Counter())
    figures.marks += found.recorded.get(run.pk, 0)
    figures.attended += found.attended.get(run.pk, 0)
    programme.places_taken += sum(
        n for place, n in places.items() if place.status == EnrolmentStatus.ENROLLED
    )
    if run.status != RunStatus.FINISHED:
        return
    figures.finished_runs += 1
    for place, n in places.items():
        if not place.counted:
            continue
        if (place, held) not in outcomes:
            pattern = place.pattern(held)
            outcomes[place, held] = (completed(pattern), dropped_out(pattern))
        did_complete, did_drop_out = outcomes[place, held]
        figures.counted += n
        figures.started += n * (place.came > 0)
        figures.completed += n * did_complete
        figures.dropped_out += n * did_drop_out


@memoised
def places_attended(team: Team, filters: Filters) -> int:
    """Places (not reserve places) on runs in the period whose holder attended at least
    one session held."""
    found = registers(team, filters)
    return sum(n for places in found.places.values() for place, n in places.items() if place.came)


def all_programmes(by_programme: Iterable[ProgrammeFigures]) -> ProgrammeFigures:
    total = ProgrammeFigures(_("All programmes"), "")
    for programme in by_programme:
        total.add(programme)
    return total


def total_figures(team: Team, filters: Filters) -> ProgrammeFigures:
    return all_programmes(programme_figures(team, filters).values())


def _not_locality() -> str:
    return _(
        "The locality filter does not apply: a run serves the whole team, and most people "
        "on universal training are staff or parents with no child record."
    )


def _tier_label(tier: str) -> str:
    return str(ProgrammeTier(tier).label) if tier in ProgrammeTier.values else ""


def programmes_table(team: Team, filters: Filters) -> Table:
    by_programme = programme_figures(team, filters)
    total = all_programmes(by_programme.values())
    rows = tuple(
        (
            row.name,
            _tier_label(row.tier),
            row.runs,
            row.places_offered,
            row.places_taken,
            percent(row.places_taken, row.places_offered),
            percent(row.figures.attended, row.figures.marks),
            row.figures.finished_runs,
            row.figures.counted,
            percent(row.figures.completed, row.figures.counted),
            row.figures.started,
            row.figures.dropped_out,
            percent(row.figures.dropped_out, row.figures.started),
        )
        for row in [*by_programme.values(), total]
    )
    summary = (
        _(
            "%(runs)s runs started in the period, offering %(offered)s places; %(taken)s were "
            "taken. Completion %(completion)s; dropout %(dropout)s of those who started."
        )
        % {
            "runs": total.runs,
            "offered": total.places_offered,
            "taken": total.places_taken,
            "completion": _shown(percent(total.figures.completed, total.figures.counted)),
            "dropout": _shown(percent(total.figures.dropped_out, total.figures.started)),
        }
        if total.runs
        else _("No runs started in the period.")
    )
    return Table(
        slug="groups-by-programme",
        title=_("Groups and training by programme"),
        columns=(
            Column("programme", _("Programme"), "text"),
            Column("tier", _("Tier"), "text"),
            Column("runs", _("Runs")),
            Column("places_offered", _("Places offered")),
            Column("places_taken", _("Places taken")),
            Column("fill_rate", _("Fill rate (%)"), "percent"),
            Column("attendance", _("Attendance (%)"), "percent"),
            Column("finished_runs", _("Finished runs")),
            Column("counted", _("People on finished runs")),
            Column("completion", _("Completion (%)"), "percent"),
            Column("started", _("Started")),
            Column("dropped_out", _("Dropped out")),
            Column("dropout", _("Dropout (%)"), "percent"),
        ),
        rows=rows,
        summary=summary,
        chart=ChartSpec(
            "bar", "programme", ("fill_rate", "attendance", "completion", "dropout"), y_title="%"
        ),
        notes=" ".join(
            [
                _(
                    "Runs whose first session held was in the period (cancelled runs left "
                    "out). Places taken: people enrolled now (a withdrawal frees the place). "
                    "Fill rate: places taken ÷ places offered. Attendance: attended marks ÷ "
                    "marks recorded for sessions held. Completion and dropout count finished "
                    "runs only, as docs/metrics.md 'Dropout' defines them: completion ÷ people "
                    "who had a place; dropout ÷ people who attended at least once."
                ),
                _not_locality(),
            ]
        ),
    )


def _shown(value: Decimal | None) -> str:
    return _("no figure") if value is None else f"{value}%"


def attendance_by_month_table(team: Team, filters: Filters) -> Table:
    start, end = period_bounds(filters)
    months = months_in(filters.date_from, filters.date_to)
    counted = (
        Session.objects.filter(run__team=team, starts_at__gte=start, starts_at__lt=end)
        .filter(_programme_scope(filters, "run__"))
        .exclude(status=SessionStatus.CANCELLED)
        .exclude(run__status=RunStatus.CANCELLED)
        .values(month=_month_index(months, "starts_at"))
        .annotate(
            sessions=Count("pk", distinct=True),
            marks=Count("attendances"),
            attended=Count("attendances", filter=Q(attendances__mark=Mark.ATTENDED)),
        )
        .order_by()
    )
    by_month = {row["month"]: row for row in counted}
    zero = {"sessions": 0, "marks": 0, "attended": 0}
    totals = [by_month.get(index, zero) for index in range(len(months))]
    rows = tuple(
        (
            month_label(month),
            total["sessions"],
            total["marks"],
            total["attended"],
            percent(total["attended"], total["marks"]),
        )
        for month, total in zip(months, totals, strict=True)
    )
    all_marks = sum(row[2] for row in rows)
    all_attended = sum(row[3] for row in rows)
    summary = (
        _("%(attended)s of %(marks)s marks recorded were attended (%(percent)s).")
        % {
            "attended": all_attended,
            "marks": all_marks,
            "percent": _shown(percent(all_attended, all_marks)),
        }
        if all_marks
        else _("No attendance was recorded for sessions in the period.")
    )
    return Table(
        slug="group-attendance-by-month",
        title=_("Group attendance by month"),
        columns=(
            Column("month", _("Month"), "text"),
            Column("sessions", _("Sessions held")),
            Column("marks", _("Marks recorded")),
            Column("attended", _("Attended")),
            Column("attendance", _("Attendance (%)"), "percent"),
        ),
        rows=rows,
        summary=summary,
        chart=ChartSpec("line", "month", ("attendance",), y_title="%"),
        notes=" ".join(
            [
                _(
                    "Sessions held in each month (cancelled sessions and runs left out), "
                    "whenever their run started. Attendance: attended marks ÷ marks recorded."
                ),
                _not_locality(),
            ]
        ),
    )


def _month_index(months: list[dt.date], moment: str) -> Case:
    """Which of `months` (its index) the datetime field `moment` falls in, in local time as
    month_of has it: the database compares it with each month's end (the next month's first
    local midnight), so the rows come back counted by month, not one per datetime."""
    following = [(month + dt.timedelta(days=32)).replace(day=1) for month in months]
    ends = [timezone.make_aware(dt.datetime.combine(day, dt.time.min)) for day in following]
    return Case(*(When(**{f"{moment}__lt": end}, then=index) for index, end in enumerate(ends)))


def digital_access_table(team: Team, filters: Filters) -> Table:
    with_needs = (
        Enrolment.objects.filter(run__in=[run.pk for run in registers(team, filters).runs])
        .exclude(status=EnrolmentStatus.RESERVE)
        .exclude(digital_needs=[])
        .select_related("run__programme")
        .prefetch_related("run__sessions")
        .order_by("run__programme__name", "pk")
    )
    by_programme: dict[str, list[Enrolment]] = defaultdict(list)
    for enrolment in with_needs:
        by_programme[enrolment.run.programme.name].append(enrolment)
    everyone = [e for group in by_programme.values() for e in group]
    rows = []
    for name, group in [*by_programme.items(), (_("All programmes"), everyone)]:
        counts = digital_access(group)
        rows.append(
            (
                name,
                counts.with_needs,
                counts.supported_in_time,
                counts.supported_late,
                counts.not_supported,
                percent(counts.supported_in_time, counts.with_needs),
            )
        )
    total = rows[-1]
    summary = (
        _(
            "%(met)s of %(needs)s places with a digital access need were supported in time "
            "(%(percent)s)."
        )
        % {"met": total[2], "needs": total[1], "percent": _shown(total[5])}
        if total[1]
        else _("No places on runs in the period recorded a digital access need.")
    )
    return Table(
        slug="digital-access",
        title=_("Digital access needs met"),
        columns=(
            Column("programme", _("Programme"), "text"),
            Column("with_needs", _("Places with a need")),
            Column("in_time", _("Supported in time")),
            Column("late", _("Supported late")),
            Column("not_supported", _("Not supported")),
            Column("met", _("Needs met in time (%)"), "percent"),
        ),
        rows=tuple(rows),
        summary=summary,
        chart=ChartSpec("bar", "programme", ("in_time", "late", "not_supported")),
        notes=" ".join(
            [
                _(
                    "Places (not reserve places) on runs in the period with a recorded need: "
                    "no device, no data, or not confident online. Supported in time: support "
                    "arranged on or before the day of the run's first session held."
                ),
                _not_locality(),
            ]
        ),
    )


def consultations_in_period(team: Team, filters: Filters) -> ConsultationQuerySet:
    """Consultations whose slot starts in the period. They follow universal training, so a
    tier filter other than universal selects none; a programme filter keeps those booked
    through that programme's training (partners' own bookings name no programme)."""
    start, end = period_bounds(filters)
    found = Consultation.objects.for_team(team).filter(
        slot__starts_at__gte=start, slot__starts_at__lt=end
    )
    if filters.tier is not None and filters.tier != ProgrammeTier.UNIVERSAL:
        return found.none()
    if filters.programme_id is not None:
        found = found.filter(enrolment__run__programme_id=filters.programme_id)
    return found


def consultation_months(team: Team, filters: Filters) -> dict[dt.date, MonthCounts]:
    counts = monthly_counts(facts(consultations_in_period(team, filters)), now=timezone.now())
    by_month = {month: MonthCounts() for month in months_in(filters.date_from, filters.date_to)}
    by_month.update({month: month_counts for (_team, month), month_counts in counts.items()})
    return by_month


@memoised
def consultation_totals(team: Team, filters: Filters) -> MonthCounts:
    total = MonthCounts()
    for month_counts in consultation_months(team, filters).values():
        for name in vars(total):
            setattr(total, name, getattr(total, name) + getattr(month_counts, name))
    return total


def consultations_table(team: Team, filters: Filters) -> Table:
    months = consultation_months(team, filters)
    rows = tuple(
        (
            month_label(month),
            counts.booked,
            counts.held,
            counts.not_held,
            counts.to_record,
            counts.referral_avoided,
            counts.referral_made,
            counts.already_referred,
            percent(counts.referral_avoided, counts.held),
        )
        for month, counts in months.items()
    )
    held = sum(counts.held for counts in months.values())
    avoided = sum(counts.referral_avoided for counts in months.values())
    summary = (
        _(
            "%(held)s consultations after training were held; after %(avoided)s of them "
            "(%(percent)s) a referral was avoided."
        )
        % {"held": held, "avoided": avoided, "percent": _shown(percent(avoided, held))}
        if held
        else _("No consultations after training were held in the period.")
    )
    return Table(
        slug="consultations-by-month",
        title=_("Consultations after training by month"),
        columns=(
            Column("month", _("Month"), "text"),
            Column("booked", _("Booked")),
            Column("held", _("Held")),
            Column("not_held", _("Did not take place")),
            Column("to_record", _("Not yet recorded")),
            Column("avoided", _("Referral avoided")),
            Column("made", _("Referral made")),
            Column("already", _("Already referred")),
            Column("avoided_share", _("Referral avoided (% of held)"), "percent"),
        ),
        rows=rows,
        summary=summary,
        # The three referral outcomes of held consultations add up to those held, so they stack.
        chart=ChartSpec("bar", "month", ("avoided", "made", "already")),
        notes=_(
            "Counted in the month the consultation's slot starts, as the consultations page "
            "counts them. A tier filter other than universal shows none; a programme filter "
            "leaves out partners' own bookings, which name no programme. The locality filter "
            "does not apply."
        ),
    )


def section(team: Team, filters: Filters, *, today: dt.date) -> Section:
    return Section(
        slug="groups",
        title=_("Training and groups"),
        tables=(
            programmes_table(team, filters),
            attendance_by_month_table(team, filters),
            digital_access_table(team, filters),
            consultations_table(team, filters),
        ),
    )


def _dropout_rate(team: Team, filters: Filters) -> PeriodFigure:
    figures = total_figures(team, filters).figures
    return PeriodFigure(percent(figures.dropped_out, figures.started), figures.started)


def _completion_rate(team: Team, filters: Filters) -> PeriodFigure:
    figures = total_figures(team, filters).figures
    return PeriodFigure(percent(figures.completed, figures.counted), figures.counted)


def _referrals_avoided(team: Team, filters: Filters) -> PeriodFigure:
    totals = consultation_totals(team, filters)
    return PeriodFigure(percent(totals.referral_avoided, totals.held), totals.held)


def comparables() -> list[Comparable]:
    return [
        Comparable("dropout-rate", _("Dropout rate"), "%", _dropout_rate),
        Comparable("completion-rate", _("Completion rate"), "%", _completion_rate),
        Comparable(
            "referrals-avoided",
            _("Referrals avoided after consultation (% of consultations held)"),
            "%",
            _referrals_avoided,
        ),
    ]
