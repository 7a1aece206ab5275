"""Character 3–5-gram TF-IDF over ESCO labels and descriptions.

Character n-grams inside word boundaries (``char_wb``) tolerate inflection, compounds and typos in
any language using the Latin, Greek or Cyrillic script, and are the strongest purely lexical
signal on job-advert sentences and occupation titles (see ``docs/matching.md``). Each document is
one label or description; a concept scores as its best document, weighted by label kind and
language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["CharNgramIndex"]

FloatArray = npt.NDArray[np.float32]

_COMMON_NGRAM_SHARE = 0.1
_PRUNE_FROM_DOCUMENTS = 1_000


@dataclass
class CharNgramIndex:
    """A fitted vectoriser and the L2-normalised document matrix (documents sorted by concept).

    Build with :meth:`fit`; query with :meth:`document_scores`.
    """

    vectorizer: Any
    matrix: Any  # scipy.sparse.csr_matrix, documents x n-grams

    @classmethod
    def fit(cls, texts: list[str]) -> CharNgramIndex:
        """Fit the vocabulary and IDF on ``texts`` and index them.

        Args:
            texts: One string per document.

        Returns:
            The index.
        """
        from sklearn.feature_extraction.text import TfidfVectorizer

        # n-grams in over 10 % of documents carry little and dropping them is 3x faster, but on
        # a small taxonomy (a demo, a test, a custom framework) the cut-off would drop nearly
        # every n-gram (below 10 documents, all of them), so it applies from 1,000 documents up
        max_df = _COMMON_NGRAM_SHARE if len(texts) >= _PRUNE_FROM_DOCUMENTS else 1.0
        vectorizer = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            sublinear_tf=True,
            min_df=1,
            max_df=max_df,
            lowercase=True,
            strip_accents="unicode",
            dtype=np.float32,
        )
        matrix = vectorizer.fit_transform(texts).tocsr()
        return cls(vectorizer=vectorizer, matrix=matrix)

    def document_scores(self, queries: list[str]) -> Any:
        """Cosine similarity of each query with each document.

        Args:
            queries: Query texts.

        Returns:
            A sparse ``queries x documents`` matrix (CSR).
        """
        query_matrix = self.vectorizer.transform(queries)
        # the n-grams x documents matrix in CSR, made once: multiplying by ``matrix.T`` (CSC)
        # converted the whole document matrix on every call, a quarter of a lexical lookup
        transposed = getattr(self, "_transposed", None)
        if transposed is None:
            transposed = self.matrix.T.tocsr()
            self._transposed = transposed
        return (query_matrix @ transposed).tocsr()
