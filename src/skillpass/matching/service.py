"""Use cases of the matching engine: match, match in batches, extract skills from longer text.

Build it with :func:`from_app` (or ``MatchingService(engine, data_dir)``); nothing is loaded until
the first query, when the index is read from ``<data_dir>/matching-index`` or built from the
imported taxonomy (a few seconds lexical only; a few minutes once with the ``ml`` extra).
:meth:`MatchingService.warm_up` does that work up front (with progress);
:meth:`MatchingService.warm_up_in_background` does it in a daemon thread that
:meth:`MatchingService.close` (called by ``SkillPass.close``) and interpreter exit stop.

Cold start: a warm-up loads the lexical indexes first (seconds), then embeds (minutes). Meanwhile
:meth:`MatchingService.match_skills_now`, :meth:`MatchingService.match_occupations_now` and
:meth:`MatchingService.extract_now` answer from the lexical index alone and say so
(``semantic_pending``, ``ranked_by``); :meth:`MatchingService.lexical_ready` tells when they can.
The other methods (and the batches) wait for the whole engine. The background thread runs at the
lowest CPU priority, so requests served meanwhile stay quick.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, TypeVar

from sqlalchemy import Engine

from skillpass.errors import InvalidInput, TaxonomyNotLoaded
from skillpass.matching.models import (
    EvidenceSpan,
    ExtractedSkill,
    ExtractionResult,
    MatchMode,
    OccupationMatch,
    SkillMatch,
)
from skillpass.matching.text import (
    EU_LANGUAGES,
    MAX_EXTRACT_CHARS,
    clean_query,
    split_pieces,
    split_spans,
)
from skillpass.matching.text import detect_language as detect_statistically
from skillpass.progress import NullProgress, Progress

if TYPE_CHECKING:
    from skillpass.app import SkillPass
    from skillpass.matching.engine import Candidate, MatchingEngine

__all__ = [
    "EXTRACTION_THRESHOLD",
    "EXTRACTION_THRESHOLDS",
    "FAST_EXTRACTION_THRESHOLD",
    "MAX_TOP",
    "BatchItem",
    "Extraction",
    "MatchingService",
    "OccupationMatches",
    "RankedBy",
    "SkillMatches",
    "default_threshold",
    "from_app",
]

#: Calibrated score a skill needs in extraction, default mode, per scoring path (each path has
#: its own calibration curve, ``Weights.calibration``): English through the learned reranker
#: (``reranked``), English without a shipped reranker (``default``), every other language
#: (``multilingual``), no ``ml`` extra (``lexical``). On SkillSkape dev pseudo-adverts
#: (``benchmarks/matching.py --tasks extract``), the lowest threshold whose F1 is within 0.01 of
#: the path's best: the curves are flat near their peaks, so recall is preferred. Except
#: ``multilingual``, kept at 0.2: its dev figures come from English sentences sent with
#: ``lang="de"``, which score far higher than real German or French text (at its dev choice, 0.5,
#: sample German and French adverts gave no skill at all). Figures in ``docs/matching.md``.
#: Until round 4 every path used 0.2.
EXTRACTION_THRESHOLDS: Mapping[str, float] = MappingProxyType(
    {"reranked": 0.3, "default": 0.3, "multilingual": 0.2, "lexical": 0.6}
)
#: Default mode's threshold when the scoring path is not known: the usual path's (English,
#: reranked). Was 0.2, every path's, until round 4.
EXTRACTION_THRESHOLD = EXTRACTION_THRESHOLDS["reranked"]
#: The same in fast mode (its own calibration curves); with one skill per span and per piece,
#: the best mean F1 of the three fast paths on SkillSkape dev (see docs).
FAST_EXTRACTION_THRESHOLD = 0.15
#: Most matches returned per query.
MAX_TOP = 100
_BATCH = 64
#: Skills kept per span (and per piece of a span), by mode.
_SPAN_TOP = {MatchMode.DEFAULT: 5, MatchMode.FAST: 1}
#: Also match the pieces of a span that lists several skills (see ``split_pieces``); the
#: benchmark switches it off to measure what it brings.
SPLIT_PIECES = True

T = TypeVar("T")
#: Which index ranked a result: ``semantic`` (sentence embeddings fused with the lexical index)
#: or ``lexical`` (the lexical index alone: no ``ml`` extra, or embeddings still being built).
RankedBy = Literal["semantic", "lexical"]
_log = logging.getLogger(__name__)
#: Seconds :meth:`MatchingService.close` waits for a cancelled background warm-up to stop.
_CLOSE_TIMEOUT = 30.0
#: Texts shorter than this (characters or words) are "short": labels tell their language.
_SHORT_TEXT_CHARS = 40
_SHORT_TEXT_WORDS = 5
#: Lexical cosine with a label that counts as evidence of its language, and the lead needed.
_LABEL_EVIDENCE = 0.5
_LABEL_MARGIN = 0.1
#: Nice value of the background warm-up thread (Linux: per thread; ONNX Runtime's worker threads,
#: started from it, inherit it). Requests then get the CPU first: a cold label-search index built
#: while the lexical matching index was being built took 7.6-9.4 s, 2.5-2.7 s with it (2 cores).
_WARM_UP_NICENESS = 19

# Services with a background warm-up thread; stopped before the interpreter finalises, so no
# thread is inside ONNX Runtime or NumPy when the process exits.
_background: weakref.WeakSet[MatchingService] = weakref.WeakSet()
_background_lock = threading.Lock()
_atexit_registered = False


def _stop_background_warm_ups() -> None:
    with _background_lock:
        services = list(_background)
    for service in services:
        service.close()


@dataclass(frozen=True)
class BatchItem:
    """One line of a batch: an id and its text."""

    id: str
    text: str


@dataclass(frozen=True)
class SkillMatches:
    """Skill matches, and which index ranked them (:meth:`MatchingService.match_skills_now`).

    Attributes:
        matches: Best first, as :meth:`MatchingService.match_skills` returns them.
        semantic_pending: True when the sentence embeddings were still being built, so the
            lexical index alone ranked these; their scores then follow the lexical-only
            calibration curve (``docs/matching.md``), and matches improve once it is built.
        ranked_by: ``lexical`` while embeddings are pending and without them (no ``ml`` extra),
            else ``semantic``.
    """

    matches: list[SkillMatch]
    semantic_pending: bool
    ranked_by: RankedBy


@dataclass(frozen=True)
class OccupationMatches:
    """Occupation matches, and which index ranked them (see :class:`SkillMatches`).

    Attributes:
        matches: Best first, as :meth:`MatchingService.match_occupations` returns them.
        semantic_pending: True when the lexical index alone ranked them because the sentence
            embeddings were still being built.
        ranked_by: ``lexical`` or ``semantic``.
    """

    matches: list[OccupationMatch]
    semantic_pending: bool
    ranked_by: RankedBy


@dataclass(frozen=True)
class Extraction:
    """An extraction, and which index ranked its spans (:meth:`MatchingService.extract_now`).

    Attributes:
        result: As :meth:`MatchingService.extract` returns it; while embeddings are pending its
            threshold is the lexical path's (:data:`EXTRACTION_THRESHOLDS`) unless one was given.
        semantic_pending: True when the lexical index alone ranked the spans because the
            sentence embeddings were still being built.
        ranked_by: ``lexical`` or ``semantic``.
    """

    result: ExtractionResult
    semantic_pending: bool
    ranked_by: RankedBy


def _lower_priority() -> None:
    """Lower the calling thread's CPU priority (Linux; elsewhere, or when refused, nothing)."""
    if not hasattr(os, "setpriority"):
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _WARM_UP_NICENESS)
    except OSError:
        _log.debug("could not lower the matching warm-up thread's priority", exc_info=True)


def default_threshold(mode: MatchMode, path: str | None = None) -> float:
    """The extraction threshold used when none is given.

    Args:
        mode: ``fast`` has one threshold for all its paths; ``default`` one per scoring path.
        path: The scoring path that ranks the text's spans (:meth:`MatchingEngine.path`); when
            omitted, :data:`EXTRACTION_THRESHOLD`.

    Returns:
        A calibrated score in ``[0, 1]``.
    """
    if mode is MatchMode.FAST:
        return FAST_EXTRACTION_THRESHOLD
    if path is None:
        return EXTRACTION_THRESHOLD
    return EXTRACTION_THRESHOLDS[path]


def _clean_or_none(text: str) -> str | None:
    """The cleaned span or piece, or None for one without enough letters ("€ 3.000", "C++")."""
    try:
        return clean_query(text)
    except InvalidInput:
        return None


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class MatchingService:
    """Matches free text to ESCO skills and occupations.

    Args:
        engine: The database holding the imported taxonomy.
        data_dir: The data dir; indexes are cached in ``data_dir/matching-index``.
        semantic: Use sentence embeddings when the ``ml`` extra is installed (default true).
    """

    def __init__(self, engine: Engine, data_dir: Path, *, semantic: bool = True) -> None:
        self._db = engine
        self._cache_dir = data_dir / "matching-index"
        self._semantic = semantic
        self._engine: MatchingEngine | None = None
        self._engine_lock = threading.Lock()
        self._warm_lock = threading.Lock()
        self._warm = False
        self._closed = False
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._done = threading.Event()
        self._lexical_done = threading.Event()
        self._lexical_loaded = False
        self._failure: BaseException | None = None

    @property
    def engine(self) -> MatchingEngine:
        """The engine (created on first use; nothing heavy happens before)."""
        with self._engine_lock:
            if self._engine is None:
                from skillpass.matching.engine import MatchingEngine

                self._engine = MatchingEngine(self._db, self._cache_dir, semantic=self._semantic)
            return self._engine

    @property
    def semantic(self) -> bool:
        """True when sentence embeddings are in use (``ml`` extra installed and enabled)."""
        return self.engine.semantic

    def _semantic_pending(self, concept_type: str) -> bool:
        """Whether a ``*_now`` method ranks ``concept_type`` lexically, embeddings being built.

        True when the engine is semantic, the index in memory has no embeddings yet and a
        background warm-up is preparing them (started here when none runs; again after a new
        taxonomy import, which replaces the indexes of a warm engine). False when they are in
        memory, or when no warm-up will bring them (the service is closed, or the warm-up ended
        without them): the caller then takes the waiting path, which builds what is missing.

        Raises:
            TaxonomyNotLoaded: No ESCO imported yet.
        """
        engine = self.engine
        # "minilm is set" is the engine's own "embeddings ready" (set last by a build)
        if not engine.semantic or engine.index(concept_type, semantic=False).minilm is not None:
            return False
        with self._warm_lock:
            self._warm = False  # a warm engine without embeddings: a taxonomy was imported since
        return not self.warm_up_in_background().is_set()

    # --- warming up -------------------------------------------------------------------------

    @property
    def warm(self) -> bool:
        """True once a warm-up finished: queries answer without building anything."""
        return self._warm

    def warm_up(self, progress: Progress | None = None) -> None:
        """Load or build every index the default mode needs, and load the models, now.

        Idempotent and cheap once done (the indexes stay in memory; a new taxonomy import is
        picked up by the next query). The first build with the ``ml`` extra takes minutes on
        two cores; ``progress`` shows it.

        Args:
            progress: Receives the stages of the work (``skillpass.progress.Progress``).

        Raises:
            TaxonomyNotLoaded: No ESCO imported yet.
        """
        self._warm_up(progress or NullProgress(), None, self._lexical_done)

    def _warm_up(
        self, progress: Progress, cancel: threading.Event | None, lexical_done: threading.Event
    ) -> None:
        # lexical first (seconds), so match_skills_now can answer while the embeddings are built
        engine = self.engine
        for concept_type in ("skill", "occupation"):
            engine.index(concept_type, semantic=False, progress=progress)
        self._lexical_loaded = True
        lexical_done.set()
        progress.stage("Loading the language detector")
        detect_statistically("warm up the language detector")
        for concept_type in ("skill", "occupation"):
            engine.index(concept_type, progress=progress, cancel=cancel)
        progress.stage("Loading the models")
        engine.load_models()
        self._warm = True

    def lexical_ready(self, timeout: float = 0.0) -> bool:
        """Whether the ``*_now`` methods can answer now, waiting up to ``timeout`` seconds.

        A warm-up loads the lexical indexes first (full ESCO, 2 cores: about 3 s from the cache
        in a new process, mostly importing scikit-learn; about 15 s to build them), then embeds
        for minutes.

        Args:
            timeout: Seconds to wait for the lexical stage of a warm-up still running.

        Returns:
            True once a warm-up loaded the lexical indexes, or when the last background warm-up
            ended early (no ESCO imported, say: a query then raises that error quickly); False
            while they are being built, or when no warm-up was started.
        """
        return self._lexical_done.wait(timeout)

    def warm_up_in_background(self) -> threading.Event:
        """Start :meth:`warm_up` in a daemon thread (once), for servers that must not wait.

        A warm-up that failed (no ESCO imported yet, say) is started again by the next call.
        :meth:`close` cancels it; so does interpreter exit. Queries made meanwhile still work
        (they wait for the index they need).

        Returns:
            An event set when the warm-up has finished, well or not (see :attr:`warm`).
        """
        global _atexit_registered
        with self._warm_lock:
            if self._warm or self._closed:
                done = threading.Event()
                done.set()
                return done
            if self._thread is not None and self._thread.is_alive():
                return self._done
            self._done = threading.Event()
            if self._lexical_done.is_set() and not self._lexical_loaded:
                self._lexical_done = threading.Event()  # set by a failed try; none waits on it
            self._failure = None
            self._thread = threading.Thread(
                target=self._background_warm_up,
                args=(self._done, self._lexical_done),
                name="skillpass-matching-warm-up",
                daemon=True,
            )
            with _background_lock:
                _background.add(self)
                if not _atexit_registered:
                    atexit.register(_stop_background_warm_ups)
                    _atexit_registered = True
            self._thread.start()
            return self._done

    def _background_warm_up(self, done: threading.Event, lexical_done: threading.Event) -> None:
        from skillpass.matching.engine import BuildCancelled

        _lower_priority()
        try:
            self._warm_up(NullProgress(), self._cancel, lexical_done)
        except (BuildCancelled, TaxonomyNotLoaded) as error:
            self._failure = error
        except Exception as error:  # the caller's own query reports it
            _log.warning("warming up the matching engine failed", exc_info=True)
            self._failure = error
        finally:
            lexical_done.set()
            done.set()

    def close(self) -> None:
        """Stop a background warm-up (waiting a few seconds for it), and start none again.

        Queries still work afterwards; they build what they need in the caller's thread.
        """
        with self._warm_lock:
            self._closed = True
            self._cancel.set()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(_CLOSE_TIMEOUT)
            if thread.is_alive():
                _log.warning("the matching warm-up thread did not stop within %s s", _CLOSE_TIMEOUT)
        with _background_lock:
            _background.discard(self)

    # --- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _check_top(top: int) -> int:
        if not 1 <= top <= MAX_TOP:
            raise InvalidInput(f"top must be between 1 and {MAX_TOP}; got {top}.")
        return top

    @staticmethod
    def _check_lang(lang: str | None) -> str | None:
        if lang is None:
            return None
        lang = lang.strip().lower()
        if lang not in EU_LANGUAGES:
            raise InvalidInput(
                f"Unknown language {lang!r}: use an ISO 639-1 code of an EU language "
                "(e.g. en, de, fr), or leave it out to detect it."
            )
        return lang

    def detect_language(self, text: str) -> str | None:
        """The language of ``text``, or ``None`` when it cannot be told (then every imported
        language is weighed alike).

        Longer texts go to the statistical detector. For short ones (a job title, a skill
        name) letter statistics are no guide (``Krankenpflegerin`` reads as Danish to them), so
        the labels decide: the language whose ESCO label the text matches clearly best, else
        the detector's guess only when it is confident and labels in that language are imported.

        Args:
            text: A text in any EU language.

        Returns:
            An ISO 639-1 code, or ``None``.

        Raises:
            TaxonomyNotLoaded: No ESCO imported yet (short texts only).
        """
        text = text.strip()[:2000]
        if len(text) >= _SHORT_TEXT_CHARS and len(text.split()) >= _SHORT_TEXT_WORDS:
            return detect_statistically(text)
        scores = self.engine.label_language_scores(text)
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        if ranked and ranked[0][1] >= _LABEL_EVIDENCE:
            runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
            return ranked[0][0] if ranked[0][1] - runner_up >= _LABEL_MARGIN else None
        guess = detect_statistically(text)
        return guess if guess in scores and len(text.split()) >= 3 else None

    def _language(self, texts: list[str], lang: str | None) -> str | None:
        if lang is not None:
            return lang
        return self.detect_language(" ".join(texts)[:2000])

    def _label(self, concept_type: str, index: int, lang: str | None) -> str:
        corpus = self.engine.index(concept_type, semantic=False).corpus
        if lang and lang in corpus.preferred and corpus.preferred[lang][index]:
            return corpus.preferred[lang][index]
        return corpus.label_en[index]

    def _skill(self, c: Candidate, lang: str | None) -> SkillMatch:
        corpus = self.engine.index("skill", semantic=False).corpus
        return SkillMatch(
            uri=corpus.uris[c.index],
            label=self._label("skill", c.index, lang),
            score=round(c.score, 4),
            matched_label=corpus.doc_text[c.matched] if c.matched >= 0 else "",
            skill_type=corpus.detail[c.index],
        )

    def _occupation(self, c: Candidate, lang: str | None) -> OccupationMatch:
        corpus = self.engine.index("occupation", semantic=False).corpus
        return OccupationMatch(
            uri=corpus.uris[c.index],
            label=self._label("occupation", c.index, lang),
            score=round(c.score, 4),
            matched_label=corpus.doc_text[c.matched] if c.matched >= 0 else "",
            isco_group=corpus.detail[c.index],
        )

    def _ranked_by(self, semantic: bool) -> RankedBy:
        """``semantic`` when a call asked for embeddings and the engine has them, else lexical."""
        return "semantic" if semantic and self.engine.semantic else "lexical"

    # --- single -----------------------------------------------------------------------------

    def _match(
        self,
        concept_type: str,
        text: str,
        lang: str | None,
        top: int,
        mode: MatchMode,
        *,
        now: bool,
    ) -> tuple[list[Candidate], str | None, bool]:
        """One query's candidates, the language used, and whether embeddings were pending
        (only ``now`` ranks lexically while they are built; the input is checked first)."""
        query = clean_query(text)
        top = self._check_top(top)
        lang = self._language([query], self._check_lang(lang))
        pending = now and self._semantic_pending(concept_type)
        found = self.engine.score(
            concept_type, [query], lang=lang, top=top, mode=mode, semantic=not pending
        )
        return found[0], lang, pending

    def match_skills(
        self,
        text: str,
        lang: str | None = None,
        top: int = 10,
        *,
        mode: MatchMode = MatchMode.DEFAULT,
    ) -> list[SkillMatch]:
        """The ESCO skills that best match a phrase or sentence, best first.

        Args:
            text: A skill name, a learning outcome or a job-advert sentence (cut at 1,000 chars).
            lang: ISO 639-1 language of ``text``; detected when omitted.
            top: How many matches (1–100).
            mode: ``default`` (most accurate) or ``fast`` (bulk).

        Returns:
            The matches, best first.

        Raises:
            InvalidInput: Empty text, text without words, a bad ``top`` or language.
            TaxonomyNotLoaded: No ESCO imported yet.
        """
        found, lang, _ = self._match("skill", text, lang, top, mode, now=False)
        return [self._skill(c, lang) for c in found]

    def match_skills_now(
        self,
        text: str,
        lang: str | None = None,
        top: int = 10,
        *,
        mode: MatchMode = MatchMode.DEFAULT,
    ) -> SkillMatches:
        """:meth:`match_skills` that never waits for sentence embeddings being built.

        While a background warm-up is still embedding the skills (minutes, once; this starts
        one when their embeddings are not in memory), the lexical index alone ranks them, on
        the lexical-only path and calibration curve, and the result says so; once the
        embeddings are there, this is :meth:`match_skills`. It still loads the lexical index
        when it is not in memory (seconds): ask :meth:`lexical_ready` first to avoid that wait.

        Args:
            text: A skill name, a learning outcome or a job-advert sentence (cut at 1,000 chars).
            lang: ISO 639-1 language of ``text``; detected when omitted.
            top: How many matches (1–100).
            mode: ``default`` or ``fast``.

        Returns:
            The matches, best first, and whether the embeddings were still pending.

        Raises:
            InvalidInput: Empty text, text without words, a bad ``top`` or language.
            TaxonomyNotLoaded: No ESCO imported yet.
        """
        found, lang, pending = self._match("skill", text, lang, top, mode, now=True)
        return SkillMatches(
            [self._skill(c, lang) for c in found], pending, self._ranked_by(not pending)
        )

    def match_occupations(
        self,
        title: str,
        lang: str | None = None,
        top: int = 10,
        *,
        mode: MatchMode = MatchMode.DEFAULT,
    ) -> list[OccupationMatch]:
        """The ESCO occupations that best match a job title, best first.

        Args:
            title: A job title in any EU language (cut at 1,000 chars).
            lang: ISO 639-1 language of ``title``; detected when omitted.
            top: How many matches (1–100).
            mode: ``default`` or ``fast``.

        Returns:
            The matches, best first.

        Raises:
            InvalidInput: Empty title, no words, a bad ``top`` or language.
            TaxonomyNotLoaded: No ESCO imported yet.
        """
        found, lang, _ = self._match("occupation", title, lang, top, mode, now=False)
        return [self._occupation(c, lang) for c in found]

    def match_occupations_now(
        self,
        title: str,
        lang: str | None = None,
        top: int = 10,
        *,
        mode: MatchMode = MatchMode.DEFAULT,
    ) -> OccupationMatches:
        """:meth:`match_occupations` that never waits for sentence embeddings being built.

        Like :meth:`match_skills_now`: while a background warm-up embeds the occupations, the
        lexical index alone ranks them (lexical-only calibration) and the result says so.

        Args:
            title: A job title in any EU language (cut at 1,000 chars).
            lang: ISO 639-1 language of ``title``; detected when omitted.
            top: How many matches (1–100).
            mode: ``default`` or ``fast``.

        Returns:
            The matches, best first, and whether the embeddings were still pending.

        Raises:
            InvalidInput: Empty title, no words, a bad ``top`` or language.
            TaxonomyNotLoaded: No ESCO imported yet.
        """
        found, lang, pending = self._match("occupation", title, lang, top, mode, now=True)
        return OccupationMatches(
            [self._occupation(c, lang) for c in found], pending, self._ranked_by(not pending)
        )

    # --- batch ------------------------------------------------------------------------------

    def _batch(
        self,
        concept_type: str,
        items: Iterable[BatchItem],
        lang: str | None,
        top: int,
        mode: MatchMode,
    ) -> Iterator[tuple[str, list[SkillMatch] | list[OccupationMatch] | None]]:
        top = self._check_top(top)
        lang = self._check_lang(lang)
        for chunk in _chunks(items, _BATCH):
            cleaned: list[tuple[str, str]] = []
            results: dict[int, list[Candidate] | None] = {}
            for i, item in enumerate(chunk):
                try:
                    cleaned.append((str(i), clean_query(item.text)))
                except InvalidInput:
                    results[i] = None
            if cleaned:
                query_lang = lang or self._language([t for _, t in cleaned], None)
                scored = self.engine.score(
                    concept_type, [t for _, t in cleaned], lang=query_lang, top=top, mode=mode
                )
                for (key, _), found in zip(cleaned, scored, strict=True):
                    results[int(key)] = found
            else:
                query_lang = lang
            for i, item in enumerate(chunk):
                answer = results.get(i)
                if answer is None:
                    yield item.id, None
                elif concept_type == "skill":
                    yield item.id, [self._skill(c, query_lang) for c in answer]
                else:
                    yield item.id, [self._occupation(c, query_lang) for c in answer]

    def match_skills_batch(
        self,
        items: Iterable[BatchItem],
        lang: str | None = None,
        top: int = 10,
        *,
        mode: MatchMode = MatchMode.DEFAULT,
    ) -> Iterator[tuple[str, list[SkillMatch] | None]]:
        """Match many texts to skills, streaming: items are read and answered in small batches.

        Args:
            items: ``BatchItem(id, text)`` in any number (read lazily).
            lang: Language of every text; detected per batch when omitted.
            top: Matches per item (1–100).
            mode: ``default`` or ``fast``.

        Yields:
            ``(id, matches)``; ``matches`` is ``None`` for a text with no words to match.

        Raises:
            InvalidInput: A bad ``top`` or language.
        """
        yield from self._batch("skill", items, lang, top, mode)  # type: ignore[misc]

    def match_occupations_batch(
        self,
        items: Iterable[BatchItem],
        lang: str | None = None,
        top: int = 10,
        *,
        mode: MatchMode = MatchMode.DEFAULT,
    ) -> Iterator[tuple[str, list[OccupationMatch] | None]]:
        """Match many job titles to occupations, streaming (see :meth:`match_skills_batch`).

        Args:
            items: ``BatchItem(id, text)`` (read lazily).
            lang: Language of every title; detected per batch when omitted.
            top: Matches per item (1–100).
            mode: ``default`` or ``fast``.

        Yields:
            ``(id, matches)``; ``matches`` is ``None`` for a title with no words.

        Raises:
            InvalidInput: A bad ``top`` or language.
        """
        yield from self._batch("occupation", items, lang, top, mode)  # type: ignore[misc]

    # --- extraction -------------------------------------------------------------------------

    def _skill_path(self, lang: str | None, mode: MatchMode, *, semantic: bool) -> str | None:
        """The default-mode scoring path of skill queries in ``lang`` (``None`` in fast mode)."""
        if mode is MatchMode.FAST:
            return None
        return self.engine.path("skill", lang, semantic=semantic)

    def extract(
        self,
        text: str,
        lang: str | None = None,
        *,
        threshold: float | None = None,
        mode: MatchMode = MatchMode.DEFAULT,
    ) -> ExtractionResult:
        """The skills present in a longer text (job advert, CV section, course description).

        The text is split into sentences and spans (long sentences at commas and conjunctions);
        each span is matched; a skill is reported when its calibrated score reaches
        ``threshold`` in at least one span, with every span that supports it as evidence.

        Args:
            text: The text; at most 100,000 characters are read (the rest is reported as cut).
            lang: ISO 639-1 language; detected when omitted.
            threshold: Calibrated score needed (0–1); by default the one of the mode and of
                the scoring path the text's language takes (:func:`default_threshold`,
                documented in ``docs/matching.md``). The result states the one used.
            mode: ``default`` or ``fast``.

        Returns:
            The skills, highest score first, with evidence spans (character offsets in ``text``).

        Raises:
            InvalidInput: Empty text, text without words, a bad threshold or language.
            TaxonomyNotLoaded: No ESCO imported yet.
        """
        return self._extract(text, lang, threshold, mode, now=False)[0]

    def extract_now(
        self,
        text: str,
        lang: str | None = None,
        *,
        threshold: float | None = None,
        mode: MatchMode = MatchMode.DEFAULT,
    ) -> Extraction:
        """:meth:`extract` that never waits for sentence embeddings being built.

        Like :meth:`match_skills_now`: while a background warm-up embeds the skills, the
        lexical index alone ranks the spans, and the default threshold is the lexical path's
        (:data:`EXTRACTION_THRESHOLDS`; the result states it); the answer says so.

        Args:
            text: The text; at most 100,000 characters are read (the rest is reported as cut).
            lang: ISO 639-1 language; detected when omitted.
            threshold: Calibrated score needed (0–1); by default the scoring path's.
            mode: ``default`` or ``fast``.

        Returns:
            The extraction, and whether the embeddings were still pending.

        Raises:
            InvalidInput: Empty text, text without words, a bad threshold or language.
            TaxonomyNotLoaded: No ESCO imported yet.
        """
        result, pending = self._extract(text, lang, threshold, mode, now=True)
        return Extraction(result, pending, self._ranked_by(not pending))

    def _extract(
        self,
        text: str,
        lang: str | None,
        threshold: float | None,
        mode: MatchMode,
        *,
        now: bool,
    ) -> tuple[ExtractionResult, bool]:
        """The extraction, and whether embeddings were pending (see :meth:`_match`)."""
        if not isinstance(text, str):
            raise InvalidInput("Send the text to extract skills from as a string.")
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise InvalidInput(f"threshold must be between 0 and 1; got {threshold}.")
        truncated = len(text) > MAX_EXTRACT_CHARS
        body = text[:MAX_EXTRACT_CHARS]
        clean_query(body[:2000], limit=2000)  # rejects empty and binary input clearly
        spans = split_spans(body)
        if not spans:
            raise InvalidInput("The text holds no sentences to match; send plain text.")
        lang = self._check_lang(lang) or self.detect_language(body[:2000])
        pending = now and self._semantic_pending("skill")
        semantic = not pending
        if threshold is None:
            threshold = default_threshold(mode, self._skill_path(lang, mode, semantic=semantic))
        found: dict[int, list[EvidenceSpan]] = {}
        best: dict[int, float] = {}
        for chunk in _chunks(spans, _BATCH):
            queries: list[str] = []
            owner: list[int] = []  # which span of the chunk each query reads
            for number, span in enumerate(chunk):
                pieces = split_pieces(span.text, lang) if SPLIT_PIECES else []
                for query in [span.text, *pieces]:
                    cleaned = _clean_or_none(query)
                    if cleaned is not None:
                        queries.append(cleaned)
                        owner.append(number)
            if not queries:
                continue
            scored = self.engine.score(
                "skill", queries, lang=lang, top=_SPAN_TOP[mode], mode=mode, semantic=semantic
            )
            per_span: dict[int, dict[int, Candidate]] = {}
            for number, candidates in zip(owner, scored, strict=True):
                seen = per_span.setdefault(number, {})
                for c in candidates:
                    if c.index not in seen or c.score > seen[c.index].score:
                        seen[c.index] = c
            for number, span in enumerate(chunk):
                for c in per_span.get(number, {}).values():
                    if c.score < threshold:
                        continue
                    found.setdefault(c.index, []).append(
                        EvidenceSpan(
                            start=span.start, end=span.end, text=span.text, score=round(c.score, 4)
                        )
                    )
                    best[c.index] = max(best.get(c.index, 0.0), c.score)
        corpus = self.engine.index("skill", semantic=False).corpus
        skills = [
            ExtractedSkill(
                uri=corpus.uris[i],
                label=self._label("skill", i, lang),
                score=round(best[i], 4),
                skill_type=corpus.detail[i],
                evidence=found[i],
            )
            for i in sorted(best, key=lambda k: -best[k])
        ]
        result = ExtractionResult(
            lang=lang or "und",
            threshold=threshold,
            spans=len(spans),
            truncated=truncated,
            skills=skills,
        )
        return result, pending


def from_app(skillpass: SkillPass) -> MatchingService:
    """Build the matching service of a SkillPass instance (cheap; loads nothing).

    Args:
        skillpass: The composed application.

    Returns:
        A service on its database and data dir.
    """
    return MatchingService(skillpass.engine, skillpass.settings.data_dir)
