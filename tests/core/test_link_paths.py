"""Report notes name pages by their path; the page shows each one that exists as a link."""

from __future__ import annotations

from sapling.core.jinja import link_paths


def test_a_page_of_the_site_becomes_a_link_and_nothing_else_does() -> None:
    html = str(link_paths("Change it in the settings: /reports/settings/, not /nowhere/."))
    assert '<a href="/reports/settings/">/reports/settings/</a>' in html
    assert "/nowhere/" in html and 'href="/nowhere/"' not in html


def test_the_text_around_it_is_escaped() -> None:
    html = str(link_paths("<script>alert(1)</script> see /waiting-list/"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="/waiting-list/">' in html
