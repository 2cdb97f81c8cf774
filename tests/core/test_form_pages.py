"""Every form Sapling renders carries its CSRF token, so real browsers can submit it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from sapling.accounts.models import User

TEMPLATES = Path(__file__).resolve().parents[2] / "sapling"


def test_every_template_using_form_page_imports_it_with_context() -> None:
    missing = []
    for template in TEMPLATES.rglob("*.jinja"):
        for line in template.read_text().splitlines():
            if '"_form.jinja" import' in line and "with context" not in line:
                missing.append(str(template.relative_to(TEMPLATES)))
    # Without the context, csrf_input is undefined and the form posts no token.
    assert missing == []


@pytest.mark.django_db
def test_a_form_page_posts_with_its_token_when_csrf_is_enforced(administrator: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    html = client.get("/children/add/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, "the form has a CSRF token"
    response = client.post(
        "/children/add/", {"csrfmiddlewaretoken": token.group(1), "given_name": ""}
    )
    assert response.status_code == 200  # the form, with its errors: not a 403
    assert client.post("/children/add/", {"given_name": ""}).status_code == 403
