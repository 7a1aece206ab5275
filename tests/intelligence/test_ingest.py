"""Reading advert files (CSV, JSON Lines, Parquet), row errors, and the ingest pipeline on a tiny
taxonomy with lexical matching (no embeddings)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from skillpass.app import SkillPass, build
from skillpass.errors import InvalidInput, TaxonomyNotLoaded
from skillpass.intelligence.ingest import read_chunks, write_adverts
from skillpass.intelligence.service import IntelligenceService
from skillpass.matching.service import MatchingService
from tests.conftest import make_settings
from tests.matching.conftest import OCC, SKILL, seed_tiny_taxonomy

ROWS: list[dict[str, Any]] = [
    {
        "id": "1",
        "source": "board-a",
        "posted": "2024-03-05",
        "country": "DE",
        "nuts": "DE21",
        "employer": "E1",
        "title": "software developer",
        "text": "We build web shops. You will write Python programming code. "
        "You know SQL and structured query language well.",
        "language": "en",
        "nace": "J",
        "isco": "",
        "salary": 60000,
        "remote": True,
    },
    {
        "id": "2",
        "source": "board-a",
        "posted": "2024-03-20",
        "country": "FR",
        "nuts": "",
        "employer": "E2",
        "title": "baker",
        "text": "Our bakery needs help. You bake bread every morning and make bread for "
        "our customers. Customer service matters.",
        "language": "en",
        "nace": "C",
        "isco": "7512",
        "salary": "",
        "remote": False,
    },
    {  # a cross-post of row 1
        "id": "77",
        "source": "board-b",
        "posted": "2024-03-06",
        "country": "DE",
        "nuts": "DE21",
        "employer": "E1",
        "title": "Software Developer",
        "text": "We build web shops! You will write Python programming code. "
        "You know SQL and structured query language well. Apply now.",
        "language": "en",
        "nace": "J",
        "isco": "",
        "salary": "",
        "remote": "yes",
    },
]
BAD = [
    {**ROWS[0], "id": "b1", "posted": "05/03/2024"},
    {**ROWS[0], "id": "b2", "country": "Germany"},
    {**ROWS[0], "id": "b3", "text": ""},
    {**ROWS[0], "id": "b4", "nuts": "FR10"},
    {**ROWS[0], "id": "b5", "salary": "lots"},
]


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    write_adverts(iter(rows), path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_every_format_reads_the_same_adverts(tmp_path: Path, suffix: str) -> None:
    path = _write(tmp_path / f"adverts{suffix}", ROWS)
    adverts = [a for chunk in read_chunks(path) for a in chunk.adverts]
    assert [a.advert_id for a in adverts] == ["board-a:1", "board-a:2", "board-b:77"]
    first = adverts[0]
    assert (first.country, first.nuts, first.isco, first.salary, first.remote) == (
        "DE",
        "DE21",
        None,
        60000.0,
        True,
    )
    assert adverts[1].nuts is None
    assert adverts[1].salary is None
    assert adverts[1].isco == "7512"
    assert adverts[2].remote is True


def test_bad_rows_are_reported_with_row_column_and_fix(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.csv", [ROWS[0], *BAD])
    chunks = list(read_chunks(path, chunk_rows=2))
    errors = [e for c in chunks for e in c.errors]
    assert sum(len(c.adverts) for c in chunks) == 1
    assert [(e.row, e.column) for e in errors] == [
        (2, "posted"),
        (3, "country"),
        (4, "text"),
        (5, "nuts"),
        (6, "salary"),
    ]
    assert "YYYY-MM-DD" in errors[0].message
    assert str(errors[0]).startswith("bad.csv, row 2, posted:")


def test_broken_csv_and_json_lines_are_row_errors(tmp_path: Path) -> None:
    csv_path = tmp_path / "short.csv"
    good = ",".join(
        f'"{ROWS[0][c]}"'
        for c in ["id", "source", "posted", "country", "employer", "title", "text"]
    )
    csv_path.write_text("id,source,posted,country,employer,title,text\n" + good + "\n1,2\n")
    errors = [e for c in read_chunks(csv_path) for e in c.errors]
    assert [(e.row, "fields" in e.message) for e in errors] == [(2, True)]
    jsonl = tmp_path / "broken.jsonl"
    jsonl.write_text(json.dumps(ROWS[0]) + "\n{not json\n[1, 2]\n" + json.dumps(ROWS[1]) + "\n")
    chunks = list(read_chunks(jsonl))
    assert sum(len(c.adverts) for c in chunks) == 2
    assert [e.row for c in chunks for e in c.errors] == [2, 3]


def test_missing_columns_and_unknown_types_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id,title\n1,x\n")
    with pytest.raises(InvalidInput, match="columns country, employer, posted, source, text"):
        list(read_chunks(path))
    with pytest.raises(InvalidInput, match=r"\.csv, \.jsonl"):
        list(read_chunks(_write(tmp_path / "a.xlsx.csv", ROWS).rename(tmp_path / "a.xlsx")))


# --- the pipeline --------------------------------------------------------------------------


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[tuple[SkillPass, IntelligenceService]]:
    app = build(make_settings(tmp_path))
    seed_tiny_taxonomy(app.engine)
    matching = MatchingService(app.engine, app.settings.data_dir, semantic=False)
    yield app, IntelligenceService(app.engine, app.settings.data_dir, matching, app.capabilities)
    app.close()


def test_ingest_writes_adverts_skills_cube_duplicates_and_manifest(
    tmp_path: Path, tiny: tuple[SkillPass, IntelligenceService]
) -> None:
    _, service = tiny
    store = tmp_path / "store"
    path = _write(tmp_path / "adverts.csv", [*ROWS, *BAD])
    report = service.ingest([path], store=store, mode="fast")
    assert (report.rows, report.rejected, report.crossposts, report.reposts) == (8, 5, 1, 0)
    assert report.adverts == 2
    assert len(report.errors) == 5
    adverts = pq.read_table(store / "adverts").to_pylist()
    assert {a["advert_id"] for a in adverts} == {"board-a:1", "board-a:2"}
    dev = next(a for a in adverts if a["advert_id"] == "board-a:1")
    assert dev["occupation_uri"] == OCC + "dev"
    assert dev["isco"] == "1234"  # filled from the occupation (the tiny taxonomy's ISCO)
    assert str(dev["month"]) == "2024-03-01"
    assert dev["batch_id"] == report.batch_id
    assert next(a for a in adverts if a["advert_id"] == "board-a:2")["isco"] == "7512"
    skills = pq.read_table(store / "advert_skills").to_pylist()
    assert {SKILL + "python", SKILL + "sql"} <= {
        s["skill_uri"] for s in skills if s["advert_id"] == "board-a:1"
    }
    assert SKILL + "bake" in {s["skill_uri"] for s in skills if s["advert_id"] == "board-a:2"}
    assert report.skill_rows == len(skills)
    cube = pq.read_table(store / "cube").to_pylist()
    assert sum(c["adverts"] for c in cube) == len(skills)
    duplicates = pq.read_table(store / "duplicates.parquet").to_pylist()
    assert [(d["advert_id"], d["duplicate_of"], d["reason"]) for d in duplicates] == [
        ("board-b:77", "board-a:1", "crosspost")
    ]
    manifest = json.loads((store / "manifest.json").read_text())
    batch = manifest["batches"][0]
    assert batch["id"] == report.batch_id
    assert batch["files"][0]["rows"] == 8
    assert batch["engine"]["esco"] == "test"
    assert batch["engine"]["matching_mode"] == "fast"
    assert (store / "skill_areas.parquet").exists()


def test_reingesting_a_file_is_skipped_and_a_repost_in_a_later_batch_is_found(
    tmp_path: Path, tiny: tuple[SkillPass, IntelligenceService]
) -> None:
    _, service = tiny
    store = tmp_path / "store"
    first = _write(tmp_path / "first.jsonl", ROWS[:2])
    service.ingest([first], store=store)
    again = service.ingest([first], store=store)
    assert again.batch_id is None
    assert again.skipped_files == [str(first)]
    repost = {**ROWS[1], "id": "3", "posted": "2024-04-20"}
    resent = ROWS[0]
    later = service.ingest([_write(tmp_path / "later.parquet", [repost, resent])], store=store)
    assert (later.reposts, later.resent, later.adverts) == (1, 1, 0)
    assert pq.read_table(store / "adverts").num_rows == 2
    manifest = json.loads((store / "manifest.json").read_text())
    assert len(manifest["batches"]) == 2


def test_ingest_needs_esco_and_a_known_mode(tmp_path: Path, skillpass: SkillPass) -> None:
    path = _write(tmp_path / "a.csv", ROWS)
    with pytest.raises(TaxonomyNotLoaded, match="skillpass taxonomy import"):
        skillpass.intelligence.ingest([path], store=tmp_path / "s")
    with pytest.raises(InvalidInput, match="fast or default"):
        skillpass.intelligence.ingest([path], store=tmp_path / "s", mode="turbo")


def test_a_missing_file_is_refused_before_anything_is_written(
    tmp_path: Path, tiny: tuple[SkillPass, IntelligenceService]
) -> None:
    good = _write(tmp_path / "a.csv", ROWS)
    with pytest.raises(InvalidInput, match="no such file"):
        tiny[1].ingest([good, tmp_path / "nope.csv"], store=tmp_path / "s")
    assert not (tmp_path / "s" / "manifest.json").exists()


def test_written_csv_keeps_text_with_commas_and_newlines(tmp_path: Path) -> None:
    rows = [{**ROWS[0], "text": 'Line one, with "quotes".\nLine two.'}]
    path = _write(tmp_path / "q.csv", rows)
    with path.open(newline="", encoding="utf-8") as handle:
        assert next(csv.DictReader(handle))["text"] == rows[0]["text"]
