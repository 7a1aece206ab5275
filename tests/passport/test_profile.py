"""The skills profile: strongest evidence wins, every skill links to its evidence, totals count
only verified items, grouping by STEM sub-discipline and strategic capability area."""

from __future__ import annotations

from datetime import UTC, datetime

from skillpass.app import SkillPass
from skillpass.passport.models import (
    ExperienceCategory,
    ItemKind,
    ItemSource,
    PassportItem,
    SkillRef,
    SkillsProfile,
    Strength,
)
from skillpass.passport.profile import AreaInfo, build_profile
from skillpass.passport.service import ExperienceCreate

from ._core import issue_to, learner

NOW = datetime(2025, 1, 1, tzinfo=UTC)
CELLS = SkillRef(uri="esco:cells", label="battery cell assembly")
PYTHON = SkillRef(uri="esco:python", label="Python")
SAFETY = SkillRef(uri="esco:safety", label="work safely")
AREAS = [
    AreaInfo("batteries", "Batteries", is_discipline=False),
    AreaInfo("engineering", "Engineering", is_discipline=True),
    AreaInfo("ict", "ICT", is_discipline=True),
]
MEMBERSHIP = {
    "esco:cells": ["batteries", "engineering"],
    "esco:python": ["ict", "ai_data"],  # ai_data is not a known area here: ignored
    "esco:safety": [],
}


def _item(
    item_id: str,
    kind: ItemKind,
    source: ItemSource,
    verified: bool | None,
    skills: list[SkillRef],
    **values: object,
) -> PassportItem:
    return PassportItem(
        id=item_id,
        kind=kind,
        source=source,
        title=f"Item {item_id}",
        verified=verified,
        skills=skills,
        created_at=NOW,
        updated_at=NOW,
        **values,
    )


def _profile(items: list[PassportItem]) -> SkillsProfile:
    return build_profile("owner", items, lambda uri: MEMBERSHIP.get(uri, []), AREAS)


def test_strength_order_and_evidence_links() -> None:
    items = [
        _item("self", ItemKind.EXPERIENCE, ItemSource.SELF, None, [CELLS, PYTHON, SAFETY]),
        _item("rpl", ItemKind.CREDENTIAL, ItemSource.RPL, True, [PYTHON]),
        _item("job", ItemKind.ATTESTATION, ItemSource.ATTESTED, True, [CELLS]),
        _item("mc", ItemKind.CREDENTIAL, ItemSource.IMPORTED, True, [CELLS]),
        _item("bad", ItemKind.CREDENTIAL, ItemSource.IMPORTED, False, [SAFETY]),
    ]
    profile = _profile(items)
    by_uri = {skill.uri: skill for skill in profile.skills}
    assert by_uri["esco:cells"].strength is Strength.VERIFIED_CREDENTIAL
    assert [e.item_id for e in by_uri["esco:cells"].evidence] == ["mc", "job", "self"]
    assert [e.strength for e in by_uri["esco:cells"].evidence] == [
        Strength.VERIFIED_CREDENTIAL,
        Strength.EMPLOYER_ATTESTED,
        Strength.SELF_DECLARED,
    ]
    assert by_uri["esco:python"].strength is Strength.ASSESSED_RPL
    # an unverified credential is no stronger than a self-declaration
    assert by_uri["esco:safety"].strength is Strength.SELF_DECLARED
    assert {e.item_id for e in by_uri["esco:safety"].evidence} == {"self", "bad"}
    # strongest first
    assert [s.uri for s in profile.skills] == ["esco:cells", "esco:python", "esco:safety"]
    assert profile.items == 5
    assert profile.unverified_items == 2


def test_grouping_by_discipline_and_area() -> None:
    items = [
        _item("mc", ItemKind.CREDENTIAL, ItemSource.IMPORTED, True, [CELLS]),
        _item("self", ItemKind.EXPERIENCE, ItemSource.SELF, None, [PYTHON, SAFETY]),
    ]
    profile = _profile(items)
    cells = next(s for s in profile.skills if s.uri == "esco:cells")
    assert cells.areas == ["batteries"]
    assert cells.disciplines == ["engineering"]
    python = next(s for s in profile.skills if s.uri == "esco:python")
    assert python.areas == []
    assert python.disciplines == ["ict"]
    # disciplines first, areas without skills left out
    assert [a.area_id for a in profile.areas] == ["engineering", "ict", "batteries"]
    batteries = profile.areas[-1]
    assert batteries.skills == ["esco:cells"]
    assert batteries.strongest == {Strength.VERIFIED_CREDENTIAL: 1}
    assert profile.areas[1].strongest == {Strength.SELF_DECLARED: 1}


def test_totals_count_only_verified_items() -> None:
    items = [
        _item("a", ItemKind.CREDENTIAL, ItemSource.IMPORTED, True, [], ects=5.0, eqf=6, hours=125),
        _item("b", ItemKind.CREDENTIAL, ItemSource.CLAIMED, True, [], ects=2.5, eqf=5),
        _item("c", ItemKind.CREDENTIAL, ItemSource.IMPORTED, False, [], ects=30.0, eqf=8),
        _item(
            "d",
            ItemKind.EXPERIENCE,
            ItemSource.SELF,
            None,
            [],
            category=ExperienceCategory.PROJECT,
        ),
    ]
    profile = _profile(items)
    assert profile.ects_total == 7.5
    assert profile.hours_total == 125
    assert profile.eqf_levels == {5: 1, 6: 1}
    assert profile.highest_eqf == 6
    assert profile.skills == []
    assert profile.areas == []


def test_service_profile_links_skills_to_passport_items(skillpass: SkillPass) -> None:
    ana = learner(skillpass)
    credential = skillpass.passport.claim(ana, issue_to(skillpass, ana).id)
    shared = credential.skills[0]
    experience = skillpass.passport.declare(
        ana,
        ExperienceCreate(category="project", title="Side project", skills=[shared]),
    )
    profile = skillpass.passport.profile(ana)
    assert profile.owner_id == ana.public_id
    assert {s.uri for s in profile.skills} == {s.uri for s in credential.skills}
    skill = next(s for s in profile.skills if s.uri == shared.uri)
    assert [e.item_id for e in skill.evidence] == [credential.id, experience.id]
    assert skill.strength is Strength.VERIFIED_CREDENTIAL
    assert profile.ects_total == credential.ects
    assert profile.eqf_levels == {credential.eqf: 1}
    # someone else's profile is their own, and empty
    assert skillpass.passport.profile(learner(skillpass, "Ben")).skills == []
