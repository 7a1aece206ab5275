"""Signing keys: Ed25519 (default) and P-256 pairs, multibase/multicodec, ``did:key``, JWKs,
and private-key encryption at rest.

Specs:
    * did:key — https://w3c-ccg.github.io/did-method-key/ (``did:key:<multibase>``; the only
      verification method is ``did:key:<multibase>#<multibase>``).
    * Multikey — https://www.w3.org/TR/controller-document/#multikey (base58btc multibase of a
      multicodec prefix: ``0xed01`` Ed25519, ``0x8024`` (varint of 0x1200) compressed P-256).
    * JWK — RFC 7517 / RFC 8037 (OKP Ed25519).

Private keys never leave this module in clear except as a ``cryptography`` key object held by a
:class:`~skillpass.credentials.signer.LocalSigner`. At rest they are PKCS#8 encrypted with
AES-256-GCM under a key derived by HKDF-SHA256 from ``Settings.key_encryption_key`` and a random
salt; the blob is versioned (``SPK1``) so the scheme can change without losing stored keys.
"""

from __future__ import annotations

import os
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from skillpass.credentials.limits import b64url_decode, b64url_encode, multibase_decode
from skillpass.credentials.limits import multibase_encode as _multibase_encode
from skillpass.errors import ConfigurationError, InvalidInput

__all__ = [
    "Algorithm",
    "PrivateKey",
    "PublicKey",
    "decrypt_private_key",
    "did_key_from_public_key",
    "did_key_verification_method",
    "encrypt_private_key",
    "generate_private_key",
    "jwk_thumbprint",
    "key_algorithm",
    "private_key_from_multibase",
    "public_jwk",
    "public_key_from_did_key",
    "public_key_from_jwk",
    "public_key_from_multibase",
    "public_key_multibase",
    "resolve_did_key",
]

Algorithm = Literal["Ed25519", "P-256"]
PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey
PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey

_ED25519_PUB = b"\xed\x01"
_P256_PUB = b"\x80\x24"
_ED25519_PRIV = b"\x80\x26"
_BLOB_MAGIC = b"SPK1"
_HKDF_INFO = b"skillpass private signing key v1"
_SALT_LEN = 16
_NONCE_LEN = 12
_CURVES: dict[str, ec.EllipticCurve] = {
    "P-256": ec.SECP256R1(),
    "P-384": ec.SECP384R1(),
    "P-521": ec.SECP521R1(),
}


def generate_private_key(algorithm: Algorithm = "Ed25519") -> PrivateKey:
    """Generate a new signing key.

    Args:
        algorithm: ``"Ed25519"`` (default, for ``eddsa-*`` proofs and EdDSA JWTs) or ``"P-256"``
            (ES256 JWTs and seals).

    Returns:
        A ``cryptography`` private key.

    Raises:
        InvalidInput: Unknown algorithm.
    """
    if algorithm == "Ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if algorithm == "P-256":
        return ec.generate_private_key(ec.SECP256R1())
    raise InvalidInput(f"Unknown key algorithm {algorithm!r}; use 'Ed25519' or 'P-256'.")


def key_algorithm(key: PrivateKey | PublicKey) -> Algorithm:
    """The algorithm name of a key (``Ed25519`` or ``P-256``).

    Raises:
        InvalidInput: The key is neither Ed25519 nor P-256.
    """
    if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) and isinstance(
        key.curve, ec.SECP256R1
    ):
        return "P-256"
    raise InvalidInput("Only Ed25519 and P-256 keys can sign SkillPass credentials.")


def _public(key: PrivateKey | PublicKey) -> PublicKey:
    if isinstance(key, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey):
        return key.public_key()
    return key


def public_key_multibase(key: PrivateKey | PublicKey) -> str:
    """The Multikey ``publicKeyMultibase`` of a key (``z6Mk…`` Ed25519, ``zDn…`` P-256).

    Args:
        key: A private or public Ed25519 / P-256 key.

    Returns:
        ``z`` + base58btc(multicodec prefix + raw public key).
    """
    public = _public(key)
    if isinstance(public, ed25519.Ed25519PublicKey):
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return _multibase_encode(_ED25519_PUB + raw)
    if isinstance(public, ec.EllipticCurvePublicKey) and isinstance(public.curve, ec.SECP256R1):
        raw = public.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )
        return _multibase_encode(_P256_PUB + raw)
    raise InvalidInput("Only Ed25519 and P-256 public keys have a did:key form here.")


def public_key_from_multibase(value: str) -> PublicKey:
    """Decode a Multikey ``publicKeyMultibase`` (Ed25519 or P-256).

    Raises:
        InvalidInput: Bad multibase, unknown multicodec, or wrong key length.
    """
    data = multibase_decode(value, "publicKeyMultibase")
    try:
        if data[:2] == _ED25519_PUB and len(data) == 34:
            return ed25519.Ed25519PublicKey.from_public_bytes(data[2:])
        if data[:2] == _P256_PUB and len(data) == 35:
            return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data[2:])
    except ValueError:
        raise InvalidInput(f"The public key {value[:16]}… is not a valid point.") from None
    raise InvalidInput(
        f"The public key {value[:16]}… is neither an Ed25519 (z6Mk…) nor a P-256 (zDn…) Multikey."
    )


def private_key_from_multibase(value: str) -> ed25519.Ed25519PrivateKey:
    """Decode an Ed25519 ``secretKeyMultibase`` (multicodec ``0x8026``), as in the W3C vectors.

    Raises:
        InvalidInput: Not an Ed25519 secret key multibase.
    """
    data = multibase_decode(value, "secretKeyMultibase")
    if data[:2] != _ED25519_PRIV or len(data) != 34:
        raise InvalidInput("The secret key is not an Ed25519 secretKeyMultibase (z3u2…).")
    return ed25519.Ed25519PrivateKey.from_private_bytes(data[2:])


def did_key_from_public_key(key: PrivateKey | PublicKey) -> str:
    """The ``did:key`` identifier of a key."""
    return "did:key:" + public_key_multibase(key)


def did_key_verification_method(key: PrivateKey | PublicKey) -> str:
    """The ``did:key:z…#z…`` verification method id of a key."""
    multibase = public_key_multibase(key)
    return f"did:key:{multibase}#{multibase}"


def public_key_from_did_key(did_or_vm: str) -> PublicKey:
    """The public key named by a ``did:key`` DID or DID URL (``did:key:z…#z…``).

    Raises:
        InvalidInput: Not a did:key, or a fragment that does not match the key.
    """
    if not did_or_vm.startswith("did:key:"):
        raise InvalidInput(f"{did_or_vm!r} is not a did:key identifier.")
    did, _, fragment = did_or_vm.partition("#")
    multibase = did[len("did:key:") :]
    if fragment and fragment != multibase:
        raise InvalidInput(
            f"The did:key verification method fragment #{fragment[:16]}… does not match its key; "
            "a did:key has exactly one method, '#<the same multibase>'."
        )
    return public_key_from_multibase(multibase)


def public_jwk(key: PrivateKey | PublicKey) -> dict[str, str]:
    """The public JWK of a key (RFC 7517; OKP per RFC 8037). Never includes private members."""
    public = _public(key)
    if isinstance(public, ed25519.Ed25519PublicKey):
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}
    if isinstance(public, ec.EllipticCurvePublicKey):
        numbers = public.public_numbers()
        size = (public.curve.key_size + 7) // 8
        crv = {256: "P-256", 384: "P-384", 521: "P-521"}[public.curve.key_size]
        return {
            "kty": "EC",
            "crv": crv,
            "x": b64url_encode(numbers.x.to_bytes(size, "big")),
            "y": b64url_encode(numbers.y.to_bytes(size, "big")),
        }
    numbers_rsa = public.public_numbers()
    return {
        "kty": "RSA",
        "n": b64url_encode(numbers_rsa.n.to_bytes((numbers_rsa.n.bit_length() + 7) // 8, "big")),
        "e": b64url_encode(numbers_rsa.e.to_bytes((numbers_rsa.e.bit_length() + 7) // 8, "big")),
    }


def public_key_from_jwk(jwk: dict[str, Any]) -> PublicKey:
    """A public key from a JWK (OKP Ed25519, EC P-256/P-384/P-521, RSA).

    Raises:
        InvalidInput: Unsupported key type or malformed members.
    """
    if not isinstance(jwk, dict):
        raise InvalidInput("A JWK must be a JSON object.")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    try:
        if kty == "OKP" and crv == "Ed25519":
            return ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"], "JWK x"))
        if kty == "EC" and crv in _CURVES:
            x = int.from_bytes(b64url_decode(jwk["x"], "JWK x"), "big")
            y = int.from_bytes(b64url_decode(jwk["y"], "JWK y"), "big")
            return ec.EllipticCurvePublicNumbers(x, y, _CURVES[crv]).public_key()
        if kty == "RSA":
            n = int.from_bytes(b64url_decode(jwk["n"], "JWK n"), "big")
            e = int.from_bytes(b64url_decode(jwk["e"], "JWK e"), "big")
            return rsa.RSAPublicNumbers(e, n).public_key()
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"The JWK is malformed ({exc}).") from None
    raise InvalidInput(
        f"Unsupported JWK (kty={kty!r}, crv={crv!r}); use OKP Ed25519, EC P-256/384/521 or RSA."
    )


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url) of a public JWK."""
    import hashlib
    import json

    required = {
        "OKP": ("crv", "kty", "x"),
        "EC": ("crv", "kty", "x", "y"),
        "RSA": ("e", "kty", "n"),
    }
    members = {name: jwk[name] for name in required[str(jwk.get("kty"))]}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return b64url_encode(hashlib.sha256(canonical).digest())


def resolve_did_key(did: str) -> dict[str, Any]:
    """Resolve a ``did:key`` into its DID document (computed, never fetched).

    Args:
        did: ``did:key:z…`` (a DID URL with the key's own fragment is accepted too).

    Returns:
        A DID document whose single verification method (``Multikey``) carries both
        ``publicKeyMultibase`` and ``publicKeyJwk``, referenced from ``authentication``,
        ``assertionMethod``, ``capabilityInvocation`` and ``capabilityDelegation``.

    Raises:
        InvalidInput: Not a valid did:key.
    """
    key = public_key_from_did_key(did)
    bare = did.partition("#")[0]
    multibase = bare[len("did:key:") :]
    vm_id = f"{bare}#{multibase}"
    return {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1",
        ],
        "id": bare,
        "verificationMethod": [
            {
                "id": vm_id,
                "type": "Multikey",
                "controller": bare,
                "publicKeyMultibase": multibase,
                "publicKeyJwk": public_jwk(key),
            }
        ],
        "authentication": [vm_id],
        "assertionMethod": [vm_id],
        "capabilityInvocation": [vm_id],
        "capabilityDelegation": [vm_id],
    }


def _derive(kek: str, salt: bytes) -> bytes:
    if not kek:
        raise ConfigurationError(
            "No key-encryption key is set: set SKILLPASS_KEY_ENCRYPTION_KEY to a long random value."
        )
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_HKDF_INFO).derive(
        kek.encode("utf-8")
    )


def encrypt_private_key(key: PrivateKey, kek: str) -> bytes:
    """Encrypt a private key for storage (AES-256-GCM, HKDF-SHA256 key derivation).

    Blob layout (version 1): ``b"SPK1" || salt(16) || nonce(12) || AES-GCM(PKCS#8 DER)``, the
    4-byte header bound as associated data.

    Args:
        key: The private key.
        kek: The key-encryption key (``Settings.key_encryption_key``).

    Returns:
        The encrypted blob.

    Raises:
        ConfigurationError: Empty key-encryption key.
    """
    salt, nonce = os.urandom(_SALT_LEN), os.urandom(_NONCE_LEN)
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    sealed = AESGCM(_derive(kek, salt)).encrypt(nonce, der, _BLOB_MAGIC)
    return _BLOB_MAGIC + salt + nonce + sealed


def decrypt_private_key(blob: bytes, kek: str) -> PrivateKey:
    """Decrypt a blob made by :func:`encrypt_private_key`.

    Args:
        blob: The stored blob.
        kek: The key-encryption key.

    Returns:
        The private key.

    Raises:
        ConfigurationError: The key-encryption key is not the one the blob was written with,
            or the blob is corrupt.
        InvalidInput: Not a SkillPass key blob.
    """
    if not blob.startswith(_BLOB_MAGIC) or len(blob) < 4 + _SALT_LEN + _NONCE_LEN + 16:
        raise InvalidInput("This is not a SkillPass encrypted key (expected an 'SPK1' blob).")
    salt = blob[4 : 4 + _SALT_LEN]
    nonce = blob[4 + _SALT_LEN : 4 + _SALT_LEN + _NONCE_LEN]
    try:
        der = AESGCM(_derive(kek, salt)).decrypt(
            nonce, blob[4 + _SALT_LEN + _NONCE_LEN :], _BLOB_MAGIC
        )
    except InvalidTag:
        raise ConfigurationError(
            "Cannot decrypt a stored signing key: SKILLPASS_KEY_ENCRYPTION_KEY differs from the "
            "one the key was stored with (or the stored key is corrupt). Restore the original "
            "key-encryption key."
        ) from None
    key = serialization.load_der_private_key(der, password=None)
    if not isinstance(key, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey):
        raise InvalidInput("The stored key is neither Ed25519 nor an elliptic-curve key.")
    return key
