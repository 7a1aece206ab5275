"""HTTP routes of the Pact for Skills community.

``/organisations`` (join, profiles, commitments, dashboards, funding from the one funding
directory), ``/commitments`` (progress: the yearly member survey; the community dashboard),
``/partnerships`` (members, coordinators, shared commitments, dashboard), ``/partners/suggest``
(ranked partners with reasons), ``/contact-requests`` (details shared once accepted),
``/practices`` (submit, moderate, search) and ``/posts`` (news and events).

Reading is open; every write needs a token, and the service decides who may: members of the
organisation, coordinators of the partnership, moderators (``403 forbidden`` otherwise, with a
message saying who may). Funding search itself is ``/api/v1/funding`` (routes_funding).
"""

from __future__ import annotations

from typing import Annotated, TypeVar

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, Field

from skillpass.api.deps import AppDep, CurrentUser, MaybeUser
from skillpass.api.routes_funding import EligibilityPublic, FundingSearchHit, ProgrammePublic
from skillpass.community.models import (
    Commitment,
    CommitmentCreate,
    CommunityRole,
    ContactRequest,
    Dashboard,
    Partnership,
    PartnershipCreate,
    PartnerSuggestion,
    Post,
    PostCreate,
    PostKind,
    Practice,
    PracticeCreate,
    PracticeQuery,
    PracticeType,
    Profile,
    ProfileCreate,
    ProgressCreate,
)
from skillpass.errors import NotFound

__all__ = [
    "CommitmentPublic",
    "ContactRequestPublic",
    "DashboardPublic",
    "JoinBody",
    "PartnershipPublic",
    "PostPublic",
    "PracticePublic",
    "ProfilePublic",
    "SuggestionPublic",
    "router",
]

router = APIRouter(tags=["community"])

OrgId = Annotated[str, Path(max_length=32, description="The organisation's public id.")]
ItemId = Annotated[str, Path(max_length=32, description="The public id.")]

_T = TypeVar("_T", bound=BaseModel)


def _as(cls: type[_T], value: BaseModel) -> _T:
    return cls.model_validate(value.model_dump())


class ProfilePublic(Profile):
    """An organisation in the community. Contact details are not here: they are shared
    through an accepted contact request."""


class CommitmentPublic(Commitment):
    """A commitment with its targets and yearly progress."""


class PartnershipPublic(Partnership):
    """A partnership with its members (coordinators first)."""


class DashboardPublic(Dashboard):
    """Totals, the yearly trend and breakdowns by sector, region and capability area (a
    commitment in two sectors counts in both rows)."""


class SuggestionPublic(PartnerSuggestion):
    """A suggested partner, its score and the reasons, with matching catalogue courses."""


class ContactRequestPublic(ContactRequest):
    """A contact request; ``contact`` is filled only once it is accepted."""


class PracticePublic(Practice):
    """A case study of the best-practice library."""


class PostPublic(Post):
    """News or an event."""


class JoinBody(ProfileCreate):
    """Join the community: either name an organisation you are a member of
    (``organisation_id``), or register a new one (``name``, ``country``, ``region``) and become
    its first member."""

    organisation_id: str | None = Field(default=None, max_length=32)
    name: str | None = Field(default=None, max_length=300, description="Legal name (new).")
    country: str | None = Field(default=None, max_length=2, description="ISO 3166 code (new).")
    region: str | None = Field(default=None, max_length=16, description="NUTS code (new).")


class PartnershipBody(PartnershipCreate):
    """A new partnership, coordinated by an organisation you are a member of."""

    coordinator_id: str = Field(max_length=32, description="The coordinating organisation.")


class MemberBody(BaseModel):
    """An organisation to add to a partnership."""

    organisation_id: str = Field(max_length=32)
    role: str = Field(default="member", description="member or coordinator.")


class ContactBody(BaseModel):
    """Ask another organisation for contact."""

    from_organisation_id: str = Field(max_length=32, description="Your organisation.")
    to_organisation_id: str = Field(max_length=32, description="The one you want to meet.")
    message: str = Field(min_length=1, max_length=2000, description="Why you want to meet.")


class PracticeBody(PracticeCreate):
    """A case study submitted for an organisation you are a member of."""

    organisation_id: str = Field(max_length=32)


class ModerationBody(BaseModel):
    """A moderator's note (optional)."""

    note: str | None = Field(default=None, max_length=2000)


# --- organisations --------------------------------------------------------------------------


@router.get("/organisations", response_model=list[ProfilePublic], summary="List organisations")
def list_organisations(app: AppDep) -> list[ProfilePublic]:
    """Every organisation in the community, by name. No sign-in needed."""
    return [_as(ProfilePublic, p) for p in app.community.organisations.profiles()]


@router.post(
    "/organisations",
    response_model=ProfilePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Join the community",
)
def join(body: JoinBody, app: AppDep, user: CurrentUser) -> ProfilePublic:
    """An organisation joins (or a member updates its profile when it has joined)."""
    profile = ProfileCreate.model_validate(
        body.model_dump(exclude={"organisation_id", "name", "country", "region"})
    )
    return _as(
        ProfilePublic,
        app.community.organisations.join(
            user,
            profile,
            organisation_id=body.organisation_id,
            name=body.name,
            country=body.country,
            region=body.region,
        ),
    )


@router.get("/organisations/{organisation_id}", response_model=ProfilePublic)
def get_organisation(organisation_id: OrgId, app: AppDep) -> ProfilePublic:
    """One organisation's public profile."""
    return _as(ProfilePublic, app.community.organisations.profile(organisation_id))


@router.put("/organisations/{organisation_id}", response_model=ProfilePublic)
def update_organisation(
    organisation_id: OrgId, body: ProfileCreate, app: AppDep, user: CurrentUser
) -> ProfilePublic:
    """Replace the profile (members only)."""
    return _as(
        ProfilePublic,
        app.community.organisations.join(user, body, organisation_id=organisation_id),
    )


@router.get("/organisations/{organisation_id}/commitments", response_model=list[CommitmentPublic])
def organisation_commitments(organisation_id: OrgId, app: AppDep) -> list[CommitmentPublic]:
    """The organisation's commitments with their progress, newest first."""
    app.community.organisations.profile(organisation_id)
    return [
        _as(CommitmentPublic, c) for c in app.community.organisations.commitments(organisation_id)
    ]


@router.post(
    "/organisations/{organisation_id}/commitments",
    response_model=CommitmentPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Publish a commitment",
)
def commit(
    organisation_id: OrgId, body: CommitmentCreate, app: AppDep, user: CurrentUser
) -> CommitmentPublic:
    """Publish a commitment for the organisation (members only)."""
    return _as(CommitmentPublic, app.community.organisations.commit(user, organisation_id, body))


@router.get("/organisations/{organisation_id}/dashboard", response_model=DashboardPublic)
def organisation_dashboard(organisation_id: OrgId, app: AppDep) -> DashboardPublic:
    """The organisation's totals, yearly trend and breakdowns."""
    app.community.organisations.profile(organisation_id)
    return _as(DashboardPublic, app.community.organisations.dashboard(organisation_id))


@router.get("/organisations/{organisation_id}/funding", response_model=list[FundingSearchHit])
def organisation_funding(
    organisation_id: OrgId,
    app: AppDep,
    capability_area: Annotated[str | None, Query(max_length=100)] = None,
) -> list[FundingSearchHit]:
    """Programmes of the funding directory (``/api/v1/funding``) for this organisation, with
    eligibility checked against its profile (who applies, country, region, sector)."""
    return [
        FundingSearchHit(
            programme=ProgrammePublic.of(programme),
            eligibility=EligibilityPublic.of(result) if result is not None else None,
        )
        for programme, result in app.community.organisations.funding(
            organisation_id, capability_area=capability_area
        )
    ]


@router.get(
    "/organisations/{organisation_id}/contact-requests",
    response_model=list[ContactRequestPublic],
)
def organisation_contact_requests(
    organisation_id: OrgId, app: AppDep, user: CurrentUser
) -> list[ContactRequestPublic]:
    """Requests the organisation sent or received (members only)."""
    return [
        _as(ContactRequestPublic, r) for r in app.community.partners.requests(user, organisation_id)
    ]


# --- commitments ----------------------------------------------------------------------------


@router.get("/commitments", response_model=list[CommitmentPublic], summary="List commitments")
def list_commitments(
    app: AppDep,
    organisation: Annotated[str | None, Query(max_length=32)] = None,
    partnership: Annotated[str | None, Query(max_length=32)] = None,
) -> list[CommitmentPublic]:
    """Every commitment (or one organisation's, or one partnership's shared ones)."""
    return [
        _as(CommitmentPublic, c)
        for c in app.community.organisations.commitments(organisation, partnership)
    ]


@router.get("/commitments/dashboard", response_model=DashboardPublic)
def community_dashboard(app: AppDep) -> DashboardPublic:
    """The community's totals, trend and breakdowns (the member survey results)."""
    return _as(DashboardPublic, app.community.organisations.dashboard())


@router.get("/commitments/{commitment_id}", response_model=CommitmentPublic)
def get_commitment(commitment_id: ItemId, app: AppDep) -> CommitmentPublic:
    """One commitment with its progress."""
    return _as(CommitmentPublic, app.community.organisations.commitment(commitment_id))


@router.post("/commitments/{commitment_id}/progress", response_model=CommitmentPublic)
def report_progress(
    commitment_id: ItemId, body: ProgressCreate, app: AppDep, user: CurrentUser
) -> CommitmentPublic:
    """Report (or correct) one year's progress (members of the organisation only)."""
    return _as(
        CommitmentPublic, app.community.organisations.report_progress(user, commitment_id, body)
    )


# --- partnerships ---------------------------------------------------------------------------


@router.get("/partnerships", response_model=list[PartnershipPublic])
def list_partnerships(app: AppDep) -> list[PartnershipPublic]:
    """Every partnership, by name."""
    return [_as(PartnershipPublic, p) for p in app.community.partnerships.all()]


@router.post("/partnerships", response_model=PartnershipPublic, status_code=status.HTTP_201_CREATED)
def create_partnership(body: PartnershipBody, app: AppDep, user: CurrentUser) -> PartnershipPublic:
    """Create a partnership; your organisation is its first coordinator."""
    created = app.community.partnerships.create(
        user,
        body.coordinator_id,
        PartnershipCreate.model_validate(body.model_dump(exclude={"coordinator_id"})),
    )
    return _as(PartnershipPublic, created)


@router.get("/partnerships/{partnership_id}", response_model=PartnershipPublic)
def get_partnership(partnership_id: ItemId, app: AppDep) -> PartnershipPublic:
    """One partnership with its members."""
    return _as(PartnershipPublic, app.community.partnerships.get(partnership_id))


@router.post("/partnerships/{partnership_id}/members", response_model=PartnershipPublic)
def add_partnership_member(
    partnership_id: ItemId, body: MemberBody, app: AppDep, user: CurrentUser
) -> PartnershipPublic:
    """Add an organisation or change its role (coordinators only)."""
    return _as(
        PartnershipPublic,
        app.community.partnerships.add_member(
            user, partnership_id, body.organisation_id, body.role
        ),
    )


@router.delete(
    "/partnerships/{partnership_id}/members/{organisation_id}", response_model=PartnershipPublic
)
def remove_partnership_member(
    partnership_id: ItemId, organisation_id: OrgId, app: AppDep, user: CurrentUser
) -> PartnershipPublic:
    """Take an organisation out (coordinators only)."""
    return _as(
        PartnershipPublic,
        app.community.partnerships.remove_member(user, partnership_id, organisation_id),
    )


@router.get("/partnerships/{partnership_id}/commitments", response_model=list[CommitmentPublic])
def partnership_commitments(partnership_id: ItemId, app: AppDep) -> list[CommitmentPublic]:
    """What the partnership aggregates: shared commitments and its members' own."""
    return [
        _as(CommitmentPublic, c) for c in app.community.partnerships.commitments(partnership_id)
    ]


@router.post(
    "/partnerships/{partnership_id}/commitments",
    response_model=CommitmentPublic,
    status_code=status.HTTP_201_CREATED,
)
def partnership_commit(
    partnership_id: ItemId, body: CommitmentCreate, app: AppDep, user: CurrentUser
) -> CommitmentPublic:
    """A shared commitment of the partnership (coordinators only)."""
    return _as(CommitmentPublic, app.community.partnerships.commit(user, partnership_id, body))


@router.get("/partnerships/{partnership_id}/dashboard", response_model=DashboardPublic)
def partnership_dashboard(partnership_id: ItemId, app: AppDep) -> DashboardPublic:
    """The partnership's totals, trend and breakdowns."""
    return _as(DashboardPublic, app.community.partnerships.dashboard(partnership_id))


# --- partner finding and contact ------------------------------------------------------------


@router.get("/partners/suggest", response_model=list[SuggestionPublic])
def suggest_partners(
    app: AppDep,
    organisation: Annotated[str, Query(max_length=32, description="Who is looking.")],
    role: Annotated[CommunityRole | None, Query(description="Only this kind of partner.")] = None,
    region: Annotated[str | None, Query(max_length=16, description="Only in this NUTS.")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[SuggestionPublic]:
    """Organisations that complement this one, best first, each with the reasons."""
    return [
        _as(SuggestionPublic, s)
        for s in app.community.partners.suggest(organisation, role=role, region=region, limit=limit)
    ]


@router.post(
    "/contact-requests",
    response_model=ContactRequestPublic,
    status_code=status.HTTP_201_CREATED,
)
def request_contact(body: ContactBody, app: AppDep, user: CurrentUser) -> ContactRequestPublic:
    """Ask for contact; details are shared once the other side accepts."""
    return _as(
        ContactRequestPublic,
        app.community.partners.request_contact(
            user, body.from_organisation_id, body.to_organisation_id, body.message
        ),
    )


@router.get("/contact-requests/{request_id}", response_model=ContactRequestPublic)
def get_contact_request(request_id: ItemId, app: AppDep, user: CurrentUser) -> ContactRequestPublic:
    """One request (members of either side)."""
    return _as(ContactRequestPublic, app.community.partners.get_request(user, request_id))


@router.post("/contact-requests/{request_id}/accept", response_model=ContactRequestPublic)
def accept_contact_request(
    request_id: ItemId, app: AppDep, user: CurrentUser
) -> ContactRequestPublic:
    """Accept (members of the receiving organisation): both sides see each other's details."""
    return _as(ContactRequestPublic, app.community.partners.decide(user, request_id, True))


@router.post("/contact-requests/{request_id}/decline", response_model=ContactRequestPublic)
def decline_contact_request(
    request_id: ItemId, app: AppDep, user: CurrentUser
) -> ContactRequestPublic:
    """Decline (members of the receiving organisation): nothing is shared."""
    return _as(ContactRequestPublic, app.community.partners.decide(user, request_id, False))


# --- practices and posts --------------------------------------------------------------------


@router.get("/practices", response_model=list[PracticePublic], summary="Search practices")
def search_practices(
    app: AppDep,
    q: Annotated[str | None, Query(max_length=200, description="Words.")] = None,
    tag: Annotated[str | None, Query(max_length=64, description="Any tag.")] = None,
    practice_type: Annotated[PracticeType | None, Query(alias="type")] = None,
    sector: Annotated[str | None, Query(max_length=10)] = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    capability_area: Annotated[str | None, Query(max_length=64)] = None,
) -> list[PracticePublic]:
    """Published case studies matching words and tags."""
    query = PracticeQuery(
        text=q,
        tag=tag,
        practice_type=practice_type,
        sector=sector,
        country=country,
        capability_area=capability_area,
    )
    return [_as(PracticePublic, p) for p in app.community.library.search(query)]


@router.post("/practices", response_model=PracticePublic, status_code=status.HTTP_201_CREATED)
def submit_practice(body: PracticeBody, app: AppDep, user: CurrentUser) -> PracticePublic:
    """Submit a case study for your organisation; a moderator publishes it."""
    practice = PracticeCreate.model_validate(body.model_dump(exclude={"organisation_id"}))
    return _as(PracticePublic, app.community.library.submit(user, body.organisation_id, practice))


@router.get("/practices/queue", response_model=list[PracticePublic])
def moderation_queue(app: AppDep, user: CurrentUser) -> list[PracticePublic]:
    """Submitted practices waiting for moderation (moderators only)."""
    return [_as(PracticePublic, p) for p in app.community.library.queue(user)]


@router.get("/practices/{practice_id}", response_model=PracticePublic)
def get_practice(practice_id: ItemId, app: AppDep, user: MaybeUser) -> PracticePublic:
    """A published practice (unpublished: its organisation's members and moderators)."""
    if user is None:
        found = app.community.library.search(PracticeQuery())
        match = next((p for p in found if p.id == practice_id), None)
        if match is None:
            raise NotFound(f"No published practice with the id {practice_id!r}.")
        return _as(PracticePublic, match)
    return _as(PracticePublic, app.community.library.get(user, practice_id))


@router.post("/practices/{practice_id}/publish", response_model=PracticePublic)
def publish_practice(
    practice_id: ItemId, app: AppDep, user: CurrentUser, body: ModerationBody | None = None
) -> PracticePublic:
    """Publish a submitted practice (moderators only)."""
    note = body.note if body else None
    return _as(PracticePublic, app.community.library.moderate(user, practice_id, True, note))


@router.post("/practices/{practice_id}/reject", response_model=PracticePublic)
def reject_practice(
    practice_id: ItemId, app: AppDep, user: CurrentUser, body: ModerationBody | None = None
) -> PracticePublic:
    """Reject a submitted practice, with a note for the submitter (moderators only)."""
    note = body.note if body else None
    return _as(PracticePublic, app.community.library.moderate(user, practice_id, False, note))


@router.get("/posts", response_model=list[PostPublic])
def list_posts(
    app: AppDep,
    kind: Annotated[PostKind | None, Query(description="news or event.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[PostPublic]:
    """News and events, newest first."""
    return [_as(PostPublic, p) for p in app.community.library.posts(kind, limit)]


@router.post("/posts", response_model=PostPublic, status_code=status.HTTP_201_CREATED)
def create_post(body: PostCreate, app: AppDep, user: CurrentUser) -> PostPublic:
    """Publish news or an event (moderators only)."""
    return _as(PostPublic, app.community.library.post(user, body))
