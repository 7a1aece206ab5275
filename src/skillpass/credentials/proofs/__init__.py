"""Proof formats: W3C Data Integrity (:mod:`.data_integrity`), VC-JWT (:mod:`.jwt`) and
JAdES-style JWS seals (:mod:`.jades`). Each signs through a
:class:`~skillpass.credentials.signer.Signer` and verifies to :class:`ProofResult` values; none
touches storage or the network (keys other than ``did:key`` come from a caller's resolver)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from skillpass.credentials.keys import PublicKey

__all__ = ["KeyResolver", "ProofResult"]

#: Maps a verification method id (DID URL, key URL or JWS ``kid``) to a public key, or None.
KeyResolver = Callable[[str], PublicKey | None]


@dataclass(frozen=True)
class ProofResult:
    """The outcome of checking one proof or signature.

    Attributes:
        ok: The signature is valid for the data it covers.
        suite: ``eddsa-rdfc-2022``, ``eddsa-jcs-2022``, ``Ed25519Signature2020``, or a JOSE
            ``alg`` (``EdDSA``, ``ES256``, ``RS256``…).
        verification_method: The key identifier the proof names (may be empty).
        detail: What was checked, or why it failed, in plain words.
        key_resolved: False when the key could not be found (not a signature failure).
        key_source: Where the key came from: ``did:key``, ``registry``, ``embedded-jwk``,
            ``x5c`` or ``""`` when unresolved.
        extra: Format-specific facts (e.g. JAdES certificate validity, JWT header).
    """

    ok: bool
    suite: str
    verification_method: str
    detail: str
    key_resolved: bool = True
    key_source: str = ""
    extra: dict[str, Any] | None = None
