"""The synthetic advert generator on hand-made profiles: determinism, schema, trends, duplicates."""

from __future__ import annotations

from collections import Counter
from datetime import date

from skillpass.intelligence.schema import Advert, check_row
from skillpass.intelligence.synthetic import GeneratorTruth, generate_adverts
from tests.intelligence.synthetic_profiles import PROFILES, RISING, STEADY


def _truth() -> GeneratorTruth:
    return GeneratorTruth(
        seed=3, adverts=0, start=date(2023, 1, 1), months=36, emerging=[], stable=[]
    )


def test_same_seed_gives_the_same_rows_and_another_seed_others() -> None:
    first = list(generate_adverts(PROFILES, [RISING], 300, seed=3))
    again = list(generate_adverts(PROFILES, [RISING], 300, seed=3))
    other = list(generate_adverts(PROFILES, [RISING], 300, seed=4))
    assert first == again
    assert [r["text"] for r in first] != [r["text"] for r in other]


def test_rows_pass_the_schema_check_and_are_labelled_synthetic() -> None:
    rows = list(generate_adverts(PROFILES, [RISING, STEADY], 500, seed=1))
    assert len(rows) == 500
    checked = [check_row("gen", n, row) for n, row in enumerate(rows, 1)]
    assert all(isinstance(a, Advert) for a in checked), [
        c for c in checked if not isinstance(c, Advert)
    ][:3]
    adverts = [a for a in checked if isinstance(a, Advert)]
    assert all(a.synthetic and a.source.startswith("synthetic:") for a in adverts)
    assert len({a.advert_id for a in adverts}) == 500
    posted = [a.posted for a in adverts]
    assert posted == sorted(posted)
    assert min(posted) >= date(2023, 1, 1)
    assert max(posted) < date(2026, 1, 1)
    assert len({a.country for a in adverts}) >= 8
    assert all(a.nuts is None or a.nuts.startswith(a.country) for a in adverts)


def test_text_is_composed_from_the_occupation_profile() -> None:
    truth = _truth()
    rows = list(generate_adverts(PROFILES, [], 50, seed=2, truth=truth))
    labels = {p.uri: {s.label for s in (*p.essential, *p.optional)} for p in PROFILES}
    for row in rows:
        key = f"{row['source']}:{row['id']}"
        if key not in truth.occupations:
            continue  # a planted duplicate
        used = [label for label in labels[truth.occupations[key]] if label in row["text"]]
        assert len(used) >= 4, row["text"]


def test_planted_rising_skill_grows_and_stable_skill_does_not() -> None:
    rows = list(generate_adverts(PROFILES, [RISING, STEADY], 6000, seed=5))
    first_year = [r for r in rows if r["posted"] < "2024-01-01"]
    last_year = [r for r in rows if r["posted"] >= "2025-01-01"]

    def share(subset: list[dict[str, object]], label: str) -> float:
        return sum(label in str(r["text"]) for r in subset) / len(subset)

    assert share(last_year, "battery chemistry") > 4 * share(first_year, "battery chemistry")
    steady = share(last_year, "cyber security") / share(first_year, "cyber security")
    assert 0.6 < steady < 1.6


def test_planted_duplicates_copy_an_earlier_advert_and_are_in_the_truth() -> None:
    truth = _truth()
    rows = {
        f"{r['source']}:{r['id']}": r
        for r in generate_adverts(PROFILES, [], 3000, seed=7, truth=truth)
    }
    reasons = Counter(d["reason"] for d in truth.duplicates)
    assert reasons["repost"] > 50
    assert reasons["crosspost"] > 50
    for duplicate in truth.duplicates:
        copy, original = rows[duplicate["advert_id"]], rows[duplicate["duplicate_of"]]
        assert copy["employer"] == original["employer"]
        assert copy["posted"] >= original["posted"]
        same_source = copy["source"] == original["source"]
        assert same_source == (duplicate["reason"] == "repost")
    assert len(truth.occupations) + len(truth.duplicates) == 3000
