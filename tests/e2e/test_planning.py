"""A lead plans: projects a change, saves it, compares it with the baseline on Plotly charts
under the strict CSP, reads the figures by keyboard, downloads them, and runs a long
comparison, once to the end and once cancelled."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from sapling.accounts.models import Team, User
from sapling.reports.models import PlanningRun, PlanningScenario, RunStatus
from tests.e2e.conftest import log_in
from tests.reports.factories import waiting_list

pytestmark = pytest.mark.e2e


def test_a_lead_saves_compares_downloads_and_runs_long(
    page: Page, check_page: Callable[[], None], team: Team, lead: User
) -> None:
    waiting_list(team)
    page.set_default_timeout(20_000)
    log_in(page, lead)

    # The lead projects a change and saves it under a name.
    page.goto(reverse("reports:show_planning"))
    page.get_by_label("More first specialist contacts each week").fill("3")
    page.get_by_role("button", name="Project this change").click()
    expect(page.get_by_role("heading", name="Save this scenario")).to_be_visible()
    check_page()
    page.get_by_label("Name this scenario").fill("Three more contacts")
    page.get_by_role("button", name="Save scenario").click()
    expect(page.get_by_text("Scenario “Three more contacts” saved")).to_be_visible()
    check_page()

    # The baseline and the saved scenario, compared.
    page.get_by_label("If nothing changes (the calibrated baseline)").check()
    page.get_by_label("Three more contacts").check()
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Compare scenarios")).to_be_visible()

    # Plotly draws one chart per measure, with no CSP violation (check_page fails on any).
    charts = page.locator("[data-chart] .main-svg")
    expect(page.locator("[data-chart].js-plotly-plot")).to_have_count(4, timeout=30_000)
    expect(charts.first).to_be_attached()
    expect(page.locator("[data-chart]").first).to_contain_text("Three more contacts")
    check_page()

    # Keyboard: the charts take no focus; the table behind each opens from the keyboard.
    summary = page.locator("summary").filter(has_text="Children waiting week by week")
    summary.focus()
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name="Children waiting: median")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(105)
    focusable = "[data-chart] :is(a, button, input, [tabindex])"
    assert page.evaluate(f"document.querySelectorAll('{focusable}').length") == 0
    check_page()

    # The CSV download.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these results (CSV)").click()
    path = download.value.path()
    assert path is not None
    lines = open(path, encoding="utf-8").read().splitlines()  # noqa: SIM115
    assert lines[0] == "week,scenario,measure,p5,median,p95"
    assert len(lines) == 1 + 104 * 2 * 4

    # A long run: progress while it goes, charts when it finishes, without a button press.
    page.get_by_label("1,000").check()
    page.get_by_role("button", name="Start a long run").click()
    expect(page.get_by_role("heading", level=1, name="Long run")).to_be_visible()
    expect(page.get_by_text("What each scenario leads to")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-chart].js-plotly-plot")).to_have_count(4, timeout=30_000)
    check_page()
    run = PlanningRun.objects.get(team=team)
    assert run.status == RunStatus.FINISHED and run.done == 1000

    # Another, cancelled part-way: it stops and shows what was done.
    page.go_back()
    page.wait_for_load_state("load")
    page.goto(page.url)
    page.get_by_label("5,000").check()
    page.get_by_role("button", name="Start a long run").click()
    expect(page.get_by_role("status")).to_contain_text("of 5,000 runs done")
    page.get_by_role("button", name="Cancel this run").click()
    expect(page.get_by_text("The run was cancelled")).to_be_visible()
    cancelled = PlanningRun.objects.exclude(pk=run.pk).get(team=team)
    assert cancelled.status == RunStatus.CANCELLED and cancelled.done < 5000
    check_page()
    assert PlanningScenario.objects.filter(team=team).count() == 1
