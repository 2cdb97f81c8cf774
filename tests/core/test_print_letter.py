from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from sapling.accounts.models import Team, User
from sapling.children.models import Carer, Child
from sapling.core.models import MessageStatus
from tests.conftest import logged_in
from tests.factories import CarerFactory, LetterFactory


@pytest.fixture
def carer(child: Child) -> Carer:
    return CarerFactory.create(child=child, given_name="Mair", address="1 Stryd Fawr\nAbertawe")


@pytest.mark.django_db
def test_the_office_sees_letters_to_print_and_prints_one_once(
    administrator: User, team: Team, carer: Carer
) -> None:
    letter = LetterFactory.create(carer=carer, team=team, body="Score <5 & rising")
    client = logged_in(administrator)
    listing = client.get(reverse("core:list_messages")).content.decode()
    assert "Your request for help" in listing and "Mair" in listing

    page = client.post(reverse("core:print_letter", args=[letter.pk])).content.decode()
    assert "Stryd Fawr" in page and "Score &lt;5 &amp; rising" in page
    letter.refresh_from_db()
    assert letter.status == MessageStatus.SENT and letter.sent_at is not None
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, additional_data__event="letter"
    ).exists()

    again = client.post(reverse("core:print_letter", args=[letter.pk]), follow=True)
    assert "printed already" in again.content.decode()


@pytest.mark.django_db
def test_a_letter_to_a_carer_restricted_since_it_was_queued_is_withheld(
    administrator: User, team: Team, carer: Carer
) -> None:
    letter = LetterFactory.create(carer=carer, team=team)
    Carer.objects.filter(pk=carer.pk).update(contact_restriction="do_not_contact")
    response = logged_in(administrator).post(
        reverse("core:print_letter", args=[letter.pk]), follow=True
    )
    assert "was not printed" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == MessageStatus.SUPPRESSED and letter.body == ""


@pytest.mark.django_db
def test_another_teams_letter_is_not_found(
    administrator: User, other_team: Team, carer: Carer
) -> None:
    letter = LetterFactory.create(carer=carer, team=other_team)
    response = logged_in(administrator).post(reverse("core:print_letter", args=[letter.pk]))
    assert response.status_code == 404
    letter.refresh_from_db()
    assert letter.status == MessageStatus.FOR_PRINT
