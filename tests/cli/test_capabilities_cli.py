"""``skillpass taxonomy capabilities`` and ``skillpass taxonomy capability ID`` via the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillpass.app import build
from skillpass.cli._common import console
from skillpass.cli.main import run
from skillpass.config import Settings
from tests.api.test_capabilities_api import insert_seeds_of
from tests.taxonomy.test_capabilities import insert_mini_taxonomy


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings from the environment, as the real CLI reads them."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SKILLPASS_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLPASS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SKILLPASS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.delenv("SKILLPASS_ESCO", raising=False)
    monkeypatch.setattr(console, "width", 240)  # tables unwrapped, whatever the terminal


@pytest.fixture
def with_taxonomy() -> None:
    """A mini taxonomy holding the battery seeds, members not yet resolved."""
    app = build(Settings())
    try:
        insert_mini_taxonomy(app.engine)
        insert_seeds_of(app, "batteries")
    finally:
        app.close()


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    capsys.readouterr()
    assert run(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_capabilities_json_lists_every_area_with_counts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    areas = _json(capsys, "taxonomy", "capabilities", "--json")
    assert isinstance(areas, list)
    assert len(areas) >= 13
    for area in areas:
        assert {"id", "label", "skills", "occupations"} <= set(area)
        assert area["skills"] == 0  # nothing imported yet


def test_capabilities_refresh_resolves_without_reimporting(
    with_taxonomy: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["taxonomy", "capabilities", "--refresh"]) == 0
    out = capsys.readouterr().out
    assert "Resolved" in out
    assert "batteries" in out
    areas = {a["id"]: a for a in _json(capsys, "taxonomy", "capabilities", "--json")}  # type: ignore[union-attr]
    assert areas["batteries"]["occupations"] == 7


def test_refresh_without_taxonomy_says_to_import(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["taxonomy", "capabilities", "--refresh"]) == 1
    assert "skillpass taxonomy import" in capsys.readouterr().err


def test_capability_shows_members_with_rule_and_reason(
    with_taxonomy: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["taxonomy", "capabilities", "--refresh"]) == 0
    detail = _json(capsys, "taxonomy", "capability", "batteries", "--json", "--type", "skill")
    assert isinstance(detail, dict)
    assert detail["area"]["id"] == "batteries"
    assert detail["members"]
    assert {m["type"] for m in detail["members"]} == {"skill"}
    assert all(m["rule"] and m["reason"] for m in detail["members"])
    assert run(["taxonomy", "capability", "batteries"]) == 0
    text = capsys.readouterr().out
    assert "battery chemistry" in text
    assert "seed: listed in batteries.yaml" in text


def test_unknown_capability_lists_valid_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["taxonomy", "capability", "nope"]) == 1
    assert "semiconductors" in capsys.readouterr().err


def test_capability_help_ends_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("capabilities", "capability"):
        run(["taxonomy", command, "--help"])
        assert "Example: skillpass taxonomy" in capsys.readouterr().out
