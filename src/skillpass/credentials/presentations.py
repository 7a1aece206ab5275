"""Verifiable presentations (W3C VC Data Model 2.0 §4.13): a holder wraps credentials and proves
control of its DID with a Data Integrity proof whose purpose is ``authentication`` and which binds
the verifier's ``challenge`` and ``domain`` (replay protection).

Credentials are embedded as issued: JSON-LD credentials as objects, compact JWTs (VC-JWT) as
``EnvelopedVerifiableCredential`` with a ``data:application/vc+jwt,`` id. The verification engine
(:func:`skillpass.credentials.verify.verify_credential`) recognises a presentation and verifies
its proof, the holder binding, challenge and domain, and every credential inside.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skillpass.credentials.signer import Signer
    from skillpass.credentials.verify import VerificationContext, VerificationReport

__all__ = ["build_presentation", "sign_presentation", "verify_presentation"]


def build_presentation(credentials: list[str | dict[str, Any]], holder: str) -> dict[str, Any]:
    """An unsigned presentation of ``credentials`` (JSON objects, JSON text or compact JWTs)
    by ``holder`` (a DID)."""
    raise NotImplementedError


def sign_presentation(
    presentation: dict[str, Any], signer: Signer, *, challenge: str, domain: str
) -> dict[str, Any]:
    """Sign with ``eddsa-rdfc-2022``, proof purpose ``authentication``, with challenge/domain."""
    raise NotImplementedError


def verify_presentation(
    presentation: dict[str, Any],
    ctx: VerificationContext,
    *,
    challenge: str | None = None,
    domain: str | None = None,
) -> VerificationReport:
    """Verify a presentation: its proof, that the proof's key belongs to ``holder``, the expected
    challenge and domain (when given), and every embedded credential (each reported like CLR
    nested credentials). Never raises for bad input."""
    raise NotImplementedError
