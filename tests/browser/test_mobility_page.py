"""The mobility page in a real Chromium: the flow matrix renders and links to a country page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from skillpass.app import build
from skillpass.mobility.categories import Period
from skillpass.mobility.synthetic import SyntheticConfig
from tests.browser.conftest import serve
from tests.conftest import make_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = build(make_settings(Path(tmp_path_factory.mktemp("mobility-page"))))
    app.mobility.generate_synthetic(
        SyntheticConfig(people=2000, start=Period(2026, 3, 3), quarters=1, seed=11)
    )
    app.mobility.release("2026Q3", 0.25)
    with serve(app) as url:
        yield url


def test_flow_matrix_renders_and_leads_to_a_country(browser: Browser, server: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/mobility")
    chart = page.locator("#flow-matrix svg")
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert page.locator("#flow-matrix svg path, #flow-matrix svg rect").count() > 100
    assert page.get_by_text("Synthetic data.").is_visible()
    page.get_by_role("link", name="Germany").first.click()
    page.wait_for_url(f"{server}/mobility/DE")
    assert page.locator("h1").inner_text() == "STEM mobility: Germany"
    assert page.locator("#capability-mix svg").count() == 1
    assert errors == []
    page.close()
