"""A generator of synthetic STEM mobility for demos and tests, always labelled synthetic.

The shapes are realistic rather than real: a population spread over the EU roughly like its
population, people in the south and east more likely to leave, hubs (Germany, the Netherlands,
Ireland, Luxembourg, the Nordics) more likely to attract, capability areas drawn to their
clusters (semiconductors to the Netherlands, Germany, Ireland and France; batteries to Sweden,
Poland and Hungary; …), neighbours and shared languages preferred, a share of people arriving
from outside the EU (India, Ukraine, China, Türkiye, the UK, …) and a share of departures leaving
it. Each person is active every quarter where they live, moves now and then, and has their
credential verified or recognised abroad now and then. Nothing here is a measurement.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from skillpass.errors import InvalidInput
from skillpass.mobility.categories import AREAS, EU27, Period
from skillpass.mobility.models import EventKind, MobilityEvent

__all__ = ["SyntheticConfig", "generate_events", "synthetic_quarters"]

_POPULATION = {
    "DE": 84, "FR": 68, "IT": 59, "ES": 48, "PL": 37, "RO": 19, "NL": 18, "BE": 12, "CZ": 11,
    "SE": 10.5, "PT": 10.4, "GR": 10.4, "HU": 9.6, "AT": 9.1, "BG": 6.4, "DK": 5.9, "FI": 5.6,
    "SK": 5.4, "IE": 5.2, "HR": 3.9, "LT": 2.9, "SI": 2.1, "LV": 1.9, "EE": 1.4, "CY": 0.9,
    "LU": 0.7, "MT": 0.5,
}  # fmt: skip
_PULL = {
    "DE": 3.0, "NL": 2.6, "IE": 2.4, "LU": 2.2, "DK": 2.0, "SE": 2.0, "AT": 1.8, "BE": 1.6,
    "FR": 1.6, "FI": 1.4, "EE": 1.2, "ES": 1.0, "PT": 0.9, "CZ": 0.9, "PL": 0.8, "IT": 0.7,
    "MT": 0.7, "SI": 0.6, "CY": 0.6,
}  # fmt: skip
_PUSH = {
    "RO": 2.0, "BG": 2.0, "GR": 1.8, "HR": 1.8, "PT": 1.6, "LT": 1.6, "LV": 1.6, "IT": 1.5,
    "ES": 1.4, "PL": 1.3, "HU": 1.3, "SK": 1.3, "CY": 1.1, "SI": 1.0,
}  # fmt: skip
_HUBS = {
    "semiconductors": ("NL", "DE", "IE", "FR", "AT"),
    "ai_data": ("IE", "NL", "DE", "FR", "EE"),
    "batteries": ("SE", "PL", "HU", "DE"),
    "life_sciences": ("BE", "DK", "IE", "DE", "NL"),
    "space_aeronautics": ("FR", "DE", "IT", "NL"),
    "quantum": ("NL", "DE", "FI", "AT", "DK"),
    "clean_energy": ("DK", "DE", "ES", "NL", "PT"),
    "cybersecurity": ("EE", "NL", "LU", "IE", "DE"),
    "photonics": ("DE", "NL", "FI"),
    "raw_materials": ("SE", "FI", "PL", "DE"),
    "advanced_manufacturing": ("DE", "CZ", "AT", "IT", "SK"),
}
_NEIGHBOURS = {
    frozenset(pair)
    for pair in (
        ("AT", "DE"), ("BE", "NL"), ("BE", "FR"), ("LU", "FR"), ("LU", "BE"), ("LU", "DE"),
        ("PT", "ES"), ("CZ", "SK"), ("SE", "FI"), ("DK", "SE"), ("EE", "FI"), ("HR", "SI"),
        ("RO", "HU"), ("CY", "GR"), ("DE", "PL"), ("IE", "GB"), ("MT", "IT"), ("LV", "LT"),
    )
}  # fmt: skip
_AREA_WEIGHT = {
    "engineering": 3.0, "ict": 3.0, "ai_data": 1.5, "natural_sciences": 1.2,
    "life_sciences": 1.2, "advanced_manufacturing": 1.0, "clean_energy": 1.0,
    "cybersecurity": 0.8, "mathematics_statistics": 0.6, "semiconductors": 0.5,
    "batteries": 0.4, "raw_materials": 0.4, "space_aeronautics": 0.4, "photonics": 0.3,
    "quantum": 0.2,
}  # fmt: skip
#: Countries outside the EU people arrive from (and their weights).
_OUTSIDE_ORIGINS = {
    "IN": 3.0, "UA": 2.0, "CN": 1.5, "GB": 1.5, "TR": 1.2, "US": 1.0, "BR": 0.8, "EG": 0.6,
    "NG": 0.6, "MA": 0.6, "PK": 0.5, "VN": 0.4, "AU": 0.2,
}  # fmt: skip
#: Where people leaving the EU go.
_OUTSIDE_DESTINATIONS = {
    "US": 3.0,
    "GB": 2.5,
    "CH": 2.5,
    "CA": 1.0,
    "SG": 0.6,
    "AU": 0.6,
    "NO": 0.8,
}


@dataclass(frozen=True)
class SyntheticConfig:
    """Parameters of the synthetic generator.

    Attributes:
        people: How many synthetic people.
        start: The first quarter generated.
        quarters: How many quarters from ``start``.
        move_rate: Chance per quarter that a person in the EU moves (scaled by their country's
            push factor).
        arrival_rate: Chance per quarter that a person living outside the EU moves to it.
        leave_share: Share of moves from the EU that leave it.
        outside_share: Share of people who start outside the EU.
        verify_rate: Chance per quarter that a person's credential is checked abroad.
        countries: EU countries to use (all 27 when empty): fewer concentrate the flows.
        areas: Capability areas to use (all when empty).
        seed: The random seed (same seed, same events).
    """

    people: int = 20_000
    start: Period = field(default_factory=lambda: Period(2025, 1, 1))
    quarters: int = 8
    move_rate: float = 0.02
    arrival_rate: float = 0.08
    leave_share: float = 0.12
    outside_share: float = 0.12
    verify_rate: float = 0.05
    countries: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    seed: int = 2026

    def check(self) -> None:
        """Refuse parameters that make no sense.

        Raises:
            InvalidInput: What is wrong and what to use instead.
        """
        if not 1 <= self.people <= 2_000_000:
            raise InvalidInput("--people must be between 1 and 2,000,000.")
        if not self.start.is_quarter or not 1 <= self.quarters <= 40:
            raise InvalidInput("Start at a quarter (e.g. 2025Q1) and generate 1 to 40 quarters.")
        for name in ("move_rate", "arrival_rate", "leave_share", "outside_share", "verify_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise InvalidInput(f"{name.replace('_', '-')} must be between 0 and 1.")
        unknown = [c for c in self.countries if c not in EU27]
        if unknown:
            raise InvalidInput(f"Not EU countries: {', '.join(unknown)}.")
        unknown = [a for a in self.areas if a not in AREAS]
        if unknown:
            raise InvalidInput(f"Unknown capability areas: {', '.join(unknown)}.")


class _Chooser:
    def __init__(self, options: dict[str, float]) -> None:
        self.keys = list(options)
        self.cum = list(itertools.accumulate(options.values()))

    def __call__(self, rng: random.Random) -> str:
        return self.keys[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


def generate_events(config: SyntheticConfig) -> Iterator[MobilityEvent]:
    """Synthetic events (``synthetic=True``), quarter by quarter.

    Args:
        config: The generator's parameters (checked first).

    Yields:
        Activity, move, verification and recognition events.

    Raises:
        InvalidInput: Bad parameters.
    """
    config.check()
    rng = random.Random(config.seed)
    countries = config.countries or EU27
    areas = config.areas or AREAS
    home_choice = _Chooser({c: _POPULATION[c] for c in countries})
    outside_choice = _Chooser(_OUTSIDE_ORIGINS)
    leave_choice = _Chooser(_OUTSIDE_DESTINATIONS)
    area_choice = _Chooser({a: _AREA_WEIGHT[a] for a in areas})
    destination_cache: dict[tuple[str, str], _Chooser] = {}

    def destination_for(current: str, area: str) -> _Chooser:
        cached = destination_cache.get((current, area))
        if cached is None:
            weights = {}
            for country in countries:
                if country == current:
                    continue
                weight = _PULL.get(country, 0.5) * _POPULATION[country] ** 0.5
                if country in _HUBS.get(area, ()):
                    weight *= 2.5
                if frozenset((current, country)) in _NEIGHBOURS:
                    weight *= 2.0
                weights[country] = weight
            cached = _Chooser(weights or {current: 1.0})
            destination_cache[(current, area)] = cached
        return cached

    salt = hashlib.sha256(f"synthetic-{config.seed}".encode()).hexdigest()[:8]
    people: list[tuple[str, str, str, str, int]] = []  # key, credential country, current, area, eqf
    for n in range(config.people):
        outside = rng.random() < config.outside_share
        home = outside_choice(rng) if outside else home_choice(rng)
        area = area_choice(rng)
        eqf = rng.choice((4, 5, 6, 6, 7, 7, 8))
        people.append((f"syn-{salt}-{n}", home, home, area, eqf))

    for quarter in synthetic_quarters(config):
        start = quarter.start
        span = (quarter.end - start).total_seconds()

        def when(start: datetime = start, span: float = span) -> datetime:
            return start + timedelta(seconds=rng.random() * span)

        for index, (key, credential_country, current, area, eqf) in enumerate(people):
            yield MobilityEvent.model_construct(
                kind=EventKind.ACTIVE, person_key=key, origin=current, destination=current,
                area_id=area, eqf=eqf, occurred_at=when(), synthetic=True,
            )  # fmt: skip
            in_eu = current in EU27
            rate = config.move_rate * _PUSH.get(current, 0.8) if in_eu else config.arrival_rate
            if rng.random() < rate:
                if in_eu and rng.random() < config.leave_share:
                    target = leave_choice(rng)
                else:
                    target = destination_for(current, area)(rng)
                if target != current:
                    yield MobilityEvent.model_construct(
                        kind=EventKind.MOVE, person_key=key, origin=current, destination=target,
                        area_id=area, eqf=eqf, occurred_at=when(), synthetic=True,
                    )  # fmt: skip
                    people[index] = (key, credential_country, target, area, eqf)
            if rng.random() < config.verify_rate:
                checker = destination_for(credential_country, area)(rng)
                if checker != credential_country:
                    kind = EventKind.RECOGNITION if rng.random() < 0.25 else EventKind.VERIFICATION
                    yield MobilityEvent.model_construct(
                        kind=kind, person_key=key, origin=credential_country,
                        destination=checker, area_id=area, eqf=eqf, occurred_at=when(),
                        synthetic=True,
                    )  # fmt: skip


def synthetic_quarters(config: SyntheticConfig) -> Sequence[Period]:
    """The quarters the generator covers, oldest first."""
    last = config.start
    for _ in range(config.quarters - 1):
        index = last.year * 4 + last.last_quarter
        year, q = divmod(index, 4)
        last = Period(year, q + 1, q + 1)
    return last.previous_quarters(config.quarters)
