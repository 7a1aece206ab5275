"""JAdES-style seals: JWS JSON general serialisation over a credential (ELM / EDC).

Specs:
    * RFC 7515 §7.2.1 general JWS JSON serialisation (``payload`` + ``signatures[]`` with
      ``protected``, optional unprotected ``header``, ``signature``).
    * RFC 7797 unencoded payload (``b64: false``): the signing input is
      ``BASE64URL(protected) || '.' || payload`` with the payload as is.
    * ETSI TS 119 182-1 (JAdES): ``sigT`` claimed signing time, ``adoTst`` timestamp tokens,
      ``x5c``/``x5t#S256`` signing certificate, ``crit``.
    * European Digital Credentials for Learning seal their credentials this way, usually with an
      eIDAS qualified electronic seal (QSealC) certificate in ``x5c``.

What is checked offline: the signature with the key of the leaf certificate in ``x5c`` (or, for
our own seals, the ``kid`` key), the ``x5t#S256`` thumbprint, the critical headers, and whether
the certificate was valid at the claimed signing time and is still valid now. What is **not**
checked offline: the certificate chain up to the EU trusted lists (a QTSP and its qualified
status), revocation of the certificate (OCSP/CRL), and the RFC 3161 timestamp tokens in
``adoTst``. The report says so every time.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from skillpass.credentials._json import parse_time
from skillpass.credentials.keys import PublicKey, public_key_from_did_key
from skillpass.credentials.limits import (
    DEFAULT_LIMITS,
    JsonLimits,
    b64decode,
    b64url_decode,
    b64url_encode,
    parse_json,
)
from skillpass.credentials.proofs import KeyResolver, ProofResult
from skillpass.credentials.proofs._jws import VERIFY_ALGORITHMS, verify_jws_signature
from skillpass.credentials.signer import Signer
from skillpass.errors import InvalidInput

__all__ = ["TRUST_LIST_NOTE", "is_jws_json", "seal_jades", "verify_jades"]

#: Said in every report of an x5c-sealed credential.
TRUST_LIST_NOTE = (
    "The certificate chain to the EU trusted lists (qualified seal status) and certificate "
    "revocation are not checked offline."
)
_UNDERSTOOD_CRIT = frozenset({"b64", "sigT", "adoTst"})


def is_jws_json(document: Any) -> bool:
    """Whether a parsed JSON value is a JWS general (or flattened) JSON serialisation."""
    return (
        isinstance(document, dict)
        and "payload" in document
        and (isinstance(document.get("signatures"), list) or "signature" in document)
    )


def _now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def seal_jades(
    credential: dict[str, Any], signer: Signer, *, signing_time: str | None = None
) -> dict[str, Any]:
    """Seal a credential as a JAdES-style JWS (general JSON serialisation, ``b64: false``).

    The protected header carries ``alg``, ``typ: jose+json``, ``cty: json``, ``sigT`` and
    ``kid`` (the signer's verification method); a signer with a certificate chain (a QSealC
    service) adds ``x5c`` and ``x5t#S256`` as EDC verifiers expect.

    Args:
        credential: The credential to seal.
        signer: Ed25519 (EdDSA) or P-256 (ES256) signer, or an external seal service.
        signing_time: ``sigT`` value (default: now, UTC).

    Returns:
        ``{"payload": <credential JSON text>, "signatures": [{"protected", "signature"}]}``.
    """
    header: dict[str, Any] = {
        "alg": signer.jose_alg,
        "typ": "jose+json",
        "cty": "json",
        "kid": signer.verification_method,
        "b64": False,
        "sigT": signing_time or _now_iso(),
        "crit": ["b64", "sigT"],
    }
    chain = signer.certificate_chain
    if chain:
        header["x5c"] = [base64.b64encode(cert).decode("ascii") for cert in chain]
        header["x5t#S256"] = b64url_encode(hashlib.sha256(chain[0]).digest())
    protected = b64url_encode(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    payload = json.dumps(credential, separators=(",", ":"), ensure_ascii=False)
    signature = signer.sign(protected.encode("ascii") + b"." + payload.encode("utf-8"))
    return {
        "payload": payload,
        "signatures": [{"protected": protected, "signature": b64url_encode(signature)}],
    }


def _certificate_facts(
    cert: x509.Certificate, signing_time: datetime | None, now: datetime
) -> tuple[bool, str, dict[str, Any]]:
    """(usable, sentence, facts) for the leaf certificate."""
    not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    facts = {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "not_before": not_before.isoformat(),
        "not_after": not_after.isoformat(),
        "expired_now": now > not_after,
    }
    subject = cert.subject.rfc4514_string()
    if signing_time is not None and not (not_before <= signing_time <= not_after):
        return (
            False,
            f"The certificate ({subject}) was not valid at the claimed signing time "
            f"{signing_time.isoformat()}.",
            facts,
        )
    if now > not_after:
        sentence = (
            f"Certificate {subject} expired on {not_after.date().isoformat()}; it was valid at "
            "the claimed signing time."
            if signing_time is not None
            else f"Certificate {subject} expired on {not_after.date().isoformat()}."
        )
        return signing_time is not None, sentence, facts
    if now < not_before:
        return False, f"Certificate {subject} is not valid yet.", facts
    return True, f"Certificate {subject} is valid until {not_after.date().isoformat()}.", facts


def _verify_signature(
    entry: dict[str, Any],
    payload: str,
    resolve_key: KeyResolver | None,
    now: datetime,
    limits: JsonLimits,
) -> ProofResult:
    protected_b64 = entry.get("protected")
    if not isinstance(protected_b64, str) or not isinstance(entry.get("signature"), str):
        return ProofResult(
            False, "", "", "A JWS signature entry needs 'protected' and 'signature' strings."
        )
    header = parse_json(b64url_decode(protected_b64, "JWS protected header"), limits)
    if not isinstance(header, dict):
        return ProofResult(False, "", "", "The JWS protected header is not a JSON object.")
    unprotected: dict[str, Any] = entry["header"] if isinstance(entry.get("header"), dict) else {}
    alg = str(header.get("alg"))
    kid = str(header.get("kid") or "")
    if alg not in VERIFY_ALGORITHMS:
        return ProofResult(False, alg, kid, f"JWS algorithm {alg!r} is not accepted.")
    crit = header.get("crit", [])
    if not isinstance(crit, list) or any(name not in header for name in crit):
        return ProofResult(False, alg, kid, "The JWS 'crit' list names headers that are absent.")
    not_understood = [name for name in crit if name not in _UNDERSTOOD_CRIT]
    if not_understood:
        return ProofResult(
            False,
            alg,
            kid,
            f"The seal has critical headers SkillPass does not understand: "
            f"{', '.join(map(str, not_understood))}.",
        )
    if "sigD" in header:
        return ProofResult(False, alg, kid, "Detached JAdES signatures (sigD) are not supported.")
    encoded = header.get("b64", True) is not False
    payload_bytes = payload.encode("ascii", "replace") if encoded else payload.encode("utf-8")
    signing_input = protected_b64.encode("ascii") + b"." + payload_bytes
    signature = b64url_decode(entry["signature"], "JWS signature")
    signing_time = parse_time(header.get("sigT"))
    extra: dict[str, Any] = {"sigT": header.get("sigT"), "timestamp_tokens": 0}
    adotst = header.get("adoTst")
    if isinstance(adotst, dict):
        extra["timestamp_tokens"] = len(adotst.get("tstTokens") or [])
    if "etsiU" in unprotected:
        extra["unsigned_properties"] = True

    key: PublicKey | None
    x5c = header.get("x5c")
    cert_note = ""
    cert_ok = True
    if isinstance(x5c, list) and x5c:
        der = b64decode(str(x5c[0]), "x5c certificate")
        try:
            cert = x509.load_der_x509_certificate(der)
        except ValueError:
            return ProofResult(False, alg, kid, "The x5c leaf certificate is not valid DER X.509.")
        thumb = header.get("x5t#S256")
        if thumb is not None and thumb != b64url_encode(hashlib.sha256(der).digest()):
            return ProofResult(False, alg, kid, "x5t#S256 does not match the x5c certificate.")
        public = cert.public_key()
        key = (
            public
            if isinstance(
                public, ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey
            )
            else None
        )
        cert_ok, cert_note, facts = _certificate_facts(cert, signing_time, now)
        extra["certificate"] = facts
        source = "x5c"
        vm = facts["subject"]
    elif kid.startswith("did:key:"):
        key, source, vm = public_key_from_did_key(kid), "did:key", kid
    else:
        key = resolve_key(kid) if (resolve_key is not None and kid) else None
        source, vm = "registry", kid
    if key is None:
        return ProofResult(
            False,
            alg,
            kid,
            "The seal names no usable key (no x5c certificate, and its kid is neither a did:key "
            "nor in the key registry).",
            key_resolved=False,
        )
    if not verify_jws_signature(alg, key, signing_input, signature):
        return ProofResult(
            False,
            alg,
            vm,
            f"The {alg} seal signature does not match the payload: the credential was changed "
            "after sealing, or sealed with another key.",
            key_source=source,
            extra=extra,
        )
    detail = f"{alg} seal signature is valid (key: {source})."
    if source == "x5c":
        detail += f" {cert_note} {TRUST_LIST_NOTE}"
        if extra["timestamp_tokens"]:
            detail += " Timestamp tokens (adoTst) are present but not checked offline."
    return ProofResult(cert_ok, alg, vm, detail, key_source=source, extra=extra)


def verify_jades(
    document: dict[str, Any],
    resolve_key: KeyResolver | None = None,
    *,
    now: datetime | None = None,
    limits: JsonLimits = DEFAULT_LIMITS,
) -> tuple[dict[str, Any], list[ProofResult]]:
    """Verify every signature of a JWS JSON serialisation and decode its payload.

    Args:
        document: ``{"payload", "signatures": [...]}`` (or the flattened form).
        resolve_key: Key registry lookup for ``kid`` values that are not ``did:key``.
        now: Verification time (default: now, UTC) for certificate expiry.
        limits: JSON bounds for headers and payload.

    Returns:
        The decoded payload (the credential) and one result per signature.

    Raises:
        InvalidInput: Not a JWS JSON serialisation, or a payload that is not a JSON object.
    """
    if not is_jws_json(document):
        raise InvalidInput("Not a JWS JSON serialisation: expected 'payload' and 'signatures'.")
    payload = document["payload"]
    if not isinstance(payload, str):
        raise InvalidInput("The JWS payload must be a string.")
    entries = document.get("signatures")
    if not isinstance(entries, list):
        entries = [
            {key: document[key] for key in ("protected", "header", "signature") if key in document}
        ]
    if not entries or not all(isinstance(entry, dict) for entry in entries):
        raise InvalidInput("The JWS has no signatures.")
    moment = now or datetime.now(UTC)
    results = [_verify_signature(entry, payload, resolve_key, moment, limits) for entry in entries]
    first = parse_json(b64url_decode(str(entries[0].get("protected", "")), "JWS header"), limits)
    unencoded = isinstance(first, dict) and first.get("b64") is False
    text = payload if unencoded else b64url_decode(payload, "JWS payload").decode("utf-8")
    credential = parse_json(text, limits)
    if not isinstance(credential, dict):
        raise InvalidInput("The sealed payload is not a JSON object.")
    return credential, results
