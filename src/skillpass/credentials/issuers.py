"""Issuers and their signing keys: create, list, rotate; DID documents and OB3 issuer profiles.

Every issuer has two identifiers:

* ``did:web:<host>:issuers:<id>`` (from ``Settings.public_base_url``) — stable across key
  rotation; its DID document, listing every key the issuer ever had, is served at
  ``GET /issuers/{id}/did.json``;
* ``did:key`` of its active key — self-certifying, verifiable offline by anyone.

Keys are generated here (:func:`skillpass.credentials.keys.generate_private_key`), stored only
encrypted with ``Settings.key_encryption_key`` and decrypted into a
:class:`~skillpass.credentials.signer.LocalSigner` just before signing. Rotation retires the
active key (it stays in the DID document so that what it signed still verifies) and adds a new one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from sqlalchemy import Engine

from skillpass.auth.models import Role, User
from skillpass.auth.service import normalise_email
from skillpass.config import Settings
from skillpass.credentials.keys import (
    Algorithm,
    decrypt_private_key,
    encrypt_private_key,
    generate_private_key,
    public_jwk,
    public_key_from_multibase,
    public_key_multibase,
)
from skillpass.credentials.membership import check_can_act
from skillpass.credentials.membership_repository import MembershipRepository
from skillpass.credentials.records import (
    Issuer,
    MemberRole,
    OrganisationMember,
    SigningKeyInfo,
    parse_issuer_kind,
)
from skillpass.credentials.repository import IssuerRepository, NewIssuer
from skillpass.credentials.signer import LocalSigner, Signer
from skillpass.errors import InvalidInput, NotFound, PermissionDenied
from skillpass.ids import new_public_id

__all__ = ["OB3_CONTEXT", "DidMethod", "IssuerService", "did_web_for"]

#: The Open Badges 3.0 context used in issuer profiles.
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DidMethod = Literal["key", "web"]

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def did_web_for(public_base_url: str, issuer_id: str) -> str:
    """The did:web of an issuer under this installation's public address.

    ``http://127.0.0.1:8000`` → ``did:web:127.0.0.1%3A8000:issuers:<id>`` (the port's colon is
    percent-encoded, path segments become ``:``-separated, as the did:web method says).

    Args:
        public_base_url: ``Settings.public_base_url``.
        issuer_id: The issuer's public id.

    Returns:
        The DID.
    """
    parts = urlsplit(public_base_url)
    host = quote(parts.netloc, safe="")
    segments = [quote(s, safe="") for s in parts.path.split("/") if s]
    return ":".join(["did:web", host, *segments, "issuers", issuer_id])


def _clean_url(value: str | None, what: str) -> str | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not text.startswith(("https://", "http://")):
        raise InvalidInput(f"The {what} must be an http(s) address, not {text!r}.")
    return text


class IssuerService:
    """Creates issuers, manages their keys and renders their public documents.

    Args:
        engine: The database engine.
        settings: Read for ``public_base_url`` and ``key_encryption_key``.
    """

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._settings = settings
        self._repo = IssuerRepository(engine, self.did_web_for)
        self._members = MembershipRepository(engine)
        self._engine = engine

    @property
    def repository(self) -> IssuerRepository:
        """The storage behind this service (for the other credentials services)."""
        return self._repo

    @property
    def memberships(self) -> MembershipRepository:
        """Membership storage (for the other credentials services' permission checks)."""
        return self._members

    def did_web_for(self, issuer_id: str) -> str:
        """The did:web of the issuer ``issuer_id`` (see :func:`did_web_for`)."""
        return did_web_for(self._settings.public_base_url, issuer_id)

    def create(
        self,
        *,
        name: str,
        country: str,
        kind: str,
        region: str | None = None,
        registration_ids: dict[str, str] | None = None,
        contact_email: str | None = None,
        url: str | None = None,
        logo_url: str | None = None,
        algorithm: Algorithm = "Ed25519",
        actor: User | None = None,
    ) -> Issuer:
        """Create an issuer with a fresh signing key.

        A creator who is not an admin becomes the organisation's first member (``manager``), so
        they can define and issue for it at once.

        Args:
            name: Legal name of the awarding body.
            country: ISO 3166-1 alpha-2 code (``SE``).
            kind: ``university`` / ``higher_education``, ``vet``, ``employer``,
                ``professional_body``, ``social_partner`` or ``public_body``.
            region: NUTS code of its region (``SE110``).
            registration_ids: Official identifiers by scheme (``{"eidas": "SE:5560000000"}``).
            contact_email: Contact address shown in its profile.
            url: Its web site.
            logo_url: Address of its logo image.
            algorithm: ``Ed25519`` (default) or ``P-256``.
            actor: Who creates it (None: the operator).

        Returns:
            The issuer, with its did:web, did:key and one active key.

        Raises:
            InvalidInput: A value is malformed (the message names it).
            Conflict: An organisation with this name exists in this country already.
            PermissionDenied: The actor holds neither the issuer nor the admin role.
        """
        if actor is not None and not actor.roles & {Role.ISSUER, Role.ADMIN}:
            raise PermissionDenied(
                "Creating an issuer needs the issuer or admin role; ask an administrator to "
                f"grant it (`skillpass admin set-roles {actor.email} --role issuer`).",
                details={"needed": ["admin", "issuer"]},
            )
        legal_name = " ".join(name.split())
        if not legal_name:
            raise InvalidInput("The issuer needs a legal name (--name).")
        if len(legal_name) > 300:
            raise InvalidInput("The issuer's legal name is longer than 300 characters.")
        country_code = country.strip().upper()
        if not _COUNTRY.match(country_code):
            raise InvalidInput(
                f"The country {country!r} is not a two-letter ISO 3166 code such as SE or DE."
            )
        region_code = region.strip().upper() if region and region.strip() else None
        if region_code is not None and not _NUTS.match(region_code):
            raise InvalidInput(f"The region {region!r} is not a NUTS code such as SE110.")
        email = contact_email.strip() if contact_email and contact_email.strip() else None
        if email is not None and not _EMAIL.match(email):
            raise InvalidInput(f"The contact email {contact_email!r} is not an email address.")
        ids = {str(k).strip(): str(v).strip() for k, v in (registration_ids or {}).items()}
        if any(not k or not v for k, v in ids.items()):
            raise InvalidInput("Registration identifiers need both a scheme and a value.")
        public_id = new_public_id()
        self._repo.add(
            NewIssuer(
                public_id=public_id,
                legal_name=legal_name,
                country=country_code,
                region=region_code,
                kind=parse_issuer_kind(kind).value,
                registration_ids=ids,
                contact_email=email,
                url=_clean_url(url, "issuer URL"),
                logo_url=_clean_url(logo_url, "logo URL"),
                did_web=self.did_web_for(public_id),
                created_at=datetime.now(UTC),
            )
        )
        issuer = self._add_key(public_id, algorithm)
        if actor is not None and Role.ADMIN not in actor.roles:
            self._members.put(public_id, actor.public_id, MemberRole.MANAGER, datetime.now(UTC))
        return issuer

    def get(self, issuer_id: str) -> Issuer:
        """The issuer with this public id.

        Raises:
            NotFound: No such issuer.
        """
        return self._repo.get(issuer_id)

    def list_issuers(self) -> list[Issuer]:
        """Every issuer (organisation), by legal name."""
        return self._repo.all()

    def rotate_key(
        self,
        issuer_id: str,
        algorithm: Algorithm | None = None,
        *,
        actor: User | None = None,
    ) -> Issuer:
        """Retire the active key and make a new one; old public keys stay for verification.

        Args:
            issuer_id: The issuer's public id.
            algorithm: The new key's algorithm; by default the same as the retired key's.
            actor: Who asks (None: the operator); see :meth:`check_can_act`.

        Returns:
            The issuer with its new active key first.

        Raises:
            NotFound: No such issuer.
            PermissionDenied: The actor may not act for this issuer.
        """
        self.check_can_act(actor, issuer_id)
        issuer = self._repo.get(issuer_id)
        active = issuer.active_key
        return self._add_key(issuer_id, algorithm or (active.algorithm if active else "Ed25519"))

    # --- who may act for an issuer -------------------------------------------------------------

    def check_can_act(self, actor: User | None, issuer_id: str) -> None:
        """The one permission check of every write for an organisation (define, issue, revoke,
        rotate keys): the operator (None) and admins may act for any organisation, an issuer
        only for organisations they are a member of.

        Args:
            actor: The signed-in user, or None for the operator (CLI).
            issuer_id: The organisation's public id.

        Raises:
            NotFound: No such issuer.
            PermissionDenied: Not allowed; the message names the organisation and the command
                an admin runs to grant access.
        """
        check_can_act(actor, issuer_id, self._members)

    def _user_id(self, user: str) -> str:
        """A user's public id from an e-mail address or a public id."""
        if "@" in user:
            email = normalise_email(user)
            found = self._members.user_id_by_email(email)
            if found is None:
                raise NotFound(
                    f"No user with the email {email!r}. Create one with "
                    "`skillpass admin create-user`.",
                    details={"email": email},
                )
            return found
        return user.strip()

    def add_member(
        self, issuer_id: str, user: str, role: MemberRole | str = MemberRole.ISSUER
    ) -> OrganisationMember:
        """Let a user act for an organisation (or change their role in it).

        Args:
            issuer_id: The organisation's public id.
            user: The user's e-mail address or public id. They need the ``issuer`` role to
                act (``skillpass admin set-roles``).
            role: ``issuer`` (default) or ``manager``.

        Returns:
            The membership.

        Raises:
            InvalidInput: Unknown role.
            NotFound: No such organisation or user.
        """
        try:
            member_role = MemberRole(role)
        except ValueError:
            raise InvalidInput(
                f"Unknown role in the organisation {role!r}; use issuer or manager.",
                details={"field": "role", "valid": [r.value for r in MemberRole]},
            ) from None
        return self._members.put(issuer_id, self._user_id(user), member_role, datetime.now(UTC))

    def remove_member(self, issuer_id: str, user: str) -> None:
        """Stop a user acting for an organisation.

        Args:
            issuer_id: The organisation's public id.
            user: The user's e-mail address or public id.

        Raises:
            NotFound: No such organisation or user, or not a member.
        """
        self._members.remove(issuer_id, self._user_id(user))

    def members(self, issuer_id: str) -> list[OrganisationMember]:
        """The users who may act for an organisation (admins aside), by e-mail.

        Raises:
            NotFound: No such issuer.
        """
        return self._members.members(issuer_id)

    def organisations_for(self, user: User) -> list[Issuer]:
        """The organisations a user may act for: every one for an admin, else their
        memberships (none without the issuer role), by legal name."""
        if Role.ADMIN in user.roles:
            return self._repo.all()
        if Role.ISSUER not in user.roles:
            return []
        wanted = set(self._members.issuer_ids_for(user.public_id))
        return [issuer for issuer in self._repo.all() if issuer.id in wanted]

    def _add_key(self, issuer_id: str, algorithm: Algorithm) -> Issuer:
        key = generate_private_key(algorithm)
        self._repo.add_key(
            issuer_id,
            algorithm=algorithm,
            public_key_multibase=public_key_multibase(key),
            encrypted_private_key=encrypt_private_key(
                key, self._settings.key_encryption_key.get_secret_value()
            ),
            created_at=datetime.now(UTC),
        )
        return self._repo.get(issuer_id)

    def signer(self, issuer_id: str, did_method: DidMethod = "key") -> tuple[Issuer, Signer]:
        """A signer over the issuer's active key (one is made if the issuer has none yet, e.g.
        an organisation from the demo seed).

        Args:
            issuer_id: The issuer's public id.
            did_method: ``key`` — verification method ``did:key:z…#z…`` (verifiable offline
                anywhere); ``web`` — ``did:web:…#key-N`` (resolved from our DID document).

        Returns:
            The issuer and the signer.

        Raises:
            NotFound: No such issuer.
            ConfigurationError: The key-encryption key cannot decrypt the stored key.
        """
        stored = self._repo.active_key(issuer_id)
        if stored is None:
            self._add_key(issuer_id, "Ed25519")
            stored = self._repo.active_key(issuer_id)
            assert stored is not None
        issuer = self._repo.get(issuer_id)
        private = decrypt_private_key(
            stored.encrypted_private_key, self._settings.key_encryption_key.get_secret_value()
        )
        method = stored.info.did_key_verification_method if did_method == "key" else stored.info.id
        return issuer, LocalSigner(private, method)

    def issuer_did(self, issuer: Issuer, did_method: DidMethod) -> str:
        """The DID an issuer signs as with ``did_method``."""
        if did_method == "web" or issuer.did_key is None:
            return issuer.did
        return issuer.did_key

    def did_document(self, issuer_id: str) -> dict[str, Any]:
        """The did:web DID document of an issuer: every key, active and retired.

        Every key stays an ``assertionMethod`` so that credentials signed before a rotation
        still verify; which key signs *new* credentials is the issuer's business, not the
        verifier's.

        Raises:
            NotFound: No such issuer.
        """
        issuer = self._repo.get(issuer_id)
        methods = [_verification_method(issuer.did, key) for key in issuer.keys]
        ids = [method["id"] for method in methods]
        also_known_as = [key.did_key for key in issuer.keys]
        return {
            "@context": [
                "https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/multikey/v1",
            ],
            "id": issuer.did,
            "alsoKnownAs": also_known_as,
            "verificationMethod": methods,
            "authentication": ids,
            "assertionMethod": ids,
        }

    def profile(self, issuer_id: str, did_method: DidMethod = "web") -> dict[str, Any]:
        """The issuer's Open Badges 3.0 ``Profile``.

        Spec: https://www.imsglobal.org/spec/ob/v3p0/#profile

        Args:
            issuer_id: The issuer's public id.
            did_method: Which DID is the profile ``id``.

        Raises:
            NotFound: No such issuer.
        """
        return issuer_profile(self._repo.get(issuer_id), self.issuer_did, did_method)

    def find_by_did(self, did: str) -> Issuer | None:
        """The issuer known by this did:web or did:key (any of its keys, retired too)."""
        return self._repo.find_by_did(did)

    def find_key(self, public_key_multibase: str) -> tuple[Issuer, SigningKeyInfo] | None:
        """The issuer and key of a public key, if it is one of ours."""
        return self._repo.find_key(public_key_multibase)


def _verification_method(did: str, key: SigningKeyInfo) -> dict[str, Any]:
    return {
        "id": key.id,
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": key.public_key_multibase,
        "publicKeyJwk": public_jwk(public_key_from_multibase(key.public_key_multibase)),
    }


def _identifier_type(scheme: str) -> str:
    """OB3 ``identifierType``: extension types are ``ext:<name>``."""
    name = re.sub(r"[^A-Za-z0-9._-]", "-", scheme)
    return f"ext:{name}" if name else "identifier"


def issuer_profile(
    issuer: Issuer,
    issuer_did: Any,
    did_method: DidMethod = "web",
) -> dict[str, Any]:
    """Render an issuer as an OB3 ``Profile`` (``issuer_did(issuer, method)`` picks its id)."""
    profile: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2", OB3_CONTEXT],
        "id": issuer_did(issuer, did_method),
        "type": ["Profile"],
        "name": issuer.legal_name,
        "address": {
            "type": ["Address"],
            "addressCountryCode": issuer.country,
            **({"addressRegion": issuer.region} if issuer.region else {}),
        },
        "otherIdentifier": [
            {"type": "IdentifierEntry", "identifier": issuer.did, "identifierType": "identifier"},
            *(
                {
                    "type": "IdentifierEntry",
                    "identifier": key.did_key,
                    "identifierType": "identifier",
                }
                for key in issuer.keys
            ),
            *(
                {
                    "type": "IdentifierEntry",
                    "identifier": value,
                    "identifierType": _identifier_type(scheme),
                }
                for scheme, value in sorted(issuer.registration_ids.items())
            ),
        ],
    }
    if issuer.url:
        profile["url"] = issuer.url
    if issuer.contact_email:
        profile["email"] = issuer.contact_email
    if issuer.logo_url:
        profile["image"] = {"id": issuer.logo_url, "type": "Image"}
    return profile
