"""Reading and validating an official ESCO CSV download (a folder or its ``.zip``), any language.

An ESCO download is a set of CSV files named ``<stem>_<lang>.csv`` — ``skills_en.csv``,
``occupations_de.csv`` … — in UTF-8, with a header row and multi-line quoted cells (alternative and
hidden labels hold one label per line). A ``.zip`` may hold them at its top level or inside one
folder. This module finds the files, checks names, encodings and columns, and hands back parsed
tables; it knows nothing of the database (see :mod:`skillpass.taxonomy.importer`).

Reference: https://esco.ec.europa.eu/en/use-esco/download (format "CSV", type "classification").
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from skillpass.errors import TaxonomyImportError

__all__ = [
    "BASE_LANGUAGE",
    "COLLECTIONS",
    "LABEL_STEMS",
    "REQUIRED_BASE_STEMS",
    "CsvTable",
    "EscoDownload",
    "EscoFile",
    "detect_version",
    "open_download",
    "split_labels",
]

#: The language whose download creates the concepts; other languages only add labels.
BASE_LANGUAGE = "en"

#: Where to get an ESCO download; quoted in error messages.
DOWNLOAD_HINT = (
    "Download it from https://esco.ec.europa.eu/en/use-esco/download (type 'classification', "
    "format 'CSV'), then run `skillpass taxonomy import PATH` or set SKILLPASS_ESCO=PATH."
)

#: Collection files and the name each gets in ``concept_collections.collection``.
COLLECTIONS: dict[str, str] = {
    "digitalSkillsCollection": "digital",
    "greenSkillsCollection": "green",
    "researchSkillsCollection": "research",
    "researchOccupationsCollection": "research_occ",
    "transversalSkillsCollection": "transversal",
    "languageSkillsCollection": "language",
    "digCompSkillsCollection": "digcomp",
}

#: Columns each file must have in a base (English) import. Extra columns are ignored.
BASE_COLUMNS: dict[str, tuple[str, ...]] = {
    "skills": (
        "conceptUri",
        "skillType",
        "reuseLevel",
        "preferredLabel",
        "altLabels",
        "hiddenLabels",
        "description",
    ),
    "skillGroups": ("conceptUri", "preferredLabel", "altLabels", "description", "code"),
    "skillsHierarchy": ("Level 0 URI", "Level 1 URI", "Level 2 URI", "Level 3 URI"),
    "broaderRelationsSkillPillar": ("conceptUri", "broaderUri"),
    "broaderRelationsOccPillar": ("conceptUri", "broaderUri"),
    "occupations": (
        "conceptUri",
        "iscoGroup",
        "preferredLabel",
        "altLabels",
        "hiddenLabels",
        "regulatedProfessionNote",
        "description",
        "code",
    ),
    "ISCOGroups": ("conceptUri", "code", "preferredLabel", "description"),
    "occupationSkillRelations": ("occupationUri", "relationType", "skillUri"),
    "skillSkillRelations": ("originalSkillUri", "relationType", "relatedSkillUri"),
    **dict.fromkeys(COLLECTIONS, ("conceptUri",)),
}

#: Every file a base import needs (``conceptSchemes`` is optional and not imported).
REQUIRED_BASE_STEMS: tuple[str, ...] = tuple(BASE_COLUMNS)

#: Files that carry labels; in another language only these are read.
LABEL_STEMS: tuple[str, ...] = ("skills", "occupations", "skillGroups", "ISCOGroups")

#: Columns a label file must have in a labels import (altLabels etc. are read when present).
LABEL_COLUMNS: tuple[str, ...] = ("conceptUri", "preferredLabel")

_OPTIONAL_STEMS = ("conceptSchemes",)
_KNOWN_STEMS = {stem.lower(): stem for stem in (*REQUIRED_BASE_STEMS, *_OPTIONAL_STEMS)}
_FILE_NAME = re.compile(r"^(?P<stem>[A-Za-z]+)_(?P<lang>[a-z]{2,3}(?:-[a-z]{2})?)\.csv$", re.I)
_VERSION = re.compile(r"(?<![0-9A-Za-z])v(?P<version>\d+\.\d+\.\d+)(?![0-9])", re.I)
#: Refuse zip members larger than this (uncompressed): ESCO's largest file is ~100 MB.
MAX_FILE_BYTES = 1024 * 1024 * 1024
_CSV_FIELD_LIMIT = 256 * 1024 * 1024


@dataclass(frozen=True)
class EscoFile:
    """One recognised CSV file of a download.

    Attributes:
        name: The file name, e.g. ``skills_en.csv``.
        stem: The canonical ESCO name without language, e.g. ``skills``.
        lang: The language code from the suffix, e.g. ``en``.
        member: Where it is: a path in the folder, or the member name in the zip.
    """

    name: str
    stem: str
    lang: str
    member: str


@dataclass
class CsvTable:
    """A parsed CSV file: the header, the data rows and where each row ends in the file.

    Attributes:
        name: The file name (for messages).
        header: Column names, stripped.
        rows: Data rows, each as long as the header (short rows are padded with "").
        lines: The line number on which each row ends (multi-line cells span several lines).
    """

    name: str
    header: list[str]
    rows: list[list[str]]
    lines: list[int]

    def index(self, column: str) -> int | None:
        """Position of ``column`` in the header, or None when absent."""
        try:
            return self.header.index(column)
        except ValueError:
            return None

    def require(self, column: str) -> int:
        """Position of ``column``; the caller has already validated that it exists."""
        position = self.index(column)
        if position is None:  # pragma: no cover - columns are validated on read
            raise TaxonomyImportError(f"{self.name}: column '{column}' is missing.")
        return position

    def fail(self, row_number: int, problem: str) -> TaxonomyImportError:
        """An error naming the file, the line of row ``row_number`` and the problem."""
        line = self.lines[row_number] if row_number < len(self.lines) else "?"
        return TaxonomyImportError(
            f"{self.name}, line {line}: {problem}. Fix the file or download it again.",
            details={"file": self.name, "line": line},
        )


@dataclass
class EscoDownload:
    """An opened ESCO download (folder or zip) with its recognised files.

    Use :func:`open_download` to create one. Each file is read at most once; its SHA-256 is kept
    so the importer can tell whether the same content was imported before.

    Attributes:
        source: The folder or zip given by the user.
        files: Recognised files by name.
        ignored: CSV files that are not part of an ESCO download (not imported).
        container_name: Name of the folder holding the files (for version detection).
        readme: Text of a README next to the files, if any.
    """

    source: Path
    files: dict[str, EscoFile]
    ignored: list[str] = field(default_factory=list)
    container_name: str = ""
    readme: str | None = None
    digests: dict[str, str] = field(default_factory=dict)

    @property
    def languages(self) -> list[str]:
        """Languages present, base language first."""
        found = {f.lang for f in self.files.values()}
        return sorted(found, key=lambda lang: (lang != BASE_LANGUAGE, lang))

    def find(self, stem: str, lang: str) -> EscoFile | None:
        """The file ``<stem>_<lang>.csv``, if present."""
        for esco_file in self.files.values():
            if esco_file.stem == stem and esco_file.lang == lang:
                return esco_file
        return None

    def missing(self, stems: Iterable[str], lang: str) -> list[str]:
        """File names from ``stems`` that are absent in ``lang``."""
        return [f"{stem}_{lang}.csv" for stem in stems if self.find(stem, lang) is None]

    def checksum(self, names: Iterable[str]) -> str:
        """SHA-256 over the names and contents of files already read (order-independent)."""
        digest = hashlib.sha256()
        for name in sorted(names):
            digest.update(f"{name}\0{self.digests[name]}\n".encode())
        return digest.hexdigest()

    def _read_bytes(self, esco_file: EscoFile) -> bytes:
        if self.source.is_dir():
            return Path(esco_file.member).read_bytes()
        with zipfile.ZipFile(self.source) as archive, archive.open(esco_file.member) as handle:
            return handle.read(MAX_FILE_BYTES + 1)

    def read_table(self, esco_file: EscoFile, required: Iterable[str]) -> CsvTable:
        """Read, decode and parse one file, checking it has the ``required`` columns.

        Args:
            esco_file: The file to read.
            required: Column names that must be in the header.

        Returns:
            The parsed table.

        Raises:
            TaxonomyImportError: The file cannot be read, is not UTF-8, is empty, is not valid
                CSV, or lacks a column.
        """
        name = esco_file.name
        try:
            data = self._read_bytes(esco_file)
        except (OSError, zipfile.BadZipFile, RuntimeError) as error:
            raise TaxonomyImportError(
                f"{name}: cannot be read ({error}). Check the file or download it again.",
                details={"file": name},
            ) from error
        if len(data) > MAX_FILE_BYTES:
            raise TaxonomyImportError(f"{name}: larger than 1 GiB; this is not an ESCO file.")
        self.digests[name] = hashlib.sha256(data).hexdigest()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise TaxonomyImportError(
                f"{name}, line {line}: not valid UTF-8 ({error.reason}). ESCO files are UTF-8: "
                "download the CSV again instead of saving it from a spreadsheet program.",
                details={"file": name, "line": line},
            ) from error
        return _parse_csv(name, text, tuple(required))


def _parse_csv(name: str, text: str, required: tuple[str, ...]) -> CsvTable:
    if not text.strip():
        raise TaxonomyImportError(
            f"{name}: the file is empty. Download the ESCO CSV again.", details={"file": name}
        )
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)  # conceptSchemes cells exceed the 128 KiB default
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [column.strip() for column in next(reader)]
        missing = [column for column in required if column not in header]
        if missing:
            raise TaxonomyImportError(
                f"{name}: missing column(s) {', '.join(missing)}; found "
                f"{', '.join(header[:12]) or 'none'}. Is this an official ESCO CSV download "
                "(comma-separated, with its header row)?",
                details={"file": name, "missing_columns": missing},
            )
        width = len(header)
        rows: list[list[str]] = []
        lines: list[int] = []
        for row in reader:
            if len(row) != width:
                if not any(cell.strip() for cell in row):
                    continue  # blank line
                # Official files omit trailing empty cells (skillsHierarchy): pad them.
                row = row[:width] if len(row) > width else row + [""] * (width - len(row))
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as error:
        raise TaxonomyImportError(
            f"{name}, line {reader.line_num}: not valid CSV ({error}). Download the file again.",
            details={"file": name, "line": reader.line_num},
        ) from error
    return CsvTable(name=name, header=header, rows=rows, lines=lines)


def split_labels(cell: str) -> list[str]:
    """The labels in a multi-line ``altLabels``/``hiddenLabels`` cell: stripped, non-empty, once.

    Args:
        cell: The cell text; ESCO puts one label per line.

    Returns:
        The labels in file order without duplicates.
    """
    if not cell:
        return []
    seen: dict[str, None] = {}
    for part in cell.split("\n"):
        label = part.strip()
        if label:
            seen.setdefault(label, None)
    return list(seen)


def _classify(names: Iterable[tuple[str, str]]) -> tuple[dict[str, EscoFile], list[str]]:
    files: dict[str, EscoFile] = {}
    ignored: list[str] = []
    for name, member in names:
        match = _FILE_NAME.match(name)
        stem = _KNOWN_STEMS.get(match.group("stem").lower()) if match else None
        if match is None or stem is None:
            if name.lower().endswith(".csv"):
                ignored.append(name)
            continue
        lang = match.group("lang").lower()
        files[name] = EscoFile(name=name, stem=stem, lang=lang, member=member)
    return files, sorted(ignored)


def _open_folder(path: Path) -> EscoDownload:
    entries = [(p.name, str(p)) for p in sorted(path.iterdir()) if p.is_file()]
    files, ignored = _classify(entries)
    readme = next((p for p in sorted(path.iterdir()) if p.name.lower().startswith("readme")), None)
    text = _read_readme(readme.read_bytes()) if readme is not None and readme.is_file() else None
    return EscoDownload(
        source=path, files=files, ignored=ignored, container_name=path.name, readme=text
    )


def _read_readme(data: bytes) -> str | None:
    return data[:200_000].decode("utf-8", errors="replace")


def _open_zip(path: Path) -> EscoDownload:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [
                info
                for info in archive.infolist()
                if not info.is_dir() and not info.filename.startswith("__MACOSX/")
            ]
            csv_infos = [i for i in infos if i.filename.lower().endswith(".csv")]
            folders = {str(PurePosixPath(i.filename).parent) for i in csv_infos}
            if len(folders) > 1:
                raise TaxonomyImportError(
                    f"{path.name}: CSV files are spread over several folders "
                    f"({', '.join(sorted(folders)[:5])}). An ESCO zip holds them at its top level "
                    "or inside one folder; unpack it and import the folder that holds them.",
                    details={"file": path.name},
                )
            for info in csv_infos:
                if info.file_size > MAX_FILE_BYTES:
                    raise TaxonomyImportError(
                        f"{path.name}: {info.filename} unpacks to more than 1 GiB; "
                        "this is not an ESCO download.",
                        details={"file": path.name},
                    )
            folder = folders.pop() if folders else "."
            entries = [(PurePosixPath(i.filename).name, i.filename) for i in csv_infos]
            files, ignored = _classify(entries)
            readme_info = next(
                (
                    i
                    for i in infos
                    if str(PurePosixPath(i.filename).parent) == folder
                    and PurePosixPath(i.filename).name.lower().startswith("readme")
                ),
                None,
            )
            readme = _read_readme(archive.read(readme_info)) if readme_info is not None else None
    except (zipfile.BadZipFile, OSError) as error:
        raise TaxonomyImportError(
            f"{path.name}: not a readable zip file ({error}). {DOWNLOAD_HINT}",
            details={"file": path.name},
        ) from error
    container = path.stem if folder == "." else PurePosixPath(folder).name
    return EscoDownload(
        source=path, files=files, ignored=ignored, container_name=container, readme=readme
    )


def open_download(path: Path) -> EscoDownload:
    """Open an ESCO download and check that it holds ESCO files.

    Args:
        path: A folder of ESCO CSV files, or a ``.zip`` holding them (at its top level or in one
            folder).

    Returns:
        The download with its recognised files; nothing is read yet.

    Raises:
        TaxonomyImportError: The path does not exist, is not a folder or zip, or holds no ESCO
            CSV file.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise TaxonomyImportError(
            f"{path}: no such file or folder. {DOWNLOAD_HINT}", details={"file": str(path)}
        )
    if path.is_dir():
        download = _open_folder(path)
    elif zipfile.is_zipfile(path):
        download = _open_zip(path)
    else:
        raise TaxonomyImportError(
            f"{path.name}: neither a folder nor a zip file. {DOWNLOAD_HINT}",
            details={"file": str(path)},
        )
    if not download.files:
        raise TaxonomyImportError(
            f"{path.name}: no ESCO CSV file found (expected names like skills_en.csv, "
            f"occupations_de.csv). {DOWNLOAD_HINT}",
            details={"file": str(path)},
        )
    return download


def detect_version(download: EscoDownload) -> str | None:
    """The ESCO version named by the download, e.g. ``1.2.0`` for ``esco-v1.2.0-en``.

    Looks at the folder or zip name, then at the folder inside the zip, then at a README next to
    the files.

    Args:
        download: An opened download.

    Returns:
        The version without the ``v``, or None when nothing names one.
    """
    for candidate in (download.source.name, download.container_name, download.readme or ""):
        match = _VERSION.search(candidate)
        if match:
            return match.group("version")
    return None
