"""HTTP routes of STEM talent mobility (``/api/v1/mobility``).

Reading serves **released tables only** (differentially private, noisy, signed counts with 95%
intervals) and the indicators computed from them; anyone may read them. Releasing spends privacy
budget and needs the analyst or admin role. A learner manages their own consent and declared
moves under ``/mobility/me``: moves are counted only while consent stands.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from skillpass.api.deps import AppDep, CurrentUser, require_roles
from skillpass.auth.models import Role, User
from skillpass.mobility.models import (
    BudgetStatus,
    Consent,
    CountryIndicators,
    DeclaredMove,
    FlowsOverview,
    MoveCreate,
    OfficialFlow,
    QueryName,
    ReleasedCell,
    ReleasedTable,
)

__all__ = [
    "ConsentPublic",
    "ReleaseCreate",
    "ReleasePublic",
    "ReleaseRunPublic",
    "ReleaseTablePublic",
    "router",
]

router = APIRouter(prefix="/mobility", tags=["mobility"])

Releaser = Annotated[User, Depends(require_roles(Role.ANALYST, Role.ADMIN))]
Periods = Annotated[
    list[str] | None,
    Query(alias="period", description="Released quarters, e.g. 2026Q3 (repeat); latest four."),
]


class ReleaseCreate(BaseModel):
    """Ask for a release of a period's tables."""

    model_config = ConfigDict(extra="forbid")

    period: str = Field(
        max_length=8, description="A quarter (2026Q3), a half (2026H2) or a year (2026)."
    )
    rho: float | None = Field(
        default=None, gt=0, description="zCDP budget of the whole release (default 0.25)."
    )
    levels: bool = Field(
        default=False,
        description="Also release the capability area × EQF level table of verified and "
        "recognised credentials, from the same ρ (it takes 10%; the other tables share the rest).",
    )


class ReleasePublic(BaseModel):
    """A released table's audit entry (without its cells)."""

    release_id: str = Field(description="Id of the released table.")
    query: QueryName = Field(description="Which predefined table.")
    period: str = Field(description="The period released.")
    cycle: str = Field(description="The budget cycle (calendar year).")
    dims: tuple[str, ...] = Field(description="The table's dimensions, in cell-key order.")
    mechanism: str = Field(description="The noise mechanism (OpenDP discrete Gaussian, zCDP).")
    rho: float = Field(description="zCDP budget this table spent.")
    contribution_bound: int = Field(description="Events counted per person and period at most.")
    sigma: float = Field(description="Standard deviation of the noise on one cell.")
    ci95: float = Field(description="Half-width of one cell's 95% confidence interval.")
    synthetic: bool = Field(description="Whether the data released are synthetic.")
    created_at: datetime = Field(description="When it was released.")

    @classmethod
    def of(cls, table: ReleasedTable) -> ReleasePublic:
        """The audit entry of a released table."""
        return cls.model_validate(table.model_dump(exclude={"values"}))


class ReleaseTablePublic(ReleasePublic):
    """A released table with its cells (signed noisy counts, never clamped)."""

    cells: list[ReleasedCell] = Field(
        description="Every cell with its 95% interval; `suppressed` marks cells where noise "
        "dominates (keep their signed value when summing: dropping them biases sums)."
    )


class ReleaseRunPublic(BaseModel):
    """What one release run published and the budget left."""

    period: str = Field(description="The period released.")
    rho: float = Field(description="zCDP budget spent by the run.")
    tables: list[ReleasePublic] = Field(description="The tables released.")
    budget: BudgetStatus = Field(description="The cycle's budget after the run.")


class ConsentPublic(BaseModel):
    """A learner's consent to count their declared moves in statistics."""

    active: bool = Field(description="Whether consent stands now.")
    granted_at: datetime | None = Field(description="When consent was (last) granted.")
    withdrawn_at: datetime | None = Field(description="When consent was withdrawn, if it was.")

    @classmethod
    def of(cls, consent: Consent) -> ConsentPublic:
        """The wire form of a consent."""
        return cls(
            active=consent.active,
            granted_at=consent.granted_at,
            withdrawn_at=consent.withdrawn_at,
        )


@router.get("/periods", response_model=list[str])
def periods(skillpass: AppDep) -> list[str]:
    """Quarters whose tables have been released, oldest first."""
    return skillpass.mobility.quarters()


@router.get("/flows", response_model=FlowsOverview)
def flows(
    skillpass: AppDep,
    period: Periods = None,
    area: Annotated[str | None, Query(max_length=64, description="One capability area.")] = None,
) -> FlowsOverview:
    """Inflows, outflows, net flows per place, the flow matrix and top corridors (released)."""
    return skillpass.mobility.overview(period, area)


@router.get("/countries/{place}", response_model=CountryIndicators)
def country(
    skillpass: AppDep,
    place: Annotated[str, Path(max_length=2, description="EU country or world region code.")],
    period: Periods = None,
) -> CountryIndicators:
    """Who arrives, who leaves, which capabilities; trend and retention (released tables)."""
    return skillpass.mobility.country(place, period)


@router.get("/releases", response_model=list[ReleasePublic])
def releases(
    skillpass: AppDep,
    period: Annotated[str | None, Query(max_length=8, description="Only this period.")] = None,
) -> list[ReleasePublic]:
    """Every released table (the audit), oldest first."""
    return [ReleasePublic.of(t) for t in skillpass.mobility.releases(period)]


@router.get("/releases/{release_id}", response_model=ReleaseTablePublic)
def release_table(
    skillpass: AppDep,
    release_id: Annotated[str, Path(max_length=32, description="Id of a released table.")],
) -> ReleaseTablePublic:
    """One released table with every cell."""
    table = skillpass.mobility.released_table(release_id)
    return ReleaseTablePublic(**ReleasePublic.of(table).model_dump(), cells=table.cells())


@router.post("/releases", response_model=ReleaseRunPublic, status_code=201)
def create_release(skillpass: AppDep, user: Releaser, body: ReleaseCreate) -> ReleaseRunPublic:
    """Release a period's tables with differential privacy (analyst or admin).

    Refused with 409 when it would pass the cycle's yearly or quarterly ρ cap.
    """
    result = skillpass.mobility.release(body.period, body.rho, actor=user, levels=body.levels)
    return ReleaseRunPublic(
        period=result.period,
        rho=result.rho,
        tables=[ReleasePublic.of(t) for t in result.tables],
        budget=result.budget,
    )


@router.get("/budget/{cycle}", response_model=BudgetStatus)
def budget(
    skillpass: AppDep,
    cycle: Annotated[str, Path(max_length=4, description="A calendar year, e.g. 2026.")],
) -> BudgetStatus:
    """A cycle's ρ caps and what releases have spent, per year and per quarter."""
    return skillpass.mobility.budget(cycle)


@router.get("/official", response_model=list[OfficialFlow])
def official(
    skillpass: AppDep,
    place: Annotated[str | None, Query(max_length=8, description="Origin or destination.")] = None,
) -> list[OfficialFlow]:
    """Imported official statistics (published figures, shown beside released flows)."""
    return skillpass.mobility.official(place.upper() if place else None)


@router.get("/me/consent", response_model=ConsentPublic)
def my_consent(skillpass: AppDep, user: CurrentUser) -> ConsentPublic:
    """Your consent to count your declared moves in mobility statistics."""
    return ConsentPublic.of(skillpass.mobility.consent(user))


@router.put("/me/consent", response_model=ConsentPublic)
def grant_consent(skillpass: AppDep, user: CurrentUser) -> ConsentPublic:
    """Grant consent: your declared moves count from the next release on (learners)."""
    return ConsentPublic.of(skillpass.mobility.set_consent(user, granted=True))


@router.delete("/me/consent", response_model=ConsentPublic)
def withdraw_consent(skillpass: AppDep, user: CurrentUser) -> ConsentPublic:
    """Withdraw consent: your moves stop counting at the next release."""
    return ConsentPublic.of(skillpass.mobility.set_consent(user, granted=False))


@router.get("/me/moves", response_model=list[DeclaredMove])
def my_moves(skillpass: AppDep, user: CurrentUser) -> list[DeclaredMove]:
    """Your declared moves (only you see them)."""
    return skillpass.mobility.moves(user)


@router.post("/me/moves", response_model=DeclaredMove, status_code=201)
def declare_move(skillpass: AppDep, user: CurrentUser, body: MoveCreate) -> DeclaredMove:
    """Declare a move (learners); counted in statistics only while your consent stands."""
    return skillpass.mobility.declare_move(user, body)


@router.delete("/me/moves/{move_id}", status_code=204)
def delete_move(
    skillpass: AppDep,
    user: CurrentUser,
    move_id: Annotated[str, Path(max_length=32, description="Id of one of your moves.")],
) -> Response:
    """Delete one of your declared moves."""
    skillpass.mobility.delete_move(user, move_id)
    return Response(status_code=204)
