"""Verifiable presentations (W3C VC Data Model 2.0 §4.13): a holder wraps credentials and proves
control of its DID with a Data Integrity proof whose purpose is ``authentication`` and which binds
the verifier's ``challenge`` and ``domain`` (replay protection).

Credentials are embedded as issued: JSON-LD credentials as objects, compact JWTs (VC-JWT) as
``EnvelopedVerifiableCredential`` with a ``data:application/vc+jwt,`` id. The verification engine
(:func:`skillpass.credentials.verify.verify_credential`) recognises a presentation and verifies
its proof, the holder binding, challenge and domain, and every credential inside.

Specs:
    * VC Data Model 2.0 — https://www.w3.org/TR/vc-data-model-2.0/#verifiable-presentations
      (§4.13) and enveloped credentials (§4.13.1).
    * VC Data Integrity 1.0 — https://www.w3.org/TR/vc-data-integrity/#proofs (``challenge``,
      ``domain``, proof purpose ``authentication``) and §4.4 (verify: compare them with the
      verifier's own values).

Embedding rules (:func:`build_presentation`): a JSON-LD credential whose contexts are known and
define every member goes in as an object, so the presentation's RDF proof covers it; anything
the proof could not cover term by term — a JAdES-sealed ELM credential (``application/jose+json``),
a credential with members no context defines, an Open Badges 2.0 assertion — travels byte-exact
inside a base64 ``data:`` URL of an ``EnvelopedVerifiableCredential``. Every credential keeps its
own proof and is verified on its own.

Report (``format`` ``"vp"``): checks ``well_formed``, ``contexts``, ``proof``, ``holder``,
``challenge``, ``domain``, (``validity`` when the proof has ``expires``) and ``credentials``;
``VerificationReport.presentation`` carries the holder, challenge, domain and one full report per
credential.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote_to_bytes

from skillpass.credentials import _verify_checks as checks
from skillpass.credentials._json import as_list, parse_time, types_of
from skillpass.credentials.contexts import ContextStore, UnknownContextError, default_store
from skillpass.credentials.limits import DEFAULT_LIMITS, parse_json
from skillpass.credentials.proofs import ProofResult
from skillpass.credentials.proofs.jades import is_jws_json
from skillpass.credentials.proofs.jwt import looks_like_jwt
from skillpass.errors import InvalidInput

if TYPE_CHECKING:
    from skillpass.credentials.signer import Signer
    from skillpass.credentials.verify import VerificationContext, VerificationReport

__all__ = [
    "ENVELOPED_TYPE",
    "MAX_CHALLENGE_LENGTH",
    "build_presentation",
    "enveloped_credential",
    "sign_presentation",
    "verify_presentation",
]

VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
ENVELOPED_TYPE = "EnvelopedVerifiableCredential"
#: Longest challenge or domain accepted (signing and verifying).
MAX_CHALLENGE_LENGTH = 512
#: Most credentials one presentation may carry.
MAX_PRESENTED = 200
_PRESENTATION = "VerifiablePresentation"


# ---------------------------------------------------------------- building


def enveloped_credential(content: str, media_type: str) -> dict[str, Any]:
    """An ``EnvelopedVerifiableCredential`` whose ``id`` is a ``data:`` URL of ``content``.

    Compact JWTs go in as they are (their characters are URL-safe); anything else is base64.

    Args:
        content: The credential exactly as issued.
        media_type: ``application/vc+jwt``, ``application/jose+json``, ``application/vc`` …
    """
    if media_type.endswith(("+jwt", "+sd-jwt")):
        data = f"data:{media_type},{quote(content.strip(), safe='.-_~')}"
    else:
        encoded = base64.b64encode(content.encode("utf-8")).decode("ascii")
        data = f"data:{media_type};base64,{encoded}"
    return {"@context": VC2_CONTEXT, "id": data, "type": ENVELOPED_TYPE}


def _embeddable(document: dict[str, Any], store: ContextStore) -> bool:
    """A JSON-LD credential the presentation's RDF proof can cover member by member."""
    from skillpass.credentials.proofs.data_integrity import dropped_terms

    if "@context" not in document or "VerifiableCredential" not in types_of(document):
        return False
    if store.unknown(document.get("@context")):
        return False
    try:
        return not dropped_terms(document, store)
    except (InvalidInput, UnknownContextError):
        return False


def _embed(item: str | dict[str, Any], number: int, store: ContextStore) -> dict[str, Any]:
    if isinstance(item, str):
        text = item.strip()
        if looks_like_jwt(text):
            media = "application/vc+sd-jwt" if "~" in text else "application/vc+jwt"
            return enveloped_credential(text, media)
        try:
            parsed = parse_json(text, DEFAULT_LIMITS)
        except InvalidInput as exc:
            raise InvalidInput(
                f"Credential #{number} is neither JSON nor a compact JWT: {exc.message}"
            ) from None
        if not isinstance(parsed, dict):
            raise InvalidInput(f"Credential #{number} is not a JSON object.")
        raw: str | None = text
        document = parsed
    elif isinstance(item, dict):
        raw, document = None, item
    else:
        raise InvalidInput(f"Credential #{number} is neither a JSON object nor text.")
    if _PRESENTATION in types_of(document):
        raise InvalidInput(f"Credential #{number} is a presentation; present credentials only.")
    if is_jws_json(document):
        return enveloped_credential(raw or json.dumps(document), "application/jose+json")
    if _embeddable(document, store):
        return copy.deepcopy(document)
    is_vc = "VerifiableCredential" in types_of(document)
    media = "application/vc" if is_vc else "application/json"
    return enveloped_credential(raw or json.dumps(document), media)


def build_presentation(
    credentials: list[str | dict[str, Any]],
    holder: str,
    *,
    presentation_id: str | None = None,
    store: ContextStore | None = None,
) -> dict[str, Any]:
    """An unsigned presentation of ``credentials`` (JSON objects, JSON text or compact JWTs)
    by ``holder`` (a DID).

    Args:
        credentials: The credentials exactly as issued.
        holder: The holder's DID (the key that signs must belong to it).
        presentation_id: The presentation's ``id`` (default: a fresh ``urn:uuid:``).
        store: Context store deciding which JSON-LD credentials embed as objects.

    Returns:
        The presentation (VC Data Model 2.0), without proof.

    Raises:
        InvalidInput: The holder is not a DID, too many credentials, or one cannot be read.
    """
    if not isinstance(holder, str) or not holder.startswith("did:") or len(holder) > 2000:
        raise InvalidInput(f"The holder must be a DID (did:key:…, did:web:…), not {holder!r}.")
    if len(credentials) > MAX_PRESENTED:
        raise InvalidInput(
            f"A presentation carries at most {MAX_PRESENTED} credentials; share fewer at once."
        )
    store = store or default_store()
    return {
        "@context": [VC2_CONTEXT],
        "id": presentation_id or f"urn:uuid:{uuid.uuid4()}",
        "type": [_PRESENTATION],
        "holder": holder,
        "verifiableCredential": [
            _embed(item, number, store) for number, item in enumerate(credentials, start=1)
        ],
    }


def _check_binding_value(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"Give the verifier's {what}: a non-empty text.")
    if len(value) > MAX_CHALLENGE_LENGTH:
        raise InvalidInput(f"The {what} is longer than {MAX_CHALLENGE_LENGTH} characters.")
    return value


def sign_presentation(
    presentation: dict[str, Any],
    signer: Signer,
    *,
    challenge: str,
    domain: str,
    created: datetime | str | None = None,
    store: ContextStore | None = None,
) -> dict[str, Any]:
    """Sign with ``eddsa-rdfc-2022``, proof purpose ``authentication``, with challenge/domain.

    Args:
        presentation: From :func:`build_presentation` (unchanged; a copy is returned).
        signer: An Ed25519 signer whose verification method belongs to the holder.
        challenge: The verifier's challenge (a nonce it chose).
        domain: The verifier's domain (who the presentation is for).
        created: Proof creation time (default: now).
        store: Context store (default: shipped contexts).

    Returns:
        The signed presentation.

    Raises:
        InvalidInput: Empty or over-long challenge/domain, not a presentation, or the signer's
            key is not the holder's.
    """
    from skillpass.credentials.proofs.data_integrity import sign_data_integrity

    _check_binding_value(challenge, "challenge")
    _check_binding_value(domain, "domain")
    if not isinstance(presentation, dict) or _PRESENTATION not in types_of(presentation):
        raise InvalidInput("Only a VerifiablePresentation can be signed as a presentation.")
    holder = _holder(presentation)
    controller = signer.verification_method.partition("#")[0]
    if holder != controller:
        raise InvalidInput(
            f"The signing key belongs to {controller}, not to the presentation's holder "
            f"{holder}; sign with the holder's key."
        )
    return sign_data_integrity(
        presentation,
        signer,
        cryptosuite="eddsa-rdfc-2022",
        created=created,
        proof_purpose="authentication",
        challenge=challenge,
        domain=domain,
        store=store,
    )


# ---------------------------------------------------------------- verifying


def _holder(presentation: dict[str, Any]) -> str | None:
    holder = presentation.get("holder")
    if isinstance(holder, dict):
        holder = holder.get("id")
    return holder if isinstance(holder, str) and holder else None


def _decode_data_url(url: str) -> str:
    """The content of a ``data:`` URL as text (RFC 2397).

    Raises:
        InvalidInput: Not a data URL, bad base64 or not UTF-8.
    """
    if not url.startswith("data:") or "," not in url:
        raise InvalidInput("its id is not a data: URL")
    header, _, payload = url[len("data:") :].partition(",")
    try:
        if header.endswith(";base64"):
            raw = base64.b64decode(payload, validate=True)
        else:
            raw = unquote_to_bytes(payload)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError):
        raise InvalidInput("its data: URL is not valid base64 or UTF-8 text") from None


def _unwrap(item: Any) -> str | dict[str, Any]:
    """What to verify for one ``verifiableCredential`` entry.

    Raises:
        InvalidInput: The entry cannot hold a credential (the message completes a sentence).
    """
    if isinstance(item, str):
        raise InvalidInput(
            "it is only a reference, not an embedded credential; SkillPass fetches nothing"
        )
    if not isinstance(item, dict):
        raise InvalidInput("it is not a JSON object")
    if ENVELOPED_TYPE in types_of(item):
        identifier = item.get("id")
        if not isinstance(identifier, str):
            raise InvalidInput("the enveloped credential has no data: URL id")
        return _decode_data_url(identifier)
    return item


def _is_presentation(data: str | dict[str, Any]) -> bool:
    if isinstance(data, dict):
        return _PRESENTATION in types_of(data)
    text = data.strip()
    if not text.startswith("{"):
        return False
    try:
        parsed = json.loads(text)
    except ValueError:
        return False
    return isinstance(parsed, dict) and _PRESENTATION in types_of(parsed)


def _label(report: VerificationReport, number: int) -> str:
    name = report.summary.title if report.summary is not None else None
    name = name or report.credential.get("name")
    return f"#{number} ({name})" if isinstance(name, str) and name else f"#{number}"


def _auth_proofs(presentation: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in as_list(presentation.get("proof")) if isinstance(p, dict)]


def _check_proof(report: VerificationReport, results: list[ProofResult]) -> None:
    if not results:
        report.add(
            "proof",
            False,
            "The presentation carries no proof: the holder did not sign it. Ask for a signed "
            "presentation.",
        )
        return
    failed = [r for r in results if not r.ok]
    if failed:
        report.add("proof", False, " ".join(r.detail for r in failed))
    else:
        report.add("proof", True, " ".join(r.detail for r in results))


def _check_holder(
    report: VerificationReport, holder: str | None, proofs: list[dict[str, Any]]
) -> None:
    if not proofs:
        report.add("holder", None, "No proof, so nothing binds the presentation to a holder.")
        return
    if holder is None:
        report.add(
            "holder",
            False,
            "The presentation names no holder, so its proof is not bound to anyone.",
        )
        return
    strangers = sorted(
        {
            str(p.get("verificationMethod", "")).partition("#")[0] or "(no key)"
            for p in proofs
            if str(p.get("verificationMethod", "")).partition("#")[0] != holder
        }
    )
    if strangers:
        report.add(
            "holder",
            False,
            f"The presentation is signed by {', '.join(strangers)}, not by its holder {holder}: "
            "someone other than the holder made it.",
        )
    else:
        report.add("holder", True, f"Signed with a key of the holder {holder}.")


def _check_binding(
    report: VerificationReport,
    name: str,
    proofs: list[dict[str, Any]],
    expected: str | None,
) -> Any:
    """``challenge`` / ``domain``: the signed value against the verifier's own."""
    values = [p.get(name) for p in proofs]
    found = next((v for v in values if v is not None), None)
    if not proofs:
        report.add(name, None, f"No proof, so no {name} to compare.")
        return found
    if expected is None:
        if found is None:
            report.add(name, None, f"Not checked: the presentation carries no {name}.")
            report.warnings.append(
                f"The presentation has no {name}: it could be a copy of an older presentation "
                "made for someone else."
            )
        else:
            report.add(
                name,
                None,
                f"Not checked: no expected {name} was given. The presentation was made for "
                f"{name} {found!r}; compare it with the one you sent.",
            )
        return found
    matches = [
        (v == expected) if isinstance(v, str) else (isinstance(v, list) and expected in v)
        for v in values
    ]
    if all(matches):
        report.add(name, True, f"The {name} is the expected {expected!r}.")
    elif found is None:
        report.add(
            name,
            False,
            f"The presentation carries no {name}, but {expected!r} was expected: it was not "
            "made for this request.",
        )
    else:
        what = (
            "it may be a replay of a presentation made for someone else"
            if name == "challenge"
            else "it was made for another verifier"
        )
        report.add(
            name,
            False,
            f"The presentation was made for {name} {found!r}, not the expected {expected!r}: "
            f"{what}.",
        )
    return found


def _check_expiry(report: VerificationReport, proofs: list[dict[str, Any]], now: datetime) -> None:
    expiries = [p.get("expires") for p in proofs if p.get("expires") is not None]
    if not expiries:
        return
    for value in expiries:
        moment = parse_time(value)
        if moment is None:
            report.add("validity", False, f"The proof's expires {value!r} is not a date-time.")
            return
        if now > moment:
            report.add("validity", False, f"The presentation's proof expired on {value}.")
            return
    report.add("validity", True, f"The proof is valid until {expiries[0]}.")


def _check_credentials(
    report: VerificationReport, presentation: dict[str, Any], ctx: VerificationContext
) -> list[VerificationReport]:
    from dataclasses import replace

    from skillpass.credentials.verify import verify_credential

    entries = as_list(presentation.get("verifiableCredential"))
    if not entries:
        report.add("credentials", None, "The presentation holds no credentials.")
        return []
    if len(entries) > MAX_PRESENTED:
        report.add(
            "credentials",
            False,
            f"The presentation holds {len(entries)} credentials; at most {MAX_PRESENTED} are "
            "verified at once.",
        )
        return []
    inner_ctx = replace(ctx, expected_challenge=None, expected_domain=None)
    reports: list[VerificationReport] = []
    failures: list[str] = []
    for number, entry in enumerate(entries, start=1):
        try:
            data = _unwrap(entry)
        except InvalidInput as exc:
            failures.append(f"#{number}: {exc.message}.")
            continue
        if _is_presentation(data):
            failures.append(f"#{number}: a presentation inside a presentation is not accepted.")
            continue
        inner = verify_credential(data, inner_ctx)
        reports.append(inner)
        if not inner.verified:
            reason = "; ".join(inner.errors) or "not verified"
            failures.append(f"{_label(inner, number)}: {reason}")
    if failures:
        report.add(
            "credentials",
            False,
            f"{len(failures)} of {len(entries)} credentials do not verify. " + " ".join(failures),
        )
    else:
        report.add("credentials", True, f"All {len(entries)} credentials verify.")
    return reports


def verify_presentation(
    presentation: dict[str, Any],
    ctx: VerificationContext,
    *,
    challenge: str | None = None,
    domain: str | None = None,
) -> VerificationReport:
    """Verify a presentation: its proof, that the proof's key belongs to ``holder``, the expected
    challenge and domain (when given), and every embedded credential (each reported like CLR
    nested credentials). Never raises for bad input.

    Args:
        presentation: The presentation (parsed JSON).
        ctx: Outside services, used for the presentation and every credential inside.
        challenge: The challenge the verifier sent (default: ``ctx.expected_challenge``).
        domain: The verifier's domain (default: ``ctx.expected_domain``).

    Returns:
        A report with ``format`` ``"vp"``; ``presentation`` holds the holder, challenge, domain
        and one report per credential.
    """
    from skillpass.credentials.verify import VerificationReport

    challenge = challenge if challenge is not None else ctx.expected_challenge
    domain = domain if domain is not None else ctx.expected_domain
    report = VerificationReport(format="vp")
    types = types_of(presentation)
    holder = _holder(presentation)
    report.credential = {
        "id": presentation.get("id"),
        "types": types,
        "name": None,
        "validFrom": None,
        "validUntil": None,
        "subject": {"id": holder},
    }
    if _PRESENTATION not in types or "@context" not in presentation:
        report.processable = False
        report.add(
            "well_formed",
            False,
            "Not a verifiable presentation: it needs an @context and type VerifiablePresentation.",
        )
        return report
    report.add("well_formed", True, "A JSON verifiable presentation within the size limits.")
    try:
        proofs = _auth_proofs(presentation)
        resolved = checks.check_contexts(report, presentation, ctx, strict_terms=True)
        results = _proof_results(presentation, ctx, resolved)
    except (InvalidInput, UnknownContextError) as exc:
        proofs, results = [], [ProofResult(False, "", "", exc.message)]
    _check_proof(report, results)
    _check_holder(report, holder, proofs)
    found_challenge = _check_binding(report, "challenge", proofs, challenge)
    found_domain = _check_binding(report, "domain", proofs, domain)
    _check_expiry(report, proofs, ctx.now())
    inner = _check_credentials(report, presentation, ctx)
    report.presented = inner
    report.presentation = {
        "id": presentation.get("id"),
        "holder": holder,
        "challenge": found_challenge,
        "domain": found_domain,
        "created": next((p.get("created") for p in proofs if p.get("created")), None),
        "credentials": [r.to_dict() for r in inner],
    }
    return report


def _proof_results(
    presentation: dict[str, Any], ctx: VerificationContext, contexts_resolved: bool
) -> list[ProofResult]:
    from skillpass.credentials.proofs.data_integrity import verify_data_integrity

    if not contexts_resolved and _auth_proofs(presentation):
        return [
            ProofResult(False, "", "", "Cannot check the proof: its JSON-LD contexts are unknown.")
        ]
    return verify_data_integrity(
        presentation, ctx.key_resolver(), store=ctx.store, expected_purpose="authentication"
    )
