"""The per-format branches and the individual checks of :mod:`skillpass.credentials.verify`.

Private: callers use :func:`skillpass.credentials.verify.verify_credential`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from skillpass.credentials._json import as_list, parse_time, types_of
from skillpass.credentials.contexts import UnknownContextError
from skillpass.credentials.keys import public_key_from_did_key, public_key_from_jwk
from skillpass.credentials.limits import JsonLimits, parse_json
from skillpass.credentials.proofs import ProofResult
from skillpass.credentials.summary import summarise_credential
from skillpass.errors import InvalidInput

if TYPE_CHECKING:
    from skillpass.credentials.verify import VerificationContext, VerificationReport

EDC_CONTEXT_URL = "http://data.europa.eu/snb/model/context/edc-ap"
_VC2 = "https://www.w3.org/ns/credentials/v2"
_VC1 = "https://www.w3.org/2018/credentials/v1"
_OB2 = ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json")
_OB3_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
_RDF_SUITES = {"eddsa-rdfc-2022", "Ed25519Signature2020"}


def _new(fmt: str) -> VerificationReport:
    from skillpass.credentials.verify import VerificationReport

    return VerificationReport(format=fmt)


def _text(value: Any) -> str | None:
    """A display string from a plain or language-map value."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("en", "@value", *value.keys()):
            found = value.get(key)
            if isinstance(found, str):
                return found
            if isinstance(found, list) and found and isinstance(found[0], str):
                return str(found[0])
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _issuer(document: dict[str, Any]) -> tuple[str | None, str | None]:
    issuer = document.get("issuer")
    if isinstance(issuer, str):
        return issuer, None
    if isinstance(issuer, dict):
        name = _text(issuer.get("name")) or _text(issuer.get("legalName"))
        return (str(issuer["id"]) if isinstance(issuer.get("id"), str) else None), name
    return None, None


def _summary(document: dict[str, Any]) -> dict[str, Any]:
    subject = as_list(document.get("credentialSubject"))
    first = subject[0] if subject and isinstance(subject[0], dict) else {}
    achievement = first.get("achievement") if isinstance(first, dict) else None
    subject_summary: dict[str, Any] = {"id": first.get("id")}
    if isinstance(first.get("name"), str):
        subject_summary["name"] = first["name"]
    if isinstance(achievement, dict):
        subject_summary["achievement"] = {
            "id": achievement.get("id"),
            "name": _text(achievement.get("name")),
        }
    return {
        "id": document.get("id"),
        "types": types_of(document),
        "name": _text(document.get("name")) or _text(document.get("title")),
        "validFrom": document.get("validFrom") or document.get("issuanceDate"),
        "validUntil": document.get("validUntil") or document.get("expirationDate"),
        "subject": subject_summary,
    }


# ---------------------------------------------------------------- shared checks


def check_validity(
    report: VerificationReport,
    document: dict[str, Any],
    now: datetime,
    not_before: int | None = None,
    expires: int | None = None,
) -> None:
    """``validity``: validFrom/validUntil (or VC 1.1 issuanceDate/expirationDate, JWT nbf/exp)."""
    start = parse_time(document.get("validFrom") or document.get("issuanceDate"))
    end = parse_time(document.get("validUntil") or document.get("expirationDate"))
    if start is None and not_before is not None:
        start = datetime.fromtimestamp(not_before, UTC)
    if end is None and expires is not None:
        end = datetime.fromtimestamp(expires, UTC)
    for name in ("validFrom", "validUntil", "issuanceDate", "expirationDate"):
        value = document.get(name)
        if value is not None and parse_time(value) is None:
            report.add("validity", False, f"{name} {value!r} is not an ISO 8601 date-time.")
            return
    if start is not None and now < start:
        report.add("validity", False, f"Not valid before {start.isoformat()}.")
    elif end is not None and now > end:
        report.add("validity", False, f"Expired on {end.isoformat()}.")
    else:
        span = f"from {start.isoformat()}" if start else "with no start date"
        span += f" until {end.isoformat()}" if end else ", no expiry"
        report.add("validity", True, f"Valid {span}.")


def check_issuer(report: VerificationReport, ctx: VerificationContext) -> None:
    """``issuer_trusted``: the operator's trusted-issuer registry."""
    if report.issuer_id is None:
        report.add("issuer_trusted", False, "The credential names no issuer id.")
        return
    answer = ctx.is_trusted_issuer(report.issuer_id) if ctx.is_trusted_issuer else None
    if answer is None:
        report.add("issuer_trusted", None, "Not checked: no trusted-issuer registry is configured.")
    elif answer:
        report.add("issuer_trusted", True, f"{report.issuer_id} is in the trusted-issuer registry.")
    else:
        report.add(
            "issuer_trusted",
            False,
            f"{report.issuer_id} is not in the trusted-issuer registry.",
        )


def check_key(
    report: VerificationReport, results: list[ProofResult], ctx: VerificationContext
) -> None:
    """``key``: every proof key was found and belongs to the issuer (or the operator pinned it)."""
    if not results:
        report.add("key", None, "No proof, so no key to check.")
        return
    issuer = report.issuer_id or ""
    problems, notes = [], []
    for result in results:
        vm = result.verification_method
        if not result.key_resolved:
            problems.append(result.detail)
            continue
        controller = vm.split("#", 1)[0]
        if result.key_source == "did:key" and controller != issuer and _pinned(ctx, vm):
            notes.append(f"{vm} is pinned in the operator's key registry.")
        elif result.key_source == "did:key":
            if issuer.startswith("did:") and controller != issuer:
                problems.append(f"The key {controller} is not the issuer's DID ({issuer}).")
            elif not issuer.startswith("did:"):
                problems.append(
                    f"The credential is signed with {controller}, which is not bound to the "
                    f"issuer {issuer}; pin the issuer's key to accept it."
                )
            else:
                notes.append(f"did:key of the issuer ({controller}).")
        elif result.key_source == "embedded-jwk":
            if issuer.startswith("did:key:") and result.ok and _jwk_matches_did(result, issuer):
                notes.append("Key embedded in the token is the issuer's did:key.")
            else:
                problems.append(
                    "The key embedded in the token is not bound to the issuer; pin the issuer's "
                    "key (skillpass trust pin-key) to accept it."
                )
        elif result.key_source == "x5c":
            subject = (result.extra or {}).get("certificate", {}).get("subject", vm)
            notes.append(
                f"X.509 seal certificate {subject} (chain to the EU trusted lists not "
                "checked offline)."
            )
        else:
            notes.append(f"{vm} from the operator's key registry.")
    if problems:
        report.add("key", False, " ".join(problems))
    else:
        report.add("key", True, " ".join(dict.fromkeys(notes)))


def _pinned(ctx: VerificationContext, vm: str) -> bool:
    if ctx.resolve_key is None:
        return False
    try:
        return ctx.resolve_key(vm) is not None
    except InvalidInput:
        return False


def _jwk_matches_did(result: ProofResult, did: str) -> bool:
    jwk = (result.extra or {}).get("jwk")
    if not isinstance(jwk, dict):
        return False
    try:
        return public_key_from_jwk(jwk) == public_key_from_did_key(did)
    except InvalidInput:
        return False


def check_proof(report: VerificationReport, results: list[ProofResult]) -> None:
    """``proof``: every proof verifies."""
    if not results:
        report.add("proof", False, "The credential carries no proof or signature.")
        return
    failed = [r for r in results if not r.ok]
    if failed:
        report.add("proof", False, " ".join(r.detail for r in failed))
    else:
        report.add("proof", True, " ".join(r.detail for r in results))


def _bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def check_status(
    report: VerificationReport, document: dict[str, Any], ctx: VerificationContext
) -> None:
    """``status``: revocation/suspension from the local store, or an allowed remote list."""
    entries = [e for e in as_list(document.get("credentialStatus")) if isinstance(e, dict)]
    if not entries:
        report.add("status", None, "The credential has no status entry.")
        return
    messages, failed, unchecked = [], False, False
    for entry in entries:
        purpose = str(entry.get("statusPurpose", "revocation"))
        local = ctx.check_status(entry) if ctx.check_status is not None else None
        if local is not None:
            if local.revoked or local.suspended:
                failed = True
                state = "revoked" if local.revoked else "suspended"
                messages.append(f"The credential is {state}. {local.detail}".strip())
            else:
                messages.append(
                    f"Not {purpose.replace('revocation', 'revoked')} (local status store)."
                )
            continue
        url = entry.get("statusListCredential")
        if not isinstance(url, str) or ctx.fetch is None:
            unchecked = True
            messages.append(
                f"Not checked: the status list {url} is not in the local store and fetching "
                "remote status lists is disabled (SKILLPASS_ALLOWED_FETCH_HOSTS)."
            )
            continue
        outcome = _remote_status(entry, url, ctx)
        if outcome is None:
            unchecked = True
            messages.append(f"Not checked: the status list {url} could not be fetched.")
        else:
            set_bit, text = outcome
            failed = failed or set_bit
            messages.append(text)
    ok = False if failed else (None if unchecked else True)
    report.add("status", ok, " ".join(messages))


def _remote_status(
    entry: dict[str, Any], url: str, ctx: VerificationContext
) -> tuple[bool, str] | None:
    from skillpass.credentials.verify import decode_bitstring, verify_credential

    assert ctx.fetch is not None
    body = ctx.fetch(url)
    if body is None:
        return None
    nested = type(ctx)(
        resolve_key=ctx.resolve_key,
        is_trusted_issuer=None,
        check_status=None,
        fetch=None,
        now=ctx.now,
        limits=ctx.limits,
        contexts_dirs=ctx.contexts_dirs,
    )
    list_report = verify_credential(body, nested)
    if not list_report.verified:
        return True, f"The status list {url} does not verify; treating the credential as unsafe."
    document = parse_json(body, ctx.limits)
    subject = document.get("credentialSubject", {}) if isinstance(document, dict) else {}
    try:
        bits = decode_bitstring(str(subject.get("encodedList", "")))
        index = int(entry.get("statusListIndex", -1))
    except (InvalidInput, ValueError) as exc:
        return True, f"The status list {url} is malformed: {exc}."
    if index < 0 or index >= len(bits) * 8:
        return True, f"Status index {index} is outside the list {url}."
    purpose = str(entry.get("statusPurpose", "revocation"))
    if _bit(bits, index):
        return True, f"The credential's {purpose} bit is set in {url}."
    return False, f"The {purpose} bit is not set in {url}."


def fetch_verification_method(
    vm: str, fetch: Callable[[str], bytes | None], limits: JsonLimits
) -> dict[str, Any] | str | None:
    """Look a did:web / https verification method up through the operator's fetch callable."""
    base = vm.split("#", 1)[0]
    if base.startswith("did:web:"):
        parts = [p.replace("%3A", ":") for p in base[len("did:web:") :].split(":")]
        path = "/".join(parts[1:]) + "/did.json" if len(parts) > 1 else ".well-known/did.json"
        url = f"https://{parts[0]}/{path}"
    elif urlsplit(base).scheme == "https":
        url = base
    else:
        return None
    body = fetch(url)
    if body is None:
        return None
    document = parse_json(body, limits)
    stack: list[Any] = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if item.get("id") == vm:
                if isinstance(item.get("publicKeyJwk"), dict):
                    return dict(item["publicKeyJwk"])
                if isinstance(item.get("publicKeyMultibase"), str):
                    return str(item["publicKeyMultibase"])
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
    return None


# ---------------------------------------------------------------- schema


@functools.lru_cache(maxsize=4)
def _validator(path: str) -> Any:
    import jsonschema

    schema = json.loads(Path(path).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def check_ob3_schema(
    report: VerificationReport, document: dict[str, Any], ctx: VerificationContext
) -> None:
    """``schema``: the 1EdTech OB3 AchievementCredential JSON Schema, when configured."""
    if ctx.ob3_schema is None:
        report.add("schema", None, "Not checked: no OB3 JSON Schema is configured.")
        return
    candidate = dict(document)
    if isinstance(candidate.get("proof"), dict):
        # The published schema wants an array; VC Data Model 2.0 allows a single object.
        candidate["proof"] = [candidate["proof"]]
    errors = sorted(_validator(str(ctx.ob3_schema)).iter_errors(candidate), key=str)
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(root)"
        report.add(
            "schema",
            False,
            f"OB3 schema: at {where}: {first.message}"
            + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""),
        )
    else:
        report.add("schema", True, "Valid against the OB3 AchievementCredential JSON Schema.")


def check_elm_shapes(
    report: VerificationReport, credential: dict[str, Any], ctx: VerificationContext
) -> None:
    """``schema``: EDC SHACL shapes (generic no-cv + full) when ``elm_shapes_dir`` is set."""
    if ctx.elm_shapes_dir is None:
        report.add(
            "schema",
            None,
            "Not checked: the EDC SHACL shapes are not configured (SKILLPASS_ELM_SHAPES).",
        )
        return
    try:
        conforms, messages = validate_elm(credential, ctx.elm_shapes_dir, ctx.store)
    except UnknownContextError as exc:
        report.add("schema", False, exc.message)
        return
    if conforms:
        report.add("schema", True, "Conforms to the EDC SHACL shapes.")
    else:
        report.add(
            "schema",
            False,
            "EDC SHACL shapes: "
            + "; ".join(messages[:3])
            + (f" (and {len(messages) - 3} more)" if len(messages) > 3 else ""),
        )


def _term(node: dict[str, Any]) -> Any:
    from rdflib import BNode, Literal, URIRef

    if node["type"] == "IRI":
        return URIRef(node["value"])
    if node["type"] == "blank node":
        return BNode(node["value"][2:])
    if node.get("language"):
        return Literal(node["value"], lang=node["language"])
    return Literal(
        node["value"], datatype=URIRef(node["datatype"]) if node.get("datatype") else None
    )


@functools.lru_cache(maxsize=2)
def _shapes(folder: str) -> Any:
    from rdflib import Graph

    graph = Graph()
    for name in ("EDC-generic-no-cv.ttl", "EDC-generic-full.ttl"):
        path = Path(folder) / name
        if not path.is_file():
            raise InvalidInput(f"The EDC shapes folder {folder} has no {name}.")
        graph.parse(path, format="turtle")
    return graph


def validate_elm(
    credential: dict[str, Any], shapes_dir: Path, store: Any
) -> tuple[bool, list[str]]:
    """Validate an ELM credential against the EDC SHACL shapes (contexts from the store).

    Returns:
        (conforms, one message per violation).
    """
    import pyshacl
    from pyld import jsonld
    from rdflib import Graph, URIRef
    from rdflib.namespace import SH

    from skillpass.credentials.contexts import unwrap_context_error

    try:
        dataset = jsonld.to_rdf(credential, store.pyld_options())
    except jsonld.JsonLdError as exc:
        unknown = unwrap_context_error(exc)
        if unknown is not None:
            raise unknown from None
        raise InvalidInput(f"The ELM credential is not valid JSON-LD: {exc}") from None
    data = Graph()
    for quads in dataset.values():
        for quad in quads:
            data.add((_term(quad["subject"]), _term(quad["predicate"]), _term(quad["object"])))
    conforms, results, _text_report = pyshacl.validate(
        data, shacl_graph=_shapes(str(shapes_dir)), inference="none", allow_warnings=True
    )
    messages = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        where = str(path).rsplit("/", 1)[-1] if isinstance(path, URIRef) else "value"
        messages.append(f"{where} of {focus}: {message}")
    return bool(conforms) or not messages, sorted(messages)


# ---------------------------------------------------------------- contexts


def check_contexts(
    report: VerificationReport,
    document: dict[str, Any],
    ctx: VerificationContext,
    strict_terms: bool,
) -> bool:
    """``contexts``: every @context is in the local store; undefined terms reported.

    Returns:
        True when the contexts resolved (JSON-LD processing can go on).
    """
    from skillpass.credentials.proofs.data_integrity import dropped_terms

    unknown = ctx.store.unknown(document.get("@context"))
    if unknown:
        report.add(
            "contexts",
            False,
            UnknownContextError(unknown[0]).message
            + (f" (also unknown: {', '.join(unknown[1:])})" if len(unknown) > 1 else ""),
        )
        return False
    try:
        undefined = dropped_terms(document, ctx.store)
    except UnknownContextError as exc:
        report.add("contexts", False, exc.message)
        return False
    except InvalidInput as exc:
        report.add("contexts", False, exc.message)
        return False
    if undefined and strict_terms:
        report.add(
            "contexts",
            False,
            "These members are not defined by the credential's "
            f"contexts, so the proof does not cover them: {', '.join(undefined)}.",
        )
        return True
    if undefined:
        report.warnings.append(f"Members not defined by the contexts: {', '.join(undefined)}.")
    report.add("contexts", True, "All contexts resolved from the local store.")
    return True


# ---------------------------------------------------------------- formats


def _finish(
    report: VerificationReport,
    credential: dict[str, Any],
    ctx: VerificationContext,
    results: list[ProofResult],
    *,
    not_before: int | None = None,
    expires: int | None = None,
) -> VerificationReport:
    check_proof(report, results)
    check_key(report, results, ctx)
    check_issuer(report, ctx)
    check_status(report, credential, ctx)
    check_validity(report, credential, ctx.now(), not_before, expires)
    return report


def _well_formed(report: VerificationReport, credential: dict[str, Any]) -> bool:
    missing = [name for name in ("issuer", "credentialSubject") if name not in credential]
    types = types_of(credential)
    if "VerifiableCredential" not in types:
        missing.append("type VerifiableCredential")
    if missing:
        report.add(
            "well_formed", False, f"Not a verifiable credential: missing {', '.join(missing)}."
        )
        return False
    report.add(
        "well_formed", True, "A JSON verifiable credential within the size and depth limits."
    )
    return True


def _describe(report: VerificationReport, credential: dict[str, Any]) -> None:
    report.issuer_id, report.issuer_name = _issuer(credential)
    report.credential = _summary(credential)
    report.summary = summarise_credential(credential)


def verify_json_ld(document: dict[str, Any], ctx: VerificationContext) -> VerificationReport:
    """JSON-LD credentials with embedded proofs (OB3, CLR, VC 2.0, VC 1.1) and OB2 assertions."""
    from skillpass.credentials.proofs.data_integrity import verify_data_integrity

    contexts = [c for c in as_list(document.get("@context")) if isinstance(c, str)]
    types = types_of(document)
    if any(c in _OB2 for c in contexts) or "Assertion" in types:
        return _verify_ob2_hosted(document, ctx)
    if "VerifiablePresentation" in types:
        from skillpass.credentials.presentations import verify_presentation

        return verify_presentation(document, ctx)
    if "EuropeanDigitalCredential" in types:
        report = _new("elm")
        _describe(report, document)
        _well_formed(report, document)
        report.add(
            "proof",
            False,
            "This European Digital Credential is not sealed (no JAdES "
            "signature); only sealed EDC credentials can be verified.",
        )
        return report
    if "ClrCredential" in types:
        fmt = "clr-data-integrity"
    elif _OB3_TYPES & set(types):
        fmt = "ob3-data-integrity"
    elif contexts and contexts[0] == _VC1:
        fmt = "vc1.1"
    else:
        fmt = "vc-data-integrity"
    report = _new(fmt)
    _describe(report, document)
    if not _well_formed(report, document):
        return report
    proofs = [p for p in as_list(document.get("proof")) if isinstance(p, dict)]
    suites = {str(p.get("cryptosuite") or p.get("type")) for p in proofs}
    resolved = check_contexts(report, document, ctx, strict_terms=bool(suites & _RDF_SUITES))
    if fmt == "ob3-data-integrity":
        check_ob3_schema(report, document, ctx)
    else:
        report.add("schema", None, "No JSON Schema applies to this credential type.")
    if not resolved and suites & _RDF_SUITES:
        report.add("proof", False, "Cannot check the proof: its JSON-LD contexts are unknown.")
        check_issuer(report, ctx)
        check_validity(report, document, ctx.now())
        return report
    try:
        results = verify_data_integrity(document, ctx.key_resolver(), store=ctx.store)
    except InvalidInput as exc:
        results = [ProofResult(False, "", "", exc.message)]
    _finish(report, document, ctx, results)
    if fmt == "clr-data-integrity":
        _check_nested(report, document, ctx)
    return report


def _check_nested(
    report: VerificationReport, document: dict[str, Any], ctx: VerificationContext
) -> None:
    from skillpass.credentials.verify import verify_credential

    subject = document.get("credentialSubject")
    nested = as_list(subject.get("verifiableCredential")) if isinstance(subject, dict) else []
    if not nested:
        report.add("nested_credentials", None, "The CLR holds no nested credentials.")
        return
    # Nested credentials are checked for proof, key, status and validity; the OB3 JSON Schema
    # is not applied to them (1EdTech's own CLR vector nests a credential it rejects).
    inner_ctx = type(ctx)(
        resolve_key=ctx.resolve_key,
        is_trusted_issuer=ctx.is_trusted_issuer,
        check_status=ctx.check_status,
        fetch=ctx.fetch,
        now=ctx.now,
        limits=ctx.limits,
        contexts_dirs=ctx.contexts_dirs,
        elm_shapes_dir=None,
        ob3_schema=None,
    )
    failures = []
    for number, item in enumerate(nested, start=1):
        data = item if isinstance(item, dict | str) else json.dumps(item)
        inner = verify_credential(data, inner_ctx)
        if not inner.verified:
            failures.append(f"#{number}: {'; '.join(inner.errors) or 'not verified'}")
    if failures:
        report.add("nested_credentials", False, " ".join(failures))
    else:
        report.add("nested_credentials", True, f"All {len(nested)} nested credentials verify.")


def _verify_ob2_hosted(document: dict[str, Any], ctx: VerificationContext) -> VerificationReport:
    report = _new("ob2")
    report.issuer_id = document.get("badge") if isinstance(document.get("badge"), str) else None
    report.credential = {
        "id": document.get("id"),
        "types": types_of(document),
        "name": None,
        "validFrom": document.get("issuedOn"),
        "validUntil": document.get("expires"),
        "subject": {},
    }
    verification = document.get("verification") or document.get("verify") or {}
    kind = verification.get("type") if isinstance(verification, dict) else None
    report.add("well_formed", True, "An Open Badges 2.0 assertion.")
    report.add(
        "proof",
        None if str(kind).lower() == "hosted" else False,
        "Hosted Open Badges 2.0 assertions are verified by fetching their id URL from the "
        "issuer, which offline verification does not do; signed OB 2.0 assertions arrive as a "
        "compact JWS instead.",
    )
    if document.get("revoked") is True:
        report.add("status", False, "The assertion is marked revoked.")
    check_validity(
        report,
        {"validFrom": document.get("issuedOn"), "validUntil": document.get("expires")},
        ctx.now(),
    )
    return report


def verify_jwt_input(token: str, ctx: VerificationContext) -> VerificationReport:
    """Compact JWS input: VC-JWT (OB3 / VC-JOSE / VC 1.1) or a signed OB 2.0 assertion."""
    from skillpass.credentials.proofs.jwt import verify_vc_jwt

    try:
        decoded, result = verify_vc_jwt(token, ctx.key_resolver(), limits=ctx.limits)
    except InvalidInput as exc:
        report = _new("vc-jwt")
        report.processable = False
        report.add("well_formed", False, exc.message)
        return report
    credential = decoded.credential
    if any(c in _OB2 for c in as_list(credential.get("@context"))):
        return _verify_ob2_signed(decoded, ctx)
    fmt = "vc-sd-jwt" if (result.extra or {}).get("unsupported") else "vc-jwt"
    if str(decoded.header.get("typ", "")).startswith("vp"):
        fmt = "vp-jwt"
    report = _new(fmt)
    _describe(report, credential)
    if fmt != "vc-jwt":
        report.processable = False
        report.add(
            "well_formed",
            False,
            result.detail
            if fmt == "vc-sd-jwt"
            else "Verifiable presentations (vp+jwt) are not verified yet.",
        )
        return report
    if not _well_formed(report, credential):
        return report
    check_contexts(report, credential, ctx, strict_terms=False)
    if _OB3_TYPES & set(types_of(credential)):
        check_ob3_schema(report, credential, ctx)
    else:
        report.add("schema", None, "No JSON Schema applies to this credential type.")
    if result.key_source == "embedded-jwk" and isinstance(decoded.header.get("jwk"), dict):
        result = ProofResult(
            result.ok,
            result.suite,
            result.verification_method,
            result.detail,
            result.key_resolved,
            result.key_source,
            {**(result.extra or {}), "jwk": decoded.header["jwk"]},
        )
    nbf, exp = decoded.payload.get("nbf"), decoded.payload.get("exp")
    return _finish(
        report,
        credential,
        ctx,
        [result],
        not_before=nbf if isinstance(nbf, int) else None,
        expires=exp if isinstance(exp, int) else None,
    )


def _verify_ob2_signed(decoded: Any, ctx: VerificationContext) -> VerificationReport:
    from skillpass.credentials.proofs._jws import verify_jws_signature

    report = _new("ob2")
    assertion = decoded.payload
    report.issuer_id = assertion.get("badge") if isinstance(assertion.get("badge"), str) else None
    report.credential = {
        "id": assertion.get("id"),
        "types": types_of(assertion),
        "name": None,
        "validFrom": assertion.get("issuedOn"),
        "validUntil": assertion.get("expires"),
        "subject": {},
    }
    report.add("well_formed", True, "A signed Open Badges 2.0 assertion (compact JWS).")
    verification = assertion.get("verification") or {}
    creator = verification.get("creator") if isinstance(verification, dict) else None
    key = ctx.key_resolver()(creator) if isinstance(creator, str) else None
    alg = str(decoded.header.get("alg"))
    if key is None:
        report.add(
            "proof",
            False,
            f"The signing key {creator or '(no creator)'} is not in the key "
            "registry; OB 2.0 keys are published at the creator URL — pin it to verify.",
        )
        report.add("key", False, "Key not resolved.")
    elif verify_jws_signature(alg, key, decoded.signing_input, decoded.signature):
        report.add("proof", True, f"{alg} signature is valid.")
        report.add("key", True, f"{creator} from the operator's key registry.")
    else:
        report.add("proof", False, f"The {alg} signature does not match the assertion.")
        report.add("key", True, f"{creator} from the operator's key registry.")
    check_validity(
        report,
        {"validFrom": assertion.get("issuedOn"), "validUntil": assertion.get("expires")},
        ctx.now(),
    )
    report.add("status", None, "OB 2.0 revocation lists are not checked offline.")
    return report


def verify_jades_input(document: dict[str, Any], ctx: VerificationContext) -> VerificationReport:
    """A JWS JSON serialisation: an ELM/EDC credential sealed JAdES-style."""
    from skillpass.credentials.proofs.jades import verify_jades

    try:
        credential, results = verify_jades(
            document, ctx.key_resolver(), now=ctx.now(), limits=ctx.limits
        )
    except InvalidInput as exc:
        report = _new("elm-jades")
        report.processable = False
        report.add("well_formed", False, exc.message)
        return report
    report = _new(
        "elm-jades" if "EuropeanDigitalCredential" in types_of(credential) else "jws-json"
    )
    _describe(report, credential)
    if not _well_formed(report, credential):
        return report
    if (
        report.format == "elm-jades"
        and ctx.elm_shapes_dir is None
        and ctx.store.unknown(credential.get("@context"))
    ):
        # A JAdES seal signs the JSON bytes, not an RDF graph: its check does not need the
        # contexts. Without the operator's EDC folder the ELM context simply cannot be read.
        report.add(
            "contexts",
            None,
            "Not checked: the European Learning Model context is not configured "
            "(SKILLPASS_ELM_SHAPES). The seal covers the credential's exact bytes, so the "
            "signature check below does not depend on it.",
        )
    else:
        check_contexts(report, credential, ctx, strict_terms=False)
    if report.format == "elm-jades":
        check_elm_shapes(report, credential, ctx)
    for result in results:
        facts = (result.extra or {}).get("certificate")
        if isinstance(facts, dict) and facts.get("expired_now"):
            report.warnings.append(f"The seal certificate expired on {facts['not_after']}.")
        if result.key_source == "x5c":
            report.warnings.append(
                "The certificate chain to the EU trusted lists is not checked offline."
            )
    return _finish(report, credential, ctx, results)
