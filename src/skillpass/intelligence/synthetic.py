"""A deterministic synthetic job-advert generator with known ground truth (demos, benchmarks).

Every advert is written from a real ESCO occupation profile: the title is the occupation's
preferred label (sometimes with a seniority or a gender suffix), the text composes sentences from
four to seven of its essential skills and up to three optional ones (English, ``language=en``).
Countries follow the EU labour force, regions are real NUTS 2 codes, the NACE section follows the
occupation's ISCO major group, employers are invented (a few large, many small: Zipf), and the 36
months have a mild growth and seasonality. Everything is labelled synthetic (``synthetic=true``,
``source`` = ``synthetic:<board>``).

Known ground truth, written beside the adverts (``*.truth.json``):

- **Planted trends**: named ESCO skills (batteries, AI) whose share of adverts rises from
  about 0.3 % to 5 % over the period, more in their sectors; *stable* control skills keep a
  constant share. The indicators' emerging-skills list should recover the rising ones
  (precision@10).
- **Duplicates**: re-posts (same board, 2-8 weeks later, the closing line changed) and
  cross-posts (another board, 0-5 days later, a board header and reference added) of earlier
  adverts, with the advert they copy.

Nothing here touches storage: the service hands in the occupation profiles and writes the rows.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

__all__ = [
    "EMERGING",
    "EMERGING_END",
    "EMERGING_START",
    "STABLE",
    "STABLE_SHARE",
    "GeneratorTruth",
    "OccupationProfile",
    "PlantedSkill",
    "ProfileSkill",
    "generate_adverts",
]

_T = TypeVar("_T")


@dataclass(frozen=True)
class ProfileSkill:
    """An ESCO skill of an occupation profile."""

    uri: str
    label: str
    knowledge: bool = False


@dataclass(frozen=True)
class OccupationProfile:
    """An ESCO occupation and its skills."""

    uri: str
    label: str
    isco_group: str | None
    essential: tuple[ProfileSkill, ...]
    optional: tuple[ProfileSkill, ...]


@dataclass(frozen=True)
class PlantedSkill:
    """A skill whose share is planted: ``start`` -> ``end`` share of adverts over the period."""

    skill: ProfileSkill
    theme: str
    start: float
    end: float
    sectors: frozenset[str]


#: Rising skills (English ESCO preferred labels) by theme, and the sectors they concentrate in.
EMERGING: Mapping[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "batteries": (
        (
            "battery chemistry",
            "battery management systems",
            "battery components",
            "assemble batteries",
            "operate battery test equipment",
        ),
        frozenset({"C", "D", "F"}),
    ),
    "artificial_intelligence": (
        (
            "machine learning",
            "principles of artificial intelligence",
            "artificial neural networks",
            "utilise machine learning",
            "deep learning",
        ),
        frozenset({"J", "M", "K"}),
    ),
}
#: Control skills planted at a constant share (they must not come out as emerging).
STABLE: tuple[str, ...] = ("cyber security", "photovoltaic systems", "quantum computing")

EMERGING_START = 0.003
EMERGING_END = 0.05
STABLE_SHARE = 0.02
_REPOST_RATE = 0.07
_CROSSPOST_RATE = 0.05
BOARDS = ("board-a", "board-b", "board-c")
_BOARD_WEIGHTS = (0.5, 0.3, 0.2)


@dataclass(frozen=True)
class _Country:
    code: str
    name: str
    weight: float  # share of the EU labour force, roughly (percent)
    salary: float  # typical yearly gross salary level, euro
    regions: tuple[tuple[str, str], ...]  # NUTS 2 code, place name
    suffix: str  # company legal form


COUNTRIES: tuple[_Country, ...] = (
    _Country(
        "DE",
        "Germany",
        19,
        52000,
        (
            ("DE11", "Stuttgart"),
            ("DE21", "Munich"),
            ("DE30", "Berlin"),
            ("DE60", "Hamburg"),
            ("DEA1", "Düsseldorf"),
            ("DE71", "Darmstadt"),
            ("DED2", "Dresden"),
        ),
        "GmbH",
    ),
    _Country(
        "FR",
        "France",
        14,
        42000,
        (
            ("FR10", "Paris"),
            ("FRK2", "Lyon"),
            ("FRL0", "Marseille"),
            ("FRI1", "Bordeaux"),
            ("FRJ2", "Toulouse"),
            ("FRE1", "Lille"),
        ),
        "SAS",
    ),
    _Country(
        "IT",
        "Italy",
        11,
        33000,
        (
            ("ITC4", "Milan"),
            ("ITI4", "Rome"),
            ("ITF3", "Naples"),
            ("ITC1", "Turin"),
            ("ITH5", "Bologna"),
        ),
        "S.p.A.",
    ),
    _Country(
        "ES",
        "Spain",
        10,
        30000,
        (
            ("ES30", "Madrid"),
            ("ES51", "Barcelona"),
            ("ES52", "Valencia"),
            ("ES61", "Seville"),
            ("ES21", "Bilbao"),
        ),
        "S.L.",
    ),
    _Country(
        "PL",
        "Poland",
        8,
        18000,
        (
            ("PL91", "Warsaw"),
            ("PL22", "Katowice"),
            ("PL21", "Kraków"),
            ("PL51", "Wrocław"),
        ),
        "Sp. z o.o.",
    ),
    _Country(
        "NL",
        "Netherlands",
        5,
        48000,
        (
            ("NL32", "Amsterdam"),
            ("NL33", "Rotterdam"),
            ("NL41", "Eindhoven"),
        ),
        "B.V.",
    ),
    _Country("RO", "Romania", 4, 14000, (("RO32", "Bucharest"), ("RO11", "Cluj-Napoca")), "S.R.L."),
    _Country("BE", "Belgium", 3, 50000, (("BE10", "Brussels"), ("BE21", "Antwerp")), "NV"),
    _Country("SE", "Sweden", 3, 46000, (("SE11", "Stockholm"), ("SE23", "Gothenburg")), "AB"),
    _Country("CZ", "Czechia", 3, 20000, (("CZ01", "Prague"), ("CZ06", "Brno")), "s.r.o."),
    _Country("PT", "Portugal", 3, 20000, (("PT17", "Lisbon"), ("PT11", "Porto")), "Lda."),
    _Country("HU", "Hungary", 2, 16000, (("HU11", "Budapest"),), "Kft."),
    _Country("AT", "Austria", 2, 50000, (("AT13", "Vienna"), ("AT22", "Graz")), "GmbH"),
    _Country("DK", "Denmark", 1.5, 58000, (("DK01", "Copenhagen"), ("DK04", "Aarhus")), "A/S"),
    _Country("FI", "Finland", 1.5, 45000, (("FI1B", "Helsinki"),), "Oy"),
    _Country("IE", "Ireland", 1.2, 50000, (("IE06", "Dublin"),), "Ltd"),
)

# NACE sections an occupation's ISCO major group works in, with weights.
_NACE_BY_ISCO: Mapping[str, tuple[tuple[str, float], ...]] = {
    "0": (("O", 1.0),),
    "1": (("K", 2), ("M", 2), ("C", 2), ("G", 1), ("J", 1), ("O", 1)),
    "2": (("M", 3), ("J", 3), ("Q", 2), ("P", 2), ("C", 2), ("K", 1), ("D", 1)),
    "3": (("C", 3), ("M", 2), ("Q", 2), ("J", 1), ("F", 1), ("D", 1), ("K", 1)),
    "4": (("N", 2), ("K", 2), ("O", 2), ("G", 1), ("H", 1)),
    "5": (("G", 3), ("I", 3), ("Q", 2), ("N", 1)),
    "6": (("A", 1.0),),
    "7": (("C", 4), ("F", 4), ("G", 1), ("D", 1)),
    "8": (("C", 4), ("H", 3), ("B", 1), ("E", 1)),
    "9": (("N", 2), ("I", 2), ("E", 1), ("H", 1), ("A", 1), ("F", 1)),
}
# Share of adverts per ISCO major group (roughly the EU's online advert mix).
_ISCO_WEIGHTS: Mapping[str, float] = {
    "0": 0.5,
    "1": 5,
    "2": 22,
    "3": 17,
    "4": 9,
    "5": 15,
    "6": 2,
    "7": 12,
    "8": 8,
    "9": 9.5,
}
_SALARY_FACTOR: Mapping[str, float] = {
    "0": 1.0,
    "1": 1.8,
    "2": 1.35,
    "3": 1.05,
    "4": 0.8,
    "5": 0.7,
    "6": 0.65,
    "7": 0.85,
    "8": 0.8,
    "9": 0.6,
}
_NAME_PARTS = (
    "Nord",
    "Süd",
    "Alpen",
    "Rhein",
    "Delta",
    "Nova",
    "Vega",
    "Orion",
    "Atlas",
    "Helio",
    "Terra",
    "Aqua",
    "Lumen",
    "Vita",
    "Ferro",
    "Volta",
    "Quanta",
    "Stella",
    "Arca",
    "Mare",
)
_NAME_KINDS = (
    "Systems",
    "Technik",
    "Works",
    "Solutions",
    "Industries",
    "Services",
    "Energy",
    "Care",
    "Logistics",
    "Digital",
    "Foods",
    "Engineering",
    "Labs",
    "Construct",
    "Retail",
    "Partners",
)
_KNOWLEDGE = (
    "Knowledge of {} is required.",
    "You have a good understanding of {}.",
    "Solid knowledge of {} is expected.",
    "Experience with {} is essential.",
)
_SKILL = (
    "You will {}.",
    "Your tasks include: {}.",
    "You are able to {}.",
    "In this role you {}.",
)
_OPTIONAL_KNOWLEDGE = ("Familiarity with {} is an advantage.", "Knowledge of {} is a plus.")
_OPTIONAL_SKILL = ("Ideally you can also {}.", "It is a plus if you can {}.")
_OPENINGS = (
    "{employer} is looking for a {title} in {place}, {country}.",
    "Join {employer} in {place} ({country}) as {title}.",
    "{employer}, {place}, is hiring: {title}.",
)
_CLOSINGS = (
    "We offer a permanent contract and training opportunities.",
    "We offer flexible hours, a friendly team and room to grow.",
    "Send us your CV and a short motivation letter.",
    "Apply online; we reply to every application within two weeks.",
)


@dataclass
class GeneratorTruth:
    """What the generator planted (written as ``*.truth.json``)."""

    seed: int
    adverts: int
    start: date
    months: int
    emerging: list[dict[str, Any]]
    stable: list[dict[str, Any]]
    duplicates: list[dict[str, str]] = field(default_factory=list)
    occupations: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The truth as a JSON-ready dict."""
        return {
            "generator": "skillpass synthetic job adverts",
            "synthetic": True,
            "seed": self.seed,
            "adverts": self.adverts,
            "start": self.start.isoformat(),
            "months": self.months,
            "emerging": self.emerging,
            "stable": self.stable,
            "duplicates": self.duplicates,
            "occupations": self.occupations,
        }


def _weighted(rng: random.Random, items: Sequence[tuple[_T, float]]) -> _T:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def _month(start: date, offset: int) -> date:
    year, month = divmod(start.month - 1 + offset, 12)
    return date(start.year + year, month + 1, 1)


def _planted_share(planted: PlantedSkill, month: int, months: int) -> float:
    progress = month / max(months - 1, 1)
    return planted.start + (planted.end - planted.start) * progress**2


@dataclass
class _Employer:
    id: str
    name: str
    region: tuple[str, str]
    weight: float


@dataclass
class _Original:
    row: dict[str, Any]
    posted: date
    body: list[str]
    occupation_uri: str


class _Generator:
    def __init__(
        self,
        profiles: Sequence[OccupationProfile],
        planted: Sequence[PlantedSkill],
        seed: int,
        start: date,
        months: int,
    ) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.start = date(start.year, start.month, 1)
        self.months = months
        self.planted = planted
        by_group: dict[str, list[OccupationProfile]] = {}
        for profile in profiles:
            group = (profile.isco_group or "9")[:1]
            by_group.setdefault(group, []).append(profile)
        self.occupations: list[tuple[OccupationProfile, float]] = []
        for group, members in sorted(by_group.items()):
            # a few common occupations, many rare ones (Pareto), summing to the group's share
            raw = [self.rng.paretovariate(1.2) for _ in members]
            total = sum(raw)
            share = _ISCO_WEIGHTS.get(group, 1.0)
            self.occupations += [(m, share * r / total) for m, r in zip(members, raw, strict=True)]
        self.occupation_list = [o for o, _ in self.occupations]
        self.occupation_cum = list(itertools.accumulate(w for _, w in self.occupations))
        self.countries = [(c, c.weight) for c in COUNTRIES]
        self.employers: dict[tuple[str, str], list[_Employer]] = {}
        self.counter = 0

    def employer(self, country: _Country, nace: str) -> _Employer:
        key = (country.code, nace)
        pool = self.employers.get(key)
        if pool is None:
            local = random.Random(f"{self.seed}-{country.code}-{nace}")
            pool = []
            for n in range(local.randint(8, 40)):
                name = f"{local.choice(_NAME_PARTS)}{local.choice(_NAME_KINDS).lower()} "
                name = f"{name.strip().capitalize()} {country.suffix}"
                pool.append(
                    _Employer(
                        id=f"SYN-{country.code}-{nace}-{n:03d}",
                        name=name,
                        region=local.choice(country.regions),
                        weight=1.0 / (n + 1),  # Zipf
                    )
                )
            self.employers[key] = pool
        return self.rng.choices(pool, weights=[e.weight for e in pool])[0]

    def body(
        self, profile: OccupationProfile, nace: str, month: int
    ) -> tuple[list[str], list[str]]:
        rng = self.rng
        essential = list(profile.essential)
        optional = list(profile.optional)
        chosen = rng.sample(essential, min(len(essential), rng.randint(4, 7)))
        extra = rng.sample(optional, min(len(optional), rng.randint(0, 3)))
        sentences = [
            rng.choice(_KNOWLEDGE if s.knowledge else _SKILL).format(s.label) for s in chosen
        ]
        sentences += [
            rng.choice(_OPTIONAL_KNOWLEDGE if s.knowledge else _OPTIONAL_SKILL).format(s.label)
            for s in extra
        ]
        planted: list[str] = []
        for plant in self.planted:
            share = _planted_share(plant, month, self.months)
            if plant.sectors:
                share *= 2.5 if nace in plant.sectors else 0.55
            if rng.random() < share:
                template = _KNOWLEDGE if plant.skill.knowledge else _SKILL
                sentences.insert(
                    rng.randint(0, len(sentences)), rng.choice(template).format(plant.skill.label)
                )
                planted.append(plant.skill.uri)
        return sentences, planted

    def original(self, posted: date, month: int) -> _Original:
        rng = self.rng
        profile = rng.choices(self.occupation_list, cum_weights=self.occupation_cum)[0]
        group = (profile.isco_group or "9")[:1]
        nace = _weighted(rng, _NACE_BY_ISCO.get(group, (("N", 1.0),)))
        country = _weighted(rng, self.countries)
        employer = self.employer(country, nace)
        region = employer.region if rng.random() < 0.8 else rng.choice(country.regions)
        title = profile.label
        if rng.random() < 0.1:
            title = f"senior {title}"
        if country.code in {"DE", "AT"} and rng.random() < 0.5:
            title = f"{title} (m/w/d)"
        sentences, _ = self.body(profile, nace, month)
        opening = rng.choice(_OPENINGS).format(
            employer=employer.name, title=title, place=region[1], country=country.name
        )
        body = [opening, *sentences]
        closing = rng.choice(_CLOSINGS)
        remote_share = 0.08 + 0.1 * month / max(self.months - 1, 1)
        salary: float | None = None
        if rng.random() < 0.6:
            factor = _SALARY_FACTOR.get(group, 1.0) * rng.lognormvariate(0, 0.2)
            salary = float(round(country.salary * factor, -2))
        self.counter += 1
        row: dict[str, Any] = {
            "id": f"S{self.seed}-{self.counter:08d}",
            "source": f"synthetic:{_weighted(rng, list(zip(BOARDS, _BOARD_WEIGHTS, strict=True)))}",
            "posted": posted.isoformat(),
            "country": country.code,
            "nuts": region[0] if rng.random() < 0.85 else "",
            "employer": employer.id,
            "title": title,
            "text": "\n".join([*body, closing]),
            "language": "en",
            "nace": nace,
            "isco": profile.isco_group if profile.isco_group and rng.random() < 0.5 else "",
            "salary": salary,
            "remote": rng.random() < remote_share,
            "synthetic": True,
        }
        return _Original(row=row, posted=posted, body=body, occupation_uri=profile.uri)

    def repost(self, original: _Original, posted: date) -> dict[str, Any]:
        self.counter += 1
        closing = f"Still open: apply by {(posted + timedelta(days=30)).isoformat()}."
        return {
            **original.row,
            "id": f"S{self.seed}-{self.counter:08d}",
            "posted": posted.isoformat(),
            "text": "\n".join([*original.body, closing]),
        }

    def crosspost(self, original: _Original, posted: date) -> dict[str, Any]:
        self.counter += 1
        source = original.row["source"]
        others = [f"synthetic:{b}" for b in BOARDS if f"synthetic:{b}" != source]
        board = self.rng.choice(others)
        text = (
            f"Job offer via {board.split(':')[1]}.\n{original.row['text']}\n"
            f"Reference: {original.row['id']}"
        )
        return {
            **original.row,
            "id": f"S{self.seed}-{self.counter:08d}",
            "source": board,
            "posted": posted.isoformat(),
            "title": original.row["title"].upper()
            if self.rng.random() < 0.3
            else original.row["title"],
            "text": text,
        }


def generate_adverts(
    profiles: Sequence[OccupationProfile],
    planted: Sequence[PlantedSkill],
    count: int,
    seed: int = 0,
    *,
    start: date = date(2023, 1, 1),
    months: int = 36,
    truth: GeneratorTruth | None = None,
) -> Iterator[dict[str, Any]]:
    """Generate ``count`` advert rows (input schema) in posting-date order, deterministically.

    Args:
        profiles: ESCO occupations with skills (at least one with four essential skills).
        planted: Skills with a planted share (rising and stable).
        count: Rows to generate, duplicates included.
        seed: Random seed: the same seed and profiles give the same rows.
        start: First month of the period.
        months: Length of the period in months.
        truth: Receives the planted duplicates and each advert's true occupation.

    Yields:
        Rows with the columns of :data:`skillpass.intelligence.schema.COLUMNS`.
    """
    usable = [p for p in profiles if len(p.essential) >= 4]
    if not usable or count <= 0:
        return
    gen = _Generator(usable, planted, seed, start, months)
    weights = [
        (1 + 0.01 * m) * (1 + 0.15 * math.cos(2 * math.pi * ((m + start.month - 1) % 12 - 2) / 12))
        for m in range(months)
    ]
    per_month = [0] * months
    for month in gen.rng.choices(range(months), weights=weights, k=count):
        per_month[month] += 1
    recent: deque[_Original] = deque()
    for month, n in enumerate(per_month):
        first = _month(gen.start, month)
        days = (_month(gen.start, month + 1) - first).days
        dates = sorted(first + timedelta(days=gen.rng.randrange(days)) for _ in range(n))
        for posted in dates:
            while recent and (posted - recent[0].posted).days > 60:
                recent.popleft()
            draw = gen.rng.random()
            crosspost_pool: list[_Original] = []
            repost_pool: list[_Original] = []
            if draw < _CROSSPOST_RATE:
                for candidate in reversed(recent):
                    if (posted - candidate.posted).days > 5:
                        break
                    crosspost_pool.append(candidate)
            elif draw < _CROSSPOST_RATE + _REPOST_RATE:
                for candidate in recent:
                    if (posted - candidate.posted).days < 14:
                        break
                    repost_pool.append(candidate)
            if draw < _CROSSPOST_RATE and crosspost_pool:
                source = gen.rng.choice(crosspost_pool)
                row, reason = gen.crosspost(source, posted), "crosspost"
            elif draw < _CROSSPOST_RATE + _REPOST_RATE and repost_pool:
                source = gen.rng.choice(repost_pool)
                row, reason = gen.repost(source, posted), "repost"
            else:
                original = gen.original(posted, month)
                recent.append(original)
                if truth is not None:
                    key = f"{original.row['source']}:{original.row['id']}"
                    truth.occupations[key] = original.occupation_uri
                yield original.row
                continue
            if truth is not None:
                truth.duplicates.append(
                    {
                        "advert_id": f"{row['source']}:{row['id']}",
                        "duplicate_of": f"{source.row['source']}:{source.row['id']}",
                        "reason": reason,
                    }
                )
            yield row
