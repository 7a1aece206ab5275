"""Credit for skills beyond the exact ESCO URI, each credit explained.

A piece of evidence names ESCO skills; a target requires others. An evidence skill credits a
required skill when (strongest first, see :data:`CREDIT_WEIGHTS`):

========== ======= =================================================================================
how        credit  when
========== ======= =================================================================================
exact      1.0     the same ESCO URI
narrower   0.9     the evidence skill is narrower than the required one (ESCO ``broaderSkill``,
                   followed up to :data:`MAX_HIERARCHY_DEPTH` levels): knowing the specific skill
                   shows most of the general one
broader    0.7     the evidence skill is broader than the required one: the general skill covers
                   the specific one only in part
related    0.6     ESCO relates the two skills directly (``skillSkillRelations``: one is listed as
                   essential or optional for the other)
sibling    0.4     both sit directly under the same ESCO skill group or broader skill (not under an
                   ISCED-F field of education, the knowledge groups: far too broad to say anything)
semantic   0.3     the matching engine finds the required skill for the evidence skill's label with
                   a score of at least :data:`SEMANTIC_THRESHOLD`
========== ======= =================================================================================

A required skill counts as credited from ``CREDITED`` (0.5): related or better. Sibling and
semantic matches are hints the officer weighs; they add to the weighted coverage but never make a
skill count as covered on their own (measured on ESCO: skills of a trade share broad groups, e.g.
'fuel gas' and 'battery formation' under 'electricity and energy').

Only the best way one evidence skill credits one required skill is kept. Every lookup is one
batched query per kind (per hierarchy level), whatever the number of skills.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, or_, select

from skillpass.errors import InvalidInput, TaxonomyNotLoaded
from skillpass.matching.service import BatchItem
from skillpass.recognition.models import MatchHow
from skillpass.storage.tables import concept_relations, concepts, skill_skills

if TYPE_CHECKING:
    from skillpass.matching.service import MatchingService

__all__ = [
    "CREDITED",
    "CREDIT_WEIGHTS",
    "MAX_HIERARCHY_DEPTH",
    "SEMANTIC_THRESHOLD",
    "SEMANTIC_TOP",
    "Credit",
    "find_credits",
]

#: Credit each kind of match gives (exact 1.0 > narrower > broader > related > sibling > semantic).
CREDIT_WEIGHTS: dict[MatchHow, float] = {
    MatchHow.EXACT: 1.0,
    MatchHow.NARROWER: 0.9,
    MatchHow.BROADER: 0.7,
    MatchHow.RELATED: 0.6,
    MatchHow.SIBLING: 0.4,
    MatchHow.SEMANTIC: 0.3,
}
#: Credit at which a required skill counts as credited (covered) in coverage counts, missing
#: skills and the suggested decision: related credit or better.
CREDITED = 0.5
#: Levels of ESCO's skill hierarchy followed for narrower/broader credit.
MAX_HIERARCHY_DEPTH = 3
#: Matching-engine score (0–1, calibrated) a required skill needs, given the evidence skill's
#: label, for a semantic hint. Measured on the full ESCO (lexical path): 'operate welding
#: equipment' -> 'join metals' scores 0.67, while 'interpret 2D plans' -> 'interpret law' scores
#: 0.57 and 'apply arc welding techniques' -> 'join metals' only 0.36; see docs/recognition.md.
SEMANTIC_THRESHOLD = 0.6
#: Matches asked of the engine per evidence skill.
SEMANTIC_TOP = 20
_CHUNK = 500
_RANK = {how: rank for rank, how in enumerate(CREDIT_WEIGHTS)}
_Label = Callable[[str], str]
#: Skill groups of the knowledge pillar are ISCED-F fields of education: no sibling credit there.
_ISCED_F = "http://data.europa.eu/esco/isced-f/"


@dataclass(frozen=True)
class Credit:
    """One evidence skill crediting one required skill."""

    required_uri: str
    evidence_uri: str
    how: MatchHow
    weight: float
    explanation: str


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(set(values))
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _parents(conn: Connection, uris: set[str]) -> dict[str, set[str]]:
    """Direct broader concepts (skills and skill groups) of each URI."""
    found: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(uris):
        rows = conn.execute(
            select(concept_relations.c.concept_uri, concept_relations.c.broader_uri).where(
                concept_relations.c.concept_uri.in_(chunk)
            )
        )
        for child, parent in rows:
            found[child].add(parent)
    return found


def _concepts(conn: Connection, uris: set[str]) -> dict[str, tuple[str, str]]:
    """Type and English preferred label of each known URI."""
    found: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(uris):
        rows = conn.execute(
            select(concepts.c.uri, concepts.c.type, concepts.c.preferred_label).where(
                concepts.c.uri.in_(chunk)
            )
        )
        for uri, kind, label in rows:
            found[uri] = (kind, label.strip())
    return found


def _skill_ancestors(
    conn: Connection, start: set[str], kinds: dict[str, tuple[str, str]]
) -> dict[str, dict[str, int]]:
    """Broader *skills* of each start skill, with their distance (1 = direct), up to
    :data:`MAX_HIERARCHY_DEPTH` levels; one query per level."""
    ancestors: dict[str, dict[str, int]] = {uri: {} for uri in start}
    frontier: dict[str, set[str]] = {uri: {uri} for uri in start}
    for depth in range(1, MAX_HIERARCHY_DEPTH + 1):
        nodes = set().union(*frontier.values()) if frontier else set()
        if not nodes:
            break
        parents = _parents(conn, nodes)
        unknown = set().union(*parents.values()) - kinds.keys() if parents else set()
        kinds.update(_concepts(conn, unknown))
        next_frontier: dict[str, set[str]] = {}
        for origin, current in frontier.items():
            reached = {
                parent
                for node in current
                for parent in parents.get(node, ())
                if kinds.get(parent, ("", ""))[0] == "skill" and parent not in ancestors[origin]
            }
            for parent in reached:
                ancestors[origin][parent] = depth
            if reached:
                next_frontier[origin] = reached
        frontier = next_frontier
    return ancestors


def _levels(depth: int) -> str:
    return "" if depth == 1 else f" ({depth} levels down in ESCO's hierarchy)"


def _keep(found: dict[tuple[str, str], Credit], credit: Credit) -> None:
    key = (credit.required_uri, credit.evidence_uri)
    old = found.get(key)
    if old is None or _RANK[credit.how] < _RANK[old.how]:
        found[key] = credit


def find_credits(
    engine: Engine,
    evidence: Mapping[str, str],
    required: Mapping[str, str],
    matching: MatchingService | None = None,
    *,
    notes: list[str] | None = None,
) -> dict[tuple[str, str], Credit]:
    """Every way the evidence skills credit the required skills (the best way per pair).

    Args:
        engine: The database holding the imported ESCO taxonomy.
        evidence: Evidence skill URI -> label.
        required: Required skill URI -> label.
        matching: The matching engine for semantic credit; None leaves semantic credit out.
        notes: Receives a sentence when semantic matching could not run.

    Returns:
        ``(required_uri, evidence_uri) -> Credit``.
    """
    found: dict[tuple[str, str], Credit] = {}
    weight = CREDIT_WEIGHTS
    for uri in evidence.keys() & required.keys():
        _keep(
            found, Credit(uri, uri, MatchHow.EXACT, weight[MatchHow.EXACT], "the same ESCO skill")
        )
    if not evidence or not required:
        return found

    def label(uri: str) -> str:
        return required.get(uri) or evidence.get(uri) or uri.rsplit("/", 1)[-1]

    with engine.connect() as conn:
        everything = set(evidence) | set(required)
        kinds = _concepts(conn, everything)
        ancestors = _skill_ancestors(conn, everything, kinds)
        for e_uri in evidence:
            for r_uri, depth in ancestors.get(e_uri, {}).items():
                if r_uri in required:
                    _keep(
                        found,
                        Credit(
                            r_uri,
                            e_uri,
                            MatchHow.NARROWER,
                            weight[MatchHow.NARROWER],
                            f"credited as narrower: ESCO lists {label(e_uri)!r} under "
                            f"{label(r_uri)!r}{_levels(depth)}, so it shows most of it",
                        ),
                    )
        for r_uri in required:
            for e_uri, depth in ancestors.get(r_uri, {}).items():
                if e_uri in evidence:
                    _keep(
                        found,
                        Credit(
                            r_uri,
                            e_uri,
                            MatchHow.BROADER,
                            weight[MatchHow.BROADER],
                            f"credited in part as broader: {label(e_uri)!r} is the broader ESCO "
                            f"skill of {label(r_uri)!r}{_levels(depth)}",
                        ),
                    )
        for credit in _related(conn, evidence, required, label):
            _keep(found, credit)
        for credit in _siblings(conn, evidence, required, kinds, label):
            _keep(found, credit)
    if matching is not None:
        for credit in _semantic(matching, evidence, required, label, notes):
            _keep(found, credit)
    return found


def _related(
    conn: Connection,
    evidence: Mapping[str, str],
    required: Mapping[str, str],
    label: _Label,
) -> Iterable[Credit]:
    weight = CREDIT_WEIGHTS[MatchHow.RELATED]
    ev, req = set(evidence), set(required)
    for chunk in _chunks(ev):
        rows = conn.execute(
            select(
                skill_skills.c.skill_uri, skill_skills.c.related_uri, skill_skills.c.relation_type
            ).where(
                or_(
                    skill_skills.c.skill_uri.in_(chunk),
                    skill_skills.c.related_uri.in_(chunk),
                )
            )
        )
        for original, related, kind in rows:
            # ESCO: ``related`` is essential/optional for ``original``
            text = f"credited as related: ESCO lists {label(related)!r} as {kind} for "
            text += f"{label(original)!r}"
            if original in ev and related in req and original != related:
                yield Credit(related, original, MatchHow.RELATED, weight, text)
            if related in ev and original in req and original != related:
                yield Credit(original, related, MatchHow.RELATED, weight, text)


def _siblings(
    conn: Connection,
    evidence: Mapping[str, str],
    required: Mapping[str, str],
    kinds: dict[str, tuple[str, str]],
    label: _Label,
) -> Iterable[Credit]:
    weight = CREDIT_WEIGHTS[MatchHow.SIBLING]
    parents = _parents(conn, set(evidence) | set(required))
    groups: dict[str, set[str]] = defaultdict(set)  # parent -> required skills under it
    for r_uri in required:
        for parent in parents.get(r_uri, ()):
            if not parent.startswith(_ISCED_F):
                groups[parent].add(r_uri)
    names = _concepts(conn, set(groups) - kinds.keys())
    kinds.update(names)
    for e_uri in evidence:
        for parent in parents.get(e_uri, ()):
            for r_uri in groups.get(parent, ()):
                if r_uri == e_uri:
                    continue
                kind, group = kinds.get(parent, ("skill_group", parent))
                what = "skill group" if kind == "skill_group" else "broader skill"
                yield Credit(
                    r_uri,
                    e_uri,
                    MatchHow.SIBLING,
                    weight,
                    f"credited as a sibling: {label(e_uri)!r} and {label(r_uri)!r} are both in "
                    f"the ESCO {what} {group!r}",
                )


def _semantic(
    matching: MatchingService,
    evidence: Mapping[str, str],
    required: Mapping[str, str],
    label: _Label,
    notes: list[str] | None,
) -> Iterable[Credit]:
    weight = CREDIT_WEIGHTS[MatchHow.SEMANTIC]
    items = [BatchItem(id=uri, text=text) for uri, text in evidence.items() if text.strip()]
    try:
        answers = list(matching.match_skills_batch(items, lang="en", top=SEMANTIC_TOP))
    except (TaxonomyNotLoaded, InvalidInput) as error:
        if notes is not None:
            notes.append(f"Semantic matching was not used: {error.message}")
        return
    for e_uri, matches in answers:
        for match in matches or ():
            if match.uri in required and match.uri != e_uri and match.score >= SEMANTIC_THRESHOLD:
                yield Credit(
                    match.uri,
                    e_uri,
                    MatchHow.SEMANTIC,
                    weight,
                    f"credited as similar: the matching engine finds {label(match.uri)!r} for "
                    f"{label(e_uri)!r} (score {match.score:.2f}, threshold "
                    f"{SEMANTIC_THRESHOLD:.2f}); a hint for the officer to confirm",
                )
