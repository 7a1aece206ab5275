"""HTTP routes of the learner's competence passport (``/api/v1/passport/...``).

Everything here acts on the caller's own passport and needs the ``learner`` role (403 without
it, 401 without a token). Another learner's item or evidence id answers 404, exactly like an id
that does not exist, so ids leak nothing. Evidence files can also be downloaded by the assessor
of the RPL case they belong to, or an admin.

Uploads (a credential file, evidence) are multipart forms with the file in the field ``file``;
bodies are bounded (``SKILLPASS_MAX_CREDENTIAL_BYTES`` for credentials,
``SKILLPASS_MAX_UPLOAD_BYTES`` for evidence) and refused before they are parsed when the
declared length is over the limit.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request, Response, status
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from skillpass.api.deps import AppDep, require_roles
from skillpass.auth.models import Role, User
from skillpass.credentials.records import IssuedCredential
from skillpass.errors import InvalidInput
from skillpass.passport.models import (
    EvidenceFile,
    ExperienceCategory,
    ItemKind,
    ItemSource,
    PassportItem,
    ProfileArea,
    ProfileSkill,
    SkillRef,
    SkillsProfile,
    SkillSuggestion,
    Strength,
)
from skillpass.passport.service import BundleImport, ExperienceCreate

__all__ = [
    "AccountErase",
    "ClaimCreate",
    "ClaimablePublic",
    "CredentialImport",
    "EvidencePublic",
    "HolderDidPublic",
    "PassportItemPublic",
    "ProfilePublic",
    "SkillSuggestRequest",
    "multipart_body",
    "read_form_file",
    "read_limited",
    "router",
]

router = APIRouter(tags=["passport"])

ModelT = TypeVar("ModelT", bound=BaseModel)

LearnerUser = Annotated[User, Depends(require_roles(Role.LEARNER))]
EvidenceReader = Annotated[User, Depends(require_roles(Role.LEARNER, Role.ASSESSOR, Role.ADMIN))]
ItemId = Annotated[str, Path(max_length=64, description="A passport item's public id.")]

#: A passport bundle carries every credential and evidence file (base64): it may be this many
#: times the single-upload limit.
BUNDLE_SIZE_FACTOR = 10
#: Room for multipart boundaries and headers around the file itself.
_FORM_OVERHEAD = 16 * 1024
_RAW_CREDENTIAL_TYPES = (
    "text/plain",
    "application/vc+jwt",
    "application/jwt",
    "application/ld+json",
    "application/vc+ld+json",
    "application/vc",
)


# --- reading bounded bodies (shared with the RPL routes) --------------------------------------


def _too_large(what: str, limit: int, setting: str) -> InvalidInput:
    return InvalidInput(
        f"The {what} is over the {limit:,}-byte limit ({setting}); send a smaller one.",
        details={"limit": limit},
    )


def _check_declared_length(request: Request, limit: int, what: str, setting: str) -> None:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(what, limit, setting)


async def read_limited(request: Request, limit: int, what: str, setting: str) -> bytes:
    """The request body, refused as soon as it grows past ``limit`` bytes.

    Raises:
        InvalidInput: The body (declared or actual) is over the limit.
    """
    _check_declared_length(request, limit, what, setting)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise _too_large(what, limit, setting)
    return bytes(body)


async def read_form_file(
    request: Request, limit: int, what: str, setting: str
) -> tuple[str, bytes]:
    """The file of a multipart form's ``file`` field: its name and at most ``limit`` bytes.

    The declared request length is checked before the form is parsed, the file's size after.

    Raises:
        InvalidInput: Not a multipart form, no ``file`` field, or over the limit.
    """
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidInput(
            f"Send the {what} as a multipart form (multipart/form-data) in the field `file`."
        )
    _check_declared_length(request, limit + _FORM_OVERHEAD, what, setting)
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput(f"Send the {what} in the multipart form field `file`.")
        content = await upload.read(limit + 1)
        if len(content) > limit:
            raise _too_large(what, limit, setting)
        return upload.filename or "", content


def multipart_body(description: str) -> dict[str, Any]:
    """OpenAPI ``requestBody`` of a route that reads a multipart ``file`` field itself."""
    return {
        "required": True,
        "description": description,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }


# --- wire schemas -----------------------------------------------------------------------------


class PassportItemPublic(BaseModel):
    """One entry of a passport, with how strongly it evidences its skills."""

    id: str = Field(description="Opaque public id of the item.")
    kind: ItemKind = Field(description="credential, attestation or experience.")
    source: ItemSource = Field(description="claimed, imported, attested, rpl or self.")
    strength: Strength = Field(
        description="verified_credential > employer_attested > assessed_rpl > self_declared "
        "(anything not verified counts as self-declared)."
    )
    category: ExperienceCategory | None = Field(description="For self-declared experience.")
    title: str
    description: str  # personal data
    issuer_name: str | None
    issuer_id: str | None
    issuer_country: str | None
    format: str | None = Field(description="Credential format as detected on verification.")
    document: str | None = Field(
        description="The credential exactly as issued (JSON text or compact JWT); null for "
        "self-declared items."
    )  # personal data
    credential_id: str | None = Field(description="The credential's own id (e.g. urn:uuid:…).")
    verified: bool | None = Field(
        description="The last verification passed; null when there is nothing to verify."
    )
    verification: dict[str, Any] | None = Field(
        description="The last verification report (verified, checks, errors, warnings, ...)."
    )
    checked_at: datetime | None
    issued_at: datetime | None
    valid_until: datetime | None
    period_start: date | None
    period_end: date | None
    skills: list[SkillRef]
    eqf: int | None
    ects: float | None
    hours: float | None
    evidence: list[EvidenceFile]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_item(cls, item: PassportItem) -> PassportItemPublic:
        """Render a passport item."""
        return cls.model_validate({**item.model_dump(), "strength": item.strength})


class CredentialImport(BaseModel):
    """A credential to import, as text (or a JSON object)."""

    credential: str | dict[str, Any] = Field(
        description="OB3 JSON or VC-JWT, OB 2.0, CLR, ELM or VC-JWT: the text exactly as "
        "received (or the JSON object)."
    )
    filename: str | None = Field(
        default=None, max_length=300, description="The file name it came in, if any."
    )


class ClaimablePublic(BaseModel):
    """A credential issued on this platform to the learner's e-mail, not yet in the passport."""

    id: str = Field(description="The credential id (urn:uuid:…); claim it with this.")
    achievement_id: str
    issuer_id: str
    format: str
    learner_name: str | None  # personal data
    issued_at: datetime
    revoked: bool

    @classmethod
    def from_credential(cls, credential: IssuedCredential) -> ClaimablePublic:
        """Render an issued credential (without its document)."""
        return cls(
            id=credential.id,
            achievement_id=credential.achievement_id,
            issuer_id=credential.issuer_id,
            format=credential.format,
            learner_name=credential.learner_name,
            issued_at=credential.issued_at,
            revoked=credential.revoked,
        )


class ClaimCreate(BaseModel):
    """Which issued credential to add to the passport."""

    credential_id: str = Field(max_length=100, description="From GET /passport/claimable.")


class EvidencePublic(BaseModel):
    """An evidence file as stored (download its bytes from ``download_url``)."""

    id: str
    filename: str  # personal data
    media_type: str = Field(description="Detected from the content, not from the name.")
    size: int
    sha256: str
    created_at: datetime
    download_url: str

    @classmethod
    def from_file(cls, evidence: EvidenceFile) -> EvidencePublic:
        """Render an evidence file."""
        return cls(**evidence.model_dump(), download_url=f"/api/v1/passport/evidence/{evidence.id}")


class ProfilePublic(BaseModel):
    """The skills profile: every skill with its evidence, grouped by capability area."""

    owner_id: str
    skills: list[ProfileSkill] = Field(
        description="Each skill with its strongest evidence and every item behind it."
    )
    areas: list[ProfileArea] = Field(description="Skills grouped by STEM capability area.")
    ects_total: float
    hours_total: float
    eqf_levels: dict[int, int] = Field(description="EQF level -> number of items at it.")
    highest_eqf: int | None
    items: int
    unverified_items: int

    @classmethod
    def from_profile(cls, profile: SkillsProfile) -> ProfilePublic:
        """Render a profile."""
        return cls.model_validate(profile.model_dump())


class SkillSuggestRequest(BaseModel):
    """Free text (tasks, a description) to suggest ESCO skills for."""

    text: str = Field(min_length=1, max_length=20_000, examples=["Assembled battery modules."])
    lang: str | None = Field(default=None, max_length=8, description="ISO 639-1; detected.")


class AccountErase(BaseModel):
    """Confirmation that the account is to be erased."""

    confirm: bool = Field(description="Must be true: erasure cannot be undone.")


class HolderDidPublic(BaseModel):
    """The learner's holder DID (did:key), used to sign presentations."""

    did: str | None = Field(description="null until one is made (POST).")


# --- items ------------------------------------------------------------------------------------


@router.get(
    "/passport/items",
    response_model=list[PassportItemPublic],
    summary="The items of my passport (learner)",
)
def list_items(app: AppDep, user: LearnerUser) -> list[PassportItemPublic]:
    """Every credential, attestation and self-declared experience in the caller's passport,
    newest first, with the last verification report of each."""
    return [PassportItemPublic.from_item(item) for item in app.passport.items(user)]


@router.get(
    "/passport/items/{item_id}",
    response_model=PassportItemPublic,
    summary="One item of my passport (learner)",
)
def read_item(item_id: ItemId, app: AppDep, user: LearnerUser) -> PassportItemPublic:
    """An item of the caller's passport; 404 for an unknown id or another learner's item."""
    return PassportItemPublic.from_item(app.passport.get_item(user, item_id))


@router.delete(
    "/passport/items/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove an item from my passport (learner)",
)
def delete_item(item_id: ItemId, app: AppDep, user: LearnerUser) -> Response:
    """Remove the item and its evidence files. A credential issued on this platform stays
    valid (removing it from the passport does not revoke it). 404 as for reading."""
    app.passport.remove_item(user, item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/passport/items/{item_id}/recheck",
    response_model=PassportItemPublic,
    summary="Verify an item again now (learner)",
)
def recheck_item(item_id: ItemId, app: AppDep, user: LearnerUser) -> PassportItemPublic:
    """Run the verification engine again (revocation and expiry change over time) and keep the
    new report."""
    return PassportItemPublic.from_item(app.passport.recheck(user, item_id))


@router.post(
    "/passport/import",
    response_model=PassportItemPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Import a credential from anywhere (learner)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "Either JSON `{credential, filename?}` (the credential as text or as "
            "a JSON object), a multipart form with the file in `file`, or the credential "
            "itself as text/plain, application/vc+jwt or application/ld+json. At most "
            "SKILLPASS_MAX_CREDENTIAL_BYTES.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["credential"],
                        "properties": {
                            "credential": {"oneOf": [{"type": "string"}, {"type": "object"}]},
                            "filename": {"type": "string"},
                        },
                    }
                },
                **multipart_body("")["content"],
                "text/plain": {"schema": {"type": "string"}},
                "application/vc+jwt": {"schema": {"type": "string"}},
                "application/ld+json": {"schema": {"type": "object"}},
            },
        }
    },
)
async def import_credential(request: Request, app: AppDep, user: LearnerUser) -> PassportItemPublic:
    """Verify the credential (OB3 JSON/JWT, OB 2.0, CLR, ELM, VC-JWT) with the verification
    engine and keep it with its report. Refused with 422, and nothing stored, when it is not a
    credential or its proof fails (e.g. tampered); stored with ``verified: false`` when only
    other checks fail (expired, revoked, issuer not trusted) — the report says which. 409 when
    the same credential is already in the passport."""
    limit = app.settings.max_credential_bytes
    setting = "SKILLPASS_MAX_CREDENTIAL_BYTES"
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    filename: str | None = None
    data: bytes | str
    if content_type == "multipart/form-data":
        filename, data = await read_form_file(request, limit, "credential", setting)
    elif content_type in _RAW_CREDENTIAL_TYPES:
        data = await read_limited(request, limit, "credential", setting)
    else:
        raw = await read_limited(request, limit + _FORM_OVERHEAD, "credential", setting)
        body = _parse(CredentialImport, raw)
        filename = body.filename
        credential = body.credential
        data = credential if isinstance(credential, str) else json.dumps(credential)
    item = await run_in_threadpool(app.passport.import_credential, user, data, filename)
    return PassportItemPublic.from_item(item)


def _parse(model: type[ModelT], raw: bytes) -> ModelT:
    try:
        return model.model_validate_json(raw or b"null")
    except ValidationError as error:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"]) or "body", "problem": e["msg"]}
            for e in error.errors(include_url=False, include_input=False)
        ]
        raise InvalidInput(
            "The request is not valid: "
            + "; ".join(f"{p['field']}: {p['problem']}" for p in problems),
            details={"problems": problems},
        ) from None


@router.get(
    "/passport/claimable",
    response_model=list[ClaimablePublic],
    summary="Credentials issued here to me, not yet in my passport (learner)",
)
def claimable(app: AppDep, user: LearnerUser) -> list[ClaimablePublic]:
    """Credentials issued on this platform to the caller's e-mail (or DID) that are not yet in
    the passport."""
    return [ClaimablePublic.from_credential(c) for c in app.passport.claimable(user)]


@router.post(
    "/passport/claim",
    response_model=PassportItemPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Add a credential issued here to my passport (learner)",
)
def claim(body: ClaimCreate, app: AppDep, user: LearnerUser) -> PassportItemPublic:
    """Claim one of the credentials listed by ``/passport/claimable``. 404 when it was not
    issued to the caller; 409 when it is already in the passport."""
    return PassportItemPublic.from_item(app.passport.claim(user, body.credential_id))


# --- self-declared experience and evidence ----------------------------------------------------


@router.post(
    "/passport/experience",
    response_model=PassportItemPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Declare experience or informal learning (learner)",
)
def declare_experience(
    body: ExperienceCreate, app: AppDep, user: LearnerUser
) -> PassportItemPublic:
    """Add volunteering, a project, self-study or other experience, clearly marked unverified
    (strength ``self_declared``). Attach evidence files afterwards. 422 for a period that ends
    before it starts or lies in the future, or unknown skill URIs."""
    return PassportItemPublic.from_item(app.passport.declare(user, body))


@router.post(
    "/passport/items/{item_id}/evidence",
    response_model=EvidencePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Attach an evidence file to self-declared experience (learner)",
    openapi_extra={
        "requestBody": multipart_body(
            "The file in the field `file`: PDF, PNG, JPEG, WebP, plain text, .odt or .docx "
            "(recognised by content), at most SKILLPASS_MAX_UPLOAD_BYTES."
        )
    },
)
async def upload_evidence(
    item_id: ItemId, request: Request, app: AppDep, user: LearnerUser
) -> EvidencePublic:
    """Store an evidence file with a self-declared item. 422 for an empty or oversized file or
    a type that is not accepted (the message names the accepted ones); nothing is stored."""
    filename, content = await read_form_file(
        request, app.settings.max_upload_bytes, "evidence file", "SKILLPASS_MAX_UPLOAD_BYTES"
    )
    evidence = await run_in_threadpool(app.passport.add_evidence, user, item_id, filename, content)
    return EvidencePublic.from_file(evidence)


@router.get(
    "/passport/evidence/{evidence_id}",
    summary="Download an evidence file (its learner, the RPL case's assessor, or an admin)",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def download_evidence(
    evidence_id: Annotated[str, Path(max_length=64)], app: AppDep, user: EvidenceReader
) -> Response:
    """The file as uploaded, as an attachment with its detected media type. 404 for anyone
    else."""
    evidence, content = app.passport.evidence_content(user, evidence_id)
    return Response(
        content,
        media_type=evidence.media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(evidence.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )


@router.post(
    "/passport/suggest-skills",
    response_model=list[SkillSuggestion],
    summary="Suggest ESCO skills for a description (learner)",
)
def suggest_skills(
    body: SkillSuggestRequest, app: AppDep, _user: LearnerUser
) -> list[SkillSuggestion]:
    """ESCO skills the matching engine finds in the text, best first, each with a score and the
    span that suggested it, for the learner to confirm. 409 when no ESCO is imported."""
    return app.passport.suggest_skills(body.text, body.lang)


# --- profile ----------------------------------------------------------------------------------


@router.get(
    "/passport/profile",
    response_model=ProfilePublic,
    summary="My skills profile (learner)",
)
def profile(app: AppDep, user: LearnerUser) -> ProfilePublic:
    """The union of skills across the passport, each with its strongest evidence and every item
    behind it; EQF levels, ECTS and hours totals; skills grouped by STEM capability area."""
    return ProfilePublic.from_profile(app.passport.profile(user))


# --- portability and privacy ------------------------------------------------------------------


@router.get(
    "/passport/export",
    summary="Export my passport as a portable bundle (learner)",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
def export_bundle(app: AppDep, user: LearnerUser) -> Response:
    """Everything in the passport as JSON (``format: skillpass-passport-bundle``), credentials
    exactly as issued and evidence files base64-encoded; import it on any SkillPass."""
    return Response(
        json.dumps(app.passport.export_bundle(user), ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="skillpass-passport.json"',
            "Cache-Control": "private, no-store",
        },
    )


@router.post(
    "/passport/import-bundle",
    response_model=BundleImport,
    summary="Import a passport bundle from another SkillPass (learner)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The bundle as JSON, or a multipart form with the file in `file`; "
            f"at most {BUNDLE_SIZE_FACTOR} times SKILLPASS_MAX_UPLOAD_BYTES.",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                **multipart_body("")["content"],
            },
        }
    },
)
async def import_bundle(request: Request, app: AppDep, user: LearnerUser) -> BundleImport:
    """Credentials are verified again (refused ones are listed with a reason), self-declared
    items stay self-declared, duplicates are skipped. 422 when it is not a SkillPass bundle."""
    limit = app.settings.max_upload_bytes * BUNDLE_SIZE_FACTOR
    setting = f"{BUNDLE_SIZE_FACTOR} x SKILLPASS_MAX_UPLOAD_BYTES"
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        _, data = await read_form_file(request, limit, "bundle", setting)
    else:
        data = await read_limited(request, limit, "bundle", setting)
    return await run_in_threadpool(app.passport.import_bundle, user, data)


@router.get(
    "/passport/cv",
    summary="My passport as a printable CV-style page (learner)",
    response_class=HTMLResponse,
)
def cv(app: AppDep, user: LearnerUser) -> HTMLResponse:
    """A readable HTML page of the passport and the skills profile (print it to PDF from a
    browser)."""
    return HTMLResponse(
        app.passport.cv_html(user),
        headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src "
            "data:",
            "Cache-Control": "private, no-store",
        },
    )


@router.get(
    "/passport/personal-data",
    response_model=dict[str, Any],
    summary="All data held about me (GDPR access; learner)",
)
def personal_data(app: AppDep, user: LearnerUser) -> dict[str, Any]:
    """Account, passport, attestations, RPL cases and shares with their access log, as JSON."""
    return app.passport.personal_data(user)


@router.post(
    "/passport/erase-account",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Erase my account and personal data (GDPR erasure; learner)",
)
def erase_account(body: AccountErase, app: AppDep, user: LearnerUser) -> Response:
    """Delete the account and everything personal: passport, evidence, shares, attestation
    requests, RPL statements, holder keys, API tokens; the learner's name, e-mail and DID are
    cleared from credentials issued here, which stay verifiable for whoever holds them. Needs
    ``{"confirm": true}``; cannot be undone."""
    if not body.confirm:
        raise InvalidInput('Erasure cannot be undone: send {"confirm": true} to go ahead.')
    app.passport.erase_account(user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- holder DID -------------------------------------------------------------------------------


@router.get(
    "/passport/holder-did",
    response_model=HolderDidPublic,
    summary="My holder DID (learner)",
)
def holder_did(app: AppDep, user: LearnerUser) -> HolderDidPublic:
    """The did:key the platform signs the caller's presentations with; null until made (it is
    made on first share or with POST)."""
    return HolderDidPublic(did=app.holders.did(user))


@router.post(
    "/passport/holder-did",
    response_model=HolderDidPublic,
    summary="Make my holder DID if I have none (learner)",
)
def ensure_holder_did(app: AppDep, user: LearnerUser) -> HolderDidPublic:
    """Make the holder key (Ed25519, encrypted at rest) on first use; return its did:key."""
    return HolderDidPublic(did=app.holders.ensure(user))


@router.post(
    "/passport/holder-did/rotate",
    response_model=HolderDidPublic,
    summary="Replace my holder key (learner)",
)
def rotate_holder_did(app: AppDep, user: LearnerUser) -> HolderDidPublic:
    """Retire the active holder key and make a new one; new presentations use the new DID."""
    return HolderDidPublic(did=app.holders.rotate(user))
