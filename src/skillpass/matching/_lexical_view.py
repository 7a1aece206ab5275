"""A view of a :class:`~skillpass.matching.engine.MatchingEngine` that never waits for embeddings.

While a background warm-up embeds the whole ESCO (minutes on two cores), the engine's
:meth:`~skillpass.matching.engine.MatchingEngine.score` waits for that build to finish. The view
scores with the same engine code on the same in-memory indexes, but asks for their lexical part
only (``index(concept_type, semantic=False)``, which answers at once while another thread embeds)
and, being non-semantic, takes the engine's lexical-only path with its own calibration curve
(``Weights.calibration("lexical")``, fitted like the others).

The view relies on one contract of the engine: ``score`` reads its index through ``self.index``.
A ``score(..., semantic=False)`` keyword on the engine itself would make this module unnecessary.
"""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import Engine

from skillpass.matching.engine import MatchingEngine, _Index
from skillpass.progress import Progress

__all__ = ["LexicalView"]


class LexicalView(MatchingEngine):
    """Scores with ``source``'s lexical indexes only; loads no model and embeds nothing.

    Args:
        source: The engine whose indexes are read (and, when missing, loaded or built lexically).
        database: The database ``source`` reads.
        cache_dir: ``source``'s cache folder.
    """

    def __init__(self, source: MatchingEngine, database: Engine, cache_dir: Path) -> None:
        super().__init__(database, cache_dir, semantic=False)
        self._source = source

    def index(
        self,
        concept_type: str,
        *,
        semantic: bool = True,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> _Index:
        """``source``'s index of one concept type, never waiting for its embeddings.

        Args:
            concept_type: ``skill`` or ``occupation``.
            semantic: Ignored: the view is lexical.
            progress: Receives the stages of a lexical build.
            cancel: Unused by lexical builds.

        Raises:
            TaxonomyNotLoaded: Nothing imported yet.
        """
        return self._source.index(concept_type, semantic=False, progress=progress, cancel=cancel)
