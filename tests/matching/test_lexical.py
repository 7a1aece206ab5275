"""The character n-gram index on taxonomies of every size."""

from __future__ import annotations

import pytest

from skillpass.matching.lexical import CharNgramIndex


@pytest.mark.parametrize("size", [1, 3, 9])
def test_small_taxonomy_is_indexed_and_ranks_the_matching_label_first(size: int) -> None:
    labels = [
        "welding",
        "nursing care",
        "python programming",
        "bake bread",
        "drive trucks",
        "teach mathematics",
        "repair engines",
        "translate documents",
        "audit accounts",
    ]
    index = CharNgramIndex.fit(labels[:size])
    scores = index.document_scores(["welding metal"]).toarray()[0]
    assert scores.shape == (size,)
    assert scores.argmax() == 0
    assert scores[0] > 0


def test_large_corpus_drops_ngrams_common_to_most_documents() -> None:
    texts = [f"manage item {i} {chr(97 + i % 26)}{chr(97 + i // 26 % 26)}zq" for i in range(2_000)]
    index = CharNgramIndex.fit(texts)
    vocabulary = index.vectorizer.vocabulary_
    assert " ma" not in vocabulary  # in every document: pruned
    assert any(term.endswith("zq") for term in vocabulary)
