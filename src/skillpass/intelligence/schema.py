"""The job-advert input schema, the row check, the ingest report and the store's Parquet schemas.

An advert file (CSV with a header, JSON Lines, or Parquet) has these columns; names are matched
case-insensitively and the aliases in :data:`ALIASES` are accepted:

========== ======== ==== ==========================================================
column     type     req. meaning
========== ======== ==== ==========================================================
id         string   yes  the advert's id at its source (unique per source)
source     string   yes  where it was posted (job board, PES, company site)
posted     date     yes  posting date, ``YYYY-MM-DD`` (ISO 8601)
country    string   yes  ISO 3166-1 alpha-2 code (``EL`` is read as ``GR``)
nuts       string   no   NUTS 1-3 code of the workplace (``DE21``), must start with country
employer   string   yes  the employer's id (or name) at the source
title      string   yes  job title
text       string   yes  the advert's text (at most 100,000 characters are used)
language   string   no   ISO 639-1 code of the text; detected when empty
nace       string   no   NACE Rev. 2 section letter (``C``) or code (``C27.2``)
isco       string   no   ISCO-08 code, 1-4 digits; filled from the title when empty
salary     number   no   yearly gross salary in euro
remote     bool     no   ``true``/``false`` (also ``1``/``0``, ``yes``/``no``); default false
synthetic  bool     no   generated data; true also when ``source`` starts with ``synthetic``
========== ======== ==== ==========================================================

A row that breaks a rule becomes a :class:`RowError` (file, row number, column, what to fix);
it is counted and reported, never fatal. The layout of the store is documented in
``docs/intelligence.md`` and typed here (:data:`ADVERTS_SCHEMA` and the others).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ADVERTS_SCHEMA",
    "ADVERT_SKILLS_SCHEMA",
    "ALIASES",
    "COLUMNS",
    "CUBE_SCHEMA",
    "DUPLICATES_SCHEMA",
    "MAX_TEXT_CHARS",
    "REQUIRED",
    "SKILL_AREAS_SCHEMA",
    "TRUE_VALUES",
    "Advert",
    "IngestReport",
    "RowError",
    "check_row",
]

#: Input columns in documentation order.
COLUMNS = (
    "id",
    "source",
    "posted",
    "country",
    "nuts",
    "employer",
    "title",
    "text",
    "language",
    "nace",
    "isco",
    "salary",
    "remote",
    "synthetic",
)
REQUIRED = frozenset({"id", "source", "posted", "country", "employer", "title", "text"})
#: Other accepted column names.
ALIASES = {
    "advert_id": "id",
    "posting_date": "posted",
    "date": "posted",
    "employer_id": "employer",
    "description": "text",
    "lang": "language",
    "isco_code": "isco",
    "nace_code": "nace",
    "nuts_code": "nuts",
}
MAX_TEXT_CHARS = 100_000
_MAX_FIELD = 1_000
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
_LANG = re.compile(r"^[a-z]{2}$")
_NACE = re.compile(r"^[A-U](\d{2}(\.\d{1,2})?)?$")
_ISCO = re.compile(r"^\d{1,4}$")
TRUE_VALUES = frozenset({"true", "1", "yes", "y", "t"})
_TRUE = TRUE_VALUES
_FALSE = {"false", "0", "no", "n", "f", ""}


class RowError(BaseModel):
    """One rejected input row."""

    model_config = ConfigDict(frozen=True)

    file: str = Field(description="The file's name.")
    row: int = Field(description="Row number (1 = first data row; JSONL: line number).")
    column: str | None = Field(description="The offending column, if one.")
    message: str = Field(description="What is wrong and what to write instead.")

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class Advert(BaseModel):
    """A checked input advert (before deduplication and extraction)."""

    model_config = ConfigDict(frozen=True)

    id: str
    source: str
    posted: date
    country: str
    nuts: str | None
    employer: str
    title: str
    text: str
    language: str | None
    nace: str | None
    isco: str | None
    salary: float | None
    remote: bool
    synthetic: bool

    @property
    def advert_id(self) -> str:
        """The id in the store: ``source:id`` (ids are unique per source only)."""
        return f"{self.source}:{self.id}"


class _Invalid(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _text(raw: dict[str, Any], column: str, *, required: bool, limit: int = _MAX_FIELD) -> str:
    value = raw.get(column)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        value = ""
    value = str(value).strip()
    if required and not value:
        raise _Invalid(column, f"'{column}' is empty; every advert needs one.")
    if len(value) > limit:
        raise _Invalid(column, f"'{column}' is longer than {limit:,} characters; shorten it.")
    return value


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise _Invalid(
            "posted", f"'{text[:40]}' is not a date; write the posting date as YYYY-MM-DD."
        ) from None


def _bool(column: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Invalid(column, f"'{text[:20]}' is not true or false.")


def _salary(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _Invalid(
            "salary",
            f"'{str(value)[:20]}' is not a number; leave it empty or write "
            "the yearly gross salary in euro.",
        ) from None
    if math.isnan(number):
        return None
    if not 0 <= number < 10_000_000:
        raise _Invalid("salary", f"{number:g} is not a plausible yearly salary in euro.")
    return number


def _check(raw: dict[str, Any]) -> Advert:
    country = _text(raw, "country", required=True).upper()
    country = "GR" if country == "EL" else country
    if not _COUNTRY.match(country):
        raise _Invalid("country", f"'{country[:20]}' is not an ISO 3166 two-letter code (DE).")
    nuts = _text(raw, "nuts", required=False).upper() or None
    if nuts is not None:
        nuts = "GR" + nuts[2:] if nuts.startswith("EL") else nuts
        if not _NUTS.match(nuts) or not nuts.startswith(country):
            raise _Invalid(
                "nuts", f"'{nuts[:20]}' is not a NUTS code of {country} (e.g. {country}1)."
            )
    language = _text(raw, "language", required=False).lower() or None
    if language is not None and not _LANG.match(language):
        raise _Invalid("language", f"'{language[:20]}' is not an ISO 639-1 code (en, de).")
    nace = _text(raw, "nace", required=False).upper() or None
    if nace is not None and not _NACE.match(nace):
        raise _Invalid("nace", f"'{nace[:20]}' is not a NACE Rev. 2 section or code (C, C27.2).")
    isco = _text(raw, "isco", required=False) or None
    if isco is not None:
        isco = isco.removesuffix(".0")
        if not _ISCO.match(isco):
            raise _Invalid("isco", f"'{isco[:20]}' is not an ISCO-08 code of 1-4 digits.")
    source = _text(raw, "source", required=True, limit=200)
    text = _text(raw, "text", required=True, limit=10 * MAX_TEXT_CHARS)[:MAX_TEXT_CHARS]
    return Advert(
        id=_text(raw, "id", required=True, limit=200),
        source=source,
        posted=_date(raw.get("posted")),
        country=country,
        nuts=nuts,
        employer=_text(raw, "employer", required=True, limit=200),
        title=_text(raw, "title", required=True),
        text=text,
        language=language,
        nace=nace,
        isco=isco,
        salary=_salary(raw.get("salary")),
        remote=_bool("remote", raw.get("remote")),
        synthetic=_bool("synthetic", raw.get("synthetic"))
        or source.lower().startswith("synthetic"),
    )


def check_row(file: str, row: int, raw: dict[str, Any]) -> Advert | RowError:
    """Check one input row.

    Args:
        file: The file's name (for the error).
        row: The row number (for the error).
        raw: Column name (canonical, see :data:`ALIASES`) to value.

    Returns:
        The advert, or the first problem found in the row.
    """
    try:
        return _check(raw)
    except _Invalid as problem:
        return RowError(file=file, row=row, column=problem.column, message=problem.message)


class IngestReport(BaseModel):
    """What one ``ingest`` call did."""

    batch_id: str | None = Field(description="The new batch's id; null when nothing was new.")
    store: str = Field(description="The store folder.")
    mode: str = Field(description="Matching mode used for extraction: fast or default.")
    files: list[str] = Field(description="Files read in this batch.")
    skipped_files: list[str] = Field(
        default_factory=list, description="Files already ingested (same SHA-256), not read again."
    )
    rows: int = Field(0, description="Input rows read.")
    rejected: int = Field(0, description="Rows rejected by the schema check.")
    errors: list[RowError] = Field(
        default_factory=list, description="The first 100 rejected rows with what to fix."
    )
    reposts: int = Field(0, description="Re-posted adverts (same source) dropped as duplicates.")
    crossposts: int = Field(0, description="Adverts cross-posted on another source, dropped.")
    resent: int = Field(0, description="Adverts whose source:id was already stored, skipped.")
    adverts: int = Field(0, description="Adverts written (after deduplication).")
    skill_rows: int = Field(0, description="Advert × skill rows written.")
    occupations: int = Field(0, description="Adverts given an ESCO occupation from the title.")
    isco_filled: int = Field(0, description="Adverts whose missing ISCO came from the occupation.")
    seconds: float = Field(0.0, description="Wall time.")

    @property
    def duplicates(self) -> int:
        """Reposts and cross-posts together."""
        return self.reposts + self.crossposts


# --- the store's tables (contract with the indicators; docs/intelligence.md) -----------------

ADVERTS_SCHEMA = pa.schema(
    [
        ("advert_id", pa.string()),
        ("source", pa.string()),
        ("posted", pa.date32()),
        ("month", pa.date32()),
        ("country", pa.string()),
        ("nuts", pa.string()),
        ("employer_id", pa.string()),
        ("title", pa.string()),
        ("language", pa.string()),
        ("nace", pa.string()),
        ("isco", pa.string()),
        ("occupation_uri", pa.string()),
        ("remote", pa.bool_()),
        ("salary", pa.float64()),
        ("synthetic", pa.bool_()),
        ("batch_id", pa.string()),
    ]
)
ADVERT_SKILLS_SCHEMA = pa.schema(
    [
        ("advert_id", pa.string()),
        ("month", pa.date32()),
        ("country", pa.string()),
        ("nuts", pa.string()),
        ("employer_id", pa.string()),
        ("nace", pa.string()),
        ("isco", pa.string()),
        ("occupation_uri", pa.string()),
        ("skill_uri", pa.string()),
        ("skill_label", pa.string()),
        ("score", pa.float64()),
        ("synthetic", pa.bool_()),
        ("batch_id", pa.string()),
    ]
)
SKILL_AREAS_SCHEMA = pa.schema(
    [("skill_uri", pa.string()), ("area_id", pa.string()), ("tier", pa.string())]
)
DUPLICATES_SCHEMA = pa.schema(
    [
        ("advert_id", pa.string()),
        ("duplicate_of", pa.string()),
        ("reason", pa.string()),
        ("batch_id", pa.string()),
    ]
)
CUBE_SCHEMA = pa.schema(
    [
        ("month", pa.date32()),
        ("nuts", pa.string()),
        ("country", pa.string()),
        ("isco", pa.string()),
        ("nace", pa.string()),
        ("skill_uri", pa.string()),
        ("adverts", pa.int64()),
        ("batch_id", pa.string()),
    ]
)
