"""The store: manifest round trip, a broken manifest, clean-up after an interrupted ingest."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from skillpass.errors import Conflict
from skillpass.intelligence.schema import DUPLICATES_SCHEMA
from skillpass.intelligence.store import BatchRecord, FileRecord, IntelligenceStore


def _record(batch_id: str) -> BatchRecord:
    now = datetime.now(UTC)
    return BatchRecord(
        id=batch_id,
        files=[FileRecord(name="a.csv", path="/x/a.csv", sha256="ab" * 32, bytes=10, rows=3)],
        rows=3,
        rejected=0,
        adverts=3,
        reposts=0,
        crossposts=0,
        skill_rows=5,
        mode="fast",
        started=now,
        finished=now,
    )


def _duplicates(batch_id: str) -> pa.Table:
    return pa.table(
        {
            "advert_id": ["s:2"],
            "duplicate_of": ["s:1"],
            "reason": ["repost"],
            "batch_id": [batch_id],
        },
        schema=DUPLICATES_SCHEMA,
    )


def test_commit_moves_files_in_place_and_records_the_batch(tmp_path: Path) -> None:
    store = IntelligenceStore(tmp_path)
    incoming = store.incoming("b1")
    pq.write_table(pa.table({"x": [1]}), incoming / "adverts.parquet")
    store.commit(_record("b1"), _duplicates("b1"), None)
    assert (tmp_path / "adverts" / "b1.parquet").exists()
    assert not (tmp_path / ".incoming" / "b1").exists()
    assert store.manifest().ingested() == {"ab" * 32: "b1"}
    store.commit(_record("b2"), _duplicates("b2"), None)
    assert pq.read_table(tmp_path / "duplicates.parquet").num_rows == 2


def test_clean_removes_what_an_interrupted_ingest_left(tmp_path: Path) -> None:
    store = IntelligenceStore(tmp_path)
    store.commit(_record("b1"), _duplicates("b1"), None)
    for folder in ("adverts", "cube"):
        (tmp_path / folder).mkdir(exist_ok=True)
        pq.write_table(pa.table({"x": [1]}), tmp_path / folder / "dead.parquet")
    store.incoming("dead")
    existing = pq.read_table(tmp_path / "duplicates.parquet")
    pq.write_table(
        pa.concat_tables([existing, _duplicates("dead")]), tmp_path / "duplicates.parquet"
    )
    store.clean()
    assert not list(tmp_path.glob("*/dead.parquet"))
    assert not (tmp_path / ".incoming").exists()
    assert pq.read_table(tmp_path / "duplicates.parquet")["batch_id"].to_pylist() == ["b1"]


def test_a_broken_manifest_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(Conflict, match="restore it or start a new store"):
        IntelligenceStore(tmp_path).manifest()
