"""``skillpass issuer/achievement/issue/issue-batch/revoke/verify/trust`` through the CLI entry
point, on a temporary database: the acceptance flow, JSON contracts and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from skillpass.cli.main import run
from skillpass.config import Settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "micro-credential.yaml"
ELM_SHAPES = ROOT.parent / "shared" / "data" / "credentials" / "elm"


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Point the CLI (which reads the environment) at a temporary database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    if ELM_SHAPES.is_dir():  # the EDC context and shapes, for ELM credentials
        monkeypatch.setenv("SKILLPASS_ELM_SHAPES", str(ELM_SHAPES))
    return Settings()


def run_json(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> object:
    capsys.readouterr()
    assert run(list(args)) == code
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def achievement_id(cli_env: Settings, capsys: pytest.CaptureFixture[str]) -> str:
    issuer = run_json(
        capsys,
        "issuer",
        "create",
        "--name",
        "Northvale University",
        "--country",
        "SE",
        "--type",
        "university",
        "--region",
        "SE110",
        "--json",
    )
    assert isinstance(issuer, dict)
    created = run_json(
        capsys,
        "achievement",
        "create",
        "--issuer",
        issuer["id"],
        "--from-file",
        str(EXAMPLE),
        "--json",
    )
    assert isinstance(created, dict)
    return str(created["id"])


def test_issuer_create_json_has_id_and_did_and_never_private_keys(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    issuer = run_json(
        capsys,
        "issuer",
        "create",
        "--name",
        "Eastmark VET College",
        "--country",
        "de",
        "--type",
        "vet",
        "--registration",
        "eidas=DE:123",
        "--json",
    )
    assert isinstance(issuer, dict)
    assert issuer["id"]
    assert issuer["did"].startswith("did:web:")
    assert issuer["did_key"].startswith("did:key:z6Mk")
    assert issuer["registration_ids"] == {"eidas": "DE:123"}
    assert "private" not in json.dumps(issuer).lower()
    listed = run_json(capsys, "issuer", "list", "--json")
    assert [i["id"] for i in listed] == [issuer["id"]]  # type: ignore[union-attr]
    rotated = run_json(capsys, "issuer", "rotate-key", issuer["id"], "--json")
    assert isinstance(rotated, dict)
    assert [k["status"] for k in rotated["keys"]] == ["active", "retired"]


def test_issuer_create_with_unknown_type_is_a_usage_error(cli_env: Settings) -> None:
    assert run(["issuer", "create", "--name", "X", "--country", "SE", "--type", "school"]) == 2


def test_issuer_create_twice_reports_the_conflict(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["issuer", "create", "--name", "Twice", "--country", "SE", "--type", "employer"]
    assert run(args) == 0
    capsys.readouterr()
    assert run(args) == 1
    assert "already exists" in " ".join(capsys.readouterr().err.split())


def test_achievement_create_names_the_missing_element(
    cli_env: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    issuer = run_json(
        capsys,
        "issuer",
        "create",
        "--name",
        "U",
        "--country",
        "SE",
        "--type",
        "university",
        "--json",
    )
    broken = tmp_path / "broken.yaml"
    definition = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    del definition["quality_assurance"]
    broken.write_text(yaml.safe_dump(definition), encoding="utf-8")
    capsys.readouterr()
    code = run(["achievement", "create", "--issuer", issuer["id"], "--from-file", str(broken)])  # type: ignore[index]
    assert code == 1
    assert "Quality assurance is missing" in " ".join(capsys.readouterr().err.split())


@pytest.mark.parametrize("fmt", ["ob3", "ob3-jwt", "elm"])
def test_issue_verify_revoke_with_exit_codes(
    achievement_id: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"credential-{fmt}"
    issued = run_json(
        capsys,
        "issue",
        "--achievement",
        achievement_id,
        "--learner-email",
        "ana@example.org",
        "--learner-name",
        "Ana López",
        "--format",
        fmt,
        "--out",
        str(out),
        "--json",
    )
    assert isinstance(issued, dict)
    assert issued["id"].startswith("urn:uuid:")
    assert issued["format"] == fmt
    assert out.is_file()

    report = run_json(capsys, "verify", str(out), "--json")
    assert isinstance(report, dict)
    assert report["verified"] is True
    assert {"verified", "format", "issuer", "checks", "errors"} <= set(report)

    assert report["summary"]["title"] == "Applied machine learning for predictive maintenance"
    assert report["summary"]["learner_name"] == "Ana López"
    assert report["summary"]["eqf"] == 6

    capsys.readouterr()
    assert run(["verify", str(out)]) == 0
    summary = capsys.readouterr().out
    assert "Verified" in summary
    assert "proof" in summary
    # what it certifies, in words
    assert "certifies: Applied machine learning for predictive maintenance" in summary
    assert "learner: Ana López" in summary
    assert "EQF 6" in summary
    assert "5 ECTS, 125 hours" in summary
    assert "Python (computer programming)" in summary

    assert run(["revoke", issued["id"], "--reason", "awarded in error"]) == 0
    revoked = run_json(capsys, "verify", str(out), "--json", code=1)
    assert isinstance(revoked, dict)
    assert revoked["verified"] is False
    status = next(c for c in revoked["checks"] if c["name"] == "status")
    assert status["ok"] is False
    assert "awarded in error" not in status["detail"]
    assert "Revoked by its issuer on 20" in status["detail"]


def test_verify_exit_2_for_unprocessable_and_unreadable_files(
    cli_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("hello, I am not a credential", encoding="utf-8")
    assert run(["verify", str(junk)]) == 2
    assert "Could not process" in capsys.readouterr().out
    assert run(["verify", str(tmp_path / "missing.json")]) == 2


def test_issue_batch_writes_files_reports_failures_and_is_idempotent(
    achievement_id: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    csv_file = tmp_path / "learners.csv"
    csv_file.write_text(
        "email,name,did,external_id\na@example.org,A,,1\nnot-an-email,B,,2\nc@example.org,C,,3\n",
        encoding="utf-8",
    )
    out_dir = tmp_path / "out"
    args = [
        "issue-batch",
        "--achievement",
        achievement_id,
        "--csv",
        str(csv_file),
        "--format",
        "ob3-jwt",
        "--out-dir",
        str(out_dir),
        "--json",
    ]
    first = run_json(capsys, *args, code=1)
    assert isinstance(first, dict)
    assert (first["issued"], first["failed"]) == (2, 1)
    assert len(list(out_dir.glob("*.jwt"))) == 2
    again = run_json(capsys, *args, code=1)
    assert isinstance(again, dict)
    assert (again["issued"], again["existing"]) == (0, 2)


def test_trust_commands(
    cli_env: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert (
        run(["trust", "add-issuer", "did:web:uni.example", "--country", "SE", "--name", "Uni"]) == 0
    )
    listed = run_json(capsys, "trust", "list", "--json")
    assert [e["did"] for e in listed] == ["did:web:uni.example"]  # type: ignore[union-attr]
    multibase = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    pinned = run_json(
        capsys,
        "trust",
        "pin-key",
        "did:web:uni.example#key-1",
        "--public-key-multibase",
        multibase,
        "--json",
    )
    assert isinstance(pinned, dict)
    assert pinned["public_key_multibase"] == multibase
    did_json = tmp_path / "did.json"
    did_json.write_text(
        json.dumps(
            {
                "id": "did:web:other.example",
                "verificationMethod": [
                    {
                        "id": "did:web:other.example#k",
                        "type": "Multikey",
                        "controller": "did:web:other.example",
                        "publicKeyMultibase": multibase,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    assert run(["trust", "import", str(did_json)]) == 0
    keys = run_json(capsys, "trust", "keys", "--json")
    assert {k["verification_method"] for k in keys} == {  # type: ignore[union-attr]
        "did:web:uni.example#key-1",
        "did:web:other.example#k",
    }
    assert run(["trust", "remove", "did:web:uni.example"]) == 0
    assert run(["trust", "remove", "did:web:uni.example"]) == 1
    assert run(["trust", "remove-key", "did:web:other.example#k"]) == 0


def test_issuer_members_add_list_remove(
    cli_env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    issuer = run_json(
        capsys, "issuer", "create", "--name", "Lakeside", "--country", "FI", "--type", "vet",
        "--json",
    )  # fmt: skip
    assert isinstance(issuer, dict)
    org = issuer["id"]
    assert run(["admin", "create-user", "iris@example.org", "--name", "Iris", "--role",
                "issuer", "--password", "a long passphrase"]) == 0  # fmt: skip
    capsys.readouterr()
    assert run_json(capsys, "issuer", "members", org, "--json") == []
    added = run_json(capsys, "issuer", "add-member", org, "Iris@Example.org", "--json")
    assert isinstance(added, dict)
    assert (added["email"], added["role_in_org"], added["issuer_id"]) == (
        "iris@example.org",
        "issuer",
        org,
    )
    run_json(capsys, "issuer", "add-member", org, "iris@example.org", "--role", "manager", "--json")
    members = run_json(capsys, "issuer", "members", org, "--json")
    assert isinstance(members, list)
    assert [(m["email"], m["role_in_org"]) for m in members] == [("iris@example.org", "manager")]
    capsys.readouterr()
    assert run(["issuer", "members", org]) == 0
    assert "iris@example.org" in capsys.readouterr().out
    assert run(["issuer", "remove-member", org, "iris@example.org"]) == 0
    assert run_json(capsys, "issuer", "members", org, "--json") == []
    capsys.readouterr()
    assert run(["issuer", "remove-member", org, "iris@example.org"]) != 0
    assert run(["issuer", "add-member", org, "nobody@example.org"]) != 0
    assert "admin create-user" in capsys.readouterr().err


def test_issuing_another_format_with_the_same_external_id_is_a_new_credential(
    achievement_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def issue(fmt: str) -> dict[str, object]:
        result = run_json(
            capsys, "issue", "--achievement", achievement_id, "--learner-email",
            "ana@example.org", "--format", fmt, "--external-id", "enrol-1", "--json",
        )  # fmt: skip
        assert isinstance(result, dict)
        return result

    jwt, elm, elm_again = issue("ob3-jwt"), issue("elm"), issue("elm")
    assert jwt["id"] != elm["id"]
    assert (jwt["created"], elm["created"]) == (True, True)
    assert elm_again["id"] == elm["id"]
    assert elm_again["created"] is False
