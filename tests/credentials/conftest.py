"""Fixtures for credential tests: the public vectors in ../shared/data/credentials, read at test
time (never copied into the repository), and context stores that resolve them offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skillpass.credentials.contexts import ContextStore
from skillpass.credentials.keys import PublicKey, public_key_from_jwk
from skillpass.credentials.verify import VerificationContext

CREDENTIALS = Path(__file__).resolve().parents[3] / "shared" / "data" / "credentials"
OB3_SCHEMA = CREDENTIALS / "ob3-schema" / "ob_v3p0_achievementcredential_schema.json"
#: The key 1EdTech publishes for its OB3 and CLR vectors (the fragment is its multikey).
OB3_VECTOR_ISSUER = "https://example.edu/issuers/565049"

# https://www.w3.org/ns/credentials/examples/v2 as published by the W3C (a one-line @vocab
# context). No npm package ships it; the W3C vectors' canonical forms prove the content.
EXAMPLES_V2 = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}


def load_json(*parts: str) -> Any:
    return json.loads(CREDENTIALS.joinpath(*parts).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def credentials_dir() -> Path:
    if not (CREDENTIALS / "README.md").is_file():
        pytest.skip("../shared/data/credentials is not present")
    return CREDENTIALS


@pytest.fixture(scope="session")
def examples_contexts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("examples-contexts")
    (folder / "examples-v2.jsonld").write_text(json.dumps(EXAMPLES_V2), encoding="utf-8")
    (folder / "map.txt").write_text(
        "https://www.w3.org/ns/credentials/examples/v2 examples-v2.jsonld\n", encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="session")
def vector_store(credentials_dir: Path, examples_contexts: Path) -> ContextStore:
    """Shipped contexts + the shared 1EdTech context folder + the W3C examples context."""
    return ContextStore([credentials_dir / "contexts", examples_contexts])


def vector_keys(credentials_dir: Path) -> dict[str, PublicKey]:
    """Verification keys of the vectors by id and by JWK kid (the operator's 'key registry')."""
    keys: dict[str, PublicKey] = {}
    for path in (credentials_dir / "w3c-vc-jose-cose").glob("vm-*.json"):
        method = json.loads(path.read_text(encoding="utf-8"))
        key = public_key_from_jwk(method["publicKeyJwk"])
        keys[method["id"]] = key
        keys[method["publicKeyJwk"]["kid"]] = key
    return keys


@pytest.fixture
def vector_ctx(credentials_dir: Path, examples_contexts: Path) -> VerificationContext:
    """A verification context for the public vectors: their contexts and published keys."""
    keys = vector_keys(credentials_dir)
    # The W3C Data Integrity vectors sign for an https issuer with did:key methods: the operator
    # pins those keys (a did:key alone never vouches for an https issuer).
    di = credentials_dir / "w3c-vc-di-eddsa" / "TestVectors"
    pinned = {json.loads((di / "keyPair.json").read_text())["publicKeyMultibase"]}
    pinned |= {
        pair["publicKeyMultibase"]
        for pair in json.loads((di / "proof-set-chain" / "multiKeyPairs.json").read_text()).values()
    }

    def resolve(vm: str) -> PublicKey | str | None:
        if vm.startswith(OB3_VECTOR_ISSUER + "#"):
            return vm.split("#", 1)[1]
        fragment = vm.partition("#")[2]
        if vm.startswith("did:key:") and fragment in pinned:
            return fragment
        return keys.get(vm)

    return VerificationContext(
        resolve_key=resolve,
        contexts_dirs=(credentials_dir / "contexts", examples_contexts),
        ob3_schema=OB3_SCHEMA,
        elm_shapes_dir=credentials_dir / "elm",
    )
