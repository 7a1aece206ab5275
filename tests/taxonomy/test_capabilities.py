"""The capability framework: definitions, resolution rules, reasons, tiers, exclusions, reads."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select

from skillpass.app import SkillPass
from skillpass.errors import ConfigurationError, NotFound, TaxonomyNotLoaded
from skillpass.storage.tables import (
    capability_members,
    concept_relations,
    concepts,
    taxonomy_imports,
)
from skillpass.taxonomy.capabilities import CapabilityService
from skillpass.taxonomy.capability_definitions import (
    AreaDefinition,
    AreaKind,
    RuleKind,
    Tier,
    load_definitions,
    parse_definition,
)

ESCO = "http://data.europa.eu/esco"
GROUP = f"{ESCO}/isced-f/0714"
SUBGROUP = f"{ESCO}/skill/sub-group"
SEMICONDUCTORS = f"{ESCO}/skill/semiconductors"
IN_GROUP = f"{ESCO}/skill/integrated-circuits"
DEEP_IN_GROUP = f"{ESCO}/skill/circuit-types"
WAFERS = f"{ESCO}/skill/polish-wafers"
CLEAN_ROOMS = f"{ESCO}/skill/clean-rooms"
SOAP = f"{ESCO}/skill/soap-wafers"
NANO = f"{ESCO}/skill/nanotechnology"
UNRELATED = f"{ESCO}/skill/bake-bread"
DESIGNER = f"{ESCO}/occupation/microelectronics-designer"
ELECTRONICS_ENGINEER = f"{ESCO}/occupation/electronics-engineer"
CAPTAIN = f"{ESCO}/occupation/army-captain"
MISSING = f"{ESCO}/skill/not-in-this-release"

AREA_YAML = f"""
version: "2.1.0"
id: chips
label: Chips
kind: strategic_area
description: Test area.
rationale: Because tests need one.
sources:
  - {{name: EU Chips Act, url: "https://eur-lex.europa.eu/eli/reg/2023/1781/oj"}}
skills:
  - {{uri: {SEMICONDUCTORS}, label: semiconductors}}
  - {{uri: {NANO}, label: nanotechnology, tier: enabling, note: shared with quantum}}
  - {{uri: {MISSING}, label: gone}}
  - {{uri: {IN_GROUP}, label: integrated circuits}}
occupations:
  - {{uri: {DESIGNER}, label: microelectronics designer}}
skill_groups:
  - {{uri: {GROUP}, label: electronics and automation}}
isco:
  - {{code: "2152", label: Electronics engineers}}
patterns:
  - {{regex: '\\bwafers?\\b', types: [skill]}}
exclude:
  concepts:
    - {{uri: {CLEAN_ROOMS}, label: clean rooms, reason: housekeeping}}
  patterns:
    - {{regex: '\\bsoap\\b', reason: soap making}}
esco_gaps: [No EDA tools.]
"""

OTHER_YAML = """
version: "1.0.0"
id: science
label: Science
kind: stem_discipline
description: Another area.
rationale: Ordering test.
isco:
  - {code: "21", label: Science and engineering professionals, tier: enabling}
"""


def write_definitions(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def insert_mini_taxonomy(engine: Engine, version: str = "1.2.0") -> None:
    """A handful of concepts, a skill-group hierarchy and a base import record."""
    rows = [
        (GROUP, "skill_group", "electronics and automation", "0714", None),
        (SUBGROUP, "skill_group", "electronics sub-group", None, None),
        (SEMICONDUCTORS, "skill", "semiconductors", None, None),
        (IN_GROUP, "skill", "integrated circuits", None, None),
        (DEEP_IN_GROUP, "skill", "integrated circuit types", None, None),
        (WAFERS, "skill", "polish wafers", None, None),
        (CLEAN_ROOMS, "skill", "clean rooms", None, None),
        (SOAP, "skill", "cut soap wafers", None, None),
        (NANO, "skill", "nanotechnology", None, None),
        (UNRELATED, "skill", "bake bread", None, None),
        (DESIGNER, "occupation", " microelectronics designer ", None, "2152"),
        (ELECTRONICS_ENGINEER, "occupation", "electronics engineer", None, "2152"),
        (CAPTAIN, "occupation", "army captain", None, "0110"),
    ]
    with engine.begin() as conn:
        conn.execute(
            insert(concepts),
            [
                {
                    "uri": uri,
                    "type": kind,
                    "preferred_label": label,
                    "description": "",
                    "code": code,
                    "isco_group": isco,
                    "version": version,
                }
                for uri, kind, label, code, isco in rows
            ],
        )
        conn.execute(
            insert(concept_relations),
            [
                {"concept_uri": SUBGROUP, "broader_uri": GROUP},
                {"concept_uri": IN_GROUP, "broader_uri": SUBGROUP},
                {"concept_uri": DEEP_IN_GROUP, "broader_uri": IN_GROUP},
                {"concept_uri": CLEAN_ROOMS, "broader_uri": GROUP},
            ],
        )
        conn.execute(
            insert(taxonomy_imports).values(
                version=version,
                language="en",
                kind="base",
                source="test",
                checksum="0" * 64,
                counts=json.dumps({}),
                imported_at=datetime.now(UTC),
            )
        )


@pytest.fixture
def definitions(tmp_path: Path) -> tuple[AreaDefinition, ...]:
    return load_definitions(
        write_definitions(tmp_path / "areas", chips=AREA_YAML, science=OTHER_YAML)
    )


@pytest.fixture
def service(skillpass: SkillPass, definitions: tuple[AreaDefinition, ...]) -> CapabilityService:
    insert_mini_taxonomy(skillpass.engine)
    return CapabilityService(skillpass.engine, definitions)


def members(engine: Engine, area_id: str) -> dict[str, tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                capability_members.c.concept_uri,
                capability_members.c.rule,
                capability_members.c.reason,
            ).where(capability_members.c.area_id == area_id)
        ).all()
    return {uri: (rule, reason) for uri, rule, reason in rows}


# --- definitions --------------------------------------------------------------------------------


def test_definitions_load_ordered_disciplines_first(
    definitions: tuple[AreaDefinition, ...],
) -> None:
    assert [d.id for d in definitions] == ["science", "chips"]
    assert definitions[1].skills[1].tier is Tier.ENABLING


def test_definition_rejects_a_bad_regex() -> None:
    bad = AREA_YAML.replace("'\\bwafers?\\b'", "'(unclosed'")
    with pytest.raises(ConfigurationError, match="invalid regular expression"):
        parse_definition(bad, source="chips.yaml")


def test_definition_rejects_a_uri_that_is_not_esco() -> None:
    bad = AREA_YAML.replace(SEMICONDUCTORS, "https://example.org/skill/1")
    with pytest.raises(ConfigurationError, match="not an ESCO concept URI"):
        parse_definition(bad, source="chips.yaml")


def test_definition_rejects_a_seed_that_is_also_excluded() -> None:
    bad = AREA_YAML.replace(f"uri: {CLEAN_ROOMS}", f"uri: {SEMICONDUCTORS}")
    with pytest.raises(ConfigurationError, match="both a seed and excluded"):
        parse_definition(bad, source="chips.yaml")


def test_definition_rejects_unknown_fields() -> None:
    with pytest.raises(ConfigurationError, match="colour"):
        parse_definition(AREA_YAML + "colour: red\n", source="chips.yaml")


def test_definition_id_must_match_file_name(tmp_path: Path) -> None:
    folder = write_definitions(tmp_path / "areas", wrong=AREA_YAML)
    with pytest.raises(ConfigurationError, match="differs from the file name"):
        load_definitions(folder)


def test_rule_strength_orders_seed_first() -> None:
    strengths = [rule.strength for rule in RuleKind]
    assert strengths == sorted(strengths, reverse=True)
    assert RuleKind.SEED.strength > RuleKind.GROUP.strength > RuleKind.PATTERN.strength


# --- shipped definitions ----------------------------------------------------------------------


def test_shipped_definitions_cover_the_required_areas() -> None:
    shipped = {d.id: d for d in load_definitions()}
    required = {
        "semiconductors",
        "ai_data",
        "batteries",
        "quantum",
        "cybersecurity",
        "advanced_manufacturing",
        "clean_energy",
        "life_sciences",
        "space_aeronautics",
    }
    assert required <= shipped.keys()
    strategic = [d for d in shipped.values() if d.kind is AreaKind.STRATEGIC_AREA]
    assert len(strategic) >= 9
    disciplines = {d.id for d in shipped.values() if d.kind is AreaKind.STEM_DISCIPLINE}
    assert disciplines == {"natural_sciences", "mathematics_statistics", "ict", "engineering"}


def test_every_shipped_area_is_versioned_sourced_and_labelled() -> None:
    for definition in load_definitions():
        assert definition.version
        assert definition.sources, definition.id
        assert definition.rationale.strip(), definition.id
        for seed in [*definition.skills, *definition.occupations]:
            assert seed.label.strip(), seed.uri


def test_quantum_distinguishes_core_from_enabling_members() -> None:
    quantum = next(d for d in load_definitions() if d.id == "quantum")
    core = {s.label for s in quantum.skills if s.tier is Tier.CORE}
    assert core == {
        "quantum technology",
        "quantum computing",
        "quantum mechanics",
        "quantum optics",
    }
    assert all(o.tier is Tier.ENABLING for o in quantum.occupations)


# --- resolution -------------------------------------------------------------------------------


def test_resolution_applies_each_rule_with_a_reason(
    service: CapabilityService, skillpass: SkillPass
) -> None:
    report = service.resolve()
    found = members(skillpass.engine, "chips")
    assert found[SEMICONDUCTORS] == ("seed", "seed: listed in chips.yaml")
    assert found[DEEP_IN_GROUP][0] == "group"
    assert (
        "group: in ESCO skill group 'electronics and automation' (isced-f/0714)"
        in (found[DEEP_IN_GROUP][1])
    )
    assert found[ELECTRONICS_ENGINEER][0] == "isco"
    assert "2152" in found[ELECTRONICS_ENGINEER][1]
    assert found[WAFERS] == ("pattern", "pattern: preferred label matches \\bwafers?\\b")
    assert CAPTAIN not in found
    assert UNRELATED not in found
    assert report.counts["chips"] == len(found)


def test_a_concept_found_by_several_rules_keeps_the_strongest(
    service: CapabilityService, skillpass: SkillPass
) -> None:
    service.resolve()
    found = members(skillpass.engine, "chips")
    assert found[IN_GROUP][0] == "seed"  # also below the group
    assert found[DESIGNER][0] == "seed"  # also in ISCO 2152


def test_exclusions_win_over_every_rule(service: CapabilityService, skillpass: SkillPass) -> None:
    service.resolve()
    found = members(skillpass.engine, "chips")
    assert CLEAN_ROOMS not in found  # below the group, excluded by URI
    assert SOAP not in found  # matches the wafer pattern, excluded by pattern


def test_missing_seeds_are_skipped_and_reported(service: CapabilityService) -> None:
    report = service.resolve()
    chips = next(area for area in report.areas if area.id == "chips")
    assert chips.missing_seeds == [MISSING]
    assert report.missing_seeds == 1


def test_resolution_reports_label_changes_but_ignores_surrounding_spaces(
    skillpass: SkillPass, tmp_path: Path
) -> None:
    insert_mini_taxonomy(skillpass.engine)
    renamed = AREA_YAML.replace("label: semiconductors}", "label: semiconductor devices}")
    folder = write_definitions(tmp_path / "renamed", chips=renamed)
    report = CapabilityService(skillpass.engine, load_definitions(folder)).resolve()
    (chips,) = report.areas
    assert len(chips.label_changes) == 1
    assert "semiconductor devices" in chips.label_changes[0]


def test_enabling_tier_is_kept_with_the_member(service: CapabilityService) -> None:
    service.resolve()
    detail = service.get_area("chips")
    nano = next(m for m in detail.members if m.uri == NANO)
    assert nano.tier == "enabling"
    assert nano.reason == "seed: listed in chips.yaml (shared with quantum)"
    science = service.get_area("science")
    assert {m.tier for m in science.members} == {"enabling"}


def test_resolve_in_runs_inside_the_callers_transaction(
    service: CapabilityService, skillpass: SkillPass
) -> None:
    counts: dict[str, int] = {}

    def failing_import() -> None:
        with skillpass.engine.begin() as conn:
            counts.update(service.resolve_in(conn, "1.2.0"))
            raise RuntimeError("importer failed later")

    with pytest.raises(RuntimeError):
        failing_import()
    assert counts["chips"] > 0
    assert members(skillpass.engine, "chips") == {}


def test_re_resolving_replaces_members_instead_of_adding(
    service: CapabilityService, skillpass: SkillPass
) -> None:
    first = service.resolve().counts
    second = service.resolve().counts
    assert first == second
    with skillpass.engine.connect() as conn:
        stored = conn.execute(select(capability_members.c.area_id)).all()
    assert len(stored) == sum(second.values())


def test_members_record_framework_and_taxonomy_versions(
    service: CapabilityService, skillpass: SkillPass
) -> None:
    service.resolve()
    with skillpass.engine.connect() as conn:
        versions = set(
            conn.execute(
                select(
                    capability_members.c.framework_version, capability_members.c.taxonomy_version
                ).where(capability_members.c.area_id == "chips")
            ).all()
        )
    assert versions == {("2.1.0", "1.2.0")}


def test_resolve_without_a_taxonomy_says_to_import(
    skillpass: SkillPass, definitions: tuple[AreaDefinition, ...]
) -> None:
    with pytest.raises(TaxonomyNotLoaded, match="skillpass taxonomy import"):
        CapabilityService(skillpass.engine, definitions).resolve()


# --- reads ------------------------------------------------------------------------------------


def test_list_areas_counts_skills_occupations_and_tiers(service: CapabilityService) -> None:
    service.resolve()
    areas = {area.id: area for area in service.list_areas()}
    chips = areas["chips"]
    assert (chips.skills, chips.occupations) == (5, 2)
    assert (chips.core, chips.enabling) == (6, 1)
    assert chips.version == "2.1.0"
    assert chips.taxonomy_version == "1.2.0"
    assert areas["science"].occupations == 2  # ISCO 2152 is under 21; 0110 is not


def test_list_areas_before_any_import_shows_zero_counts(
    skillpass: SkillPass, definitions: tuple[AreaDefinition, ...]
) -> None:
    areas = CapabilityService(skillpass.engine, definitions).list_areas()
    assert [(a.id, a.skills, a.occupations, a.taxonomy_version) for a in areas] == [
        ("science", 0, 0, None),
        ("chips", 0, 0, None),
    ]


def test_get_area_orders_occupations_first_and_filters_by_type(
    service: CapabilityService,
) -> None:
    service.resolve()
    detail = service.get_area("chips")
    assert detail.members[0].type == "occupation"
    assert [m.label for m in detail.members[:2]] == [
        "electronics engineer",
        "microelectronics designer",  # stripped of ESCO's stray spaces
    ]
    assert detail.references[0].url == "https://eur-lex.europa.eu/eli/reg/2023/1781/oj"
    assert detail.esco_gaps == ["No EDA tools."]
    only_skills = service.get_area("chips", concept_type="skill")
    assert {m.type for m in only_skills.members} == {"skill"}
    assert only_skills.area.occupations == 2  # counts stay whole


def test_get_area_unknown_id_lists_the_valid_ids(service: CapabilityService) -> None:
    with pytest.raises(NotFound) as caught:
        service.get_area("chipz")
    assert "science, chips" in caught.value.message
    assert caught.value.details["valid_ids"] == ["science", "chips"]


def test_areas_for_a_concept_name_rule_and_reason(service: CapabilityService) -> None:
    service.resolve()
    (ref,) = service.areas_for(SEMICONDUCTORS)
    assert (ref.id, ref.label, ref.rule) == ("chips", "Chips", "seed")
    (enabling,) = service.areas_for(NANO)
    assert enabling.tier == "enabling"
    assert enabling.reason.startswith("seed:")
    assert ref.tier == "core"
    assert service.areas_for(UNRELATED) == []


def test_concept_page_shows_its_capability_areas(skillpass: SkillPass) -> None:
    insert_mini_taxonomy(skillpass.engine)
    quantum = next(d for d in load_definitions() if d.id == "quantum")
    seed = quantum.skills[0]
    with skillpass.engine.begin() as conn:
        conn.execute(
            insert(concepts).values(
                uri=seed.uri, type="skill", preferred_label=seed.label, description="", version="1"
            )
        )
    skillpass.capabilities.resolve()
    concept = skillpass.taxonomy.get_concept(seed.uri)
    assert [(ref.id, ref.rule) for ref in concept.capability_areas] == [("quantum", "seed")]


# --- full ESCO ------------------------------------------------------------------------------


@pytest.mark.esco
def test_every_strategic_area_resolves_to_15_skills_and_3_occupations(
    esco_app: SkillPass,
) -> None:
    areas = esco_app.capabilities.list_areas()
    strategic = [a for a in areas if a.kind == "strategic_area"]
    assert len(strategic) >= 9
    for area in strategic:
        assert area.skills >= 15, area
        assert area.occupations >= 3, area
        assert area.taxonomy_version == "1.2.0"


@pytest.mark.esco
def test_every_seed_exists_in_esco_with_its_label(esco_app: SkillPass) -> None:
    with esco_app.engine.begin() as conn:
        report = esco_app.capabilities.resolve_report_in(conn, "1.2.0")
        conn.rollback()
    for area in report.areas:
        assert area.missing_seeds == [], area.id
        assert area.label_changes == [], area.id
        assert area.excluded_seeds == [], area.id


@pytest.mark.esco
def test_resolution_over_full_esco_takes_about_a_second(esco_app: SkillPass) -> None:
    started = time.perf_counter()
    with esco_app.engine.begin() as conn:
        esco_app.capabilities.resolve_in(conn, "1.2.0")
        conn.rollback()
    assert time.perf_counter() - started < 5  # about 0.3 s here; generous for CI


@pytest.mark.esco
def test_known_false_positives_are_not_members(esco_app: SkillPass) -> None:
    battery = {m.label for m in esco_app.capabilities.get_area("batteries").members}
    assert "apply electrolytes to cathodes and anodes" not in battery
    assert "army captain" not in battery
    chips = {m.label for m in esco_app.capabilities.get_area("semiconductors").members}
    assert "clean rooms" not in chips
    assert "implant microchips in animals" not in chips
    ai = {m.label for m in esco_app.capabilities.get_area("ai_data").members}
    assert "SPARK" not in ai
    cyber = {m.label for m in esco_app.capabilities.get_area("cybersecurity").members}
    assert not {label for label in cyber if "social security" in label}


@pytest.mark.esco
def test_skill_page_shows_its_areas(esco_app: SkillPass) -> None:
    concept = esco_app.taxonomy.get_concept(f"{ESCO}/skill/89839842-a111-411f-b64a-94354d6118e0")
    assert "quantum" in {ref.id for ref in concept.capability_areas}
