"""Streaming readers of advert files (CSV, JSON Lines, Parquet) and the row check per chunk.

Files are read in chunks of :data:`CHUNK_ROWS` rows, so a file of any size goes through in
bounded memory. Column names are matched case-insensitively (with the aliases of
:data:`skillpass.intelligence.schema.ALIASES`); a bad row becomes a
:class:`~skillpass.intelligence.schema.RowError`, never an exception.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillpass.errors import InvalidInput
from skillpass.intelligence.schema import (
    ALIASES,
    COLUMNS,
    REQUIRED,
    Advert,
    RowError,
    check_row,
)
from skillpass.intelligence.schema import (
    TRUE_VALUES as _TRUE,
)

__all__ = [
    "CHUNK_ROWS",
    "FORMATS",
    "Chunk",
    "file_format",
    "file_sha256",
    "read_chunks",
    "write_adverts",
]

CHUNK_ROWS = 2_000
FORMATS = ("csv", "jsonl", "parquet")
_SUFFIXES = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}


@dataclass
class Chunk:
    """Checked rows of one chunk of one file."""

    adverts: list[Advert] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Rows read in the chunk."""
        return len(self.adverts) + len(self.errors)


def file_format(path: Path) -> str:
    """The format of an advert file, from its suffix (``.csv.gz`` is not supported).

    Raises:
        InvalidInput: An unknown suffix.
    """
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InvalidInput(
            f"{path.name}: unknown file type; use .csv, .jsonl (JSON Lines) or .parquet."
        )
    return kind


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes (read in blocks)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _canonical(names: list[str], file: str) -> dict[str, str]:
    """Map each input column to its canonical name (unknown columns are ignored)."""
    mapping: dict[str, str] = {}
    for name in names:
        key = name.strip().lower()
        key = ALIASES.get(key, key)
        if key in COLUMNS and key not in mapping.values():
            mapping[name] = key
    missing = sorted(REQUIRED - set(mapping.values()))
    if missing:
        raise InvalidInput(
            f"{file}: the columns {', '.join(missing)} are missing. An advert file needs "
            f"{', '.join(c for c in COLUMNS if c in REQUIRED)} (see docs/intelligence.md)."
        )
    return mapping


def _chunk(file: str, rows: list[tuple[int, dict[str, Any]]]) -> Chunk:
    chunk = Chunk()
    for number, raw in rows:
        checked = check_row(file, number, raw)
        if isinstance(checked, Advert):
            chunk.adverts.append(checked)
        else:
            chunk.errors.append(checked)
    return chunk


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as error:
            raise InvalidInput(
                f"{path.name}: the header cannot be read as CSV ({error})."
            ) from None
        mapping = _canonical(header, path.name)
        positions = [(i, mapping[name]) for i, name in enumerate(header) if name in mapping]
        number = 0
        while True:
            number += 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as error:
                yield (
                    number,
                    RowError(
                        file=path.name, row=number, column=None, message=f"not valid CSV ({error})."
                    ),
                )
                continue
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                yield (
                    number,
                    RowError(
                        file=path.name,
                        row=number,
                        column=None,
                        message=f"{len(values)} fields where the header has {len(header)}; "
                        "quote fields that hold commas.",
                    ),
                )
                continue
            yield number, {key: values[i] for i, key in positions}


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    mapping: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                yield (
                    number,
                    RowError(
                        file=path.name,
                        row=number,
                        column=None,
                        message=f"not valid JSON ({error.msg}); write one JSON object per line.",
                    ),
                )
                continue
            if not isinstance(value, dict):
                yield (
                    number,
                    RowError(
                        file=path.name,
                        row=number,
                        column=None,
                        message="write a JSON object per line.",
                    ),
                )
                continue
            for name in value:
                if name not in mapping:
                    key = ALIASES.get(name.strip().lower(), name.strip().lower())
                    mapping[name] = key
            yield number, {mapping[name]: v for name, v in value.items()}


def _parquet_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises several types for a bad file
        raise InvalidInput(f"{path.name}: not a readable Parquet file ({error}).") from None
    mapping = _canonical(parquet.schema_arrow.names, path.name)
    number = 0
    for batch in parquet.iter_batches(batch_size=CHUNK_ROWS, columns=list(mapping)):
        columns = {mapping[name]: batch.column(name).to_pylist() for name in mapping}
        for i in range(batch.num_rows):
            number += 1
            yield number, {key: values[i] for key, values in columns.items()}


def read_chunks(path: Path, chunk_rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
    """Read an advert file in chunks of checked rows.

    Args:
        path: A ``.csv``, ``.jsonl`` or ``.parquet`` file.
        chunk_rows: Rows per chunk.

    Yields:
        Chunks of adverts and row errors, in file order.

    Raises:
        InvalidInput: The file is missing, of an unknown type, or lacks required columns.
    """
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file; give the path of an advert file.")
    kind = file_format(path)
    reader = {"csv": _csv_rows, "jsonl": _jsonl_rows, "parquet": _parquet_rows}[kind]
    pending: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    for number, row in reader(path):
        if isinstance(row, RowError):
            errors.append(row)
        else:
            pending.append((number, row))
        if len(pending) + len(errors) >= chunk_rows:
            chunk = _chunk(path.name, pending)
            chunk.errors = errors + chunk.errors
            yield chunk
            pending, errors = [], []
    if pending or errors:
        chunk = _chunk(path.name, pending)
        chunk.errors = errors + chunk.errors
        yield chunk


def write_adverts(rows: Iterator[dict[str, Any]], path: Path, fmt: str | None = None) -> int:
    """Write advert rows (input schema) to a CSV, JSON Lines or Parquet file, streaming.

    Args:
        rows: Rows with the columns of :data:`~skillpass.intelligence.schema.COLUMNS`.
        path: The file to write (its folder is created).
        fmt: ``csv``, ``jsonl`` or ``parquet``; from the suffix when omitted.

    Returns:
        Rows written.

    Raises:
        InvalidInput: An unknown format.
    """
    kind = fmt or file_format(path)
    if kind not in FORMATS:
        raise InvalidInput(f"Unknown format {kind!r}; use csv, jsonl or parquet.")
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    if kind == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema(
            [
                (c, pa.float64() if c == "salary" else pa.bool_() if c in _BOOLS else pa.string())
                for c in COLUMNS
            ]
        )
        with pq.ParquetWriter(path, schema, compression="zstd") as writer:
            batch: list[dict[str, Any]] = []
            for row in rows:
                batch.append(_parquet_row(row))
                if len(batch) == 10_000:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    written += len(batch)
                    batch = []
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                written += len(batch)
        return written
    with path.open("w", encoding="utf-8", newline="") as handle:
        if kind == "csv":
            writer_csv = csv.DictWriter(handle, fieldnames=list(COLUMNS), extrasaction="ignore")
            writer_csv.writeheader()
            for row in rows:
                writer_csv.writerow(
                    {
                        k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v)
                        for k, v in row.items()
                    }
                )
                written += 1
        else:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                written += 1
    return written


_BOOLS = frozenset({"remote", "synthetic"})


def _parquet_row(row: dict[str, Any]) -> dict[str, Any]:
    """Values typed for the Parquet columns (salary a number, flags booleans, the rest text)."""
    typed: dict[str, Any] = {}
    for column in COLUMNS:
        value = row.get(column)
        if value is None or value == "":
            typed[column] = False if column in _BOOLS else None
        elif column == "salary":
            typed[column] = float(value)
        elif column in _BOOLS:
            typed[column] = value if isinstance(value, bool) else str(value).lower() in _TRUE
        else:
            typed[column] = str(value)
    return typed
