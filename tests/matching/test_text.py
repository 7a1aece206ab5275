"""Text cleaning, span splitting and language detection."""

from __future__ import annotations

import pytest

from skillpass.errors import InvalidInput
from skillpass.matching.text import (
    MAX_QUERY_CHARS,
    CompoundSplitter,
    clean_query,
    detect_language,
    fold_capitals,
    normalise_job_title,
    split_spans,
)


def test_clean_query_collapses_space_and_strips_control_characters() -> None:
    assert clean_query("  Python\x00 \n programming\t ") == "Python programming"


def test_clean_query_cuts_huge_text_at_a_word_boundary() -> None:
    text = clean_query("word " * 10_000)
    assert len(text) <= MAX_QUERY_CHARS
    assert text.endswith("word")


@pytest.mark.parametrize("junk", ["", "   ", "12345 678", "\x00\x01\x02\x03", "%%%%$$$$####"])
def test_clean_query_rejects_empty_and_wordless_text(junk: str) -> None:
    with pytest.raises(InvalidInput):
        clean_query(junk)


def test_clean_query_rejects_binary_junk() -> None:
    junk = (bytes(range(128, 256)) * 8 + b"\x00\x01PK\x03\x04").decode("utf-8", errors="replace")
    with pytest.raises(InvalidInput):
        clean_query(junk)


def test_split_spans_keeps_offsets_into_the_original_text() -> None:
    text = "We hire a baker.  You bake bread!\n• Drive a van\nTalk to customers; smile."
    spans = split_spans(text)
    assert [s.text for s in spans] == [
        "We hire a baker.",
        "You bake bread!",
        "Drive a van",
        "Talk to customers;",
        "smile.",
    ]
    for span in spans:
        assert text[span.start : span.end] == span.text


def test_split_spans_cuts_long_sentences_within_the_limit() -> None:
    text = ", ".join(f"skill number {i} with several words" for i in range(40)) + "."
    spans = split_spans(text, max_span=120)
    assert len(spans) > 10
    assert all(len(s.text) <= 120 for s in spans)
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_detect_language_recognises_longer_german_and_french() -> None:
    assert (
        detect_language("Wir suchen eine erfahrene Pflegekraft für unser Team in Berlin.") == "de"
    )
    assert detect_language("Nous recherchons un développeur expérimenté pour notre équipe.") == "fr"


def test_detect_language_answers_none_when_unsure() -> None:
    assert detect_language("xq") is None
    assert detect_language("1234") is None


@pytest.mark.parametrize(
    ("title", "lang", "expected"),
    [
        # job-advert gender markers, in each language's usual spelling
        ("Krankenpfleger (m/w/d)", "de", "Krankenpfleger"),
        ("Verkäufer (w/m/d) in Teilzeit", "de", "Verkäufer in Teilzeit"),
        ("Sales Manager m/w/d", None, "Sales Manager"),
        ("Lagerist (all genders)", "de", "Lagerist"),
        ("vendeur (H/F)", "fr", "vendeur"),
        ("comptable H/F", "fr", "comptable"),
        ("verpleegkundige (m/v)", "nl", "verpleegkundige"),
        ("kierowca (k/m)", "pl", "kierowca"),
        # German short feminine forms, as ESCO's own German labels write them
        ("Referent/in für Wohnungsbau", "de", "Referent für Wohnungsbau"),
        ("FinanzmanagerIn in der Hotelbranche", "de", "Finanzmanager in der Hotelbranche"),
        ("Softwareentwickler*in (w/m/d)", "de", "Softwareentwickler"),
        ("Erzieher:in", "de", "Erzieher"),
        ("Pfleger/-in", "de", "Pfleger"),
        ("Mitarbeiter_innen im Verkauf", None, "Mitarbeiter im Verkauf"),
        # Romance short forms (ESCO's Spanish labels and advert spellings)
        (
            "técnico/a de codificación de documentación sanitaria",
            "es",
            "técnico de codificación de documentación sanitaria",
        ),
        ("redactor/a de revista", "es", "redactor de revista"),
        ("impiegato/a amministrativo", "it", "impiegato amministrativo"),
        ("infirmier/e (H/F)", "fr", "infirmier"),
        ("agent(e) d'accueil", "fr", "agent d'accueil"),
    ],
)
def test_normalise_job_title_drops_markers_and_short_feminine_forms(
    title: str, lang: str | None, expected: str
) -> None:
    assert normalise_job_title(title, lang) == expected


@pytest.mark.parametrize(
    ("title", "lang"),
    [
        ("Krankenpfleger/Krankenpflegerin", "de"),  # full forms are ESCO's own spelling
        ("Lehrer in Berlin", "de"),  # the word "in" is not a suffix
        ("LinkedIn Manager", "de"),
        ("Input/Output Engineer", "en"),
        ("C/C++ Entwickler", "de"),
        ("directeur/directrice", "fr"),
        ("Fluggerätmechaniker (Triebwerkstechnik)", "de"),
        ("(m/w/d)", "de"),  # nothing would be left: the text is kept
    ],
)
def test_normalise_job_title_leaves_other_titles_alone(title: str, lang: str | None) -> None:
    assert normalise_job_title(title, lang) == title


def _german_labels() -> CompoundSplitter:
    # German ESCO occupation labels (v1.2.0), a few of each word
    return CompoundSplitter(
        [
            "Personalmanager/Personalmanagerin",
            "Manager für Personal",
            "Personal Manager",
            "Managerin im Kulturbetrieb",
            "Leiter Kulturbetrieb",
            "Managerin Tourismus",
            "Fachkraft für Heizungs- und Lüftungstechnik",
            "Heizungs- und Lüftungsbauer",
            "Monteur für Lüftungsanlagen",
            "Monteur Heizungsanlagen",
            "Mitarbeiter im Verkauf",
            "Mitarbeiterin im Verkauf",
            "Mitarbeiter Lager",
        ]
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Kulturbetriebsmanagerin", "Kulturbetrieb Managerin"),  # linking "s" dropped
        ("Heizungsmonteur", "Heizungs Monteur"),
        ("Personalmanagerin für Kliniken", "Personal Managerin für Kliniken"),
    ],
)
def test_compound_splitter_cuts_unknown_compounds_into_label_words(
    title: str, expected: str
) -> None:
    assert _german_labels().split(title) == expected


@pytest.mark.parametrize(
    "title",
    [
        "Mitarbeiter im Verkauf",  # a word the labels use 3 times stays whole
        "Bäcker",  # too short
        "Lüftungsbauerin",  # "bauerin" is no label word
        "Pfleger-Monteur",  # not a single word
    ],
)
def test_compound_splitter_leaves_known_words_and_non_compounds_alone(title: str) -> None:
    assert _german_labels().split(title) == title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DIRECTORES DE DEPARTAMENTO DE MARKETING", "Directores de departamento de marketing"),
        ("KRANKENPFLEGER (M/W/D)", "Krankenpfleger (m/w/d)"),
        ("ÉLECTRICIEN DU BÂTIMENT", "Électricien du bâtiment"),
        ("Directores de marketing", "Directores de marketing"),  # already mixed case
        ("IT-Spezialist", "IT-Spezialist"),
        ("HTML5 CSS", "HTML5 CSS"),  # acronyms only: no word of five letters
        ("SAP", "SAP"),
    ],
)
def test_fold_capitals_puts_shouted_text_in_sentence_case(text: str, expected: str) -> None:
    assert fold_capitals(text) == expected
