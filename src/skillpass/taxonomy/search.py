"""Typo-tolerant label search over the imported taxonomy.

How it ranks (see ``docs/taxonomy-search.md``):

1. Every preferred, alternative and hidden label and every description of a skill or occupation, in
   every imported language, is a *document*; words are lower-cased and stripped of accents.
2. Each query word is expanded to vocabulary words: itself (weight 1), words it is a prefix of
   (0.9, so typing "progr" finds "programming") and words within a small edit distance (up to
   0.85, so "pyhton" finds "python"), found with RapidFuzz over the vocabulary.
3. A document's lexical score is the IDF-weighted share of the query it covers, times how much of
   the label the query covers, times the label kind's weight (preferred 1.0, alternative 0.95,
   hidden 0.85, description 0.45). A concept scores as its best document.
4. The best candidates are re-ranked with a whole-string fuzzy similarity to the matched label
   (final = (0.75 lexical + 0.25 similarity + 0.1 if the label equals the query) / 1.1).

The index lives in NumPy arrays; it is built from the database once per taxonomy import and cached
on disk (a pickle keyed by the import), so a warm query takes a few milliseconds.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import threading
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from sqlalchemy import Engine, func, select

from skillpass.errors import InvalidInput, TaxonomyNotLoaded
from skillpass.storage.tables import taxonomy_imports
from skillpass.taxonomy import repository
from skillpass.taxonomy.models import ConceptType, SearchHit

__all__ = ["MAX_QUERY_CHARS", "SearchIndex", "SearchIndexCache", "normalise", "tokenise"]

MAX_QUERY_CHARS = 200
_MAX_LIMIT = 100
_FORMAT_VERSION = 3
_KIND_WEIGHT = {"preferred": 1.0, "alt": 0.95, "hidden": 0.85, "description": 0.45}
_KINDS = list(_KIND_WEIGHT)
_TYPES = [ConceptType.SKILL, ConceptType.OCCUPATION]
_WORD = re.compile(r"\w+", re.UNICODE)
_RERANK = 150


def normalise(text: str) -> str:
    """Lower-case and strip accents (``Ingénieur`` → ``ingenieur``), keep ``ß`` as ``ss``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenise(text: str) -> list[str]:
    """Words of ``text`` after :func:`normalise`."""
    return _WORD.findall(normalise(text))


@dataclass
class _Arrays:
    """The index data, kept together so it pickles as one object."""

    vocabulary: list[str]
    idf: npt.NDArray[np.float32]
    postings: list[npt.NDArray[np.int32]]
    doc_concept: npt.NDArray[np.int32]
    doc_kind: npt.NDArray[np.int8]
    doc_lang: npt.NDArray[np.int16]
    doc_tokens: npt.NDArray[np.float32]
    doc_text: list[str]
    concept_uri: list[str]
    concept_label: list[str]
    concept_type: npt.NDArray[np.int8]
    languages: list[str]
    #: token ids sorted by word length, and where each length starts in that order
    ids_by_length: list[int]
    length_start: dict[int, int]
    #: each document's words, normalised and joined by one space (for re-ranking)
    doc_norm: list[str]


class SearchIndex:
    """An in-memory inverted index over concept labels (build with :meth:`build`)."""

    def __init__(self, arrays: _Arrays) -> None:
        self._a = arrays
        self._vocab_index = {word: i for i, word in enumerate(arrays.vocabulary)}
        self._sorted_vocab = sorted(
            range(len(arrays.vocabulary)), key=arrays.vocabulary.__getitem__
        )
        self._sorted_words = [arrays.vocabulary[i] for i in self._sorted_vocab]
        self._words_by_length = [arrays.vocabulary[i] for i in arrays.ids_by_length]

    @property
    def languages(self) -> list[str]:
        """Languages that have labels in the index."""
        return list(self._a.languages)

    @property
    def size(self) -> int:
        """Number of indexed documents (labels and descriptions)."""
        return len(self._a.doc_text)

    @classmethod
    def build(cls, rows: Iterable[repository.LabelRow]) -> SearchIndex:
        """Build an index from label rows (uri, type, English label, lang, kind, text)."""
        concept_ids: dict[str, int] = {}
        concept_uri: list[str] = []
        concept_label: list[str] = []
        concept_type: list[int] = []
        languages: list[str] = []
        lang_ids: dict[str, int] = {}
        vocab: dict[str, int] = {}
        postings: defaultdict[int, list[int]] = defaultdict(list)
        doc_concept: list[int] = []
        doc_kind: list[int] = []
        doc_lang: list[int] = []
        doc_tokens: list[int] = []
        doc_text: list[str] = []
        doc_norm: list[str] = []
        for uri, ctype, label, lang, kind, text in rows:
            if kind not in _KIND_WEIGHT or not text.strip():
                continue
            cid = concept_ids.get(uri)
            if cid is None:
                cid = concept_ids[uri] = len(concept_uri)
                concept_uri.append(uri)
                concept_label.append(label)
                concept_type.append(_TYPES.index(ConceptType(ctype)))
            lid = lang_ids.get(lang)
            if lid is None:
                lid = lang_ids[lang] = len(languages)
                languages.append(lang)
            words = tokenise(text)
            tokens = set(words)
            if not tokens:
                continue
            doc_id = len(doc_text)
            for token in tokens:
                tid = vocab.setdefault(token, len(vocab))
                postings[tid].append(doc_id)
            doc_concept.append(cid)
            doc_kind.append(_KINDS.index(kind))
            doc_lang.append(lid)
            doc_tokens.append(len(tokens))
            doc_text.append(text.strip())
            doc_norm.append(" ".join(words) if kind != "description" else "")
        n_docs = max(len(doc_text), 1)
        vocabulary = [""] * len(vocab)
        for word, tid in vocab.items():
            vocabulary[tid] = word
        posting_arrays = [np.asarray(postings[t], dtype=np.int32) for t in range(len(vocab))]
        df = np.asarray([len(p) for p in posting_arrays], dtype=np.float32)
        idf = np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        ids_by_length = sorted(range(len(vocabulary)), key=lambda t: len(vocabulary[t]))
        length_start: dict[int, int] = {}
        for position, tid in enumerate(ids_by_length):
            length_start.setdefault(len(vocabulary[tid]), position)
        return cls(
            _Arrays(
                vocabulary=vocabulary,
                idf=idf,
                postings=posting_arrays,
                doc_concept=np.asarray(doc_concept, dtype=np.int32),
                doc_kind=np.asarray(doc_kind, dtype=np.int8),
                doc_lang=np.asarray(doc_lang, dtype=np.int16),
                doc_tokens=np.asarray(doc_tokens, dtype=np.float32),
                doc_text=doc_text,
                concept_uri=concept_uri,
                concept_label=concept_label,
                concept_type=np.asarray(concept_type, dtype=np.int8),
                languages=languages,
                ids_by_length=ids_by_length,
                length_start=length_start,
                doc_norm=doc_norm,
            )
        )

    def _length_range(self, shortest: int, longest: int) -> tuple[int, int]:
        """Positions in the length-sorted vocabulary holding words of these lengths."""
        starts = self._a.length_start
        total = len(self._a.ids_by_length)
        start = next(
            (starts[n] for n in range(max(shortest, 1), longest + 1) if n in starts), total
        )
        end = next((starts[n] for n in range(longest + 1, longest + 64) if n in starts), total)
        return start, max(start, end)

    def _expand(self, token: str, *, allow_prefix: bool) -> list[tuple[int, float]]:
        """Vocabulary words standing for a query word, with a weight in (0, 1]."""
        found: dict[int, float] = {}
        exact = self._vocab_index.get(token)
        if exact is not None:
            found[exact] = 1.0
        if allow_prefix and len(token) >= 3:
            start = bisect_left(self._sorted_words, token)
            for pos in range(start, min(start + 200, len(self._sorted_words))):
                word = self._sorted_words[pos]
                if not word.startswith(token):
                    break
                tid = self._sorted_vocab[pos]
                found.setdefault(tid, 0.9)
        if len(token) >= 4:
            cutoff = 80.0 if len(token) <= 6 else 75.0
            slack = 2 if len(token) <= 8 else 3
            start, end = self._length_range(len(token) - slack, len(token) + slack)
            candidates = self._a.ids_by_length[start:end]
            words = self._words_by_length[start:end]
            for _word, score, pos in process.extract(
                token, words, scorer=fuzz.ratio, score_cutoff=cutoff, limit=8
            ):
                tid = candidates[pos]
                weight = 0.85 * float(score) / 100.0
                if weight > found.get(tid, 0.0):
                    found[tid] = weight
        return list(found.items())

    def search(
        self,
        query: str,
        *,
        concept_type: ConceptType | None = None,
        lang: str | None = None,
        limit: int = 10,
    ) -> list[SearchHit]:
        """Rank concepts for ``query``; see the module docstring for how.

        Args:
            query: Free text (at most 200 characters).
            concept_type: Only skills or only occupations.
            lang: Only labels in this language (ISO 639-1, e.g. ``de``).
            limit: At most this many hits (1-100).

        Returns:
            Hits with a score in [0, 1], best first.

        Raises:
            InvalidInput: Empty or too long query, unknown language, limit out of range.
        """
        if not 1 <= limit <= _MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {_MAX_LIMIT}, got {limit}.")
        text = query.strip()
        if len(text) > MAX_QUERY_CHARS:
            raise InvalidInput(
                f"The query is {len(text)} characters long; use at most {MAX_QUERY_CHARS}. "
                "For long texts (job adverts, CVs) use the matching engine's extraction mode."
            )
        tokens = list(dict.fromkeys(tokenise(text)))
        if not tokens:
            raise InvalidInput("Type at least one word to search for, e.g. 'python'.")
        lang_id: int | None = None
        if lang is not None:
            code = lang.strip().lower()
            if code not in self._a.languages:
                raise InvalidInput(
                    f"No labels in language '{lang}' are imported. Imported: "
                    f"{', '.join(sorted(self._a.languages))}. Import an ESCO download in that "
                    "language with `skillpass taxonomy import PATH`."
                )
            lang_id = self._a.languages.index(code)

        a = self._a
        n_docs = len(a.doc_text)
        covered = np.zeros(n_docs, dtype=np.float32)
        hits = np.zeros(n_docs, dtype=np.float32)
        query_weight = 0.0
        for position, token in enumerate(tokens):
            expansions = self._expand(token, allow_prefix=position == len(tokens) - 1)
            best_idf = max((float(a.idf[t]) for t, _ in expansions), default=0.0)
            token_idf = best_idf if best_idf > 0 else float(a.idf.max(initial=1.0))
            query_weight += token_idf
            if not expansions:
                continue
            token_score = np.zeros(n_docs, dtype=np.float32)
            for tid, weight in expansions:
                docs = a.postings[tid]
                value = np.float32(weight * token_idf)
                token_score[docs] = np.maximum(token_score[docs], value)
            covered += token_score
            hits += token_score > 0
        candidates = np.nonzero(covered)[0]
        if candidates.size == 0 or query_weight <= 0:
            return []
        if concept_type is not None:
            wanted = _TYPES.index(concept_type)
            candidates = candidates[a.concept_type[a.doc_concept[candidates]] == wanted]
        if lang_id is not None:
            candidates = candidates[a.doc_lang[candidates] == lang_id]
        if candidates.size == 0:
            return []
        kinds = a.doc_kind[candidates]
        kind_weight = np.asarray([_KIND_WEIGHT[k] for k in _KINDS], dtype=np.float32)[kinds]
        share = np.minimum(hits[candidates] / a.doc_tokens[candidates], 1.0)
        is_description = kinds == _KINDS.index("description")
        length_factor = np.where(is_description, 1.0, np.sqrt(share))
        doc_score = (covered[candidates] / query_weight) * length_factor * kind_weight

        concepts = a.doc_concept[candidates]
        order = np.lexsort((-doc_score, concepts))
        first = np.ones(order.size, dtype=bool)
        first[1:] = concepts[order][1:] != concepts[order][:-1]
        best_docs = candidates[order][first]
        best_scores = doc_score[order][first]
        top = np.argsort(-best_scores, kind="stable")[:_RERANK]

        normalised_query = " ".join(tokens)
        ranked: list[tuple[float, int, int]] = []
        for i in top:
            doc = int(best_docs[i])
            lexical = float(best_scores[i])
            label_norm = a.doc_norm[doc]
            similarity = (
                fuzz.token_set_ratio(normalised_query, label_norm) / 100.0 if label_norm else 0.0
            )
            exact = 0.1 if label_norm == normalised_query else 0.0
            score = (0.75 * lexical + 0.25 * similarity + exact) / 1.1
            ranked.append((min(score, 1.0), doc, int(a.doc_concept[doc])))
        ranked.sort(key=lambda item: (-item[0], a.concept_label[item[2]].lower()))
        return [
            SearchHit(
                uri=a.concept_uri[cid],
                label=a.concept_label[cid],
                type=_TYPES[int(a.concept_type[cid])],
                score=round(score, 4),
                matched_label=a.doc_text[doc]
                if a.doc_kind[doc] != _KINDS.index("description")
                else "(description)",
                lang=a.languages[int(a.doc_lang[doc])],
            )
            for score, doc, cid in ranked[:limit]
        ]


class SearchIndexCache:
    """Builds the index from the database once per import; keeps it in memory and on disk.

    Args:
        engine: The database engine.
        folder: Where the pickled index is cached (inside the data dir).
    """

    def __init__(self, engine: Engine, folder: Path) -> None:
        self._engine = engine
        self._folder = folder
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._stamp: str | None = None

    def _current_stamp(self) -> str:
        with self._engine.connect() as conn:
            newest, count = conn.execute(
                select(func.max(taxonomy_imports.c.id), func.count())
            ).one()
        if not count:
            raise TaxonomyNotLoaded(
                "No ESCO taxonomy is imported yet. Download ESCO (CSV, classification) from "
                "https://esco.ec.europa.eu/en/use-esco/download and run "
                "`skillpass taxonomy import PATH` (or set SKILLPASS_ESCO)."
            )
        url = self._engine.url.render_as_string(hide_password=True)
        digest = hashlib.sha256(url.encode()).hexdigest()[:12]
        return f"v{_FORMAT_VERSION}-{digest}-{newest}-{count}"

    def get(self) -> SearchIndex:
        """The index for the current taxonomy, built or loaded when needed.

        Raises:
            TaxonomyNotLoaded: Nothing imported yet.
        """
        stamp = self._current_stamp()
        with self._lock:
            if self._index is not None and self._stamp == stamp:
                return self._index
            index = self._load(stamp)
            if index is None:
                index = SearchIndex.build(repository.iter_search_rows(self._engine))
                self._save(stamp, index)
            self._index, self._stamp = index, stamp
            return index

    def invalidate(self) -> None:
        """Forget the in-memory index (the on-disk one is keyed by import and goes stale)."""
        with self._lock:
            self._index = None
            self._stamp = None

    def _path(self, stamp: str) -> Path:
        return self._folder / f"index-{stamp}.pickle"

    def _load(self, stamp: str) -> SearchIndex | None:
        path = self._path(stamp)
        if not path.exists():
            return None
        try:
            with path.open("rb") as handle:
                arrays = pickle.load(handle)  # our own cache file, written by _save
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            return None
        return SearchIndex(arrays) if isinstance(arrays, _Arrays) else None

    def _save(self, stamp: str, index: SearchIndex) -> None:
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            for old in self._folder.glob("index-*.pickle"):
                old.unlink(missing_ok=True)
            tmp = self._path(stamp).with_suffix(".tmp")
            with tmp.open("wb") as handle:
                pickle.dump(index._a, handle, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(self._path(stamp))
        except OSError:
            return  # a cache that cannot be written only costs a rebuild next time
