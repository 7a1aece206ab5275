"""Reads what the matching engine indexes from the taxonomy tables.

A *document* is one preferred, alternative or hidden label or one description, in one language.
German and other gendered ESCO labels written ``Leiter/Leiterin`` or ``Referent/in für X`` also
yield each form alone.
Documents are sorted by concept so a concept's best document is found with one ``reduceat``.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, func, select

from skillpass.errors import TaxonomyNotLoaded
from skillpass.storage.tables import concept_labels, concepts, occupation_skills, taxonomy_imports

__all__ = ["KINDS", "Corpus", "label_forms", "load_corpus", "taxonomy_stamp"]

KINDS = ("preferred", "alt", "hidden", "description")
_GENDER_SLASH = re.compile(r"\s*/\s*")
#: What follows the slash of a short feminine form: "Referent/in", "infirmier/e", "enfermero/a".
_SHORT_SUFFIX = re.compile(r"-?(?:in|innen|e|ne|a|esse)")


@dataclass
class Corpus:
    """The concepts of one type and their documents."""

    concept_type: str
    uris: list[str]
    label_en: list[str]
    preferred: dict[str, list[str]]  # lang -> preferred label per concept ("" when missing)
    detail: list[str | None]  # skill_type for skills, ISCO unit group for occupations
    prior: npt.NDArray[np.float32]
    doc_text: list[str]
    doc_concept: npt.NDArray[np.int32]
    doc_kind: npt.NDArray[np.int8]
    doc_lang: npt.NDArray[np.int16]
    languages: list[str]

    @property
    def starts(self) -> npt.NDArray[np.intp]:
        """Index of each concept's first document (documents are sorted by concept)."""
        return np.searchsorted(self.doc_concept, np.arange(len(self.uris))).astype(np.intp)


def taxonomy_stamp(engine: Engine) -> str:
    """A key that changes with every import into this database.

    Raises:
        TaxonomyNotLoaded: Nothing imported yet.
    """
    with engine.connect() as conn:
        newest, count = conn.execute(select(func.max(taxonomy_imports.c.id), func.count())).one()
        version = conn.execute(select(func.max(concepts.c.version))).scalar()
    if not count:
        raise TaxonomyNotLoaded(
            "No ESCO taxonomy is imported yet. Download ESCO (CSV, classification) from "
            "https://esco.ec.europa.eu/en/use-esco/download and run "
            "`skillpass taxonomy import PATH` (or set SKILLPASS_ESCO)."
        )
    url = engine.url.render_as_string(hide_password=True)
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    return f"{version or 'unknown'}-{digest}-{newest}-{count}"


def label_forms(text: str, lang: str) -> list[str]:
    """The label itself, plus each gendered form of a label written with a slash (not English).

    ``Leiter/Leiterin`` gives ``Leiter`` and ``Leiterin``; a short form keeps the words that
    follow it: ``Referent/in für Wohnungsbau`` gives ``Referent für Wohnungsbau`` and
    ``Referentin für Wohnungsbau`` (not ``Referent`` and ``in für Wohnungsbau``), as does
    ``Leiter/Leiterin der Agentur für Arbeit``. Other slashes split into their parts.
    """
    text = text.strip()
    if lang == "en" or "/" not in text:
        return [text]
    parts = [p.strip() for p in _GENDER_SLASH.split(text)]
    if len(parts) == 2 and all(parts):
        paired = _paired_forms(*parts)
        if paired:
            return [text, *paired]
    parts = [p for p in parts if len(p) >= 3]
    return [text, *parts] if len(parts) >= 2 else [text]


def _paired_forms(left: str, right: str) -> list[str]:
    """The two forms of ``left/right`` when one side is a short form or a one-word variant."""
    left_words, right_words = left.split(), right.split()
    first = right_words[0]
    if _SHORT_SUFFIX.fullmatch(first):  # "Referent/in für X", "infirmier/e"
        suffix = first.lstrip("-")
        stem = left[:-1] if suffix == "a" and left.endswith("o") else left  # enfermero/a
        tail = right_words[1:]
        return [" ".join([*left_words, *tail]), " ".join([stem + suffix, *tail])]
    if len(left_words) == 1 and len(right_words) > 1 and _same_stem(left, first):
        return [" ".join([left, *right_words[1:]]), right]  # "Leiter/Leiterin der Agentur"
    if len(right_words) == 1 and len(left_words) > 1 and _same_stem(left_words[0], first):
        return [left, " ".join([first, *left_words[1:]])]  # "Leiter der Agentur/Leiterin"
    return []


def _same_stem(a: str, b: str) -> bool:
    return len(a) >= 3 and a[:3].casefold() == b[:3].casefold()


def load_corpus(engine: Engine, concept_type: str) -> Corpus:
    """Load the concepts of one type (``skill`` or ``occupation``) and their documents.

    Args:
        engine: The database.
        concept_type: ``skill`` or ``occupation``.

    Returns:
        The corpus (possibly empty).
    """
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                concepts.c.uri,
                concepts.c.preferred_label,
                concepts.c.skill_type,
                concepts.c.isco_group,
            )
            .where(concepts.c.type == concept_type)
            .order_by(concepts.c.uri)
        ).all()
        uri_index = {row[0]: i for i, row in enumerate(rows)}
        label_rows = conn.execute(
            select(
                concept_labels.c.concept_uri,
                concept_labels.c.lang,
                concept_labels.c.kind,
                concept_labels.c.text,
            )
            .join(concepts, concepts.c.uri == concept_labels.c.concept_uri)
            .where(concepts.c.type == concept_type)
        ).all()
        column = (
            occupation_skills.c.skill_uri
            if concept_type == "skill"
            else occupation_skills.c.occupation_uri
        )
        counts: Counter[str] = Counter(
            dict(conn.execute(select(column, func.count()).group_by(column)).all())
        )
    languages: dict[str, int] = {}
    preferred: dict[str, list[str]] = defaultdict(lambda: [""] * len(rows))
    docs: list[tuple[int, int, int, str]] = []
    seen: set[tuple[int, int, str]] = set()
    kind_ids = {kind: i for i, kind in enumerate(KINDS)}
    for uri, lang, kind, text in label_rows:
        concept = uri_index.get(uri)
        if concept is None or kind not in kind_ids or not text or not text.strip():
            continue
        lang_id = languages.setdefault(lang, len(languages))
        if kind == "preferred":
            preferred[lang][concept] = text.strip()
        for form in label_forms(text, lang) if kind != "description" else [text.strip()]:
            key = (concept, lang_id, form.casefold())
            if kind != "description" and key in seen:
                continue
            seen.add(key)
            docs.append((concept, kind_ids[kind], lang_id, form))
    docs.sort(key=lambda d: (d[0], d[1]))
    prior = np.array([math.log1p(counts.get(row[0], 0)) for row in rows], dtype=np.float32)
    if prior.size and prior.max() > 0:
        prior /= prior.max()
    return Corpus(
        concept_type=concept_type,
        uris=[row[0] for row in rows],
        label_en=[row[1] for row in rows],
        preferred=dict(preferred),
        detail=[row[2] if concept_type == "skill" else row[3] for row in rows],
        prior=prior,
        doc_text=[d[3] for d in docs],
        doc_concept=np.array([d[0] for d in docs], dtype=np.int32),
        doc_kind=np.array([d[1] for d in docs], dtype=np.int8),
        doc_lang=np.array([d[2] for d in docs], dtype=np.int16),
        languages=list(languages),
    )
