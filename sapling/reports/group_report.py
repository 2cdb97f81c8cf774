"""Training and groups: runs, places, attendance, completion, dropout, digital access, and
consultations after training (docs/metrics.md, "Groups and training figures").

A run belongs to the period its first session held falls in. Completion and dropout are
`sapling.groups.attendance.completed` and `dropped_out` (the one definition), applied to
patterns built from one query of marks for every run in the period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sapling.accounts.models import Team
from sapling.consultations.counts import MonthCounts, facts, month_of, monthly_counts
from sapling.consultations.models import Consultation, ConsultationQuerySet
from sapling.groups.attendance import Pattern, completed, dropped_out
from sapling.groups.figures import Figures, digital_access
from sapling.groups.models import (
    Attendance,
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
    """Runs not cancelled whose first session held starts in the period."""
    start, end = period_bounds(filters)
    held = ~Q(sessions__status=SessionStatus.CANCELLED)
    return (
        Run.objects.filter(team=team)
        .filter(_programme_scope(filters))
        .exclude(status=RunStatus.CANCELLED)
        .annotate(first_held=Min("sessions__starts_at", filter=held))
        .filter(first_held__gte=start, first_held__lt=end)
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


@dataclass(frozen=True)
class Place:
    """A place (not a reserve place) on a run, as completion and dropout need it."""

    pk: int
    status: str
    enrolled_at: dt.datetime | None

    @property
    def counted(self) -> bool:
        # attendance.counted_enrolments' rule for a finished run, on values rather than
        # model instances (tens of thousands a year on a large team):
        # tests/reports/test_group_report.py checks the two agree.
        return self.status == EnrolmentStatus.ENROLLED or (
            self.status == EnrolmentStatus.WITHDRAWN and self.enrolled_at is not None
        )


@dataclass
class Registers:
    """The runs' sessions held (in date order), who attended which, mark counts and places."""

    held: dict[int, list[int]]  # run id -> session ids
    attended: dict[int, set[int]]  # enrolment id -> session ids attended
    marks: dict[int, tuple[int, int]]  # run id -> (marks recorded, attended)
    places: dict[int, list[Place]]  # run id -> places


def read_registers(runs: QuerySet[Run]) -> Registers:
    """Four queries, whatever the number of runs, none ordered (the models' default
    orderings would join enrolments and runs to every mark). Only "attended" marks are
    read one by one: completion and dropout tell attended from everything else
    (apologies, did not attend and no mark all count as missed); the rest are counted."""
    # The ids once, as a list: each register query then uses the run index directly rather
    # than repeating the period's grouped subquery.
    run_ids = list(runs.values_list("pk", flat=True).order_by())
    held_marks = Attendance.objects.filter(session__run__in=run_ids).exclude(
        session__status=SessionStatus.CANCELLED
    )
    held: defaultdict[int, list[int]] = defaultdict(list)
    # Date order, as attendance.pattern_for has it, sorted by the database (no datetimes
    # to convert).
    for session_id, run_id in (
        Session.objects.filter(run__in=run_ids)
        .exclude(status=SessionStatus.CANCELLED)
        .values_list("pk", "run_id")
        .order_by("run_id", "starts_at", "pk")
    ):
        held[run_id].append(session_id)
    attended: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, session_id in (
        held_marks.filter(mark=Mark.ATTENDED).values_list("enrolment_id", "session_id").order_by()
    ):
        attended[enrolment_id].add(session_id)
    marks = {
        row["session__run_id"]: (row["marks"], row["attended"])
        for row in held_marks.values("session__run_id")
        .annotate(marks=Count("pk"), attended=Count("pk", filter=Q(mark=Mark.ATTENDED)))
        .order_by()
    }
    places: dict[int, list[Place]] = defaultdict(list)
    for pk, run_id, status, enrolled_at in (
        Enrolment.objects.filter(run__in=run_ids)
        .exclude(status=EnrolmentStatus.RESERVE)
        .values_list("pk", "run_id", "status", "enrolled_at")
        .order_by()
    ):
        places[run_id].append(Place(pk, status, enrolled_at))
    return Registers(held, attended, marks, places)


@memoised
def programme_figures(team: Team, filters: Filters) -> dict[int, ProgrammeFigures]:
    """Figures per programme id for the runs in the period, in five queries."""
    runs = runs_in_period(team, filters)
    registers = read_registers(runs)
    by_programme: dict[int, ProgrammeFigures] = {}
    for run_id, programme_id, name, tier, capacity, status in runs.values_list(
        "pk", "programme_id", "programme__name", "programme__tier", "capacity", "status"
    ).order_by("programme__name", "pk"):
        programme = by_programme.setdefault(programme_id, ProgrammeFigures(name, tier))
        programme.runs += 1
        programme.places_offered += capacity
        _add_run(programme, status, registers, run_id)
    return by_programme


def _add_run(programme: ProgrammeFigures, status: str, registers: Registers, run_id: int) -> None:
    """Add one run's places, marks, completion and dropout to its programme's figures."""
    figures, held, places = programme.figures, registers.held[run_id], registers.places[run_id]
    marks, attended = registers.marks.get(run_id, (0, 0))
    figures.marks += marks
    figures.attended += attended
    programme.places_taken += sum(place.status == EnrolmentStatus.ENROLLED for place in places)
    if status != RunStatus.FINISHED:
        return
    figures.finished_runs += 1
    for place in places:
        if not place.counted:
            continue
        came = registers.attended.get(place.pk, set())
        # As attendance.pattern_for builds it: one mark per session held, in date order.
        pattern = Pattern(
            marks=[Mark.ATTENDED if session_id in came else "" for session_id in held],
            withdrew=place.status == EnrolmentStatus.WITHDRAWN,
        )
        figures.counted += 1
        figures.started += bool(came)
        figures.completed += completed(pattern)
        figures.dropped_out += dropped_out(pattern)


@memoised
def places_attended(team: Team, filters: Filters) -> int:
    """Places (not reserve places) on runs in the period whose holder attended at least
    one session held."""
    attended = Attendance.objects.filter(enrolment=OuterRef("pk"), mark=Mark.ATTENDED).exclude(
        session__status=SessionStatus.CANCELLED
    )
    return (
        Enrolment.objects.filter(run__in=runs_in_period(team, filters).values("pk"))
        .exclude(status=EnrolmentStatus.RESERVE)
        .filter(Exists(attended))
        .count()
    )


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
    held_sessions = (
        Session.objects.filter(run__team=team, starts_at__gte=start, starts_at__lt=end)
        .filter(_programme_scope(filters, "run__"))
        .exclude(status=SessionStatus.CANCELLED)
        .exclude(run__status=RunStatus.CANCELLED)
    )
    starts = held_sessions.values_list("pk", "starts_at").order_by()
    month_of_session = {pk: month_of(starts_at) for pk, starts_at in starts}
    counted = (
        Attendance.objects.filter(session__in=held_sessions.values("pk"))
        .values("session_id")
        .annotate(marks=Count("pk"), attended=Count("pk", filter=Q(mark=Mark.ATTENDED)))
        .order_by()
    )
    months = {
        month: [0, 0, 0] for month in months_in(filters.date_from, filters.date_to)
    }  # sessions, marks, attended
    for month in month_of_session.values():
        months[month][0] += 1
    for row in counted:
        totals = months[month_of_session[row["session_id"]]]
        totals[1] += row["marks"]
        totals[2] += row["attended"]
    rows = tuple(
        (month_label(month), sessions, marks, attended, percent(attended, marks))
        for month, (sessions, marks, attended) in months.items()
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


def digital_access_table(team: Team, filters: Filters) -> Table:
    with_needs = (
        Enrolment.objects.filter(run__in=runs_in_period(team, filters).values("pk"))
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
