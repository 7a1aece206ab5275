"""The local JSON-LD context store and the only document loader SkillPass gives pyld.

A JSON-LD credential names its vocabulary through ``@context`` URLs. Fetching them at verification
time would leak who verifies what, let a context server change the meaning of signed data, and
fail offline; so SkillPass resolves contexts **only** from:

1. the files shipped in ``contexts/files/`` (see ``manifest.json`` and the README here for the
   npm/PyPI package each comes from and its licence), including our own Annex I extension
   context ``https://w3id.org/skillpass/annex1/v1``;
2. folders the operator configures (``SKILLPASS_JSONLD_CONTEXTS``): a ``map.txt`` of
   ``URL FILE`` lines, the layout of the 1EdTech validator's context folder.

Any other URL is refused with :class:`UnknownContextError`, naming the URL and how to add it;
nothing is ever downloaded. Processed contexts are cached per store (pyld's resolved-context
cache), which is most of the speed of repeated verification.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from cachetools import LRUCache

from skillpass.errors import InvalidInput

__all__ = [
    "ANNEX1_CONTEXT_URL",
    "ContextStore",
    "UnknownContextError",
    "default_store",
    "unwrap_context_error",
]

#: Our extension context for the Annex I elements Open Badges 3.0 lacks.
ANNEX1_CONTEXT_URL = "https://w3id.org/skillpass/annex1/v1"
_ANNEX1_FILE = "skillpass-annex1-v1.jsonld"


class UnknownContextError(InvalidInput):
    """A document names a JSON-LD context that is not in the local store.

    Attributes:
        url: The context URL that could not be resolved.
    """

    def __init__(self, url: str) -> None:
        super().__init__(
            f"Unknown JSON-LD context {url!r}: SkillPass never downloads contexts. If you trust "
            "it, save the context file in a folder, list it in that folder's map.txt as "
            f"'{url} FILE', and point SKILLPASS_JSONLD_CONTEXTS at the folder.",
            details={"url": url},
        )
        self.url = url


def _read_map(folder: Path) -> dict[str, Path]:
    map_file = folder / "map.txt"
    if not map_file.is_file():
        raise InvalidInput(
            f"The JSON-LD context folder {folder} has no map.txt; add one with 'URL FILE' lines."
        )
    result: dict[str, Path] = {}
    for number, line in enumerate(map_file.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        parts = text.split()
        if len(parts) != 2:
            raise InvalidInput(f"{map_file}:{number}: expected 'URL FILE', got {text!r}.")
        url, name = parts
        path = (folder / name).resolve()
        if folder.resolve() not in path.parents:
            raise InvalidInput(f"{map_file}:{number}: {name!r} is outside the folder.")
        result[url] = path
    return result


class ContextStore:
    """The contexts a verifier or signer may use, all local.

    Args:
        extra_dirs: Operator-configured folders with a ``map.txt``. Shipped contexts take
            precedence over a folder's copy of the same URL (they are pinned by the project).

    Raises:
        InvalidInput: A folder has no map.txt or a malformed line.
    """

    def __init__(self, extra_dirs: Iterable[Path] = ()) -> None:
        self._shipped = _shipped_files()
        self._extra: dict[str, Path] = {}
        for folder in extra_dirs:
            for url, path in _read_map(Path(folder)).items():
                self._extra.setdefault(url, path)
        self._documents: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        # pyld's resolved-context cache, private to this store so that one store's extra
        # contexts never become resolvable through another.
        self._resolved_cache: Any = LRUCache(maxsize=256)
        self._processed_cache: Any = LRUCache(maxsize=2048)
        self._processor_class: Any = None

    def add_file(self, url: str, path: Path) -> None:
        """Trust one more context file for ``url`` (e.g. the ELM context in the shapes folder).

        Ignored when the file does not exist or the URL is already known.
        """
        if path.is_file() and url not in self:
            self._extra[url] = path

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and (url in self._shipped or url in self._extra)

    def urls(self) -> list[str]:
        """Every context URL this store resolves."""
        return sorted(set(self._shipped) | set(self._extra))

    def shipped_urls(self) -> list[str]:
        """The context URLs that ship with SkillPass."""
        return sorted(self._shipped)

    def get(self, url: str) -> dict[str, Any]:
        """The parsed context document for ``url``.

        Raises:
            UnknownContextError: The URL is not in the store.
        """
        cached = self._documents.get(url)
        if cached is not None:
            return cached
        if url in self._shipped:
            text = self._shipped[url]()
        elif url in self._extra:
            text = self._extra[url].read_text(encoding="utf-8")
        else:
            raise UnknownContextError(url)
        document: dict[str, Any] = json.loads(text)
        with self._lock:
            self._documents[url] = document
        return document

    def unknown(self, contexts: Any) -> list[str]:
        """The context URLs in an ``@context`` value that this store cannot resolve."""
        items = contexts if isinstance(contexts, list) else [contexts]
        return [item for item in items if isinstance(item, str) and item not in self]

    def document_loader(self) -> Callable[[str, dict[str, Any]], dict[str, Any]]:
        """A pyld document loader that answers from this store only (never the network)."""

        def load(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
            return {
                "contextUrl": None,
                "documentUrl": url,
                "document": self.get(url),
                "contentType": "application/ld+json",
                # "static" lets pyld cache the processed context under this URL.
                "tag": "static",
            }

        return load

    def processor(self, on_property_dropped: Callable[..., Any] | None = None) -> Any:
        """A pyld ``JsonLdProcessor`` that reuses processed contexts across documents.

        pyld caches processed contexts by the identity of the active context, and every
        type-scoped context (Open Badges 3.0 has one per class) starts from a fresh clone, so
        it would re-process them for every document. This processor memoises context
        processing by (parent context, local context, flags); the output is unchanged (the
        W3C and 1EdTech vectors' canonical forms are tested byte for byte).
        """
        from pyld import jsonld

        if self._processor_class is None:
            self._processor_class = _caching_processor_class(jsonld.JsonLdProcessor)
        processor = self._processor_class(on_property_dropped or jsonld.noop)
        processor.context_cache = self._processed_cache
        return processor

    def pyld_options(self) -> dict[str, Any]:
        """Options for pyld calls: this store's loader and resolved-context cache."""
        from pyld.context_resolver import ContextResolver

        loader = self.document_loader()
        return {
            "documentLoader": loader,
            "contextResolver": ContextResolver(self._resolved_cache, loader),
        }


def _context_key(local_ctx: Any) -> Any:
    """A hashable key for a local context: URL strings by value, objects by identity."""
    if isinstance(local_ctx, str):
        return ("url", local_ctx)
    if isinstance(local_ctx, list) and all(isinstance(item, str) for item in local_ctx):
        return ("urls", *local_ctx)
    if isinstance(local_ctx, dict) or type(local_ctx).__name__ == "frozendict":
        return ("object", id(local_ctx))
    return None


def _caching_processor_class(base: Any) -> Any:
    class CachingProcessor(base):  # type: ignore[misc]
        context_cache: Any

        def _process_context(
            self,
            active_ctx: Any,
            local_ctx: Any,
            options: Any,
            override_protected: bool = False,
            propagate: bool = True,
            validate_scoped: bool = True,
            cycles: Any = None,
        ) -> Any:
            local_key = _context_key(local_ctx)
            parent = active_ctx.get("_uuid") if hasattr(active_ctx, "get") else None
            if local_key is None or parent is None or cycles:
                return super()._process_context(
                    active_ctx,
                    local_ctx,
                    options,
                    override_protected,
                    propagate,
                    validate_scoped,
                    cycles,
                )
            key = (parent, local_key, override_protected, propagate, validate_scoped)
            hit = self.context_cache.get(key)
            # Objects are keyed by identity: keep them alive and check it is the same one.
            if hit is not None and (local_key[0] != "object" or hit[0] is local_ctx):
                return hit[1]
            result = super()._process_context(
                active_ctx,
                local_ctx,
                options,
                override_protected,
                propagate,
                validate_scoped,
                cycles,
            )
            if type(result).__name__ == "frozendict":
                self.context_cache[key] = (local_ctx, result)
            return result

    return CachingProcessor


def _shipped_files() -> dict[str, Callable[[], str]]:
    root = resources.files(__name__)
    manifest = json.loads(root.joinpath("manifest.json").read_text(encoding="utf-8"))
    files: dict[str, Callable[[], str]] = {}
    for entry in manifest["contexts"]:
        resource = root.joinpath("files").joinpath(entry["file"])
        for url in entry["urls"]:
            files[url] = resource.read_text
    files[ANNEX1_CONTEXT_URL] = root.joinpath("files").joinpath(_ANNEX1_FILE).read_text
    return files


_DEFAULT: ContextStore | None = None


def default_store() -> ContextStore:
    """A process-wide store of the shipped contexts only (built lazily, never at import)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = ContextStore()
    return _DEFAULT


def unwrap_context_error(exc: BaseException) -> UnknownContextError | None:
    """Find an :class:`UnknownContextError` in an exception's cause chain (pyld wraps them)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, UnknownContextError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def iter_manifest() -> Iterator[dict[str, Any]]:
    """The manifest entries of the shipped contexts (URL list, file, source, licence, sha256)."""
    root = resources.files(__name__)
    manifest = json.loads(root.joinpath("manifest.json").read_text(encoding="utf-8"))
    yield from manifest["contexts"]
