"""The matching engine: candidate scores from several signals, fused with ESCO knowledge.

For a batch of queries and one concept type (skills or occupations); text written in capitals is
put in sentence case (:func:`~skillpass.matching.text.fold_capitals`), and job titles lose their
gender markers and short feminine forms (:func:`~skillpass.matching.text.normalise_job_title`):

1. **Lexical** — character 3–5-gram TF-IDF cosine with every label and description
   (:mod:`skillpass.matching.lexical`).
2. **Semantic** (``ml`` extra) — cosine of sentence embeddings: all-MiniLM-L6-v2 against English
   labels and descriptions for English queries (skill queries through the trained query adapter),
   the multilingual Universal Sentence Encoder against labels in every language otherwise.
3. Documents are weighted by kind (preferred 1.0, alternative 0.95, hidden 0.9) and language
   (the query's language 1.0, English 0.9, others 0.8); a concept scores as its best document.
4. **Fusion**: ``label + w_desc * description + w_lex * lexical + w_prior * prior`` where the prior
   is how many ESCO occupations use a skill (log-scaled), i.e. how common the skill is. Occupation
   queries not in English also add ``w_centroid * centroid + w_english * english``: the cosine
   with the mean of all the occupation's label vectors (every language: how well its labels
   agree with the query) and with its best English label.
5. **Reranking** (English skill queries): the best :data:`~skillpass.matching.rerank.CANDIDATES`
   by fused score are re-ordered by a small learned tree ensemble over the same signals plus ESCO
   knowledge (:mod:`skillpass.matching.rerank`).
6. **Calibration**: the fused (or reranked) score goes through a logistic curve fitted on the
   SkillSkape *dev* split, so skill scores read as probabilities of being right.

Weights and calibration constants are in :data:`WEIGHTS`; ``benchmarks/matching.py`` and
``scripts/train_matching_adapter.py`` show where they come from.
"""

from __future__ import annotations

import logging
import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine

from skillpass.matching.corpus import KINDS, Corpus, load_corpus, taxonomy_stamp
from skillpass.matching.fast import (
    FAST_PRIOR,
    StaticUSEEncoder,
    context_sample,
    fast_calibration,
    one_blas_thread,
)
from skillpass.matching.lexical import CharNgramIndex
from skillpass.matching.models import MatchMode
from skillpass.matching.rerank import (
    CANDIDATES,
    FEATURES,
    Reranker,
    SkillKnowledge,
    candidate_features,
    load_reranker,
    load_skill_knowledge,
)
from skillpass.matching.text import CompoundSplitter, fold_capitals, normalise_job_title
from skillpass.progress import NullProgress, Progress

__all__ = ["WEIGHTS", "BuildCancelled", "Candidate", "MatchingEngine", "Weights", "scoring_path"]

_log = logging.getLogger(__name__)
_FORMAT_VERSION = 3  # 3: gendered short forms keep their words (corpus.label_forms)
#: Seconds between checks of the database for a newer import.
_STAMP_TTL = 5.0
#: Documents embedded per step of an index build (the step at which a build can be cancelled).
_ENCODE_STEP = 256
FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.intp]


def scoring_path(lang: str | None, *, semantic: bool, reranker: bool) -> str:
    """Which default-mode path scores queries (each has its own calibration curve).

    Args:
        lang: The queries' language (``None``: unknown, scored as English).
        semantic: Whether sentence embeddings score them (``ml`` extra, index built, asked for).
        reranker: Whether the learned reranker applies (skill queries, reranker shipped).

    Returns:
        ``reranked``, ``default``, ``multilingual`` or ``lexical``.
    """
    if not semantic:
        return "lexical"
    if lang not in (None, "en"):
        return "multilingual"
    return "reranked" if reranker else "default"


class BuildCancelled(Exception):
    """An index build was cancelled (the service is closing); nothing half-built is kept."""


@dataclass(frozen=True)
class Weights:
    """Fusion weights and calibration of one concept type (see the module docstring)."""

    kind: tuple[float, float, float, float] = (1.0, 0.95, 0.9, 1.0)
    same_lang: float = 1.0
    english: float = 0.9
    other_lang: float = 0.8
    description: float = 0.3
    lexical: float = 0.3
    prior: float = 0.1
    #: multilingual path only: the query's similarity with the concept's centroid (the mean of
    #: all its label vectors, every language), and with its best English label
    centroid: float = 0.0
    english_label: float = 0.0
    #: logistic calibration: p = 1 / (1 + exp(-slope * (fused - midpoint)))
    slope: float = 5.48
    midpoint: float = 1.18
    #: the multilingual path (queries not in English: multilingual encoder, no descriptions)
    #: has its own scale, so its own curve; fitted on the same dev sentences sent through it
    multilingual_slope: float = 6.61
    multilingual_midpoint: float = 0.809
    #: English skill queries re-ordered by the learned reranker: its log-odds have their own
    #: scale; fitted on SkillSkape dev like the others
    reranked_slope: float = 0.953
    reranked_midpoint: float = 0.308
    #: lexical-only fallback (no ml extra): fused = lexical + prior
    lexical_only_prior: float = 0.05
    lexical_only_slope: float = 8.59
    lexical_only_midpoint: float = 0.618

    def calibration(self, path: str) -> tuple[float, float]:
        """``(slope, midpoint)`` of the logistic curve of one scoring path.

        Args:
            path: ``default`` (English model), ``reranked`` (English skills through the
                reranker), ``multilingual``, or ``lexical``
                (fast mode: :data:`skillpass.matching.fast.FAST_CALIBRATION`).

        Returns:
            The curve's slope and midpoint.
        """
        if path == "multilingual":
            return self.multilingual_slope, self.multilingual_midpoint
        if path == "lexical":
            return self.lexical_only_slope, self.lexical_only_midpoint
        if path == "reranked":
            return self.reranked_slope, self.reranked_midpoint
        return self.slope, self.midpoint


#: Tuned on SkillSkape dev (skills), MELO usa_q_en_c_en (occupation fusion weights) and held-out
#: ESCO occupation labels (occupation language weights); see docs/matching.md.
WEIGHTS = {
    "skill": Weights(),
    "occupation": Weights(
        # chosen on held-out ESCO occupation labels in six languages (not MELO): English labels
        # count as much as the query language's, other languages 0.9 (mean MRR 0.743 -> 0.753)
        english=1.0,
        other_lang=0.9,
        description=0.1,
        lexical=0.5,
        prior=0.0,
        # chosen on the same held-out labels (not MELO): agreement of all of an occupation's
        # labels and its English label's score; mean MRR 0.758 -> 0.770, German 0.683 -> 0.714
        centroid=0.5,
        english_label=0.2,
        slope=8.0,
        midpoint=0.9,
        # refitted on the held-out labels' top 10 with the centroid and English-label terms
        multilingual_slope=6.45,
        multilingual_midpoint=1.82,
        lexical_only_slope=12.0,
        lexical_only_midpoint=0.45,
    ),
}


@dataclass(frozen=True)
class Candidate:
    """One concept scored for one query."""

    index: int
    score: float
    matched: int  # document index of the best-matching document
    raw: float = 0.0  # fused score before calibration


class _Argmax:
    """Finds a concept's best document on demand (only for the few candidates returned).

    Either the argmax of ``doc_scores`` over the columns ``lo[c]:hi[c]`` of concept ``c``
    (``docs`` maps columns to corpus documents, none: the same), or a ``fixed`` document.
    """

    def __init__(
        self,
        doc_scores: FloatArray | None,
        docs: npt.NDArray[np.int64] | None,
        bounds: tuple[IntArray, IntArray] | None,
        fixed: IntArray | None = None,
    ) -> None:
        self._scores = doc_scores
        self._docs = docs
        self._bounds = bounds
        self._fixed = fixed

    def get(self, row: int, concept: int) -> int:
        """Index (into the corpus documents) of ``concept``'s best document for query ``row``."""
        if self._fixed is not None:
            return int(self._fixed[concept])
        if self._scores is None or self._bounds is None:
            return -1
        lo, hi = int(self._bounds[0][concept]), int(self._bounds[1][concept])
        if hi <= lo:
            return -1
        j = lo + int(np.argmax(self._scores[row, lo:hi]))
        return int(self._docs[j]) if self._docs is not None else j


@dataclass(frozen=True)
class _Runs:
    """The columns of a document score matrix cut into runs of one concept (and one part).

    The columns are documents sorted by concept (all the corpus's, or a selection of them), a
    concept's columns possibly cut into contiguous parts (English labels, then descriptions),
    so every concept's best score in every part is one ``np.maximum.reduceat``. Made once per
    document selection (the grouping cost as much as the maxima when made on every batch).
    """

    docs: npt.NDArray[np.int64] | None  # the corpus document of each column (None: all, in order)
    n_concepts: int
    n_parts: int
    starts: IntArray  # each run's first column
    concepts: IntArray  # each run's concept
    parts: IntArray  # each run's part
    lo: IntArray  # parts x concepts: the columns argmax looks at (lo:hi)
    hi: IntArray

    @classmethod
    def of(
        cls,
        corpus: Corpus,
        docs: npt.NDArray[np.int64] | None = None,
        parts: IntArray | None = None,
        n_parts: int = 1,
    ) -> _Runs:
        """The runs of ``docs`` (every document when ``None``), cut by ``parts`` (0..n_parts-1).

        Raises:
            ValueError: The columns are not sorted by concept and part.
        """
        n = len(corpus.uris)
        concept = corpus.doc_concept if docs is None else corpus.doc_concept[docs]
        part = np.zeros(len(concept), np.intp) if parts is None else parts.astype(np.intp)
        key = concept.astype(np.int64) * n_parts + part
        if np.any(key[1:] < key[:-1]):
            raise ValueError("documents are not sorted by concept and part")
        starts = np.flatnonzero(np.diff(key, prepend=-1)).astype(np.intp)
        ends = np.append(starts[1:], len(key)).astype(np.intp)
        run_concept = concept[starts].astype(np.intp)
        run_part = part[starts]
        lo = np.zeros((n_parts, n), np.intp)
        hi = np.zeros((n_parts, n), np.intp)
        # a concept without a run in some part: argmax looks at its first column alone, as it
        # did when the other parts' columns were set to -1 and the argmax took the first of them
        firsts, first_run = np.unique(run_concept, return_index=True)
        lo[:, firsts] = starts[first_run]
        hi[:, firsts] = starts[first_run] + 1
        lo[run_part, run_concept] = starts
        hi[run_part, run_concept] = ends
        return cls(docs, n, n_parts, starts, run_concept, run_part, lo, hi)

    def maxima(self, doc_scores: FloatArray) -> list[FloatArray]:
        """For each part, ``queries x concepts`` best column score (-1 where a concept has none).

        Args:
            doc_scores: ``queries x columns``.
        """
        rows = doc_scores.shape[0]
        best = [np.full((rows, self.n_concepts), -1.0, np.float32) for _ in range(self.n_parts)]
        if not len(self.starts):
            return best
        reduced = np.maximum.reduceat(doc_scores, self.starts, axis=1)
        if self.n_parts == 1:
            best[0][:, self.concepts] = reduced
            return best
        for part in range(self.n_parts):
            runs = self.parts == part
            best[part][:, self.concepts[runs]] = reduced[:, runs]
        return best

    def argmax(self, doc_scores: FloatArray, part: int = 0) -> _Argmax:
        """Where each concept's best column of ``part`` is (computed for a candidate on demand)."""
        return _Argmax(doc_scores, self.docs, (self.lo[part], self.hi[part]))


@dataclass
class _Index:
    corpus: Corpus
    lexical: CharNgramIndex
    starts: npt.NDArray[np.intp]
    runs: _Runs  # every document
    minilm_docs: npt.NDArray[np.int64] | None = None
    minilm_runs: _Runs | None = None  # parts: English labels, English descriptions
    minilm: FloatArray | None = None
    use_docs: npt.NDArray[np.int64] | None = None
    use: FloatArray | None = None
    use_runs: _Runs | None = None
    centroids: FloatArray | None = None
    static_weights: FloatArray | None = None
    static_centroids: FloatArray | None = None
    label_docs: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    label_runs: _Runs | None = None
    knowledge: SkillKnowledge | None = None
    preferred_vectors: FloatArray | None = None  # English preferred label's MiniLM vector
    compounds: CompoundSplitter | None = None  # German occupation labels' words
    english_use: tuple[IntArray, _Runs] | None = None  # columns of ``use``: English labels

    def english_use_runs(self) -> tuple[IntArray, _Runs]:
        """The columns of ``use`` that hold English labels, and their runs (made once)."""
        if self.english_use is None:
            assert self.use_docs is not None
            corpus = self.corpus
            english = corpus.languages.index("en") if "en" in corpus.languages else -1
            columns = np.flatnonzero(corpus.doc_lang[self.use_docs] == english).astype(np.intp)
            self.english_use = columns, _Runs.of(corpus, self.use_docs[columns])
        return self.english_use

    def runs_of(self, docs: npt.NDArray[np.int64] | None) -> _Runs:
        """The runs of ``docs`` (every document when ``None``): made once for the index's own
        selections, on the spot for any other."""
        if docs is None:
            return self.runs
        for held, runs in ((self.use_docs, self.use_runs), (self.label_docs, self.label_runs)):
            if docs is held and runs is not None:
                return runs
        return _Runs.of(self.corpus, docs)


@dataclass
class _Semantic:
    """The semantic signals of a batch of queries (per concept) and the query vectors."""

    label: FloatArray
    label_arg: _Argmax
    description: FloatArray
    raw_vectors: FloatArray | None = None  # MiniLM query vectors before the adapter
    vectors: FloatArray | None = None  # after it
    centroid: FloatArray | None = None  # multilingual path: cosine with concept centroids
    english: FloatArray | None = None  # multilingual path: best English label


class MatchingEngine:
    """Builds, caches and queries the matching indexes of one database.

    Args:
        engine: The database holding the taxonomy.
        cache_dir: Folder for cached indexes (``<data_dir>/matching-index``).
        semantic: Use sentence embeddings when the ``ml`` extra is installed.
    """

    def __init__(self, engine: Engine, cache_dir: Path, *, semantic: bool = True) -> None:
        from skillpass.matching import semantic as sem

        self._engine = engine
        self._cache_dir = cache_dir
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()  # embedding builds; lexical lookups never wait on it
        self._indexes: dict[str, _Index] = {}
        self._stamp: str | None = None
        self._checked = 0.0
        self.semantic = semantic and sem.semantic_available()
        self._minilm: Any = None
        self._use: Any = None
        self._static: Any = None
        self._static_use: Any = None
        self._adapter: FloatArray | None = None
        self._reranker: Reranker | None = None
        self._reranker_loaded = False

    # --- encoders ---------------------------------------------------------------------------

    def _encoders(self) -> tuple[Any, Any]:
        if self._minilm is None:
            from skillpass.matching import semantic as sem

            self._minilm = sem.shared_minilm()
            self._use = sem.shared_use()
            self._static = sem.StaticEncoder(
                self._cache_dir / f"{sem.StaticEncoder.name}.npy", teacher=self._minilm
            )
            self._adapter = sem.load_query_adapter()
            self._static_use = StaticUSEEncoder(
                self._cache_dir / f"{StaticUSEEncoder.name}.npy", teacher=self._use
            )
        return self._minilm, self._use

    # --- index build and cache --------------------------------------------------------------

    def index(
        self,
        concept_type: str,
        *,
        semantic: bool = True,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> _Index:
        """The index of one concept type, loaded from cache or built.

        Args:
            concept_type: ``skill`` or ``occupation``.
            semantic: Also load or build its embeddings (when the engine is semantic). False
                returns the lexical part at once, even while another thread embeds.
            progress: Receives the stages of a build.
            cancel: When set during a build, the build stops with :class:`BuildCancelled`.

        Raises:
            TaxonomyNotLoaded: Nothing imported yet.
            BuildCancelled: ``cancel`` was set.
        """
        now = time.monotonic()
        if self._stamp is None or now - self._checked > _STAMP_TTL:
            stamp = taxonomy_stamp(self._engine)
            self._checked = now
        else:
            stamp = self._stamp
        with self._lock:
            if self._stamp != stamp:
                self._indexes.clear()
                self._stamp = stamp
            found = self._indexes.get(concept_type)
            if found is None:
                if progress is not None:
                    progress.stage(f"Loading or building the {concept_type} lexical index")
                found = self._load_or_build(stamp, concept_type)
                self._indexes[concept_type] = found
        if semantic and self.semantic and found.minilm is None:
            with self._build_lock:
                if found.minilm is None:
                    self._add_embeddings(stamp, found, progress or NullProgress(), cancel)
        return found

    def load_models(self) -> None:
        """Load the encoders now (a second or two), so the first query is not the slow one."""
        if not self.semantic:
            return
        minilm, use = self._encoders()
        minilm.encode(["warm up"])
        use.encode(["warm up"])

    def _folder(self, stamp: str) -> Path:
        return self._cache_dir / f"v{_FORMAT_VERSION}-{stamp}"

    def _load_or_build(self, stamp: str, concept_type: str) -> _Index:
        path = self._folder(stamp) / f"{concept_type}-lexical.pickle"
        if path.exists():
            try:
                with path.open("rb") as handle:  # our own cache file in our data dir
                    corpus, lexical = pickle.load(handle)
                return self._wrap(corpus, lexical)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
                _log.warning("matching index cache %s unreadable; rebuilding", path)
        corpus = load_corpus(self._engine, concept_type)
        lexical = CharNgramIndex.fit(corpus.doc_text or ["-"])
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump((corpus, lexical), handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        return self._wrap(corpus, lexical)

    @staticmethod
    def _wrap(corpus: Corpus, lexical: CharNgramIndex) -> _Index:
        label_docs = np.flatnonzero(corpus.doc_kind != KINDS.index("description")).astype(np.int64)
        return _Index(
            corpus,
            lexical,
            corpus.starts,
            _Runs.of(corpus),
            label_docs=label_docs,
            label_runs=_Runs.of(corpus, label_docs),
        )

    def _add_embeddings(
        self,
        stamp: str,
        index: _Index,
        progress: Progress,
        cancel: threading.Event | None,
    ) -> None:
        corpus = index.corpus
        minilm, use = self._encoders()
        english = corpus.languages.index("en") if "en" in corpus.languages else -1
        minilm_docs = np.flatnonzero(corpus.doc_lang == english).astype(np.int64)
        use_docs = index.label_docs
        folder = self._folder(stamp)
        built: dict[str, tuple[npt.NDArray[np.int64], FloatArray]] = {}
        for name, encoder, docs in (("minilm", minilm, minilm_docs), ("use", use, use_docs)):
            path = folder / f"{corpus.concept_type}-{name}.npy"
            vectors: FloatArray | None = None
            if path.exists():
                try:
                    loaded = np.load(path, allow_pickle=False)
                    if loaded.shape == (len(docs), encoder.dimension):
                        vectors = loaded.astype(np.float32)
                except (OSError, ValueError):
                    vectors = None
            if vectors is None:
                vectors = self._encode(
                    encoder, [corpus.doc_text[i] for i in docs], progress, cancel
                )
                folder.mkdir(parents=True, exist_ok=True)
                tmp = folder / f"{corpus.concept_type}-{name}.tmp.npy"
                stored = vectors.astype(np.float16)
                np.save(tmp, stored)
                tmp.replace(path)
                # score with what a later process loads, so results do not depend on whether
                # this process built the index (float32 vectors scored up to 4e-5 apart)
                vectors = stored.astype(np.float32)
            built[name] = (docs, vectors)
        index.use_runs = index.runs_of(use_docs)  # the label documents' runs
        index.use_docs, index.use = built["use"]
        index.centroids = self._centroids(index, index.use, index.use_docs)
        # English labels, then English descriptions, within each concept (the corpus order)
        is_description = corpus.doc_kind[minilm_docs] == KINDS.index("description")
        index.minilm_runs = _Runs.of(corpus, minilm_docs, is_description.astype(np.intp), 2)
        # set last: a concurrent reader takes ``minilm is not None`` as "embeddings ready"
        index.minilm_docs, index.minilm = built["minilm"]

    @staticmethod
    def _encode(
        encoder: Any, texts: list[str], progress: Progress, cancel: threading.Event | None
    ) -> FloatArray:
        """Embed ``texts`` step by step, reporting progress and stopping when cancelled."""
        progress.stage(f"Embedding {len(texts):,} ESCO texts ({encoder.name})", len(texts))
        out = np.zeros((len(texts), encoder.dimension), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")  # similar lengths pad less
        for start in range(0, len(texts), _ENCODE_STEP):
            if cancel is not None and cancel.is_set():
                raise BuildCancelled("the matching index build was cancelled")
            step = order[start : start + _ENCODE_STEP]
            out[step] = encoder.encode([texts[i] for i in step])
            progress.advance(len(step))
        return out

    @staticmethod
    def _centroids(
        index: _Index, vectors: FloatArray | None, docs: npt.NDArray[np.int64] | None
    ) -> FloatArray | None:
        """One vector per concept (normalised mean of its label vectors) for fast mode."""
        if vectors is None or docs is None:
            return None
        n = len(index.corpus.uris)
        sums = np.zeros((n, vectors.shape[1]), dtype=np.float32)
        np.add.at(sums, index.corpus.doc_concept[docs], vectors)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        centroids: FloatArray = (sums / norms).astype(np.float32)
        return centroids

    def _static_centroids(self, index: _Index) -> FloatArray | None:
        """English fast mode: static MiniLM concept centroids, built on first use (seconds)."""
        if index.static_centroids is None and index.minilm_docs is not None:
            corpus = index.corpus
            self._encoders()
            with self._lock:
                if index.static_centroids is None and len(index.minilm_docs):
                    docs = index.minilm_docs
                    weights = self._static.token_weights([corpus.doc_text[i] for i in docs])
                    labels = docs[corpus.doc_kind[docs] != KINDS.index("description")]
                    vectors = self._static.encode([corpus.doc_text[i] for i in labels], weights)
                    index.static_weights = weights
                    index.static_centroids = self._centroids(index, vectors, labels)
        return index.static_centroids

    # --- language evidence ------------------------------------------------------------------

    def label_language_scores(self, query: str) -> dict[str, float]:
        """How closely ``query`` matches a label of each imported language (lexical cosine).

        Used to tell the language of a short text (a job title, a skill name), where letter
        statistics are no guide: ``Krankenpflegerin`` matches a German label exactly.

        Args:
            query: A cleaned query.

        Returns:
            For each language with labels, the best character n-gram cosine with one of them.
        """
        best: dict[str, float] = {}
        for concept_type in ("occupation", "skill"):
            index = self.index(concept_type, semantic=False)
            corpus = index.corpus
            if not corpus.doc_text:
                continue
            row = index.lexical.document_scores([query])
            docs = row.indices[row.data > 0]
            scores = row.data[row.data > 0]
            labels = corpus.doc_kind[docs] != KINDS.index("description")
            per_lang = np.zeros(len(corpus.languages), dtype=np.float32)
            np.maximum.at(per_lang, corpus.doc_lang[docs[labels]], scores[labels])
            for lang, score in zip(corpus.languages, per_lang.tolist(), strict=True):
                best[lang] = max(best.get(lang, 0.0), float(score))
        return best

    def imported_languages(self) -> set[str]:
        """Languages with at least one label of a skill or an occupation."""
        return {
            lang
            for concept_type in ("occupation", "skill")
            for lang in self.index(concept_type, semantic=False).corpus.languages
        }

    # --- scoring ----------------------------------------------------------------------------

    def _doc_weights(self, index: _Index, lang: str | None) -> FloatArray:
        corpus = index.corpus
        weights = WEIGHTS[corpus.concept_type]
        kind = np.array(weights.kind, dtype=np.float32)[corpus.doc_kind]
        lang_w = np.full(len(corpus.languages), weights.other_lang, dtype=np.float32)
        if lang is None:
            lang_w[:] = weights.same_lang
        else:
            if "en" in corpus.languages:
                lang_w[corpus.languages.index("en")] = weights.english
            if lang in corpus.languages:
                lang_w[corpus.languages.index(lang)] = weights.same_lang
        result: FloatArray = kind * lang_w[corpus.doc_lang]
        return result

    @staticmethod
    def _best_per_concept(
        index: _Index, doc_scores: FloatArray, docs: npt.NDArray[np.int64] | None = None
    ) -> tuple[FloatArray, _Argmax]:
        """Max over each concept's documents; returns (scores, where the best document is)."""
        runs = index.runs_of(docs)
        return runs.maxima(doc_scores)[0], runs.argmax(doc_scores)

    def _lexical_and_semantic(
        self,
        index: _Index,
        queries: list[str],
        lang: str | None,
        doc_w: FloatArray,
        *,
        adapter: FloatArray | None = None,
    ) -> tuple[FloatArray, _Semantic]:
        """Best lexical score per concept, and the semantic signals.

        The lexical lookup (a sparse product on one core, a quarter of the time of a batch)
        runs in a second thread while the queries are encoded; both release the GIL.
        """
        with ThreadPoolExecutor(1, "lexical") as pool:
            lexical = pool.submit(
                lambda: self._best_per_concept(index, self._lexical_scores(index, queries, doc_w))
            )
            signals = self._semantic(index, queries, lang, doc_w, adapter=adapter)
            return lexical.result()[0], signals

    @staticmethod
    def _lexical_scores(index: _Index, queries: list[str], doc_w: FloatArray) -> FloatArray:
        """``queries x documents`` weighted lexical cosines (dense, float32, weighted in place)."""
        scores: FloatArray = index.lexical.document_scores(queries).toarray()
        if scores.dtype != np.float32:
            scores = scores.astype(np.float32)
        scores *= doc_w[None, :]
        return scores

    def score(
        self,
        concept_type: str,
        queries: list[str],
        *,
        lang: str | None,
        top: int,
        mode: MatchMode = MatchMode.DEFAULT,
        semantic: bool = True,
    ) -> list[list[Candidate]]:
        """Rank the concepts of one type for each query.

        Args:
            concept_type: ``skill`` or ``occupation``.
            queries: Cleaned query texts.
            lang: The queries' language, or ``None`` (all languages alike).
            top: How many candidates per query.
            mode: ``default`` or ``fast``.
            semantic: False ranks with the lexical index alone, on the lexical-only path and
                its calibration curve (as without the ``ml`` extra), and never waits for an
                embedding build another thread is running.

        Returns:
            For each query, the best ``top`` candidates, best first, scores in ``[0, 1]``.

        Raises:
            TaxonomyNotLoaded: Nothing imported yet.
        """
        semantic = semantic and self.semantic
        index = self.index(concept_type, semantic=semantic)
        corpus = index.corpus
        if not corpus.uris or not queries:
            return [[] for _ in queries]
        weights = WEIGHTS[concept_type]
        doc_w = self._doc_weights(index, lang)
        queries = [fold_capitals(q) for q in queries]  # "DIRECTORES" -> "Directores"
        if concept_type == "occupation":  # "Pfleger/in (m/w/d)" -> "Pfleger"
            queries = [normalise_job_title(q, lang) for q in queries]
        if mode is MatchMode.FAST:
            return self._score_fast(index, queries, lang, top, doc_w, semantic=semantic)
        # German titles with a compound are also scored split ("Personal Manager"); each
        # concept then gets the mean of both scores
        split = self._split_compounds(index, queries, lang)
        queries = queries + [text for _, text in split]
        path = self._path(index, lang, semantic=semantic)
        if path == "lexical":
            lexical_docs = self._lexical_scores(index, queries, doc_w)
            lexical, lexical_arg = self._best_per_concept(index, lexical_docs)
            fused = lexical + weights.lexical_only_prior * corpus.prior[None, :]
            fused = self._merge_split(fused, split)
            return self._top(fused, lexical_arg, top, weights.calibration("lexical"))
        lexical, signals = self._lexical_and_semantic(index, queries, lang, doc_w)
        fused = self._merge_split(self._fuse(weights, signals, lexical, corpus.prior), split)
        if path == "reranked":
            k = max(CANDIDATES, top)
            candidates, features = self._candidates(index, queries, signals, lexical, fused, k)
            reranker = self.reranker()
            assert reranker is not None
            scores = reranker.predict(features.reshape(-1, len(FEATURES)))
            reranked = np.full_like(fused, -50.0)  # never returned: top <= k
            np.put_along_axis(reranked, candidates, scores.reshape(candidates.shape), axis=1)
            return self._top(reranked, signals.label_arg, top, weights.calibration("reranked"))
        return self._top(fused, signals.label_arg, top, weights.calibration(path))

    def path(self, concept_type: str, lang: str | None, *, semantic: bool = True) -> str:
        """The scoring path (and calibration curve) :meth:`score` takes for these arguments.

        Loads the index as :meth:`score` would (with ``semantic``, waiting for its embeddings).

        Returns:
            ``reranked``, ``default``, ``multilingual`` or ``lexical``.
        """
        semantic = semantic and self.semantic
        return self._path(self.index(concept_type, semantic=semantic), lang, semantic=semantic)

    def _path(self, index: _Index, lang: str | None, *, semantic: bool) -> str:
        return scoring_path(
            lang,
            semantic=semantic and index.minilm is not None,
            reranker=index.corpus.concept_type == "skill" and self.reranker() is not None,
        )

    @staticmethod
    def _split_compounds(
        index: _Index, queries: list[str], lang: str | None
    ) -> list[tuple[int, str]]:
        """``(row, split text)`` of the German occupation queries holding a compound."""
        corpus = index.corpus
        if lang != "de" or corpus.concept_type != "occupation" or "de" not in corpus.languages:
            return []
        if index.compounds is None:
            german = corpus.languages.index("de")
            docs = np.flatnonzero(
                (corpus.doc_lang == german) & (corpus.doc_kind != KINDS.index("description"))
            )
            index.compounds = CompoundSplitter(corpus.doc_text[d] for d in docs)
        split = [(row, index.compounds.split(query)) for row, query in enumerate(queries)]
        return [(row, text) for row, text in split if text != queries[row]]

    @staticmethod
    def _merge_split(fused: FloatArray, split: list[tuple[int, str]]) -> FloatArray:
        """The original queries' rows, each averaged with its split form's row."""
        n = fused.shape[0] - len(split)
        merged = fused[:n].copy()
        for extra, (row, _) in enumerate(split):
            merged[row] = (fused[row] + fused[n + extra]) / 2
        return merged

    @staticmethod
    def _fuse(
        weights: Weights, signals: _Semantic, lexical: FloatArray, prior: FloatArray
    ) -> FloatArray:
        fused: FloatArray = (
            signals.label
            + weights.description * signals.description
            + weights.lexical * lexical
            + weights.prior * prior[None, :]
        )
        if signals.centroid is not None:
            fused += weights.centroid * signals.centroid
        if signals.english is not None:
            fused += weights.english_label * np.maximum(signals.english, -1.0)
        return fused

    def reranker(self) -> Reranker | None:
        """The shipped skill reranker (loaded once), or ``None`` when it is not shipped."""
        if not self._reranker_loaded:
            self._reranker = load_reranker()
            self._reranker_loaded = True
        return self._reranker

    def skill_candidates(
        self, queries: list[str], *, adapter: FloatArray | None = None, k: int = CANDIDATES
    ) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """English skill candidates and their reranking features (for training the reranker).

        Args:
            queries: Cleaned English queries.
            adapter: A query adapter to use instead of the shipped one (cross-fitting).
            k: Candidates per query.

        Returns:
            ``queries x k`` concept indexes (best fused score first) and their
            ``queries x k x len(FEATURES)`` features.
        """
        index = self.index("skill")
        doc_w = self._doc_weights(index, "en")
        lexical, signals = self._lexical_and_semantic(index, queries, "en", doc_w, adapter=adapter)
        fused = self._fuse(WEIGHTS["skill"], signals, lexical, index.corpus.prior)
        return self._candidates(index, queries, signals, lexical, fused, k)

    def _candidates(
        self,
        index: _Index,
        queries: list[str],
        signals: _Semantic,
        lexical: FloatArray,
        fused: FloatArray,
        k: int,
    ) -> tuple[npt.NDArray[np.int64], FloatArray]:
        assert signals.raw_vectors is not None
        assert signals.vectors is not None
        if index.knowledge is None:
            index.knowledge = load_skill_knowledge(self._engine, index.corpus.uris)
        preferred = self._preferred_vectors(index)
        return candidate_features(
            label=signals.label,
            description=signals.description,
            lexical=lexical,
            prior=index.corpus.prior,
            fused=fused,
            preferred_raw=signals.raw_vectors @ preferred.T,
            preferred_adapted=signals.vectors @ preferred.T,
            knowledge=index.knowledge,
            query_words=np.array([len(q.split()) for q in queries], dtype=np.float32),
            k=k,
        )

    @staticmethod
    def _preferred_vectors(index: _Index) -> FloatArray:
        """Each concept's English preferred-label MiniLM vector (zero when it has none)."""
        if index.preferred_vectors is None:
            assert index.minilm is not None
            assert index.minilm_docs is not None
            corpus = index.corpus
            vectors = np.zeros((len(corpus.uris), index.minilm.shape[1]), dtype=np.float32)
            rows = np.flatnonzero(corpus.doc_kind[index.minilm_docs] == KINDS.index("preferred"))
            vectors[corpus.doc_concept[index.minilm_docs[rows]]] = index.minilm[rows]
            index.preferred_vectors = vectors
        return index.preferred_vectors

    def _semantic(
        self,
        index: _Index,
        queries: list[str],
        lang: str | None,
        doc_w: FloatArray,
        *,
        adapter: FloatArray | None = None,
    ) -> _Semantic:
        corpus = index.corpus
        minilm, use = self._encoders()
        assert index.minilm is not None
        assert index.minilm_docs is not None
        assert index.use is not None
        assert index.use_docs is not None
        if lang in (None, "en"):
            raw_vectors = minilm.encode(queries)
            vectors = raw_vectors
            adapter = self._adapter if adapter is None else adapter
            if corpus.concept_type == "skill" and adapter is not None:
                vectors = raw_vectors @ adapter
                vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
            sims = vectors @ index.minilm.T
            sims *= doc_w[index.minilm_docs][None, :]
            assert index.minilm_runs is not None
            label, description = index.minilm_runs.maxima(sims)  # one pass, both parts
            label_arg = index.minilm_runs.argmax(sims, part=0)
            if lang is None:  # unknown language: let the multilingual model have a say too
                use_sims = (use.encode(queries) @ index.use.T) * doc_w[index.use_docs][None, :]
                multi, _ = self._best_per_concept(index, use_sims, index.use_docs)
                label = np.maximum(label, multi)
            return _Semantic(label, label_arg, np.maximum(description, 0.0), raw_vectors, vectors)
        use_vectors = use.encode(queries)
        use_sims = (use_vectors @ index.use.T) * doc_w[index.use_docs][None, :]
        label, label_arg = self._best_per_concept(
            index, use_sims.astype(np.float32), index.use_docs
        )
        signals = _Semantic(label, label_arg, np.zeros_like(label))
        weights = WEIGHTS[corpus.concept_type]
        if weights.centroid and index.centroids is not None:
            signals.centroid = use_vectors @ index.centroids.T
        if weights.english_label:
            columns, runs = index.english_use_runs()
            if len(columns):
                signals.english = runs.maxima(use_sims[:, columns].astype(np.float32))[0]
        return signals

    def _fast_encoder(self, index: _Index) -> StaticUSEEncoder:
        """Fast mode's multilingual encoder, its table loaded or built (about 40 s, once)."""
        self._encoders()
        encoder: StaticUSEEncoder = self._static_use
        if not encoder.ready:
            corpus = index.corpus
            encoder.prepare(lambda: context_sample([corpus.doc_text[i] for i in index.label_docs]))
        return encoder

    def _score_fast(
        self,
        index: _Index,
        queries: list[str],
        lang: str | None,
        top: int,
        doc_w: FloatArray,
        *,
        semantic: bool,
    ) -> list[list[Candidate]]:
        """Fast mode: one matrix product against concept centroids (see ``docs/matching.md``).

        English queries use the static MiniLM table, other languages (and unknown ones) the
        static multilingual USE table against the real USE label centroids; without the ``ml``
        extra (or not ``semantic``), labels-only TF-IDF. Each path has its own calibration curve.
        """
        corpus = index.corpus
        semantic_prior, lexical_prior = FAST_PRIOR[corpus.concept_type]
        prior = semantic_prior * corpus.prior[None, :]
        fixed = _Argmax(None, None, None, fixed=index.starts)
        static = self._static_centroids(index) if semantic and lang == "en" else None
        if static is not None:
            with one_blas_thread():
                fused = self._static.encode(queries, index.static_weights) @ static.T + prior
            return self._top(fused, fixed, top, fast_calibration(corpus.concept_type, "en"))
        if semantic and index.centroids is not None:
            encoder = self._fast_encoder(index)
            with one_blas_thread():
                fused = encoder.encode(queries) @ index.centroids.T + prior
            calibration = fast_calibration(corpus.concept_type, "multilingual")
            return self._top(fused, fixed, top, calibration)
        # no embeddings: preferred and alternative labels only, no descriptions
        lexical_docs = index.lexical.document_scores(queries)
        lexical_docs = lexical_docs[:, index.label_docs].toarray().astype(np.float32)
        lexical, arg = self._best_per_concept(
            index, lexical_docs * doc_w[index.label_docs][None, :], index.label_docs
        )
        fused = lexical + lexical_prior * corpus.prior[None, :]
        return self._top(fused, arg, top, fast_calibration(corpus.concept_type, "lexical"))

    @staticmethod
    def _top(
        fused: FloatArray,
        arg: _Argmax,
        top: int,
        calibration: tuple[float, float],
    ) -> list[list[Candidate]]:
        slope, midpoint = calibration
        k = min(top, fused.shape[1])
        out: list[list[Candidate]] = []
        for row in range(fused.shape[0]):
            part = np.argpartition(-fused[row], k - 1)[:k]
            order = part[np.argsort(-fused[row, part], kind="stable")]
            probs = 1.0 / (1.0 + np.exp(-slope * (fused[row, order] - midpoint)))
            out.append(
                [
                    Candidate(
                        int(c),
                        float(np.clip(p, 0.0, 1.0)),
                        arg.get(row, int(c)),
                        float(fused[row, c]),
                    )
                    for c, p in zip(order, probs, strict=True)
                ]
            )
        return out
