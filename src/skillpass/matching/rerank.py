"""Learned reranking of the English skill candidates (default mode).

The fused score (:mod:`skillpass.matching.engine`) is a hand-weighted sum of four signals. The
reranker re-orders each query's best :data:`CANDIDATES` concepts by a small gradient-boosted tree
ensemble over those signals and what ESCO knows about each skill:

* the signals themselves (adapted label similarity, description similarity, lexical, prior,
  fused) and their distance to the query's best candidate, and the fused rank;
* the *unadapted* MiniLM similarity with the English preferred label (the adapter's correction
  and the pretrained model's opinion both count);
* skill type (knowledge or skill/competence) and reuse level (transversal … occupation-specific);
* **coherence**: how many of the query's other top candidates are required by an occupation that
  also requires this skill (job-advert sentences name skills that go together).

The trees are trained by ``scripts/train_matching_reranker.py`` on SkillSkape **train** only, with
the query adapter cross-fitted (features of each half of train come from an adapter trained on
the other half, so the reranker never sees the adapter's memorised training sentences). They
ship as plain arrays (``data/skill_reranker.npz``, no pickle) and are evaluated here with NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, select

from skillpass.storage.tables import concepts, occupation_skills

__all__ = [
    "CANDIDATES",
    "FEATURES",
    "RERANKER_PATH",
    "Reranker",
    "SkillKnowledge",
    "candidate_features",
    "load_reranker",
    "load_skill_knowledge",
]

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

#: The shipped tree ensemble.
RERANKER_PATH = Path(__file__).with_name("data") / "skill_reranker.npz"
#: Candidates per query re-ordered by the reranker (the fused score's best ones; 30 and 50
#: score alike on SkillSkape dev, 30 is faster).
CANDIDATES = 30
#: Top candidates (by fused score) a candidate's coherence is counted against.
_COHERENCE_TOP = 10
_REUSE_LEVELS = ("transversal", "cross-sector", "sector-specific", "occupation-specific")

#: Feature names, in column order (the training script stores them with the model).
FEATURES = (
    "label",
    "description",
    "lexical",
    "prior",
    "fused",
    "fused_gap",
    "label_gap",
    "lexical_gap",
    "log_rank",
    "label_rank",
    "preferred_raw",
    "preferred_adapted",
    "knowledge",
    *(f"reuse_{level}" for level in _REUSE_LEVELS),
    "coherence",
    "query_words",
)


@dataclass(frozen=True)
class SkillKnowledge:
    """What ESCO says about each skill, aligned with a corpus's concepts."""

    #: ``concepts x (1 + len(_REUSE_LEVELS))``: knowledge flag, reuse level one-hot.
    attributes: FloatArray
    #: Sparse ``skills x occupations`` (CSR, 0/1): which occupations require each skill.
    occupations: Any


def load_skill_knowledge(engine: Engine, uris: list[str]) -> SkillKnowledge:
    """Skill type, reuse level and occupation links of the skills ``uris``, from the database.

    Args:
        engine: The database holding the taxonomy.
        uris: The corpus's skill URIs (row order of the result).

    Returns:
        The knowledge, aligned with ``uris``.
    """
    import scipy.sparse  # type: ignore[import-untyped]

    position = {uri: i for i, uri in enumerate(uris)}
    attributes = np.zeros((len(uris), 1 + len(_REUSE_LEVELS)), dtype=np.float32)
    with engine.connect() as conn:
        for uri, skill_type, reuse in conn.execute(
            select(concepts.c.uri, concepts.c.skill_type, concepts.c.reuse_level).where(
                concepts.c.type == "skill"
            )
        ):
            row = position.get(uri)
            if row is None:
                continue
            attributes[row, 0] = float(skill_type == "knowledge")
            if reuse in _REUSE_LEVELS:
                attributes[row, 1 + _REUSE_LEVELS.index(reuse)] = 1.0
        links = conn.execute(
            select(occupation_skills.c.skill_uri, occupation_skills.c.occupation_uri)
        ).all()
    occupation_ids: dict[str, int] = {}
    rows, cols = [], []
    for skill, occupation in links:
        row = position.get(skill)
        if row is not None:
            rows.append(row)
            cols.append(occupation_ids.setdefault(occupation, len(occupation_ids)))
    matrix = scipy.sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)),
        shape=(len(uris), max(len(occupation_ids), 1)),
    )
    matrix.data[:] = 1.0  # duplicate links count once
    return SkillKnowledge(attributes=attributes, occupations=matrix)


def candidate_features(
    *,
    label: FloatArray,
    description: FloatArray,
    lexical: FloatArray,
    prior: FloatArray,
    fused: FloatArray,
    preferred_raw: FloatArray,
    preferred_adapted: FloatArray,
    knowledge: SkillKnowledge,
    query_words: npt.NDArray[np.float32],
    k: int = CANDIDATES,
) -> tuple[IntArray, FloatArray]:
    """The best ``k`` concepts of each query by fused score and their reranking features.

    Args:
        label: ``queries x concepts`` best weighted label similarity (adapted MiniLM).
        description: Same shape, best description similarity.
        lexical: Same shape, best lexical similarity.
        prior: ``concepts`` log-scaled occupation count.
        fused: ``queries x concepts`` fused score.
        preferred_raw: ``queries x concepts`` unadapted MiniLM similarity with the English
            preferred label (only the candidates' entries are read).
        preferred_adapted: Same with the adapted query vector.
        knowledge: From :func:`load_skill_knowledge`.
        query_words: ``queries`` number of words of each query.
        k: Candidates per query.

    Returns:
        ``queries x k`` candidate concept indexes (best fused first) and the
        ``queries x k x len(FEATURES)`` feature array.
    """
    n_queries, n_concepts = fused.shape
    k = min(k, n_concepts)
    part = np.argpartition(-fused, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(fused, part, axis=1), axis=1, kind="stable")
    candidates: IntArray = np.take_along_axis(part, order, axis=1).astype(np.int64)

    def take(matrix: FloatArray) -> FloatArray:
        return np.take_along_axis(matrix, candidates, axis=1)

    lab, desc, lex, fus = take(label), take(description), take(lexical), take(fused)
    label_rank = np.argsort(np.argsort(-lab, axis=1, kind="stable"), axis=1, kind="stable")
    coherence = _coherence(candidates, knowledge.occupations)
    features = np.stack(
        [
            lab,
            desc,
            lex,
            prior[candidates],
            fus,
            fus - fus[:, :1],
            lab - lab.max(axis=1, keepdims=True),
            lex - lex.max(axis=1, keepdims=True),
            np.broadcast_to(np.log1p(np.arange(k, dtype=np.float32)), (n_queries, k)),
            np.log1p(label_rank.astype(np.float32)),
            take(preferred_raw),
            take(preferred_adapted),
            *np.moveaxis(knowledge.attributes[candidates], 2, 0),
            coherence,
            np.broadcast_to(np.log1p(query_words)[:, None], (n_queries, k)),
        ],
        axis=2,
    ).astype(np.float32)
    return candidates, features


def _coherence(candidates: IntArray, occupations: Any) -> FloatArray:
    """Share of the query's other top candidates sharing an occupation with each candidate."""
    n_queries, k = candidates.shape
    top = min(_COHERENCE_TOP, k)
    out = np.zeros((n_queries, k), dtype=np.float32)
    for row in range(n_queries):
        cand = occupations[candidates[row]]
        shared = (cand @ occupations[candidates[row, :top]].T).toarray() > 0
        shared[np.arange(top), np.arange(top)] = False  # a candidate does not count itself
        out[row] = shared.sum(axis=1) / max(top - 1, 1)
    return out


@dataclass(frozen=True)
class Reranker:
    """A gradient-boosted tree ensemble stored as flat arrays (evaluated with NumPy).

    Every tree's nodes are rows of the shared arrays; ``roots[t]`` is tree ``t``'s first node.
    A node goes left when ``x[feature] <= threshold``; a leaf holds its value.
    """

    features: tuple[str, ...]
    baseline: float
    roots: IntArray
    feature: IntArray
    threshold: FloatArray
    left: IntArray
    right: IntArray
    leaf: npt.NDArray[np.bool_]
    value: FloatArray
    depth: int

    def predict(self, x: FloatArray) -> FloatArray:
        """Raw scores (log-odds of being a gold skill) for feature rows ``x`` (``rows x F``)."""
        # leaves point to themselves, so every row may take ``depth`` steps; children[2n + 1]
        # is node n's right child, children[2n] its left one
        width = x.shape[1]
        loops = np.flatnonzero(self.leaf)
        left, right = self.left.copy(), self.right.copy()
        left[loops] = right[loops] = loops
        children = np.stack([left, right], axis=1).ravel()
        flat = np.ascontiguousarray(x, dtype=np.float32).ravel()
        base = (np.arange(len(x), dtype=np.int64) * width)[:, None]
        node = np.broadcast_to(self.roots[None, :], (len(x), len(self.roots)))
        for _ in range(self.depth):  # all trees at once, one level per step
            go_right = flat[base + self.feature[node]] > self.threshold[node]
            node = children[2 * node + go_right]
        result: FloatArray = (self.baseline + self.value[node].sum(axis=1)).astype(np.float32)
        return result

    @classmethod
    def from_sklearn(cls, model: Any) -> Reranker:
        """Flatten a fitted binary ``HistGradientBoostingClassifier`` over :data:`FEATURES`."""
        trees = [predictors[0].nodes for predictors in model._predictors]
        sizes = [len(tree) for tree in trees]
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        nodes = np.concatenate(trees)
        shift = np.repeat(offsets, sizes)
        return cls(
            features=FEATURES,
            baseline=float(np.ravel(model._baseline_prediction)[0]),
            roots=offsets,
            feature=nodes["feature_idx"].astype(np.int64),
            threshold=nodes["num_threshold"].astype(np.float32),
            left=(nodes["left"] + shift).astype(np.int64),
            right=(nodes["right"] + shift).astype(np.int64),
            leaf=nodes["is_leaf"].astype(bool),
            value=nodes["value"].astype(np.float32),
            depth=int(nodes["depth"].max()),
        )

    def save(self, path: Path) -> None:
        """Write the ensemble as an ``.npz`` of plain arrays (no pickle)."""
        np.savez_compressed(
            path,
            features=np.array(self.features),
            baseline=np.array([self.baseline], dtype=np.float64),
            roots=self.roots.astype(np.int32),
            feature=self.feature.astype(np.int16),
            threshold=self.threshold.astype(np.float32),
            left=self.left.astype(np.int32),
            right=self.right.astype(np.int32),
            leaf=self.leaf,
            value=self.value.astype(np.float32),
            depth=np.array([self.depth], dtype=np.int32),
        )


def load_reranker(path: Path = RERANKER_PATH) -> Reranker | None:
    """The shipped reranker, or ``None`` when absent or built for other features."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        features = tuple(str(name) for name in data["features"])
        if features != FEATURES:
            return None
        return Reranker(
            features=features,
            baseline=float(data["baseline"][0]),
            roots=data["roots"].astype(np.int64),
            feature=data["feature"].astype(np.int64),
            threshold=data["threshold"].astype(np.float32),
            left=data["left"].astype(np.int64),
            right=data["right"].astype(np.int64),
            leaf=data["leaf"].astype(bool),
            value=data["value"].astype(np.float32),
            depth=int(data["depth"][0]),
        )
