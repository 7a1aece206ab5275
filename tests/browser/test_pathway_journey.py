"""Issue 6 in a real Chromium (Playwright): the welder's pathway journey on the full ESCO.

Jonas (a welder with employer-attested workplace learning, see tests/pathways/_welder.py) opens
"Where can I go from here?", plans a pathway to battery manufacturing technician in Germany with
his situation for funding (a timeline chart and the same dates in a table, Hamburg's bonus with
its reasons), then searches funding and sees each programme's eligibility explained.

Runs on a writable copy of the session's full-ESCO database (the shared one stays read-only).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from skillpass.app import SkillPass, build
from tests.browser.conftest import serve
from tests.conftest import make_settings
from tests.pathways import _welder as ex

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.esco, pytest.mark.slow]


@pytest.fixture
def app(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SkillPass]:
    """The worked example on a copy of the full-ESCO database, lexical matching."""
    esco_database: Path = request.getfixturevalue("esco_database")
    folder = tmp_path / "copy"
    shutil.copytree(esco_database, folder)
    skillpass = build(make_settings(folder))
    ex.lexical(skillpass, monkeypatch)
    ex.set_up(skillpass)
    yield skillpass
    skillpass.close()


def test_welder_finds_a_destination_a_plan_and_funding(browser: Browser, app: SkillPass) -> None:
    from playwright.sync_api import expect

    with serve(app) as url:
        page = browser.new_context().new_page()
        page.set_default_timeout(90_000)  # destinations build the occupation index once
        page.goto(f"{url}/login")
        page.get_by_label("Email address").fill("jonas@example.org")
        page.get_by_label("Password").fill(ex.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{url}/")

        # where can I go from here?
        page.get_by_role("link", name="My pathways").click()
        expect(page.get_by_role("heading", name="Where can I go from here?")).to_be_visible()
        welder = page.get_by_role("row").filter(has_text=re.compile(r"^\s*welder"))
        expect(welder.first).to_be_visible()
        expect(welder.first.get_by_role("link", name="Plan a pathway")).to_be_visible()

        # the plan, with the timeline chart and the table
        page.get_by_role("link", name="Plan towards something else").click()
        page.get_by_label("Target", exact=True).fill(ex.BATTERY_TECHNICIAN)
        page.get_by_label("Country for on-site courses").fill("DE")
        page.get_by_label("Start from").fill("2026-09-07")
        page.get_by_label("Country you live in").fill("DE")
        page.get_by_label("Region (NUTS)").fill("DE60")
        page.get_by_label("Age", exact=True).fill("44")
        page.get_by_label("Work situation").select_option("employed")
        page.get_by_label("Employees where you work").fill("120")
        page.get_by_role("button", name="Plan").click()
        expect(page.get_by_role("heading", name="Your pathway")).to_be_visible()
        chart = page.locator("figure.chart svg")
        expect(chart).to_be_visible()
        assert chart.bounding_box()["height"] > 100  # type: ignore[index]
        steps = page.get_by_role("table").filter(has_text="Why it is in the plan")
        expect(steps.locator("tbody tr")).to_have_count(7)
        expect(page.get_by_text("€2,900", exact=True)).to_be_visible()
        expect(steps.get_by_text("Hamburger Weiterbildungsbonus PLUS").first).to_be_visible()
        expect(
            page.get_by_text("battery formation", exact=True)
        ).to_be_visible()  # no course teaches it

        # funding search: who, what, where; eligibility explained, examples labelled
        page.get_by_role("link", name="Funding", exact=True).click()
        expect(page.get_by_role("heading", name="Find funding for learning")).to_be_visible()
        page.get_by_label("Age", exact=True).fill("44")
        page.get_by_label("Work situation").select_option("employed")
        page.get_by_label("Employees (for an employer)").fill("120")
        page.get_by_label("Country you live in").fill("DE")
        page.get_by_label("Region (NUTS)").fill("DE60")
        page.get_by_role("button", name="Search").click()
        bonus = page.locator("li.funding-hit").filter(has_text="Hamburger Weiterbildungsbonus")
        expect(bonus.get_by_text("eligible", exact=True)).to_be_visible()
        expect(bonus.get_by_text(re.compile("^eligible because"))).to_be_visible()
        expect(bonus.get_by_text("example", exact=True)).to_be_visible()
        expect(page.get_by_text("not eligible").first).to_be_visible()
        expect(page.get_by_label("Age", exact=True)).to_have_value(
            "44"
        )  # the form keeps the answers
