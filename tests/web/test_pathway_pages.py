"""Pathway, recognition, catalogue and funding pages on the hand-made taxonomy (no ESCO)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass
from skillpass.auth.models import Role
from skillpass.pathways.models import OpportunityQuery
from tests.api import _pathways as fixtures
from tests.api._pathways import SKILL, TECHNICIAN, actor, course
from tests.recognition.conftest import issued_document
from tests.web.conftest import PASSWORD, csrf_from

app = fixtures.app

HAMBURG = "home=DE&region=DE60&age=44&employment=employed&company_size=120"


@pytest.fixture
def web(app: SkillPass) -> Iterator[TestClient]:
    """A browser-like client; a learner with a verified credential, an officer; courses."""
    learner = actor(app, "jonas@example.org", Role.LEARNER, name="Jonas Weber")
    actor(app, "officer@example.org", Role.VERIFIER, name="Petra Schulz")
    document = issued_document(app, learner.user, ["join-metals", "troubleshoot", "safety"])
    app.passport.import_credential(learner.user, document)
    app.catalogue.create(None, course(["battery-components", "chemistry"], title="Cells 101"))
    app.catalogue.create(
        None, course(["braze"], title="Brazing <b>basics</b>", cost_eur=200, synthetic=True)
    )
    with TestClient(create_api(app)) as client:
        yield client


def sign_in(client: TestClient, email: str) -> None:
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_pages_for_people_need_sign_in_and_the_right_role(web: TestClient) -> None:
    for address in ("/pathways", "/pathways/plan", "/recognition"):
        response = web.get(address, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    sign_in(web, "officer@example.org")
    refused = web.get("/pathways")
    assert refused.status_code == 403
    assert "learner" in refused.text
    assert web.get("/recognition").status_code == 200


def test_learner_sees_destinations_and_a_plan_with_its_timeline(web: TestClient) -> None:
    sign_in(web, "jonas@example.org")
    home = web.get("/").text
    assert 'href="/pathways"' in home
    assert 'href="/recognition"' in home
    page = web.get("/pathways")
    assert page.status_code == 200
    assert "battery production technician" in page.text
    assert "50%" in page.text  # 3 of 6 essential skills
    link = re.search(r'href="(/pathways/plan\?kind=occupation&amp;target=[^"]+)"', page.text)
    assert link
    plan = web.get(link.group(1).replace("&amp;", "&") + "&" + HAMBURG)
    assert plan.status_code == 200, plan.text
    assert "Your pathway" in plan.text
    assert "Cells 101" in plan.text
    assert "Brazing &lt;b&gt;basics&lt;/b&gt;" in plan.text  # escaped
    assert "<svg" in plan.text  # the timeline chart
    assert "When each course runs" in plan.text
    assert "Hamburger Weiterbildungsbonus" in plan.text
    assert "eligible because" in plan.text
    assert 'id="steps-heading"' in plan.text  # the same dates in a table


def test_plan_form_keeps_input_and_explains_mistakes(web: TestClient) -> None:
    sign_in(web, "jonas@example.org")
    bad = web.get(
        "/pathways/plan",
        params={"kind": "occupation", "target": TECHNICIAN, "budget": "lots", "age": "7"},
    )
    assert bad.status_code == 422
    assert 'value="lots"' in bad.text
    assert "Give the budget as a number" in bad.text
    assert "Give an age as a whole number from 14 to 100" in bad.text
    unknown = web.get("/pathways/plan", params={"kind": "occupation", "target": "nowhere"})
    assert unknown.status_code == 422
    assert 'value="nowhere"' in unknown.text
    assert 'id="f-target-problem"' in unknown.text
    broke = web.get("/pathways/plan", params={"kind": "occupation", "target": TECHNICIAN,
                                              "budget": "10"})  # fmt: skip
    assert broke.status_code == 200
    assert "No plan meets these constraints" in broke.text
    assert "budget" in broke.text.lower()


def test_recognition_report_and_officer_decision(app: SkillPass, web: TestClient) -> None:
    sign_in(web, "jonas@example.org")
    form = web.get("/recognition")
    assert 'name="items"' in form.text  # the passport items to tick
    made = web.post(
        "/recognition",
        data={"kind": "occupation", "target": TECHNICIAN, "csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    report = web.get(made.headers["location"])
    assert "battery production technician" in report.text
    assert "the same skill" in report.text
    assert "Missing essential skills" in report.text
    assert "✓ Verified" in report.text
    assert "Record your decision" not in report.text  # learners do not decide
    missing = web.post(
        "/recognition",
        data={"kind": "occupation", "target": "", "csrf_token": csrf_from(form.text)},
    )
    assert missing.status_code == 422
    assert 'id="f-target-problem"' in missing.text

    # the officer pastes the credential and decides; partial needs conditions
    officer = TestClient(web.app)
    sign_in(officer, "officer@example.org")
    page = officer.get("/recognition")
    item = app.passport.items(app.auth.get_user_by_email("jonas@example.org"))[0]
    made = officer.post(
        "/recognition",
        data={
            "kind": "occupation",
            "target": TECHNICIAN,
            "document_1": item.document,
            "csrf_token": csrf_from(page.text),
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    report = officer.get(made.headers["location"])
    assert "Record your decision" in report.text
    decide = made.headers["location"] + "/decide"
    token = csrf_from(report.text)
    kept = officer.post(decide, data={"decision": "partial", "csrf_token": token})
    assert kept.status_code == 422
    assert "condition" in kept.text.lower()
    done = officer.post(
        decide,
        data={"decision": "partial", "conditions": "A brazing module.", "csrf_token": token},
    )
    assert done.status_code == 200
    assert "Your decision is recorded" in done.text
    assert "A brazing module." in done.text
    assert officer.post(decide, data={"decision": "full", "csrf_token": "x"}).status_code == 403


def test_catalogue_search_filters_and_labels_synthetic(web: TestClient) -> None:
    page = web.get("/catalogue")
    assert page.status_code == 200
    assert "2 courses" in page.text
    assert "synthetic" in page.text
    cheap = web.get("/catalogue", params={"max_cost": "250"})
    assert "Brazing" in cheap.text
    assert "Cells 101" not in cheap.text
    by_skill = web.get("/catalogue", params={"skill": SKILL + "chemistry"})
    assert "Cells 101" in by_skill.text
    assert "Brazing" not in by_skill.text
    wrong = web.get("/catalogue", params={"country": "Germany"})
    assert wrong.status_code == 422
    assert 'value="Germany"' in wrong.text
    item = re.search(r'href="(/catalogue/[^"?]+)"', cheap.text)
    assert item
    detail = web.get(item.group(1))
    assert "Funding for this course" in detail.text
    assert web.get("/catalogue/nothing").status_code == 404


def test_funding_search_explains_eligibility_and_labels_examples(
    app: SkillPass, web: TestClient
) -> None:
    plain = web.get("/funding", params={"country": "DE"})
    assert plain.status_code == 200
    assert "example" in plain.text
    assert "Hamburger Weiterbildungsbonus" in plain.text
    assert "deadline" in plain.text
    mine = web.get("/funding?" + HAMBURG)
    assert "eligible because" in mine.text
    assert "not eligible" in mine.text
    opportunity = app.catalogue.search(OpportunityQuery(text="Cells"))[0][0]
    priced = web.get(f"/funding?{HAMBURG}&opportunity={opportunity.id}")
    assert "You would pay" in priced.text
    kept = web.get("/funding", params={"age": "old", "home": "DE"})
    assert kept.status_code == 422
    assert 'value="old"' in kept.text
    detail = web.get("/funding/de-hh-weiterbildungsbonus")
    assert "Sources" in detail.text
    assert "The rules SkillPass checks" in detail.text
    assert web.get("/funding/nothing").status_code == 404
