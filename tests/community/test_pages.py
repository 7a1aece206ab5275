"""Community web pages: what visitors see, members' forms, and the refusals as pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass
from skillpass.auth.models import Role
from tests.community._helpers import PASSWORD, college, employer, person

LAST_YEAR = datetime.now(UTC).year - 1


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


@pytest.fixture
def client(skillpass: SkillPass) -> Iterator[TestClient]:
    with TestClient(create_api(skillpass)) as test_client:
        yield test_client


def _sign_in(client: TestClient, email: str) -> str:
    token = _csrf(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return _csrf(client.get("/community/join").text)


def test_visitors_see_the_seeded_community_labelled_synthetic(
    skillpass: SkillPass, client: TestClient
) -> None:
    skillpass.community.seed_synthetic()
    home = client.get("/community")
    assert home.status_code == 200
    assert "(synthetic)" in home.text
    assert 'href="/funding?applicant=employers"' in home.text
    board = client.get("/community/dashboard").text
    assert board.count("<svg") == 4
    assert "Commitments by capability area" in board
    partnership = skillpass.community.partnerships.all()[0]
    page = client.get(f"/community/partnerships/{partnership.id}").text
    assert "<svg" in page
    assert "Add to the partnership" not in page
    org = skillpass.community.organisations.profiles()[0]
    profile = client.get(f"/community/organisations/{org.organisation_id}").text
    assert "Make a commitment" not in profile
    assert "synthetic.example" not in profile  # contact e-mails stay hidden
    assert "/funding?applicant=" in profile
    assert client.get("/community/join", follow_redirects=False).status_code == 303


def test_a_member_joins_commits_and_reports_and_an_outsider_is_refused(
    skillpass: SkillPass, client: TestClient
) -> None:
    person(skillpass, "hr@voltcell.example")
    token = _sign_in(client, "hr@voltcell.example")
    joined = client.post(
        "/community/join",
        data={
            "csrf_token": token,
            "name": "Voltcell AB",
            "country": "se",
            "region": "SE232",
            "role": "employer",
            "sectors": "C27",
            "need_areas[]": ["batteries", "advanced_manufacturing"],
            "need_services": "training places",
        },
        follow_redirects=False,
    )
    assert joined.status_code == 303, joined.text
    page_url = joined.headers["location"]
    page = client.get(page_url).text
    assert "Welcome to the community" in page
    assert "Advanced manufacturing" in page
    org_id = page_url.split("/")[3].split("?")[0]
    made = client.post(
        f"/community/organisations/{org_id}/commitments",
        data={
            "csrf_token": token,
            "title": "Upskill 50",
            "target_people": "50",
            "target_year": "2030",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    commitment = skillpass.community.organisations.commitments(org_id)[0]
    bad = client.post(
        f"/community/organisations/{org_id}/commitments",
        data={"csrf_token": token, "title": "No target", "target_year": "2030"},
    )
    assert bad.status_code == 422
    assert "at least one target" in bad.text
    reported = client.post(
        f"/community/commitments/{commitment.id}/progress",
        data={"csrf_token": token, "year": str(LAST_YEAR), "people_reached": "12"},
        follow_redirects=False,
    )
    assert reported.status_code == 303
    assert skillpass.community.organisations.commitment(commitment.id).people_reached == 12
    # a forged form without the token is refused
    forged = client.post(
        f"/community/organisations/{org_id}/commitments",
        data={"title": "Forged", "target_people": "5", "target_year": "2030"},
    )
    assert forged.status_code == 403

    other = TestClient(client.app)
    person(skillpass, "eve@elsewhere.example")
    eve_token = _sign_in(other, "eve@elsewhere.example")
    refused = other.post(
        f"/community/organisations/{org_id}/commitments",
        data={
            "csrf_token": eve_token,
            "title": "Hijack",
            "target_people": "5",
            "target_year": "2030",
        },
    )
    assert refused.status_code == 403
    assert "Only members of Voltcell AB" in refused.text
    assert other.get("/community/practices/queue").status_code == 403


def test_partner_finding_page_explains_and_requests_contact(
    skillpass: SkillPass, client: TestClient
) -> None:
    hr = person(skillpass, "hr@voltcell.example")
    dean = person(skillpass, "dean@college.example", Role.LEARNER)
    volt = employer(skillpass, hr)
    school = college(skillpass, dean)
    token = _sign_in(client, "hr@voltcell.example")
    page = client.get(f"/community/partners?organisation={volt.organisation_id}").text
    assert "Göteborg Technical College" in page
    assert "They offer what you need: capability area Batteries" in page
    sent = client.post(
        "/community/contact-requests",
        data={
            "csrf_token": token,
            "from_organisation_id": volt.organisation_id,
            "to_organisation_id": school.organisation_id,
            "message": "Apprenticeships?",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303
    mine = client.get(f"/community/organisations/{volt.organisation_id}").text
    assert "waiting for an answer" in mine
    assert "dean@college.example" not in mine
