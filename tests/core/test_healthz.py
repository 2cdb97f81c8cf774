from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client


@pytest.mark.django_db
def test_it_reports_ok_when_the_database_answers() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_it_answers_503_with_the_reason_when_the_database_is_down() -> None:
    with mock.patch(
        "sapling.core.views.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert "connection refused" in body["database"]
