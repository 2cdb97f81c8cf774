"""The demo's year and a half of finished groups and training since the redesign, with
registers that agree with the waiting list and questionnaires answered after them, and
the reports that now show them."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from sapling.accounts.models import Team
from sapling.consultations.models import Consultation
from sapling.demo import demo_group_history
from sapling.demo.flow import REDESIGN_WEEKS_AGO
from sapling.demo.places import TEAM_NAME
from sapling.groups.figures import programme_figures, run_figures
from sapling.groups.models import Attendance, Enrolment, Mark, Programme, Run, RunStatus
from sapling.outcomes.models import Administration, AdministrationStatus, Response
from sapling.reports import commissioner, group_report
from sapling.reports.filters import Filters, Quarter
from sapling.waitlist.clock import start_of_week
from sapling.waitlist.models import StopReason

pytestmark = [pytest.mark.usefixtures("shipped_areas"), pytest.mark.django_db]


def _load() -> tuple[Team, dt.date]:
    call_command("load_demo", "--children", "300", "--no-logins", stdout=None)
    return Team.objects.get(name=TEAM_NAME), timezone.localdate()


def _history(team: Team, today: dt.date) -> list[Run]:
    """Runs since the redesign, before the demo's own (which name no term)."""
    redesign = start_of_week(today) - dt.timedelta(weeks=REDESIGN_WEEKS_AGO)
    runs = Run.objects.filter(team=team).exclude(term="").prefetch_related("sessions")
    assert all(
        timezone.localdate(min(s.starts_at for s in run.sessions.all())) >= redesign for run in runs
    )
    return list(runs)


def test_the_redesigned_service_ran_groups_and_training_every_term() -> None:
    team, today = _load()
    history = _history(team, today)
    assert history and all(run.status == RunStatus.FINISHED for run in history)

    by_topic: dict[str, list[Run]] = {}
    for run in history:
        by_topic.setdefault(run.programme.topic, []).append(run)
    # Sensory training about twice a term for a year and a half; handwriting twice.
    sensory_terms = Counter(run.term for run in by_topic["sensory"])
    assert 7 <= sum(sensory_terms.values()) <= 12
    assert set(sensory_terms.values()) <= {1, 2} and len(sensory_terms) >= 5
    assert len(by_topic["handwriting"]) == 2
    assert by_topic["parenting"]

    # Every session held has its register; training runs are 70-95% full.
    for run in history:
        held = len(run.sessions.all())
        places = run.enrolments.filter(status="enrolled").count()
        assert Attendance.objects.filter(session__run=run).count() == held * places
        if run.programme.tier == "universal":
            assert 0.7 <= places / run.capacity <= 0.95, run.title

    # Each child in a parenting group first attended on the day their wait ended.
    children = Enrolment.objects.filter(
        run__in=by_topic["parenting"], child__isnull=False
    ).select_related("waitlist_entry")
    assert children
    for place in children:
        first = place.attendances.filter(mark=Mark.ATTENDED).order_by("session__starts_at").first()
        entry = place.waitlist_entry
        assert entry is not None and first is not None
        assert entry.stop_reason == StopReason.GROUP_SESSION
        assert timezone.localdate(first.session.starts_at) == entry.clock_stopped_on
        assert place.child_id == entry.child_id
    # No wait ended twice, and places never exceed a run's capacity.
    assert len({p.waitlist_entry_id for p in children}) == len(children)
    assert all(run.enrolments.count() <= run.capacity for run in by_topic["parenting"])

    # Parents stay to the end: one drop-out at most in all the parenting groups.
    parenting = programme_figures(Programme.objects.get(team=team, topic="parenting"))
    assert parenting.started > 0 and parenting.dropped_out <= 1
    assert parenting.completed >= parenting.counted - 1
    # Some staff drift away from training.
    training = [run_figures(run) for run in by_topic["sensory"]]
    assert sum(f.dropped_out for f in training) > 0
    assert sum(f.completed for f in training) > sum(f.counted for f in training) / 2


def test_families_answered_questionnaires_after_the_groups() -> None:
    team, today = _load()
    parenting = [run for run in _history(team, today) if run.programme.topic == "parenting"]
    ended = Administration.objects.filter(run__in=parenting, time_point="run_end")
    for name in ("family_confidence", "friends_and_family_test"):
        asked = ended.filter(instrument_version__instrument__name=name)
        done = asked.filter(status=AdministrationStatus.COMPLETED)
        assert asked.exists() and 0.5 <= done.count() / asked.count() <= 0.9, name
        # What was not answered was sent and reminded long ago: nothing left to send.
        assert not asked.exclude(status=AdministrationStatus.COMPLETED).filter(
            reminded_at__isnull=True
        )
    # Every completed one has its answers, after the run's last session.
    done = ended.filter(status=AdministrationStatus.COMPLETED).select_related("response")
    assert all(a.response.submitted_at.date() >= a.due_on for a in done)
    confidence = Response.objects.filter(
        administration__in=ended, instrument_version__instrument__name="family_confidence"
    )
    assert {r.answers["confidence"] for r in confidence} <= {"extremely", "somewhat"}
    experience = Counter(
        r.answers["experience"]
        for r in Response.objects.filter(
            administration__in=ended,
            instrument_version__instrument__name="friends_and_family_test",
        )
    )
    assert (experience["1"] + experience["2"]) / sum(experience.values()) >= 0.75
    # The outcomes rules found nothing of the history left to make, send or remind.
    history = Administration.objects.filter(run__in=_history(team, today))
    assert history.filter(time_point="session", status=AdministrationStatus.COMPLETED)
    assert not history.filter(status=AdministrationStatus.SCHEDULED)
    assert not history.filter(status=AdministrationStatus.SENT, reminded_at__isnull=True)


def test_the_dashboard_and_commissioner_tables_show_the_groups() -> None:
    team, today = _load()
    year = group_report.programmes_table(team, Filters.last_twelve_months(today))
    total = year.rows[-1]
    runs, offered, taken = total[2], total[3], total[4]
    assert runs >= 10 and 0.7 <= taken / offered <= 0.95

    # Some staff booked a consultation after their training, and it was recorded.
    consulted = Consultation.objects.filter(
        team=team, enrolment__run__in=_history(team, today)
    ).select_related("slot", "enrolment")
    assert consulted
    for consultation in consulted:
        assert consultation.enrolment is not None
        last = consultation.enrolment.run.sessions.order_by("-starts_at").first()
        assert last is not None and consultation.slot.starts_at > last.ends_at
        assert consultation.status in ("held", "not_held")
        assert (consultation.status == "held") == bool(consultation.referral)
    # The dashboard counts those of the last year, not only the demo's last eight weeks.
    year_ago = timezone.now() - dt.timedelta(days=365)
    earlier = consulted.filter(status="held", slot__starts_at__gte=year_ago).count()
    held = group_report.consultation_totals(team, Filters.last_twelve_months(today)).held
    assert held >= earlier > 0

    quarter = Quarter.last_complete(today)
    places = commissioner.count_measures(team, quarter)["group-places"]
    by_tier = Counter[str]()
    for (_place, tier), count in places.items():
        by_tier[tier] += count
    assert by_tier["targeted"] > 0


def test_term_names_follow_the_school_year() -> None:
    assert demo_group_history.term_of(dt.date(2025, 9, 1)) == "Autumn 2025"
    assert demo_group_history.term_of(dt.date(2026, 1, 5)) == "Spring 2026"
    assert demo_group_history.term_of(dt.date(2026, 4, 20)) == "Summer 2026"
