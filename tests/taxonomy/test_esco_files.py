"""Reading an ESCO download: folder or zip, file recognition, encodings, columns, versions."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from skillpass.errors import TaxonomyImportError
from skillpass.taxonomy.esco_files import (
    BASE_COLUMNS,
    detect_version,
    open_download,
    split_labels,
)
from tests.taxonomy.conftest import zip_folder

SKILLS_HEADER = (
    "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,"
    "status,description\n"
)


def _skills_file(folder: Path, body: str, *, header: str = SKILLS_HEADER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "skills_en.csv"
    path.write_text(header + body, encoding="utf-8")
    return folder


def _read_skills(folder: Path) -> list[list[str]]:
    download = open_download(folder)
    return download.read_table(download.files["skills_en.csv"], BASE_COLUMNS["skills"]).rows


def test_folder_files_are_recognised_with_their_language(mini_esco_dir: Path) -> None:
    (mini_esco_dir / "notes.csv").write_text("a,b\n1,2\n")
    (mini_esco_dir / "occupations_de.csv").write_text("conceptUri,preferredLabel\n")

    download = open_download(mini_esco_dir)

    assert download.languages == ["en", "de"]
    assert download.files["skills_en.csv"].stem == "skills"
    assert download.files["ISCOGroups_en.csv"].lang == "en"
    assert download.ignored == ["notes.csv"]


@pytest.mark.parametrize("inner", [None, "ESCO dataset - v1.2.0 - classification - en - csv"])
def test_zip_reads_the_same_tables_as_the_folder(
    mini_esco_dir: Path, tmp_path: Path, inner: str | None
) -> None:
    archive = zip_folder(mini_esco_dir, tmp_path / "esco.zip", inner=inner)
    from_folder = open_download(mini_esco_dir)
    from_zip = open_download(archive)

    assert sorted(from_zip.files) == sorted(from_folder.files)
    name = "occupationSkillRelations_en.csv"
    columns = BASE_COLUMNS["occupationSkillRelations"]
    zipped = from_zip.read_table(from_zip.files[name], columns)
    plain = from_folder.read_table(from_folder.files[name], columns)
    assert zipped.rows == plain.rows
    assert from_zip.digests[name] == from_folder.digests[name]


def test_zip_with_csv_files_in_two_folders_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "mixed.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("a/skills_en.csv", SKILLS_HEADER)
        handle.writestr("b/occupations_en.csv", "conceptUri\n")

    with pytest.raises(TaxonomyImportError, match="several folders"):
        open_download(archive)


def test_zip_without_esco_files_is_refused_with_download_hint(tmp_path: Path) -> None:
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("data.csv", "a,b\n")

    with pytest.raises(TaxonomyImportError, match=r"no ESCO CSV file.*esco\.ec\.europa\.eu"):
        open_download(archive)


def test_a_file_that_is_neither_folder_nor_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "skills_en.csv"
    path.write_text(SKILLS_HEADER)

    with pytest.raises(TaxonomyImportError, match="neither a folder nor a zip"):
        open_download(path)


def test_missing_path_is_refused_with_download_hint(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyImportError, match=r"no such file or folder.*SKILLPASS_ESCO"):
        open_download(tmp_path / "nowhere")


def test_bad_encoding_names_file_and_line(tmp_path: Path) -> None:
    folder = _skills_file(tmp_path / "d", "")
    with (folder / "skills_en.csv").open("ab") as handle:
        handle.write("KnowledgeSkillCompetence,u1,knowledge,,café,,,released,x\n".encode("latin-1"))

    with pytest.raises(TaxonomyImportError, match=r"skills_en\.csv, line 2: not valid UTF-8"):
        _read_skills(folder)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    folder = _skills_file(tmp_path / "d", "", header="")

    with pytest.raises(TaxonomyImportError, match=r"skills_en\.csv: the file is empty"):
        _read_skills(folder)


def test_missing_column_is_named(tmp_path: Path) -> None:
    header = SKILLS_HEADER.replace("reuseLevel,", "")
    folder = _skills_file(tmp_path / "d", "", header=header)

    with pytest.raises(
        TaxonomyImportError, match=r"skills_en\.csv: missing column\(s\) reuseLevel"
    ):
        _read_skills(folder)


def test_semicolon_separated_file_reports_missing_columns(tmp_path: Path) -> None:
    folder = _skills_file(tmp_path / "d", "", header=SKILLS_HEADER.replace(",", ";"))

    with pytest.raises(TaxonomyImportError, match="missing column"):
        _read_skills(folder)


def test_broken_quoting_is_reported_as_invalid_csv(tmp_path: Path) -> None:
    folder = _skills_file(tmp_path / "d", 'K,u1,knowledge,,"open"quote,,,released,x\n')

    with pytest.raises(TaxonomyImportError, match=r"skills_en\.csv, line 2: not valid CSV"):
        _read_skills(folder)


def test_multiline_cells_bom_and_short_rows_are_read(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    body = 'K,u1,knowledge,,label,"one\n two \n\none",,released,desc\nK,u2,knowledge\n'
    (folder / "skills_en.csv").write_bytes(b"\xef\xbb\xbf" + (SKILLS_HEADER + body).encode())

    rows = _read_skills(folder)

    assert rows[0][5] == "one\n two \n\none"
    assert rows[1] == ["K", "u2", "knowledge", "", "", "", "", "", ""]


def test_split_labels_strips_drops_empty_and_duplicates() -> None:
    assert split_labels(" one\n two \n\none\r\n") == ["one", "two"]
    assert split_labels("") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("esco-v1.2.0-en", "1.2.0"),
        ("ESCO dataset - v1.1.1 - classification - de - csv", "1.1.1"),
        ("esco", None),
        ("esco-v1.0.x", None),
    ],
)
def test_version_is_detected_from_the_folder_name(
    tmp_path: Path, name: str, expected: str | None
) -> None:
    folder = _skills_file(tmp_path / name, "")

    assert detect_version(open_download(folder)) == expected


def test_version_is_detected_from_a_readme(tmp_path: Path) -> None:
    folder = _skills_file(tmp_path / "download", "")
    (folder / "README.md").write_text("# ESCO v1.2.0 classification, English, CSV\n")

    assert detect_version(open_download(folder)) == "1.2.0"


def test_version_is_detected_from_the_folder_inside_a_zip(mini_esco_nested_zip: Path) -> None:
    assert detect_version(open_download(mini_esco_nested_zip)) == "1.2.0"
