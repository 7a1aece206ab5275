"""Fixtures for the credential format tests: the example definition, fixed ids and dates, and
loaders that serve JSON-LD contexts, the OB3 JSON Schema and the EDC SHACL shapes from the shared
test material (never from the network)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from skillpass.credentials.achievement_file import load_achievement_file
from skillpass.credentials.formats.elm import EDC_CONTEXT_URL
from skillpass.credentials.formats.openbadges import ANNEX1_CONTEXT_URL
from skillpass.credentials.models import (
    Achievement,
    IssuerProfile,
    LearnerRef,
    RegistrationIdentifier,
    StatusEntry,
)

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared" / "data" / "credentials"
EXAMPLE = REPO / "examples" / "micro-credential.yaml"
EXTENSION_CONTEXT = REPO / "src/skillpass/credentials/contexts/files/skillpass-annex1-v1.jsonld"
GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("SKILLPASS_UPDATE_GOLDEN") == "1"

CREDENTIAL_ID = "urn:uuid:5b1d7b0e-6c1f-4a57-9d3e-2f6a1c0b9e42"
ACHIEVEMENT_ID = "https://skillpass.example.org/achievements/ach_7Hq2LxR9"
ISSUED_AT = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
VALID_UNTIL = datetime(2030, 3, 1, 9, 30, tzinfo=UTC)


def _shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared credential test material missing: {path}")
    return path


@pytest.fixture(scope="session")
def example() -> Achievement:
    return load_achievement_file(EXAMPLE)


@pytest.fixture
def issuer() -> IssuerProfile:
    return IssuerProfile(
        id="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        name="Rhine-Ruhr Institute of Applied Data Science (synthetic example)",
        country="DE",
        region="DEA1",
        url="https://example.org/rria-data-science",
        email="credentials@example.org",
        registration_identifiers=[RegistrationIdentifier(scheme="vat", value="DE000000000")],
        kind="vet",
    )


@pytest.fixture
def learner() -> LearnerRef:
    return LearnerRef.from_email("ana.example@example.org", salt="d4f1a2", name="Ana Example")


@pytest.fixture
def status() -> StatusEntry:
    return StatusEntry(
        id="https://skillpass.example.org/status/1#4711",
        status_list_index=4711,
        status_list_credential="https://skillpass.example.org/status/1",
    )


def fixed_args(status: StatusEntry | None = None) -> dict[str, Any]:
    """The keyword arguments that make a build deterministic."""
    return {
        "credential_id": CREDENTIAL_ID,
        "achievement_id": ACHIEVEMENT_ID,
        "issued_at": ISSUED_AT,
        "valid_until": VALID_UNTIL,
        "status": status,
    }


@pytest.fixture(scope="session")
def ob3_schema() -> dict[str, Any]:
    path = _shared("ob3-schema", "ob_v3p0_achievementcredential_schema.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def document_loader() -> Any:
    """A pyld loader over the shared contexts (map.txt), our extension and the ELM context."""
    contexts = _shared("contexts")
    files: dict[str, Path] = {}
    for line in (contexts / "map.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            url, name = line.split()
            files[url] = contexts / name
    files[ANNEX1_CONTEXT_URL] = EXTENSION_CONTEXT
    files[EDC_CONTEXT_URL] = _shared("elm", "edc-ap-context.jsonld")

    def load(url: str, options: Any = None) -> dict[str, Any]:
        if url not in files:
            raise LookupError(f"context not in the local store: {url}")
        document = json.loads(files[url].read_text(encoding="utf-8"))
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": document,
        }

    return load


@pytest.fixture(scope="session")
def edc_shapes() -> Any:
    import rdflib

    graph = rdflib.Graph()
    graph.parse(_shared("elm", "EDC-generic-no-cv.ttl"))
    graph.parse(_shared("elm", "EDC-generic-full.ttl"))
    return graph


def assert_matches_golden(document: dict[str, Any], name: str) -> None:
    """Compare with ``golden/<name>``; SKILLPASS_UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    text = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    if UPDATE_GOLDEN or not path.exists():
        if not UPDATE_GOLDEN:
            pytest.fail(f"{path} is missing: run with SKILLPASS_UPDATE_GOLDEN=1 to create it")
        path.write_text(text, encoding="utf-8")
        return
    assert json.loads(path.read_text(encoding="utf-8")) == document
