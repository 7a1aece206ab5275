"""The search flow in a real Chromium (Playwright): search a skill, open it, see its occupations.

The app runs in Uvicorn on a free local port in a background thread, over the full English ESCO
imported once per session. Chromium is the Debian package (``/usr/bin/chromium``); Playwright's own
browser downloads are not used.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from skillpass.api.app import create_api
from skillpass.app import build
from tests.conftest import make_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.esco]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _chromium() -> str | None:
    candidate = os.environ.get("SKILLPASS_TEST_CHROMIUM") or shutil.which("chromium")
    return candidate if candidate and Path(candidate).exists() else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def live_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """Base URL of SkillPass served by Uvicorn over the full ESCO."""
    import uvicorn

    try:
        esco_database: Path = request.getfixturevalue("esco_database")
    except NotImplementedError as error:  # a service the import needs is still a stub
        pytest.skip(f"the ESCO import is not implemented yet: {error!r}")
    app = build(make_settings(esco_database), migrate=False)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_api(app), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="skillpass-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("Uvicorn did not start within 20 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright; skips when either is missing."""
    executable = _chromium()
    if executable is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


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
