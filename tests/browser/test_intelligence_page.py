"""The skills-intelligence dashboard in a real Chromium: charts render, filters apply."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import serve
from tests.intelligence.generated_store import generated_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = Path(tmp_path_factory.mktemp("intelligence-page"))
    app = generated_app(folder)
    with serve(app) as url:
        yield url


def test_dashboard_renders_charts_and_applies_filters(browser: Browser, server: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/")
    page.get_by_role("link", name="Skills intelligence").click()
    page.wait_for_url(f"{server}/intelligence")
    assert page.locator("h1").inner_text() == "Skills intelligence"
    for chart in ("#demand-chart", "#emerging-chart", "#regions-chart"):
        svg = page.locator(f"{chart} svg")
        assert svg.count() == 1, chart
        box = svg.bounding_box()
        assert box is not None
        assert box["width"] > 200
        # the emerging-skills bar chart grows with its number of bars (two bars: 99 px)
        assert box["height"] > 60
        assert page.locator(f"{chart} svg path, {chart} svg rect").count() > 5
    assert page.get_by_text("Synthetic data.").is_visible()
    assert page.locator("#provenance-list").is_visible()
    page.select_option("#country", "DE")
    page.select_option("#period", "year")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/intelligence?country=DE*")
    assert "regions of DE" in page.locator("#regions").inner_text()
    assert page.locator("#demand-chart svg").count() == 1
    link = page.get_by_role("link", name="Download these rows as CSV").first
    assert link.get_attribute("href") == "/intelligence/demand.csv?country=DE&period=year"
    assert errors == []
    page.close()
