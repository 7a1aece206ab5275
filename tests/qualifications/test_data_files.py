"""The shipped qualification data files are whole, sourced and consistent."""

from __future__ import annotations

import csv
import io
from importlib import resources

import pytest
import yaml

from skillpass.qualifications._data import (
    EQF_FILE,
    FRAMEWORKS_FILE,
    REFERENCING_COLUMNS,
    REFERENCING_FILE,
    load_qualification_data,
)

EU = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
}  # fmt: skip
EEA_EFTA = {"IS", "LI", "NO"}


def _text(name: str) -> str:
    return (resources.files("skillpass.qualifications") / "data" / name).read_text("utf-8")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_text(REFERENCING_FILE))))


def test_referencing_file_has_the_documented_columns() -> None:
    header = _text(REFERENCING_FILE).splitlines()[0]
    assert tuple(header.split(",")) == REFERENCING_COLUMNS


def test_every_referencing_row_names_a_source(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 300
    unsourced = [r for r in rows if "http" not in r["source"]]
    assert unsourced == []


def test_every_referencing_row_points_at_an_eqf_level_1_to_8(rows: list[dict[str, str]]) -> None:
    assert {int(r["eqf_level"]) for r in rows} == set(range(1, 9))


def test_uncertain_rows_say_why_in_their_note(rows: list[dict[str, str]]) -> None:
    uncertain = [r for r in rows if r["certainty"] in ("inferred", "unconfirmed")]
    assert uncertain, "the reference data has uncertain rows; they must stay marked"
    for row in uncertain:
        assert row["note"] or row["correction"], row


def test_eqf_file_holds_levels_1_to_8_with_all_three_descriptors_and_sources() -> None:
    raw = yaml.safe_load(_text(EQF_FILE))
    assert [level["level"] for level in raw["levels"]] == list(range(1, 9))
    for level in raw["levels"]:
        for key in ("knowledge", "skills", "responsibility_autonomy"):
            assert level[key].strip(), (level["level"], key)
        assert level["sources"]


def test_ects_facts_carry_the_users_guide_as_source() -> None:
    ects = load_qualification_data().ects
    assert (ects.hours_per_credit_min, ects.hours_per_credit_max) == (25, 30)
    assert ects.credits_per_academic_year == 60
    assert any("ECTS Users' Guide 2015" in source for source in ects.sources)
    first = next(c for c in ects.cycles if c.qf_ehea_cycle == "first cycle")
    assert (first.ects_min, first.ects_max, first.eqf_level) == (180, 240, 6)
    third = next(c for c in ects.cycles if c.qf_ehea_cycle == "third cycle")
    assert third.ects_min is None
    assert third.ects_max is None


def test_every_eu_and_eea_country_is_listed_with_a_status() -> None:
    countries = {c.country_code: c for c in load_qualification_data().countries}
    assert set(countries) >= EU | EEA_EFTA
    for code in EU:
        assert countries[code].membership == "EU"
    for code in EEA_EFTA:
        assert countries[code].membership == "EEA"
    for country in countries.values():
        assert country.status in ("complete", "partial", "missing")
        assert country.status_note
        assert (country.status == "missing") == (not country.frameworks)


def test_at_least_ten_countries_are_complete() -> None:
    complete = [c for c in load_qualification_data().countries if c.status == "complete"]
    assert len(complete) >= 10


def test_a_complete_country_covers_eqf_1_to_8_without_uncertain_current_rows() -> None:
    for country in load_qualification_data().countries:
        if country.status != "complete":
            continue
        current = [f for f in country.frameworks if not f.historic]
        levels = [level for f in current for level in f.levels]
        assert {level.eqf_level for level in levels} == set(range(1, 9)), country.country_code
        assert not [level for level in levels if level.uncertain], country.country_code


def test_framework_ids_are_unique_and_start_with_the_country_code() -> None:
    ids = [
        (c.country_code, f.framework_id)
        for c in load_qualification_data().countries
        for f in c.frameworks
    ]
    assert len({fid for _, fid in ids}) == len(ids)
    for code, fid in ids:
        assert fid == code or fid.startswith(code + "-")


def test_default_frameworks_exist_in_their_country() -> None:
    raw = yaml.safe_load(_text(FRAMEWORKS_FILE))
    for country in raw["countries"]:
        if "default_framework" in country:
            assert country["default_framework"] in {f["id"] for f in country["frameworks"]}


def test_national_levels_are_not_referenced_downwards(rows: list[dict[str, str]]) -> None:
    """Within a framework, a higher national level never maps to a lower EQF level."""
    by_framework: dict[str, list[int]] = {}
    for row in rows:
        by_framework.setdefault(row["framework_id"], []).append(int(row["eqf_level"]))
    for framework_id, eqf in by_framework.items():
        assert eqf == sorted(eqf), framework_id
