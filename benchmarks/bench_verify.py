"""Credential verification latency: Data Integrity (rdfc, jcs) vs VC-JWT, and openbadgeslib.

One Open Badges 3.0 credential (built with openbadgeslib's own model so both libraries read the
same document, issuer a did:key) is signed four ways and verified repeatedly in one warm
process:

* SkillPass ``verify_credential`` — the full report (contexts, schema-less, proof, key, validity)
  for ``eddsa-rdfc-2022``, ``eddsa-jcs-2022`` and VC-JWT (EdDSA);
* SkillPass ``verify_data_integrity`` — the rdfc proof alone;
* openbadgeslib ``OB3LdpVerifier.verify`` on the same rdfc credential (its full OB3 checks) and
  ``verify_data_integrity_proof`` (its proof alone).

Usage::

    python benchmarks/bench_verify.py [--runs 300]

Needs the dev extra (openbadgeslib).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import serialization

from skillpass.credentials.keys import did_key_from_public_key, generate_private_key
from skillpass.credentials.proofs.data_integrity import sign_data_integrity, verify_data_integrity
from skillpass.credentials.proofs.jwt import sign_vc_jwt
from skillpass.credentials.signer import LocalSigner
from skillpass.credentials.verify import verify_credential


def _measure(function: Callable[[], Any], runs: int) -> tuple[float, float]:
    for _ in range(10):
        function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()

    from openbadgeslib.ob3 import (
        Achievement,
        Issuer,
        OB3LdpSigner,
        OB3LdpVerifier,
        OpenBadgeCredential,
    )
    from openbadgeslib.ob3.ldp import verify_data_integrity_proof

    key = generate_private_key()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    did = did_key_from_public_key(key)
    credential = OpenBadgeCredential(
        issuer=Issuer(id=did, name="Example University"),
        recipient_id="did:example:learner",
        achievement=Achievement(
            id="https://example.edu/achievements/data-literacy",
            name="Data Literacy",
            description="Reads and cleans tabular data.",
            criteria_narrative="Pass the project.",
            achievement_type="MicroCredential",
        ),
        id="urn:uuid:1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed",
        issuance_date=datetime(2024, 1, 1, tzinfo=UTC),
    )
    document = {k: v for k, v in OB3LdpSigner(pem).sign(credential).items() if k != "proof"}
    signer = LocalSigner(key)
    rdfc = sign_data_integrity(document, signer)
    jcs = sign_data_integrity(document, signer, cryptosuite="eddsa-jcs-2022")
    jwt = sign_vc_jwt(document, signer)
    assert verify_credential(rdfc).verified
    assert verify_credential(jcs).verified
    assert verify_credential(jwt).verified
    OB3LdpVerifier().verify(rdfc)

    rows = [
        ("SkillPass verify_credential, eddsa-rdfc-2022", lambda: verify_credential(rdfc)),
        ("SkillPass verify_credential, eddsa-jcs-2022", lambda: verify_credential(jcs)),
        ("SkillPass verify_credential, VC-JWT EdDSA", lambda: verify_credential(jwt)),
        ("SkillPass verify_data_integrity (proof only), rdfc", lambda: verify_data_integrity(rdfc)),
        ("openbadgeslib OB3LdpVerifier.verify, rdfc", lambda: OB3LdpVerifier().verify(rdfc)),
        (
            "openbadgeslib verify_data_integrity_proof (proof only), rdfc",
            lambda: verify_data_integrity_proof(rdfc, public_pem),
        ),
    ]
    results = {}
    print(f"{'what':64} {'median ms':>10} {'p95 ms':>8}")
    for name, function in rows:
        median, p95 = _measure(function, args.runs)
        results[name] = median
        print(f"{name:64} {median:10.2f} {p95:8.2f}")
    ours = results["SkillPass verify_credential, eddsa-rdfc-2022"]
    theirs = results["openbadgeslib OB3LdpVerifier.verify, rdfc"]
    ours_proof = results["SkillPass verify_data_integrity (proof only), rdfc"]
    theirs_proof = results["openbadgeslib verify_data_integrity_proof (proof only), rdfc"]
    print(f"\nfull verification, rdfc: openbadgeslib / SkillPass = {theirs / ours:.1f}x")
    print(f"proof only, rdfc:        openbadgeslib / SkillPass = {theirs_proof / ours_proof:.1f}x")
    jwt_ms = results["SkillPass verify_credential, VC-JWT EdDSA"]
    print(f"SkillPass rdfc / JWT = {ours / jwt_ms:.1f}x")


if __name__ == "__main__":
    main()
