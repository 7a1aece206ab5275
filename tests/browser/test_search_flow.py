"""The search flow in a real Chromium (Playwright): search a skill, open it, see its occupations.

The app runs in Uvicorn on a free local port in a background thread, over the full English ESCO
imported once per session. Chromium is the Debian package (``/usr/bin/chromium``); Playwright's own
browser downloads are not used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from skillpass.app import build
from tests.browser.conftest import serve
from tests.conftest import make_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.esco]


@pytest.fixture(scope="module")
def live_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """Base URL of SkillPass served by Uvicorn over the full ESCO."""
    esco_database: Path = request.getfixturevalue("esco_database")
    with serve(build(make_settings(esco_database), migrate=False)) as url:
        yield url


def test_search_a_skill_open_it_and_see_its_occupations(
    live_server: str, browser: Browser, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    errors: list[Any] = []
    page.on("pageerror", lambda error: errors.append(error))
    # Content-Security-Policy violations and failed loads show up as console errors.
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{live_server}/taxonomy/search")

    # Typing (not submitting) must bring results: that is htmx's live search at work.
    page.get_by_label("Search for").press_sequentially("python", delay=30)
    result = page.locator("#search-results").get_by_role(
        "link", name="Python (computer programming)", exact=True
    )
    expect(result).to_be_visible(timeout=10_000)
    assert "q=python" in page.url  # htmx pushed the search into the address bar

    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Python (computer programming)")
    expect(page).to_have_url(re.compile(r"/skills/ccd0a1d9-afda-43d9-b901-96344886e14d$"))
    expect(page.get_by_role("heading", name=re.compile("Occupations that need it"))).to_be_visible()
    occupations = page.locator("#essential-occupations-list a")
    expect(occupations.first).to_be_visible()
    expect(
        page.get_by_role("link", name="artificial intelligence engineer", exact=True)
    ).to_be_visible()
    assert occupations.count() >= 1

    page.screenshot(path=str(tmp_path / "python-skill.png"), full_page=True)
    assert errors == []
    page.close()


def test_search_works_without_javascript(live_server: str, browser: Browser) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/taxonomy/search")
    page.get_by_label("Search for").fill("welder")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=re.compile("results for “welder”"))).to_be_visible()
    expect(page.locator("#search-results a").first).to_be_visible()
    context.close()


def test_the_first_tab_reaches_the_skip_link(live_server: str, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(f"{live_server}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.close()
