"""Issue 5 acceptance in a real Chromium (Playwright): the competence passport journey.

A learner imports a foreign OB3 credential (verified badge); an employer attests a
battery-production technician role with the skills suggested from the tasks ticked (full ESCO,
lexical matching); the learner asks for recognition of prior learning; an assessor takes and
approves it; the issued credential appears in the passport; the learner creates a share; a
verifier without an account opens it and sees everything verified, and gets a presentation for
their own challenge and domain; the learner revokes the share and the link stops working.

Runs on a writable copy of the session's full-ESCO database (the shared one stays read-only).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from skillpass.app import SkillPass, build
from skillpass.auth.models import Role
from tests.api._passport import actor as make_actor
from tests.api._passport import define, foreign_credential, lexical_passport
from tests.api._passport import organisation as make_organisation
from tests.browser.conftest import serve
from tests.conftest import make_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.esco, pytest.mark.slow]

PASSWORD = "correct horse battery"
TASKS = (
    "Assembled lithium-ion battery cells into modules and packs on the production line. "
    "Operated and monitored battery cell stacking and welding machines. "
    "Performed quality inspections and electrical tests of battery modules. "
    "Followed safety procedures for handling hazardous chemicals and reported defects."
)
RELEVANT = ("batter", "weld", "inspect", "chemical", "hazard")
PDF = b"%PDF-1.4\n% portfolio: module assembly records\n%%EOF\n"


@pytest.fixture
def app(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SkillPass]:
    """A SkillPass on a copy of the full-ESCO database with an employer, a university with an
    assessor and a micro-credential definition; skill suggestions use lexical matching."""
    esco_database: Path = request.getfixturevalue("esco_database")
    folder = tmp_path / "copy"
    shutil.copytree(esco_database, folder)
    skillpass = build(make_settings(folder))
    lexical_passport(skillpass, monkeypatch)
    make_actor(skillpass, "lea@example.org", Role.LEARNER, name="Lea Lindqvist")
    hr = make_actor(skillpass, "hr@voltcell.example", Role.ISSUER, name="Hanna Roos")
    registrar = make_actor(skillpass, "registrar@northvale.example", Role.ISSUER)
    ana = make_actor(skillpass, "ana@northvale.example", Role.ASSESSOR, name="Ana Assessor")
    make_organisation(skillpass, "Voltcell AB", "employer", hr)
    northvale = make_organisation(skillpass, "Northvale University", "university", registrar, ana)
    define(skillpass, northvale, registrar, "Battery data analytics")
    yield skillpass
    skillpass.close()


def _sign_in(browser: Browser, url: str, email: str) -> Page:
    page = browser.new_context().new_page()
    page.set_default_timeout(90_000)  # the first skill suggestion builds the lexical index
    page.goto(f"{url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/")
    return page


def test_passport_journey_from_import_to_a_revoked_share(
    app: SkillPass, browser: Browser, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    foreign = tmp_path / "hafenstadt-credential.json"
    foreign.write_text(
        foreign_credential(tmp_path / "other-instance", "lea@example.org", "Lea Lindqvist"),
        encoding="utf-8",
    )
    evidence = tmp_path / "portfolio.pdf"
    evidence.write_bytes(PDF)
    stack = ExitStack()
    url = stack.enter_context(serve(app))
    try:
        # 1. the learner imports a foreign OB3 credential: verified
        lea = _sign_in(browser, url, "lea@example.org")
        lea.get_by_role("link", name="My passport").click()
        lea.get_by_label("Credential file").set_input_files(str(foreign))
        lea.get_by_role("button", name="Import", exact=True).click()
        expect(lea.get_by_role("heading", level=1)).to_have_text("Battery cell chemistry basics")
        expect(lea.locator(".item-status")).to_contain_text("Verified")
        expect(lea.locator(".item-status")).to_contain_text("Strength: Verified credential")

        # 2. ... asks the employer to attest three years as a battery-production technician
        lea.get_by_role("link", name="Employer attestations").click()
        lea.get_by_label("Employer (required)").select_option(label="Voltcell AB (SE)")
        lea.get_by_label("Role").fill("Battery production technician")
        lea.get_by_label("Start").fill("2021-03-01")
        lea.get_by_label("End (optional)").fill("2024-02-29")
        lea.get_by_label("Tasks and responsibilities").fill(TASKS)
        lea.get_by_role("button", name="Send the request").click()
        expect(lea.get_by_role("status")).to_contain_text("Your request was sent")

        # 3. the employer ticks the suggested skills that fit and signs
        hr = _sign_in(browser, url, "hr@voltcell.example")
        hr.get_by_role("link", name="Attestation inbox").click()
        hr.get_by_role("link", name="Battery production technician").click()
        suggestions = hr.locator("fieldset.suggestions input[type=checkbox]")
        expect(suggestions.first).to_be_visible()
        ticked = []
        for index in range(suggestions.count()):
            box = suggestions.nth(index)
            label = hr.locator(f"label[for='{box.get_attribute('id')}']").inner_text()
            if any(word in label.lower() for word in RELEVANT) and len(ticked) < 5:
                box.check()
                ticked.append(label)
        assert len(ticked) >= 2, "the matching engine suggested too few battery skills"
        hr.get_by_role("button", name="Attest and sign as Voltcell AB").click()
        expect(hr.get_by_role("status")).to_contain_text("Attested and signed as Voltcell AB")
        for label in ticked:
            expect(hr.get_by_role("link", name=label, exact=True)).to_be_visible()

        # 4. the learner asks for recognition of prior learning, with evidence
        lea.get_by_role("link", name="Recognition of prior learning").click()
        lea.get_by_label("Micro-credential").select_option(
            label="Battery data analytics — Northvale University"
        )
        lea.get_by_label("How did you learn this?").fill(
            "Three years of analysing cell test data at Voltcell."
        )
        lea.get_by_label("Evidence file (optional; you can add more later)").set_input_files(
            str(evidence)
        )
        lea.get_by_role("button", name="Ask for recognition").click()
        expect(lea.get_by_role("status")).to_contain_text("Your request was sent")

        # 5. the assessor takes the case, records the method and approves
        ana = _sign_in(browser, url, "ana@northvale.example")
        ana.get_by_role("link", name="RPL queue").click()
        ana.get_by_role("link", name="Battery data analytics").click()
        expect(ana.get_by_role("link", name="portfolio.pdf")).to_be_visible()
        ana.get_by_role("button", name="Take this case").click()
        ana.get_by_label("Portfolio of evidence").check()
        ana.get_by_label("Approve: issue the micro-credential").check()
        ana.get_by_label("Reasons").fill("The portfolio covers every learning outcome.")
        ana.get_by_role("button", name="Record the decision").click()
        expect(ana.get_by_role("status")).to_contain_text("Approved")

        # 6. the issued credential is in the passport, next to the others, all verified
        lea.get_by_role("link", name="My passport").click()
        rows = lea.locator("table tbody tr")
        expect(rows).to_have_count(3)
        expect(lea.get_by_role("link", name="Battery data analytics")).to_be_visible()
        expect(lea.get_by_text("recognition of prior learning", exact=True)).to_be_visible()
        for index in range(3):
            expect(rows.nth(index)).to_contain_text("Verified")

        # 7. the learner shares everything
        lea.get_by_role("link", name="Shares").click()
        for box in lea.locator("input[name=item_id]").all():
            box.check()
        lea.get_by_label("Label").fill("Application to Cellworks")
        lea.get_by_role("button", name="Create the link").click()
        link = lea.locator("#share-url").input_value()
        assert link.startswith(app.settings.public_base_url)
        path = link[len(app.settings.public_base_url.rstrip("/")) :]

        # 8. a verifier without an account opens it: everything verified
        verifier = browser.new_context().new_page()
        opened = verifier.goto(f"{url}{path}")
        assert opened is not None
        assert opened.status == 200
        expect(verifier.get_by_role("heading", level=1)).to_have_text("Shared by Lea Lindqvist")
        expect(verifier.locator("#overall-heading")).to_contain_text("All credentials verified")
        expect(verifier.locator(".shared-item")).to_have_count(3)
        expect(verifier.locator(".check-failed")).to_have_count(0)
        verifier.get_by_label("Challenge").fill("case-4711")
        verifier.get_by_label("Your domain").fill("hr.cellworks.example")
        verifier.get_by_role("button", name="Get the presentation").click()
        expect(verifier.locator("#verdict-heading")).to_have_text("✓ Verified")
        verifier.screenshot(path=str(tmp_path / "presentation.png"), full_page=True)

        # 9. the learner sees the accesses and revokes; the link stops working
        lea.reload()
        expect(lea.get_by_text("Opened 2 times")).to_be_visible()
        lea.get_by_role("button", name="Revoke the share “Application to Cellworks”").click()
        expect(lea.get_by_role("status")).to_contain_text("its link no longer works")
        gone = verifier.goto(f"{url}{path}")
        assert gone is not None
        assert gone.status == 404
        expect(verifier.get_by_role("heading", level=1)).to_have_text(
            "This shared link does not work"
        )
    finally:
        stack.close()
