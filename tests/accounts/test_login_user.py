from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sapling.accounts.models import User
from tests.factories import PASSWORD


@pytest.mark.django_db
def test_a_member_logs_in_and_lands_on_the_home_page(clinician: User) -> None:
    response = Client().post(
        reverse("accounts:login"), {"username": "clinician", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_login_sets_the_users_stored_language(clinician: User) -> None:
    clinician.preferred_language = "cy"
    clinician.save()
    client = Client()
    client.post(reverse("accounts:login"), {"username": "clinician", "password": PASSWORD})
    assert client.cookies["sapling_language"].value == "cy"
    assert '<html lang="cy"' in client.get(reverse("core:home")).content.decode()


@pytest.mark.django_db
def test_a_wrong_password_shows_the_error_summary(clinician: User) -> None:
    response = Client().post(
        reverse("accounts:login"), {"username": "clinician", "password": "wrong"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "Enter a correct username and password" in html


@pytest.mark.django_db
def test_login_refuses_to_redirect_off_site(clinician: User) -> None:
    response = Client().post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "clinician", "password": PASSWORD},
    )
    assert response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_even_with_the_right_password(
    clinician: User, settings
) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "clinician", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "clinician", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(clinician: User) -> None:
    client = Client()
    client.force_login(clinician)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.django_db
def test_a_user_without_a_team_is_told_to_ask_their_lead(db: None) -> None:
    from tests.factories import UserFactory

    loner = UserFactory.create(username="loner")
    client = Client()
    client.force_login(loner)
    response = client.get(reverse("core:home"))
    assert response.status_code == 403
    assert "not part of a team" in response.content.decode()
    assert client.get(reverse("children:find_children")).status_code == 404
