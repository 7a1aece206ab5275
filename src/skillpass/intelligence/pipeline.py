"""One ingest batch: read -> check -> deduplicate -> normalise occupations -> extract skills ->
write Parquet (adverts, advert x skill, monthly cube, fingerprints) -> commit to the manifest.

Extraction goes through :class:`~skillpass.matching.service.MatchingService`: titles in batches
(``match_occupations_batch``, best match kept from :data:`OCCUPATION_THRESHOLD`), texts one advert
at a time (``extract``), in the mode asked for (``fast`` for bulk, ``default`` for quality).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from skillpass.errors import InvalidInput
from skillpass.ids import new_public_id
from skillpass.intelligence.dedup import DedupIndex, Duplicate, Fingerprint, fingerprint
from skillpass.intelligence.ingest import file_format, file_sha256, read_chunks
from skillpass.intelligence.schema import (
    ADVERT_SKILLS_SCHEMA,
    ADVERTS_SCHEMA,
    CUBE_SCHEMA,
    DUPLICATES_SCHEMA,
    SKILL_AREAS_SCHEMA,
    Advert,
    IngestReport,
)
from skillpass.intelligence.store import (
    FINGERPRINT_SCHEMA,
    BatchRecord,
    FileRecord,
    IntelligenceStore,
)
from skillpass.matching.models import MatchMode
from skillpass.matching.service import BatchItem, MatchingService
from skillpass.matching.text import EU_LANGUAGES
from skillpass.progress import NullProgress, Progress

__all__ = ["MAX_REPORTED_ERRORS", "OCCUPATION_THRESHOLD", "IngestJob"]

#: Score an ESCO occupation needs to normalise a title (occupation scores are squashed
#: similarities; 0.5 keeps exact and close labels, see docs/intelligence.md).
OCCUPATION_THRESHOLD = 0.5
MAX_REPORTED_ERRORS = 100


def _count_rows(path: Path) -> int | None:
    """Rows in a file, for the progress bar (lines for text formats: an estimate)."""
    if file_format(path) == "parquet":
        return int(pq.ParquetFile(path).metadata.num_rows)
    with path.open("rb") as handle:
        lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    return max(lines - (1 if file_format(path) == "csv" else 0), 0)


@dataclass
class _Writers:
    adverts: pq.ParquetWriter
    skills: pq.ParquetWriter
    fingerprints: pq.ParquetWriter

    def close(self) -> None:
        self.adverts.close()
        self.skills.close()
        self.fingerprints.close()


class IngestJob:
    """Ingests advert files into a store (one call of ``IntelligenceService.ingest``).

    Args:
        store: The store to write.
        matching: The matching service (ESCO imported).
        skill_areas: Returns ``(skill_uri, area_id, tier)`` rows of the capability areas.
        engine_info: Versions recorded with the batch.
        mode: Matching mode for extraction and title normalisation.
        progress: Receives progress.
    """

    def __init__(
        self,
        store: IntelligenceStore,
        matching: MatchingService,
        skill_areas: Callable[[], list[tuple[str, str, str]]],
        engine_info: dict[str, Any],
        mode: MatchMode = MatchMode.FAST,
        progress: Progress | None = None,
    ) -> None:
        self.store = store
        self.matching = matching
        self.skill_areas = skill_areas
        self.engine_info = engine_info
        self.mode = mode
        self.progress = progress or NullProgress()

    def run(self, files: Sequence[Path]) -> IngestReport:
        """Ingest the files as one batch (files already ingested are skipped).

        Raises:
            InvalidInput: A file is missing, of an unknown type or lacks required columns
                (checked before anything is written).
            TaxonomyNotLoaded: No ESCO imported.
        """
        began = time.perf_counter()
        started = datetime.now(UTC)
        if not files:
            raise InvalidInput("Give at least one advert file (.csv, .jsonl or .parquet).")
        self.store.clean()
        ingested = self.store.manifest().ingested()
        report = IngestReport(
            batch_id=None, store=str(self.store.root), mode=self.mode.value, files=[]
        )
        new: list[FileRecord] = []
        seen: set[str] = set()
        for path in files:
            if not path.is_file():
                raise InvalidInput(f"{path}: no such file; give the path of an advert file.")
            file_format(path)
            digest = file_sha256(path)
            if digest in ingested or digest in seen:
                report.skipped_files.append(str(path))
                continue
            seen.add(digest)
            new.append(
                FileRecord(
                    name=path.name,
                    path=str(path.resolve()),
                    sha256=digest,
                    bytes=path.stat().st_size,
                )
            )
        if not new:
            report.seconds = round(time.perf_counter() - began, 3)
            return report
        batch_id = f"{started.strftime('%Y%m%dT%H%M%S')}-{new_public_id()[:8]}"
        report.batch_id = batch_id
        report.files = [f.path for f in new]
        self.progress.stage("Loading fingerprints of stored adverts")
        index = DedupIndex()
        index.add_all(self.store.fingerprints())
        incoming = self.store.incoming(batch_id)
        writers = _Writers(
            adverts=pq.ParquetWriter(incoming / "adverts.parquet", ADVERTS_SCHEMA),
            skills=pq.ParquetWriter(incoming / "advert_skills.parquet", ADVERT_SKILLS_SCHEMA),
            fingerprints=pq.ParquetWriter(incoming / "dedup.parquet", FINGERPRINT_SCHEMA),
        )
        cube: Counter[tuple[Any, ...]] = Counter()
        duplicates: list[Duplicate] = []
        try:
            for record in new:
                path = Path(record.path)
                self.progress.stage(f"Ingesting {record.name}", total=_count_rows(path))
                for chunk in read_chunks(path):
                    record.rows += chunk.rows
                    report.rows += chunk.rows
                    report.rejected += len(chunk.errors)
                    room = MAX_REPORTED_ERRORS - len(report.errors)
                    report.errors += chunk.errors[: max(room, 0)]
                    kept = self._deduplicate(chunk.adverts, index, duplicates, writers)
                    self._extract(kept, batch_id, writers, cube, report)
                    self.progress.advance(chunk.rows)
        finally:
            writers.close()
        report.reposts = sum(1 for d in duplicates if d.reason == "repost")
        report.crossposts = sum(1 for d in duplicates if d.reason == "crosspost")
        report.resent = sum(1 for d in duplicates if d.reason == "resent")
        self._write_cube(cube, batch_id, incoming / "cube.parquet")
        listed = [d for d in duplicates if d.reason != "resent"]
        duplicate_table = pa.table(
            {
                "advert_id": [d.advert_id for d in listed],
                "duplicate_of": [d.duplicate_of for d in listed],
                "reason": [d.reason for d in listed],
                "batch_id": [batch_id] * len(listed),
            },
            schema=DUPLICATES_SCHEMA,
        )
        areas = self.skill_areas()
        area_table = pa.table(
            {
                "skill_uri": [a[0] for a in areas],
                "area_id": [a[1] for a in areas],
                "tier": [a[2] for a in areas],
            },
            schema=SKILL_AREAS_SCHEMA,
        )
        report.seconds = round(time.perf_counter() - began, 3)
        self.store.commit(
            BatchRecord(
                id=batch_id,
                files=new,
                rows=report.rows,
                rejected=report.rejected,
                adverts=report.adverts,
                reposts=report.reposts,
                crossposts=report.crossposts,
                skill_rows=report.skill_rows,
                mode=self.mode.value,
                started=started,
                finished=datetime.now(UTC),
                engine=self.engine_info,
            ),
            duplicate_table,
            area_table,
        )
        return report

    # --- steps ------------------------------------------------------------------------------

    @staticmethod
    def _deduplicate(
        adverts: list[Advert],
        index: DedupIndex,
        duplicates: list[Duplicate],
        writers: _Writers,
    ) -> list[Advert]:
        kept: list[Advert] = []
        fingerprints: list[Fingerprint] = []
        for advert in adverts:
            fp = fingerprint(
                advert.advert_id,
                advert.source,
                advert.employer,
                advert.title,
                advert.text,
                index.cache,
            )
            found = index.find(fp)
            if found is not None:
                duplicates.append(found)
                continue
            index.add(fp)
            kept.append(advert)
            fingerprints.append(fp)
        if fingerprints:
            writers.fingerprints.write_table(
                pa.table(
                    {
                        "advert_id": [f.advert_id for f in fingerprints],
                        "source": [f.source for f in fingerprints],
                        "employer": [f.employer for f in fingerprints],
                        "exact": [f.exact for f in fingerprints],
                        "signature": [f.signature.tobytes() for f in fingerprints],
                    },
                    schema=FINGERPRINT_SCHEMA,
                )
            )
        return kept

    def _occupations(self, adverts: list[Advert]) -> dict[str, tuple[str, str | None]]:
        """advert_id -> (occupation URI, ISCO group) for titles matched well enough."""
        found: dict[str, tuple[str, str | None]] = {}
        by_language: dict[str | None, list[Advert]] = {}
        for advert in adverts:
            lang = advert.language if advert.language in EU_LANGUAGES else None
            by_language.setdefault(lang, []).append(advert)
        for lang, group in by_language.items():
            items = (BatchItem(a.advert_id, a.title) for a in group)
            for advert_id, matches in self.matching.match_occupations_batch(
                items, lang=lang, top=1, mode=self.mode
            ):
                if matches and matches[0].score >= OCCUPATION_THRESHOLD:
                    found[advert_id] = (matches[0].uri, matches[0].isco_group)
        return found

    def _extract(
        self,
        adverts: list[Advert],
        batch_id: str,
        writers: _Writers,
        cube: Counter[tuple[Any, ...]],
        report: IngestReport,
    ) -> None:
        if not adverts:
            return
        occupations = self._occupations(adverts)
        advert_rows: dict[str, list[Any]] = {name: [] for name in ADVERTS_SCHEMA.names}
        skill_rows: dict[str, list[Any]] = {name: [] for name in ADVERT_SKILLS_SCHEMA.names}
        for advert in adverts:
            month = date(advert.posted.year, advert.posted.month, 1)
            occupation_uri, occupation_isco = occupations.get(advert.advert_id, (None, None))
            isco = advert.isco
            if occupation_uri is not None:
                report.occupations += 1
                if isco is None and occupation_isco:
                    isco = occupation_isco
                    report.isco_filled += 1
            lang = advert.language if advert.language in EU_LANGUAGES else None
            try:
                result = self.matching.extract(advert.text, lang=lang, mode=self.mode)
                skills = result.skills
                language = advert.language or (None if result.lang == "und" else result.lang)
            except InvalidInput:
                skills, language = [], advert.language
            values = {
                "advert_id": advert.advert_id,
                "source": advert.source,
                "posted": advert.posted,
                "month": month,
                "country": advert.country,
                "nuts": advert.nuts,
                "employer_id": advert.employer,
                "title": advert.title,
                "language": language,
                "nace": advert.nace,
                "isco": isco,
                "occupation_uri": occupation_uri,
                "remote": advert.remote,
                "salary": advert.salary,
                "synthetic": advert.synthetic,
                "batch_id": batch_id,
            }
            for name, value in values.items():
                advert_rows[name].append(value)
            for skill in skills:
                for name in ADVERT_SKILLS_SCHEMA.names:
                    if name == "skill_uri":
                        skill_rows[name].append(skill.uri)
                    elif name == "skill_label":
                        skill_rows[name].append(skill.label)
                    elif name == "score":
                        skill_rows[name].append(skill.score)
                    else:
                        skill_rows[name].append(values[name])
                cube[(month, advert.nuts, advert.country, isco, advert.nace, skill.uri)] += 1
            report.skill_rows += len(skills)
        report.adverts += len(adverts)
        writers.adverts.write_table(pa.table(advert_rows, schema=ADVERTS_SCHEMA))
        writers.skills.write_table(pa.table(skill_rows, schema=ADVERT_SKILLS_SCHEMA))

    @staticmethod
    def _write_cube(cube: Counter[tuple[Any, ...]], batch_id: str, path: Path) -> None:
        keys = sorted(cube, key=lambda k: tuple("" if v is None else str(v) for v in k))
        columns: list[tuple[Any, ...]] = list(zip(*keys, strict=True)) if keys else [()] * 6
        table = pa.table(
            {
                "month": list(columns[0]),
                "nuts": list(columns[1]),
                "country": list(columns[2]),
                "isco": list(columns[3]),
                "nace": list(columns[4]),
                "skill_uri": list(columns[5]),
                "adverts": [cube[k] for k in keys],
                "batch_id": [batch_id] * len(keys),
            },
            schema=CUBE_SCHEMA,
        )
        pq.write_table(table, path, compression="zstd")
