"""``skillpass taxonomy import`` and ``skillpass taxonomy stats`` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Connection

from skillpass.cli.main import run
from skillpass.taxonomy.capabilities import CapabilityService
from tests.conftest import esco_path
from tests.taxonomy.conftest import MiniEsco, build_mini_esco, zip_folder

STATS_KEYS = {"version", "skills", "occupations", "relations", "isco_groups", "languages"}


@pytest.fixture(scope="module")
def mini_source(tmp_path_factory: pytest.TempPathFactory) -> MiniEsco:
    source = esco_path()
    if source is None:
        pytest.skip("the shared ESCO download is needed to build the mini ESCO fixture")
    return build_mini_esco(source, tmp_path_factory.mktemp("cli-mini") / "esco-v1.2.0-mini")


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings from the environment, as the real CLI reads them; capabilities faked."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.delenv("SKILLPASS_ESCO", raising=False)

    def resolve_in(self: CapabilityService, connection: Connection, version: str) -> dict[str, int]:
        return {}

    monkeypatch.setattr(CapabilityService, "resolve_in", resolve_in)


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    capsys.readouterr()
    assert run(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_import_without_path_or_setting_explains_how_to_get_esco(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["taxonomy", "import"]) == 1

    error = " ".join(capsys.readouterr().err.split())
    assert "https://esco.ec.europa.eu/en/use-esco/download" in error
    assert "SKILLPASS_ESCO" in error


def test_import_json_then_stats_json_report_the_counts(
    mini_source: MiniEsco, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _json(capsys, "taxonomy", "import", str(mini_source.path), "--json")
    stats = _json(capsys, "taxonomy", "stats", "--json")

    assert isinstance(report, dict)
    assert report["changed"] is True
    assert report["counts"]["relations"] == mini_source.relations
    assert isinstance(stats, dict)
    assert set(stats) >= STATS_KEYS
    assert stats["version"] == "1.2.0"
    assert stats["skills"] == mini_source.skills
    assert stats["occupations"] == mini_source.occupations
    assert stats["relations"] == mini_source.relations
    assert stats["languages"] == ["en"]


def test_import_reads_the_path_from_skillpass_esco(
    mini_source: MiniEsco, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLPASS_ESCO", str(mini_source.path))

    report = _json(capsys, "taxonomy", "import", "--json")

    assert isinstance(report, dict)
    assert report["counts"]["skills"] == mini_source.skills


def test_human_import_summary_and_second_import_says_nothing_changed(
    mini_source: MiniEsco, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    archive = zip_folder(mini_source.path, tmp_path / "esco-v1.2.0-mini.zip")
    assert run(["taxonomy", "import", str(archive)]) == 0
    first = capsys.readouterr()
    assert run(["taxonomy", "import", str(archive)]) == 0
    second = " ".join(capsys.readouterr().out.split())

    assert f"{mini_source.relations:,}" in first.out
    assert "Reading skills_en.csv" in first.err  # the progress bar, on stderr
    assert "nothing changed" in second


def test_stats_table_before_and_after_import(
    mini_source: MiniEsco, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["taxonomy", "stats"]) == 0
    assert "No ESCO taxonomy imported yet" in capsys.readouterr().out

    assert run(["taxonomy", "import", str(mini_source.path), "--version", "1.2.0"]) == 0
    capsys.readouterr()
    assert run(["taxonomy", "stats"]) == 0
    out = capsys.readouterr().out

    assert "ESCO 1.2.0" in out
    assert f"{mini_source.relations:,}" in out


def test_broken_download_fails_with_the_file_named(
    mini_source: MiniEsco, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "esco-v1.2.0-broken"
    broken.mkdir()
    for file in mini_source.path.iterdir():
        if file.name != "occupationSkillRelations_en.csv":
            (broken / file.name).write_bytes(file.read_bytes())

    assert run(["taxonomy", "import", str(broken)]) == 1

    assert "occupationSkillRelations_en.csv" in " ".join(capsys.readouterr().err.split())
    stats = _json(capsys, "taxonomy", "stats", "--json")
    assert isinstance(stats, dict)
    assert stats["skills"] == 0


@pytest.mark.parametrize("command", ["import", "stats"])
def test_help_ends_with_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["taxonomy", command, "--help"]) == 0

    out = capsys.readouterr().out
    assert f"Example: skillpass taxonomy {command}" in out
