"""W3C Data Integrity proofs: ``eddsa-rdfc-2022``, ``eddsa-jcs-2022`` and legacy
``Ed25519Signature2020`` (verify only).

Specs:
    * VC Data Integrity 1.0 — https://www.w3.org/TR/vc-data-integrity/ (§4.2 add proof,
      §4.3 proof sets and chains, §4.4 verify proof).
    * EdDSA Cryptosuites v1.0 — https://www.w3.org/TR/vc-di-eddsa/ (§3.3 eddsa-rdfc-2022,
      §3.4 eddsa-jcs-2022).
    * RDF Dataset Canonicalization (RDFC-1.0, = URDNA2015) — https://www.w3.org/TR/rdf-canon/.
    * JSON Canonicalization Scheme — RFC 8785.
    * Ed25519Signature2020 — https://w3c.github.io/vc-di-eddsa/#the-ed25519signature2020-suite.

For every suite: ``hashData = SHA-256(canonical proof configuration) || SHA-256(canonical
document)``, signed with Ed25519, ``proofValue`` = multibase base58btc of the 64-byte signature.
For the RDF suites the proof configuration is canonicalised with the document's ``@context``.

Signing refuses a document with members its contexts do not define: RDF canonicalisation drops
them, so the proof would not cover them and a holder could change them unnoticed.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime
from typing import Any, Literal

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from skillpass.credentials.contexts import ContextStore, default_store, unwrap_context_error
from skillpass.credentials.keys import PublicKey, public_key_from_did_key
from skillpass.credentials.limits import multibase_decode, multibase_encode
from skillpass.credentials.proofs import KeyResolver, ProofResult
from skillpass.credentials.signer import Signer
from skillpass.errors import InvalidInput

__all__ = [
    "SUPPORTED_CRYPTOSUITES",
    "Cryptosuite",
    "ProofResult",
    "canonicalize_rdfc",
    "dropped_terms",
    "hash_data",
    "proof_configuration",
    "sign_data_integrity",
    "transform_document",
    "verify_data_integrity",
]

Cryptosuite = Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"]
SUPPORTED_CRYPTOSUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020")


def _rdfc_options(store: ContextStore) -> dict[str, Any]:
    return dict(store.pyld_options(), algorithm="URDNA2015", format="application/n-quads")


def canonicalize_rdfc(document: dict[str, Any], store: ContextStore | None = None) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document, contexts from the store.

    Args:
        document: The JSON-LD document.
        store: Context store (default: shipped contexts only).

    Returns:
        The canonical N-Quads text.

    Raises:
        UnknownContextError: A context is not in the store.
        InvalidInput: The document is not valid JSON-LD.
    """
    from pyld import jsonld

    try:
        store = store or default_store()
        result = store.processor().normalize(document, _rdfc_options(store))
    except jsonld.JsonLdError as exc:
        unknown = unwrap_context_error(exc)
        if unknown is not None:
            raise unknown from None
        raise InvalidInput(f"The document is not valid JSON-LD: {_jsonld_reason(exc)}") from None
    assert isinstance(result, str)
    return result


def _jsonld_reason(exc: BaseException) -> str:
    reasons: list[str] = []
    current: BaseException | None = exc
    while current is not None and len(reasons) < 4:
        message = getattr(current, "message", None) or str(current)
        reasons.append(str(message).splitlines()[0])
        current = current.__cause__
    return " — ".join(dict.fromkeys(reasons))


def dropped_terms(document: dict[str, Any], store: ContextStore | None = None) -> list[str]:
    """What of a JSON-LD document its proof could not cover: undefined terms and relative IRIs.

    Expansion drops members whose names no context defines; a relative ``id`` or ``type`` value
    has no fixed meaning (pyld would resolve it against a made-up base). Either way the JSON
    says something the canonical RDF does not.

    Args:
        document: The JSON-LD document.
        store: Context store (default: shipped contexts only).

    Returns:
        Sorted descriptions: dropped member names, and ``relative IRI 'x'`` entries.

    Raises:
        UnknownContextError: A context is not in the store.
        InvalidInput: The document is not valid JSON-LD.
    """
    from pyld import jsonld

    dropped: set[str] = set()

    def remember(name: str | None = None, *args: Any, **kwargs: Any) -> None:
        dropped.add(str(name))

    try:
        store = store or default_store()
        expanded = store.processor(remember).expand(document, store.pyld_options())
    except jsonld.JsonLdError as exc:
        unknown = unwrap_context_error(exc)
        if unknown is not None:
            raise unknown from None
        raise InvalidInput(f"The document is not valid JSON-LD: {_jsonld_reason(exc)}") from None
    base = jsonld.DEFAULT_BASE_IRI
    stack: list[Any] = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("@id", "@type"):
                    for iri in value if isinstance(value, list) else [value]:
                        if isinstance(iri, str) and iri.startswith(base):
                            dropped.add(f"relative IRI {iri[len(base) :]!r} (in {key[1:]})")
                elif key != "@value":
                    stack.append(value)
    return sorted(dropped)


def transform_document(
    document: dict[str, Any], suite: str, store: ContextStore | None = None
) -> bytes:
    """The canonical form of an unsecured document for a cryptosuite (N-Quads or JCS).

    Raises:
        InvalidInput: Unknown suite or invalid document.
        UnknownContextError: A context is not in the store (RDF suites).
    """
    if suite == "eddsa-jcs-2022":
        return bytes(rfc8785.dumps(document))
    if suite in ("eddsa-rdfc-2022", "Ed25519Signature2020"):
        return canonicalize_rdfc(document, store).encode("utf-8")
    raise InvalidInput(
        f"Unsupported cryptosuite {suite!r}; supported: eddsa-rdfc-2022, "
        "eddsa-jcs-2022, Ed25519Signature2020."
    )


def proof_configuration(
    proof: dict[str, Any],
    document_context: Any,
    suite: str,
    store: ContextStore | None = None,
) -> bytes:
    """The canonical proof configuration: the proof without ``proofValue``, with ``@context``.

    Args:
        proof: The proof options (``proofValue`` is ignored if present).
        document_context: The secured document's ``@context``.
        suite: The cryptosuite.
        store: Context store for the RDF suites.

    Returns:
        Canonical bytes (N-Quads for RDF suites, JCS for ``eddsa-jcs-2022``).
    """
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    if suite == "eddsa-jcs-2022":
        if "@context" not in config and document_context is not None:
            config["@context"] = document_context
    else:
        config["@context"] = document_context
    return transform_document(config, suite, store)


def hash_data(canonical_proof_config: bytes, canonical_document: bytes) -> bytes:
    """``SHA-256(proof configuration) || SHA-256(document)``, the 64 bytes that are signed."""
    return (
        hashlib.sha256(canonical_proof_config).digest()
        + hashlib.sha256(canonical_document).digest()
    )


def _proofs(document: dict[str, Any]) -> list[dict[str, Any]]:
    value = document.get("proof")
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, dict) for item in items):
        raise InvalidInput("Every entry of 'proof' must be a JSON object.")
    return items


def _unsecured(
    document: dict[str, Any], proof: dict[str, Any], all_proofs: list[dict[str, Any]]
) -> dict[str, Any]:
    """The document a proof signed: without proofs, or with the proofs it chains to (§4.3)."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    previous = proof.get("previousProof")
    if previous is not None:
        wanted = [previous] if isinstance(previous, str) else list(previous)
        matching = [item for item in all_proofs if item.get("id") in wanted]
        if len(matching) != len(wanted):
            missing = set(wanted) - {item.get("id") for item in matching}
            raise InvalidInput(
                f"The proof chains to {sorted(missing)} but the document has no such proof."
            )
        unsecured["proof"] = matching
    return unsecured


def _format_created(created: datetime | str | None) -> str:
    if isinstance(created, str):
        return created
    moment = created or datetime.now(UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign_data_integrity(
    document: dict[str, Any],
    signer: Signer,
    *,
    cryptosuite: Cryptosuite = "eddsa-rdfc-2022",
    created: datetime | str | None = None,
    proof_purpose: str = "assertionMethod",
    proof_id: str | None = None,
    previous_proof: str | list[str] | None = None,
    store: ContextStore | None = None,
    challenge: str | None = None,
    domain: str | list[str] | None = None,
) -> dict[str, Any]:
    """Add a Data Integrity proof to a document (a proof set when it already has proofs).

    Args:
        document: The credential (unchanged; a copy is returned).
        signer: An Ed25519 signer.
        cryptosuite: ``eddsa-rdfc-2022`` (default) or ``eddsa-jcs-2022``.
        created: Proof creation time (default: now, UTC, seconds).
        proof_purpose: ``assertionMethod`` for credentials, ``authentication`` for
            presentations.
        proof_id: Optional proof ``id`` (needed when later proofs chain to this one).
        previous_proof: Id(s) of the proof(s) this one chains to (proof chain).
        store: Context store (default: shipped contexts).
        challenge: The verifier's challenge (presentations, §2.1 proof options); signed as
            part of the proof configuration.
        domain: The verifier's domain(s) the proof is meant for; signed likewise.

    Returns:
        The secured document.

    Raises:
        InvalidInput: Not an Ed25519 signer, members the contexts do not define, unknown
            contexts, or an invalid document.
    """
    if signer.algorithm != "Ed25519":
        raise InvalidInput(
            f"{cryptosuite} needs an Ed25519 key; this signer is {signer.algorithm}."
        )
    if not isinstance(document, dict) or "@context" not in document:
        raise InvalidInput("A Data Integrity proof needs a JSON-LD document with an '@context'.")
    store = store or default_store()
    bare = {key: value for key, value in document.items() if key != "proof"}
    undefined = dropped_terms(bare, store)
    if undefined:
        raise InvalidInput(
            "Refusing to sign: the proof would not cover these members, because no context "
            f"defines them: {', '.join(undefined)}. Define them in a context (e.g. the SkillPass "
            "Annex I context) or remove them.",
            details={"undefined_terms": undefined},
        )
    proof: dict[str, Any] = {"type": "DataIntegrityProof"}
    if proof_id:
        proof["id"] = proof_id
    proof.update(
        {
            "cryptosuite": cryptosuite,
            "created": _format_created(created),
            "verificationMethod": signer.verification_method,
            "proofPurpose": proof_purpose,
        }
    )
    if challenge is not None:
        proof["challenge"] = challenge
    if domain is not None:
        proof["domain"] = domain
    if previous_proof is not None:
        proof["previousProof"] = previous_proof
    if cryptosuite == "eddsa-jcs-2022":
        proof["@context"] = document["@context"]
    existing = _proofs(document)
    unsecured = _unsecured(document, proof, existing)
    data = hash_data(
        proof_configuration(proof, document["@context"], cryptosuite, store),
        transform_document(unsecured, cryptosuite, store),
    )
    proof["proofValue"] = multibase_encode(signer.sign(data))
    secured = copy.deepcopy(document)
    secured["proof"] = [*copy.deepcopy(existing), proof] if existing else proof
    return secured


def _resolve(vm: str, resolve_key: KeyResolver | None) -> PublicKey | None:
    if vm.startswith("did:key:"):
        return public_key_from_did_key(vm)
    return resolve_key(vm) if resolve_key is not None else None


def verify_data_integrity(
    document: dict[str, Any],
    resolve_key: KeyResolver | None = None,
    *,
    store: ContextStore | None = None,
    expected_purpose: str = "assertionMethod",
) -> list[ProofResult]:
    """Check every Data Integrity proof of a document (proof sets and chains included).

    ``did:key`` methods are resolved here; any other verification method only through
    ``resolve_key`` (the operator's key registry), never over the network.

    Args:
        document: The secured document.
        resolve_key: Maps a verification method id to a public key, or None if unknown.
        store: Context store (default: shipped contexts).
        expected_purpose: The ``proofPurpose`` required.

    Returns:
        One :class:`ProofResult` per proof, in document order (empty if there is none).

    Raises:
        UnknownContextError: A context is not in the store.
        InvalidInput: The document or a proof is malformed.
    """
    store = store or default_store()
    proofs = _proofs(document)
    results: list[ProofResult] = []
    for proof in proofs:
        results.append(_verify_one(document, proof, proofs, resolve_key, store, expected_purpose))
    return results


def _verify_one(
    document: dict[str, Any],
    proof: dict[str, Any],
    proofs: list[dict[str, Any]],
    resolve_key: KeyResolver | None,
    store: ContextStore,
    expected_purpose: str,
) -> ProofResult:
    proof_type = proof.get("type")
    suite = str(proof.get("cryptosuite") if proof_type == "DataIntegrityProof" else proof_type)
    vm = proof.get("verificationMethod")
    if not isinstance(vm, str) or not vm:
        return ProofResult(False, suite, "", "The proof has no verificationMethod.")
    if suite not in SUPPORTED_CRYPTOSUITES:
        return ProofResult(
            False,
            suite,
            vm,
            f"Unsupported proof {proof_type}/{suite}; SkillPass verifies eddsa-rdfc-2022, "
            "eddsa-jcs-2022 and Ed25519Signature2020.",
        )
    if proof.get("proofPurpose") != expected_purpose:
        return ProofResult(
            False,
            suite,
            vm,
            f"The proof's purpose is {proof.get('proofPurpose')!r}, not {expected_purpose!r}.",
        )
    value = proof.get("proofValue")
    if not isinstance(value, str):
        return ProofResult(False, suite, vm, "The proof has no proofValue.")
    signature = multibase_decode(value, "proofValue")
    context = document.get("@context")
    if suite == "eddsa-jcs-2022" and "@context" in proof:
        proof_context = proof["@context"]
        doc_list = context if isinstance(context, list) else [context]
        proof_list = proof_context if isinstance(proof_context, list) else [proof_context]
        if doc_list[: len(proof_list)] != proof_list:
            return ProofResult(
                False, suite, vm, "The proof's @context does not match the document's @context."
            )
    try:
        key = _resolve(vm, resolve_key)
    except InvalidInput as exc:
        return ProofResult(False, suite, vm, exc.message, key_resolved=False)
    if key is None:
        return ProofResult(
            False,
            suite,
            vm,
            f"The key {vm} is not a did:key and is not in the key registry; pin it with "
            "`skillpass trust pin-key` or import the issuer's DID document.",
            key_resolved=False,
        )
    if not isinstance(key, ed25519.Ed25519PublicKey):
        return ProofResult(False, suite, vm, f"{suite} needs an Ed25519 key; {vm} is not one.")
    unsecured = _unsecured(document, proof, proofs)
    data = hash_data(
        proof_configuration(proof, context, suite, store),
        transform_document(unsecured, suite, store),
    )
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return ProofResult(
            False,
            suite,
            vm,
            f"The {suite} signature does not match the document: it was changed after signing "
            "or signed with another key.",
        )
    chained = " (chained)" if "previousProof" in proof else ""
    source = "did:key" if vm.startswith("did:key:") else "registry"
    return ProofResult(
        True, suite, vm, f"{suite} signature by {vm} is valid{chained}.", key_source=source
    )
