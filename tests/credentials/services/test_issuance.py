"""Issuing: learner identity, idempotency, batches with per-row failures, revocation, status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from skillpass.app import SkillPass
from skillpass.credentials.models import hash_identity
from skillpass.credentials.proofs.jwt import decode_jwt
from skillpass.credentials.records import AchievementRecord, BatchRow
from skillpass.credentials.status_lists import STATUS_LIST_SIZE, decode_status_list, status_bit
from skillpass.errors import Conflict, InvalidInput, NotFound
from skillpass.storage.tables import issued_credentials


class Counter:
    def __init__(self) -> None:
        self.stages: list[tuple[str, int | None]] = []
        self.done = 0

    def stage(self, description: str, total: int | None = None) -> None:
        self.stages.append((description, total))

    def advance(self, amount: int = 1) -> None:
        self.done += amount


def _payload(document: str) -> dict[str, object]:
    return decode_jwt(document).payload


def test_issue_jwt_identifies_the_learner_by_a_salted_email_hash(
    skillpass: SkillPass, achievement: AchievementRecord
) -> None:
    issued = skillpass.credentials.issue(
        achievement.id, "Ana.Lopez@Example.org", "Ana López", format="ob3-jwt"
    )
    assert issued.id.startswith("urn:uuid:")
    assert issued.format == "ob3-jwt"
    assert 0 <= issued.status_index < STATUS_LIST_SIZE
    payload = _payload(issued.document)
    subject = payload["credentialSubject"]
    assert isinstance(subject, dict)
    assert "ana.lopez@example.org" not in json.dumps(payload).lower()
    hashed = next(i for i in subject["identifier"] if i.get("hashed"))
    assert hashed["identityHash"] == hash_identity("ana.lopez@example.org", hashed["salt"])
    assert issued.learner_email_hash == hashed["identityHash"]
    status = payload["credentialStatus"]
    assert isinstance(status, dict)
    assert status["statusListIndex"] == str(issued.status_index)
    assert status["statusListCredential"].endswith(f"/api/v1/status-lists/{issued.status_list_id}")
    # the plain e-mail is not kept unless asked for
    with skillpass.engine.connect() as conn:
        stored = conn.execute(select(issued_credentials.c.learner_email)).scalar_one()
    assert stored is None


def test_learner_did_becomes_the_subject_id(
    skillpass: SkillPass, achievement: AchievementRecord
) -> None:
    issued = skillpass.credentials.issue(
        achievement.id,
        None,
        learner_did="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        format="ob3-jwt",
    )
    subject = _payload(issued.document)["credentialSubject"]
    assert isinstance(subject, dict)
    assert subject["id"].startswith("did:key:z6Mkha")


@pytest.mark.parametrize(
    ("email", "did", "fmt", "message"),
    [
        ("not-an-email", None, "ob3-jwt", "not an e-mail"),
        (None, None, "ob3-jwt", "e-mail address or a DID"),
        ("a@b.example", "mailto:a@b.example", "ob3-jwt", "not a DID"),
        ("a@b.example", None, "pdf", "Unknown credential format"),
    ],
)
def test_bad_learner_or_format_is_refused(
    skillpass: SkillPass,
    achievement: AchievementRecord,
    email: str | None,
    did: str | None,
    fmt: str,
    message: str,
) -> None:
    with pytest.raises(InvalidInput, match=message):
        skillpass.credentials.issue(achievement.id, email, learner_did=did, format=fmt)


def test_same_learner_and_external_id_returns_the_first_credential(
    skillpass: SkillPass, achievement: AchievementRecord
) -> None:
    first = skillpass.credentials.issue(
        achievement.id, "ana@example.org", format="ob3-jwt", external_id="enrol-1"
    )
    again = skillpass.credentials.issue(
        achievement.id, " ANA@example.org ", format="ob3-jwt", external_id="enrol-1"
    )
    assert again.id == first.id
    assert first.created
    assert not again.created
    other = skillpass.credentials.issue(
        achievement.id, "ana@example.org", format="ob3-jwt", external_id="enrol-2"
    )
    no_external = [
        skillpass.credentials.issue(achievement.id, "ana@example.org", format="ob3-jwt")
        for _ in range(2)
    ]
    ids = {first.id, other.id, *(c.id for c in no_external)}
    assert len(ids) == 4


def test_another_format_of_the_same_award_is_issued_and_a_repeat_is_not(
    skillpass: SkillPass, achievement: AchievementRecord
) -> None:
    issue = skillpass.credentials.issue
    ob3 = issue(achievement.id, "ana@example.org", format="ob3", external_id="enrol-1")
    elm = issue(achievement.id, "ana@example.org", format="elm", external_id="enrol-1")
    jwt = issue(achievement.id, "ana@example.org", format="ob3-jwt", external_id="enrol-1")
    assert len({ob3.id, elm.id, jwt.id}) == 3
    assert (ob3.format, elm.format, jwt.format) == ("ob3", "elm", "ob3-jwt")
    assert [ob3.created, elm.created, jwt.created] == [True, True, True]
    again = issue(achievement.id, "ANA@example.org", format="elm", external_id="enrol-1")
    assert again.id == elm.id
    assert again.format == "elm"
    assert not again.created
    batch = skillpass.credentials.issue_batch(
        achievement.id, [BatchRow(email="ana@example.org", external_id="enrol-1")], "elm"
    )
    assert (batch.existing, batch.credentials[0].id) == (1, elm.id)


def test_concurrent_repeat_in_the_same_format_returns_one_credential(
    skillpass: SkillPass, achievement: AchievementRecord
) -> None:
    rows = [BatchRow(email="ana@example.org", external_id="enrol-9")] * 6
    result = skillpass.credentials.issue_batch(achievement.id, rows, "ob3-jwt", workers=3)
    assert result.failed == 0
    assert len({c.id for c in result.credentials}) == 1
    assert result.issued == 1


def test_unknown_definition_is_not_found(skillpass: SkillPass) -> None:
    with pytest.raises(NotFound, match="achievement list"):
        skillpass.credentials.issue("nope", "a@b.example", format="ob3-jwt")


def test_batch_from_csv_reports_each_row_and_is_idempotent(
    skillpass: SkillPass, achievement: AchievementRecord, tmp_path: Path
) -> None:
    csv_file = tmp_path / "learners.csv"
    csv_file.write_text(
        "email,name,did,external_id\n"
        "ana@example.org,Ana,,e1\n"
        "broken-address,Bob,,e2\n"
        "cleo@example.org,Cleo,did:example:cleo,e3\n",
        encoding="utf-8",
    )
    progress = Counter()
    result = skillpass.credentials.issue_csv(achievement.id, csv_file, "ob3-jwt", progress=progress)
    assert [r.outcome for r in result.rows] == ["issued", "failed", "issued"]
    assert "not an e-mail" in (result.rows[1].error or "")
    assert (result.issued, result.failed, result.existing) == (2, 1, 0)
    assert progress.stages == [("Issuing 3 credentials (ob3-jwt)", 3)]
    assert progress.done == 3
    again = skillpass.credentials.issue_csv(achievement.id, csv_file, "ob3-jwt", workers=3)
    assert [r.outcome for r in again.rows] == ["existing", "failed", "existing"]
    assert [r.credential_id for r in again.rows] == [r.credential_id for r in result.rows]
    assert len(skillpass.credentials.list_credentials()) == 2


def test_batch_csv_with_wrong_columns_is_refused(
    skillpass: SkillPass, achievement: AchievementRecord, tmp_path: Path
) -> None:
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("mail,fullname\nx@y.example,X\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="email,name,did,external_id"):
        skillpass.credentials.issue_csv(achievement.id, csv_file, "ob3-jwt")


def test_batch_with_bad_format_issues_nothing(
    skillpass: SkillPass, achievement: AchievementRecord
) -> None:
    with pytest.raises(InvalidInput):
        skillpass.credentials.issue_batch(achievement.id, [BatchRow(email="a@b.example")], "pdf")
    assert skillpass.credentials.list_credentials() == []


def test_revoke_sets_the_bit_in_the_signed_status_list(
    skillpass: SkillPass, achievement: AchievementRecord
) -> None:
    issued = skillpass.credentials.issue(achievement.id, "ana@example.org", format="ob3-jwt")
    status_list = skillpass.credentials.status_list_credential(issued.status_list_id)
    assert isinstance(status_list, dict)
    assert status_list["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    bits = decode_status_list(status_list["credentialSubject"]["encodedList"])
    assert not status_bit(bits, issued.status_index)
    revoked = skillpass.credentials.revoke(issued.id, "  issued in error ")
    assert revoked.revoked
    assert revoked.revocation_reason == "issued in error"
    status_list = skillpass.credentials.status_list_credential(issued.status_list_id)
    assert isinstance(status_list, dict)
    bits = decode_status_list(status_list["credentialSubject"]["encodedList"])
    assert status_bit(bits, issued.status_index)
    assert skillpass.trust.verify(status_list).check("proof").ok  # type: ignore[union-attr]
    with pytest.raises(Conflict, match="revoked already"):
        skillpass.credentials.revoke(issued.id, "again")
    with pytest.raises(InvalidInput, match="reason"):
        skillpass.credentials.revoke(issued.id, "  ")
    # the bare UUID works as well as the urn
    assert skillpass.credentials.get(issued.id.removeprefix("urn:uuid:")).id == issued.id


def test_revoking_an_unknown_credential_is_not_found(skillpass: SkillPass) -> None:
    with pytest.raises(NotFound):
        skillpass.credentials.revoke("urn:uuid:00000000-0000-0000-0000-000000000000", "x")


def test_status_check_says_when_a_credential_was_revoked_but_keeps_the_reason_private(
    skillpass: SkillPass, achievement: AchievementRecord
) -> None:
    for fmt in ("ob3-jwt", "elm"):
        issued = skillpass.credentials.issue(achievement.id, "ana@example.org", format=fmt)
        revoked = skillpass.credentials.revoke(issued.id, "assessment annulled")
        assert revoked.revoked_at is not None
        report = skillpass.trust.verify(issued.document)
        status = report.check("status")
        assert status is not None
        assert status.ok is False, (fmt, status)
        assert f"Revoked by its issuer on {revoked.revoked_at:%Y-%m-%d}" in status.detail
        assert "assessment annulled" not in status.detail
        assert not any("assessment annulled" in error for error in report.errors)
        assert skillpass.credentials.get(issued.id).revocation_reason == "assessment annulled"
