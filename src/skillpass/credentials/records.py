"""Domain records of the issuing side: issuers and their keys, stored definitions, issued
credentials, status lists and the operator's trust registries.

These are what the services return and the adapters render. The Annex I definition itself is
:class:`skillpass.credentials.models.Achievement`; here an :class:`AchievementRecord` wraps it with
its issuer, public id and version. Database keys never appear: every ``id`` is an opaque public id.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from skillpass.errors import InvalidInput

__all__ = [
    "CREDENTIAL_FORMATS",
    "AchievementRecord",
    "BatchResult",
    "BatchRow",
    "BatchRowResult",
    "CredentialFormat",
    "IssuedCredential",
    "Issuer",
    "IssuerKind",
    "KeyStatus",
    "MemberRole",
    "OrganisationMember",
    "SigningKeyInfo",
    "StatusListInfo",
    "TrustedIssuer",
    "TrustedKey",
    "parse_issuer_kind",
]

CredentialFormat = Literal["ob3", "ob3-jwt", "elm"]
#: The issuance formats, as the CLI and API name them.
CREDENTIAL_FORMATS: tuple[CredentialFormat, ...] = ("ob3", "ob3-jwt", "elm")


class IssuerKind(StrEnum):
    """The kinds of awarding body the Council Recommendation names."""

    HIGHER_EDUCATION = "higher_education"
    VET = "vet"
    EMPLOYER = "employer"
    PROFESSIONAL_BODY = "professional_body"
    SOCIAL_PARTNER = "social_partner"
    PUBLIC_BODY = "public_body"


_KIND_ALIASES = {
    "university": IssuerKind.HIGHER_EDUCATION,
    "higher-education": IssuerKind.HIGHER_EDUCATION,
    "vet_provider": IssuerKind.VET,
    "vet-provider": IssuerKind.VET,
    "professional-body": IssuerKind.PROFESSIONAL_BODY,
    "social-partner": IssuerKind.SOCIAL_PARTNER,
    "public-body": IssuerKind.PUBLIC_BODY,
}


def parse_issuer_kind(value: str) -> IssuerKind:
    """Read an issuer kind, accepting the aliases ``university`` and ``vet_provider``.

    Args:
        value: A kind name such as ``university``, ``higher_education`` or ``vet``.

    Returns:
        The kind.

    Raises:
        InvalidInput: Not a known kind.
    """
    text = value.strip().lower()
    if text in _KIND_ALIASES:
        return _KIND_ALIASES[text]
    try:
        return IssuerKind(text)
    except ValueError:
        names = ", ".join(["university", *(kind.value for kind in IssuerKind)])
        raise InvalidInput(
            f"Unknown issuer type {value!r}; use one of: {names}.", details={"type": value}
        ) from None


class KeyStatus(StrEnum):
    """A signing key signs while ``active``; ``retired`` keys only verify what they signed."""

    ACTIVE = "active"
    RETIRED = "retired"


class SigningKeyInfo(BaseModel):
    """The public side of an issuer's signing key (the private key never leaves the store).

    Attributes:
        id: The did:web verification method (``did:web:…#key-1``).
        did_key: The same public key as a ``did:key`` DID.
        did_key_verification_method: ``did:key:z…#z…``.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    fragment: str
    algorithm: Literal["Ed25519", "P-256"]
    public_key_multibase: str
    did_key: str
    did_key_verification_method: str
    status: KeyStatus
    created_at: datetime
    retired_at: datetime | None = None


class Issuer(BaseModel):
    """An awarding body (an ``organisations`` row) with its identifiers and keys.

    Attributes:
        id: Opaque public id (also the last segment of its did:web).
        did: ``did:web:<host>:issuers:<id>`` — stable across key rotation.
        did_key: ``did:key`` of the active signing key (None before the first key exists).
        keys: Every key, active first, retired ones after (kept for verification).
    """

    model_config = ConfigDict(frozen=True)

    id: str
    legal_name: str
    country: str
    region: str | None = None
    kind: str
    registration_ids: dict[str, str] = Field(default_factory=dict)
    contact_email: str | None = None
    url: str | None = None
    logo_url: str | None = None
    did: str
    did_key: str | None = None
    keys: tuple[SigningKeyInfo, ...] = ()
    synthetic: bool = False
    created_at: datetime

    @property
    def active_key(self) -> SigningKeyInfo | None:
        """The key that signs new credentials."""
        return next((key for key in self.keys if key.status == KeyStatus.ACTIVE), None)


class MemberRole(StrEnum):
    """A user's role in an organisation. Both may act for it (define, issue, revoke, rotate
    keys); ``manager`` marks who looks after the organisation's members."""

    ISSUER = "issuer"
    MANAGER = "manager"


class OrganisationMember(BaseModel):
    """A user who may act for an organisation (an ``organisation_members`` row).

    Attributes:
        issuer_id: The organisation's public id.
        user_id: The user's public id.
        email: The user's e-mail.
        display_name: The user's name.
        role_in_org: ``issuer`` or ``manager``.
    """

    model_config = ConfigDict(frozen=True)

    issuer_id: str
    user_id: str
    email: str  # personal data
    display_name: str  # personal data
    role_in_org: MemberRole
    created_at: datetime


class AchievementRecord(BaseModel):
    """A stored micro-credential definition.

    Attributes:
        id: Opaque public id.
        issuer_id: Public id of the awarding issuer.
        definition: The Annex I definition as JSON (``Achievement.model_dump(mode="json")``).
        capability_areas: Capability area ids its ESCO skills fall in.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    issuer_id: str
    title: str
    version: int
    definition: dict[str, Any]
    capability_areas: tuple[str, ...] = ()
    created_at: datetime


class IssuedCredential(BaseModel):
    """A credential as issued and stored.

    Attributes:
        id: The credential id (``urn:uuid:…``).
        document: The signed credential: JSON text (``ob3``, ``elm``) or a compact JWT
            (``ob3-jwt``).
        status_list_id: Public id of its revocation status list; ``status_index`` its bit.
        created: False when an idempotent repeat returned an existing credential.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    achievement_id: str
    issuer_id: str
    format: CredentialFormat
    document: str
    learner_name: str | None = None  # personal data
    learner_did: str | None = None  # personal data
    learner_email_hash: str | None = None
    status_list_id: str
    status_index: int
    external_id: str | None = None
    issued_at: datetime
    revoked_at: datetime | None = None
    revocation_reason: str | None = None
    created: bool = True

    @property
    def revoked(self) -> bool:
        """Whether the credential has been revoked."""
        return self.revoked_at is not None


class StatusListInfo(BaseModel):
    """A Bitstring Status List as stored (its bits are computed from the revoked credentials)."""

    model_config = ConfigDict(frozen=True)

    id: str
    issuer_id: str
    purpose: Literal["revocation", "suspension"]
    size: int
    url: str
    created_at: datetime


class BatchRow(BaseModel):
    """One learner of a batch (a CSV row)."""

    model_config = ConfigDict(frozen=True)

    email: str  # personal data
    name: str | None = None  # personal data
    did: str | None = None  # personal data
    external_id: str | None = None


class BatchRowResult(BaseModel):
    """What happened to one batch row: ``issued``, ``existing`` (idempotent repeat) or
    ``failed`` (with the error)."""

    model_config = ConfigDict(frozen=True)

    row: int
    outcome: Literal["issued", "existing", "failed"]
    credential_id: str | None = None
    error: str | None = None


class BatchResult(BaseModel):
    """The outcome of a batch issue: one result per row, plus the credentials themselves."""

    model_config = ConfigDict(frozen=True)

    rows: tuple[BatchRowResult, ...]
    credentials: tuple[IssuedCredential, ...] = ()

    @property
    def issued(self) -> int:
        """Rows that produced a new credential."""
        return sum(1 for row in self.rows if row.outcome == "issued")

    @property
    def existing(self) -> int:
        """Rows that were already issued before (idempotent repeats)."""
        return sum(1 for row in self.rows if row.outcome == "existing")

    @property
    def failed(self) -> int:
        """Rows that failed."""
        return sum(1 for row in self.rows if row.outcome == "failed")


class TrustedKey(BaseModel):
    """A key in the operator's key registry."""

    model_config = ConfigDict(frozen=True)

    verification_method: str
    controller: str
    public_key_multibase: str | None = None
    public_key_jwk: dict[str, Any] | None = None
    source: str
    created_at: datetime


class TrustedIssuer(BaseModel):
    """An accredited issuer in the trusted-issuer registry."""

    model_config = ConfigDict(frozen=True)

    did: str
    name: str
    country: str
    created_at: datetime
