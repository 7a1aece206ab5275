"""The shipped context store: provenance, equality with the published copies, offline loader."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

import pytest

from skillpass.credentials.contexts import (
    ANNEX1_CONTEXT_URL,
    ContextStore,
    UnknownContextError,
    iter_manifest,
)

from .conftest import CREDENTIALS


def _shared_map() -> dict[str, str]:
    lines = (CREDENTIALS / "contexts" / "map.txt").read_text().splitlines()
    return dict(line.split() for line in lines if line.strip())


@pytest.mark.parametrize("entry", list(iter_manifest()), ids=lambda e: e["file"])
def test_shipped_context_equals_the_published_copy(credentials_dir, entry) -> None:
    shipped = resources.files("skillpass.credentials.contexts").joinpath("files", entry["file"])
    raw = shipped.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == entry["sha256"]
    assert entry["source"]
    assert entry["licence"]
    shared = _shared_map()
    compared = [url for url in entry["urls"] if url in shared]
    for url in compared:
        published = (CREDENTIALS / "contexts" / shared[url]).read_bytes()
        assert raw == published or json.loads(raw) == json.loads(published), url
    if not compared:
        pytest.skip(f"{entry['urls'][0]} has no copy in the shared context folder")


def test_annex1_context_is_shipped_and_maps_every_term_under_our_namespace() -> None:
    document = ContextStore().get(ANNEX1_CONTEXT_URL)["@context"]
    terms = {k: v for k, v in document.items() if not k.startswith("@")}
    assert "ectsCredits" in terms
    assert "supervisionAndIdentityVerification" in terms
    for term, definition in terms.items():
        assert definition["@id"] == f"https://w3id.org/skillpass/annex1#{term}"


def test_loader_refuses_unknown_urls_with_a_remedy() -> None:
    loader = ContextStore().document_loader()
    with pytest.raises(UnknownContextError, match="SKILLPASS_JSONLD_CONTEXTS") as caught:
        loader("https://example.org/ctx", {})
    assert caught.value.url == "https://example.org/ctx"


def test_operator_folder_adds_contexts(tmp_path) -> None:
    (tmp_path / "mine.jsonld").write_text('{"@context": {"x": "https://e.example/x"}}')
    (tmp_path / "map.txt").write_text("# mine\nhttps://e.example/ctx mine.jsonld\n")
    store = ContextStore([tmp_path])
    assert "https://e.example/ctx" in store
    assert store.get("https://e.example/ctx")["@context"]["x"] == "https://e.example/x"


def test_operator_folder_cannot_point_outside_itself(tmp_path) -> None:
    (tmp_path / "map.txt").write_text("https://e.example/ctx ../../etc/passwd\n")
    from skillpass.errors import InvalidInput

    with pytest.raises(InvalidInput, match="outside the folder"):
        ContextStore([tmp_path])
