"""The verification engine: one function, every format, every check named.

:func:`verify_credential` takes what a user drops in (bytes, text or parsed JSON), detects the
format, and runs the checks ``well_formed``, ``contexts``, ``schema``, ``proof``, ``key``,
``issuer_trusted``, ``status`` and ``validity`` (plus ``nested_credentials`` for CLR). Everything
from outside — keys beyond ``did:key``, the trusted-issuer registry, the status store, network
access, the clock — comes in a :class:`VerificationContext`, so the engine itself touches neither
storage nor the network. The default context never fetches anything.

Report (public contract, :meth:`VerificationReport.to_dict`)::

    {"verified": bool, "processable": bool, "format": str,
     "issuer": {"id": str | None, "name": str | None},
     "checks": [{"name": str, "ok": bool | None, "detail": str}],   # ok None = not checked
     "errors": [str], "warnings": [str],
     "credential": {"id", "types", "name", "validFrom", "validUntil", "subject"},
     "summary": {"title", "description", "issuer_name", "issuer_country", "learner_name",
                 "issued", "valid_until", "ects", "hours", "eqf", "nqf", "awarding_bodies",
                 "skills": [{"uri", "label"}]} | None}

A verifiable presentation (``format`` ``"vp"``, see
:mod:`skillpass.credentials.presentations`) has the checks ``well_formed``, ``contexts``,
``proof``, ``holder``, ``challenge``, ``domain`` and ``credentials``, and one more member::

     "presentation": {"id", "holder", "challenge", "domain", "created",
                      "credentials": [<a report like this one, per credential>]}

The verifier's expected challenge and domain come in the context
(:attr:`VerificationContext.expected_challenge`, :attr:`VerificationContext.expected_domain`).

``summary`` is what the credential says it certifies
(:func:`~skillpass.credentials.summary.summarise_credential`); null when the input could not be
read as a credential.

``verified`` is true when every check that ran passed and the proof check passed. ``processable``
is false when the input could not be read as any supported format (CLI exit 2). A presentation
is verified only when every credential in it is.
"""

from __future__ import annotations

import base64
import functools
import gzip
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillpass.credentials import _verify_checks as checks
from skillpass.credentials.contexts import ContextStore
from skillpass.credentials.keys import PublicKey, public_key_from_jwk, public_key_from_multibase
from skillpass.credentials.limits import DEFAULT_LIMITS, JsonLimits, parse_json
from skillpass.credentials.proofs.jades import is_jws_json
from skillpass.credentials.proofs.jwt import looks_like_jwt
from skillpass.credentials.summary import CredentialSummary
from skillpass.errors import InvalidInput

if TYPE_CHECKING:
    from skillpass.config import Settings

__all__ = [
    "Check",
    "StatusResult",
    "VerificationContext",
    "VerificationReport",
    "verify_credential",
]


@dataclass(frozen=True)
class StatusResult:
    """What a status store or status list says about one ``credentialStatus`` entry.

    Attributes:
        revoked: The credential is revoked.
        suspended: The credential is suspended.
        detail: Plain words (e.g. the revocation reason).
    """

    revoked: bool = False
    suspended: bool = False
    detail: str = ""


KeyLookup = Callable[[str], "PublicKey | dict[str, Any] | str | None"]


@dataclass
class VerificationContext:
    """Everything the engine needs from outside. Defaults: offline, no registries.

    Attributes:
        resolve_key: Verification method id → public key (a key object, a JWK dict or a
            ``publicKeyMultibase`` string), or None. The operator's key registry (pinned keys,
            imported DID documents). ``did:key`` is resolved built-in.
        is_trusted_issuer: Issuer id → True/False, or None when no registry is configured
            (the check is then reported as not checked).
        check_status: A ``credentialStatus`` entry → :class:`StatusResult`, or None when the
            local store does not know the list (then ``fetch`` may be tried).
        fetch: URL → bytes, or None. The service supplies one that honours
            ``SKILLPASS_ALLOWED_FETCH_HOSTS``; the default None never fetches.
        now: The clock.
        limits: JSON size and depth bounds.
        contexts_dirs: Extra JSON-LD context folders (``map.txt`` layout).
        elm_shapes_dir: Folder with the EDC SHACL shapes and ELM context (enables ELM checks).
        ob3_schema: The OB3 AchievementCredential JSON Schema file (enables the OB3 schema check).
        expected_challenge: For presentations: the challenge the verifier sent; None reports
            the ``challenge`` check as not checked.
        expected_domain: For presentations: the verifier's own domain; likewise.
    """

    resolve_key: KeyLookup | None = None
    is_trusted_issuer: Callable[[str], bool | None] | None = None
    check_status: Callable[[dict[str, Any]], StatusResult | None] | None = None
    fetch: Callable[[str], bytes | None] | None = None
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    limits: JsonLimits = DEFAULT_LIMITS
    contexts_dirs: tuple[Path, ...] = ()
    elm_shapes_dir: Path | None = None
    ob3_schema: Path | None = None
    expected_challenge: str | None = None
    expected_domain: str | None = None
    _store: ContextStore | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings, **callables: Any) -> VerificationContext:
        """A context with limits and folders from settings, plus the given callables.

        Args:
            settings: SkillPass settings.
            **callables: ``resolve_key``, ``is_trusted_issuer``, ``check_status``, ``fetch``,
                ``now``, ``ob3_schema``, ``expected_challenge``, ``expected_domain``.
        """
        dirs = tuple(p for p in [settings.jsonld_contexts] if p is not None)
        callables.setdefault("ob3_schema", settings.ob3_schema)
        return cls(
            limits=JsonLimits(settings.max_credential_bytes, settings.max_json_depth),
            contexts_dirs=dirs,
            elm_shapes_dir=settings.elm_shapes,
            **callables,
        )

    @property
    def store(self) -> ContextStore:
        """The context store: shipped contexts, the configured folders, the ELM context."""
        if self._store is None:
            self._store = _shared_store(self.contexts_dirs, self.elm_shapes_dir)
        return self._store

    def key_resolver(self) -> Callable[[str], PublicKey | None]:
        """``resolve_key`` normalised to public keys, falling back to ``fetch`` for did:web."""

        def resolve(vm: str) -> PublicKey | None:
            found = self.resolve_key(vm) if self.resolve_key is not None else None
            if found is None and self.fetch is not None:
                found = checks.fetch_verification_method(vm, self.fetch, self.limits)
            if found is None:
                return None
            if isinstance(found, dict):
                return public_key_from_jwk(found)
            if isinstance(found, str):
                return public_key_from_multibase(found)
            return found

        return resolve


@functools.lru_cache(maxsize=16)
def _shared_store(contexts_dirs: tuple[Path, ...], elm_shapes_dir: Path | None) -> ContextStore:
    """One store (and so one processed-context cache) per configuration, shared by contexts."""
    dirs = list(contexts_dirs)
    if elm_shapes_dir is not None and (elm_shapes_dir / "map.txt").is_file():
        dirs.append(elm_shapes_dir)
    store = ContextStore(dirs)
    if elm_shapes_dir is not None:
        store.add_file(checks.EDC_CONTEXT_URL, elm_shapes_dir / "edc-ap-context.jsonld")
    return store


@dataclass(frozen=True)
class Check:
    """One named check. ``ok`` is None when the check could not run or does not apply."""

    name: str
    ok: bool | None
    detail: str


@dataclass
class VerificationReport:
    """The result of :func:`verify_credential` (see the module docstring for the JSON shape)."""

    format: str
    processable: bool = True
    checks: list[Check] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    issuer_id: str | None = None
    issuer_name: str | None = None
    credential: dict[str, Any] = field(default_factory=dict)
    summary: CredentialSummary | None = None
    presentation: dict[str, Any] | None = None
    presented: list[VerificationReport] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        """Every check that ran passed, and the proof check ran and passed."""
        if not self.processable:
            return False
        proof = [c for c in self.checks if c.name == "proof"]
        return (
            bool(proof) and all(c.ok for c in proof) and all(c.ok is not False for c in self.checks)
        )

    def add(self, name: str, ok: bool | None, detail: str) -> None:
        """Record a check (a failure's detail also goes to ``errors``)."""
        self.checks.append(Check(name, ok, detail))
        if ok is False:
            self.errors.append(f"{name}: {detail}")

    def check(self, name: str) -> Check | None:
        """The first check with this name, if any."""
        return next((c for c in self.checks if c.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (public contract)."""
        report = {
            "verified": self.verified,
            "processable": self.processable,
            "format": self.format,
            "issuer": {"id": self.issuer_id, "name": self.issuer_name},
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "credential": dict(self.credential),
            "summary": self.summary.to_dict() if self.summary is not None else None,
        }
        if self.presentation is not None:
            report["presentation"] = dict(self.presentation)
        return report


def _unprocessable(fmt: str, message: str) -> VerificationReport:
    report = VerificationReport(format=fmt, processable=False)
    report.add("well_formed", False, message)
    return report


def _looks_like_cose(text: str) -> bool:
    compact = text.strip()
    if compact.startswith(("0oR", "2D", "d2")):
        return True
    try:
        raw = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=False)
    except ValueError:
        return False
    return raw[:1] in (b"\xd2", b"\x84")


def verify_credential(
    data: bytes | str | dict[str, Any], ctx: VerificationContext | None = None
) -> VerificationReport:
    """Verify a credential in any supported format and report every check.

    Accepted: OB3 / VC 2.0 JSON-LD with Data Integrity (``eddsa-rdfc-2022``,
    ``eddsa-jcs-2022``, ``Ed25519Signature2020``), CLR 2.0 (nested credentials verified too),
    VC 1.1 JSON-LD, VC-JWT (``typ`` ``JWT`` or ``vc+jwt``), ELM/EDC JAdES seals, Open Badges
    2.0 signed assertions (compact JWS), and verifiable presentations (VC 2.0 JSON-LD with an
    ``authentication`` Data Integrity proof; holder, challenge, domain and every credential
    inside are checked). SD-JWT and COSE are recognised and reported as unsupported.

    Args:
        data: The credential as bytes, text (JSON or a compact JWT) or parsed JSON.
        ctx: Outside services; default: offline, no registries.

    Returns:
        The report; never raises for bad input (it is reported as not processable).
    """
    ctx = ctx or VerificationContext()
    try:
        if isinstance(data, dict):
            from skillpass.credentials.limits import check_depth

            check_depth(data, ctx.limits.max_depth)
            document: Any = data
        else:
            text = data.decode("utf-8-sig", "strict") if isinstance(data, bytes) else data
            stripped = text.strip()
            if len(stripped.encode("utf-8", "surrogatepass")) > ctx.limits.max_bytes:
                return _unprocessable(
                    "unknown",
                    f"The input is over the {ctx.limits.max_bytes}-byte limit for credentials.",
                )
            if looks_like_jwt(stripped):
                return checks.verify_jwt_input(stripped, ctx)
            if not stripped.startswith(("{", "[")):
                if _looks_like_cose(stripped):
                    return _unprocessable(
                        "vc-cose",
                        "This looks like a COSE-secured credential (CBOR); SkillPass "
                        "does not verify COSE yet. Ask the issuer for a JSON-LD or JWT copy.",
                    )
                return _unprocessable(
                    "unknown",
                    "The input is neither JSON nor a JWT; drop the credential file "
                    "(.json, .jsonld or .jwt) or paste its text.",
                )
            document = parse_json(stripped, ctx.limits)
    except UnicodeDecodeError:
        return _unprocessable("unknown", "The input is not UTF-8 text.")
    except InvalidInput as exc:
        return _unprocessable("unknown", exc.message)
    if not isinstance(document, dict):
        return _unprocessable("unknown", "A credential is a JSON object, not a JSON array/value.")
    if is_jws_json(document):
        return checks.verify_jades_input(document, ctx)
    return checks.verify_json_ld(document, ctx)


def decode_bitstring(encoded: str) -> bytes:
    """Decode a Bitstring Status List ``encodedList`` (multibase base64url of GZIP bits).

    Raises:
        InvalidInput: Not base64url/GZIP.
    """
    text = encoded[1:] if encoded.startswith("u") else encoded
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        return gzip.decompress(raw)
    except (ValueError, OSError, EOFError):
        raise InvalidInput("The status list's encodedList is not base64url GZIP data.") from None
