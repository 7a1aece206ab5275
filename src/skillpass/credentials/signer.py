"""The signer interface every proof format signs through.

A :class:`Signer` knows its verification method (a DID URL such as ``did:key:z…#z…`` or
``did:web:example.org#key-1``), its algorithm and public key, and turns bytes into a signature.
Proof modules (:mod:`~skillpass.credentials.proofs.data_integrity`,
:mod:`~skillpass.credentials.proofs.jwt`, :mod:`~skillpass.credentials.proofs.jades`) never see a
private key: they call :meth:`Signer.sign`.

:class:`LocalSigner` wraps a decrypted ``cryptography`` key. An HSM (PKCS#11), a cloud KMS or an
EU qualified electronic seal service (a QSealC held by a qualified trust service provider, as
eIDAS requires for qualified seals) implements the same protocol: ``sign`` sends the bytes (or
their digest) to the device or service and returns the raw signature — ``r || s`` for ECDSA (JOSE
form, 64 bytes for P-256), 64 bytes for Ed25519. A QSealC-backed signer would also expose its
certificate chain so :func:`~skillpass.credentials.proofs.jades.seal_jades` can add ``x5c``.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from skillpass.credentials.keys import (
    Algorithm,
    PrivateKey,
    did_key_verification_method,
    key_algorithm,
    public_jwk,
    public_key_multibase,
)

__all__ = ["JoseAlgorithm", "LocalSigner", "Signer"]

JoseAlgorithm = Literal["EdDSA", "ES256"]
_JOSE: dict[str, JoseAlgorithm] = {"Ed25519": "EdDSA", "P-256": "ES256"}


@runtime_checkable
class Signer(Protocol):
    """Something that signs on behalf of one verification method.

    Attributes:
        verification_method: DID URL of the public key verifiers use.
        algorithm: ``"Ed25519"`` or ``"P-256"``.
        jose_alg: The JOSE ``alg`` for the algorithm: ``"EdDSA"`` or ``"ES256"``.
        public_key_multibase: Multikey form of the public key.
        public_jwk: Public JWK of the key (no private members).
        certificate_chain: DER X.509 certificates (leaf first) for ``x5c``; empty when the
            key has no certificate (every local key).
    """

    @property
    def verification_method(self) -> str: ...

    @property
    def algorithm(self) -> Algorithm: ...

    @property
    def jose_alg(self) -> JoseAlgorithm: ...

    @property
    def public_key_multibase(self) -> str: ...

    @property
    def public_jwk(self) -> dict[str, str]: ...

    @property
    def certificate_chain(self) -> tuple[bytes, ...]: ...

    def sign(self, data: bytes) -> bytes:
        """Sign ``data``; ECDSA signatures are returned as JOSE ``r || s``."""
        ...


class LocalSigner:
    """A :class:`Signer` over a private key held in memory (decrypted from the key store).

    Args:
        key: The private key (Ed25519 or P-256).
        verification_method: Its DID URL; defaults to the key's ``did:key`` method.

    The key is kept in a private attribute and never appears in ``repr`` or logs.
    """

    __slots__ = ("_algorithm", "_key", "_verification_method")

    def __init__(self, key: PrivateKey, verification_method: str | None = None) -> None:
        self._algorithm: Algorithm = key_algorithm(key)
        self._key = key
        self._verification_method = verification_method or did_key_verification_method(key)

    def __repr__(self) -> str:
        return f"LocalSigner({self._algorithm}, {self._verification_method!r})"

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("A LocalSigner holds a private key and cannot be pickled.")

    @property
    def verification_method(self) -> str:
        """DID URL of this key."""
        return self._verification_method

    @property
    def algorithm(self) -> Algorithm:
        """``Ed25519`` or ``P-256``."""
        return self._algorithm

    @property
    def jose_alg(self) -> JoseAlgorithm:
        """``EdDSA`` or ``ES256``."""
        return _JOSE[self._algorithm]

    @property
    def public_key_multibase(self) -> str:
        """Multikey form of the public key."""
        return public_key_multibase(self._key)

    @property
    def public_jwk(self) -> dict[str, str]:
        """Public JWK."""
        return public_jwk(self._key)

    @property
    def certificate_chain(self) -> tuple[bytes, ...]:
        """Local keys have no X.509 certificate."""
        return ()

    def sign(self, data: bytes) -> bytes:
        """Sign ``data`` (Ed25519: 64 bytes; P-256: SHA-256 ECDSA as 64-byte ``r || s``)."""
        if isinstance(self._key, ed25519.Ed25519PrivateKey):
            return self._key.sign(data)
        assert isinstance(self._key, ec.EllipticCurvePrivateKey)
        r, s = decode_dss_signature(self._key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
