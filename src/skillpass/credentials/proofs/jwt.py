"""VC-JWT: credentials secured as compact JWS.

Specs:
    * Open Badges 3.0 §8.2 "JSON Web Token Proof Format" —
      https://www.imsglobal.org/spec/ob/v3p0/#jwt-proof-format: header ``typ: JWT``, key in
      ``kid`` or ``jwk``; the payload *is* the credential with ``iss``, ``jti``, ``nbf``,
      ``sub`` (and ``exp``) alongside.
    * Securing VCs using JOSE and COSE — https://www.w3.org/TR/vc-jose-cose/ §3.1.1: header
      ``typ: vc+jwt``, ``cty: vc``; payload is the credential.
    * VC Data Model 1.1 §6.3.1 JWT encoding (``vc`` claim) is read for older credentials.

Signing: EdDSA (Ed25519) and ES256. Verification: EdDSA/Ed25519, ES256/384/512, RS256/384/512,
PS256. SD-JWT (``~`` separated) and COSE are recognised and reported as unsupported.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from skillpass.credentials.keys import (
    PublicKey,
    public_key_from_did_key,
    public_key_from_jwk,
)
from skillpass.credentials.limits import (
    DEFAULT_LIMITS,
    JsonLimits,
    b64url_decode,
    b64url_encode,
    parse_json,
)
from skillpass.credentials.proofs import KeyResolver, ProofResult
from skillpass.credentials.proofs._jws import VERIFY_ALGORITHMS, verify_jws_signature
from skillpass.credentials.signer import Signer
from skillpass.errors import InvalidInput

__all__ = [
    "CREDENTIAL_TYPES",
    "DecodedJwt",
    "decode_jwt",
    "looks_like_jwt",
    "sign_vc_jwt",
    "verify_vc_jwt",
]

#: Accepted ``typ`` values for a credential JWT.
CREDENTIAL_TYPES = frozenset({"JWT", "jwt", "vc+jwt", "application/vc+jwt", "vc+ld+json+jwt"})
_CTY = frozenset({"vc", "application/vc", "vc+ld+json", "application/vc+ld+json"})
_REGISTERED = ("iss", "sub", "jti", "nbf", "exp", "iat", "aud", "cnf")


def _epoch(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def _id_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def sign_vc_jwt(
    credential: dict[str, Any],
    signer: Signer,
    *,
    typ: Literal["JWT", "vc+jwt"] = "JWT",
    embed_jwk: bool = False,
) -> str:
    """Sign a credential as a compact JWS (VC-JWT).

    Args:
        credential: The unsigned credential (no ``proof``).
        signer: Ed25519 (``EdDSA``) or P-256 (``ES256``) signer; its verification method goes
            into ``kid``.
        typ: ``JWT`` (Open Badges 3.0, default) or ``vc+jwt`` (VC-JOSE-COSE).
        embed_jwk: Also put the public JWK in the header (OB3 allows ``kid`` or ``jwk``).

    Returns:
        The compact JWS ``header.payload.signature``.

    Raises:
        InvalidInput: The credential already has an embedded proof.
    """
    if "proof" in credential:
        raise InvalidInput("A VC-JWT secures an unsigned credential; remove its 'proof' first.")
    header: dict[str, Any] = {"alg": signer.jose_alg, "typ": typ, "kid": signer.verification_method}
    if typ == "vc+jwt":
        header["cty"] = "vc"
    if embed_jwk:
        header["jwk"] = signer.public_jwk
    payload = dict(credential)
    claims = {
        "iss": _id_of(credential.get("issuer")),
        "jti": credential.get("id") if isinstance(credential.get("id"), str) else None,
        "sub": _id_of(credential.get("credentialSubject")),
        "nbf": _epoch(credential.get("validFrom") or credential.get("issuanceDate")),
        "exp": _epoch(credential.get("validUntil") or credential.get("expirationDate")),
    }
    payload.update({name: value for name, value in claims.items() if value is not None})
    signing_input = (
        b64url_encode(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url_encode(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode())
    )
    signature = signer.sign(signing_input.encode("ascii"))
    return signing_input + "." + b64url_encode(signature)


def looks_like_jwt(text: str) -> bool:
    """Whether text has the shape of a compact JWS (or an SD-JWT): three base64url parts."""
    head = text.strip().split("~", 1)[0]
    parts = head.split(".")
    return len(parts) == 3 and parts[0].startswith("eyJ")


class DecodedJwt:
    """A compact JWS split and decoded (nothing verified yet).

    Attributes:
        header: The protected header.
        payload: The payload claims.
        credential: The credential carried (the payload, its ``vc`` claim for VC 1.1 JWTs).
        signing_input: ``header.payload`` bytes that the signature covers.
        signature: The raw signature.
        sd_jwt: True when disclosures followed the JWS (``~``), i.e. an SD-JWT.
    """

    def __init__(self, token: str, limits: JsonLimits = DEFAULT_LIMITS) -> None:
        text = token.strip()
        self.sd_jwt = "~" in text
        jws = text.split("~", 1)[0]
        parts = jws.split(".")
        if len(parts) != 3:
            raise InvalidInput(f"A JWT has three dot-separated parts; this has {len(parts)}.")
        header = parse_json(b64url_decode(parts[0], "JWT header"), limits)
        payload = parse_json(b64url_decode(parts[1], "JWT payload"), limits)
        if not isinstance(header, dict) or not isinstance(payload, dict):
            raise InvalidInput("The JWT header and payload must be JSON objects.")
        self.header: dict[str, Any] = header
        self.payload: dict[str, Any] = payload
        self.signing_input = f"{parts[0]}.{parts[1]}".encode("ascii")
        self.signature = b64url_decode(parts[2], "JWT signature")
        vc = payload.get("vc")
        if isinstance(vc, dict):
            self.credential: dict[str, Any] = dict(vc)
        else:
            self.credential = {k: v for k, v in payload.items() if k not in _REGISTERED}


def decode_jwt(token: str, limits: JsonLimits = DEFAULT_LIMITS) -> DecodedJwt:
    """Split and decode a compact JWS without verifying it.

    Raises:
        InvalidInput: Not three base64url parts, or header/payload not JSON objects.
    """
    return DecodedJwt(token, limits)


def _resolve_key(
    jwt: DecodedJwt, resolve_key: KeyResolver | None
) -> tuple[PublicKey | None, str, str]:
    """(key, verification method, source)."""
    kid = jwt.header.get("kid")
    if isinstance(kid, str) and kid:
        if kid.startswith("did:key:"):
            return public_key_from_did_key(kid), kid, "did:key"
        candidates = [kid]
        iss = jwt.payload.get("iss")
        if isinstance(iss, str) and not kid.startswith(iss) and "#" not in kid:
            candidates.append(f"{iss}#{kid}")
        for candidate in candidates:
            key = resolve_key(candidate) if resolve_key is not None else None
            if key is not None:
                return key, candidate, "registry"
    jwk = jwt.header.get("jwk")
    if isinstance(jwk, dict):
        if "d" in jwk:
            raise InvalidInput("The JWT header carries a private key ('d'); refusing it.")
        return public_key_from_jwk(jwk), str(kid or ""), "embedded-jwk"
    return None, str(kid or ""), ""


def verify_vc_jwt(
    token: str,
    resolve_key: KeyResolver | None = None,
    *,
    limits: JsonLimits = DEFAULT_LIMITS,
) -> tuple[DecodedJwt, ProofResult]:
    """Verify a VC-JWT's signature and header.

    The key comes from ``kid`` (``did:key`` built in; anything else through ``resolve_key``,
    trying ``kid`` then ``iss#kid``) or from an embedded ``jwk``. Claims that duplicate the
    credential (``iss``/``jti``) must agree with it.

    Args:
        token: The compact JWS.
        resolve_key: The operator's key registry lookup.
        limits: JSON bounds for header and payload.

    Returns:
        The decoded token and the signature check result.

    Raises:
        InvalidInput: The token cannot be decoded at all.
    """
    jwt = decode_jwt(token, limits)
    alg = str(jwt.header.get("alg"))
    kid = str(jwt.header.get("kid") or "")
    if jwt.sd_jwt or str(jwt.header.get("typ", "")).endswith("sd-jwt"):
        return jwt, ProofResult(
            False,
            alg,
            kid,
            "This is an SD-JWT (selective disclosure); SkillPass does not verify SD-JWT yet.",
            extra={"unsupported": True},
        )
    typ = jwt.header.get("typ")
    if typ is not None and typ not in CREDENTIAL_TYPES:
        return jwt, ProofResult(
            False,
            alg,
            kid,
            f"Wrong media type: JWT typ is {typ!r}; a credential uses 'JWT' (Open Badges 3.0) "
            "or 'vc+jwt' (VC-JOSE).",
        )
    cty = jwt.header.get("cty")
    if cty is not None and cty not in _CTY:
        return jwt, ProofResult(False, alg, kid, f"Wrong media type: JWT cty is {cty!r}.")
    if alg == "none" or alg not in VERIFY_ALGORITHMS:
        return jwt, ProofResult(
            False,
            alg,
            kid,
            f"JWT algorithm {alg!r} is not accepted; use one of {', '.join(VERIFY_ALGORITHMS)}.",
        )
    crit = jwt.header.get("crit")
    if crit is not None:
        return jwt, ProofResult(
            False, alg, kid, f"The JWT marks headers {crit} as critical; none are understood."
        )
    try:
        key, vm, source = _resolve_key(jwt, resolve_key)
    except InvalidInput as exc:
        return jwt, ProofResult(False, alg, kid, exc.message, key_resolved=False)
    if key is None:
        return jwt, ProofResult(
            False,
            alg,
            vm,
            f"The signing key {kid or '(no kid, no jwk)'} is not a did:key, not embedded and not "
            "in the key registry; pin it with `skillpass trust pin-key` or import the issuer.",
            key_resolved=False,
        )
    header_info = {"header": {k: v for k, v in jwt.header.items() if k != "jwk"}}
    if not verify_jws_signature(alg, key, jwt.signing_input, jwt.signature):
        return jwt, ProofResult(
            False,
            alg,
            vm,
            f"The {alg} JWT signature does not match: the token was changed or signed with "
            "another key.",
            key_source=source,
            extra=header_info,
        )
    issuer = _id_of(jwt.credential.get("issuer"))
    iss = jwt.payload.get("iss")
    if "vc" not in jwt.payload and iss is not None and issuer is not None and iss != issuer:
        return jwt, ProofResult(
            False,
            alg,
            vm,
            f"The JWT 'iss' ({iss}) differs from the credential issuer ({issuer}).",
            key_source=source,
            extra=header_info,
        )
    jti, cred_id = jwt.payload.get("jti"), jwt.credential.get("id")
    if "vc" not in jwt.payload and jti is not None and cred_id is not None and jti != cred_id:
        return jwt, ProofResult(
            False,
            alg,
            vm,
            f"The JWT 'jti' ({jti}) differs from the credential id ({cred_id}).",
            key_source=source,
            extra=header_info,
        )
    return jwt, ProofResult(
        True,
        alg,
        vm,
        f"{alg} JWT signature is valid (key: {source}).",
        key_source=source,
        extra=header_info,
    )
