"""The supply side of the shortage signal, counted from credentials really issued on the platform
and imported into real passports (through the services, signed for real)."""

from __future__ import annotations

import yaml
from sqlalchemy import insert

from skillpass.app import SkillPass
from skillpass.intelligence.supply import SupplyRepository
from skillpass.storage.tables import capability_members
from tests.passport._core import EXAMPLE, definition, issue_to, learner

#: Holders count passport items verified when imported: a credential revoked later still counts
#: until the passport re-verifies it (a known limit, docs/intelligence.md "Known limits").
HOLDERS = 6
SKILLS = sorted(
    {
        s["uri"]
        for outcome in yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["learning_outcomes"]
        for s in outcome.get("esco_skills", [])
    }
)


def _tag(app: SkillPass, area: str, *uris: str) -> None:
    rows = [
        {
            "area_id": area,
            "concept_uri": uri,
            "concept_type": "skill",
            "rule": "seed",
            "tier": "core",
            "reason": "test",
            "framework_version": "test",
            "taxonomy_version": "test",
        }
        for uri in uris
    ]
    with app.engine.begin() as conn:
        conn.execute(insert(capability_members), rows)


def test_supply_counts_issued_credentials_and_verified_holders(skillpass: SkillPass) -> None:
    swedish = definition(skillpass, "Northvale University")
    learners = [learner(skillpass, f"Learner {n}") for n in range(6)]
    issued = [issue_to(skillpass, person, achievement=swedish) for person in learners]
    for person, credential in zip(learners, issued, strict=True):
        skillpass.passport.import_credential(person, credential.document.encode(), "c.json")
    skillpass.credentials.revoke(issued[0].id, "issued in error")
    hafenstadt = skillpass.issuers.create(name="Hafenstadt Institute", country="DE", kind="vet")
    german = skillpass.achievements.create_from_file(hafenstadt.id, EXAMPLE)
    for n in range(2):
        issue_to(skillpass, learner(skillpass, f"Late {n}"), achievement=german)

    rows = {(r.country, r.item): r for r in SupplyRepository(skillpass.engine).counts().rows}
    assert {item for _, item in rows} == set(SKILLS)
    for uri in SKILLS:
        row = rows["SE", uri]
        # 6 issued, 1 revoked: 5 credentials; 6 learners imported theirs into their passport
        assert (row.credentials, row.holders, row.supply) == (5, HOLDERS, 5 + HOLDERS)
        assert row.suppressed is False
        # two German credentials: a count that small is reported as 0 and marked
        german_row = rows["DE", uri]
        assert (german_row.credentials, german_row.suppressed) == (0, True)


def test_small_counts_are_coarsened_and_marked(skillpass: SkillPass) -> None:
    record = definition(skillpass)
    for n in range(3):
        issue_to(skillpass, learner(skillpass, f"Few {n}"), achievement=record)
    counts = SupplyRepository(skillpass.engine).counts().rows
    assert counts
    assert all(r.credentials == 0 and r.holders == 0 and r.suppressed for r in counts)
    loose = SupplyRepository(skillpass.engine, min_count=3).counts().rows
    assert all(r.credentials == 3 and not r.suppressed for r in loose)


def test_capability_areas_count_each_credential_once_per_area(skillpass: SkillPass) -> None:
    _tag(skillpass, "batteries", *SKILLS[:2])
    _tag(skillpass, "ai_data", SKILLS[-1])
    record = definition(skillpass)
    for n in range(5):
        issue_to(skillpass, learner(skillpass, f"Area {n}"), achievement=record)
    counts = SupplyRepository(skillpass.engine).counts(by_area=True)
    by_area = {(r.country, r.item): r.credentials for r in counts.rows}
    # two skills of the credential are in batteries, but the credential counts once there
    assert by_area == {("SE", "ai_data"): 5, ("SE", "batteries"): 5}
    frame = counts.as_frame()
    assert list(frame.columns) == [
        "country", "item", "credentials", "holders", "supply", "suppressed",
    ]  # fmt: skip
    assert frame["supply"].tolist() == [5, 5]
