"""``skillpass match …`` through a root Typer app holding only the matching commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from skillpass.app import build
from skillpass.cli.matching import match_app
from skillpass.errors import SkillPassError
from tests.conftest import make_settings
from tests.matching.conftest import OCC, SKILL, seed_tiny_taxonomy

root = typer.Typer()
root.add_typer(match_app, name="match")


def run(args: list[str]) -> tuple[int, str, str]:
    """Run like ``skillpass.cli.main.run``: errors become a message and exit code 1."""
    result = CliRunner().invoke(root, args)
    if isinstance(result.exception, SkillPassError):
        return 1, result.stdout, result.exception.message
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A temporary database holding the tiny taxonomy, named by the environment."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{tmp_path / 'skillpass.sqlite3'}")
    monkeypatch.setenv("COLUMNS", "160")
    app = build(make_settings(tmp_path))
    seed_tiny_taxonomy(app.engine)
    app.close()


def test_match_skills_json(tmp_path: Path) -> None:
    code, out, _ = run(["match", "skills", "bake some bread", "--top", "2", "--json"])
    assert code == 0
    matches = json.loads(out)
    assert matches[0]["uri"] == SKILL + "bake"
    assert len(matches) == 2


def test_match_occupations_table_shows_the_label() -> None:
    code, out, _ = run(["match", "occupations", "Lkw-Fahrerin", "--lang", "de"])
    assert code == 0
    assert "Lkw-Fahrer" in out


def test_batch_writes_one_line_per_id_best_first_and_resumes(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    lines = [{"id": i, "text": t} for i, t in enumerate(["bake bread", "welding", "%%%"])]
    source.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n")
    output = tmp_path / "out.jsonl"
    args = ["match", "skills", "--input", str(source), "--output", str(output), "--top", "2"]
    assert run(args)[0] == 0
    records = [json.loads(x) for x in output.read_text().splitlines()]
    assert [r["id"] for r in records] == ["0", "1", "2"]
    assert records[0]["matches"][0]["uri"] == SKILL + "bake"
    assert set(records[0]["matches"][0]) == {"uri", "label", "score"}
    scores = [m["score"] for m in records[0]["matches"]]
    assert scores == sorted(scores, reverse=True)
    assert records[2]["matches"] == []
    # resume: a half-written last line is dropped, done ids are skipped
    kept = output.read_text().splitlines()[:1]
    output.write_text(kept[0] + "\n" + '{"id": "1", "matc')
    assert run(args)[0] == 0
    again = [json.loads(x) for x in output.read_text().splitlines()]
    assert [r["id"] for r in again] == ["0", "1", "2"]


def test_batch_occupations(tmp_path: Path) -> None:
    source = tmp_path / "titles.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "truck driver"}) + "\n")
    output = tmp_path / "o.jsonl"
    code, _, _ = run(["match", "occupations", "--input", str(source), "--output", str(output)])
    assert code == 0
    assert json.loads(output.read_text())["matches"][0]["uri"] == OCC + "driver"


def test_extract_from_a_file_as_json(tmp_path: Path) -> None:
    advert = tmp_path / "advert.txt"
    advert.write_text("Bakery seeks staff.\nYou bake bread and weld metal parts.\n")
    code, out, _ = run(["match", "extract", str(advert), "--json"])
    assert code == 0
    result = json.loads(out)
    assert SKILL + "bake" in {s["uri"] for s in result["skills"]}


def test_extract_reports_an_explicit_threshold_as_json() -> None:
    text = "You will bake bread every morning. You also weld metal parts."
    code, out, _ = run(["match", "extract", text, "--lang", "en", "--threshold", "0.01", "--json"])
    assert code == 0
    result = json.loads(out)
    assert result["threshold"] == pytest.approx(0.01)
    assert all(s["score"] >= 0.01 for s in result["skills"])


def test_empty_text_fails_with_a_message() -> None:
    code, _, err = run(["match", "skills", "   "])
    assert code == 1
    assert "empty" in err


def test_missing_input_file_fails_with_a_message(tmp_path: Path) -> None:
    code, _, err = run(
        ["match", "skills", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "o")]
    )
    assert code == 1
    assert "does not exist" in err
