"""What a credential certifies: OB3 JSON-LD and VC-JWT payloads, ELM (ours and the official EDC
sample), and the ``summary`` key of the verification report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skillpass.app import SkillPass
from skillpass.credentials.proofs.jwt import decode_jwt
from skillpass.credentials.records import AchievementRecord
from skillpass.credentials.summary import summarise_credential
from skillpass.credentials.verify import verify_credential

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "micro-credential.yaml"
CREDENTIALS = ROOT.parent / "shared" / "data" / "credentials"
PYTHON_SKILL = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
TITLE = "Applied machine learning for predictive maintenance"


@pytest.fixture
def achievement(skillpass: SkillPass) -> AchievementRecord:
    issuer = skillpass.issuers.create(name="Northvale University", country="SE", kind="university")
    return skillpass.achievements.create_from_file(issuer.id, EXAMPLE)


def _seal_payload(document: str) -> dict[str, Any]:
    import base64

    payload = json.loads(document)["payload"]
    try:
        decoded: dict[str, Any] = json.loads(payload)
    except json.JSONDecodeError:
        decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return decoded


def _assert_example_summary(summary: Any, *, nqf: bool) -> None:
    assert summary.title == TITLE
    assert summary.issuer_name == "Northvale University"
    assert summary.learner_name == "Ana López"
    assert summary.eqf == 6
    assert summary.ects == 5
    assert summary.hours == 125
    assert (summary.nqf == "DQR level 6 (DE)") is nqf
    assert summary.awarding_bodies == (
        "Rhine-Ruhr Institute of Applied Data Science (synthetic example)",
    )
    labels = {skill.uri: skill.label for skill in summary.skills}
    assert labels[PYTHON_SKILL] == "Python (computer programming)"
    assert len(labels) == 8


@pytest.mark.parametrize("fmt", ["ob3", "ob3-jwt", "elm"])
def test_summary_of_each_issued_format(
    skillpass: SkillPass, achievement: AchievementRecord, fmt: str
) -> None:
    issued = skillpass.credentials.issue(achievement.id, "ana@example.org", "Ana López", format=fmt)
    if fmt == "ob3":
        document = json.loads(issued.document)
    elif fmt == "ob3-jwt":
        document = decode_jwt(issued.document).credential
    else:
        document = _seal_payload(issued.document)
    summary = summarise_credential(document)
    _assert_example_summary(summary, nqf=fmt != "elm")  # ELM keeps the NQF in a note
    assert summary.issued == document.get("validFrom")
    assert (summary.issuer_country == "SE") is (fmt != "elm")


@pytest.mark.parametrize("fmt", ["ob3", "ob3-jwt", "elm"])
def test_report_carries_the_summary_and_keeps_the_existing_keys(
    skillpass: SkillPass, achievement: AchievementRecord, fmt: str
) -> None:
    issued = skillpass.credentials.issue(achievement.id, "ana@example.org", "Ana López", None, fmt)
    report = skillpass.trust.verify(issued.document).to_dict()
    assert list(report) == [
        "verified", "processable", "format", "issuer", "checks", "errors", "warnings",
        "credential", "summary",
    ]  # fmt: skip
    summary = report["summary"]
    assert summary["title"] == TITLE
    assert summary["learner_name"] == "Ana López"
    assert (summary["eqf"], summary["ects"], summary["hours"]) == (6, 5, 125)
    assert {"uri": PYTHON_SKILL, "label": "Python (computer programming)"} in summary["skills"]
    json.dumps(report)  # serialisable as is


def test_summary_of_the_official_edc_micro_credential_sample() -> None:
    sample = CREDENTIALS / "elm" / "MC-Annex1-signed.payload.json"
    if not sample.is_file():
        pytest.skip("../shared/data/credentials is not present")
    summary = summarise_credential(json.loads(sample.read_text(encoding="utf-8")))
    assert summary.title == "Digital micro-credential creation"
    assert summary.learner_name == "Ana Andromeda"
    assert (summary.eqf, summary.ects, summary.hours) == (6, 2, 60)
    assert "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a" in {
        skill.uri for skill in summary.skills
    }


def test_summary_of_the_1edtech_ob3_vector_has_what_it_states() -> None:
    vector = CREDENTIALS / "ob3-spec-vectors" / "ob3_signed_vector.json"
    if not vector.is_file():
        pytest.skip("../shared/data/credentials is not present")
    summary = summarise_credential(json.loads(vector.read_text(encoding="utf-8")))
    assert summary.title == "Teamwork"
    assert summary.issuer_name == "Example Corp"
    assert (summary.eqf, summary.ects, summary.skills) == (None, None, ())


def test_unreadable_input_has_no_summary_and_odd_values_are_ignored() -> None:
    assert verify_credential("not a credential").to_dict()["summary"] is None
    odd = {
        "type": ["VerifiableCredential"],
        "credentialSubject": {
            "achievement": {
                "name": {"en": "Title in a language map"},
                "ectsCredits": "five",
                "workloadHours": True,
                "alignment": [{"targetFramework": "EQF", "targetCode": "6.5"}, "junk"],
            }
        },
    }
    summary = summarise_credential(odd)
    assert summary.title == "Title in a language map"
    assert (summary.ects, summary.hours, summary.eqf) == (None, None, None)
    assert summarise_credential({}).empty
