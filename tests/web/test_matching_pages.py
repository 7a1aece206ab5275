"""The "what skills are in this text?" page, the job-title normaliser, and the definition form's
skill picker on the matching engine (tiny synthetic taxonomy, lexical path; one full-ESCO test)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass, build
from skillpass.auth.models import Role
from skillpass.matching import EvidenceSpan, ExtractedSkill, ExtractionResult, MatchingService
from skillpass.matching.service import Extraction, OccupationMatches
from skillpass.taxonomy.models import SearchHit
from skillpass.web import matching_pages
from skillpass.web.matching_pages import MAX_TEXT_CHARS, confidence_band, highlight
from tests.conftest import make_settings
from tests.matching.conftest import SKILL, seed_tiny_taxonomy
from tests.web.conftest import PASSWORD, csrf_from

ADVERT = (
    "Bakery in Lyon seeks a baker.\n"
    "You will bake bread every morning and communicate with customers.\n"
    "A driving licence is a plus."
)
HTMX = {"HX-Request": "true"}


@pytest.fixture
def tiny_app(tmp_path: Path) -> Iterator[SkillPass]:
    """An app on the tiny taxonomy whose matching runs lexical only (fast, no models)."""
    app = build(make_settings(tmp_path))
    seed_tiny_taxonomy(app.engine)
    yield replace(app, matching=_lexical(app))
    app.close()


def _lexical(app: SkillPass) -> MatchingService:
    return MatchingService(app.engine, app.settings.data_dir, semantic=False)


@pytest.fixture
def tiny_client(tiny_app: SkillPass) -> Iterator[TestClient]:
    with TestClient(create_api(tiny_app)) as test_client:
        yield test_client


def _sign_in_issuer(client: TestClient, app: SkillPass) -> None:
    app.auth.create_user("iris@example.org", "Iris", PASSWORD, [Role.ISSUER])
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": "iris@example.org", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303


# --- the page -------------------------------------------------------------------------------


def test_match_page_has_labelled_forms_and_is_in_the_nav(tiny_client: TestClient) -> None:
    response = tiny_client.get("/match")
    assert response.status_code == 200
    html = response.text
    assert '<a href="/match" aria-current="page">Skills in a text</a>' in html
    assert '<label for="match-text">Text</label>' in html
    assert '<label for="match-lang">Language of the text</label>' in html
    assert '<label for="job-title">Job title</label>' in html
    assert 'method="post" action="/match"' in html
    assert 'hx-post="/match"' in html
    assert 'method="get" action="/match/occupations"' in html
    assert f'maxlength="{MAX_TEXT_CHARS}"' in html
    assert 'id="match-status"' in html
    assert 'aria-live="polite"' in html
    assert '<option value="de">German</option>' in html


def test_pasted_advert_shows_skills_with_scores_links_and_highlighted_evidence(
    tiny_client: TestClient,
) -> None:
    response = tiny_client.post("/match", data={"text": ADVERT})
    assert response.status_code == 200
    html = response.text
    assert '<a href="/skills/bake">bake bread</a>' in html
    assert '<a href="/skills/customer">communicate with customers</a>' in html
    assert "Language: English (detected)" in html
    assert " %)" in html  # a percentage next to each skill
    assert any(band in html for band in ("very likely", "likely", "possible"))
    assert '<mark id="evidence-1"' in html
    assert "You will bake bread every morning and communicate with customers.</mark>" in html
    assert 'href="#evidence-' in html
    assert '<textarea id="match-text"' in html
    assert "Bakery in Lyon seeks a baker." in html


def test_chosen_language_is_used_and_named(tiny_client: TestClient) -> None:
    html = tiny_client.post("/match", data={"text": ADVERT, "lang": "en"}).text
    assert "Language: English ·" in " ".join(html.split())
    assert '<option value="en" selected>English</option>' in html


def test_text_and_evidence_are_escaped_never_inserted_as_html(tiny_client: TestClient) -> None:
    text = 'You will bake bread <script>alert("x")</script> and <b onclick="x()">weld</b>.'
    html = tiny_client.post("/match", data={"text": text}).text
    assert "<script>alert" not in html
    assert "<b onclick" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<mark" in html


def test_too_long_text_is_refused_with_its_length_and_what_to_do(tiny_client: TestClient) -> None:
    text = "bake bread " * (MAX_TEXT_CHARS // 10 + 1)
    response = tiny_client.post("/match", data={"text": text})
    assert response.status_code == 413
    assert f"{len(text):,} characters long" in response.text
    assert "skillpass match extract FILE" in response.text
    assert 'role="alert"' in response.text
    assert text not in response.text  # not echoed back


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Paste a job advert"), ("1234 5678 9012", "no words to match")],
)
def test_empty_or_wordless_text_gets_a_clear_problem(
    tiny_client: TestClient, text: str, message: str
) -> None:
    response = tiny_client.post("/match", data={"text": text})
    assert response.status_code == 422
    assert message in response.text
    assert 'aria-invalid="true"' in response.text


def test_unknown_language_is_a_clear_problem(tiny_client: TestClient) -> None:
    response = tiny_client.post("/match", data={"text": ADVERT, "lang": "xx"})
    assert response.status_code == 422
    assert "Unknown language" in response.text


def test_htmx_gets_the_results_fragment_and_an_out_of_band_announcement(
    tiny_client: TestClient,
) -> None:
    response = tiny_client.post("/match", data={"text": ADVERT}, headers=HTMX)
    html = response.text
    assert response.status_code == 200
    assert "<html" not in html
    assert '<div id="match-status" hx-swap-oob="innerHTML">' in html
    assert "skills found in 3 sentences; language: English." in html
    assert "HX-Request" in response.headers["vary"]


def test_htmx_problem_answers_200_so_htmx_swaps_it_in(tiny_client: TestClient) -> None:
    response = tiny_client.post("/match", data={"text": ""}, headers=HTMX)
    assert response.status_code == 200
    assert "Paste a job advert" in response.text


def test_job_title_in_german_suggests_occupations_with_german_labels(
    tiny_client: TestClient,
) -> None:
    response = tiny_client.get(
        "/match/occupations", params={"title": "Krankenpflegerin", "lang": "de"}
    )
    assert response.status_code == 200
    html = response.text
    assert '<a href="/occupations/nurse">Krankenpfleger/Krankenpflegerin</a>' in html
    assert "Language: German." in html
    assert "ISCO-08 1234" in html
    assert "Best match first" in html
    results = html[html.index('id="occupations-heading"') : html.index("</ol>")]
    assert "%" not in results  # uncalibrated similarities get no percentage
    assert 'value="Krankenpflegerin"' in html
    assert '<option value="de" selected>German</option>' in html


def test_job_title_language_is_detected_when_not_given(tiny_client: TestClient) -> None:
    html = tiny_client.get("/match/occupations", params={"title": "Krankenpflegerin"}).text
    first = html.index('<ol class="results"')
    assert html.index('href="/occupations/nurse"', first) < html.index("</li>", first)
    assert "(detected)" in html or "labels in every language were compared" in html


def test_job_title_fragment_for_htmx(tiny_client: TestClient) -> None:
    response = tiny_client.get(
        "/match/occupations", params={"title": "truck driver", "lang": "en"}, headers=HTMX
    )
    assert "<html" not in response.text
    assert '<a href="/occupations/driver">lorry driver</a>' in response.text
    assert "Language: English." in response.text
    assert 'hx-swap-oob="innerHTML"' in response.text


def test_empty_job_title_gets_a_problem(tiny_client: TestClient) -> None:
    response = tiny_client.get("/match/occupations", params={"title": " "})
    assert response.status_code == 422
    assert "Type a job title first" in response.text


def test_without_esco_the_page_says_how_to_import_it(client: TestClient) -> None:
    response = client.post("/match", data={"text": ADVERT})
    assert response.status_code == 409
    assert "No ESCO taxonomy imported yet" in response.text
    response = client.get("/match/occupations", params={"title": "baker"})
    assert response.status_code == 409


class _SlowMatching:
    """Stands in for a matching service whose index is still being built."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def warm_up_in_background(self) -> threading.Event:
        return self.release

    def lexical_ready(self, timeout: float = 0.0) -> bool:
        return self.release.wait(timeout)

    def match_skills(self, text: str, *args: Any, **kwargs: Any) -> list[Any]:
        return []

    def match_occupations(self, title: str, *args: Any, **kwargs: Any) -> list[Any]:
        return []

    def extract(self, text: str, lang: str | None = None) -> ExtractionResult:
        return ExtractionResult(lang="en", threshold=0.2, spans=1, truncated=False, skills=[])

    def extract_now(self, text: str, lang: str | None = None) -> Extraction:
        return Extraction(self.extract(text, lang), False, "semantic")

    def match_occupations_now(self, title: str, *args: Any, **kwargs: Any) -> OccupationMatches:
        return OccupationMatches([], False, "semantic")


def test_page_says_the_engine_is_being_prepared_until_the_lexical_index_is_loaded(
    tiny_app: SkillPass, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = _SlowMatching()
    monkeypatch.setattr(matching_pages, "PAGE_WAIT_SECONDS", 0.05)
    with TestClient(create_api(replace(tiny_app, matching=slow))) as client:  # type: ignore[arg-type]
        response = client.post("/match", data={"text": ADVERT})
        assert response.status_code == 503
        assert response.headers["retry-after"] == "60"
        assert "being prepared" in response.text
        assert "Bakery in Lyon" in response.text  # the text stays in the form
        response = client.get("/match/occupations", params={"title": "baker"})
        assert response.status_code == 503
        assert "being prepared" in response.text
        slow.release.set()
        response = client.post("/match", data={"text": ADVERT})
        assert response.status_code == 200
        assert "0 skills found" in response.text
        assert "lexical index" not in response.text  # the stand-in says nothing is pending


def test_page_shows_lexical_results_with_a_note_while_the_embeddings_are_built(
    tiny_app: SkillPass, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server warmed up at startup and is embedding: the page answers from the lexical
    index at once, says so, and shows the semantic results once the embeddings are built."""
    import time

    from tests.matching.fakes import block_embeddings

    matching = MatchingService(tiny_app.engine, tiny_app.settings.data_dir)
    encoder = block_embeddings(matching, monkeypatch)
    app = replace(tiny_app, matching=matching)
    title = {"title": "Bäckerin", "lang": "de"}
    try:
        with TestClient(create_api(app)) as client:
            matching.warm_up_in_background()
            assert encoder.started.wait(30)  # embedding now, and held there
            start = time.monotonic()
            page = client.post("/match", data={"text": ADVERT, "lang": "en"})
            fragment = client.post("/match", data={"text": ADVERT, "lang": "en"}, headers=HTMX)
            occupations = client.get("/match/occupations", params=title)
            elapsed = time.monotonic() - start
            assert not matching.warm
            encoder.release.set()
            assert matching.warm_up_in_background().wait(60)
            page_after = client.post("/match", data={"text": ADVERT, "lang": "en"})
            occupations_after = client.get("/match/occupations", params=title)
    finally:
        encoder.release.set()
        matching.close()
    assert elapsed < 5  # a page that waited for the embeddings would take 20 s
    assert page.status_code == fragment.status_code == occupations.status_code == 200
    assert '<p class="notice" id="lexical-note">Ranked by the lexical index' in page.text
    assert '<a href="/skills/bake">bake bread</a>' in page.text
    assert "at least 60 % sure" in page.text  # the lexical path's threshold
    oob = fragment.text[fragment.text.index('hx-swap-oob="innerHTML">') :]
    assert "Ranked by the lexical index while the semantic index is being prepared." in oob
    assert 'id="lexical-occupations-note"' in occupations.text
    assert '<a href="/occupations/baker">Bäcker/Bäckerin</a>' in occupations.text
    assert page_after.status_code == occupations_after.status_code == 200
    assert "lexical index" not in page_after.text
    assert "lexical index" not in occupations_after.text
    assert "at least 60 % sure" not in page_after.text  # the semantic path's threshold


def test_highlight_skips_overlapping_and_out_of_range_spans() -> None:
    text = "bake bread. weld metal."
    result = ExtractionResult(
        lang="en",
        threshold=0.2,
        spans=2,
        truncated=False,
        skills=[
            ExtractedSkill(
                uri=SKILL + "bake",
                label="bake bread",
                score=0.9,
                evidence=[EvidenceSpan(start=0, end=11, text="bake bread.", score=0.9)],
            ),
            ExtractedSkill(
                uri=SKILL + "weld",
                label="weld metal parts",
                score=0.5,
                evidence=[
                    EvidenceSpan(start=5, end=15, text="bread. wel", score=0.5),
                    EvidenceSpan(start=12, end=99, text="weld metal.", score=0.5),
                ],
            ),
        ],
    )
    segments, numbers = highlight(text, result)
    assert "".join(s.text for s in segments) == text
    assert [(s.text, s.number) for s in segments] == [("bake bread.", 1), (" weld metal.", None)]
    assert numbers == {0: 1}


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0.95, "very likely"),
        (0.6, "very likely"),
        (0.45, "likely"),
        (0.2, "possible"),
        (0.1, "unlikely"),
    ],
)
def test_confidence_bands(score: float, band: str) -> None:
    assert confidence_band(score) == band


# --- the definition form's skill picker -----------------------------------------------------


def test_picker_suggests_from_the_matching_engine_with_scores(
    tiny_client: TestClient, tiny_app: SkillPass
) -> None:
    _sign_in_issuer(tiny_client, tiny_app)
    response = tiny_client.get(
        "/issuer/skills/suggest",
        params={"outcome": 0, "outcome_0_text": "Bake bread for the shop every morning."},
    )
    html = response.text
    assert response.status_code == 200
    assert f'value="{SKILL}bake bake bread"' in html
    assert 'aria-describedby="outcome_0_suggestion_0-score"' in html
    assert '<label for="outcome_0_suggestion_0">bake bread</label>' in html
    assert " %)</span>" in html
    assert "Best match first" in html


def test_picker_falls_back_to_the_label_search_when_matching_fails(
    tiny_client: TestClient, tiny_app: SkillPass, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sign_in_issuer(tiny_client, tiny_app)

    def broken(*args: Any, **kwargs: Any) -> list[Any]:
        raise RuntimeError("index unreadable")

    def search(query: str, **options: Any) -> list[SearchHit]:
        return [
            SearchHit(
                uri=SKILL + "weld",
                label="weld metal parts",
                type="skill",
                score=0.9,
                matched_label="welding",
                lang="en",
            )
        ]

    monkeypatch.setattr(tiny_app.matching, "match_skills_now", broken)
    monkeypatch.setattr(tiny_app.taxonomy, "search", search)
    html = tiny_client.get(
        "/issuer/skills/suggest", params={"outcome": 0, "outcome_0_text": "welding"}
    ).text
    assert f'value="{SKILL}weld weld metal parts"' in html
    assert " %)</span>" not in html  # the label search has no calibrated score
    assert "Best match first" not in html


def test_picker_ranks_from_the_lexical_index_while_the_embeddings_are_built(
    tiny_app: SkillPass, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold app's first click starts the warm-up; it answers at once with lexical matches."""
    import time

    from tests.matching.fakes import block_embeddings

    matching = MatchingService(tiny_app.engine, tiny_app.settings.data_dir)
    encoder = block_embeddings(matching, monkeypatch)
    app = replace(tiny_app, matching=matching)
    try:
        with TestClient(create_api(app)) as client:
            _sign_in_issuer(client, app)
            start = time.monotonic()
            response = client.get(
                "/issuer/skills/suggest",
                params={"outcome": 0, "outcome_0_text": "Bake bread for the shop every morning."},
            )
            elapsed = time.monotonic() - start
            assert encoder.started.wait(30)  # the warm-up goes on to embed, and is blocked
            assert not matching.warm
    finally:
        encoder.release.set()
        matching.close()
    html = response.text
    assert elapsed < 5  # waiting for the embeddings would take 20 s
    assert "ranked by the lexical index" in html.lower()
    assert "plain label search" not in html
    assert '<label for="outcome_0_suggestion_0">bake bread</label>' in html
    assert " %)</span>" in html  # lexical-only calibration: still a score
    assert "Best match first" in html


def test_picker_uses_the_label_search_until_the_lexical_index_is_loaded(
    tiny_app: SkillPass, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from skillpass.web import issuer_pages

    slow = _SlowMatching()
    monkeypatch.setattr(issuer_pages, "MATCHING_WAIT_SECONDS", 0.05)
    app = replace(tiny_app, matching=slow)  # type: ignore[arg-type]
    with TestClient(create_api(app)) as client:
        _sign_in_issuer(client, app)
        start = time.monotonic()
        html = client.get(
            "/issuer/skills/suggest", params={"outcome": 0, "outcome_0_text": "bake bread"}
        ).text
        assert time.monotonic() - start < 5
    assert "plain label search" in html
    assert f'value="{SKILL}bake bake bread"' in html
    assert " %)</span>" not in html


def test_picker_without_esco_still_says_how_to_import_it(
    client: TestClient, skillpass: SkillPass
) -> None:
    _sign_in_issuer(client, skillpass)
    html = client.get(
        "/issuer/skills/suggest", params={"outcome": 0, "outcome_0_text": "program in Python"}
    ).text
    assert "No ESCO taxonomy is imported" in html


# --- full ESCO --------------------------------------------------------------------------------


@pytest.mark.esco
@pytest.mark.slow  # builds the lexical index of the full ESCO (about 15 s on 2 cores)
def test_cold_full_esco_picker_answers_at_once_then_from_the_lexical_index(
    esco_database: Path, tmp_path: Path
) -> None:
    """A cold full-ESCO app (no matching index, label search index not loaded): the first
    suggestion answers promptly from the label search, later ones from the lexical index while
    the embeddings are being built (they take minutes; the app is closed before)."""
    import shutil
    import time

    folder = tmp_path / "copy"
    shutil.copytree(esco_database, folder)  # the shared database stays read-only
    settings = make_settings(folder)
    # earlier tests may have built a matching index on the shared database: start cold
    shutil.rmtree(settings.data_dir / "matching-index", ignore_errors=True)
    app = build(settings, migrate=False)
    assert not (app.settings.data_dir / "matching-index").exists()
    params = {"outcome": 0, "outcome_0_text": "Write Python programs that automate instruments"}
    try:
        with TestClient(create_api(app)) as client:
            _sign_in_issuer(client, app)
            start = time.monotonic()
            first = client.get("/issuer/skills/suggest", params=params).text
            first_seconds = time.monotonic() - start
            assert app.matching.lexical_ready(120)
            lexical = client.get("/issuer/skills/suggest", params=params).text  # loads langdetect
            start = time.monotonic()
            again = client.get("/issuer/skills/suggest", params=params).text
            again_seconds = time.monotonic() - start
            semantic = app.matching.semantic
            warm = app.matching.warm
    finally:
        app.close()
    # 3-4 s measured here (12-13 s before); the bound is the browser test's budget, which a
    # CI run once exceeded, with room for a loaded machine
    assert first_seconds < 15, first_seconds
    assert "Python (computer programming)" in first
    assert "Python (computer programming)" in lexical
    assert " %)</span>" in lexical
    if semantic and not warm:  # with the ml extra, minutes of embedding are still ahead
        assert "ranked by the lexical index" in lexical.lower()
    assert again == lexical
    assert again_seconds < 2, again_seconds


@pytest.mark.esco
def test_full_esco_nurse_advert_and_job_title(esco_app: SkillPass) -> None:
    """Lexical path on the full English ESCO (embeddings take minutes to build once)."""
    advert = (
        "We are looking for a nurse.\n"
        "You will administer medication to patients and keep patient records.\n"
        "Good communication skills in English are essential."
    )
    matching = _lexical(esco_app)
    matching.match_skills("warm up", top=1)  # loads or builds the index (seconds), as a deploy
    matching.match_occupations("warm up", top=1)  # would before serving
    with TestClient(create_api(replace(esco_app, matching=matching))) as client:
        html = client.post("/match", data={"text": advert}).text
        assert "medication" in html
        assert '<a href="/skills/' in html
        assert "<mark" in html
        html = client.get(
            "/match/occupations", params={"title": "software developer", "lang": "en"}
        ).text
        assert ">software developer</a>" in html
        assert 'href="http://data.europa.eu/esco/occupation/' not in html
