"""Search index behaviour on a small synthetic vocabulary (fast; no ESCO needed)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skillpass.app import SkillPass
from skillpass.errors import InvalidInput, TaxonomyNotLoaded
from skillpass.storage.tables import concept_labels, concepts, taxonomy_imports
from skillpass.taxonomy.models import ConceptType
from skillpass.taxonomy.search import SearchIndex, normalise, tokenise

SK = "http://data.europa.eu/esco/skill/"
OCC = "http://data.europa.eu/esco/occupation/"

ROWS = [
    (
        SK + "py",
        "skill",
        "Python (computer programming)",
        "en",
        "preferred",
        "Python (computer programming)",
    ),
    (SK + "py", "skill", "Python (computer programming)", "en", "alt", "Python"),
    (
        SK + "py",
        "skill",
        "Python (computer programming)",
        "en",
        "description",
        "The techniques and principles of software development in Python.",
    ),
    (SK + "prog", "skill", "computer programming", "en", "preferred", "computer programming"),
    (SK + "snake", "skill", "handle snakes", "en", "preferred", "handle snakes"),
    (SK + "snake", "skill", "handle snakes", "en", "alt", "care for pythons and other reptiles"),
    (
        OCC + "ai",
        "occupation",
        "artificial intelligence engineer",
        "en",
        "preferred",
        "artificial intelligence engineer",
    ),
    (
        OCC + "ai",
        "occupation",
        "artificial intelligence engineer",
        "en",
        "alt",
        "machine learning engineer",
    ),
    (
        OCC + "ai",
        "occupation",
        "artificial intelligence engineer",
        "de",
        "preferred",
        "Ingenieur für künstliche Intelligenz",
    ),
    (OCC + "mech", "occupation", "mechanical engineer", "en", "preferred", "mechanical engineer"),
    (OCC + "mech", "occupation", "mechanical engineer", "en", "alt", "machinery engineer"),
    (OCC + "nurse", "occupation", "nurse assistant", "de", "preferred", "Krankenpfleger"),
    (OCC + "nurse", "occupation", "nurse assistant", "en", "preferred", "nurse assistant"),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(ROWS)


def test_normalise_strips_accents_and_case() -> None:
    assert normalise("Ingénieur Künstliche") == "ingenieur kunstliche"
    assert tokenise("Python (computer programming)") == ["python", "computer", "programming"]


def test_exact_word_ranks_preferred_concept_first(index: SearchIndex) -> None:
    hits = index.search("python", concept_type=ConceptType.SKILL)
    assert hits[0].uri == SK + "py"
    assert hits[0].score > 0.9
    assert all(0.0 <= h.score <= 1.0 for h in hits)


def test_typos_still_find_the_concept(index: SearchIndex) -> None:
    hits = index.search("pyhton programing")
    assert SK + "py" in [h.uri for h in hits[:3]]


def test_last_word_is_matched_as_a_prefix(index: SearchIndex) -> None:
    hits = index.search("artificial intel")
    assert hits[0].uri == OCC + "ai"


def test_alternative_labels_are_searched_and_reported(index: SearchIndex) -> None:
    hits = index.search("machine learning engineer", concept_type=ConceptType.OCCUPATION)
    assert hits[0].uri == OCC + "ai"
    assert hits[0].matched_label == "machine learning engineer"
    assert hits[0].label == "artificial intelligence engineer"


def test_type_filter_excludes_other_types(index: SearchIndex) -> None:
    hits = index.search("engineer", concept_type=ConceptType.SKILL)
    assert all(h.type is ConceptType.SKILL for h in hits)


def test_language_filter_searches_only_that_language(index: SearchIndex) -> None:
    german = index.search("krankenpfleger", lang="de")
    assert [h.uri for h in german] == [OCC + "nurse"]
    assert german[0].lang == "de"
    assert index.search("krankenpfleger", lang="en") == []


def test_accented_query_matches_unaccented_text(index: SearchIndex) -> None:
    hits = index.search("kunstliche intelligenz", lang="de")
    assert hits[0].uri == OCC + "ai"


def test_unknown_words_return_nothing(index: SearchIndex) -> None:
    assert index.search("zzqqxx") == []


@pytest.mark.parametrize(
    ("query", "kwargs", "message"),
    [
        ("   ", {}, "at least one word"),
        ("x" * 201, {}, "at most 200"),
        ("python", {"limit": 0}, "limit"),
        ("python", {"lang": "xx"}, "Imported: de, en"),
    ],
)
def test_bad_queries_get_clear_errors(
    index: SearchIndex, query: str, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        index.search(query, **kwargs)  # type: ignore[arg-type]


def _load_rows(app: SkillPass) -> None:
    now = datetime.now(UTC)
    with app.engine.begin() as conn:
        conn.execute(
            taxonomy_imports.insert(),
            [
                {
                    "version": "test",
                    "language": "en",
                    "kind": "base",
                    "source": "synthetic",
                    "checksum": "0" * 64,
                    "counts": "{}",
                    "imported_at": now,
                }
            ],
        )
        seen: set[str] = set()
        for uri, ctype, label, *_ in ROWS:
            if uri not in seen:
                seen.add(uri)
                conn.execute(
                    concepts.insert(),
                    [
                        {
                            "uri": uri,
                            "type": ctype,
                            "preferred_label": label,
                            "description": "",
                            "version": "test",
                        }
                    ],
                )
        conn.execute(
            concept_labels.insert(),
            [
                {"concept_uri": u, "lang": lang, "kind": k, "text": t}
                for u, _, _, lang, k, t in ROWS
            ],
        )


def test_service_search_before_import_says_how_to_import(skillpass: SkillPass) -> None:
    with pytest.raises(TaxonomyNotLoaded, match="skillpass taxonomy import"):
        skillpass.taxonomy.search("python")


def test_index_is_cached_on_disk_and_reused(skillpass: SkillPass) -> None:
    _load_rows(skillpass)
    assert skillpass.taxonomy.search("python")[0].uri == SK + "py"
    cache_files = list((skillpass.settings.data_dir / "search-index").glob("index-*.pickle"))
    assert len(cache_files) == 1
    from skillpass.app import build

    second = build(skillpass.settings, migrate=False)
    try:
        assert second.taxonomy.search("python")[0].uri == SK + "py"
    finally:
        second.close()
    assert (
        list((skillpass.settings.data_dir / "search-index").glob("index-*.pickle")) == cache_files
    )


def test_concept_page_lists_labels_per_language(skillpass: SkillPass) -> None:
    _load_rows(skillpass)
    concept = skillpass.taxonomy.get_concept("ai")
    assert concept.label == "artificial intelligence engineer"
    assert concept.labels["de"].preferred == ["Ingenieur für künstliche Intelligenz"]
    assert concept.labels["en"].alt == ["machine learning engineer"]
