from __future__ import annotations

import pytest
from django.test import Client

from sapling.accounts.models import User
from tests.conftest import logged_in


@pytest.mark.django_db
def test_only_superusers_reach_djangos_admin_site(lead: User) -> None:
    lead.is_staff = True
    lead.save()
    assert logged_in(lead).get("/django-admin/").status_code == 302
    lead.is_superuser = True
    lead.save()
    response = logged_in(lead).get("/django-admin/accounts/team/")
    assert response.status_code == 200
    assert "Swansea Bay" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_admin_login() -> None:
    assert Client().get("/django-admin/").status_code == 302
