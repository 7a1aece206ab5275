"""Near-duplicate detection of re-posted and cross-posted job adverts (pure NumPy MinHash + LSH).

An advert is a duplicate of one seen before when they have the **same employer** (normalised)
and their normalised **title + text** are near-identical:

1. *Normalise*: lower case, accents and punctuation removed, whitespace collapsed.
2. *Exact fast path*: a BLAKE2b hash of employer + normalised title + text; equal hash,
   duplicate (no MinHash needed). An advert id already stored is a duplicate too.
3. *MinHash*: the word 3-shingles of title + text are hashed (CRC-32 per word, combined per
   shingle) and :data:`NUM_PERM` multiply-shift hash functions give a signature of their minima;
   the share of equal signature entries estimates the Jaccard similarity of the shingle sets.
4. *LSH*: the signature is cut in :data:`BANDS` bands of :data:`ROWS` rows; adverts of the same
   employer sharing a band are candidates; a candidate whose estimated Jaccard reaches
   :data:`THRESHOLD` is a duplicate (the first one seen is kept).

An advert whose id (``source:id``) is already stored is ``resent``: skipped, counted, not
listed in ``duplicates.parquet``.

The reason is ``crosspost`` when the two came from different sources, ``repost`` otherwise.
Precision and recall on the synthetic generator's planted duplicates are in
``docs/intelligence.md``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "THRESHOLD",
    "DedupIndex",
    "Duplicate",
    "Fingerprint",
    "fingerprint",
    "normalise",
]

NUM_PERM = 64
BANDS = 21
ROWS = NUM_PERM // BANDS
#: Estimated Jaccard similarity of the shingle sets from which two adverts are duplicates.
THRESHOLD = 0.5
SHINGLE = 3
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_rng = np.random.default_rng(20240607)  # fixed: signatures stored in the store must stay valid
_A = _rng.integers(1, 2**63 - 1, NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63 - 1, NUM_PERM, dtype=np.uint64)
_MUL = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D], dtype=np.uint64)
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)

UInt32Array = npt.NDArray[np.uint32]


def normalise(text: str) -> str:
    """Lower case, without accents or punctuation, words separated by single spaces."""
    text = text.lower()
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_WORD.findall(text))


@dataclass(frozen=True)
class Fingerprint:
    """What deduplication keeps of one advert."""

    advert_id: str
    source: str
    employer: str  # normalised
    exact: bytes  # 16-byte BLAKE2b of employer + title + text, normalised
    signature: UInt32Array  # NUM_PERM MinHash values


@dataclass(frozen=True)
class Duplicate:
    """An advert found to duplicate an earlier one."""

    advert_id: str
    duplicate_of: str
    reason: str  # repost | crosspost | resent (the same advert id delivered again)


def _signature(words: list[str], cache: dict[str, int]) -> UInt32Array:
    if not words:
        return _EMPTY.copy()
    if len(cache) > 1_000_000:
        cache.clear()
    for word in set(words).difference(cache):
        cache[word] = zlib.crc32(word.encode())
    codes = np.fromiter((cache[w] for w in words), dtype=np.uint64, count=len(words))
    if len(codes) >= SHINGLE:
        n = len(codes) - SHINGLE + 1
        shingles = codes[:n] * _MUL[0] + codes[1 : n + 1] * _MUL[1] + codes[2 : n + 2] * _MUL[2]
    else:
        shingles = codes * _MUL[0]
    shingles = np.unique(shingles)
    hashed = (_A[:, None] * shingles[None, :] + _B[:, None]) >> np.uint64(32)
    signature: UInt32Array = hashed.min(axis=1).astype(np.uint32)
    return signature


def fingerprint(
    advert_id: str,
    source: str,
    employer: str,
    title: str,
    text: str,
    cache: dict[str, int] | None = None,
) -> Fingerprint:
    """The fingerprint of one advert.

    Args:
        advert_id: The advert's id in the store.
        source: Where it was posted.
        employer: The employer's id or name (normalised here).
        title: The job title.
        text: The advert's text.
        cache: A word-hash cache shared across calls (speed only).

    Returns:
        The exact hash and MinHash signature.
    """
    employer_key = normalise(employer)
    body = normalise(f"{title} {text}")
    exact = hashlib.blake2b(f"{employer_key}\x00{body}".encode(), digest_size=16).digest()
    signature = _signature(body.split(), cache if cache is not None else {})
    return Fingerprint(advert_id, source, employer_key, exact, signature)


class DedupIndex:
    """The adverts seen so far (earlier batches and this one), for duplicate look-ups."""

    def __init__(self) -> None:
        self._ids: set[str] = set()
        self._exact: dict[bytes, int] = {}
        self._buckets: dict[int, list[int]] = {}
        self._adverts: list[tuple[str, str]] = []  # (advert_id, source)
        self._signatures: list[UInt32Array] = []
        self.cache: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._adverts)

    def __contains__(self, advert_id: object) -> bool:
        return advert_id in self._ids

    @staticmethod
    def _keys(fp: Fingerprint) -> list[int]:
        raw = fp.signature.tobytes()
        step = ROWS * 4
        return [
            hash((fp.employer, band, raw[band * step : (band + 1) * step])) for band in range(BANDS)
        ]

    def add(self, fp: Fingerprint) -> None:
        """Remember an advert kept in the store."""
        number = len(self._adverts)
        self._ids.add(fp.advert_id)
        self._exact.setdefault(fp.exact, number)
        self._adverts.append((fp.advert_id, fp.source))
        self._signatures.append(fp.signature)
        for key in self._keys(fp):
            self._buckets.setdefault(key, []).append(number)

    def add_all(self, fingerprints: Iterable[Fingerprint]) -> None:
        """Remember many adverts (loading the store's earlier batches)."""
        for fp in fingerprints:
            self.add(fp)

    def _duplicate(self, fp: Fingerprint, number: int) -> Duplicate:
        original, source = self._adverts[number]
        return Duplicate(fp.advert_id, original, "repost" if source == fp.source else "crosspost")

    def find(self, fp: Fingerprint) -> Duplicate | None:
        """The earlier advert this one duplicates, if any.

        Args:
            fp: The advert's fingerprint.

        Returns:
            The duplicate relation, or ``None`` for a new advert.
        """
        if fp.advert_id in self._ids:
            return Duplicate(fp.advert_id, fp.advert_id, "resent")
        number = self._exact.get(fp.exact)
        if number is not None:
            return self._duplicate(fp, number)
        candidates: set[int] = set()
        for key in self._keys(fp):
            candidates.update(self._buckets.get(key, ()))
        best, best_score = -1, THRESHOLD
        for candidate in sorted(candidates):
            score = float(np.mean(self._signatures[candidate] == fp.signature))
            if score >= best_score and (best < 0 or score > best_score):
                best, best_score = candidate, score
        return self._duplicate(fp, best) if best >= 0 else None
