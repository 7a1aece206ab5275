"""Issue 9 acceptance in a real Chromium (Playwright): the Pact for Skills community.

An employer and a VET college join through the web form, each publishes a commitment and
reports last year's progress; the college starts a regional partnership and adds the employer,
and the partnership dashboard adds both up; partner finding suggests the college to the
employer with the reason, and the employer asks for contact; the employer's funding link opens
the funding search, which finds an eligible programme; the college submits a best practice, a
moderator publishes it from the queue, and it is found by its tag.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from skillpass.app import SkillPass, build
from skillpass.auth.models import Role
from tests.browser.conftest import serve
from tests.conftest import make_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "correct horse battery"
LAST_YEAR = str(datetime.now(UTC).year - 1)
BATTERIES = "Batteries & energy storage"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[SkillPass]:
    """An empty SkillPass with three people: two organisations' staff and a moderator."""
    skillpass = build(make_settings(tmp_path))
    for email, name, role in (
        ("hr@voltcell.example", "Hanna Roos", Role.LEARNER),
        ("dean@college.example", "Dag Ek", Role.LEARNER),
        ("mo@support.example", "Mona Moderator", Role.MODERATOR),
    ):
        skillpass.auth.create_user(email, name, PASSWORD, [role])
    yield skillpass
    skillpass.close()


def _sign_in(browser: Browser, url: str, email: str) -> Page:
    page = browser.new_context().new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/")
    return page


def _join(page: Page, name: str, role: str, *, offers: bool) -> None:
    from playwright.sync_api import expect

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Community").click()
    page.get_by_role("link", name="Join the community").click()
    page.get_by_label("Legal name").fill(name)
    page.get_by_label("Country", exact=True).fill("SE")
    page.get_by_label("Region (NUTS)", exact=True).fill("SE232")
    page.get_by_label("Role").select_option(label=role)
    page.get_by_label("Sectors (NACE)").fill("C27" if not offers else "P85.3")
    legend = "Capability areas you offer" if offers else "Capability areas you need"
    page.get_by_role("group", name=legend).get_by_label(BATTERIES).check()
    page.get_by_label("Services you offer" if offers else "Services you need").fill(
        "training places"
    )
    page.get_by_label("Contact e-mail").fill(
        "dean@college.example" if offers else "hr@voltcell.example"
    )
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("status")).to_contain_text("Welcome to the community")


def _commit_and_report(page: Page, people: str, reached: str) -> None:
    from playwright.sync_api import expect

    page.get_by_label("Commitment", exact=True).fill(f"Upskill {people} people in batteries")
    page.get_by_label("Capability area").select_option(label=BATTERIES)
    page.get_by_label("People to upskill").fill(people)
    page.get_by_label("By the year").fill("2030")
    page.get_by_role("button", name="Publish the commitment").click()
    expect(page.get_by_role("status")).to_contain_text("Your commitment is published")
    page.get_by_text("Report progress for a year").click()
    form = page.get_by_role("form", name=f"Report progress on Upskill {people} people in batteries")
    form.get_by_label("Year").fill(LAST_YEAR)
    form.get_by_label("People reached").fill(reached)
    form.get_by_role("button", name="Save progress").click()
    expect(page.get_by_role("status")).to_contain_text("Progress recorded")
    expect(page.get_by_role("table", name=f"Progress on “Upskill {people} people")).to_contain_text(
        reached
    )


def test_community_journey(app: SkillPass, browser: Browser) -> None:
    from playwright.sync_api import expect

    stack = ExitStack()
    url = stack.enter_context(serve(app))
    try:
        # 1. two organisations join, commit and report progress
        hr = _sign_in(browser, url, "hr@voltcell.example")
        _join(hr, "Voltcell AB", "Employer", offers=False)
        _commit_and_report(hr, "200", "40")
        dean = _sign_in(browser, url, "dean@college.example")
        _join(dean, "Göteborg Technical College", "VET provider", offers=True)
        _commit_and_report(dean, "120", "30")

        # 2. a partnership aggregates them
        dean.goto(f"{url}/community/partnerships")
        form = dean.get_by_role("form", name="Start a partnership")
        form.get_by_label("Name").fill("West Sweden batteries partnership")
        form.get_by_label("Kind").select_option(label="Regional")
        form.get_by_label("Region, NUTS (regional)").fill("SE232")
        form.get_by_role("button", name="Create the partnership").click()
        expect(dean.get_by_role("heading", level=1)).to_have_text(
            "West Sweden batteries partnership"
        )
        dean.get_by_label("Add an organisation").select_option(label="Voltcell AB")
        dean.get_by_role("button", name="Add to the partnership").click()
        expect(dean.get_by_role("status")).to_contain_text("Member added")
        members = dean.get_by_role("table", name="2 member organisations")
        expect(members).to_contain_text("Voltcell AB")
        expect(dean.locator("dl.totals")).to_contain_text("People reached so far70")
        expect(dean.locator("figure.chart svg").first).to_be_visible()
        expect(
            dean.get_by_role("table", name="Progress reported per year (member survey)")
        ).to_contain_text("70")

        # 3. partner finding suggests the complementary one, with a reason; contact request
        hr.goto(f"{url}/community")
        hr.get_by_role("link", name="Find partners", exact=True).first.click()
        first = hr.locator("li.suggestion").first
        expect(first.get_by_role("heading", level=3)).to_have_text("Göteborg Technical College")
        expect(first.locator("ul.reasons")).to_contain_text(
            f"They offer what you need: capability area {BATTERIES}, training places."
        )
        expect(first.locator("ul.reasons")).to_contain_text("Same region")
        first.get_by_text("Request contact with Göteborg Technical College").click()
        first.get_by_label("Message").fill("Could we set up apprenticeships together?")
        first.get_by_role("button", name="Send the request").click()
        expect(hr.get_by_role("status")).to_contain_text("Your contact request was sent")
        dean.goto(f"{url}/community")
        dean.get_by_role("link", name="Göteborg Technical College").first.click()
        request = dean.locator("section.contact-request")
        expect(request).to_contain_text("waiting for an answer")
        expect(request).not_to_contain_text("hr@voltcell.example")
        request.get_by_role("button", name="Accept and share contact details").click()
        expect(dean.locator("section.contact-request")).to_contain_text("hr@voltcell.example")

        # 4. the funding search finds an eligible programme for the employer
        hr.goto(f"{url}/community")
        hr.get_by_role("link", name="Voltcell AB").first.click()
        hr.get_by_role("link", name="Search all funding for this organisation").click()
        expect(hr.get_by_role("heading", level=1)).to_have_text("Find funding for learning")
        expect(hr.locator("li.funding-hit .badge-ok").first).to_have_text("eligible")

        # 5. a best practice is submitted, moderated and found by tag
        dean.goto(f"{url}/community/practices")
        dean.get_by_role("link", name="Submit a practice").click()
        dean.get_by_label("Type").select_option(label="Industry–education cooperation")
        dean.get_by_label("Title").fill("Battery apprenticeships with a cell maker")
        dean.get_by_label("Summary").fill("A shared curriculum and a training line.")
        dean.get_by_label("What was done").fill("A two-year apprenticeship.")
        dean.get_by_label("Who took part").fill("The college and Voltcell AB.")
        dean.get_by_label("Where", exact=True).fill("Gothenburg, Sweden")
        dean.get_by_label("Results").fill("80 technicians trained.")
        dean.get_by_label("Countries").fill("SE")
        dean.get_by_role("group", name="Capability areas").get_by_label(BATTERIES).check()
        dean.get_by_role("button", name="Submit for moderation").click()
        expect(dean.get_by_role("status")).to_contain_text("waits for a moderator")

        mo = _sign_in(browser, url, "mo@support.example")
        mo.goto(f"{url}/community/practices")
        mo.get_by_role("link", name="Moderation queue").click()
        mo.get_by_role("button", name="Publish “Battery apprenticeships with a cell maker”").click()
        expect(mo.get_by_text("Nothing waits for moderation.")).to_be_visible()

        hr.goto(f"{url}/community/practices")
        hr.get_by_label("Tag").fill("batteries")
        hr.get_by_role("button", name="Search").click()
        results = hr.get_by_role("list", name="1 practice")
        expect(results).to_contain_text("Battery apprenticeships with a cell maker")
    finally:
        stack.close()
