"""Credit beyond the exact URI on the hand-made taxonomy (tests/recognition/conftest.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from skillpass.app import SkillPass
from skillpass.matching.models import SkillMatch
from skillpass.recognition.models import MatchHow
from skillpass.recognition.relatedness import CREDIT_WEIGHTS, SEMANTIC_THRESHOLD, find_credits
from skillpass.storage.tables import concept_relations
from tests.recognition.conftest import SKILL, SKILLS


def labels(*keys: str) -> dict[str, str]:
    return {SKILL + k: SKILLS[k][0] for k in keys}


def test_weights_are_strictly_ordered_exact_first() -> None:
    order = [CREDIT_WEIGHTS[h] for h in MatchHow]
    assert order[0] == 1.0
    assert order == sorted(order, reverse=True)
    assert len(set(order)) == len(order)


def test_exact_narrower_broader_related_sibling_each_explained(app: SkillPass) -> None:
    credits = find_credits(
        app.engine,
        labels("tig", "join-metals", "assemble-batteries", "solder", "troubleshoot"),
        labels("join-metals", "arc", "battery-components", "braze", "troubleshoot", "chemistry"),
    )
    how = {(r.rsplit("/", 1)[1], e.rsplit("/", 1)[1]): c for (r, e), c in credits.items()}
    assert how["troubleshoot", "troubleshoot"].how is MatchHow.EXACT
    narrower = how["join-metals", "tig"]
    assert narrower.how is MatchHow.NARROWER
    assert narrower.weight == 0.9
    assert "'perform tungsten inert gas welding' under 'join metals'" in narrower.explanation
    broader = how["arc", "join-metals"]  # broader beats the sibling relation via nothing else
    assert broader.how is MatchHow.BROADER
    assert "'join metals' is the broader ESCO skill of 'apply arc welding techniques'" in (
        broader.explanation
    )
    related = how["battery-components", "assemble-batteries"]
    assert related.how is MatchHow.RELATED
    assert related.explanation == (
        "credited as related: ESCO lists 'battery components' as essential for 'assemble batteries'"
    )
    sibling = how["braze", "solder"]
    assert sibling.how is MatchHow.SIBLING
    assert "ESCO skill group 'welding and joining metals'" in sibling.explanation
    # tig and arc are both directly under 'join metals': siblings under a broader skill
    assert how["arc", "tig"].how is MatchHow.SIBLING
    assert "broader skill 'join metals'" in how["arc", "tig"].explanation
    assert not any(r.endswith("/chemistry") for r, _ in credits)  # nothing relates to it


def test_best_way_wins_per_pair(app: SkillPass) -> None:
    # 'join metals' is both the parent of 'tig' and a sibling of nothing: narrower, not weaker
    credits = find_credits(app.engine, labels("join-metals"), labels("join-metals", "tig"))
    assert credits[SKILL + "join-metals", SKILL + "join-metals"].how is MatchHow.EXACT
    assert credits[SKILL + "tig", SKILL + "join-metals"].how is MatchHow.BROADER


def test_hierarchy_is_followed_more_than_one_level(app: SkillPass) -> None:
    # tig -> join metals -> (group): tig is not a skill-level grandchild of anything here, but
    # the evidence 'tig' still credits 'join metals' and nothing above the skill level
    credits = find_credits(app.engine, labels("tig"), labels("join-metals", "braze"))
    assert credits[SKILL + "join-metals", SKILL + "tig"].how is MatchHow.NARROWER
    assert (SKILL + "braze", SKILL + "tig") not in credits  # different parents


class FakeMatching:
    """Stands in for MatchingService.match_skills_batch with fixed scores."""

    def __init__(self, scores: dict[tuple[str, str], float]) -> None:
        self.scores = scores
        self.calls = 0

    def match_skills_batch(self, items, lang=None, top=10, **_):  # type: ignore[no-untyped-def]
        self.calls += 1
        for item in items:
            yield (
                item.id,
                [
                    SkillMatch(uri=req, label=req, score=score, matched_label="")
                    for (ev, req), score in self.scores.items()
                    if ev == item.id
                ],
            )


def test_semantic_credit_above_the_threshold_only_and_in_one_batch(app: SkillPass) -> None:
    fake = FakeMatching(
        {
            (SKILL + "safety-work", SKILL + "safety"): SEMANTIC_THRESHOLD + 0.01,
            (SKILL + "troubleshoot", SKILL + "chemistry"): SEMANTIC_THRESHOLD - 0.01,
        }
    )
    credits = find_credits(
        app.engine,
        labels("safety-work", "troubleshoot"),
        labels("safety", "chemistry"),
        fake,  # type: ignore[arg-type]
    )
    assert fake.calls == 1
    semantic = credits[SKILL + "safety", SKILL + "safety-work"]
    assert semantic.how is MatchHow.SEMANTIC
    assert semantic.weight == CREDIT_WEIGHTS[semantic.how]
    assert "matching engine finds 'follow health and safety procedures'" in semantic.explanation
    assert (SKILL + "chemistry", SKILL + "troubleshoot") not in credits


@pytest.mark.slow
def test_semantic_matching_on_the_real_engine_runs(app: SkillPass) -> None:
    notes: list[str] = []
    credits = find_credits(
        app.engine, labels("safety-work"), labels("safety"), app.matching, notes=notes
    )
    assert notes == []
    for credit in credits.values():  # whatever the engine finds is explained and weighted
        assert credit.how is MatchHow.SEMANTIC
        assert credit.explanation


def test_no_sibling_credit_within_an_isced_field(app: SkillPass) -> None:
    field = "http://data.europa.eu/esco/isced-f/0713"
    with app.engine.begin() as conn:
        conn.execute(
            insert(concept_relations),
            [
                {"concept_uri": SKILL + "chemistry", "broader_uri": field},
                {"concept_uri": SKILL + "battery-components", "broader_uri": field},
            ],
        )
    credits = find_credits(app.engine, labels("battery-components"), labels("chemistry"))
    assert credits == {}
