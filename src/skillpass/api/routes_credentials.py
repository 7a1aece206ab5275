"""HTTP routes for micro-credentials: issuers, definitions, issuing, revoking, verifying, status
lists, DID documents and issuer profiles.

Roles: creating issuers needs ``admin`` or ``issuer`` (an issuer who creates one becomes its
member); defining, issuing, reading issued credentials, revoking and rotating keys need ``admin``,
or ``issuer`` *and* membership of the organisation concerned
(:meth:`~skillpass.credentials.issuers.IssuerService.check_can_act`, else 403 naming the
organisation); managing members needs ``admin``. Reading issuers, definitions, profiles, DID
documents and status lists, and verifying, are public. Private keys never appear in any
response: the wire schemas carry public keys only.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from pydantic import BaseModel, Field

from skillpass.api.deps import AppDep, MaybeUser, require_roles
from skillpass.auth.models import Role, User
from skillpass.credentials.records import (
    AchievementRecord,
    IssuedCredential,
    Issuer,
    MemberRole,
    OrganisationMember,
    SigningKeyInfo,
)
from skillpass.errors import InvalidInput

__all__ = [
    "AchievementCreate",
    "AchievementPublic",
    "CredentialCreate",
    "CredentialPublic",
    "IssuerCreate",
    "IssuerPublic",
    "KeyPublic",
    "MemberCreate",
    "MemberPublic",
    "RevocationCreate",
    "did_router",
    "router",
]

router = APIRouter(tags=["credentials"])
#: Served at the root (not under /api/v1) because did:web resolves ``/issuers/{id}/did.json``.
did_router = APIRouter(tags=["credentials"])

IssuerUser = Annotated[User, Depends(require_roles(Role.ISSUER, Role.ADMIN))]
AdminUser = Annotated[User, Depends(require_roles(Role.ADMIN))]

_JSON_LD = "application/ld+json"
_VC_JWT = "application/vc+jwt"


# --- wire schemas -----------------------------------------------------------------------------


class IssuerCreate(BaseModel):
    """A new issuer (awarding body)."""

    name: str = Field(max_length=300, examples=["Northvale University of Technology"])
    country: str = Field(max_length=2, examples=["SE"], description="ISO 3166-1 alpha-2.")
    type: str = Field(
        examples=["university"],
        description="university (= higher_education), vet, employer, professional_body, "
        "social_partner or public_body.",
    )
    region: str | None = Field(default=None, max_length=16, examples=["SE110"])
    registration_ids: dict[str, str] = Field(
        default_factory=dict,
        examples=[{"eidas": "SE:5560000001"}],
        description="Official identifiers by scheme (eidas, vat, erasmus, ...).",
    )
    contact_email: str | None = Field(default=None, max_length=320)
    url: str | None = Field(default=None, max_length=2000)
    logo_url: str | None = Field(default=None, max_length=2000)
    algorithm: Literal["Ed25519", "P-256"] = Field(
        default="Ed25519", description="Algorithm of the signing key generated for it."
    )


class KeyPublic(BaseModel):
    """The public side of a signing key."""

    id: str = Field(description="did:web verification method.")
    algorithm: str
    public_key_multibase: str
    did_key: str
    status: str = Field(description="active (signs new credentials) or retired.")
    created_at: datetime
    retired_at: datetime | None

    @classmethod
    def from_key(cls, key: SigningKeyInfo) -> KeyPublic:
        """Render a key's public side."""
        return cls(
            id=key.id,
            algorithm=key.algorithm,
            public_key_multibase=key.public_key_multibase,
            did_key=key.did_key,
            status=key.status.value,
            created_at=key.created_at,
            retired_at=key.retired_at,
        )


class IssuerPublic(BaseModel):
    """An issuer with its identifiers and public keys."""

    id: str
    name: str
    country: str
    region: str | None
    type: str
    registration_ids: dict[str, str]
    contact_email: str | None
    url: str | None
    logo_url: str | None
    did: str = Field(description="did:web, stable across key rotation.")
    did_key: str | None = Field(description="did:key of the active key.")
    keys: list[KeyPublic]
    synthetic: bool
    created_at: datetime

    @classmethod
    def from_issuer(cls, issuer: Issuer) -> IssuerPublic:
        """Render an issuer."""
        return cls(
            id=issuer.id,
            name=issuer.legal_name,
            country=issuer.country,
            region=issuer.region,
            type=issuer.kind,
            registration_ids=issuer.registration_ids,
            contact_email=issuer.contact_email,
            url=issuer.url,
            logo_url=issuer.logo_url,
            did=issuer.did,
            did_key=issuer.did_key,
            keys=[KeyPublic.from_key(key) for key in issuer.keys],
            synthetic=issuer.synthetic,
            created_at=issuer.created_at,
        )


class AchievementCreate(BaseModel):
    """A micro-credential definition for an issuer."""

    issuer_id: str = Field(max_length=64)
    definition: dict[str, Any] = Field(
        description="Every Annex I element, with the names of examples/micro-credential.yaml "
        "(title, description, awarding_bodies, learning_outcomes, workload, level, assessment, "
        "participation, quality_assurance, ...). Problems answer 422 with "
        "details.problems = [{element, problem}]."
    )


class AchievementPublic(BaseModel):
    """A stored definition."""

    id: str
    issuer_id: str
    title: str
    version: int
    capability_areas: list[str]
    definition: dict[str, Any]
    created_at: datetime

    @classmethod
    def from_record(cls, record: AchievementRecord) -> AchievementPublic:
        """Render a stored definition."""
        return cls(
            id=record.id,
            issuer_id=record.issuer_id,
            title=record.title,
            version=record.version,
            capability_areas=list(record.capability_areas),
            definition=record.definition,
            created_at=record.created_at,
        )


class CredentialCreate(BaseModel):
    """A request to issue one credential."""

    achievement_id: str = Field(max_length=64)
    learner_email: str | None = Field(
        default=None, max_length=320, description="Hashed with a salt in the credential."
    )  # personal data
    learner_name: str | None = Field(default=None, max_length=300)  # personal data
    learner_did: str | None = Field(default=None, max_length=500)  # personal data
    format: Literal["ob3", "ob3-jwt", "elm"] = "ob3"
    external_id: str | None = Field(
        default=None,
        max_length=200,
        description="Your id for this award; repeating it for the same learner returns the "
        "first credential (idempotency).",
    )
    cryptosuite: Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"] = "eddsa-rdfc-2022"
    did_method: Literal["key", "web"] = "key"


class CredentialPublic(BaseModel):
    """An issued credential, with the signed document."""

    id: str
    achievement_id: str
    issuer_id: str
    format: str
    document: str = Field(description="The signed credential: JSON text, or a compact JWT.")
    learner_name: str | None  # personal data
    learner_did: str | None  # personal data
    learner_email_hash: str | None
    status_list_id: str
    status_index: int
    external_id: str | None
    issued_at: datetime
    revoked: bool
    revoked_at: datetime | None
    created: bool = Field(description="False when an idempotent repeat returned it.")

    @classmethod
    def from_credential(cls, credential: IssuedCredential) -> CredentialPublic:
        """Render an issued credential (the revocation reason is not included)."""
        return cls(
            id=credential.id,
            achievement_id=credential.achievement_id,
            issuer_id=credential.issuer_id,
            format=credential.format,
            document=credential.document,
            learner_name=credential.learner_name,
            learner_did=credential.learner_did,
            learner_email_hash=credential.learner_email_hash,
            status_list_id=credential.status_list_id,
            status_index=credential.status_index,
            external_id=credential.external_id,
            issued_at=credential.issued_at,
            revoked=credential.revoked,
            revoked_at=credential.revoked_at,
            created=credential.created,
        )


class MemberCreate(BaseModel):
    """A user who may act for an organisation."""

    email: str = Field(max_length=320, examples=["iris@example.org"])  # personal data
    role: MemberRole = Field(
        default=MemberRole.ISSUER, description="issuer (default) or manager; both may act."
    )


class MemberPublic(BaseModel):
    """A member of an organisation."""

    issuer_id: str
    user_id: str
    email: str  # personal data
    display_name: str  # personal data
    role: str
    created_at: datetime

    @classmethod
    def from_member(cls, member: OrganisationMember) -> MemberPublic:
        """Render a membership."""
        return cls(
            issuer_id=member.issuer_id,
            user_id=member.user_id,
            email=member.email,
            display_name=member.display_name,
            role=member.role_in_org.value,
            created_at=member.created_at,
        )


class RevocationCreate(BaseModel):
    """Why a credential is revoked."""

    reason: str = Field(min_length=1, max_length=2000, examples=["awarded in error"])


# --- issuers ----------------------------------------------------------------------------------


@router.post(
    "/issuers",
    response_model=IssuerPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Create an issuer (admin or issuer)",
)
def create_issuer(body: IssuerCreate, app: AppDep, user: IssuerUser) -> IssuerPublic:
    """Create an awarding body with a fresh signing key (stored encrypted; never returned).
    An issuer who creates it becomes its member (manager). 409 if an organisation with this
    name exists in the country."""
    issuer = app.issuers.create(
        name=body.name,
        country=body.country,
        kind=body.type,
        region=body.region,
        registration_ids=body.registration_ids,
        contact_email=body.contact_email,
        url=body.url,
        logo_url=body.logo_url,
        algorithm=body.algorithm,
        actor=user,
    )
    return IssuerPublic.from_issuer(issuer)


@router.get("/issuers", response_model=list[IssuerPublic], summary="List issuers")
def list_issuers(app: AppDep) -> list[IssuerPublic]:
    """Every issuer with its DIDs and public keys."""
    return [IssuerPublic.from_issuer(issuer) for issuer in app.issuers.list_issuers()]


@router.get("/issuers/{issuer_id}", response_model=IssuerPublic, summary="One issuer")
def read_issuer(issuer_id: Annotated[str, Path(max_length=64)], app: AppDep) -> IssuerPublic:
    """An issuer with its DIDs and public keys (active and retired)."""
    return IssuerPublic.from_issuer(app.issuers.get(issuer_id))


@router.post(
    "/issuers/{issuer_id}/rotate-key",
    response_model=IssuerPublic,
    summary="Rotate an issuer's signing key (admin, or a member)",
)
def rotate_key(
    issuer_id: Annotated[str, Path(max_length=64)], app: AppDep, user: IssuerUser
) -> IssuerPublic:
    """Retire the active key and create a new one; retired keys stay in the DID document so
    what they signed still verifies."""
    return IssuerPublic.from_issuer(app.issuers.rotate_key(issuer_id, actor=user))


@router.get(
    "/issuers/{issuer_id}/members",
    response_model=list[MemberPublic],
    summary="Who may act for an issuer (admin)",
)
def list_members(
    issuer_id: Annotated[str, Path(max_length=64)], app: AppDep, _user: AdminUser
) -> list[MemberPublic]:
    """The users who may define, issue and revoke for this organisation (admins aside)."""
    return [MemberPublic.from_member(m) for m in app.issuers.members(issuer_id)]


@router.post(
    "/issuers/{issuer_id}/members",
    response_model=MemberPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Let a user act for an issuer (admin)",
)
def add_member(
    issuer_id: Annotated[str, Path(max_length=64)],
    body: MemberCreate,
    app: AppDep,
    _user: AdminUser,
) -> MemberPublic:
    """Make a user (by e-mail) a member; a member changes role if they are one already. They
    also need the issuer role to act. 404 for an unknown issuer or user."""
    return MemberPublic.from_member(app.issuers.add_member(issuer_id, body.email, body.role))


@router.delete(
    "/issuers/{issuer_id}/members/{user}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Stop a user acting for an issuer (admin)",
)
def remove_member(
    issuer_id: Annotated[str, Path(max_length=64)],
    user: Annotated[str, Path(max_length=320, description="The user's e-mail or id.")],
    app: AppDep,
    _user: AdminUser,
) -> Response:
    """End a membership (404 if the user is not a member)."""
    app.issuers.remove_member(issuer_id, user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/issuers/{issuer_id}/profile",
    summary="The issuer's Open Badges 3.0 Profile",
    response_class=Response,
    responses={200: {"content": {_JSON_LD: {}}}},
)
def issuer_profile(issuer_id: Annotated[str, Path(max_length=64)], app: AppDep) -> Response:
    """The OB3 ``Profile`` (https://www.imsglobal.org/spec/ob/v3p0/#profile) of the issuer, with
    its did:web as id and its did:key identifiers."""
    return _json(app.issuers.profile(issuer_id), _JSON_LD)


@did_router.get(
    "/issuers/{issuer_id}/did.json",
    summary="did:web DID document of an issuer",
    response_class=Response,
    responses={200: {"content": {"application/did+json": {}}}},
)
def did_document(issuer_id: Annotated[str, Path(max_length=64)], app: AppDep) -> Response:
    """The DID document of ``did:web:<host>:issuers:<id>``: every key the issuer has had
    (Multikey, with its public JWK), all usable for assertions."""
    return _json(app.issuers.did_document(issuer_id), "application/did+json")


# --- definitions ------------------------------------------------------------------------------


@router.post(
    "/achievements",
    response_model=AchievementPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Define a micro-credential (admin, or a member of the issuer)",
)
def create_achievement(body: AchievementCreate, app: AppDep, user: IssuerUser) -> AchievementPublic:
    """Store a definition with every Annex I element. Missing or wrong elements answer 422,
    each named in plain words in ``details.problems``; 403 for an issuer who is not a member
    of the organisation."""
    return AchievementPublic.from_record(
        app.achievements.create(body.issuer_id, body.definition, actor=user)
    )


@router.get("/achievements", response_model=list[AchievementPublic], summary="List definitions")
def list_achievements(
    app: AppDep,
    issuer_id: Annotated[str | None, Query(max_length=64)] = None,
) -> list[AchievementPublic]:
    """Stored definitions, newest first (of one issuer with ``issuer_id``)."""
    return [AchievementPublic.from_record(r) for r in app.achievements.list_achievements(issuer_id)]


@router.get(
    "/achievements/{achievement_id}",
    response_model=AchievementPublic,
    summary="One definition",
)
def read_achievement(
    achievement_id: Annotated[str, Path(max_length=64)], app: AppDep
) -> AchievementPublic:
    """A definition; its URL is the ``Achievement`` id inside issued OB3 credentials."""
    return AchievementPublic.from_record(app.achievements.get(achievement_id))


# --- credentials ------------------------------------------------------------------------------


@router.post(
    "/credentials",
    response_model=CredentialPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Issue a credential (admin, or a member of the issuer)",
)
def issue_credential(
    body: CredentialCreate, app: AppDep, response: Response, user: IssuerUser
) -> CredentialPublic:
    """Issue and sign one credential (OB3 with Data Integrity, OB3 as VC-JWT, or ELM sealed
    JAdES-style). With an ``external_id`` already used for this learner and format, the first
    credential is returned with status 200 and ``created: false``; another format is another
    credential. 403 for an issuer who is not a member of the definition's organisation."""
    credential = app.credentials.issue(
        body.achievement_id,
        body.learner_email,
        body.learner_name,
        body.learner_did,
        body.format,
        body.external_id,
        cryptosuite=body.cryptosuite,
        did_method=body.did_method,
        actor=user,
    )
    if not credential.created:
        response.status_code = status.HTTP_200_OK
    return CredentialPublic.from_credential(credential)


@router.get(
    "/credentials",
    response_model=list[CredentialPublic],
    summary="List issued credentials (admin: all; issuer: their organisations')",
)
def list_credentials(
    app: AppDep,
    user: IssuerUser,
    achievement_id: Annotated[str | None, Query(max_length=64)] = None,
    issuer_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[CredentialPublic]:
    """Issued credentials, newest first; an issuer sees only those of the organisations they
    are a member of."""
    return [
        CredentialPublic.from_credential(c)
        for c in app.credentials.list_credentials(
            achievement_id=achievement_id,
            issuer_id=issuer_id,
            limit=limit,
            offset=offset,
            actor=user,
        )
    ]


@router.get(
    "/credentials/{credential_id}",
    response_model=CredentialPublic,
    summary="One issued credential (admin, or a member of the issuer)",
)
def read_credential(
    credential_id: Annotated[str, Path(max_length=100)], app: AppDep, user: IssuerUser
) -> CredentialPublic:
    """An issued credential (``urn:uuid:…`` or the bare UUID) with its signed document."""
    return CredentialPublic.from_credential(app.credentials.get_for(credential_id, actor=user))


@router.post(
    "/credentials/{credential_id}/revoke",
    response_model=CredentialPublic,
    summary="Revoke a credential (admin, or a member of the issuer)",
)
def revoke_credential(
    credential_id: Annotated[str, Path(max_length=100)],
    body: RevocationCreate,
    app: AppDep,
    user: IssuerUser,
) -> CredentialPublic:
    """Set the credential's revocation bit; verification fails on status from now on. 409 if
    it was revoked already. The reason is not in the status list, but this installation's
    verifier shows it, with the date, in the ``status`` check."""
    return CredentialPublic.from_credential(
        app.credentials.revoke(credential_id, body.reason, actor=user)
    )


# --- verification and status ------------------------------------------------------------------


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise InvalidInput(
            f"The credential is over the {limit}-byte limit (SKILLPASS_MAX_CREDENTIAL_BYTES)."
        )
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise InvalidInput(
                f"The credential is over the {limit}-byte limit (SKILLPASS_MAX_CREDENTIAL_BYTES)."
            )
    return bytes(body)


@router.post(
    "/verify",
    summary="Verify a credential (public)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The credential: JSON (OB3, VC, CLR, ELM sealed JSON) or a compact "
            "VC-JWT as text. At most SKILLPASS_MAX_CREDENTIAL_BYTES.",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/plain": {"schema": {"type": "string"}},
                _VC_JWT: {"schema": {"type": "string"}},
            },
        }
    },
    responses={
        200: {
            "description": "The report: verified, processable, format, issuer, checks "
            "[{name, ok, detail}], errors, warnings, credential, summary (what it certifies: "
            "title, learner_name, eqf, nqf, ects, hours, skills, ...; null if unreadable).",
            "content": {"application/json": {}},
        }
    },
)
async def verify_credential(
    request: Request,
    app: AppDep,
    user: MaybeUser,
    challenge: Annotated[
        str | None,
        Query(
            max_length=512,
            description="For a verifiable presentation: the challenge you sent; the proof must "
            "carry exactly this one.",
        ),
    ] = None,
    domain: Annotated[
        str | None,
        Query(
            max_length=512,
            description="For a verifiable presentation: your domain; the proof must carry it.",
        ),
    ] = None,
) -> dict[str, Any]:
    """Verify with the operator's key and trusted-issuer registries and the local status store;
    offline unless hosts are allow-listed. Always 200 with a report (``verified: false`` and
    ``processable: false`` for input that is not a credential). A verifiable presentation is
    checked with its holder proof and every credential inside; pass ``challenge`` and
    ``domain`` to check that it was made for you. With an API token of an account acting for one
    organisation, a verified credential from another country counts in the mobility statistics
    (once per credential and organisation; see docs/mobility.md)."""
    data = await _read_limited(request, app.settings.max_credential_bytes)
    report = app.trust.verify(data, challenge=challenge, domain=domain, verifier=user)
    return report.to_dict()


@router.get(
    "/status-lists/{list_id}",
    summary="A Bitstring Status List credential (public)",
    response_class=Response,
    responses={200: {"content": {_JSON_LD: {}, _VC_JWT: {}}}},
)
def status_list(list_id: Annotated[str, Path(max_length=64)], app: AppDep) -> Response:
    """The issuer-signed ``BitstringStatusListCredential`` (W3C Bitstring Status List v1.0),
    computed from the store on each request so revocations show at once."""
    credential = app.credentials.status_list_credential(list_id)
    if isinstance(credential, str):
        return Response(credential, media_type=_VC_JWT, headers={"Cache-Control": "no-cache"})
    return _json(credential, _JSON_LD, cache="no-cache")


def _json(document: dict[str, Any], media_type: str, cache: str | None = None) -> Response:
    headers = {"Cache-Control": cache} if cache else None
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        media_type=media_type,
        headers=headers,
    )
