"""Reading and checking the qualification data files shipped in ``qualifications/data``.

Files (described in ``docs/qualification-levels.md``):

- ``eqf_levels.yaml``: the 8 EQF levels, the QF-EHEA correspondence, ECTS facts, corrections;
- ``frameworks.yaml``: every EU/EEA country (plus CH and the UK), its data status and frameworks;
- ``nqf_eqf_referencing.csv``: one row per national level, referenced to an EQF level, with its
  certainty, note, source and any SkillPass correction.

A malformed file is a packaging bug, reported as :class:`~skillpass.errors.ConfigurationError`
naming the file and the row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from typing import Any, cast, get_args

import yaml

from skillpass.errors import ConfigurationError
from skillpass.qualifications.models import (
    Certainty,
    CountryFrameworks,
    EctsCycle,
    EctsFacts,
    EqfLevel,
    NationalFramework,
    NqfLevel,
)

__all__ = [
    "EQF_FILE",
    "FRAMEWORKS_FILE",
    "REFERENCING_COLUMNS",
    "REFERENCING_FILE",
    "QualificationData",
    "load_qualification_data",
]

EQF_FILE = "eqf_levels.yaml"
FRAMEWORKS_FILE = "frameworks.yaml"
REFERENCING_FILE = "nqf_eqf_referencing.csv"
REFERENCING_COLUMNS = (
    "framework_id",
    "nqf_level",
    "eqf_level",
    "certainty",
    "note",
    "source",
    "correction",
)


@dataclass(frozen=True)
class QualificationData:
    """Everything read from the data files, checked."""

    eqf_levels: tuple[EqfLevel, ...]
    ects: EctsFacts
    countries: tuple[CountryFrameworks, ...]
    aliases: dict[str, tuple[str, ...]]


def _read_text(name: str) -> str:
    return (resources.files("skillpass.qualifications") / "data" / name).read_text(encoding="utf-8")


def _fail(file: str, problem: str) -> ConfigurationError:
    return ConfigurationError(
        f"The qualification data file {file} is broken: {problem}. "
        "Fix the file (see docs/qualification-levels.md) or reinstall SkillPass.",
        details={"file": file},
    )


def _load_eqf(text: str) -> tuple[tuple[EqfLevel, ...], EctsFacts]:
    raw = yaml.safe_load(text)
    typical = {
        int(m["eqf_level"]): str(m["typical_ects"])
        for m in raw["qf_ehea_correspondence"]["mapping"]
    }
    try:
        levels = tuple(
            EqfLevel(
                level=entry["level"],
                knowledge=entry["knowledge"],
                skills=entry["skills"],
                responsibility_autonomy=entry["responsibility_autonomy"],
                qf_ehea_cycle=entry.get("qf_ehea_cycle"),
                typical_ects=typical.get(int(entry["level"])),
                sources=tuple(entry["sources"]),
            )
            for entry in raw["levels"]
        )
        ects_raw = raw["ects"]
        ects = EctsFacts(
            hours_per_credit_min=ects_raw["hours_per_credit_min"],
            hours_per_credit_max=ects_raw["hours_per_credit_max"],
            credits_per_academic_year=ects_raw["credits_per_academic_year"],
            hours_per_academic_year=ects_raw["hours_per_academic_year"],
            note=ects_raw["note"],
            cycles=tuple(EctsCycle(**cycle) for cycle in ects_raw["cycles"]),
            sources=tuple(ects_raw["sources"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise _fail(EQF_FILE, f"{type(error).__name__}: {error}") from error
    if sorted(level.level for level in levels) != list(range(1, 9)):
        raise _fail(EQF_FILE, "it must hold each EQF level 1-8 exactly once")
    return tuple(sorted(levels, key=lambda level: level.level)), ects


def _load_rows(text: str) -> dict[str, list[NqfLevel]]:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != REFERENCING_COLUMNS:
        raise _fail(REFERENCING_FILE, f"the columns must be {', '.join(REFERENCING_COLUMNS)}")
    rows: dict[str, list[NqfLevel]] = {}
    certainties = get_args(Certainty)
    for number, row in enumerate(reader, start=2):
        where = f"line {number}"
        if not row["source"].strip():
            raise _fail(REFERENCING_FILE, f"{where} has no source")
        if row["certainty"] not in certainties:
            raise _fail(REFERENCING_FILE, f"{where}: certainty must be one of {certainties}")
        try:
            level = NqfLevel(
                nqf_level=row["nqf_level"].strip(),
                eqf_level=int(row["eqf_level"]),
                certainty=cast(Certainty, row["certainty"]),
                note=row["note"].strip(),
                source=row["source"].strip(),
                correction=row["correction"].strip() or None,
            )
        except ValueError as error:
            raise _fail(REFERENCING_FILE, f"{where}: {error}") from error
        framework_rows = rows.setdefault(row["framework_id"], [])
        if any(existing.nqf_level == level.nqf_level for existing in framework_rows):
            raise _fail(REFERENCING_FILE, f"{where} repeats level {level.nqf_level}")
        framework_rows.append(level)
    return rows


def _load_countries(
    text: str, rows: dict[str, list[NqfLevel]]
) -> tuple[tuple[CountryFrameworks, ...], dict[str, tuple[str, ...]]]:
    raw: dict[str, Any] = yaml.safe_load(text)
    countries: list[CountryFrameworks] = []
    aliases: dict[str, tuple[str, ...]] = {}
    used: set[str] = set()
    try:
        for entry in raw["countries"]:
            frameworks = []
            for fw in entry.get("frameworks") or []:
                levels = rows.get(fw["id"])
                if not levels:
                    raise _fail(REFERENCING_FILE, f"framework {fw['id']} has no rows")
                used.add(fw["id"])
                frameworks.append(
                    NationalFramework(
                        framework_id=fw["id"],
                        country_code=entry["code"],
                        country=entry["name"],
                        name=fw["name"],
                        acronym=fw["acronym"],
                        scope=fw.get("scope"),
                        historic=bool(fw.get("historic", False)),
                        levels=tuple(levels),
                    )
                )
            countries.append(
                CountryFrameworks(
                    country_code=entry["code"],
                    country=entry["name"],
                    membership=entry["membership"],
                    status=entry["status"],
                    status_note=entry["status_note"],
                    default_framework=entry.get("default_framework"),
                    frameworks=tuple(frameworks),
                )
            )
            aliases[entry["code"]] = tuple(entry.get("aliases") or ())
    except (KeyError, TypeError, ValueError) as error:
        raise _fail(FRAMEWORKS_FILE, f"{type(error).__name__}: {error}") from error
    unknown = sorted(set(rows) - used)
    if unknown:
        raise _fail(REFERENCING_FILE, f"rows name unknown frameworks {', '.join(unknown)}")
    return tuple(countries), aliases


def load_qualification_data() -> QualificationData:
    """Read and check the three data files.

    Returns:
        The EQF levels, ECTS facts and countries with their frameworks.

    Raises:
        ConfigurationError: A file is missing or malformed (the message names it).
    """
    eqf_levels, ects = _load_eqf(_read_text(EQF_FILE))
    rows = _load_rows(_read_text(REFERENCING_FILE))
    countries, aliases = _load_countries(_read_text(FRAMEWORKS_FILE), rows)
    return QualificationData(eqf_levels=eqf_levels, ects=ects, countries=countries, aliases=aliases)
