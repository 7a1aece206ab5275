"""The Annex I model: plain-words validation that names every problem, learner identities,
status entries."""

from __future__ import annotations

from typing import Any

import pytest

from skillpass.credentials.models import (
    Achievement,
    LearnerRef,
    StatusEntry,
    Supervision,
    hash_identity,
    parse_achievement,
)
from skillpass.errors import InvalidInput


def _valid(example: Achievement) -> dict[str, Any]:
    return example.model_dump(mode="json", exclude_none=True)


def _problems(data: dict[str, Any]) -> list[dict[str, str]]:
    with pytest.raises(InvalidInput) as caught:
        parse_achievement(data)
    return caught.value.details["problems"]


def test_example_round_trips_through_plain_data(example: Achievement) -> None:
    assert parse_achievement(_valid(example)) == example


def test_missing_workload_is_named_in_plain_words(example: Achievement) -> None:
    data = _valid(example)
    data["workload"] = {}
    problems = _problems(data)
    assert problems == [
        {
            "element": "workload",
            "problem": "Notional workload is missing: give ECTS credits, hours, or both "
            "(Annex I, element 'notional workload').",
        }
    ]


def test_absent_workload_key_gives_the_same_hint(example: Achievement) -> None:
    data = _valid(example)
    del data["workload"]
    (problem,) = _problems(data)
    assert "Notional workload is missing: give ECTS credits, hours, or both" in problem["problem"]


def test_every_problem_is_collected_not_just_the_first(example: Achievement) -> None:
    data = _valid(example)
    del data["title"]
    del data["quality_assurance"]
    data["level"] = {"eqf": 9}
    data["participation"] = {"mode": "by pigeon", "setting": "formal"}
    data["learning_outcomes"][0]["esco_skills"][0]["uri"] = "https://example.org/skill/1"
    with pytest.raises(InvalidInput) as caught:
        parse_achievement(data)
    elements = [p["element"] for p in caught.value.details["problems"]]
    assert elements == [
        "title",
        "learning_outcomes.0.esco_skills.0.uri",
        "level.eqf",
        "participation.mode",
        "quality_assurance",
    ]
    assert caught.value.message.startswith("The micro-credential definition has 5 problems:")
    assert "type of quality assurance" in caught.value.message
    assert "is not an ESCO skill URI" in caught.value.message


def test_stackable_needs_the_larger_credential_named(example: Achievement) -> None:
    data = _valid(example)
    data["integration"] = {"kind": "stackable"}
    (problem,) = _problems(data)
    assert problem["element"] == "integration"
    assert "name the larger credential" in problem["problem"]
    assert "integration/stackability options" in problem["problem"]


def test_assessment_type_other_needs_a_description(example: Achievement) -> None:
    data = _valid(example)
    data["assessment"] = {"type": "other"}
    (problem,) = _problems(data)
    assert "describe the assessment" in problem["problem"]


def test_unknown_elements_are_refused_by_name(example: Achievement) -> None:
    data = _valid(example)
    data["ects"] = 5
    (problem,) = _problems(data)
    assert problem == {
        "element": "ects",
        "problem": "'ects' is not an element SkillPass knows: check its spelling or remove it.",
    }


def test_country_must_be_iso_alpha2(example: Achievement) -> None:
    data = _valid(example)
    data["awarding_bodies"][0]["country"] = "Germany"
    (problem,) = _problems(data)
    assert problem["element"] == "awarding_bodies.0.country"
    assert "two-letter ISO 3166-1 code" in problem["problem"]


def test_non_mapping_definition_is_refused() -> None:
    with pytest.raises(InvalidInput, match="mapping"):
        parse_achievement(["title"])  # type: ignore[arg-type]


def test_esco_skills_are_deduplicated_in_order(example: Achievement) -> None:
    uris = [s.uri for s in example.esco_skills]
    assert len(uris) == len(set(uris)) == 8
    assert uris[0].endswith("713fb616-118e-40bc-9366-4a69879a49d5")


def test_identity_hash_matches_the_ob3_specification_example() -> None:
    # OB3 IdentityHash definition: 'a@example.com' salted with 'Kosher'.
    assert hash_identity("a@example.com", "Kosher") == (
        "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
    )


def test_email_is_normalised_before_hashing() -> None:
    assert hash_identity(" A@Example.com ", "Kosher") == hash_identity("a@example.com", "Kosher")


def test_learner_needs_a_did_or_a_hash() -> None:
    with pytest.raises(ValueError, match="DID or by a hashed e-mail"):
        LearnerRef(name="Ana")


def test_hashed_learner_needs_its_salt() -> None:
    with pytest.raises(ValueError, match="salt"):
        LearnerRef(identity_hash="sha256$" + "0" * 64)


def test_status_entry_serialises_index_as_string() -> None:
    entry = StatusEntry(
        id="https://x.example/s/1#7",
        status_list_index=7,
        status_list_credential="https://x.example/s/1",
    )
    assert entry.to_json() == {
        "id": "https://x.example/s/1#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": "https://x.example/s/1",
    }


def test_supervision_labels_use_annex_i_wording() -> None:
    assert Supervision.SUPERVISED_IDENTITY_VERIFIED.label == (
        "supervised online or onsite with identity verification"
    )
    assert Supervision.UNSUPERVISED_NO_IDENTITY_VERIFICATION.label == (
        "unsupervised with no identity verification"
    )
