"""The staff pages, the partner's booking and the public booking page, as users see them."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sapling.core.models import OutboxMessage
from sapling.groups.models import Attendance, Enrolment, Programme, Run
from sapling.waitlist.models import EntryStatus
from tests.conftest import logged_in
from tests.factories import CarerFactory
from tests.groups.factories import EnrolmentFactory, ProgrammeFactory, run_with_sessions
from tests.waitlist.factories import WaitlistEntryFactory


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_a_lead_adds_a_programme_and_plans_a_run(team, lead) -> None:
    client = logged_in(lead)
    response = client.post(
        reverse("runs:add_programme"),
        {
            "name": "Handwriting for teaching assistants",
            "tier": "universal",
            "audience": "school_staff",
            "topic": "handwriting",
            "delivery": "online",
            "sessions_count": "3",
            "capacity": "15",
            "languages": ["en", "cy"],
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(team=team)
    first = timezone.localdate() + dt.timedelta(days=10)
    fields = {
        "title": "Handwriting, summer",
        "meeting_link": "http://meet.example.org/hw",
        "capacity": "15",
        "language": "en",
        "start_time": "15:45",
        "minutes": "60",
        "count": "3",
        "every_days": "7",
        **_date("first_date", first),
    }
    refused = client.post(reverse("runs:add_run", args=[programme.pk]), fields)
    assert "The meeting link must start with https://" in refused.content.decode()
    assert not Run.objects.exists()
    fields["meeting_link"] = "https://meet.example.org/hw"
    response = client.post(reverse("runs:add_run", args=[programme.pk]), fields)
    run = Run.objects.get()
    assert response["Location"] == reverse("runs:show_run", args=[run.pk])
    assert run.sessions.count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "Handwriting, summer" in page and "Open for booking" in page


def test_a_run_in_the_past_is_refused_with_a_message(team, lead) -> None:
    programme = ProgrammeFactory.create(team=team)
    response = logged_in(lead).post(
        reverse("runs:add_run", args=[programme.pk]),
        {
            "title": "Old",
            "meeting_link": "https://meet.example.org/x",
            "capacity": "5",
            "language": "en",
            "start_time": "10:00",
            "minutes": "60",
            "count": "1",
            "every_days": "7",
            **_date("first_date", timezone.localdate() - dt.timedelta(days=3)),
        },
    )
    assert "A session cannot start in the past" in response.content.decode()


def test_the_register_saves_marks_and_stops_the_clock(team, clinician) -> None:
    run = run_with_sessions(2, programme__team=team, programme__tier="targeted", first_in_days=-1)
    entry = WaitlistEntryFactory.create(team=team)
    child_place = EnrolmentFactory.create(
        run=run,
        child=entry.child,
        waitlist_entry=entry,
        participant_email="",
        participant_name="",
    )
    adult = EnrolmentFactory.create(run=run, participant_name="Zoe Price")
    session = run.sessions.get(number=1)
    client = logged_in(clinician)
    page = client.get(reverse("runs:take_register", args=[session.pk])).content.decode()
    assert entry.child.given_name in page and "Zoe Price" in page
    response = client.post(
        reverse("runs:take_register", args=[session.pk]),
        {f"mark_{child_place.pk}": "attended", f"mark_{adult.pk}": "apologies"},
    )
    assert response.status_code == 302
    marks = dict(Attendance.objects.values_list("enrolment_id", "mark"))
    assert marks == {child_place.pk: "attended", adult.pk: "apologies"}
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SEEN


def test_the_register_of_a_future_session_cannot_be_saved(team, clinician) -> None:
    run = run_with_sessions(1, programme__team=team)
    place = EnrolmentFactory.create(run=run)
    session = run.sessions.get()
    response = logged_in(clinician).post(
        reverse("runs:take_register", args=[session.pk]), {f"mark_{place.pk}": "attended"}
    )
    assert "once the session has started" in response.content.decode()
    assert not Attendance.objects.exists()


def test_staff_offer_a_waiting_child_a_place_and_the_carer_is_told(team, administrator) -> None:
    run = run_with_sessions(2, programme__team=team, programme__tier="targeted")
    entry = WaitlistEntryFactory.create(team=team)
    carer = CarerFactory.create(child=entry.child, email="mam@example.org")
    response = logged_in(administrator).post(
        reverse("runs:enrol_child", args=[run.pk]), {"entry": entry.pk}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(run=run)
    assert list(enrolment.carers.all()) == [carer]
    assert OutboxMessage.objects.get().carer == carer


def test_public_booking_needs_no_account_and_a_full_run_offers_the_reserve_list(team) -> None:
    run = run_with_sessions(2, programme__team=team, capacity=1)
    EnrolmentFactory.create(run=run)
    client = Client()
    listing = client.get(reverse("booking:list_open_training")).content.decode()
    assert run.title in listing and "Full: reserve list only." in listing
    fields = {
        "name": "Rhian Evans",
        "role": "Teacher",
        "setting": "Ysgol y Graig",
        "email": "rhian@school.example.org",
    }
    response = client.post(reverse("booking:book_run", args=[run.pk]), fields)
    assert response["Location"] == reverse("booking:booked")
    assert "You are on the reserve list" in client.get(response["Location"]).content.decode()
    again = client.post(reverse("booking:book_run", args=[run.pk]), fields)
    assert "already has a place" in again.content.decode()


def test_the_public_page_shows_no_planned_or_targeted_runs(team) -> None:
    planned = run_with_sessions(1, programme__team=team, status="planned")
    targeted = run_with_sessions(1, programme__team=team, programme__tier="targeted")
    listing = Client().get(reverse("booking:list_open_training")).content.decode()
    assert planned.title not in listing and targeted.title not in listing
    assert Client().get(reverse("booking:book_run", args=[targeted.pk])).status_code == 404


def test_a_partner_books_training_from_their_account(team, partner) -> None:
    run = run_with_sessions(2, programme__team=team)
    client = logged_in(partner)
    assert run.title in client.get(reverse("runs:list_training")).content.decode()
    response = client.post(reverse("runs:book_training", args=[run.pk]), {"version": 1})
    assert response.status_code == 302
    assert Enrolment.objects.get(run=run).user == partner
    assert "You have booked this." in client.get(reverse("runs:list_training")).content.decode()


def test_moving_a_session_from_the_page_tells_people(team, lead) -> None:
    run = run_with_sessions(2, programme__team=team)
    EnrolmentFactory.create(run=run)
    session = run.sessions.get(number=2)
    day = timezone.localdate() + dt.timedelta(days=20)
    response = logged_in(lead).post(
        reverse("runs:move_session", args=[session.pk]),
        {
            "version": session.version,
            "start_time": "18:00",
            "end_time": "17:00",
            "reason": "Half term",
            **_date("day", day),
        },
    )
    assert "must end after it starts" in response.content.decode()
    response = logged_in(lead).post(
        reverse("runs:move_session", args=[session.pk]),
        {
            "version": session.version,
            "start_time": "18:00",
            "end_time": "19:30",
            "reason": "Half term",
            **_date("day", day),
        },
    )
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(template="groups.session_changed").count() == 1


def test_cancelling_a_session_from_the_page_refuses_a_stale_form(team, lead) -> None:
    run = run_with_sessions(2, programme__team=team)
    EnrolmentFactory.create(run=run)
    session = run.sessions.get(number=2)
    url = reverse("runs:cancel_session", args=[session.pk])
    stale = logged_in(lead).post(url, {"version": session.version - 1, "reason": "Venue shut"})
    assert "This was changed by" in stale.content.decode()
    session.refresh_from_db()
    assert session.status != "cancelled"

    response = logged_in(lead).post(url, {"version": session.version, "reason": "Venue shut"})
    assert response.status_code == 302
    assert response["Location"] == reverse("runs:show_run", args=[run.pk])
    session.refresh_from_db()
    assert session.status == "cancelled"


def test_a_stale_edit_names_who_changed_it(team, lead, administrator) -> None:
    run = run_with_sessions(1, programme__team=team, status="planned")
    Run.objects.filter(pk=run.pk).update(version=2, updated_by=administrator)
    response = logged_in(lead).post(reverse("runs:open_run", args=[run.pk]), {"version": 1})
    assert "This was changed by" in response.content.decode()
    run.refresh_from_db()
    assert run.status == "planned"


def test_the_runs_page_counts_digital_access_needs_across_runs(team, lead) -> None:
    run = run_with_sessions(1, programme__team=team)
    EnrolmentFactory.create(run=run, digital_needs=["device"])
    page = logged_in(lead).get(reverse("runs:list_runs")).content.decode()
    assert "who said joining online is hard: 1." in page
    assert "No suitable device: 1" in page
