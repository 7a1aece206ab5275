"""Vectorised advert × skill rows with planted trends, written in the store layout.

Mirrors the synthetic generator's ground truth (``skillpass.intelligence.synthetic``: planted
skills rise from 0.3 % to 5 % of adverts over 36 months, stable controls stay at 2 %) without
ESCO or extraction, so the emerging-skills test and the 10-million-row benchmark can make
millions of rows in seconds. Background skills follow a Zipf law: the long tail of rare skills
is exactly what makes a raw growth ratio unreliable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

SKILL = "http://data.europa.eu/esco/skill/synthetic-{:05d}"
COUNTRIES = ("DE", "FR", "IT", "ES", "PL", "NL", "BE", "SE", "AT", "CZ", "PT", "RO")
_COUNTRY_WEIGHTS = np.array([19, 13, 11, 10, 8, 4.5, 2.5, 2.5, 2, 2, 2, 4.5])
AREAS = ("ai", "batteries", "semiconductors", "cybersecurity", "green", "manufacturing")


@dataclass(frozen=True)
class Planted:
    """What was planted: the rising skills' URIs and the stable controls'."""

    rising: tuple[str, ...]
    stable: tuple[str, ...]
    rows: int
    adverts: int


def generate(
    folder: Path,
    *,
    adverts: int,
    seed: int = 7,
    months: int = 36,
    background_skills: int = 2000,
    skills_per_advert: float = 5.0,
    rising: int = 10,
    stable: int = 5,
    files: int = 4,
) -> Planted:
    """Write ``adverts/``, ``advert_skills/`` and ``skill_areas.parquet`` into ``folder``.

    Args:
        folder: The store folder (created).
        adverts: Number of adverts.
        seed: Random seed (same seed, same rows).
        months: Months from January 2022.
        background_skills: Size of the Zipf-distributed background vocabulary.
        skills_per_advert: Mean background skills per advert (Poisson).
        rising: Planted skills rising linearly from 0.3 % to 5 % of adverts.
        stable: Control skills at a constant 2 %.
        files: Parquet files per table (as after several ingest batches).

    Returns:
        The ground truth.
    """
    rng = np.random.default_rng(seed)
    month = rng.integers(0, months, adverts)
    # mild growth of the advert volume over time
    month = np.sort(np.minimum(months - 1, (month * rng.uniform(0.9, 1.1, adverts)).astype(int)))
    country = rng.choice(len(COUNTRIES), adverts, p=_COUNTRY_WEIGHTS / _COUNTRY_WEIGHTS.sum())
    employers = max(50, adverts // 20)
    employer = (rng.zipf(1.3, adverts) - 1) % employers
    isco = rng.integers(0, 40, adverts)
    nace = isco % 12

    # background: Zipf popularity over the vocabulary
    counts = rng.poisson(skills_per_advert, adverts)
    advert_idx = np.repeat(np.arange(adverts), counts)
    ranks = np.arange(1, background_skills + 1, dtype=float)
    p = 1.0 / ranks
    skill = rng.choice(background_skills, advert_idx.size, p=p / p.sum())
    pieces_a, pieces_s = [advert_idx], [skill]
    # planted rising skills and stable controls
    t = month / max(1, months - 1)
    for k in range(rising):
        share = 0.003 + (0.05 - 0.003) * t
        hit = rng.random(adverts) < share
        pieces_a.append(np.flatnonzero(hit))
        pieces_s.append(np.full(hit.sum(), background_skills + k))
    for k in range(stable):
        hit = rng.random(adverts) < 0.02
        pieces_a.append(np.flatnonzero(hit))
        pieces_s.append(np.full(hit.sum(), background_skills + rising + k))
    a_all = np.concatenate(pieces_a)
    s_all = np.concatenate(pieces_s)
    n_skills = background_skills + rising + stable
    pairs = np.unique(a_all.astype(np.int64) * n_skills + s_all)
    a_all, s_all = pairs // n_skills, pairs % n_skills

    month_dates = np.array(
        [np.datetime64(f"{2022 + m // 12}-{m % 12 + 1:02d}-01") for m in range(months)]
    )
    uris = pa.array([SKILL.format(k) for k in range(n_skills)], pa.string())
    labels = pa.array([f"synthetic skill {k}" for k in range(n_skills)], pa.string())
    countries = pa.array(COUNTRIES, pa.string())
    iscos = pa.array([f"{2100 + k * 10}" for k in range(40)], pa.string())
    naces = pa.array(list("ABCDEFGHIJKL"), pa.string())

    def dictionary(idx: np.ndarray, values: pa.Array) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(pa.array(idx.astype(np.int32)), values)

    def employer_ids(idx: np.ndarray) -> pa.Array:
        return pa.compute.binary_join_element_wise("emp-", pa.array(idx.astype(str)), "")

    advert_ids = pa.array(np.char.add("ad-", np.arange(adverts).astype(str)))
    (folder / "adverts").mkdir(parents=True, exist_ok=True)
    (folder / "advert_skills").mkdir(parents=True, exist_ok=True)
    for part, chunk in enumerate(np.array_split(np.arange(adverts), files)):
        pq.write_table(
            pa.table(
                {
                    "advert_id": advert_ids.take(pa.array(chunk)),
                    "month": pa.array(month_dates[month[chunk]], pa.date32()),
                    "country": dictionary(country[chunk], countries),
                    "nuts": dictionary(country[chunk], countries),
                    "employer_id": employer_ids(employer[chunk]),
                    "nace": dictionary(nace[chunk], naces),
                    "isco": dictionary(isco[chunk], iscos),
                    "synthetic": pa.array(np.ones(chunk.size, bool)),
                }
            ),
            folder / "adverts" / f"part-{part}.parquet",
        )
    for part, chunk in enumerate(np.array_split(np.arange(a_all.size), files)):
        a = a_all[chunk]
        s = s_all[chunk]
        pq.write_table(
            pa.table(
                {
                    "advert_id": advert_ids.take(pa.array(a)),
                    "month": pa.array(month_dates[month[a]], pa.date32()),
                    "country": dictionary(country[a], countries),
                    "nuts": dictionary(country[a], countries),
                    "employer_id": employer_ids(employer[a]),
                    "nace": dictionary(nace[a], naces),
                    "isco": dictionary(isco[a], iscos),
                    "skill_uri": dictionary(s, uris),
                    "skill_label": dictionary(s, labels),
                    "score": pa.array(np.full(a.size, 0.9)),
                    "synthetic": pa.array(np.ones(a.size, bool)),
                }
            ),
            folder / "advert_skills" / f"part-{part}.parquet",
        )
    pq.write_table(
        pa.table(
            {
                "skill_uri": uris,
                "area_id": pa.array([AREAS[k % len(AREAS)] for k in range(n_skills)]),
                "tier": pa.array(["core"] * n_skills),
            }
        ),
        folder / "skill_areas.parquet",
    )
    return Planted(
        rising=tuple(SKILL.format(background_skills + k) for k in range(rising)),
        stable=tuple(SKILL.format(background_skills + rising + k) for k in range(stable)),
        rows=int(a_all.size),
        adverts=adverts,
    )
