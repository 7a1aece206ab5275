"""A realistic, deterministic synthetic catalogue for demos (every course ``synthetic=True``).

Each course teaches a slice of an ESCO occupation profile: the generator picks a capability area
(weighted by its size), one of the area's occupations, a focus skill (an area skill when the
profile has one) and two to five more skills of the same profile. Providers are invented names
in real NUTS regions of EU countries weighted by labour force; languages follow the country (and
English, mostly online); course types, hours, ECTS, costs (by type and national price level),
EQF levels (from the occupation's ISCO major group) and start dates follow plausible
distributions. About a fifth of the courses come in short series that stack towards a
certificate, the later ones requiring the earlier. Nothing here touches storage: the catalogue
service hands in the occupation profiles and writes what comes out.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from skillpass.pathways.models import CourseType, OpportunityCreate, OpportunityMode

__all__ = [
    "COUNTRIES",
    "AreaSource",
    "SyntheticCourse",
    "SyntheticOccupation",
    "SyntheticSkill",
    "generate_courses",
]


_T = TypeVar("_T")


@dataclass(frozen=True)
class SyntheticSkill:
    """An ESCO skill: URI, label and ESCO skill type (``knowledge`` or ``skill/competence``)."""

    uri: str
    label: str
    knowledge: bool = False


@dataclass(frozen=True)
class SyntheticOccupation:
    """An ESCO occupation with its profile."""

    uri: str
    label: str
    isco_group: str | None
    essential: tuple[SyntheticSkill, ...]
    optional: tuple[SyntheticSkill, ...]


@dataclass(frozen=True)
class AreaSource:
    """A capability area's occupations and member skills."""

    area_id: str
    occupations: tuple[SyntheticOccupation, ...]
    skills: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class SyntheticCourse:
    """A generated course; ``after`` is the index of the course it requires (same series)."""

    draft: OpportunityCreate
    after: int | None = None
    area_id: str = ""


@dataclass(frozen=True)
class _Country:
    code: str
    weight: float  # share of the EU labour force, roughly (percent)
    languages: tuple[str, ...]
    price: float  # course price level relative to the EU average
    providers: tuple[tuple[str, str | None, str], ...]  # name, NUTS region, kind


# Invented provider names (kind: university | vet | academy | online) in real NUTS regions.
COUNTRIES: tuple[_Country, ...] = (
    _Country("DE", 18, ("de",), 1.0, (
        ("Technische Akademie Rhein-Neckar", "DE1", "academy"),
        ("Hochschule Nordbayern für Technik", "DE2", "university"),
        ("Berufsbildungszentrum Ruhrtal", "DEA", "vet"),
        ("Weiterbildungscampus Elbe", "DE60", "vet"),
    )),
    _Country("FR", 13, ("fr",), 1.0, (
        ("Institut des Métiers Techniques d'Île-de-France", "FR1", "vet"),
        ("Université Rhône-Alpes Formation Continue", "FRK", "university"),
        ("École Numérique de Provence", "FRL", "academy"),
    )),
    _Country("IT", 10, ("it",), 0.9, (
        ("Politecnico Lombardo per la Formazione", "ITC4", "university"),
        ("Istituto Tecnico Superiore Lazio", "ITI4", "vet"),
    )),
    _Country("ES", 10, ("es",), 0.85, (
        ("Centro de Formación Técnica de Madrid", "ES30", "vet"),
        ("Universitat Oberta de Catalunya Tècnica", "ES51", "university"),
    )),
    _Country("PL", 8, ("pl",), 0.6, (
        ("Akademia Technologiczna Mazowsze", "PL91", "academy"),
        ("Centrum Kształcenia Zawodowego Śląsk", "PL22", "vet"),
    )),
    _Country("NL", 5, ("nl",), 1.1, (
        ("Hogeschool Noord-Holland Techniek", "NL32", "university"),
        ("Vakschool Brabant", "NL41", "vet"),
    )),
    _Country("RO", 4, ("ro",), 0.5, (("Centrul de Formare Tehnică București", "RO32", "vet"),)),
    _Country("BE", 3, ("nl", "fr"), 1.0, (
        ("Technisch Opleidingscentrum Vlaanderen", "BE2", "vet"),
        ("Haute École de Bruxelles Formation", "BE10", "university"),
    )),
    _Country("SE", 3, ("sv",), 1.1, (("Yrkeshögskolan Stockholm Teknik", "SE11", "vet"),)),
    _Country("CZ", 3, ("cs",), 0.65, (("Technická akademie Praha", "CZ01", "academy"),)),
    _Country("PT", 3, ("pt",), 0.7, (("Centro de Formação Tecnológica do Norte", "PT11", "vet"),)),
    _Country("AT", 2.5, ("de",), 1.0, (
        ("Fachakademie Wien Technik", "AT13", "academy"),
        ("Bildungszentrum Steiermark", "AT22", "vet"),
    )),
    _Country("HU", 2.5, ("hu",), 0.55, (("Budapesti Műszaki Képzőközpont", "HU11", "vet"),)),
    _Country("GR", 2.5, ("el",), 0.7, (("Technical Training Centre of Attica", "EL30", "vet"),)),
    _Country("DK", 1.5, ("da",), 1.25, (("Teknisk Efteruddannelse Midtjylland", "DK04", "vet"),)),
    _Country("FI", 1.5, ("fi",), 1.05, (("Uusimaa Applied Sciences", "FI1B", "university"),)),
    _Country("IE", 1.5, ("en",), 1.1, (("Dublin Technical Skills", "IE06", "university"),)),
    _Country("SK", 1.5, ("sk",), 0.6, (("Technická akadémia Bratislava", "SK01", "academy"),)),
    _Country("BG", 1.5, ("bg",), 0.45, (("Sofia Centre for Vocational Training", "BG41", "vet"),)),
    _Country("HR", 1, ("hr",), 0.65, (("Zagreb Technical College", "HR05", "vet"),)),
    _Country("SI", 0.7, ("sl",), 0.75, (("Ljubljana Technology Academy", "SI04", "academy"),)),
    _Country("LT", 0.7, ("lt",), 0.6, (("Vilnius Technical Training Centre", "LT01", "vet"),)),
    _Country("LV", 0.5, ("lv",), 0.6, (("Riga Digital Skills School", "LV00", "academy"),)),
    _Country("EE", 0.4, ("et",), 0.7, (("Tallinn Tech Skills Online", "EE00", "online"),)),
    _Country("LU", 0.3, ("fr", "de"), 1.3, (("Luxembourg Skills Institute", "LU00", "academy"),)),
    _Country("CY", 0.3, ("el",), 0.8, (("Nicosia Professional Training Centre", "CY00", "vet"),)),
    _Country("MT", 0.3, ("en",), 0.8, (("Malta Institute of Applied Skills", "MT00", "vet"),)),
)  # fmt: skip

#: Pan-European online providers (English first), with the country they are registered in.
ONLINE_PROVIDERS: tuple[tuple[str, str], ...] = (
    ("EuroSkills Online Academy", "IE"),
    ("Open Micro-Credentials Campus", "NL"),
    ("TechBridge Learning", "DE"),
    ("GreenShift Academy", "ES"),
    ("DataForge School", "EE"),
)

#: What each kind of provider offers, with weights (over all providers, roughly 40% are
#: micro-credentials, a quarter short courses, the rest VET and university modules, bootcamps and
#: a few apprenticeship modules).
_COURSE_TYPES: dict[str, tuple[tuple[CourseType, float], ...]] = {
    "university": (
        (CourseType.MICRO_CREDENTIAL, 45),
        (CourseType.UNIVERSITY_MODULE, 40),
        (CourseType.SHORT_COURSE, 15),
    ),
    "vet": (
        (CourseType.VET_MODULE, 40),
        (CourseType.MICRO_CREDENTIAL, 30),
        (CourseType.SHORT_COURSE, 20),
        (CourseType.APPRENTICESHIP, 10),
    ),
    "academy": (
        (CourseType.MICRO_CREDENTIAL, 40),
        (CourseType.SHORT_COURSE, 40),
        (CourseType.BOOTCAMP, 20),
    ),
    "online": (
        (CourseType.MICRO_CREDENTIAL, 50),
        (CourseType.SHORT_COURSE, 35),
        (CourseType.BOOTCAMP, 15),
    ),
}
#: Cost per learning hour (EUR, EU average) before the national price level and noise.
_EUR_PER_HOUR = {
    CourseType.MICRO_CREDENTIAL: 12.0,
    CourseType.SHORT_COURSE: 25.0,
    CourseType.VET_MODULE: 7.0,
    CourseType.UNIVERSITY_MODULE: 9.0,
    CourseType.BOOTCAMP: 16.0,
    CourseType.APPRENTICESHIP: 1.0,
}
#: EQF level typical of each ISCO-08 major group's occupations.
_EQF_BY_ISCO = {"0": 4, "1": 6, "2": 6, "3": 5, "4": 4, "5": 4, "6": 3, "7": 4, "8": 3, "9": 2}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plural(label: str) -> str | None:
    """``battery assembler`` → ``battery assemblers``; None when the label is not a plain noun
    phrase (gendered variants with a slash, brackets)."""
    if any(mark in label for mark in "/()"):
        return None
    words = label.split()
    last = words[-1]
    if last.endswith("man"):
        last = last[:-3] + "men"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "sh", "ch", "x")):
        last += "es"
    else:
        last += "s"
    return " ".join([*words[:-1], last])


def _title(
    rng: random.Random, focus: SyntheticSkill, occupation: SyntheticOccupation, kind: CourseType
) -> str:
    label = focus.label
    people = _plural(occupation.label)
    if kind is CourseType.BOOTCAMP:
        return (
            f"{_cap(occupation.label)} bootcamp: {label}" if people else f"{_cap(label)} bootcamp"
        )
    if kind is CourseType.APPRENTICESHIP:
        return f"Apprenticeship module: {label}"
    if focus.knowledge:
        options = [f"Introduction to {label}", f"{_cap(label)}: the essentials"]
        if kind is CourseType.UNIVERSITY_MODULE:
            options = [f"{_cap(label)} (university module)", f"Advanced {label}"]
    else:
        options = [f"Learn to {label}", f"{_cap(label)} in practice"]
        if kind is CourseType.SHORT_COURSE:
            options.append(f"{_cap(label)}: hands-on workshop")
    if people:
        options.append(f"{_cap(label)} for {people}")
    return rng.choice(options)


def _weighted(rng: random.Random, items: Sequence[tuple[_T, float]]) -> _T:
    return rng.choices([item for item, _ in items], weights=[w for _, w in items], k=1)[0]


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _start_dates(
    rng: random.Random, mode: OpportunityMode, kind: CourseType, anchor: date
) -> list[date]:
    if mode is OpportunityMode.ONLINE and rng.random() < 0.5:
        return []  # self-paced: start any time
    first = _monday_on_or_after(anchor + timedelta(days=rng.randrange(0, 75)))
    step = 91 if kind in (CourseType.UNIVERSITY_MODULE, CourseType.APPRENTICESHIP) else 56
    return [first + timedelta(days=step * n) for n in range(rng.randint(1, 4))]


def _hours_and_ects(rng: random.Random, kind: CourseType) -> tuple[float, float | None]:
    if kind is CourseType.MICRO_CREDENTIAL:
        ects = float(rng.choices([1, 2, 3, 4, 5, 6], weights=[10, 20, 30, 15, 20, 5])[0])
        return ects * rng.choice([25, 27, 30]), ects
    if kind is CourseType.UNIVERSITY_MODULE:
        ects = float(rng.choice([5, 5, 6, 7.5, 10]))
        return ects * rng.choice([25, 27, 30]), ects
    if kind is CourseType.SHORT_COURSE:
        return float(rng.choice([8, 12, 16, 24, 32, 40])), None
    if kind is CourseType.VET_MODULE:
        return float(rng.randrange(40, 241, 20)), None
    if kind is CourseType.BOOTCAMP:
        return float(rng.randrange(240, 601, 40)), None
    return float(rng.randrange(400, 1201, 100)), None


def _weekly_hours(rng: random.Random, kind: CourseType, mode: OpportunityMode) -> float:
    if kind is CourseType.BOOTCAMP:
        return float(rng.choice([30, 35, 40]))
    if kind is CourseType.APPRENTICESHIP:
        return 20.0
    if kind is CourseType.SHORT_COURSE and mode is not OpportunityMode.ONLINE:
        return float(rng.choice([8, 16, 24]))
    return float(rng.choice([4, 6, 8, 10]))


def _eqf(rng: random.Random, occupation: SyntheticOccupation, kind: CourseType) -> int | None:
    if kind is CourseType.SHORT_COURSE and rng.random() < 0.3:
        return None  # many short courses state no level
    base = _EQF_BY_ISCO.get((occupation.isco_group or "0")[:1], 4)
    level = base + rng.choice([-1, 0, 0, 0, 1])
    if kind is CourseType.UNIVERSITY_MODULE:
        level = max(level, 6)
    elif kind is CourseType.VET_MODULE or kind is CourseType.APPRENTICESHIP:
        level = min(level, 5)
    return max(2, min(7, level))


def _cost(
    rng: random.Random, kind: CourseType, hours: float, price: float, provider_kind: str
) -> float:
    public = provider_kind in ("university", "vet")
    if kind is CourseType.APPRENTICESHIP or (public and rng.random() < 0.12):
        return 0.0  # publicly funded places and employer-paid apprenticeships
    per_hour = _EUR_PER_HOUR[kind] * price * math.exp(rng.gauss(0, 0.35))
    if provider_kind == "online":
        per_hour *= 0.7
    return float(max(50, round(hours * per_hour / 10) * 10))


def _pick_skills(
    rng: random.Random, occupation: SyntheticOccupation, area_skills: frozenset[str], count: int
) -> list[SyntheticSkill]:
    essential = list(occupation.essential)
    in_area = [s for s in essential + list(occupation.optional) if s.uri in area_skills]
    pool = essential if essential else list(occupation.optional)
    focus = rng.choice(in_area) if in_area and rng.random() < 0.75 else rng.choice(pool)
    chosen = [focus]
    others = [s for s in essential if s != focus]
    rng.shuffle(others)
    optional = [s for s in occupation.optional if s != focus]
    rng.shuffle(optional)
    for skill in others[: max(0, count - 2)] + optional + others[max(0, count - 2) :]:
        if len(chosen) >= count:
            break
        if skill not in chosen:
            chosen.append(skill)
    return chosen


def generate_courses(
    areas: Sequence[AreaSource], count: int, seed: int = 0, *, today: date
) -> list[SyntheticCourse]:
    """Generate ``count`` synthetic courses (the same list for the same inputs).

    Args:
        areas: Capability areas with their occupations' profiles (areas without occupations are
            skipped).
        count: How many courses.
        seed: Random seed.
        today: Start dates begin within ten weeks of this day.

    Returns:
        The courses; ``after`` links a course to the earlier one of its series.
    """
    usable = [a for a in areas if any(o.essential or o.optional for o in a.occupations)]
    if not usable or count <= 0:
        return []
    rng = random.Random(seed)
    # every area gets a fair share, bigger disciplines somewhat more
    area_weights = [(a, math.sqrt(len(a.occupations)) + 4.0) for a in usable]
    country_weights = [(c, c.weight) for c in COUNTRIES]
    courses: list[SyntheticCourse] = []
    titles: set[tuple[str, str]] = set()
    series: tuple[int, AreaSource, SyntheticOccupation, str, str, str | None, str, int] | None
    series = None
    while len(courses) < count:
        after: int | None = None
        if series is not None and rng.random() < 0.6:
            previous, area, occupation, provider, country_code, region, kind_of_provider, part = (
                series
            )
            after = previous
            country = next(c for c in COUNTRIES if c.code == country_code)
        else:
            series = None
            part = 1
            area = _weighted(rng, area_weights)
            occupations = [o for o in area.occupations if o.essential or o.optional]
            occupation = rng.choice(occupations)
            if rng.random() < 0.2:
                provider, country_code = rng.choice(ONLINE_PROVIDERS)
                region, kind_of_provider = None, "online"
                country = next(c for c in COUNTRIES if c.code == country_code)
            else:
                country = _weighted(rng, country_weights)
                provider, region, kind_of_provider = rng.choice(country.providers)
                country_code = country.code
        kind = _weighted(rng, _COURSE_TYPES[kind_of_provider])
        if kind_of_provider == "online":
            mode = OpportunityMode.ONLINE
        else:
            mode = rng.choices(
                [OpportunityMode.ONSITE, OpportunityMode.BLENDED, OpportunityMode.ONLINE],
                weights=[45, 30, 25],
            )[0]
        if kind is CourseType.APPRENTICESHIP:
            mode = OpportunityMode.ONSITE
        skills = _pick_skills(rng, occupation, area.skills, rng.randint(3, 6))
        focus = skills[0]
        title = _title(rng, focus, occupation, kind)
        if (provider, title) in titles:
            title = f"{title} – {country_code} edition"
            if (provider, title) in titles:
                series = None
                continue
        titles.add((provider, title))
        if kind_of_provider == "online":
            languages = ["en"] if rng.random() < 0.75 else ["en", country.languages[0]]
        else:
            languages = list(country.languages[:1])
            if len(country.languages) > 1 and rng.random() < 0.5:
                languages = [country.languages[1]]
            if "en" not in languages and rng.random() < 0.25:
                languages.append("en")
        hours, ects = _hours_and_ects(rng, kind)
        weeks = max(1.0, math.ceil(hours / _weekly_hours(rng, kind, mode)))
        eqf = _eqf(rng, occupation, kind)
        prerequisites: list[str] = []
        outcome_uris = {s.uri for s in skills}
        if (eqf or 0) >= 5 and after is None and rng.random() < 0.25:
            candidates = [s for s in occupation.essential if s.uri not in outcome_uris]
            if candidates:
                prerequisites = [rng.choice(candidates).uri]
        stack = None
        if series is not None or rng.random() < 0.2:
            stack = f"Certificate in {occupation.label} skills ({provider})"
        listed = ", ".join(s.label for s in skills[:-1]) + f" and {skills[-1].label}"
        description = (
            f"Synthetic demo course (generated, not a real offer). Teaches {listed}, "
            f"from the ESCO profile of {occupation.label}."
        )
        draft = OpportunityCreate(
            title=title[:300],
            provider=provider,
            country=country_code,
            region=region,
            languages=languages,
            mode=mode,
            course_type=kind,
            start_dates=_start_dates(rng, mode, kind, today),
            duration_weeks=weeks,
            hours=hours,
            ects=ects,
            cost_eur=_cost(rng, kind, hours, country.price, kind_of_provider),
            eqf=eqf,
            outcomes=[s.uri for s in skills],
            prerequisite_skills=prerequisites,
            stackable_towards=stack,
            description=description,
            synthetic=True,
        )
        courses.append(SyntheticCourse(draft=draft, after=after, area_id=area.area_id))
        if stack is not None and part < 3:
            series = (
                len(courses) - 1,
                area,
                occupation,
                provider,
                country_code,
                region,
                kind_of_provider,
                part + 1,
            )
        else:
            series = None
    return courses


def area_sources(
    occupations_by_area: Mapping[str, Sequence[SyntheticOccupation]],
    skills_by_area: Mapping[str, frozenset[str]],
) -> list[AreaSource]:
    """Pair each area's occupations with its member skills (areas in the given order)."""
    return [
        AreaSource(area_id, tuple(occupations), skills_by_area.get(area_id, frozenset()))
        for area_id, occupations in occupations_by_area.items()
    ]
