"""The verification flow in a real Chromium (Playwright): paste a credential, read the verdict.

The app runs in Uvicorn on a free local port in a background thread, on a fresh SQLite database
with one issuer, the example micro-credential definition and one issued credential (no ESCO
needed). Chromium is the Debian package (``/usr/bin/chromium``, or ``SKILLPASS_TEST_CHROMIUM``).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from skillpass.api.app import create_api
from skillpass.app import build
from tests.browser.test_search_flow import CHROMIUM_ARGS, _chromium, _free_port
from tests.conftest import make_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "micro-credential.yaml"


@dataclass(frozen=True)
class Served:
    """The live server's address and the credential issued on it."""

    url: str
    credential_id: str
    document: str


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Uvicorn serving a fresh SkillPass that has issued one OB3 credential."""
    import uvicorn

    app = build(make_settings(tmp_path_factory.mktemp("verify-flow")))
    issuer = app.issuers.create(name="Northvale University", country="SE", kind="university")
    record = app.achievements.create_from_file(issuer.id, EXAMPLE)
    credential = app.credentials.issue(record.id, "ana@example.org", "Ana López", None, "ob3")
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
        yield Served(f"http://127.0.0.1:{port}", credential.id, credential.document)
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


def _tampered(document: str) -> str:
    data = json.loads(document)
    data["credentialSubject"]["achievement"]["name"] = "Quantum computing (forged)"
    return json.dumps(data, indent=2)


def _paste_and_verify(page: Page, text: str) -> None:
    page.get_by_label("Paste the credential (JSON or JWT)").fill(text)
    page.get_by_role("button", name="Verify", exact=True).click()


def test_paste_a_credential_see_verified_then_a_tampered_copy_see_not_verified(
    served: Served, browser: Browser, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    errors: list[Any] = []
    page.on("pageerror", lambda error: errors.append(error))
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{served.url}/verify")
    page.evaluate("window.samePage = true")

    _paste_and_verify(page, served.document)
    verdict = page.locator("#verdict-heading")
    expect(verdict).to_have_text("✓ Verified", timeout=10_000)
    expect(page.get_by_text("nothing was changed after issuing")).to_be_visible()
    expect(page.get_by_text("Ana López")).to_be_visible()
    assert page.evaluate("window.samePage === true")  # htmx swapped the report in place
    page.screenshot(path=str(tmp_path / "verified.png"), full_page=True)

    _paste_and_verify(page, _tampered(served.document))
    expect(verdict).to_have_text("✗ Not verified", timeout=10_000)
    expect(page.get_by_text("The signature does not match the content")).to_be_visible()
    page.screenshot(path=str(tmp_path / "not-verified.png"), full_page=True)
    assert errors == []
    page.close()


def test_verify_works_without_javascript(served: Served, browser: Browser) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served.url}/verify")
    _paste_and_verify(page, _tampered(served.document))
    expect(page.locator("#verdict-heading")).to_have_text("✗ Not verified")
    _paste_and_verify(page, served.document)
    expect(page.locator("#verdict-heading")).to_have_text("✓ Verified")
    context.close()


def test_qr_code_target_verifies_the_stored_credential(served: Served, browser: Browser) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    uuid = served.credential_id.removeprefix("urn:uuid:")
    page.goto(f"{served.url}/credentials/{uuid}")
    expect(page.locator(".qr-code svg")).to_be_visible()
    page.get_by_role("link", name="Verify it").click()
    expect(page.locator("#verdict-heading")).to_have_text("✓ Verified")
    page.close()
