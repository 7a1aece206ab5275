"""The "what skills are in this text?" page (/match) in a real Chromium (Playwright).

The app runs in Uvicorn on a free local port (``tests/browser/conftest.py``). Its matching engine
runs lexical only and is warmed up before serving, as a deployment would, so no test waits for
an index build and no background build outlives the app: most tests use the tiny synthetic
taxonomy; one uses the full English ESCO.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from skillpass.app import SkillPass, build
from skillpass.matching import MatchingService
from tests.browser.conftest import serve
from tests.conftest import make_settings
from tests.matching.conftest import seed_tiny_taxonomy

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

ADVERT = (
    "Bakery in Lyon seeks a baker.\n"
    "You will bake bread every morning and communicate with customers.\n"
    "A driving licence is a plus."
)


def _warm_lexical(app: SkillPass) -> SkillPass:
    """The app with a lexical-only matching service, warmed up before it serves."""
    matching = MatchingService(app.engine, app.settings.data_dir, semantic=False)
    matching.warm_up()
    return replace(app, matching=matching)


@pytest.fixture(scope="module")
def tiny_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of SkillPass over the tiny taxonomy."""
    app = build(make_settings(tmp_path_factory.mktemp("match-page")))
    seed_tiny_taxonomy(app.engine)
    with serve(_warm_lexical(app)) as url:
        yield url


def _watch_errors(page: Page) -> list[Any]:
    errors: list[Any] = []
    page.on("pageerror", lambda error: errors.append(error))
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors


def test_pasted_advert_shows_skills_and_highlighted_evidence_in_place(
    tiny_server: str, browser: Browser, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    errors = _watch_errors(page)
    page.goto(f"{tiny_server}/match")
    expect(page.get_by_role("heading", level=1)).to_have_text("What skills are in this text?")

    page.get_by_label("Text", exact=True).fill(ADVERT)
    page.get_by_role("button", name="Find skills").click()

    results = page.locator("#match-results")
    expect(results.get_by_role("link", name="bake bread", exact=True)).to_be_visible()
    expect(
        results.get_by_role("link", name="communicate with customers", exact=True)
    ).to_be_visible()
    expect(results).to_contain_text("Language: English (detected)")
    sentence = "You will bake bread every morning and communicate with customers."
    evidence = results.locator("mark", has_text=sentence)
    expect(evidence).to_have_text(sentence)
    anchor = evidence.get_attribute("id")
    assert anchor is not None
    assert anchor.startswith("evidence-")
    # htmx swapped the results in (no navigation) and told screen readers in one line
    assert page.url == f"{tiny_server}/match"
    expect(page.locator("#match-status")).to_contain_text("found in 3 sentences")
    expect(page.get_by_label("Text", exact=True)).to_have_value(ADVERT)

    # the "Found in" link jumps to the highlighted sentence
    results.locator(f'a[href="#{anchor}"]').first.click()
    assert page.url.endswith(f"#{anchor}")
    page.screenshot(path=str(tmp_path / "match.png"), full_page=True)
    assert errors == []
    page.close()


def test_pasted_markup_is_shown_as_text_never_run(tiny_server: str, browser: Browser) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{tiny_server}/match")
    page.get_by_label("Text", exact=True).fill(
        'You will bake bread <img src=x onerror="alert(1)"> every day.'
    )
    page.get_by_role("button", name="Find skills").click()
    mark = page.locator("#match-results mark").first
    expect(mark).to_contain_text('<img src=x onerror="alert(1)">')
    assert page.locator("#match-results img").count() == 0
    assert dialogs == []
    page.close()


def test_empty_text_gets_a_problem_next_to_the_field(tiny_server: str, browser: Browser) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    page.goto(f"{tiny_server}/match")
    page.get_by_role("button", name="Find skills").click()
    expect(page.get_by_role("alert")).to_contain_text("Paste a job advert")
    page.close()


def test_german_job_title_is_normalised_without_choosing_a_language(
    tiny_server: str, browser: Browser
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    errors = _watch_errors(page)
    page.goto(f"{tiny_server}/match")
    page.get_by_role("textbox", name="Job title").fill("Krankenpflegerin")
    page.get_by_role("button", name="Suggest occupations").click()
    results = page.locator("#occupation-results ol.results li")
    expect(results.first).to_contain_text("Krankenpfleger/Krankenpflegerin")
    expect(page.locator("#occupation-results")).not_to_contain_text("Danish")
    assert errors == []
    page.close()


def test_the_page_works_without_javascript(tiny_server: str, browser: Browser) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{tiny_server}/match")
    page.get_by_label("Text", exact=True).fill(ADVERT)
    page.get_by_role("button", name="Find skills").click()
    expect(page.get_by_role("link", name="bake bread", exact=True)).to_be_visible()
    expect(page.get_by_label("Text", exact=True)).to_have_value(ADVERT)

    page.get_by_role("textbox", name="Job title").fill("truck driver")
    page.get_by_label("Language of the title").select_option("en")
    page.get_by_role("button", name="Suggest occupations").click()
    assert "/match/occupations?" in page.url
    expect(page.get_by_role("link", name="lorry driver")).to_be_visible()
    context.close()


@pytest.mark.esco
def test_full_esco_advert_finds_its_skills(
    request: pytest.FixtureRequest, browser: Browser
) -> None:
    """The full English ESCO (lexical path; its index is cached in the shared data dir)."""
    from playwright.sync_api import expect

    esco_database: Path = request.getfixturevalue("esco_database")
    app = _warm_lexical(build(make_settings(esco_database), migrate=False))
    with serve(app) as url:
        page = browser.new_page()
        page.goto(f"{url}/match")
        page.get_by_label("Text", exact=True).fill(
            "We are looking for a nurse.\n"
            "You will administer medication to patients and keep patient records.\n"
            "Experience in Python programming is a plus."
        )
        page.get_by_role("button", name="Find skills").click()
        results = page.locator("#match-results")
        expect(results.locator("ol.results li").first).to_be_visible(timeout=20_000)
        expect(results).to_contain_text("medication")
        expect(results.get_by_role("link", name="Python (computer programming)")).to_be_visible()
        expect(results.locator("mark").first).to_be_visible()
        page.close()
