"""The documents a label gives: gendered forms written with a slash."""

from __future__ import annotations

import pytest

from skillpass.matching.corpus import label_forms


@pytest.mark.parametrize(
    ("label", "lang", "expected"),
    [
        ("Leiter/Leiterin", "de", ["Leiter", "Leiterin"]),
        (
            "Referent/in für Wohnungsbau",
            "de",
            ["Referent für Wohnungsbau", "Referentin für Wohnungsbau"],
        ),
        ("Pfleger/-in", "de", ["Pfleger", "Pflegerin"]),
        (
            "Leiter/Leiterin der Agentur für Arbeit",
            "de",
            ["Leiter der Agentur für Arbeit", "Leiterin der Agentur für Arbeit"],
        ),
        ("Leiter der Agentur/Leiterin", "de", ["Leiter der Agentur", "Leiterin der Agentur"]),
        ("enfermero/a", "es", ["enfermero", "enfermera"]),
        (
            "technicien/ne de laboratoire",
            "fr",
            ["technicien de laboratoire", "technicienne de laboratoire"],
        ),
        ("aide jardinier/aide jardinière", "fr", ["aide jardinier", "aide jardinière"]),
        ("Koch/Köchin", "de", ["Koch", "Köchin"]),
    ],
)
def test_gendered_labels_give_each_form_whole(label: str, lang: str, expected: list[str]) -> None:
    assert label_forms(label, lang) == [label, *expected]


def test_english_and_plain_labels_stay_as_they_are() -> None:
    assert label_forms("input/output clerk", "en") == ["input/output clerk"]
    assert label_forms("Tischler", "de") == ["Tischler"]
    assert label_forms("a/b", "de") == ["a/b"]  # parts too short to stand alone
