"""Community services: permissions, validation, contact details, export/import, the seed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from skillpass.app import SkillPass, build
from skillpass.auth.models import Role
from skillpass.community.models import (
    CommitmentCreate,
    CommunityRole,
    ContactStatus,
    MatchedCourse,
    Offering,
    PartnershipCreate,
    PartnershipKind,
    PostCreate,
    PostKind,
    PracticeQuery,
    ProfileCreate,
    ProgressCreate,
)
from skillpass.community.synthetic import SYNTHETIC_LABEL
from skillpass.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from skillpass.pathways.models import Opportunity, OpportunityQuery
from tests.community._helpers import college, employer, person
from tests.conftest import make_settings

THIS_YEAR = datetime.now(UTC).year


def test_joining_registers_the_organisation_and_makes_the_joiner_its_member(
    skillpass: SkillPass,
) -> None:
    hr = person(skillpass, "hr@voltcell.example")
    volt = employer(skillpass, hr)
    assert skillpass.community.organisations.mine(hr) == [volt]
    assert skillpass.community.organisations.may_edit(hr, volt.organisation_id)
    other = person(skillpass, "eve@x.example")
    with pytest.raises(PermissionDenied, match="Only members of Voltcell AB"):
        skillpass.community.organisations.join(
            other, ProfileCreate(role=CommunityRole.EMPLOYER), organisation_id=volt.organisation_id
        )
    with pytest.raises(Conflict, match="already exists in SE"):
        employer(skillpass, other)
    with pytest.raises(InvalidInput, match="Unknown capability area"):
        skillpass.community.organisations.join(
            hr,
            ProfileCreate(role=CommunityRole.EMPLOYER, needs=Offering(capability_areas=["nope"])),
            organisation_id=volt.organisation_id,
        )


def test_commitments_need_a_target_and_progress_cannot_be_for_next_year(
    skillpass: SkillPass,
) -> None:
    hr = person(skillpass, "hr@voltcell.example")
    volt = employer(skillpass, hr)
    with pytest.raises(InvalidInput, match="at least one target"):
        skillpass.community.organisations.commit(
            hr, volt.organisation_id, CommitmentCreate(title="Nothing", target_year=THIS_YEAR + 1)
        )
    made = skillpass.community.organisations.commit(
        hr,
        volt.organisation_id,
        CommitmentCreate(title="Places", target_training_places=20, target_year=THIS_YEAR + 1),
    )
    with pytest.raises(InvalidInput, match="once that year has started"):
        skillpass.community.organisations.report_progress(
            hr, made.id, ProgressCreate(year=THIS_YEAR + 1, people_reached=3)
        )
    skillpass.community.organisations.report_progress(
        hr, made.id, ProgressCreate(year=THIS_YEAR, people_reached=3)
    )
    again = skillpass.community.organisations.report_progress(
        hr, made.id, ProgressCreate(year=THIS_YEAR, people_reached=7)
    )
    assert [(p.year, p.people_reached) for p in again.progress] == [(THIS_YEAR, 7)]


def test_shared_commitments_need_membership_and_coordinators_manage_members(
    skillpass: SkillPass,
) -> None:
    hr = person(skillpass, "hr@voltcell.example")
    dean = person(skillpass, "dean@college.example")
    volt = employer(skillpass, hr)
    school = college(skillpass, dean)
    partnership = skillpass.community.partnerships.create(
        dean,
        school.organisation_id,
        PartnershipCreate(name="Batteries", kind=PartnershipKind.LARGE_SCALE),
    )
    shared = CommitmentCreate(
        title="Shared places",
        target_training_places=5,
        target_year=THIS_YEAR + 1,
        partnership_id=partnership.id,
    )
    with pytest.raises(InvalidInput, match="not a member of Batteries"):
        skillpass.community.organisations.commit(hr, volt.organisation_id, shared)
    with pytest.raises(PermissionDenied, match="coordinators of Batteries"):
        skillpass.community.partnerships.add_member(hr, partnership.id, volt.organisation_id)
    skillpass.community.partnerships.add_member(dean, partnership.id, volt.organisation_id)
    made = skillpass.community.organisations.commit(hr, volt.organisation_id, shared)
    assert made.partnership_id == partnership.id
    with pytest.raises(InvalidInput, match="only coordinator"):
        skillpass.community.partnerships.remove_member(dean, partnership.id, school.organisation_id)
    with pytest.raises(InvalidInput, match="needs its NUTS region"):
        skillpass.community.partnerships.create(
            dean,
            school.organisation_id,
            PartnershipCreate(name="Regional", kind=PartnershipKind.REGIONAL),
        )


def test_contact_details_are_shared_only_after_acceptance(skillpass: SkillPass) -> None:
    hr = person(skillpass, "hr@voltcell.example")
    dean = person(skillpass, "dean@college.example")
    volt = employer(skillpass, hr)
    school = college(skillpass, dean)
    partners = skillpass.community.partners
    asked = partners.request_contact(hr, volt.organisation_id, school.organisation_id, "Hello")
    assert asked.contact is None
    with pytest.raises(Conflict, match="waiting for an answer"):
        partners.request_contact(hr, volt.organisation_id, school.organisation_id, "Again")
    assert partners.requests(dean, school.organisation_id)[0].contact is None
    with pytest.raises(PermissionDenied):
        partners.decide(hr, asked.id, True)
    declined = partners.decide(dean, asked.id, False)
    assert declined.status is ContactStatus.DECLINED
    assert declined.contact is None
    assert partners.get_request(hr, asked.id).contact is None
    with pytest.raises(Conflict):
        partners.decide(dean, asked.id, True)
    second = partners.request_contact(dean, school.organisation_id, volt.organisation_id, "Hi")
    accepted = partners.decide(hr, second.id, True)
    assert accepted.contact is not None
    assert accepted.contact.contact_email == "dean@college.example"
    assert partners.get_request(dean, second.id).contact.contact_email == "hr@voltcell.example"  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        partners.get_request(person(skillpass, "eve@x.example"), second.id)


def test_moderators_publish_and_post(skillpass: SkillPass) -> None:
    dean = person(skillpass, "dean@college.example")
    moderator = person(skillpass, "mo@support.example", Role.MODERATOR)
    library = skillpass.community.library
    with pytest.raises(PermissionDenied, match="Only moderators"):
        library.queue(dean)
    with pytest.raises(PermissionDenied, match=r"set-roles dean@college\.example --role moderator"):
        library.post(dean, PostCreate(kind=PostKind.NEWS, title="Hello", body="x"))
    post = library.post(moderator, PostCreate(kind=PostKind.EVENT, title="Matchmaking", body="x"))
    assert library.posts() == [post]


class _Catalogue:
    """A stand-in catalogue: one course of the college's in SE232, one elsewhere."""

    def __init__(self, provider: str, opportunity: Opportunity) -> None:
        self.provider = provider
        self.opportunity = opportunity
        self.queries: list[OpportunityQuery] = []

    def search(self, query: OpportunityQuery) -> tuple[list[Opportunity], int]:
        self.queries.append(query)
        if query.provider_id == self.provider and query.capability_area == "batteries":
            far = self.opportunity.model_copy(update={"id": "far", "region": "DE111"})
            return [self.opportunity, far], 2
        return [], 0


def test_employers_needs_are_matched_with_the_providers_courses_in_the_region(
    skillpass: SkillPass,
) -> None:
    hr = person(skillpass, "hr@voltcell.example")
    dean = person(skillpass, "dean@college.example")
    volt = employer(skillpass, hr)
    school = college(skillpass, dean)
    now = datetime.now(UTC)
    course = Opportunity(
        id="near",
        title="Battery cell assembly",
        provider="College",
        provider_id=school.organisation_id,
        country="SE",
        region="SE232",
        languages=["sv"],
        mode="onsite",
        course_type="micro_credential",
        start_dates=[],
        duration_weeks=4,
        hours=40,
        cost_eur=0,
        outcomes=[],
        capability_areas=["batteries"],
        created_at=now,
        updated_at=now,
    )
    stub = _Catalogue(school.organisation_id, course)
    skillpass.community.partners._catalogue = stub  # type: ignore[assignment]
    best = skillpass.community.partners.suggest(volt.organisation_id)[0]
    assert [c.opportunity_id for c in best.courses] == ["near"]
    assert best.courses[0] == MatchedCourse(
        opportunity_id="near",
        title="Battery cell assembly",
        region="SE232",
        country="SE",
        covers=["Batteries & energy storage"],
    )
    assert any(r.startswith("Courses in your region") for r in best.reasons)


def test_the_synthetic_seed_is_labelled_and_survives_export_and_import(
    skillpass: SkillPass, tmp_path: Path
) -> None:
    report = skillpass.community.seed_synthetic()
    assert report.organisations == 12
    assert report.synthetic
    community = skillpass.community
    assert all(
        SYNTHETIC_LABEL in p.name and p.synthetic for p in community.organisations.profiles()
    )
    assert all(SYNTHETIC_LABEL in p.name and p.synthetic for p in community.partnerships.all())
    assert all(
        SYNTHETIC_LABEL in p.title and p.synthetic
        for p in community.library.search(PracticeQuery())
    )
    assert all(c.synthetic for c in community.organisations.commitments())
    assert community.seed_synthetic().organisations == 0
    out = tmp_path / "community.json"
    counts = community.export_file(out)
    assert counts == {"organisations": 12, "partnerships": 2, "practices": 5, "posts": 2}
    other = build(make_settings(tmp_path / "other"))
    try:
        imported = other.community.import_file(out)
        assert imported.organisations_created == 12
        assert imported.progress_reports == report.progress_reports
        before = community.organisations.dashboard().totals
        after = other.community.organisations.dashboard().totals
        assert after == before
        assert {p.name for p in other.community.partnerships.all()} == {
            p.name for p in community.partnerships.all()
        }
        assert other.community.import_file(out).organisations_created == 0
    finally:
        other.close()


def test_a_broken_import_lists_every_problem_and_writes_nothing(
    skillpass: SkillPass, tmp_path: Path
) -> None:
    bad = {
        "format": "skillpass-community/1",
        "organisations": [
            {"name": "A", "country": "SE", "profile": {"role": "wizard"}},
            {"name": "B", "country": "SE", "profile": {"role": "employer", "sectors": ["??"]}},
        ],
    }
    with pytest.raises(InvalidInput) as caught:
        skillpass.community.import_document(bad)
    assert len(caught.value.details["problems"]) == 2
    assert skillpass.community.organisations.profiles() == []
    with pytest.raises(InvalidInput, match="not a community export"):
        skillpass.community.import_document({"format": "x"})
