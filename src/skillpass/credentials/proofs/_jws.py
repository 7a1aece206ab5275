"""JWS signature primitives shared by VC-JWT and JAdES (RFC 7515, RFC 7518 §3, RFC 8037).

Kept small and explicit rather than delegated to a JOSE library: both formats need exact control
of the signing input (JAdES ``b64: false``, critical headers) and of which algorithms a key may
use (an RSA key must never verify an ``HS256`` token, an Ed25519 key only ``EdDSA``).
"""

from __future__ import annotations

from collections.abc import Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from skillpass.credentials.keys import PublicKey

#: Algorithms we verify; "Ed25519" is the RFC 9864 name for EdDSA with Ed25519.
VERIFY_ALGORITHMS = (
    "EdDSA",
    "Ed25519",
    "ES256",
    "ES384",
    "ES512",
    "RS256",
    "RS384",
    "RS512",
    "PS256",
)

_EC = {
    "ES256": (ec.SECP256R1, hashes.SHA256),
    "ES384": (ec.SECP384R1, hashes.SHA384),
    "ES512": (ec.SECP521R1, hashes.SHA512),
}
_RSA_HASH: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
    "PS256": hashes.SHA256,
}


def key_fits(alg: str, key: PublicKey) -> bool:
    """Whether ``key`` may verify signatures of algorithm ``alg``."""
    if alg in ("EdDSA", "Ed25519"):
        return isinstance(key, ed25519.Ed25519PublicKey)
    if alg in _EC:
        return isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, _EC[alg][0])
    if alg in _RSA_HASH:
        return isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048
    return False


def verify_jws_signature(alg: str, key: PublicKey, signing_input: bytes, signature: bytes) -> bool:
    """Check a JWS signature; False on mismatch, wrong key type or unknown algorithm."""
    if alg not in VERIFY_ALGORITHMS or not key_fits(alg, key):
        return False
    try:
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, signing_input)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            size = (key.curve.key_size + 7) // 8
            if len(signature) != 2 * size:
                return False
            der = encode_dss_signature(
                int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
            )
            key.verify(der, signing_input, ec.ECDSA(_EC[alg][1]()))
        else:
            pad: padding.AsymmetricPadding = (
                padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.DIGEST_LENGTH)
                if alg == "PS256"
                else padding.PKCS1v15()
            )
            key.verify(signature, signing_input, pad, _RSA_HASH[alg]())
    except InvalidSignature:
        return False
    return True
