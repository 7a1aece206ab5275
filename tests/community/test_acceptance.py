"""Issue 9 acceptance through the services: two organisations join, commit and report
progress; a partnership aggregates them; partner finding suggests the complementary one with a
reason; the funding search finds an eligible programme; a best practice is submitted, moderated
and found by tag."""

from __future__ import annotations

from datetime import UTC, datetime

from skillpass.app import SkillPass
from skillpass.auth.models import Role
from skillpass.community.models import (
    CommitmentCreate,
    PartnershipCreate,
    PartnershipKind,
    PracticeCreate,
    PracticeQuery,
    PracticeStatus,
    PracticeType,
    ProgressCreate,
)
from skillpass.community.service import funding_situation
from tests.community._helpers import college, employer, person

LAST_YEAR = datetime.now(UTC).year - 1


def test_the_community_journey(skillpass: SkillPass) -> None:
    community = skillpass.community
    hr = person(skillpass, "hr@voltcell.example")
    dean = person(skillpass, "dean@college.example")
    moderator = person(skillpass, "mo@support.example", Role.MODERATOR)

    # two organisations join, commit and report progress
    volt = employer(skillpass, hr)
    school = college(skillpass, dean)
    reached = {}
    for who, org, people, done in ((hr, volt, 200, 40), (dean, school, 120, 30)):
        commitment = community.organisations.commit(
            who,
            org.organisation_id,
            CommitmentCreate(
                title=f"Upskill {people} people in batteries",
                capability_area="batteries",
                target_people=people,
                target_investment_eur=50_000,
                target_year=LAST_YEAR + 4,
                sectors=org.sectors,
                regions=["SE232"],
            ),
        )
        updated = community.organisations.report_progress(
            who, commitment.id, ProgressCreate(year=LAST_YEAR, people_reached=done)
        )
        reached[org.organisation_id] = updated.people_reached
    assert reached == {volt.organisation_id: 40, school.organisation_id: 30}

    # a partnership aggregates them
    partnership = community.partnerships.create(
        dean,
        school.organisation_id,
        PartnershipCreate(
            name="West Sweden batteries", kind=PartnershipKind.REGIONAL, region="SE232"
        ),
    )
    community.partnerships.add_member(dean, partnership.id, volt.organisation_id)
    board = community.partnerships.dashboard(partnership.id)
    assert board.totals.organisations == 2
    assert board.totals.people_reached == 70
    assert board.totals.target_people == 320
    assert [row.key for row in board.by_capability_area] == ["batteries"]

    # partner finding suggests the complementary one, with a reason
    suggestions = community.partners.suggest(volt.organisation_id)
    assert suggestions[0].profile.organisation_id == school.organisation_id
    assert any("They offer what you need: capability area" in r for r in suggestions[0].reasons)

    # the funding search (the one directory) finds an eligible programme for the employer
    programmes = community.organisations.funding(volt.organisation_id)
    eligible = [p for p, result in programmes if result is not None and result.eligible]
    assert eligible
    direct = skillpass.funding.search(situation=funding_situation(volt), country="SE")
    assert {p.id for p in eligible} <= {p.id for p, _ in direct}

    # a best practice is submitted, moderated and found by tag
    submitted = community.library.submit(
        dean,
        school.organisation_id,
        PracticeCreate(
            title="Battery apprenticeships with a cell maker",
            summary="Shared curriculum.",
            what="A two-year apprenticeship.",
            who="The college and Voltcell.",
            where="Gothenburg",
            results="80 technicians.",
            practice_type=PracticeType.INDUSTRY_EDUCATION,
            countries=["SE"],
            capability_areas=["batteries"],
        ),
    )
    assert community.library.search(PracticeQuery(tag="batteries")) == []
    published = community.library.moderate(moderator, submitted.id, True)
    assert published.status is PracticeStatus.PUBLISHED
    found = community.library.search(PracticeQuery(tag="batteries"))
    assert [p.id for p in found] == [submitted.id]
    assert community.library.search(PracticeQuery(tag="industry_education", text="cell maker"))
