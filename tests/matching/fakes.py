"""A stand-in sentence encoder that holds an embedding build until released (cold-start tests)."""

from __future__ import annotations

import hashlib
import threading

import numpy as np
import pytest

from skillpass.matching import MatchingService

#: Seconds a blocked build waits at most: a test that wrongly waits for it fails on time, not hangs.
BLOCK_SECONDS = 20.0


class BlockedEncoder:
    """Embeds texts (deterministic unit vectors) once :attr:`release` is set.

    :attr:`started` is set when a build first asks it for vectors, i.e. while an index build is
    embedding; every call waits for :attr:`release` (at most :data:`BLOCK_SECONDS`).
    """

    name = "blocked-test-encoder"
    dimension = 8

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def encode(self, texts: list[str]) -> np.ndarray:
        self.started.set()
        self.release.wait(BLOCK_SECONDS)
        rows = [
            np.frombuffer(hashlib.sha256(text.encode()).digest()[: self.dimension], np.uint8)
            for text in texts
        ]
        vectors = np.array(rows, dtype=np.float32).reshape(len(texts), self.dimension) + 1.0
        normalised: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        return normalised


def block_embeddings(service: MatchingService, monkeypatch: pytest.MonkeyPatch) -> BlockedEncoder:
    """Make ``service`` semantic with :class:`BlockedEncoder` as both of its models.

    Works without the ``ml`` extra: no real model is loaded.
    """
    encoder = BlockedEncoder()
    engine = service.engine
    monkeypatch.setattr(engine, "semantic", True)
    monkeypatch.setattr(engine, "_encoders", lambda: (encoder, encoder))
    return encoder
