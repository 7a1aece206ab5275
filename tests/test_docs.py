"""Documentation is part of the product: stale or missing docs fail the build."""

from __future__ import annotations

from pathlib import Path

from skillpass.cli.reference import render_reference
from skillpass.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_up_to_date() -> None:
    checked_in = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert checked_in == render_reference(), (
        "docs/cli.md is stale: run `python -m skillpass.cli.reference > docs/cli.md`"
    )


def test_every_leaf_command_help_ends_with_an_example() -> None:
    import typer.main

    from skillpass.cli.main import app

    missing: list[str] = []

    def walk(command: object, path: list[str]) -> None:
        children = getattr(command, "commands", None)
        if children:
            for name, child in children.items():
                walk(child, [*path, name])
        elif "Example:" not in (getattr(command, "help", "") or ""):
            missing.append(" ".join(path))

    walk(typer.main.get_command(app), ["skillpass"])
    assert missing == [], f"commands without an example in their help: {missing}"


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"SKILLPASS_{name.upper()}" in text, f"SKILLPASS_{name.upper()} is undocumented"
        assert field.description, f"Settings.{name} has no description"


def test_readme_names_the_install_and_test_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e '.[dev]'" in readme
    assert "```bash\npytest\n```" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[dev]'" in ci
    assert "\npytest\n" in ci
