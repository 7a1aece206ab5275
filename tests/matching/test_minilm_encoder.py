"""The MiniLM encoder gives the same vectors however its texts are batched and threaded."""

from __future__ import annotations

import numpy as np
import pytest

from skillpass.matching.semantic import MiniLMEncoder, semantic_available

if not semantic_available():
    pytest.skip("the ml extra is not installed", allow_module_level=True)

TEXTS = [
    "Develop ETL processes in Python and SQL",
    "care for patients",
    "You will drive delivery trucks across the region and load and unload parcels every day.",
    "SQL",
    "Teach mathematics to secondary school students, prepare lessons and mark their homework.",
    "bake bread",
    "Experience with Kubernetes, Terraform and continuous integration pipelines is a plus.",
    "repair engines",
    "audit accounts",
    "Fluent English; German is an advantage",
    "translate documents",
]


def test_parallel_small_batches_give_the_vectors_of_one_serial_batch() -> None:
    serial = MiniLMEncoder(threads=1, batch_size=len(TEXTS)).encode(TEXTS)
    parallel = MiniLMEncoder(threads=2, batch_size=3).encode(TEXTS)
    assert serial.shape == (len(TEXTS), MiniLMEncoder.dimension)
    assert np.array_equal(parallel, serial)
    assert np.allclose(np.linalg.norm(parallel, axis=1), 1.0, atol=1e-5)


def test_hidden_states_split_over_threads_match_one_run() -> None:
    ids = np.stack([np.full(5, 101), np.arange(2000, 2005), np.full(5, 102)], axis=1)
    one = MiniLMEncoder(threads=1).hidden_states(ids.astype(np.int64))
    split = MiniLMEncoder(threads=2).hidden_states(ids.astype(np.int64))
    assert one.shape == (5, 3, MiniLMEncoder.dimension)
    assert np.array_equal(split, one)
