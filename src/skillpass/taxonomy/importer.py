"""ESCO import: an official CSV download (folder or zip, any language) into the taxonomy tables.

Two kinds of import, chosen by the languages found in the file names:

* **base** (``*_en.csv``): every file of the classification is required. It creates the concepts
  (skills, occupations, skill groups, ISCO groups), their English labels and descriptions, the
  broader hierarchy of both pillars, the collections and the occupation–skill and skill–skill
  relations, then asks the capability framework to resolve its areas.
* **labels** (any other language, also a partial download such as a folder holding only
  ``occupations_de.csv``): the labels and descriptions are added to the concepts already imported,
  matched by ``conceptUri``. Unknown URIs are skipped and counted.

Everything is read and validated first; then one transaction writes it. Re-importing the same
version with the same content (SHA-256 over the files) changes nothing. Relations that point to a
concept missing from the download are skipped and counted, unless they are more than a tenth of a
file, which means the files come from different downloads: that fails.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, delete, func, select

from skillpass.errors import TaxonomyImportError
from skillpass.progress import Progress
from skillpass.storage.tables import (
    capability_members,
    concept_collections,
    concept_labels,
    concept_relations,
    concepts,
    occupation_skills,
    skill_skills,
    taxonomy_imports,
)
from skillpass.taxonomy._esco_plan import BasePlan, LabelPlan, Row, plan_base, plan_labels
from skillpass.taxonomy.esco_files import (
    BASE_LANGUAGE,
    detect_version,
    open_download,
)
from skillpass.taxonomy.models import ConceptType, ImportReport, TaxonomyStats

__all__ = ["import_esco", "read_stats"]

_CHUNK = 5_000
_VERSION_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,31}$")


def _normalise_version(version: str, source: str) -> str:
    version = version.strip()
    if len(version) > 1 and version[0] in "vV" and version[1].isdigit():
        version = version[1:]
    if not _VERSION_PATTERN.match(version):
        raise TaxonomyImportError(
            f"Version '{version}' ({source}) is not valid: use letters, digits and . - + "
            "(at most 32 characters), e.g. --version 1.2.0."
        )
    return version


# --- writing --------------------------------------------------------------------------------


def _insert(
    conn: Connection, table: Table, rows: list[Row], progress: Progress, note: str = ""
) -> None:
    progress.stage(f"Writing {table.name}{note}", total=len(rows))
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        conn.execute(table.insert(), chunk)
        progress.advance(len(chunk))


def _chunks(values: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _latest_import(conn: Connection, kind: str, lang: str | None = None) -> Any:
    query = select(taxonomy_imports).where(taxonomy_imports.c.kind == kind)
    if lang is not None:
        query = query.where(taxonomy_imports.c.language == lang)
    return conn.execute(query.order_by(taxonomy_imports.c.id.desc()).limit(1)).first()


def _record(
    conn: Connection, version: str, lang: str, kind: str, source: str, checksum: str, counts: Any
) -> None:
    conn.execute(
        taxonomy_imports.insert().values(
            version=version,
            language=lang,
            kind=kind,
            source=source,
            checksum=checksum,
            counts=json.dumps(counts, sort_keys=True),
            imported_at=datetime.now(UTC),
        )
    )


def _write_base(
    conn: Connection, plan: BasePlan, version: str, progress: Progress
) -> dict[str, int]:
    """Replace the base taxonomy; labels in other languages survive for concepts that remain."""
    old = set(conn.execute(select(concepts.c.uri)).scalars())
    for table in (
        capability_members,
        occupation_skills,
        skill_skills,
        concept_collections,
        concept_relations,
    ):
        conn.execute(delete(table))
    conn.execute(delete(concept_labels).where(concept_labels.c.lang == BASE_LANGUAGE))
    removed = sorted(old - plan.types.keys())
    for chunk in _chunks(removed):
        conn.execute(delete(concept_labels).where(concept_labels.c.concept_uri.in_(chunk)))
        conn.execute(delete(concepts).where(concepts.c.uri.in_(chunk)))
    rows = [{**row, "version": version} for row in plan.concepts]
    updates = [
        {**{k: v for k, v in row.items() if k != "uri"}, "b_uri": row["uri"]}
        for row in rows
        if row["uri"] in old
    ]
    if updates:
        progress.stage("Updating concepts", total=len(updates))
        statement = concepts.update().where(concepts.c.uri == bindparam("b_uri"))
        for start in range(0, len(updates), _CHUNK):
            conn.execute(statement, updates[start : start + _CHUNK])
            progress.advance(len(updates[start : start + _CHUNK]))
    _insert(conn, concepts, [row for row in rows if row["uri"] not in old], progress)
    _insert(conn, concept_labels, plan.labels, progress)
    _insert(conn, concept_relations, plan.broader, progress)
    _insert(conn, concept_collections, plan.collections, progress)
    _insert(conn, occupation_skills, plan.occupation_skills, progress)
    _insert(conn, skill_skills, plan.skill_skills, progress)
    kinds = Counter(row["type"] for row in plan.concepts)
    return {
        "skills": kinds[ConceptType.SKILL.value],
        "occupations": kinds[ConceptType.OCCUPATION.value],
        "skill_groups": kinds[ConceptType.SKILL_GROUP.value],
        "isco_groups": kinds[ConceptType.ISCO_GROUP.value],
        "labels": len(plan.labels),
        "broader_relations": len(plan.broader),
        "collection_members": len(plan.collections),
        "relations": len(plan.occupation_skills),
        "skill_relations": len(plan.skill_skills),
    }


def _write_labels(conn: Connection, plan: LabelPlan, progress: Progress) -> dict[str, int]:
    known = set(conn.execute(select(concepts.c.uri)).scalars())
    conn.execute(delete(concept_labels).where(concept_labels.c.lang == plan.lang))
    rows: list[Row] = []
    matched: set[str] = set()
    for name, labels in plan.labels.items():
        uris = {label["concept_uri"] for label in labels}
        unknown = uris - known
        if unknown:
            plan.skipped[f"{name}:unknown_concept"] += len(unknown)
        if uris and len(unknown) == len(uris):
            raise TaxonomyImportError(
                f"{name}: none of its {len(uris):,} concepts is in the imported taxonomy. "
                "Import the English download of the same ESCO version first.",
                details={"file": name},
            )
        matched |= uris - unknown
        rows.extend(label for label in labels if label["concept_uri"] in known)
    _insert(conn, concept_labels, rows, progress, f" ({plan.lang})")
    return {"labels": len(rows), "concepts": len(matched)}


# --- the use case ---------------------------------------------------------------------------


def import_esco(
    engine: Engine,
    path: Path,
    *,
    version: str | None,
    progress: Progress,
    resolve_capabilities: Callable[[Connection, str], dict[str, int]],
) -> ImportReport:
    """Import an ESCO download (see :meth:`TaxonomyService.import_esco`).

    Args:
        engine: The database.
        path: A folder or ``.zip`` of ESCO CSV files, in English (base) and/or other languages.
        version: The ESCO version; detected from the path or a README when None.
        progress: Receives a stage per file read and per table written.
        resolve_capabilities: Called inside the transaction after a base import is written.

    Returns:
        What was imported (``changed=False`` when the same version and content were already).

    Raises:
        TaxonomyImportError: A file is missing or malformed, the version is unknown, or labels
            come before any base import. The database is left as it was.
    """
    started = time.perf_counter()
    download = open_download(path)
    languages = download.languages
    base_lang = BASE_LANGUAGE in languages
    if version is not None:
        version = _normalise_version(version, "--version")
    else:
        detected = detect_version(download)
        version = _normalise_version(detected, "detected") if detected else None
    if base_lang and version is None:
        raise TaxonomyImportError(
            f"{download.source.name}: cannot tell the ESCO version from the path or a README. "
            "Give it with --version, e.g. --version 1.2.0."
        )
    base = plan_base(download, progress) if base_lang else None
    extra = [plan_labels(download, lang, progress) for lang in languages if lang != BASE_LANGUAGE]
    source = str(Path(path).expanduser().resolve())
    counts: dict[str, int] = {}
    skipped: Counter[str] = Counter()
    changed_langs: list[str] = []
    unchanged_langs: list[str] = []
    with engine.begin() as conn:
        latest_base = _latest_import(conn, "base")
        if base is not None:
            assert version is not None
            skipped.update(base.skipped)
            checksum = download.checksum(base.files)
            stored = conn.execute(select(func.count()).select_from(concepts)).scalar_one()
            same = (
                latest_base is not None
                and latest_base.version == version
                and latest_base.checksum == checksum
                and stored > 0
            )
            if same:
                unchanged_langs.append(BASE_LANGUAGE)
                counts.update(json.loads(latest_base.counts))
            else:
                counts.update(_write_base(conn, base, version, progress))
                progress.stage("Resolving capability areas", total=None)
                members = resolve_capabilities(conn, version)
                counts["capability_members"] = sum(members.values())
                _record(conn, version, BASE_LANGUAGE, "base", source, checksum, counts)
                changed_langs.append(BASE_LANGUAGE)
            latest_base = _latest_import(conn, "base")
        elif conn.execute(select(func.count()).select_from(concepts)).scalar_one() == 0:
            raise TaxonomyImportError(
                f"{download.source.name}: holds labels in {', '.join(languages)} but no ESCO "
                "taxonomy is imported yet. Import the English download first (skillpass taxonomy "
                "import PATH_TO_ESCO_EN), then these labels."
            )
        for plan in extra:
            label_version = version or (latest_base.version if latest_base else "unknown")
            checksum = download.checksum(plan.files)
            previous = _latest_import(conn, "labels", plan.lang)
            if (
                previous is not None
                and previous.checksum == checksum
                and previous.version == label_version
                and (latest_base is None or previous.id > latest_base.id)
            ):
                unchanged_langs.append(plan.lang)
                for key, value in json.loads(previous.counts).items():
                    counts[f"{key}_{plan.lang}"] = value
                continue
            written = _write_labels(conn, plan, progress)
            skipped.update(plan.skipped)
            _record(conn, label_version, plan.lang, "labels", source, checksum, written)
            for key, value in written.items():
                counts[f"{key}_{plan.lang}"] = value
            changed_langs.append(plan.lang)
        final_version = version or (latest_base.version if latest_base else "unknown")
    seconds = round(time.perf_counter() - started, 3)
    return ImportReport(
        version=final_version,
        language=",".join(languages),
        kind="base" if base is not None else "labels",
        changed=bool(changed_langs),
        counts=counts,
        skipped=dict(sorted(skipped.items())),
        seconds=seconds,
        message=_message(final_version, changed_langs, unchanged_langs, counts, skipped, seconds),
    )


def _message(
    version: str,
    changed: list[str],
    unchanged: list[str],
    counts: dict[str, int],
    skipped: Counter[str],
    seconds: float,
) -> str:
    parts: list[str] = []
    if BASE_LANGUAGE in changed:
        parts.append(
            f"Imported ESCO {version} (en): {counts['skills']:,} skills, "
            f"{counts['occupations']:,} occupations, {counts['relations']:,} occupation–skill "
            f"relations, {counts['labels']:,} labels."
        )
    extra = [lang for lang in changed if lang != BASE_LANGUAGE]
    if extra:
        total = sum(counts.get(f"labels_{lang}", 0) for lang in extra)
        parts.append(f"Added {total:,} labels in {', '.join(extra)}.")
    if unchanged:
        parts.append(
            f"ESCO {version} in {', '.join(unchanged)} was already imported with the same "
            "content; nothing changed" + (" there." if changed else ".")
        )
    if skipped:
        parts.append(
            f"Skipped {sum(skipped.values()):,} rows or concepts (see 'skipped'), e.g. "
            f"{next(iter(sorted(skipped)))}."
        )
    parts.append(f"{seconds:.1f} s.")
    return " ".join(parts)


def read_stats(engine: Engine) -> TaxonomyStats:
    """Counts of what is imported, the base version, the languages and the last import time.

    Args:
        engine: The database.

    Returns:
        The statistics; zeros and ``version=None`` when nothing is imported.
    """
    with engine.connect() as conn:
        by_type: dict[str, int] = dict(
            conn.execute(select(concepts.c.type, func.count()).group_by(concepts.c.type)).all()
        )

        def count(table: Table) -> int:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

        languages = sorted(conn.execute(select(concept_labels.c.lang).distinct()).scalars().all())
        base = _latest_import(conn, "base")
        imported_at = conn.execute(select(func.max(taxonomy_imports.c.imported_at))).scalar()
        if isinstance(imported_at, datetime) and imported_at.tzinfo is None:
            imported_at = imported_at.replace(tzinfo=UTC)
        return TaxonomyStats(
            version=base.version if base is not None and by_type else None,
            skills=by_type.get(ConceptType.SKILL.value, 0),
            occupations=by_type.get(ConceptType.OCCUPATION.value, 0),
            relations=count(occupation_skills),
            isco_groups=by_type.get(ConceptType.ISCO_GROUP.value, 0),
            languages=languages,
            skill_groups=by_type.get(ConceptType.SKILL_GROUP.value, 0),
            skill_relations=count(skill_skills),
            capability_members=count(capability_members),
            imported_at=imported_at if by_type else None,
        )
