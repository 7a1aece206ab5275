"""Stored micro-credential definitions: from file and data, plain-words errors, capability areas."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml
from sqlalchemy import insert

from skillpass.app import SkillPass
from skillpass.credentials.records import Issuer
from skillpass.errors import InvalidInput, NotFound
from skillpass.storage.tables import capability_members

from .conftest import EXAMPLE


def _example() -> dict[str, object]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_create_from_file_stores_the_definition_with_an_opaque_id(
    skillpass: SkillPass, issuer: Issuer
) -> None:
    record = skillpass.achievements.create_from_file(issuer.id, EXAMPLE)
    assert record.issuer_id == issuer.id
    assert record.version == 1
    assert record.title == _example()["title"]
    assert record.definition["id"] == record.id
    assert skillpass.achievements.get(record.id) == record
    assert skillpass.achievements.achievement(record.id).title == record.title
    assert [r.id for r in skillpass.achievements.list_achievements(issuer.id)] == [record.id]


def test_create_from_data_names_the_missing_annex_i_element(
    skillpass: SkillPass, issuer: Issuer
) -> None:
    data = _example()
    del data["assessment"]
    with pytest.raises(InvalidInput) as caught:
        skillpass.achievements.create(issuer.id, data)
    problems = caught.value.details["problems"]
    assert [p["element"] for p in problems] == ["assessment"]
    assert "type of assessment" in problems[0]["problem"]


def test_definition_for_an_unknown_issuer_is_not_found(skillpass: SkillPass) -> None:
    with pytest.raises(NotFound):
        skillpass.achievements.create_from_file("no-such-issuer", EXAMPLE)


def test_capability_areas_follow_from_the_esco_skills(skillpass: SkillPass, issuer: Issuer) -> None:
    skill = _example()["learning_outcomes"][0]["esco_skills"][0]["uri"]  # type: ignore[index]
    area = skillpass.capabilities.definitions[0].id
    with skillpass.engine.begin() as conn:
        conn.execute(
            insert(capability_members).values(
                area_id=area,
                concept_uri=skill,
                concept_type="skill",
                rule="seed",
                tier="core",
                reason="test",
                framework_version="test",
                taxonomy_version="test",
            )
        )
    record = skillpass.achievements.create_from_file(issuer.id, EXAMPLE)
    assert record.capability_areas == (area,)
    assert record.definition["capability_areas"] == [area]
    assert record.created_at <= datetime.now(UTC)
