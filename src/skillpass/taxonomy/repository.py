"""Read access to the imported taxonomy tables (concept pages and listings)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import ColumnElement, Connection, Engine, and_, func, select

from skillpass.errors import NotFound
from skillpass.storage.tables import (
    concept_collections,
    concept_labels,
    concept_relations,
    concepts,
    occupation_skills,
    skill_skills,
)
from skillpass.taxonomy.models import (
    Concept,
    ConceptRef,
    ConceptType,
    LabelSet,
    Page,
    RelatedConcept,
)

__all__ = ["LabelRow", "get_concept", "iter_search_rows", "list_concepts"]

#: (concept uri, concept type, English preferred label, lang, label kind, label text)
LabelRow = tuple[str, str, str, str, str, str]

_ESCO_PREFIX = "http://data.europa.eu/esco/"
_RELATION_ORDER = {"essential": 0, "optional": 1}


def _resolve_uri(engine: Engine, uri_or_id: str) -> str:
    """Accept a full ESCO URI or its last path segment."""
    key = uri_or_id.strip()
    if not key:
        raise NotFound("Give a concept URI or id, e.g. 'ccd0a1d9-afda-43d9-b901-96344886e14d'.")
    with engine.connect() as conn:
        if key.startswith("http"):
            found = conn.execute(select(concepts.c.uri).where(concepts.c.uri == key)).scalar()
        else:
            found = conn.execute(
                select(concepts.c.uri)
                .where(concepts.c.uri.like(f"{_ESCO_PREFIX}%/{key}"))
                .order_by(concepts.c.uri)
                .limit(1)
            ).scalar()
    if found is None:
        raise NotFound(
            f"No ESCO concept '{uri_or_id}'. Search for it with "
            "`skillpass taxonomy search TEXT` or GET /api/v1/skills?q=TEXT.",
            details={"id": uri_or_id},
        )
    return str(found)


def get_concept(engine: Engine, uri_or_id: str) -> Concept:
    """Load a concept with labels, hierarchy, collections and relations.

    Args:
        engine: The database engine.
        uri_or_id: An ESCO URI or its last path segment.

    Returns:
        The concept (capability areas are filled in by the service).

    Raises:
        NotFound: No such concept.
    """
    uri = _resolve_uri(engine, uri_or_id)
    with engine.connect() as conn:
        row = conn.execute(select(concepts).where(concepts.c.uri == uri)).mappings().one()
        labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for lang, kind, text in conn.execute(
            select(concept_labels.c.lang, concept_labels.c.kind, concept_labels.c.text)
            .where(concept_labels.c.concept_uri == uri)
            .order_by(concept_labels.c.id)
        ):
            labels[lang][kind].append(text)
        label_sets = {
            lang: LabelSet(
                preferred=kinds.get("preferred", []),
                alt=kinds.get("alt", []),
                hidden=kinds.get("hidden", []),
                description="\n".join(kinds.get("description", [])),
            )
            for lang, kinds in sorted(labels.items())
        }
        broader_c = concepts.alias("broader_c")
        broader = [
            ConceptRef(uri=u, label=lbl, type=ConceptType(t))
            for u, lbl, t in conn.execute(
                select(broader_c.c.uri, broader_c.c.preferred_label, broader_c.c.type)
                .join(concept_relations, concept_relations.c.broader_uri == broader_c.c.uri)
                .where(concept_relations.c.concept_uri == uri)
                .order_by(broader_c.c.preferred_label)
            )
        ]
        narrower_c = concepts.alias("narrower_c")
        narrower = [
            ConceptRef(uri=u, label=lbl, type=ConceptType(t))
            for u, lbl, t in conn.execute(
                select(narrower_c.c.uri, narrower_c.c.preferred_label, narrower_c.c.type)
                .join(concept_relations, concept_relations.c.concept_uri == narrower_c.c.uri)
                .where(concept_relations.c.broader_uri == uri)
                .order_by(narrower_c.c.preferred_label)
                .limit(500)
            )
        ]
        collections = sorted(
            conn.execute(
                select(concept_collections.c.collection).where(
                    concept_collections.c.concept_uri == uri
                )
            ).scalars()
        )
        skills = _related(
            conn,
            occupation_skills.c.skill_uri,
            occupation_skills.c.occupation_uri == uri,
            occupation_skills.c.relation_type,
        )
        occupations = _related(
            conn,
            occupation_skills.c.occupation_uri,
            occupation_skills.c.skill_uri == uri,
            occupation_skills.c.relation_type,
        )
        related = _related(
            conn,
            skill_skills.c.related_uri,
            skill_skills.c.skill_uri == uri,
            skill_skills.c.relation_type,
        )
    return Concept(
        uri=uri,
        type=ConceptType(row["type"]),
        label=row["preferred_label"],
        description=row["description"] or "",
        code=row["code"],
        skill_type=row["skill_type"],
        reuse_level=row["reuse_level"],
        isco_group=row["isco_group"],
        regulated_note=row["regulated_note"],
        labels=label_sets,
        broader=broader,
        narrower=narrower,
        collections=collections,
        skills=skills,
        occupations=occupations,
        related_skills=related,
        version=row["version"],
    )


def _related(
    conn: Connection,
    target: ColumnElement[str],
    condition: ColumnElement[bool],
    relation: ColumnElement[str],
) -> list[RelatedConcept]:
    """Concepts joined through a relation table, essential before optional, then by label."""
    rows = conn.execute(
        select(concepts.c.uri, concepts.c.preferred_label, concepts.c.type, relation)
        .join(concepts, concepts.c.uri == target)
        .where(condition)
    ).all()
    related = [
        RelatedConcept(uri=u, label=lbl, type=ConceptType(t), relation_type=r)
        for u, lbl, t, r in rows
    ]
    related.sort(key=lambda r: (_RELATION_ORDER.get(r.relation_type, 9), r.label.lower()))
    return related


def list_concepts(
    engine: Engine, concept_type: ConceptType, *, offset: int, limit: int
) -> Page[ConceptRef]:
    """A page of concepts of one type ordered by English label."""
    with engine.connect() as conn:
        total = conn.execute(
            select(func.count()).select_from(concepts).where(concepts.c.type == concept_type.value)
        ).scalar_one()
        rows = conn.execute(
            select(concepts.c.uri, concepts.c.preferred_label)
            .where(concepts.c.type == concept_type.value)
            .order_by(func.lower(concepts.c.preferred_label), concepts.c.uri)
            .offset(offset)
            .limit(limit)
        ).all()
    items = [ConceptRef(uri=u, label=lbl, type=concept_type) for u, lbl in rows]
    return Page[ConceptRef](items=items, total=total, offset=offset, limit=limit)


def iter_search_rows(engine: Engine) -> Iterator[LabelRow]:
    """Every searchable label of skills and occupations (for building the search index)."""
    searchable = (ConceptType.SKILL.value, ConceptType.OCCUPATION.value)
    stmt = (
        select(
            concepts.c.uri,
            concepts.c.type,
            concepts.c.preferred_label,
            concept_labels.c.lang,
            concept_labels.c.kind,
            concept_labels.c.text,
        )
        .join(concept_labels, and_(concept_labels.c.concept_uri == concepts.c.uri))
        .where(concepts.c.type.in_(searchable))
    )
    with engine.connect() as conn:
        for row in conn.execute(stmt):
            yield (row[0], row[1], row[2], row[3], row[4], row[5])
