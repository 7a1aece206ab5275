"""The predefined categories of every released mobility table: places, capability areas, periods.

Differential privacy needs the categories fixed *before* the data are looked at: a table whose
rows appear only when somebody is in them leaks that somebody exists. So the release domain is
always the same: the 27 EU member states, five world regions for everything outside the EU, the
fifteen STEM capability areas of the framework, and calendar quarters (or halves and years, which
cover several quarters and are charged to each of them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from skillpass.errors import InvalidInput

__all__ = [
    "AREAS",
    "AREA_LABELS",
    "EQF_LEVELS",
    "EU27",
    "PLACES",
    "PLACE_LABELS",
    "REGIONS",
    "Period",
    "is_eu",
    "parse_period",
    "place_of",
]

#: EU member states (ISO 3166-1 alpha-2; Greece as ``GR``, not Eurostat's ``EL``).
EU27: tuple[str, ...] = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)  # fmt: skip

#: World regions standing for every place outside the EU (codes from the user-assigned range).
REGIONS: dict[str, str] = {
    "XE": "Europe outside the EU",
    "XF": "Africa",
    "XM": "Americas",
    "XA": "Asia and the Middle East",
    "XO": "Oceania",
}

_REGION_MEMBERS = {
    "XE": "GB UK CH NO IS LI UA RS BA ME MK AL MD TR BY RU XK AD MC SM VA GE AM AZ GI FO",
    "XF": "DZ AO BJ BW BF BI CM CV CF TD KM CD CG CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY "
    "MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW",
    "XM": "US CA MX BR AR CL CO PE VE EC BO PY UY CU DO HT JM TT GT HN SV NI CR PA BS BB GY SR PR",
    "XA": "CN IN JP KR KP TW HK MO VN TH MY SG ID PH BD PK LK NP MM KH LA MN KZ UZ KG TJ TM AF IR "
    "IQ SY LB JO IL PS SA AE QA KW BH OM YE BT MV BN TL",
    "XO": "AU NZ FJ PG SB VU WS TO KI NC PF",
}
_REGION_OF: dict[str, str] = {
    code: region for region, members in _REGION_MEMBERS.items() for code in members.split()
}

#: Every place of the release domain, EU first then regions (the rows and columns of a matrix).
PLACES: tuple[str, ...] = (*EU27, *REGIONS)

_COUNTRY_NAMES = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CY": "Cyprus", "CZ": "Czechia",
    "DE": "Germany", "DK": "Denmark", "EE": "Estonia", "ES": "Spain", "FI": "Finland",
    "FR": "France", "GR": "Greece", "HR": "Croatia", "HU": "Hungary", "IE": "Ireland",
    "IT": "Italy", "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "MT": "Malta",
    "NL": "Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SE": "Sweden",
    "SI": "Slovenia", "SK": "Slovakia",
}  # fmt: skip

#: Display names of :data:`PLACES`.
PLACE_LABELS: dict[str, str] = {**_COUNTRY_NAMES, **REGIONS}

#: Capability areas of the STEM framework (ids of ``taxonomy/data/capabilities``), in order.
AREA_LABELS: dict[str, str] = {
    "engineering": "Engineering & engineering trades",
    "ict": "Information & communication technologies",
    "mathematics_statistics": "Mathematics & statistics",
    "natural_sciences": "Natural sciences",
    "advanced_manufacturing": "Advanced manufacturing & robotics",
    "ai_data": "Artificial intelligence & data",
    "batteries": "Batteries & energy storage",
    "clean_energy": "Clean energy & green technologies",
    "cybersecurity": "Cybersecurity",
    "life_sciences": "Life sciences & biotechnology",
    "photonics": "Photonics",
    "quantum": "Quantum technologies",
    "raw_materials": "Raw materials & circular economy",
    "semiconductors": "Semiconductors & microelectronics",
    "space_aeronautics": "Space & aeronautics",
}
AREAS: tuple[str, ...] = tuple(AREA_LABELS)
#: The eight EQF levels, as the ``eqf`` dimension of the optional ``levels`` table.
EQF_LEVELS: tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7", "8")

_ISO2 = re.compile(r"^[A-Z]{2}$")


def is_eu(place: str) -> bool:
    """Whether a place of the release domain is an EU member state."""
    return place in EU27


def place_of(country: str) -> str:
    """The release-domain place of an ISO 3166-1 alpha-2 country code.

    EU members stay themselves (``EL`` is read as ``GR``); any other country becomes its world
    region; a region code is returned as it is.

    Raises:
        InvalidInput: Not a two-letter code.
    """
    code = country.strip().upper()
    if code == "EL":
        return "GR"
    if not _ISO2.match(code):
        raise InvalidInput(
            f"'{country}' is not a country code: use ISO 3166-1 alpha-2, e.g. DE or IN.",
            details={"country": country},
        )
    if code in EU27 or code in REGIONS:
        return code
    region = _REGION_OF.get(code)
    if region is None:
        raise InvalidInput(
            f"'{country}' is not a country SkillPass places in a world region; use the ISO "
            "3166-1 alpha-2 code of a country, or a region code "
            f"({', '.join(f'{k} {v}' for k, v in REGIONS.items())}).",
            details={"country": country},
        )
    return region


_PERIOD = re.compile(r"^(?P<year>\d{4})(?:(?P<kind>[QH])(?P<n>\d))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A release period: a quarter (``2026Q3``), a half (``2026H2``) or a year (``2026``).

    A half or a year covers several quarters and is charged to the budget of each of them.
    """

    year: int
    first_quarter: int
    last_quarter: int

    @property
    def code(self) -> str:
        """The period as written, e.g. ``2026Q3``."""
        if self.first_quarter == self.last_quarter:
            return f"{self.year}Q{self.first_quarter}"
        if (self.first_quarter, self.last_quarter) == (1, 4):
            return str(self.year)
        return f"{self.year}H{1 if self.first_quarter == 1 else 2}"

    @property
    def cycle(self) -> str:
        """The budget cycle (the calendar year) the period belongs to."""
        return str(self.year)

    @property
    def quarters(self) -> tuple[str, ...]:
        """Every quarter the period covers, e.g. ``("2026Q3", "2026Q4")``."""
        return tuple(f"{self.year}Q{q}" for q in range(self.first_quarter, self.last_quarter + 1))

    @property
    def is_quarter(self) -> bool:
        """Whether the period is a single quarter."""
        return self.first_quarter == self.last_quarter

    @property
    def start(self) -> datetime:
        """First instant of the period (UTC)."""
        return datetime(self.year, 3 * self.first_quarter - 2, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """First instant after the period (UTC)."""
        if self.last_quarter == 4:
            return datetime(self.year + 1, 1, 1, tzinfo=UTC)
        return datetime(self.year, 3 * self.last_quarter + 1, 1, tzinfo=UTC)

    def contains(self, day: date) -> bool:
        """Whether a day falls in the period."""
        return self.start.date() <= day < self.end.date()

    def overlaps(self, other: Period) -> bool:
        """Whether two periods share a quarter."""
        return bool(set(self.quarters) & set(other.quarters))

    def previous_quarters(self, n: int) -> list[Period]:
        """The ``n`` quarters ending with this period's last quarter, oldest first."""
        index = self.year * 4 + self.last_quarter - 1
        out = []
        for i in range(index - n + 1, index + 1):
            year, q = divmod(i, 4)
            out.append(Period(year, q + 1, q + 1))
        return out


def parse_period(text: str) -> Period:
    """Read ``2026Q3``, ``2026H2`` or ``2026``.

    Raises:
        InvalidInput: Anything else, with the accepted forms.
    """
    match = _PERIOD.match(text.strip().upper())
    if match is None:
        raise InvalidInput(
            f"'{text}' is not a period: write a quarter (2026Q3), a half (2026H2) "
            "or a year (2026).",
            details={"period": text},
        )
    year = int(match["year"])
    kind, n = match["kind"], match["n"]
    if kind is None:
        return Period(year, 1, 4)
    number = int(n)
    if kind == "Q" and 1 <= number <= 4:
        return Period(year, number, number)
    if kind == "H" and number in (1, 2):
        return Period(year, 2 * number - 1, 2 * number)
    raise InvalidInput(
        f"'{text}' is not a period: quarters are Q1 to Q4 (2026Q3), halves H1 and H2.",
        details={"period": text},
    )
