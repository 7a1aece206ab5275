"""A small hand-made store for the indicator tests, and a plain-Python reference of each count.

Two countries, two months a year apart (January 2023 and January 2024), four skills in three
capability areas. Cells are sized so that some pass the publication rule (≥ 10 adverts, ≥ 3
employers) and some fail it on either count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

PY = "http://data.europa.eu/esco/skill/python"
ML = "http://data.europa.eu/esco/skill/machine-learning"
BAT = "http://data.europa.eu/esco/skill/battery-cells"
WELD = "http://data.europa.eu/esco/skill/welding"
LABELS = {PY: "Python", ML: "machine learning", BAT: "battery cells", WELD: "welding"}
AREAS = {PY: "ai", ML: "ai", BAT: "batteries", WELD: "advanced_manufacturing"}
JAN23, JAN24 = date(2023, 1, 1), date(2024, 1, 1)


@dataclass(frozen=True)
class Advert:
    advert_id: str
    month: date
    country: str
    nuts: str | None
    employer_id: str
    nace: str | None
    isco: str
    skills: tuple[str, ...] = field(default=())


def _block(
    country: str,
    month: date,
    count: int,
    employers: int,
    rules: dict[str, Callable[[int], bool]],
) -> list[Advert]:
    out = []
    for i in range(count):
        skills = tuple(s for s, rule in rules.items() if rule(i))
        out.append(
            Advert(
                advert_id=f"{country}-{month:%Y%m}-{i:02d}",
                month=month,
                country=country,
                nuts=f"{country}1" if i % 2 == 0 else None,
                employer_id=f"{country.lower()}-emp{i % employers}",
                nace="C" if i % 3 else "J",
                isco="2511" if i < count // 2 else "7212",
                skills=skills,
            )
        )
    return out


def adverts() -> list[Advert]:
    """The dataset: 65 adverts (one without any skill)."""
    return [
        *_block(
            "DE",
            JAN23,
            20,
            5,
            {PY: lambda i: i < 12, BAT: lambda i: i < 4, WELD: lambda i: i >= 10},
        ),
        *_block(
            "DE",
            JAN24,
            20,
            5,
            {
                PY: lambda i: i < 16,
                ML: lambda i: 8 <= i < 14,
                BAT: lambda i: i < 12,
                WELD: lambda i: 14 <= i < 19,
            },
        ),
        *_block("FR", JAN23, 10, 2, {PY: lambda i: i < 5, WELD: lambda i: i >= 5}),
        *_block(
            "FR",
            JAN24,
            15,
            3,
            {PY: lambda i: i < 10, BAT: lambda i: i < 11, WELD: lambda i: i >= 7},
        ),
    ]


def write_store(folder: Path) -> Path:
    """Write the dataset in the store layout (docs/intelligence.md) and return the folder."""
    rows = adverts()
    (folder / "adverts").mkdir(parents=True)
    (folder / "advert_skills").mkdir(parents=True)
    advert_table = pa.table(
        {
            "advert_id": [a.advert_id for a in rows],
            "month": pa.array([a.month for a in rows], pa.date32()),
            "country": [a.country for a in rows],
            "nuts": pa.array([a.nuts for a in rows], pa.string()),
            "employer_id": [a.employer_id for a in rows],
            "nace": [a.nace for a in rows],
            "isco": [a.isco for a in rows],
            "synthetic": [False for _ in rows],
        }
    )
    pq.write_table(advert_table, folder / "adverts" / "part-0.parquet")
    pairs = [(a, s) for a in rows for s in a.skills]
    half = len(pairs) // 2
    for part, chunk in enumerate((pairs[:half], pairs[half:])):
        table = pa.table(
            {
                "advert_id": [a.advert_id for a, _ in chunk],
                "month": pa.array([a.month for a, _ in chunk], pa.date32()),
                "country": [a.country for a, _ in chunk],
                "nuts": pa.array([a.nuts for a, _ in chunk], pa.string()),
                "employer_id": [a.employer_id for a, _ in chunk],
                "nace": [a.nace for a, _ in chunk],
                "isco": [a.isco for a, _ in chunk],
                "skill_uri": [s for _, s in chunk],
                "skill_label": [LABELS[s] for _, s in chunk],
                "score": [0.9 for _ in chunk],
                "synthetic": [False for _ in chunk],
            }
        )
        pq.write_table(table, folder / "advert_skills" / f"part-{part}.parquet")
    pq.write_table(
        pa.table(
            {
                "skill_uri": list(AREAS),
                "area_id": list(AREAS.values()),
                "tier": ["core"] * len(AREAS),
            }
        ),
        folder / "skill_areas.parquet",
    )
    return folder
