"""Domain models of the Pact for Skills community.

Organisations join with a *community profile* (what they offer and need), publish *commitments*
with targets and report *progress* once a year (the member survey). *Partnerships* (large-scale
sectoral ones and regional ones) group organisations under coordinators. *Partner finding* ranks
complementary organisations with reasons; a *contact request* shares contact details only after
the other side accepts. The *best-practice library* holds case studies that moderators publish;
*posts* are news and events.

These models know nothing of storage, HTTP or the command line.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "AreaRow",
    "Commitment",
    "CommitmentCreate",
    "CommunityRole",
    "ContactDetails",
    "ContactRequest",
    "ContactStatus",
    "Dashboard",
    "DashboardTotals",
    "MatchedCourse",
    "Offering",
    "PartnerSuggestion",
    "Partnership",
    "PartnershipCreate",
    "PartnershipKind",
    "PartnershipMember",
    "Post",
    "PostCreate",
    "PostKind",
    "Practice",
    "PracticeCreate",
    "PracticeQuery",
    "PracticeStatus",
    "PracticeType",
    "Profile",
    "ProfileCreate",
    "Progress",
    "ProgressCreate",
    "YearRow",
]

_NACE = re.compile(r"^[A-U]([0-9]{1,2}(\.[0-9]{1,2})?)?$")
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class CommunityRole(StrEnum):
    """What kind of partner an organisation is in the community."""

    EMPLOYER = "employer"
    VET_PROVIDER = "vet_provider"
    UNIVERSITY = "university"
    SOCIAL_PARTNER = "social_partner"
    CHAMBER = "chamber"
    PUBLIC_BODY = "public_body"


#: Roles that teach: an employer and one of these make an industry–education pair.
EDUCATION_ROLES = frozenset({CommunityRole.VET_PROVIDER, CommunityRole.UNIVERSITY})


class PartnershipKind(StrEnum):
    """Large-scale partnerships are sectoral and EU-wide; regional ones serve one NUTS region."""

    LARGE_SCALE = "large_scale"
    REGIONAL = "regional"


class PracticeType(StrEnum):
    """The kinds of case study in the best-practice library."""

    VET_EXCELLENCE = "vet_excellence"
    STEM_PROMOTION = "stem_promotion"
    LIFELONG_LEARNING = "lifelong_learning"
    MICRO_CREDENTIALS = "micro_credentials"
    INDUSTRY_EDUCATION = "industry_education"


class PracticeStatus(StrEnum):
    """Organisations submit; moderators publish or reject."""

    SUBMITTED = "submitted"
    PUBLISHED = "published"
    REJECTED = "rejected"


class ContactStatus(StrEnum):
    """A contact request waits until the receiving organisation decides."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class PostKind(StrEnum):
    """News or an event (with a date, a place and a registration link)."""

    NEWS = "news"
    EVENT = "event"


def clean_codes(values: list[str], pattern: re.Pattern[str], what: str) -> list[str]:
    """Upper-case, de-duplicate and check a list of codes (NACE, NUTS, countries).

    Raises:
        ValueError: A code does not match ``pattern`` (the message names it and ``what``).
    """
    seen: list[str] = []
    for value in values:
        code = value.strip().upper()
        if not code:
            continue
        if not pattern.match(code):
            raise ValueError(f"{value!r} is not a {what}")
        if code not in seen:
            seen.append(code)
    return seen


def _clean_words(values: list[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        text = " ".join(value.split())
        if text and text not in seen:
            seen.append(text)
    return seen


class Offering(_Frozen):
    """What an organisation offers, or needs: capability areas, ESCO skills, services.

    Attributes:
        capability_areas: Capability-area ids (``batteries``, ``ai_data`` …).
        skills: ESCO skill URIs.
        services: Free words such as ``apprenticeships``, ``work placements``,
            ``training places``, ``trainers``.
    """

    capability_areas: list[str] = Field(default_factory=list, max_length=30)
    skills: list[str] = Field(default_factory=list, max_length=100)
    services: list[str] = Field(default_factory=list, max_length=30)

    @field_validator("capability_areas", "services")
    @classmethod
    def _words(cls, values: list[str]) -> list[str]:
        return _clean_words(values)

    @field_validator("skills")
    @classmethod
    def _uris(cls, values: list[str]) -> list[str]:
        uris = _clean_words(values)
        for uri in uris:
            if not uri.startswith("http://data.europa.eu/esco/"):
                raise ValueError(f"{uri!r} is not an ESCO URI (http://data.europa.eu/esco/…)")
        return uris


class ProfileCreate(BaseModel):
    """What an organisation tells the community when it joins (or updates its profile)."""

    role: CommunityRole
    description: str = Field(default="", max_length=5000)
    sectors: list[str] = Field(default_factory=list, max_length=20)  # NACE codes
    regions: list[str] = Field(default_factory=list, max_length=20)  # NUTS codes
    offers: Offering = Field(default_factory=Offering)
    needs: Offering = Field(default_factory=Offering)
    contact_email: str | None = Field(default=None, max_length=320)
    website: str | None = Field(default=None, max_length=500)

    @field_validator("sectors")
    @classmethod
    def _nace(cls, values: list[str]) -> list[str]:
        return clean_codes(values, _NACE, "NACE code such as C27 or P85.3")

    @field_validator("regions")
    @classmethod
    def _nuts(cls, values: list[str]) -> list[str]:
        return clean_codes(values, _NUTS, "NUTS code such as SE110")


class Profile(_Frozen):
    """An organisation in the community (public view: no contact details).

    ``contact_email`` is deliberately absent: it is shared only through an accepted
    :class:`ContactRequest`.
    """

    organisation_id: str
    name: str
    country: str
    region: str | None = None
    role: CommunityRole
    description: str = ""
    sectors: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    offers: Offering = Field(default_factory=Offering)
    needs: Offering = Field(default_factory=Offering)
    website: str | None = None
    joined_at: datetime
    synthetic: bool = False

    @property
    def places(self) -> list[str]:
        """Every NUTS code the organisation works in (its home region first)."""
        places = [self.region] if self.region else []
        return places + [r for r in self.regions if r not in places]


class ContactDetails(_Frozen):
    """What the other side learns once a contact request is accepted."""

    organisation_id: str
    name: str
    contact_email: str | None = None  # personal data (may name a person)
    website: str | None = None


class Progress(_Frozen):
    """One year's progress on a commitment (an answer to the member survey)."""

    year: int
    people_reached: int = 0
    investment_eur: float = 0.0
    courses_delivered: int = 0
    note: str | None = None
    reported_at: datetime


class ProgressCreate(BaseModel):
    """A yearly progress report."""

    year: int = Field(ge=2000, le=2100)
    people_reached: int = Field(default=0, ge=0, le=100_000_000)
    investment_eur: float = Field(default=0.0, ge=0, le=1e12)
    courses_delivered: int = Field(default=0, ge=0, le=10_000_000)
    note: str | None = Field(default=None, max_length=2000)


class CommitmentCreate(BaseModel):
    """A commitment: upskill N people in an area by a year, invest EUR Z, offer K places."""

    title: str = Field(min_length=3, max_length=300)
    capability_area: str | None = Field(default=None, max_length=64)
    target_people: int | None = Field(default=None, ge=0, le=100_000_000)
    target_investment_eur: float | None = Field(default=None, ge=0, le=1e12)
    target_training_places: int | None = Field(default=None, ge=0, le=100_000_000)
    target_year: int = Field(ge=2000, le=2100)
    sectors: list[str] = Field(default_factory=list, max_length=20)
    regions: list[str] = Field(default_factory=list, max_length=20)
    partnership_id: str | None = Field(default=None, max_length=32)

    @field_validator("sectors")
    @classmethod
    def _nace(cls, values: list[str]) -> list[str]:
        return clean_codes(values, _NACE, "NACE code such as C27 or P85.3")

    @field_validator("regions")
    @classmethod
    def _nuts(cls, values: list[str]) -> list[str]:
        return clean_codes(values, _NUTS, "NUTS code such as SE110")


class Commitment(_Frozen):
    """A published commitment with its yearly progress (oldest year first)."""

    id: str
    organisation_id: str
    organisation_name: str
    partnership_id: str | None = None
    title: str
    capability_area: str | None = None
    target_people: int | None = None
    target_investment_eur: float | None = None
    target_training_places: int | None = None
    target_year: int
    sectors: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    synthetic: bool = False
    created_at: datetime
    progress: list[Progress] = Field(default_factory=list)

    @property
    def people_reached(self) -> int:
        """People reached over every reported year."""
        return sum(p.people_reached for p in self.progress)

    @property
    def investment_eur(self) -> float:
        """Investment over every reported year."""
        return sum(p.investment_eur for p in self.progress)


class PartnershipCreate(BaseModel):
    """A new partnership; the creating organisation becomes its first coordinator."""

    name: str = Field(min_length=3, max_length=300)
    kind: PartnershipKind
    sector: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=16)
    description: str = Field(default="", max_length=5000)

    @field_validator("region")
    @classmethod
    def _nuts(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return clean_codes([value], _NUTS, "NUTS code such as SE110")[0]


class PartnershipMember(_Frozen):
    """An organisation in a partnership, as ``coordinator`` or ``member``."""

    organisation_id: str
    name: str
    country: str
    role: str
    joined_at: datetime


class Partnership(_Frozen):
    """A skills partnership with its members (coordinators first)."""

    id: str
    name: str
    kind: PartnershipKind
    sector: str | None = None
    region: str | None = None
    description: str = ""
    synthetic: bool = False
    created_at: datetime
    members: list[PartnershipMember] = Field(default_factory=list)

    @property
    def coordinators(self) -> list[PartnershipMember]:
        """The coordinating organisations."""
        return [m for m in self.members if m.role == "coordinator"]


class DashboardTotals(_Frozen):
    """Totals over a set of commitments."""

    organisations: int
    commitments: int
    target_people: int
    target_investment_eur: float
    target_training_places: int
    people_reached: int
    investment_eur: float
    courses_delivered: int


class YearRow(_Frozen):
    """One reported year: the trend of the member survey."""

    year: int
    people_reached: int
    investment_eur: float
    courses_delivered: int
    reporting_commitments: int


class AreaRow(_Frozen):
    """Totals for one sector, region or capability area.

    A commitment in two sectors counts in both rows, so rows can add up to more than the total
    (like a survey question with several answers).
    """

    key: str
    label: str
    commitments: int
    target_people: int
    people_reached: int
    investment_eur: float


class Dashboard(_Frozen):
    """The aggregated picture: totals, the yearly trend, and breakdowns."""

    totals: DashboardTotals
    by_year: list[YearRow]
    by_sector: list[AreaRow]
    by_region: list[AreaRow]
    by_capability_area: list[AreaRow]
    synthetic_commitments: int = 0


class MatchedCourse(_Frozen):
    """A provider's course from the catalogue that meets an employer's need."""

    opportunity_id: str
    title: str
    region: str | None = None
    country: str
    covers: list[str]


class PartnerSuggestion(_Frozen):
    """A suggested partner, with the score and every reason behind it."""

    profile: Profile
    score: float
    reasons: list[str]
    courses: list[MatchedCourse] = Field(default_factory=list)


class ContactRequest(_Frozen):
    """A request to get in touch; ``contact`` holds the other side's details once accepted."""

    id: str
    from_organisation_id: str
    from_name: str
    to_organisation_id: str
    to_name: str
    message: str
    status: ContactStatus
    created_at: datetime
    decided_at: datetime | None = None
    contact: ContactDetails | None = None


class PracticeCreate(BaseModel):
    """A case study submitted to the library: what, who, where, results, contact."""

    title: str = Field(min_length=3, max_length=300)
    summary: str = Field(min_length=3, max_length=2000)
    what: str = Field(min_length=3, max_length=10_000)
    who: str = Field(min_length=2, max_length=5000)
    where: str = Field(min_length=2, max_length=200)
    results: str = Field(min_length=2, max_length=10_000)
    contact: str | None = Field(default=None, max_length=320)
    practice_type: PracticeType
    sectors: list[str] = Field(default_factory=list, max_length=20)
    countries: list[str] = Field(default_factory=list, max_length=40)
    capability_areas: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("sectors")
    @classmethod
    def _nace(cls, values: list[str]) -> list[str]:
        return clean_codes(values, _NACE, "NACE code such as C27 or P85.3")

    @field_validator("countries")
    @classmethod
    def _countries(cls, values: list[str]) -> list[str]:
        return clean_codes(values, _COUNTRY, "two-letter country code such as SE")

    @field_validator("capability_areas")
    @classmethod
    def _areas(cls, values: list[str]) -> list[str]:
        return _clean_words(values)


class Practice(_Frozen):
    """A case study in the library."""

    id: str
    organisation_id: str | None = None
    organisation_name: str | None = None
    title: str
    summary: str
    what: str
    who: str
    where: str
    results: str
    contact: str | None = None  # personal data (may name a person)
    practice_type: PracticeType
    sectors: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    capability_areas: list[str] = Field(default_factory=list)
    status: PracticeStatus
    moderation_note: str | None = None
    synthetic: bool = False
    created_at: datetime
    published_at: datetime | None = None

    @property
    def tags(self) -> list[str]:
        """Every tag: type, sectors, countries and capability areas."""
        return [self.practice_type.value, *self.sectors, *self.countries, *self.capability_areas]


class PracticeQuery(BaseModel):
    """Search the published library: words and tags (all optional, combined with AND)."""

    text: str | None = Field(default=None, max_length=200)
    tag: str | None = Field(default=None, max_length=64)
    practice_type: PracticeType | None = None
    sector: str | None = Field(default=None, max_length=10)
    country: str | None = Field(default=None, max_length=2)
    capability_area: str | None = Field(default=None, max_length=64)


class PostCreate(BaseModel):
    """News or an event."""

    kind: PostKind
    title: str = Field(min_length=3, max_length=300)
    body: str = Field(min_length=1, max_length=10_000)
    starts_at: datetime | None = None
    location: str | None = Field(default=None, max_length=200)
    registration_url: str | None = Field(default=None, max_length=500)

    @field_validator("registration_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.strip().startswith(("https://", "http://")):
            raise ValueError("the registration link must be an http(s) address")
        return value.strip()


class Post(_Frozen):
    """A news item or an event."""

    id: str
    kind: PostKind
    title: str
    body: str
    starts_at: datetime | None = None
    location: str | None = None
    registration_url: str | None = None
    synthetic: bool = False
    published_at: datetime
