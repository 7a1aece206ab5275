"""ESCO import: counts, labels, idempotency, versions, languages, errors that change nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, select

from skillpass.errors import TaxonomyImportError
from skillpass.progress import NullProgress
from skillpass.storage.db import create_db_engine, upgrade_schema
from skillpass.storage.tables import (
    concept_collections,
    concept_labels,
    concept_relations,
    concepts,
    metadata,
    occupation_skills,
    skill_skills,
    taxonomy_imports,
)
from skillpass.taxonomy.esco_files import COLLECTIONS
from skillpass.taxonomy.importer import import_esco, read_stats
from skillpass.taxonomy.models import ImportReport
from tests.taxonomy.conftest import (
    AI_ENGINEER,
    UNKNOWN_URI,
    MiniEsco,
    read_rows,
    write_rows,
    zip_folder,
)


class FakeCapabilities:
    """Stands in for the capability framework: records calls, sees the open transaction."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def __call__(self, connection: Connection, version: str) -> dict[str, int]:
        skills = connection.execute(
            select(func.count()).select_from(concepts).where(concepts.c.type == "skill")
        ).scalar_one()
        self.calls.append((version, skills))
        return {"ai": 2, "quantum": 1}


class RecordingProgress:
    """A Progress that keeps every stage with its total and the units advanced."""

    def __init__(self) -> None:
        self.stages: list[list[Any]] = []

    def stage(self, description: str, total: int | None = None) -> None:
        self.stages.append([description, total, 0])

    def advance(self, amount: int = 1) -> None:
        self.stages[-1][2] += amount


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'taxonomy.sqlite3'}")
    upgrade_schema(engine)
    return engine


def run_import(
    engine: Engine,
    path: Path,
    *,
    version: str | None = None,
    resolve: Callable[[Connection, str], dict[str, int]] | None = None,
) -> ImportReport:
    return import_esco(
        engine,
        path,
        version=version,
        progress=NullProgress(),
        resolve_capabilities=resolve or FakeCapabilities(),
    )


def snapshot(engine: Engine) -> dict[str, Any]:
    """Row counts of every taxonomy table and the import log."""
    with engine.connect() as conn:
        counts: dict[str, Any] = {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in metadata.tables.items()
        }
        counts["imports"] = conn.execute(select(taxonomy_imports.c.checksum)).scalars().all()
        counts["labels_sample"] = conn.execute(
            select(concept_labels.c.text).order_by(concept_labels.c.id).limit(50)
        ).all()
    return counts


def labels_of(engine: Engine, uri: str, lang: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(concept_labels.c.kind, concept_labels.c.text).where(
                concept_labels.c.concept_uri == uri, concept_labels.c.lang == lang
            )
        ).all()
    for kind, text in rows:
        out.setdefault(kind, []).append(text)
    return out


def test_base_import_counts_match_the_files(engine: Engine, mini_esco: MiniEsco) -> None:
    report = run_import(engine, mini_esco.path)

    assert report.changed
    assert (report.version, report.language, report.kind) == ("1.2.0", "en", "base")
    assert report.counts["skills"] == mini_esco.skills
    assert report.counts["occupations"] == mini_esco.occupations
    assert report.counts["relations"] == mini_esco.relations
    assert report.counts["capability_members"] == 3
    stats = read_stats(engine)
    assert (stats.skills, stats.occupations, stats.relations) == (
        mini_esco.skills,
        mini_esco.occupations,
        mini_esco.relations,
    )
    assert (stats.isco_groups, stats.skill_groups, stats.skill_relations) == (
        mini_esco.isco_groups,
        mini_esco.skill_groups,
        mini_esco.skill_relations,
    )
    assert stats.version == "1.2.0"
    assert stats.languages == ["en"]
    assert stats.imported_at is not None
    assert stats.imported_at.tzinfo is not None


def test_labels_are_stripped_split_per_line_and_kept_by_kind(
    engine: Engine, mini_esco: MiniEsco
) -> None:
    run_import(engine, mini_esco.path)

    with engine.connect() as conn:
        row = conn.execute(select(concepts).where(concepts.c.uri == AI_ENGINEER)).one()
    assert row.preferred_label == "artificial intelligence engineer"
    assert row.isco_group == "2511"
    assert row.description
    labels = labels_of(engine, AI_ENGINEER, "en")
    assert labels["preferred"] == ["artificial intelligence engineer"]
    assert "machine learning engineer" in labels["alt"]
    assert all(label == label.strip() and "\n" not in label for label in labels["alt"])
    assert labels["description"] == [row.description]


def test_relations_hierarchy_and_collections_are_imported(
    engine: Engine, mini_esco: MiniEsco
) -> None:
    report = run_import(engine, mini_esco.path)

    with engine.connect() as conn:
        types = set(conn.execute(select(occupation_skills.c.relation_type)).scalars())
        ai_skills = conn.execute(
            select(func.count())
            .select_from(occupation_skills)
            .where(occupation_skills.c.occupation_uri == AI_ENGINEER)
        ).scalar_one()
        broader = conn.execute(
            select(concept_relations.c.broader_uri).where(
                concept_relations.c.concept_uri == "http://data.europa.eu/esco/isco/C2511"
            )
        ).scalar_one()
        collections = set(conn.execute(select(concept_collections.c.collection)).scalars())
        skill_links = conn.execute(select(func.count()).select_from(skill_skills)).scalar_one()
    assert types == {"essential", "optional"}
    assert ai_skills > 10
    assert broader == "http://data.europa.eu/esco/isco/C251"
    assert "digital" in collections
    assert collections <= set(COLLECTIONS.values())
    assert report.counts["collection_members"] == mini_esco.collection_members
    assert skill_links == mini_esco.skill_relations


def test_capabilities_are_resolved_once_inside_the_transaction(
    engine: Engine, mini_esco: MiniEsco
) -> None:
    fake = FakeCapabilities()

    run_import(engine, mini_esco.path, resolve=fake)
    run_import(engine, mini_esco.path, resolve=fake)

    assert fake.calls == [("1.2.0", mini_esco.skills)]


def test_reimporting_the_same_version_and_content_changes_nothing(
    engine: Engine, mini_esco: MiniEsco
) -> None:
    run_import(engine, mini_esco.path)
    before = snapshot(engine)

    report = run_import(engine, mini_esco.path)

    assert not report.changed
    assert "nothing changed" in report.message
    assert report.counts["skills"] == mini_esco.skills
    assert snapshot(engine) == before


def test_a_new_version_is_recorded_and_replaces_the_content(
    engine: Engine, mini_esco: MiniEsco
) -> None:
    run_import(engine, mini_esco.path)

    report = run_import(engine, mini_esco.path, version="v1.2.1")

    assert report.changed
    assert read_stats(engine).version == "1.2.1"
    with engine.connect() as conn:
        versions = set(conn.execute(select(concepts.c.version)).scalars())
        imports = conn.execute(
            select(taxonomy_imports.c.version, taxonomy_imports.c.kind).order_by(
                taxonomy_imports.c.id
            )
        ).all()
    assert versions == {"1.2.1"}
    assert [tuple(row) for row in imports] == [("1.2.0", "base"), ("1.2.1", "base")]
    assert read_stats(engine).relations == mini_esco.relations


def test_changed_content_of_the_same_version_replaces_the_taxonomy(
    engine: Engine, mini_esco: MiniEsco
) -> None:
    run_import(engine, mini_esco.path)
    path = mini_esco.path / "occupations_en.csv"
    header, rows = read_rows(path)
    for row in rows:
        if row["conceptUri"] == AI_ENGINEER:
            row["preferredLabel"] = "AI engineer"
    dropped = next(r for r in rows if r["conceptUri"] != AI_ENGINEER)["conceptUri"]
    write_rows(path, header, [r for r in rows if r["conceptUri"] != dropped])

    report = run_import(engine, mini_esco.path)

    assert report.changed
    assert report.skipped  # relations and collection rows of the dropped occupation
    assert labels_of(engine, AI_ENGINEER, "en")["preferred"] == ["AI engineer"]
    assert labels_of(engine, dropped, "en") == {}
    assert read_stats(engine).occupations == mini_esco.occupations - 1
    with engine.connect() as conn:
        logged = conn.execute(select(func.count()).select_from(taxonomy_imports)).scalar_one()
    assert logged == 2


def _delete_file(path: Path) -> None:
    (path / "skillSkillRelations_en.csv").unlink()


def _rename_column(path: Path) -> None:
    file = path / "occupations_en.csv"
    file.write_text(file.read_text(encoding="utf-8").replace("iscoGroup", "isco", 1), "utf-8")


def _latin1(path: Path) -> None:
    with (path / "skills_en.csv").open("ab") as handle:
        handle.write("KnowledgeSkillCompetence,u,knowledge,,Straße,,,released\n".encode("latin-1"))


def _empty(path: Path) -> None:
    (path / "ISCOGroups_en.csv").write_text("")


def _foreign_relations(path: Path) -> None:
    file = path / "occupationSkillRelations_en.csv"
    header, rows = read_rows(file)
    for row in rows:
        row["skillUri"] = row["skillUri"] + "-elsewhere"
    write_rows(file, header, rows)


def _bad_relation_type(path: Path) -> None:
    file = path / "skillSkillRelations_en.csv"
    header, rows = read_rows(file)
    rows[0]["relationType"] = "sometimes"
    write_rows(file, header, rows)


def _no_preferred_label(path: Path) -> None:
    file = path / "skills_en.csv"
    header, rows = read_rows(file)
    rows[3]["preferredLabel"] = "  "
    write_rows(file, header, rows)


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (_delete_file, r"missing skillSkillRelations_en\.csv"),
        (_rename_column, r"occupations_en\.csv: missing column\(s\) iscoGroup"),
        (_latin1, r"skills_en\.csv, line \d+: not valid UTF-8"),
        (_empty, r"ISCOGroups_en\.csv: the file is empty"),
        (_foreign_relations, r"occupationSkillRelations_en\.csv: .* different ESCO downloads"),
        (_bad_relation_type, r"skillSkillRelations_en\.csv, line 2: relationType 'sometimes'"),
        (_no_preferred_label, r"skills_en\.csv, line \d+: concept .* has no preferredLabel"),
    ],
)
def test_bad_input_fails_naming_the_file_and_leaves_the_database_as_it_was(
    engine: Engine,
    mini_esco: MiniEsco,
    breakage: Callable[[Path], None],
    expected: str,
) -> None:
    run_import(engine, mini_esco.path)
    before = snapshot(engine)
    breakage(mini_esco.path)

    with pytest.raises(TaxonomyImportError, match=expected):
        run_import(engine, mini_esco.path, version="1.2.1")

    assert snapshot(engine) == before


def test_an_error_while_resolving_capabilities_rolls_everything_back(
    engine: Engine, mini_esco: MiniEsco
) -> None:
    run_import(engine, mini_esco.path)
    before = snapshot(engine)

    def broken(connection: Connection, version: str) -> dict[str, int]:
        raise TaxonomyImportError("capability definitions are invalid")

    with pytest.raises(TaxonomyImportError, match="capability"):
        run_import(engine, mini_esco.path, version="1.3.0", resolve=broken)

    assert snapshot(engine) == before


def test_a_few_relations_to_unknown_concepts_are_skipped_and_counted(
    engine: Engine, mini_esco: MiniEsco
) -> None:
    file = mini_esco.path / "occupationSkillRelations_en.csv"
    header, rows = read_rows(file)
    rows[0]["skillUri"] = "http://data.europa.eu/esco/skill/not-in-this-download"
    write_rows(file, header, rows)

    report = run_import(engine, mini_esco.path)

    assert report.skipped == {"occupationSkillRelations_en.csv:unknown_concept": 1}
    assert report.counts["relations"] == mini_esco.relations - 1


def test_version_must_be_given_when_the_path_does_not_name_it(
    engine: Engine, mini_esco: MiniEsco
) -> None:
    plain = mini_esco.path.rename(mini_esco.path.with_name("download"))
    (plain / "README.md").unlink()

    with pytest.raises(TaxonomyImportError, match="--version"):
        run_import(engine, plain)

    assert run_import(engine, plain, version="1.2.0").version == "1.2.0"


@pytest.mark.parametrize("fixture", ["mini_esco_zip", "mini_esco_nested_zip"])
def test_a_zipped_download_imports_like_the_folder(
    engine: Engine, mini_esco: MiniEsco, fixture: str, request: pytest.FixtureRequest
) -> None:
    archive: Path = request.getfixturevalue(fixture)

    report = run_import(engine, archive)

    assert report.version == "1.2.0"
    stats = read_stats(engine)
    assert (stats.skills, stats.occupations, stats.relations) == (
        mini_esco.skills,
        mini_esco.occupations,
        mini_esco.relations,
    )


def test_progress_reports_each_file_with_its_row_total(engine: Engine, mini_esco: MiniEsco) -> None:
    progress = RecordingProgress()

    import_esco(
        engine,
        mini_esco.path,
        version=None,
        progress=progress,
        resolve_capabilities=FakeCapabilities(),
    )

    stages = {description: (total, done) for description, total, done in progress.stages}
    assert stages["Reading skills_en.csv"] == (mini_esco.skills, mini_esco.skills)
    relations = stages["Reading occupationSkillRelations_en.csv"]
    assert relations == (mini_esco.relations, mini_esco.relations)
    assert stages["Writing occupation_skills"] == (mini_esco.relations, mini_esco.relations)
    assert len([s for s in stages if s.startswith("Reading ")]) == 16


# --- other languages --------------------------------------------------------------------------


def test_labels_need_a_base_import_first(engine: Engine, mini_labels_dir: Path) -> None:
    with pytest.raises(TaxonomyImportError, match="Import the English download first"):
        run_import(engine, mini_labels_dir)

    assert read_stats(engine).languages == []


def test_labels_of_other_languages_are_added_and_unknown_uris_counted(
    engine: Engine, mini_esco: MiniEsco, mini_labels_dir: Path
) -> None:
    run_import(engine, mini_esco.path)
    fake = FakeCapabilities()

    report = run_import(engine, mini_labels_dir, resolve=fake)

    assert report.changed
    assert (report.kind, report.language, report.version) == ("labels", "de,fr", "1.2.0")
    assert report.skipped == {
        "occupations_de.csv:unknown_concept": 1,
        "occupations_fr.csv:unknown_concept": 1,
    }
    assert fake.calls == []
    assert read_stats(engine).languages == ["de", "en", "fr"]
    german = labels_of(engine, AI_ENGINEER, "de")
    assert german["preferred"]
    assert "artificial intelligence engineer" not in german["preferred"]
    assert labels_of(engine, UNKNOWN_URI, "de") == {}
    _, german_rows = read_rows(mini_labels_dir / "occupations_de.csv")
    assert report.counts["concepts_de"] == len(german_rows) - 1  # all but the unknown URI


def test_reimporting_labels_is_idempotent_and_a_changed_file_replaces_that_language(
    engine: Engine, mini_esco: MiniEsco, mini_labels_dir: Path
) -> None:
    run_import(engine, mini_esco.path)
    run_import(engine, mini_labels_dir)
    before = snapshot(engine)

    again = run_import(engine, mini_labels_dir)
    assert not again.changed
    assert snapshot(engine) == before

    file = mini_labels_dir / "occupations_de.csv"
    header, rows = read_rows(file)
    for row in rows:
        if row["conceptUri"] == AI_ENGINEER:
            row["preferredLabel"] = "KI-Ingenieur/KI-Ingenieurin"
            row["altLabels"] = "KI-Ingenieur\nKI-Ingenieurin"
    write_rows(file, header, rows)

    changed = run_import(engine, mini_labels_dir)

    assert changed.changed
    assert "fr" in changed.message  # French is reported unchanged
    assert labels_of(engine, AI_ENGINEER, "de") == {
        "preferred": ["KI-Ingenieur/KI-Ingenieurin"],
        "alt": ["KI-Ingenieur", "KI-Ingenieurin"],
    }
    assert labels_of(engine, AI_ENGINEER, "fr") != {}


def test_a_new_base_version_keeps_labels_of_other_languages(
    engine: Engine, mini_esco: MiniEsco, mini_labels_dir: Path
) -> None:
    run_import(engine, mini_esco.path)
    run_import(engine, mini_labels_dir)
    german = labels_of(engine, AI_ENGINEER, "de")

    run_import(engine, mini_esco.path, version="1.2.1")

    assert labels_of(engine, AI_ENGINEER, "de") == german
    assert read_stats(engine).languages == ["de", "en", "fr"]


def test_labels_matching_no_imported_concept_are_refused(
    engine: Engine, mini_esco: MiniEsco, tmp_path: Path
) -> None:
    run_import(engine, mini_esco.path)
    folder = tmp_path / "pt"
    folder.mkdir()
    write_rows(
        folder / "skills_pt.csv",
        ["conceptUri", "preferredLabel"],
        [{"conceptUri": UNKNOWN_URI, "preferredLabel": "algo"}],
    )
    before = snapshot(engine)

    with pytest.raises(TaxonomyImportError, match=r"skills_pt\.csv: none of its 1 concepts"):
        run_import(engine, folder)

    assert snapshot(engine) == before


def test_an_english_partial_download_is_refused_listing_missing_files(
    engine: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "esco-v1.2.0-partial"
    folder.mkdir()
    write_rows(folder / "occupations_en.csv", ["conceptUri", "preferredLabel"], [])

    with pytest.raises(TaxonomyImportError, match=r"incomplete; missing skills_en\.csv"):
        run_import(engine, folder)


def test_import_log_records_source_checksum_and_counts(engine: Engine, mini_esco: MiniEsco) -> None:
    run_import(engine, mini_esco.path)

    with engine.connect() as conn:
        row = conn.execute(select(taxonomy_imports)).one()
    assert row.source == str(mini_esco.path.resolve())
    assert len(row.checksum) == 64
    assert json.loads(row.counts)["relations"] == mini_esco.relations
    assert (row.language, row.kind) == ("en", "base")


# --- real components ------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_imports_reimports_and_adds_labels(
    postgres_schema_url: str, mini_esco: MiniEsco, mini_labels_dir: Path
) -> None:
    engine = create_db_engine(postgres_schema_url)
    try:
        upgrade_schema(engine)
        first = run_import(engine, mini_esco.path)
        same = run_import(engine, mini_esco.path)
        newer = run_import(engine, mini_esco.path, version="1.2.1")
        labels = run_import(engine, mini_labels_dir)
        before = snapshot(engine)
        _rename_column(mini_esco.path)
        with pytest.raises(TaxonomyImportError):
            run_import(engine, mini_esco.path, version="1.2.2")

        assert (first.changed, same.changed, newer.changed, labels.changed) == (
            True,
            False,
            True,
            True,
        )
        stats = read_stats(engine)
        assert (stats.skills, stats.relations, stats.version) == (
            mini_esco.skills,
            mini_esco.relations,
            "1.2.1",
        )
        assert stats.languages == ["de", "en", "fr"]
        assert snapshot(engine) == before
    finally:
        engine.dispose()


@pytest.mark.esco
@pytest.mark.slow
@pytest.mark.parametrize("zipped", [False, True], ids=["folder", "zip"])
def test_full_esco_import_meets_the_acceptance_counts(
    engine: Engine, esco_dir: Path, tmp_path: Path, zipped: bool
) -> None:
    source = zip_folder(esco_dir, tmp_path / "esco-v1.2.0-en.zip") if zipped else esco_dir

    report = run_import(engine, source)

    stats = read_stats(engine)
    assert report.skipped == {}
    assert (stats.skills, stats.occupations, stats.relations, stats.isco_groups) == (
        13_939,
        3_039,
        128_987,
        619,
    )
    assert (stats.skill_groups, stats.skill_relations, stats.version) == (640, 5_818, "1.2.0")
