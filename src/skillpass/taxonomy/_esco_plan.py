"""Reading an ESCO download into import plans: every row parsed and checked, nothing written.

Private to :mod:`skillpass.taxonomy.importer`, which writes the plans in one transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from skillpass.errors import TaxonomyImportError
from skillpass.progress import Progress
from skillpass.taxonomy.esco_files import (
    BASE_COLUMNS,
    BASE_LANGUAGE,
    COLLECTIONS,
    LABEL_COLUMNS,
    LABEL_STEMS,
    REQUIRED_BASE_STEMS,
    CsvTable,
    EscoDownload,
    split_labels,
)
from skillpass.taxonomy.models import ConceptType

__all__ = ["BasePlan", "LabelPlan", "Row", "plan_base", "plan_labels"]

_ADVANCE_EVERY = 2_000
_MAX_UNKNOWN_SHARE = 0.1
_RELATION_TYPES = frozenset({"essential", "optional"})
_CONCEPT_FILES: dict[str, ConceptType] = {
    "skills": ConceptType.SKILL,
    "occupations": ConceptType.OCCUPATION,
    "skillGroups": ConceptType.SKILL_GROUP,
    "ISCOGroups": ConceptType.ISCO_GROUP,
}
#: Longest value each short concept column accepts (PostgreSQL enforces VARCHAR lengths).
_LIMITS = {"uri": 255, "code": 64, "skill_type": 32, "reuse_level": 32, "isco_group": 8}
Row = dict[str, Any]


# --- parsing --------------------------------------------------------------------------------


@dataclass
class BasePlan:
    """Everything a base import writes, parsed and validated."""

    files: list[str]
    concepts: list[Row] = field(default_factory=list)
    labels: list[Row] = field(default_factory=list)
    broader: list[Row] = field(default_factory=list)
    collections: list[Row] = field(default_factory=list)
    occupation_skills: list[Row] = field(default_factory=list)
    skill_skills: list[Row] = field(default_factory=list)
    types: dict[str, ConceptType] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass
class LabelPlan:
    """The labels of one extra language, per file, before matching against stored concepts."""

    lang: str
    files: list[str]
    labels: dict[str, list[Row]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)


def _rows(table: CsvTable, progress: Progress) -> Iterator[tuple[int, list[str]]]:
    """Enumerate the rows of ``table`` while reporting progress."""
    progress.stage(f"Reading {table.name}", total=len(table.rows))
    pending = 0
    for number, row in enumerate(table.rows):
        yield number, row
        pending += 1
        if pending == _ADVANCE_EVERY:
            progress.advance(pending)
            pending = 0
    progress.advance(pending)


def _cell(row: list[str], position: int | None) -> str:
    return row[position].strip() if position is not None else ""


def _limited(table: CsvTable, number: int, column: str, value: str) -> str:
    limit = _LIMITS[column]
    if len(value) > limit:
        raise table.fail(number, f"{column} '{value[:40]}…' is longer than {limit} characters")
    return value


def _label_rows(uri: str, lang: str, table: CsvTable, row: list[str]) -> list[Row]:
    """Preferred, alternative, hidden labels and the description of one row."""
    out: list[Row] = []
    preferred = _cell(row, table.index("preferredLabel"))
    if preferred:
        out.append({"concept_uri": uri, "lang": lang, "kind": "preferred", "text": preferred})
    seen = {preferred}
    for kind, column in (("alt", "altLabels"), ("hidden", "hiddenLabels")):
        position = table.index(column)
        for label in split_labels(row[position]) if position is not None else []:
            if label not in seen:
                seen.add(label)
                out.append({"concept_uri": uri, "lang": lang, "kind": kind, "text": label})
    description = _cell(row, table.index("description"))
    if description:
        out.append({"concept_uri": uri, "lang": lang, "kind": "description", "text": description})
    return out


def _parse_concepts(
    table: CsvTable, concept_type: ConceptType, plan: BasePlan, progress: Progress
) -> None:
    uri_at = table.require("conceptUri")
    columns = {
        name: table.index(column)
        for name, column in (
            ("code", "code"),
            ("skill_type", "skillType"),
            ("reuse_level", "reuseLevel"),
            ("isco_group", "iscoGroup"),
            ("regulated_note", "regulatedProfessionNote"),
            ("status", "status"),
        )
    }
    if not table.rows:
        raise table.fail(0, "the file has a header but no rows")
    for number, row in _rows(table, progress):
        uri = _limited(table, number, "uri", row[uri_at].strip())
        if not uri:
            raise table.fail(number, "a row has an empty conceptUri")
        if uri in plan.types:
            plan.skipped[f"{table.name}:duplicate_concept"] += 1
            continue
        labels = _label_rows(uri, BASE_LANGUAGE, table, row)
        preferred = next((lab["text"] for lab in labels if lab["kind"] == "preferred"), "")
        if not preferred:
            raise table.fail(number, f"concept {uri} has no preferredLabel")
        values = {name: _cell(row, at) or None for name, at in columns.items()}
        for name in ("code", "skill_type", "reuse_level", "isco_group"):
            _limited(table, number, name, values[name] or "")
        if values["status"] is not None:
            values["status"] = values["status"][:16]
        plan.types[uri] = concept_type
        plan.labels.extend(labels)
        plan.concepts.append(
            {
                "uri": uri,
                "type": concept_type.value,
                "preferred_label": preferred,
                "description": _cell(row, table.index("description")),
                **values,
            }
        )


def _check_unknown(table: CsvTable, unknown: int, plan: BasePlan) -> None:
    if unknown > _MAX_UNKNOWN_SHARE * max(len(table.rows), 1):
        raise TaxonomyImportError(
            f"{table.name}: {unknown:,} of {len(table.rows):,} rows point to concepts that are not "
            "in the skills, occupations, skill group or ISCO group files. The files seem to come "
            "from different ESCO downloads; import the files of one download together.",
            details={"file": table.name, "unknown": unknown},
        )
    if unknown:
        plan.skipped[f"{table.name}:unknown_concept"] += unknown


def _parse_broader(
    table: CsvTable,
    plan: BasePlan,
    seen: set[tuple[str, str]],
    pairs: Sequence[tuple[int, int]],
    progress: Progress,
) -> None:
    """Broader links: each (narrower column, broader column) pair of a row gives one link."""
    unknown = 0
    for _number, row in _rows(table, progress):
        for narrow_at, broad_at in pairs:
            narrower, broader = row[narrow_at].strip(), row[broad_at].strip()
            if not narrower or not broader:
                continue
            if narrower not in plan.types or broader not in plan.types:
                unknown += 1
                continue
            if (narrower, broader) in seen:
                continue
            seen.add((narrower, broader))
            plan.broader.append({"concept_uri": narrower, "broader_uri": broader})
    _check_unknown(table, unknown, plan)


def _parse_collection(table: CsvTable, name: str, plan: BasePlan, progress: Progress) -> None:
    uri_at = table.require("conceptUri")
    unknown = 0
    members: set[str] = set()
    for _number, row in _rows(table, progress):
        uri = row[uri_at].strip()
        if not uri or uri in members:
            continue
        if uri not in plan.types:
            unknown += 1
            continue
        members.add(uri)
        plan.collections.append({"concept_uri": uri, "collection": name})
    _check_unknown(table, unknown, plan)


def _parse_pairs(
    table: CsvTable,
    columns: tuple[str, str, str],
    kinds: tuple[ConceptType, ConceptType],
    out: list[Row],
    plan: BasePlan,
    progress: Progress,
) -> None:
    """Occupation–skill or skill–skill relations (``columns``: from, relation type, to)."""
    from_at, type_at, to_at = (table.require(column) for column in columns)
    keys = (
        ("occupation_uri", "skill_uri")
        if kinds[0] is ConceptType.OCCUPATION
        else (
            "skill_uri",
            "related_uri",
        )
    )
    seen: set[tuple[str, str]] = set()
    unknown = 0
    for number, row in _rows(table, progress):
        source, target = row[from_at].strip(), row[to_at].strip()
        relation = row[type_at].strip().lower()
        if relation not in _RELATION_TYPES:
            raise table.fail(number, f"relationType '{relation}' is not essential or optional")
        if plan.types.get(source) is not kinds[0] or plan.types.get(target) is not kinds[1]:
            unknown += 1
            continue
        if (source, target) in seen:
            plan.skipped[f"{table.name}:duplicate_relation"] += 1
            continue
        seen.add((source, target))
        out.append({keys[0]: source, keys[1]: target, "relation_type": relation})
    _check_unknown(table, unknown, plan)


def plan_base(download: EscoDownload, progress: Progress) -> BasePlan:
    missing = download.missing(REQUIRED_BASE_STEMS, BASE_LANGUAGE)
    if missing:
        raise TaxonomyImportError(
            f"{download.source.name}: the English ESCO download is incomplete; missing "
            f"{', '.join(missing)}. Import the whole classification download (all CSV files), "
            "or import only other languages' label files after it.",
            details={"file": download.source.name, "missing_files": missing},
        )
    tables: dict[str, CsvTable] = {}
    for stem in REQUIRED_BASE_STEMS:
        esco_file = download.find(stem, BASE_LANGUAGE)
        assert esco_file is not None
        tables[stem] = download.read_table(esco_file, BASE_COLUMNS[stem])
    plan = BasePlan(files=sorted(table.name for table in tables.values()))
    for stem, concept_type in _CONCEPT_FILES.items():
        _parse_concepts(tables[stem], concept_type, plan, progress)
    seen: set[tuple[str, str]] = set()
    for stem in ("broaderRelationsSkillPillar", "broaderRelationsOccPillar"):
        table = tables[stem]
        _parse_broader(
            table,
            plan,
            seen,
            [(table.require("conceptUri"), table.require("broaderUri"))],
            progress,
        )
    hierarchy = tables["skillsHierarchy"]
    levels = [hierarchy.require(f"Level {level} URI") for level in range(4)]
    _parse_broader(hierarchy, plan, seen, list(zip(levels[1:], levels[:-1], strict=True)), progress)
    for stem, name in COLLECTIONS.items():
        _parse_collection(tables[stem], name, plan, progress)
    _parse_pairs(
        tables["occupationSkillRelations"],
        ("occupationUri", "relationType", "skillUri"),
        (ConceptType.OCCUPATION, ConceptType.SKILL),
        plan.occupation_skills,
        plan,
        progress,
    )
    _parse_pairs(
        tables["skillSkillRelations"],
        ("originalSkillUri", "relationType", "relatedSkillUri"),
        (ConceptType.SKILL, ConceptType.SKILL),
        plan.skill_skills,
        plan,
        progress,
    )
    if not plan.occupation_skills:
        raise tables["occupationSkillRelations"].fail(0, "the file has no relations")
    return plan


def plan_labels(download: EscoDownload, lang: str, progress: Progress) -> LabelPlan:
    present = [f for stem in LABEL_STEMS if (f := download.find(stem, lang)) is not None]
    if not present:
        expected = ", ".join(f"{stem}_{lang}.csv" for stem in LABEL_STEMS)
        raise TaxonomyImportError(
            f"{download.source.name}: the files in '{lang}' hold no labels (expected one of "
            f"{expected}). Add them, or remove the '{lang}' files.",
            details={"file": download.source.name, "lang": lang},
        )
    plan = LabelPlan(lang=lang, files=sorted(f.name for f in present))
    for esco_file in present:
        table = download.read_table(esco_file, LABEL_COLUMNS)
        if not table.rows:
            raise table.fail(0, "the file has a header but no rows")
        uri_at = table.require("conceptUri")
        labels: list[Row] = []
        seen: set[tuple[str, str, str]] = set()
        for number, row in _rows(table, progress):
            uri = row[uri_at].strip()
            if not uri:
                raise table.fail(number, "a row has an empty conceptUri")
            for label in _label_rows(uri, lang, table, row):
                key = (uri, label["kind"], label["text"])
                if key not in seen:
                    seen.add(key)
                    labels.append(label)
        plan.labels[esco_file.name] = labels
    return plan
