"""The intelligence store: Parquet folders and a manifest (layout in docs/intelligence.md).

::

    <store>/
      manifest.json             batches ingested: files (SHA-256), counts, times, engine versions
      adverts/<batch>.parquet   one row per kept advert            (ADVERTS_SCHEMA)
      advert_skills/<batch>.parquet   one row per advert x skill   (ADVERT_SKILLS_SCHEMA)
      cube/<batch>.parquet      monthly cube of the batch (sums)   (CUBE_SCHEMA)
      duplicates.parquet        advert_id, duplicate_of, reason    (DUPLICATES_SCHEMA)
      skill_areas.parquet       skill_uri, area_id, tier           (SKILL_AREAS_SCHEMA)
      dedup/<batch>.parquet     fingerprints for deduplicating later batches (internal)

A batch is written to ``.incoming/<batch>/`` first, moved into place file by file, and only
then recorded in the manifest; files of a batch missing from the manifest (an ingest that died
half-way) are removed before the next ingest, so readers never count half a batch twice.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import BaseModel, Field

from skillpass.errors import Conflict
from skillpass.intelligence.dedup import NUM_PERM, Fingerprint
from skillpass.intelligence.schema import DUPLICATES_SCHEMA, SKILL_AREAS_SCHEMA

__all__ = [
    "FINGERPRINT_SCHEMA",
    "BatchRecord",
    "FileRecord",
    "IntelligenceStore",
    "Manifest",
]

_FOLDERS = ("adverts", "advert_skills", "cube", "dedup")
FINGERPRINT_SCHEMA = pa.schema(
    [
        ("advert_id", pa.string()),
        ("source", pa.string()),
        ("employer", pa.string()),
        ("exact", pa.binary(16)),
        ("signature", pa.binary(NUM_PERM * 4)),
    ]
)


class FileRecord(BaseModel):
    """One input file of a batch."""

    name: str
    path: str
    sha256: str
    bytes: int
    rows: int = 0


class BatchRecord(BaseModel):
    """One ingested batch (provenance of every row with its ``batch_id``)."""

    id: str
    files: list[FileRecord]
    rows: int
    rejected: int
    adverts: int
    reposts: int
    crossposts: int
    skill_rows: int
    mode: str
    started: datetime
    finished: datetime
    engine: dict[str, Any] = Field(
        default_factory=dict,
        description="skillpass version, matching mode, semantic or lexical, ESCO version.",
    )


class Manifest(BaseModel):
    """``manifest.json``."""

    format: int = 1
    batches: list[BatchRecord] = Field(default_factory=list)

    def ingested(self) -> dict[str, str]:
        """SHA-256 of every ingested file -> the batch id that read it."""
        return {f.sha256: b.id for b in self.batches for f in b.files}


class IntelligenceStore:
    """Reads and writes one store folder.

    Args:
        root: The store folder (created on first write).
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def manifest_path(self) -> Path:
        """``<root>/manifest.json``."""
        return self.root / "manifest.json"

    def manifest(self) -> Manifest:
        """The manifest (empty when the store is new).

        Raises:
            Conflict: The manifest is unreadable (edited by hand?).
        """
        if not self.manifest_path.exists():
            return Manifest()
        try:
            return Manifest.model_validate_json(self.manifest_path.read_text(encoding="utf-8"))
        except ValueError as error:
            raise Conflict(
                f"{self.manifest_path} cannot be read ({error}); restore it or start a new "
                "store with --store."
            ) from None

    def _save_manifest(self, manifest: Manifest) -> None:
        temporary = self.manifest_path.with_suffix(".json.tmp")
        temporary.write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
        os.replace(temporary, self.manifest_path)

    def clean(self) -> None:
        """Remove files of batches the manifest does not list (left by an interrupted ingest)."""
        known = {b.id for b in self.manifest().batches}
        shutil.rmtree(self.root / ".incoming", ignore_errors=True)
        for folder in _FOLDERS:
            for path in (self.root / folder).glob("*.parquet"):
                if path.stem not in known:
                    path.unlink()
        duplicates = self.root / "duplicates.parquet"
        if duplicates.exists():
            table = pq.read_table(duplicates)
            kept = table.filter(pc.is_in(table["batch_id"], pa.array(sorted(known))))
            if kept.num_rows != table.num_rows:
                self._write(kept, duplicates)

    @staticmethod
    def _write(table: pa.Table, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".parquet.tmp")
        pq.write_table(table, temporary, compression="zstd")
        os.replace(temporary, path)

    def fingerprints(self) -> Iterator[Fingerprint]:
        """Fingerprints of every stored advert, batch by batch."""
        for path in sorted((self.root / "dedup").glob("*.parquet")):
            table = pq.read_table(path)
            columns = [table[name].to_pylist() for name in FINGERPRINT_SCHEMA.names]
            for advert_id, source, employer, exact, signature in zip(*columns, strict=True):
                yield Fingerprint(
                    advert_id, source, employer, exact, np.frombuffer(signature, dtype=np.uint32)
                )

    def incoming(self, batch_id: str) -> Path:
        """The folder a batch is written to before it is committed."""
        path = self.root / ".incoming" / batch_id
        path.mkdir(parents=True, exist_ok=True)
        return path

    def commit(
        self,
        record: BatchRecord,
        duplicates: pa.Table,
        skill_areas: pa.Table | None,
    ) -> None:
        """Move a batch's files into place, append its duplicates, record it in the manifest.

        Args:
            record: The batch.
            duplicates: Its duplicate rows (``DUPLICATES_SCHEMA``).
            skill_areas: The capability-area table to (re)write, if any.
        """
        incoming = self.root / ".incoming" / record.id
        for folder in _FOLDERS:
            source = incoming / f"{folder}.parquet"
            if source.exists():
                (self.root / folder).mkdir(parents=True, exist_ok=True)
                os.replace(source, self.root / folder / f"{record.id}.parquet")
        path = self.root / "duplicates.parquet"
        if duplicates.num_rows:
            existing = [pq.read_table(path).cast(DUPLICATES_SCHEMA)] if path.exists() else []
            self._write(pa.concat_tables([*existing, duplicates.cast(DUPLICATES_SCHEMA)]), path)
        elif not path.exists():
            self._write(DUPLICATES_SCHEMA.empty_table(), path)
        if skill_areas is not None:
            self._write(skill_areas.cast(SKILL_AREAS_SCHEMA), self.root / "skill_areas.parquet")
        manifest = self.manifest()
        manifest.batches.append(record)
        self._save_manifest(manifest)
        shutil.rmtree(incoming, ignore_errors=True)
