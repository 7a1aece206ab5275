"""Domain models of the catalogue, the funding directory and the pathway planner (issue 6)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from skillpass.passport.models import SkillRef

__all__ = [
    "Applicant",
    "AppliedFunding",
    "CourseType",
    "EligibilityResult",
    "EligibilityRules",
    "EmploymentStatus",
    "FundingBenefit",
    "FundingLevel",
    "FundingProgramme",
    "Objective",
    "Opportunity",
    "OpportunityCreate",
    "OpportunityMode",
    "OpportunityQuery",
    "Plan",
    "PlanConstraints",
    "PlanRequest",
    "PlanStatus",
    "PlanStep",
    "Situation",
    "TargetKind",
    "TargetRef",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


# --- catalogue ---------------------------------------------------------------------------------


class OpportunityMode(StrEnum):
    """How an opportunity is delivered."""

    ONLINE = "online"
    ONSITE = "onsite"
    BLENDED = "blended"


class CourseType(StrEnum):
    """Kinds of learning opportunity (funding rules refer to them)."""

    MICRO_CREDENTIAL = "micro_credential"
    SHORT_COURSE = "short_course"
    VET_MODULE = "vet_module"
    UNIVERSITY_MODULE = "university_module"
    APPRENTICESHIP = "apprenticeship"
    BOOTCAMP = "bootcamp"


class OpportunityCreate(BaseModel):
    """A learning opportunity as a provider publishes it (import row, API body).

    Outcomes and prerequisites are ESCO skill URIs; ``achievement_id`` names the micro-credential
    definition issued on completion, when there is one on this platform.
    """

    title: str = Field(min_length=3, max_length=300)
    provider: str = Field(min_length=2, max_length=300)
    provider_id: str | None = None  # organisation public id when the provider is on the platform
    country: str = Field(pattern=r"^[A-Z]{2}$")
    region: str | None = Field(default=None, max_length=16)  # NUTS code
    languages: list[str] = Field(min_length=1)
    mode: OpportunityMode
    course_type: CourseType = CourseType.MICRO_CREDENTIAL
    start_dates: list[date] = Field(default_factory=list)  # empty: start any time (self-paced)
    duration_weeks: float = Field(gt=0, le=520)
    hours: float = Field(gt=0, le=10_000)  # notional workload
    ects: float | None = Field(default=None, ge=0, le=240)
    cost_eur: float = Field(ge=0)
    eqf: int | None = Field(default=None, ge=1, le=8)
    outcomes: list[str] = Field(min_length=1)  # ESCO skill URIs
    prerequisite_skills: list[str] = Field(default_factory=list)  # ESCO skill URIs
    prerequisite_opportunities: list[str] = Field(default_factory=list)  # opportunity ids
    achievement_id: str | None = None
    stackable_towards: str | None = Field(default=None, max_length=300)
    url: str | None = None
    description: str = ""
    synthetic: bool = False


class Opportunity(_Frozen):
    """A stored learning opportunity."""

    id: str
    title: str
    provider: str
    provider_id: str | None = None
    country: str
    region: str | None = None
    languages: list[str]
    mode: OpportunityMode
    course_type: CourseType
    start_dates: list[date]
    duration_weeks: float
    hours: float
    ects: float | None = None
    cost_eur: float
    eqf: int | None = None
    outcomes: list[SkillRef]
    prerequisite_skills: list[SkillRef] = Field(default_factory=list)
    prerequisite_opportunities: list[str] = Field(default_factory=list)
    achievement_id: str | None = None
    stackable_towards: str | None = None
    capability_areas: list[str] = Field(default_factory=list)
    url: str | None = None
    description: str = ""
    synthetic: bool = False
    created_at: datetime
    updated_at: datetime


class OpportunityQuery(BaseModel):
    """Search and filter the catalogue (all filters optional, combined with AND)."""

    text: str | None = None
    skill: str | None = None  # ESCO URI among outcomes
    capability_area: str | None = None
    country: str | None = None
    language: str | None = None
    mode: OpportunityMode | None = None
    max_cost_eur: float | None = None
    eqf: int | None = None
    provider_id: str | None = None
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0)


# --- funding -----------------------------------------------------------------------------------


class FundingLevel(StrEnum):
    """Who funds: the EU, a country, a region or a municipality."""

    EU = "eu"
    NATIONAL = "national"
    REGIONAL = "regional"
    LOCAL = "local"


class Applicant(StrEnum):
    """Who can apply for a programme."""

    INDIVIDUALS = "individuals"
    EMPLOYERS = "employers"
    PROVIDERS = "providers"
    PUBLIC_BODIES = "public_bodies"


class EmploymentStatus(StrEnum):
    """A person's employment situation."""

    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    UNEMPLOYED = "unemployed"
    STUDENT = "student"
    INACTIVE = "inactive"


class EligibilityRules(_Frozen):
    """Explicit, testable conditions; an empty/None field does not restrict. Every rule that
    decides produces a sentence ("eligible because …" / "not eligible: …")."""

    countries: list[str] = Field(default_factory=list)  # ISO 3166-1 alpha-2 of residence
    regions: list[str] = Field(default_factory=list)  # NUTS prefixes of residence
    min_age: int | None = None
    max_age: int | None = None
    employment_status: list[EmploymentStatus] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)  # NACE section letters or codes (prefix)
    max_annual_income_eur: float | None = None
    max_company_size: int | None = None  # employees, for employers' programmes
    course_types: list[CourseType] = Field(default_factory=list)
    capability_areas: list[str] = Field(default_factory=list)
    course_countries: list[str] = Field(default_factory=list)  # where the course must be
    min_eqf: int | None = None
    max_eqf: int | None = None
    min_hours: float | None = None


class FundingBenefit(_Frozen):
    """What the programme pays for one opportunity: ``percent`` of the cost, capped at
    ``cap_eur`` per course, plus/or a ``fixed_eur`` amount; ``annual_cap_eur`` bounds a person's
    total per year across courses (the planner respects it); ``stackable`` programmes combine
    with other stackable ones for the same course, the others are applied alone."""

    percent: float = Field(default=0, ge=0, le=100)
    fixed_eur: float = Field(default=0, ge=0)
    cap_eur: float | None = Field(default=None, ge=0)
    annual_cap_eur: float | None = Field(default=None, ge=0)
    #: True when the source says it may be combined with other funding for the same course
    #: (e.g. a personal credit used on top of a fee subsidy); False: applied alone.
    stackable: bool = False


class FundingProgramme(_Frozen):
    """A funding programme for skills, with its rules and its sources."""

    id: str
    name: str
    funder: str
    level: FundingLevel
    country: str  # ISO code, or "EU"
    region: str | None = None
    applicants: list[Applicant]
    description: str  # what it funds, in plain words
    eligibility_text: str  # the source's eligibility, paraphrased
    amount_text: str  # as stated in the source, with its year
    status_text: str = ""
    rules: EligibilityRules = Field(default_factory=EligibilityRules)
    benefit: FundingBenefit | None = None  # None: not modelled as a per-course subsidy
    deadline: date | None = None
    url: str | None = None
    sources: list[str] = Field(default_factory=list)
    #: True for the shipped seed: real programme types modelled on public schemes, to be
    #: replaced or confirmed by the operator; shown with an "example" label.
    example: bool = True
    active: bool = True


class Situation(BaseModel):
    """A person's (or organisation's) situation, for funding eligibility."""

    applicant: Applicant = Applicant.INDIVIDUALS
    country: str | None = None
    region: str | None = None  # NUTS code of residence
    age: int | None = Field(default=None, ge=14, le=100)
    employment_status: EmploymentStatus | None = None
    sector: str | None = None  # NACE
    annual_income_eur: float | None = Field(default=None, ge=0)
    company_size: int | None = Field(default=None, ge=1)


class EligibilityResult(_Frozen):
    """Whether a situation (and optionally an opportunity) meets a programme's rules, and why."""

    programme_id: str
    programme_name: str
    eligible: bool
    reasons: list[str]  # one sentence per rule that decided, in plain words
    unknown: list[str] = Field(default_factory=list)  # rules the situation did not answer
    amount_eur: float | None = None  # for an opportunity: what the programme would pay


# --- planner -----------------------------------------------------------------------------------


class TargetKind(StrEnum):
    """What a person aims at."""

    OCCUPATION = "occupation"
    CAPABILITY_AREA = "capability_area"
    ACHIEVEMENT = "achievement"  # a micro-credential definition / qualification on the platform


class TargetRef(BaseModel):
    """A target: an ESCO occupation URI, a capability area id or a definition id."""

    kind: TargetKind
    id: str


class Objective(StrEnum):
    """What the planner minimises."""

    COST = "cost"  # cost after funding
    HOURS = "hours"
    TIME = "time"  # weeks to completion


class PlanConstraints(BaseModel):
    """Constraints on a plan."""

    budget_eur: float | None = Field(default=None, ge=0)
    hours_per_week: float | None = Field(default=None, gt=0, le=80)
    deadline: date | None = None
    start: date | None = None  # default: today
    languages: list[str] = Field(default_factory=list)  # empty: any
    online_only: bool = False
    country: str | None = None  # onsite/blended courses must be in this country
    include_optional: bool = True  # cover optional skills as far as the budget allows


class PlanRequest(BaseModel):
    """Everything the planner needs."""

    have: list[str]  # ESCO skill URIs the person already has (from their profile)
    target: TargetRef
    constraints: PlanConstraints = Field(default_factory=PlanConstraints)
    situation: Situation = Field(default_factory=Situation)
    objective: Objective = Objective.COST
    alternatives: int = Field(default=2, ge=0, le=5)


class AppliedFunding(_Frozen):
    """Funding applied to one step, with its reason."""

    programme_id: str
    programme_name: str
    amount_eur: float
    reason: str


class PlanStep(_Frozen):
    """One opportunity in a plan, when it runs and why it is there."""

    opportunity: Opportunity
    start: date
    end: date
    cost_eur: float
    funding: list[AppliedFunding]
    funded_cost_eur: float
    covers: list[SkillRef]  # target skills it covers that the person lacks
    why: str


class PlanStatus(StrEnum):
    """How the solver ended."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    NOTHING_TO_DO = "nothing_to_do"


class Plan(_Frozen):
    """A pathway plan (and its alternatives)."""

    status: PlanStatus
    objective: Objective
    objective_value: float | None
    steps: list[PlanStep]
    covered_essential: list[SkillRef]
    covered_optional: list[SkillRef]
    already_have: list[SkillRef]
    uncoverable: list[SkillRef]  # needed skills no opportunity in the catalogue teaches
    missing_after_plan: list[SkillRef]  # coverable, but left out by the constraints
    total_cost_eur: float
    total_funded_cost_eur: float
    total_hours: float
    finish: date | None
    explanation: list[str]  # plain-words reasons, incl. why infeasible and what to relax
    alternatives: list[Plan] = Field(default_factory=list)
