"""Small, consistent ESCO downloads built at test time from the shared English files.

Nothing from ``../shared/data`` is copied into the repository: :func:`build_mini_esco` writes a
subset (a few dozen occupations, the skills they need, every skill group and ISCO group, and the
relations, hierarchy and collections among them) into a temporary folder, keeping each file's
official header and multi-line cells. Tests get a fresh copy they may break.
"""

from __future__ import annotations

import csv
import shutil
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import esco_path, occupation_labels_path

#: The occupation whose English preferred label has leading/trailing spaces in ESCO v1.2.0.
AI_ENGINEER = "http://data.europa.eu/esco/occupation/35553663-deab-4d9a-bf22-15c1625d28e8"
#: A URI that is in no ESCO release (for "unknown concept" cases).
UNKNOWN_URI = "http://data.europa.eu/esco/occupation/00000000-0000-0000-0000-000000000000"
COLLECTION_FILES = (
    "digitalSkillsCollection",
    "greenSkillsCollection",
    "researchSkillsCollection",
    "researchOccupationsCollection",
    "transversalSkillsCollection",
    "languageSkillsCollection",
    "digCompSkillsCollection",
)


@dataclass(frozen=True)
class MiniEsco:
    """A mini ESCO download and what an import of it must count."""

    path: Path
    skills: int
    occupations: int
    relations: int
    skill_relations: int
    skill_groups: int
    isco_groups: int
    collection_members: int
    occupation_uris: frozenset[str]


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV file."""
    csv.field_size_limit(256 * 1024 * 1024)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def write_rows(path: Path, header: list[str], rows: Iterable[dict[str, str]]) -> int:
    """Write ``rows`` under ``header``; returns how many were written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def build_mini_esco(source: Path, target: Path, *, every: int = 120) -> MiniEsco:
    """Write a consistent subset of the English ESCO download ``source`` into ``target``.

    Args:
        source: The full English download (folder).
        target: An empty folder to fill (its name should carry the version, e.g. esco-v1.2.0-mini).
        every: Keep every ``every``-th occupation (plus the AI engineer).

    Returns:
        The folder and the counts an import must report.
    """
    target.mkdir(parents=True, exist_ok=True)

    def copy(stem: str, keep: Callable[[dict[str, str]], bool]) -> int:
        header, rows = read_rows(source / f"{stem}_en.csv")
        return write_rows(target / f"{stem}_en.csv", header, (r for r in rows if keep(r)))

    _, occupations = read_rows(source / "occupations_en.csv")
    chosen = {
        row["conceptUri"]
        for number, row in enumerate(occupations)
        if number % every == 0 or row["conceptUri"] == AI_ENGINEER
    }
    _, relations = read_rows(source / "occupationSkillRelations_en.csv")
    skills = {r["skillUri"] for r in relations if r["occupationUri"] in chosen}
    _, groups = read_rows(source / "skillGroups_en.csv")
    _, isco = read_rows(source / "ISCOGroups_en.csv")
    known = chosen | skills | {g["conceptUri"] for g in groups} | {g["conceptUri"] for g in isco}

    copy("occupations", lambda r: r["conceptUri"] in chosen)
    copy("skills", lambda r: r["conceptUri"] in skills)
    copy("skillGroups", lambda r: True)
    copy("ISCOGroups", lambda r: True)
    copy("skillsHierarchy", lambda r: True)
    relation_count = copy("occupationSkillRelations", lambda r: r["occupationUri"] in chosen)
    skill_relations = copy(
        "skillSkillRelations",
        lambda r: r["originalSkillUri"] in skills and r["relatedSkillUri"] in skills,
    )
    for stem in ("broaderRelationsSkillPillar", "broaderRelationsOccPillar"):
        copy(stem, lambda r: r["conceptUri"] in known and r["broaderUri"] in known)
    members = sum(copy(stem, lambda r: r["conceptUri"] in known) for stem in COLLECTION_FILES)
    (target / "README.md").write_text("A test subset of ESCO v1.2.0 (English).\n")
    return MiniEsco(
        path=target,
        skills=len(skills),
        occupations=len(chosen),
        relations=relation_count,
        skill_relations=skill_relations,
        skill_groups=len(groups),
        isco_groups=len(isco),
        collection_members=members,
        occupation_uris=frozenset(chosen),
    )


def build_mini_labels(
    source: Path, target: Path, occupation_uris: Iterable[str], langs: Iterable[str]
) -> Path:
    """Occupation label files of other languages for the mini ESCO, plus one unknown URI each."""
    target.mkdir(parents=True, exist_ok=True)
    wanted = set(occupation_uris)
    for lang in langs:
        header, rows = read_rows(source / f"occupations_{lang}.csv")
        kept = [r for r in rows if r["conceptUri"] in wanted]
        unknown = dict.fromkeys(header, "")
        unknown.update(conceptType="Occupation", conceptUri=UNKNOWN_URI, preferredLabel="x")
        write_rows(target / f"occupations_{lang}.csv", header, [*kept, unknown])
    return target


def zip_folder(folder: Path, archive: Path, *, inner: str | None = None) -> Path:
    """Zip the files of ``folder`` at the top level, or inside the folder ``inner``."""
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as handle:
        for file in sorted(folder.iterdir()):
            handle.write(file, f"{inner}/{file.name}" if inner else file.name)
    return archive


@pytest.fixture(scope="session")
def _mini_esco_source(tmp_path_factory: pytest.TempPathFactory) -> MiniEsco:
    source = esco_path()
    if source is None:
        pytest.skip("the shared ESCO download is needed to build the mini ESCO fixture")
    return build_mini_esco(source, tmp_path_factory.mktemp("mini") / "esco-v1.2.0-mini")


@pytest.fixture
def mini_esco(_mini_esco_source: MiniEsco, tmp_path: Path) -> MiniEsco:
    """A fresh copy of the mini ESCO download (tests may change its files)."""
    target = tmp_path / _mini_esco_source.path.name
    shutil.copytree(_mini_esco_source.path, target)
    return MiniEsco(**{**_mini_esco_source.__dict__, "path": target})


@pytest.fixture
def mini_esco_dir(mini_esco: MiniEsco) -> Path:
    """The folder of a fresh mini ESCO download (English, version 1.2.0 in its name)."""
    return mini_esco.path


@pytest.fixture
def mini_esco_zip(mini_esco_dir: Path, tmp_path: Path) -> Path:
    """The mini ESCO zipped with its CSV files at the top level."""
    return zip_folder(mini_esco_dir, tmp_path / "esco-v1.2.0-mini.zip")


@pytest.fixture
def mini_esco_nested_zip(mini_esco_dir: Path, tmp_path: Path) -> Path:
    """The mini ESCO zipped inside one folder (the zip's own name carries no version)."""
    return zip_folder(mini_esco_dir, tmp_path / "download.zip", inner="ESCO dataset - v1.2.0")


@pytest.fixture
def mini_labels_dir(mini_esco: MiniEsco, tmp_path: Path) -> Path:
    """German and French occupation labels for the mini ESCO, plus one unknown URI each."""
    source = occupation_labels_path()
    if source is None:
        pytest.skip("the shared ESCO occupation labels are needed for this test")
    return build_mini_labels(source, tmp_path / "labels", mini_esco.occupation_uris, ("de", "fr"))
