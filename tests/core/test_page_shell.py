"""The page shell: skip link, header with the team, navigation by role, CSP, language."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from sapling.accounts.models import User
from tests.conftest import logged_in


@pytest.mark.django_db
def test_pages_have_a_skip_link_the_team_and_role_navigation(clinician: User) -> None:
    html = logged_in(clinician).get(reverse("core:home")).content.decode()
    assert 'href="#maincontent"' in html
    assert "Swansea Bay Children&#39;s OT" in html or "Swansea Bay Children's OT" in html
    assert reverse("children:find_children") in html
    assert reverse("children:list_gp_practices") not in html


@pytest.mark.django_db
def test_a_lead_also_sees_team_settings(lead: User) -> None:
    html = logged_in(lead).get(reverse("core:home")).content.decode()
    assert reverse("children:list_gp_practices") in html


@pytest.mark.django_db
def test_a_partner_sees_no_childrens_records_in_navigation(partner: User) -> None:
    html = logged_in(partner).get(reverse("core:home")).content.decode()
    # The exact link: a partner's "Shared summaries" (/children/summaries/) shares its prefix.
    assert f'href="{reverse("children:find_children")}"' not in html


@pytest.mark.django_db
def test_every_page_has_a_content_security_policy_and_no_inline_script(
    clinician: User,
) -> None:
    response = logged_in(clinician).get(reverse("children:add_child"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.content.decode(), re.S)
    assert scripts, "the page loads its scripts from files"
    for attributes, body in scripts:
        assert "src=" in attributes and body.strip() == ""


@pytest.mark.django_db
def test_the_language_switch_keeps_the_page_and_remembers_the_choice(clinician: User) -> None:
    client = logged_in(clinician)
    page = reverse("children:find_children") + "?q=morgan"
    response = client.post(reverse("core:set_language"), {"language": "cy", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    clinician.refresh_from_db()
    assert clinician.preferred_language == "cy"
    html = client.get(page).content.decode()
    assert '<html lang="cy"' in html
    assert "Dod o hyd i blentyn" in html  # "Find a child", from the Welsh catalogue


@pytest.mark.django_db
def test_the_language_switch_never_redirects_off_site() -> None:
    response = Client().post(
        reverse("core:set_language"), {"language": "cy", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
