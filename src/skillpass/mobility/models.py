"""Domain models of STEM talent mobility: consents, declared moves, events, released tables,
budgets and the indicators computed from released tables.

Nothing here knows about SQL, HTTP or the command line. Individual-level models (consents, moves,
events) never leave the service layer except to their own learner; released tables and indicators
are aggregates with differential-privacy noise.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from skillpass.mobility.categories import AREAS

__all__ = [
    "BudgetStatus",
    "CapabilityMixRow",
    "Consent",
    "CorridorFlow",
    "CountryFlows",
    "CountryIndicators",
    "DeclaredMove",
    "Estimate",
    "EventKind",
    "FlowsOverview",
    "LevelRow",
    "MobilityEvent",
    "MoveCreate",
    "OfficialFlow",
    "OfficialImport",
    "QueryName",
    "ReleaseResult",
    "ReleasedCell",
    "ReleasedTable",
    "SyntheticSummary",
    "TrendPoint",
]


class EventKind(StrEnum):
    """What a mobility event records."""

    VERIFICATION = (
        "verification"  # a credential issued in origin verified by someone in destination
    )
    RECOGNITION = "recognition"  # … formally recognised by an organisation in destination
    MOVE = "move"  # a person moved from origin to destination
    ACTIVE = "active"  # a person was active in a country (origin = destination): the population


class QueryName(StrEnum):
    """The predefined released tables (their dimensions never depend on the data)."""

    MOVES = "moves"  # origin × destination × capability area: people moving
    CORRIDORS = "corridors"  # origin × destination (all areas): the flow matrix
    FLOWS = "flows"  # place × area × direction (in | out): inflows and outflows
    VERIFICATIONS = "verifications"  # issuer country × verifier country × area (both event kinds)
    POPULATION = "population"  # country × area: the platform's active STEM population
    LEVELS = "levels"  # area × EQF level of verified/recognised credentials (optional table)


class Consent(BaseModel):
    """A learner's consent to count their declared moves in statistics."""

    model_config = ConfigDict(frozen=True)

    granted_at: datetime | None
    withdrawn_at: datetime | None

    @property
    def active(self) -> bool:
        """Whether consent stands now."""
        return self.granted_at is not None and self.withdrawn_at is None


def _area(value: str) -> str:
    if value not in AREAS:
        raise ValueError(f"unknown capability area '{value}'; use one of: {', '.join(AREAS)}")
    return value


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError("use an ISO 3166-1 alpha-2 country code, e.g. DE")
    return code


class MoveCreate(BaseModel):
    """A move a learner declares in their passport."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    origin: str = Field(min_length=2, max_length=2)  # personal data
    destination: str = Field(min_length=2, max_length=2)  # personal data
    moved_on: date  # personal data
    area_id: str = Field(max_length=64)
    occupation_uri: str | None = Field(default=None, max_length=255)
    eqf: int | None = Field(default=None, ge=1, le=8)

    _check_area = field_validator("area_id")(_area)
    _check_origin = field_validator("origin", "destination")(_country)


class DeclaredMove(MoveCreate):
    """A stored declared move (the learner's own record)."""

    model_config = ConfigDict(frozen=True)

    public_id: str
    created_at: datetime


class MobilityEvent(BaseModel):
    """One individual-level event, kept in the store and never released as such.

    ``person_key`` is a keyed pseudonym: it only serves to bound each person's contribution.
    """

    model_config = ConfigDict(frozen=True)

    kind: EventKind
    person_key: str = Field(max_length=64)
    origin: str = Field(min_length=2, max_length=2)
    destination: str = Field(min_length=2, max_length=2)
    area_id: str
    eqf: int | None = None
    occurred_at: datetime
    synthetic: bool = False


class ReleasedCell(BaseModel):
    """One cell of a released table: a signed noisy count with its 95% confidence interval.

    ``value`` is never clamped at zero (a negative count means "small, noise-dominated"): sums and
    differences of signed counts stay unbiased. ``suppressed`` marks cells where the noise
    dominates (the interval includes zero); the UI hides their value and shows the coarser total.
    """

    model_config = ConfigDict(frozen=True)

    key: tuple[str, ...]
    value: int
    ci_low: float
    ci_high: float
    suppressed: bool


class ReleasedTable(BaseModel):
    """A table as released: every cell of the predefined domain, with its noise parameters."""

    model_config = ConfigDict(frozen=True)

    release_id: str
    query: QueryName
    period: str
    cycle: str
    dims: tuple[str, ...]
    mechanism: str
    rho: float
    contribution_bound: int
    sigma: float  # standard deviation of the noise on one cell
    ci95: float  # half-width of the 95% confidence interval of one cell
    synthetic: bool
    created_at: datetime
    values: dict[tuple[str, ...], int]

    def cells(self, *, include_zero_suppressed: bool = True) -> list[ReleasedCell]:
        """The cells with intervals and suppression marks, largest first."""
        out = [
            ReleasedCell(
                key=key,
                value=value,
                ci_low=value - self.ci95,
                ci_high=value + self.ci95,
                suppressed=value < self.ci95,
            )
            for key, value in self.values.items()
        ]
        if not include_zero_suppressed:
            out = [cell for cell in out if not cell.suppressed]
        return sorted(out, key=lambda c: (-c.value, c.key))


class BudgetStatus(BaseModel):
    """The zCDP budget of one cycle (calendar year): caps and what releases have spent."""

    model_config = ConfigDict(frozen=True)

    cycle: str
    rho_cap_year: float
    rho_cap_quarter: float
    spent_year: float
    spent_by_quarter: dict[str, float]

    @property
    def remaining_year(self) -> float:
        """Budget left in the year."""
        return max(0.0, self.rho_cap_year - self.spent_year)

    def remaining_quarter(self, quarter: str) -> float:
        """Budget left in one quarter (``2026Q3``)."""
        return max(0.0, self.rho_cap_quarter - self.spent_by_quarter.get(quarter, 0.0))


class ReleaseResult(BaseModel):
    """What one run of the release job published and spent."""

    model_config = ConfigDict(frozen=True)

    period: str
    rho: float
    tables: list[ReleasedTable]
    budget: BudgetStatus


class Estimate(BaseModel):
    """A derived estimate with its 95% interval (from the released noise scales).

    ``reliable`` is false when the interval includes zero (or the denominator is noise-dominated).
    """

    model_config = ConfigDict(frozen=True)

    value: float
    ci_low: float
    ci_high: float
    reliable: bool


class CountryFlows(BaseModel):
    """Inflows, outflows and the net flow of one place (optionally one capability area)."""

    model_config = ConfigDict(frozen=True)

    place: str
    label: str
    area_id: str | None = None
    inflow: Estimate
    outflow: Estimate
    net: Estimate
    population: Estimate | None = None
    net_per_10k: Estimate | None = None


class CorridorFlow(BaseModel):
    """One origin → destination corridor, summed over capability areas."""

    model_config = ConfigDict(frozen=True)

    origin: str
    destination: str
    flow: Estimate


class CapabilityMixRow(BaseModel):
    """Arrivals and departures of one capability area in one place (counts and shares)."""

    model_config = ConfigDict(frozen=True)

    area_id: str
    label: str
    arrivals: Estimate
    departures: Estimate
    arrival_share: float
    departure_share: float


class TrendPoint(BaseModel):
    """One quarter of a place's flows."""

    model_config = ConfigDict(frozen=True)

    period: str
    inflow: Estimate
    outflow: Estimate
    net: Estimate


class LevelRow(BaseModel):
    """One capability area of the optional ``levels`` table: how many holders of verified or
    recognised cross-border credentials of the area sit at each EQF level."""

    model_config = ConfigDict(frozen=True)

    area_id: str
    label: str
    #: EQF levels 1 to 8, in order.
    levels: list[Estimate]
    #: The sum of the eight cells (coarser, so less often noise-dominated).
    total: Estimate


class FlowsOverview(BaseModel):
    """The whole picture for some quarters, computed only from released tables."""

    model_config = ConfigDict(frozen=True)

    periods: list[str]
    area_id: str | None
    synthetic: bool
    sigma_moves: float  # noise standard deviation of one cell of one quarter's moves table
    countries: list[CountryFlows]
    corridors: list[CorridorFlow]
    matrix: list[CorridorFlow]
    arrivals_from_outside: Estimate
    departures_to_outside: Estimate
    within_eu: Estimate
    #: The optional ``levels`` table over the quarters of the window it was released for (none:
    #: not released for any of them).
    levels: list[LevelRow] = Field(default_factory=list)
    levels_periods: list[str] = Field(default_factory=list)


class CountryIndicators(BaseModel):
    """Everything the country page shows, computed only from released tables."""

    model_config = ConfigDict(frozen=True)

    place: str
    label: str
    periods: list[str]
    synthetic: bool
    flows: CountryFlows
    by_area: list[CountryFlows]
    mix: list[CapabilityMixRow]
    origins: list[CorridorFlow]
    destinations: list[CorridorFlow]
    trend: list[TrendPoint]
    retention: Estimate | None
    retention_quarters: int
    official: list[OfficialFlow]


class OfficialFlow(BaseModel):
    """One row of an imported official statistic (e.g. a Eurostat table)."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(min_length=1, max_length=200)
    origin: str = Field(min_length=2, max_length=8)
    destination: str = Field(min_length=2, max_length=8)
    field: str = Field(min_length=1, max_length=64)
    year: int = Field(ge=1950, le=2100)
    count: float = Field(ge=0)


class OfficialImport(BaseModel):
    """The result of importing an official-statistics file."""

    model_config = ConfigDict(frozen=True)

    rows: int
    sources: list[str]


class SyntheticSummary(BaseModel):
    """What the synthetic generator wrote."""

    model_config = ConfigDict(frozen=True)

    people: int
    periods: list[str]
    events: dict[str, int]


CountryIndicators.model_rebuild()
