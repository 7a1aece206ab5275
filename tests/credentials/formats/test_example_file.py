"""examples/micro-credential.yaml and the YAML loader's errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from skillpass.credentials.achievement_file import load_achievement_file, parse_achievement_yaml
from skillpass.credentials.models import Achievement
from skillpass.errors import InvalidInput

from .conftest import EXAMPLE, REPO


def test_example_has_every_mandatory_and_optional_annex_i_element(example: Achievement) -> None:
    assert example.title
    assert example.awarding_bodies
    assert example.learning_outcomes
    assert example.workload.ects is not None
    assert example.workload.hours is not None
    assert example.level.eqf == 6
    assert example.level.nqf
    assert example.level.qf_ehea_cycle
    assert example.quality_assurance
    assert example.prerequisites
    assert example.supervision
    assert example.grading_scheme
    assert example.integration
    assert example.further_information
    assert all(outcome.esco_skills for outcome in example.learning_outcomes)


def test_example_says_it_is_an_example_with_a_synthetic_issuer() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "AN EXAMPLE" in text
    assert "SYNTHETIC" in text


def test_example_esco_uris_and_labels_exist_in_esco(example: Achievement) -> None:
    skills = REPO.parent / "shared" / "data" / "esco-v1.2.0-en" / "skills_en.csv"
    if not skills.exists():
        pytest.skip("ESCO v1.2.0 English CSVs not available")
    wanted = {s.uri: s.label for s in example.esco_skills}
    found: dict[str, str] = {}
    with skills.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["conceptUri"] in wanted:
                found[row["conceptUri"]] = row["preferredLabel"]
    assert found == wanted


def test_yaml_syntax_error_gives_line_and_column() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_achievement_yaml("title: x\nworkload:\n  ects: [5\n", source="bad.yaml")
    assert "bad.yaml is not valid YAML" in caught.value.message
    assert "line 4" in caught.value.message


def test_definition_problems_name_the_file() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_achievement_yaml("title: Something\n", source="mc.yaml")
    assert caught.value.message.startswith("mc.yaml: The micro-credential definition has")
    elements = {p["element"] for p in caught.value.details["problems"]}
    assert {"workload", "quality_assurance", "learning_outcomes"} <= elements


def test_a_list_is_not_a_definition() -> None:
    with pytest.raises(InvalidInput, match="must hold a mapping"):
        parse_achievement_yaml("- a\n- b\n")


def test_oversized_file_is_refused() -> None:
    with pytest.raises(InvalidInput, match="larger than"):
        parse_achievement_yaml("# " + "x" * 300_000)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="Cannot read"):
        load_achievement_file(tmp_path / "nope.yaml")


def test_non_utf8_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Düsseldorf\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        load_achievement_file(path)
