"""The verification flow in a real Chromium (Playwright): paste a credential, read the verdict.

The app runs in Uvicorn on a free local port in a background thread, on a fresh SQLite database
with one issuer, the example micro-credential definition and one issued credential (no ESCO
needed). Chromium is the Debian package (``/usr/bin/chromium``, or ``SKILLPASS_TEST_CHROMIUM``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from skillpass.app import build
from tests.browser.conftest import serve
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
    app = build(make_settings(tmp_path_factory.mktemp("verify-flow")))
    issuer = app.issuers.create(name="Northvale University", country="SE", kind="university")
    record = app.achievements.create_from_file(issuer.id, EXAMPLE)
    credential = app.credentials.issue(record.id, "ana@example.org", "Ana López", None, "ob3")
    with serve(app) as url:
        yield Served(url, credential.id, credential.document)


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
    expect(page.get_by_text("Ana López", exact=True)).to_be_visible()
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


@pytest.mark.esco
def test_issuer_defines_with_the_skill_picker_issues_and_the_credential_verifies(
    request: pytest.FixtureRequest, browser: Browser, tmp_path: Path
) -> None:
    """End to end on a copy of the full-ESCO database: sign in, define (htmx suggestions from
    the outcome text), issue, open the credential page and follow its verification link."""
    import shutil

    from playwright.sync_api import expect

    from skillpass.auth.models import Role

    esco_database: Path = request.getfixturevalue("esco_database")
    folder = tmp_path / "copy"
    shutil.copytree(esco_database, folder)  # the shared database stays read-only
    # cold, as `skillpass serve` starts after an import: no matching index, the label search
    # index not loaded; the server warms both up in the background from startup
    settings = make_settings(folder).model_copy(update={"warm_up_on_start": True})
    app = build(settings, migrate=False)
    app.auth.create_user("iris@example.org", "Iris", "correct horse battery", [Role.ISSUER])
    issuer = app.issuers.create(name="Northvale University", country="SE", kind="university")
    app.issuers.add_member(issuer.id, "iris@example.org")  # issuers act only for their own
    stack = ExitStack()
    url = stack.enter_context(serve(app))
    page = browser.new_page()
    try:
        page.goto(f"{url}/issuer")
        page.get_by_label("Email address").fill("iris@example.org")
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Northvale University").click()
        page.get_by_role("link", name="Define a micro-credential").click()

        page.get_by_label("Title").fill("Python for lab automation")
        page.get_by_label("Description").fill("Automate lab instruments with Python scripts.")
        page.locator("#outcome_0_text").fill("Write Python programs that automate instruments")
        page.get_by_role("button", name="Suggest ESCO skills for outcome 1").click()
        suggestions = page.locator("#outcome-0-suggestions")
        expect(suggestions).to_contain_text("Python (computer programming)", timeout=15_000)
        suggestions.get_by_label("Python (computer programming)", exact=True).check()
        page.get_by_label("ECTS credits").fill("3")
        page.get_by_label("Kind of assessment").select_option("project")
        page.get_by_label("Mode").select_option("online")
        page.get_by_label("Setting").select_option("non_formal")
        page.locator("#quality_assurance").fill("Internal quality assurance of the university.")
        page.get_by_role("button", name="Save the definition").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Issue “Python for lab automation”"
        )
        page.get_by_label("Learner's e-mail address").fill("cleo@example.org")
        page.get_by_label("Learner's name").fill("Cleo Martin")
        page.get_by_role("button", name="Issue and sign").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Python for lab automation")
        expect(page.get_by_role("link", name="Python (computer programming)")).to_be_visible()
        page.get_by_role("link", name="Verify it").click()
        expect(page.locator("#verdict-heading")).to_have_text("✓ Verified")
        page.screenshot(path=str(tmp_path / "issued-and-verified.png"), full_page=True)
        titles = [record.title for record in app.achievements.list_achievements(issuer.id)]
        assert titles == ["Python for lab automation"]
    finally:
        page.close()
        stack.close()
