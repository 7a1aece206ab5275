"""Trust registries and verification: what the verifier may believe, and where it may look.

* **Key registry** — verification methods the operator vouches for: pinned one by one
  (``skillpass trust pin-key``) or imported from a DID document or an issuer profile
  (``skillpass trust import``). ``did:web`` and ``https`` verification methods resolve only from
  here, from our own issuers' keys (retired ones too), or — only for hosts in
  ``SKILLPASS_ALLOWED_FETCH_HOSTS`` — by fetching.
* **Trusted-issuer registry** — accredited issuers per country, kept by administrators like a
  national accreditation list. An issuer counts as trusted when it is in the registry or is one
  of this installation's own issuers. With an empty registry the check reports "not checked"
  for foreign issuers; once the registry has entries, an issuer outside it fails the check.
* **Status** — from the local store (our own status lists, and ELM credentials by their id);
  a remote status list only from an allow-listed host.

:meth:`TrustService.verify` builds a :class:`~skillpass.credentials.verify.VerificationContext`
from all this and runs the one verification engine the CLI, the HTTP API and the web UI share.
When the adapter passes the signed-in verifier, a verified credential is also reported to the
mobility statistics (:class:`VerificationObserver`, wired in ``app.py``): an organisation in one
country checking a credential issued in another is a mobility event.
The only network path is :meth:`TrustService.fetch`: HTTPS (or HTTP to an allow-listed host),
no redirects, a 5-second timeout and the credential size limit.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import Engine

from skillpass.config import Settings
from skillpass.credentials.issuance import IssuanceService
from skillpass.credentials.issuers import IssuerService
from skillpass.credentials.keys import (
    PublicKey,
    public_jwk,
    public_key_from_jwk,
    public_key_from_multibase,
)
from skillpass.credentials.limits import JsonLimits, parse_json
from skillpass.credentials.records import TrustedIssuer, TrustedKey
from skillpass.credentials.trust_repository import TrustRepository
from skillpass.credentials.verify import (
    Check,
    StatusResult,
    VerificationContext,
    VerificationReport,
    verify_credential,
)
from skillpass.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Callable

    from skillpass.auth.models import User

__all__ = ["FETCH_TIMEOUT_SECONDS", "TrustService", "VerificationObserver"]

#: Seconds the verifier waits for an allow-listed host.
FETCH_TIMEOUT_SECONDS = 5.0
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class VerificationObserver(Protocol):
    """Told of every verification made by a signed-in user (the mobility statistics)."""

    def credential_verified(
        self,
        report: VerificationReport,
        verifier: User | None,
        issuer_country: Callable[[str | None], str | None],
    ) -> int:
        """Record what the verification means for the statistics; returns events recorded."""
        ...


def _controller(verification_method: str) -> str:
    return verification_method.partition("#")[0]


def _check_vm(verification_method: str) -> str:
    text = verification_method.strip()
    if not text.startswith(("did:", "https://", "http://")) or len(text) > 500:
        raise InvalidInput(
            f"{verification_method!r} is not a verification method: give a DID URL "
            "(did:web:example.org#key-1) or an https URL."
        )
    return text


class TrustService:
    """The operator's key and trusted-issuer registries, and verification with them.

    Args:
        engine: The database engine.
        settings: Read for limits, context folders, ELM shapes and allowed hosts.
        issuers: Our own issuers (their keys and DIDs are trusted).
        credentials: Our own status store.
        observer: Told of verifications by signed-in users (the mobility statistics).
    """

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        issuers: IssuerService,
        credentials: IssuanceService,
        *,
        observer: VerificationObserver | None = None,
    ) -> None:
        self._settings = settings
        self._observer = observer
        self._repo = TrustRepository(engine)
        self._issuers = issuers
        self._credentials = credentials
        self._allowed_hosts = frozenset(h.lower() for h in settings.allowed_fetch_hosts)

    # --- key registry -------------------------------------------------------------------------

    def pin_key(
        self,
        verification_method: str,
        *,
        public_key_multibase: str | None = None,
        public_key_jwk: dict[str, Any] | None = None,
        source: str = "pinned",
    ) -> TrustedKey:
        """Pin a public key under a verification method (replacing any key pinned there).

        Args:
            verification_method: A DID URL (``did:web:example.org#key-1``) or https URL.
            public_key_multibase: The key as Multikey (``z6Mk…`` Ed25519, ``zDn…`` P-256).
            public_key_jwk: Or the key as a public JWK.
            source: Where it came from (``pinned`` or an imported file).

        Returns:
            The registry entry.

        Raises:
            InvalidInput: No key, both forms, a bad key, or a JWK with private members.
        """
        method = _check_vm(verification_method)
        if (public_key_multibase is None) == (public_key_jwk is None):
            raise InvalidInput("Give the key once: --public-key-multibase z6Mk… or a JWK.")
        if public_key_multibase is not None:
            public_key_from_multibase(public_key_multibase.strip())
            multibase: str | None = public_key_multibase.strip()
            jwk = None
        else:
            assert public_key_jwk is not None
            if "d" in public_key_jwk:
                raise InvalidInput("That JWK holds a private key ('d'); pin only public keys.")
            jwk = public_jwk(public_key_from_jwk(public_key_jwk))
            multibase = None
        return self._repo.put_key(
            TrustedKey(
                verification_method=method,
                controller=_controller(method),
                public_key_multibase=multibase,
                public_key_jwk=jwk,
                source=source,
                created_at=datetime.now(UTC),
            )
        )

    def import_document(self, data: bytes | str | dict[str, Any], source: str) -> list[TrustedKey]:
        """Import every key of a DID document or an issuer profile into the key registry.

        Accepted: a DID document (``verificationMethod`` entries and keys embedded in
        ``assertionMethod``/``authentication``), or an issuer profile (OB3 ``Profile``, OB2
        ``Issuer``) carrying keys in ``verificationMethod`` or ``publicKey``.

        Args:
            data: The JSON (bytes, text or parsed).
            source: Names the origin (e.g. the file name), kept with each key.

        Returns:
            The keys imported.

        Raises:
            InvalidInput: Not JSON, or no usable key in it.
        """
        limits = JsonLimits(self._settings.max_credential_bytes, self._settings.max_json_depth)
        document = data if isinstance(data, dict) else parse_json(data, limits)
        if not isinstance(document, dict):
            raise InvalidInput("Import a DID document or an issuer profile: a JSON object.")
        owner = document.get("id") if isinstance(document.get("id"), str) else None
        candidates: list[dict[str, Any]] = []
        for member in (
            "verificationMethod",
            "assertionMethod",
            "authentication",
            "publicKey",
        ):
            value = document.get(member)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    candidates.append(item)
        imported: list[TrustedKey] = []
        seen: set[str] = set()
        for item in candidates:
            method = item.get("id")
            if not isinstance(method, str) or method in seen:
                continue
            if method.startswith("#") and owner:
                method = owner + method
            seen.add(method)
            key_multibase = item.get("publicKeyMultibase")
            key_jwk = item.get("publicKeyJwk")
            key_pem = item.get("publicKeyPem")
            if isinstance(key_multibase, str):
                imported.append(
                    self.pin_key(method, public_key_multibase=key_multibase, source=source)
                )
            elif isinstance(key_jwk, dict):
                imported.append(self.pin_key(method, public_key_jwk=key_jwk, source=source))
            elif isinstance(key_pem, str):
                imported.append(
                    self.pin_key(method, public_key_jwk=_jwk_from_pem(key_pem), source=source)
                )
        if not imported:
            raise InvalidInput(
                f"{source} holds no public key: import a DID document (with verificationMethod "
                "entries) or an issuer profile that lists its keys."
            )
        return imported

    def import_file(self, path: Path) -> list[TrustedKey]:
        """Import a DID document or issuer profile JSON file (see :meth:`import_document`).

        Raises:
            InvalidInput: Unreadable, not JSON, or without keys.
        """
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise InvalidInput(f"Cannot read {path}: {error.strerror or error}.") from None
        return self.import_document(raw, source=path.name)

    def list_keys(self) -> list[TrustedKey]:
        """Every key in the registry."""
        return self._repo.keys()

    def remove_key(self, verification_method: str) -> None:
        """Remove a key from the registry.

        Raises:
            NotFound: It is not there.
        """
        self._repo.remove_key(verification_method.strip())

    # --- trusted-issuer registry --------------------------------------------------------------

    def add_issuer(self, did: str, *, country: str, name: str) -> TrustedIssuer:
        """Add (or update) an accredited issuer.

        Args:
            did: The issuer's DID (or https id), as it appears in credentials.
            country: ISO 3166-1 alpha-2 code of the accrediting country.
            name: The issuer's name.

        Raises:
            InvalidInput: Bad DID, country or name.
        """
        identifier = did.strip()
        if not identifier.startswith(("did:", "https://", "http://")) or len(identifier) > 500:
            raise InvalidInput(f"{did!r} is not an issuer id: give a DID or an https URL.")
        code = country.strip().upper()
        if not _COUNTRY.match(code):
            raise InvalidInput(f"The country {country!r} is not a two-letter ISO 3166 code.")
        label = " ".join(name.split())
        if not label:
            raise InvalidInput("Give the issuer's name (--name).")
        return self._repo.put_issuer(identifier, label[:300], code, datetime.now(UTC))

    def list_trusted_issuers(self, country: str | None = None) -> list[TrustedIssuer]:
        """Accredited issuers, optionally of one country."""
        return self._repo.issuers(country.strip().upper() if country else None)

    def remove_issuer(self, did: str) -> None:
        """Remove an issuer from the registry.

        Raises:
            NotFound: It is not there.
        """
        self._repo.remove_issuer(did.strip())

    # --- the verification context -------------------------------------------------------------

    def resolve_key(self, verification_method: str) -> PublicKey | None:
        """A public key for a verification method: key registry first, then our own issuers'
        keys (active and retired); None when unknown."""
        pinned = self._repo.get_key(verification_method)
        if pinned is not None:
            if pinned.public_key_multibase:
                return public_key_from_multibase(pinned.public_key_multibase)
            if pinned.public_key_jwk:
                return public_key_from_jwk(pinned.public_key_jwk)
        controller, _, fragment = verification_method.partition("#")
        if controller.startswith("did:key:"):
            found = self._issuers.find_key(controller[len("did:key:") :])
            return public_key_from_multibase(found[1].public_key_multibase) if found else None
        issuer = self._issuers.find_by_did(controller)
        if issuer is None:
            return None
        for key in issuer.keys:
            if key.fragment == fragment or key.public_key_multibase == fragment:
                return public_key_from_multibase(key.public_key_multibase)
        return None

    def is_trusted_issuer(self, issuer_id: str) -> bool | None:
        """True for registry entries and our own issuers; False for others once the registry
        has entries; None (not checked) while it is empty."""
        if self._repo.get_issuer(issuer_id) is not None:
            return True
        if self._issuers.find_by_did(issuer_id) is not None:
            return True
        return False if self._repo.issuers() else None

    def issuer_country(self, issuer_id: str | None) -> str | None:
        """The country of an issuer the operator knows: the trusted-issuer registry's entry, or
        one of our own issuers (by did:web or by a did:key of theirs); None for others."""
        if not issuer_id:
            return None
        registered = self._repo.get_issuer(issuer_id)
        if registered is not None:
            return registered.country
        own = self._issuers.find_by_did(issuer_id)
        if own is None and issuer_id.startswith("did:key:"):
            found = self._issuers.find_key(_controller(issuer_id)[len("did:key:") :])
            own = found[0] if found else None
        return own.country if own is not None else None

    def check_status(self, entry: dict[str, Any]) -> StatusResult | None:
        """A ``credentialStatus`` entry checked against our own status lists (None if the list
        is not ours)."""
        url = entry.get("statusListCredential")
        try:
            index = int(entry.get("statusListIndex", -1))
        except (TypeError, ValueError):
            return None
        if not isinstance(url, str) or index < 0:
            return None
        found = self._credentials.local_revocation(url, index)
        if found is None:
            return None
        revoked_at, reason = found
        if revoked_at is None:
            return StatusResult(revoked=False)
        return StatusResult(revoked=True, detail=_revocation_detail(revoked_at, reason))

    def fetch(self, url: str) -> bytes | None:
        """Fetch a document from an allow-listed host; None for any other host or failure.

        Only hosts in ``SKILLPASS_ALLOWED_FETCH_HOSTS`` are contacted (empty: none), over HTTPS
        (HTTP only for ``localhost``-style hosts listed explicitly), without following
        redirects, with a 5-second timeout, reading at most ``SKILLPASS_MAX_CREDENTIAL_BYTES``.
        """
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host or host not in self._allowed_hosts:
            return None
        if parts.scheme != "https" and not (
            parts.scheme == "http" and host in {"localhost", "127.0.0.1", "::1"}
        ):
            return None
        import httpx

        limit = self._settings.max_credential_bytes
        try:
            with (
                httpx.Client(timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=False) as client,
                client.stream("GET", url, headers={"Accept": "application/json"}) as response,
            ):
                if response.status_code != 200:
                    return None
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > limit:
                        return None
                return bytes(body)
        except httpx.HTTPError:
            return None

    def context(self) -> VerificationContext:
        """The verification context over these registries, our store and the allow-list."""
        return VerificationContext.from_settings(
            self._settings,
            resolve_key=self.resolve_key,
            is_trusted_issuer=self.is_trusted_issuer,
            check_status=self.check_status,
            fetch=self.fetch if self._allowed_hosts else None,
        )

    def verify(
        self,
        data: bytes | str | dict[str, Any],
        *,
        challenge: str | None = None,
        domain: str | None = None,
        verifier: User | None = None,
    ) -> VerificationReport:
        """Verify a credential (or a presentation) with the operator's registries and our status
        store.

        Args:
            data: The credential: bytes or text (JSON or a compact JWT) or parsed JSON.
            challenge: For a presentation: the challenge the verifier sent (checked when given).
            domain: For a presentation: the verifier's domain (checked when given).
            verifier: The signed-in user verifying, if any: a verified credential from another
                country than their organisation's is counted in the mobility statistics (once
                per credential and organisation). Anonymous verification counts nothing.

        Returns:
            The report (never raises for bad input: it is reported as not processable).
        """
        ctx = self.context()
        ctx.expected_challenge, ctx.expected_domain = challenge, domain
        report = verify_credential(data, ctx)
        self._status_by_id(report)
        if report.presented:
            self._presented_status(report)
        if verifier is not None and self._observer is not None:
            self._observer.credential_verified(report, verifier, self.issuer_country)
        return report

    def _presented_status(self, report: VerificationReport) -> None:
        """The by-id status of our ELM credentials inside a presentation fails it too."""
        newly: list[str] = []
        for number, inner in enumerate(report.presented, start=1):
            before = inner.verified
            self._status_by_id(inner)
            status = inner.check("status")
            if before and not inner.verified and status is not None:
                newly.append(f"#{number}: {status.detail}")
        if not newly:
            return
        position = next(i for i, c in enumerate(report.checks) if c.name == "credentials")
        old = report.checks[position]
        detail = " ".join(([old.detail] if old.ok is False else []) + newly)
        report.checks[position] = Check("credentials", False, detail)
        report.errors.append(f"credentials: {' '.join(newly)}")
        if report.presentation is not None:
            report.presentation["credentials"] = [r.to_dict() for r in report.presented]

    def _status_by_id(self, report: VerificationReport) -> None:
        """ELM credentials carry no status entry; their status is ours to tell, by id."""
        status = report.check("status")
        credential_id = report.credential.get("id") if report.credential else None
        if status is None or status.ok is not None or not isinstance(credential_id, str):
            return
        revoked = self._credentials.revoked_by_id(credential_id)
        if revoked is None or report.issuer_id is None:
            return
        issuer = self._issuers.find_by_did(report.issuer_id)
        if issuer is None or issuer.id != self._credentials.get(credential_id).issuer_id:
            return  # same id, different issuer: not ours to speak for
        position = report.checks.index(status)
        if revoked:
            stored = self._credentials.get(credential_id)
            detail = "The credential is revoked. " + _revocation_detail(
                stored.revoked_at, stored.revocation_reason, "local status store, by its id"
            )
            report.checks[position] = Check("status", False, detail)
            report.errors.append(f"status: {detail}")
        else:
            report.checks[position] = Check(
                "status", True, "Not revoked (local status store, by its id)."
            )


def _revocation_detail(
    revoked_at: datetime | None, reason: str | None, source: str = "local status store"
) -> str:
    """ "Revoked by its issuer on 2026-11-23 (12:00 UTC). (local status store)".

    The reason is not published: verification reports go to whoever holds the credential, and a
    reason may say something about the learner (misconduct, an error in their record). The
    issuer sees it on its own credential list and through the CLI.
    """
    when = f" on {revoked_at.astimezone(UTC):%Y-%m-%d (%H:%M UTC)}" if revoked_at else ""
    recorded = " The issuer recorded a reason, visible to the issuer only." if reason else ""
    return f"Revoked by its issuer{when}.{recorded} ({source})"


def _jwk_from_pem(pem: str) -> dict[str, Any]:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        key = load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise InvalidInput("A publicKeyPem in the document is not a PEM public key.") from None
    if not isinstance(key, ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        raise InvalidInput("A publicKeyPem holds a key type SkillPass cannot verify with.")
    return dict(public_jwk(key))
