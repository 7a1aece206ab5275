"""The pathway planner (a pure MIP): exact against brute force, and every plain-words answer."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from skillpass.pathways.models import (
    AppliedFunding,
    Objective,
    OpportunityMode,
    PlanConstraints,
    PlanStatus,
)
from skillpass.pathways.planner import solve
from tests.pathways.planner_oracle import (
    START,
    brute_force,
    opportunity,
    random_catalogue,
    random_funding,
    skill,
)

S = [skill(i) for i in range(12)]


def uris(*idx: int) -> list[str]:
    return [S[i].uri for i in idx]


def ids(plan: object) -> set[str]:
    return {step.opportunity.id for step in plan.steps}  # type: ignore[attr-defined]


# --- exactness ---------------------------------------------------------------------------------


def _random_case(seed: int, objective: Objective) -> None:
    rng = random.Random(seed)
    opps = random_catalogue(rng, rng.randint(0, 14), 9)
    fund = random_funding(rng, opps)
    essential = uris(*rng.sample(range(9), 5))
    optional = [u for u in uris(*rng.sample(range(9), 3)) if u not in essential]
    have = set(uris(*rng.sample(range(9), 2)))
    caps = {"p1": 100.0} if rng.random() < 0.3 else None
    constraints = PlanConstraints(
        start=START,
        include_optional=rng.random() < 0.5,
        budget_eur=rng.choice([None, 300, 800]),
        deadline=rng.choice([None, START + timedelta(weeks=15), START + timedelta(weeks=25)]),
        hours_per_week=rng.choice([None, 5, 10]),
        languages=rng.choice([[], ["en"]]),
        country=rng.choice([None, "DE"]),
        online_only=rng.random() < 0.1,
    )
    by_uri = {s.uri: s for s in S}
    plan = solve(
        have=have,
        essential=[by_uri[u] for u in essential],
        optional=[by_uri[u] for u in optional],
        opportunities=opps,
        funding=lambda o: [fund[o.id]] if o.id in fund else [],
        funding_caps=caps,
        constraints=constraints,
        objective=objective,
        alternatives=2,
    )

    def oracle(exclude: list[frozenset[str]]) -> object:
        return brute_force(
            have=have,
            essential=essential,
            optional=optional,
            opps=opps,
            funding=fund,
            constraints=constraints,
            objective=objective,
            caps=caps,
            exclude=exclude,
        )

    best = oracle([])
    if best is None:
        assert plan.status is PlanStatus.INFEASIBLE, plan.explanation
        assert plan.explanation
        assert not plan.steps
        return
    if plan.status is PlanStatus.NOTHING_TO_DO:
        assert best.value == 0
        assert frozenset() in best.sets
        return
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.objective_value == pytest.approx(best.value, abs=1e-3)  # type: ignore[attr-defined]
    assert frozenset(ids(plan)) in best.sets  # type: ignore[attr-defined]
    # alternatives: the next best plans, each excluding the previous sets (and supersets)
    seen = [frozenset(ids(plan))]
    for alternative in plan.alternatives:
        nxt = oracle(seen)
        assert nxt is not None
        assert alternative.objective_value == pytest.approx(nxt.value, abs=1e-3)  # type: ignore[attr-defined]
        assert frozenset(ids(alternative)) in nxt.sets  # type: ignore[attr-defined]
        seen.append(frozenset(ids(alternative)))
    if len(plan.alternatives) < 2:
        assert oracle(seen) is None


@pytest.mark.parametrize("objective", list(Objective))
@pytest.mark.parametrize("block", range(4))
def test_plan_matches_brute_force_on_random_catalogues(objective: Objective, block: int) -> None:
    for seed in range(block * 30, block * 30 + 30):
        _random_case(seed * 7 + list(Objective).index(objective), objective)


# --- coverage, funding, reasons --------------------------------------------------------------


def test_plan_covers_essential_skills_at_minimum_funded_cost_with_reasons() -> None:
    opps = [
        opportunity("a", [0, 1], cost=900),
        opportunity("b", [0], cost=300),
        opportunity("c", [1], cost=400),
        opportunity("d", [1], cost=700, title="Funded course"),
    ]
    grant = AppliedFunding(
        programme_id="g", programme_name="Grant", amount_eur=500, reason="eligible because X"
    )
    plan = solve(
        have=[],
        essential=[S[0], S[1]],
        opportunities=opps,
        funding=lambda o: [grant] if o.id == "d" else [],
        constraints=PlanConstraints(start=START),
    )
    assert plan.status is PlanStatus.OPTIMAL
    assert ids(plan) == {"b", "d"}
    assert plan.total_funded_cost_eur == 500
    assert plan.total_cost_eur == 1000
    funded = next(s for s in plan.steps if s.opportunity.id == "d")
    assert funded.funding == [grant]
    assert funded.funded_cost_eur == 200
    assert "skill 1" in funded.why
    assert "for less after funding" in funded.why
    assert [s.uri for s in plan.covered_essential] == uris(0, 1)


def test_already_held_and_uncoverable_skills_are_reported() -> None:
    plan = solve(
        have=uris(0),
        essential=[S[0], S[1], S[2]],
        opportunities=[opportunity("a", [1])],
        constraints=PlanConstraints(start=START),
    )
    assert [s.uri for s in plan.already_have] == uris(0)
    assert [s.uri for s in plan.uncoverable] == uris(2)
    assert ids(plan) == {"a"}
    assert any(
        "No course in the catalogue teaches the essential skill 'skill 2'" in line
        for line in plan.explanation
    )


def test_skill_taught_only_by_filtered_courses_says_what_to_relax() -> None:
    plan = solve(
        have=[],
        essential=[S[0]],
        opportunities=[opportunity("a", [0], mode=OpportunityMode.ONSITE, country="FR")],
        constraints=PlanConstraints(start=START, country="DE"),
    )
    assert plan.status is PlanStatus.NOTHING_TO_DO
    assert any("excluded by the country" in line for line in plan.explanation)


def test_empty_catalogue_is_explained_not_raised() -> None:
    plan = solve(have=[], essential=[S[0]], opportunities=[], constraints=PlanConstraints())
    assert plan.status is PlanStatus.NOTHING_TO_DO
    assert any("catalogue is empty" in line for line in plan.explanation)
    assert [s.uri for s in plan.uncoverable] == uris(0)


def test_nothing_to_do_when_every_essential_skill_is_held() -> None:
    plan = solve(
        have=uris(0),
        essential=[S[0]],
        opportunities=[opportunity("a", [0])],
        constraints=PlanConstraints(start=START),
    )
    assert plan.status is PlanStatus.NOTHING_TO_DO
    assert "already have every essential skill" in plan.explanation[0]


def test_budget_shortfall_is_explained_with_the_amount() -> None:
    opps = [opportunity("a", [0], cost=540), opportunity("b", [1], cost=300)]
    plan = solve(
        have=[],
        essential=[S[0], S[1]],
        opportunities=opps,
        constraints=PlanConstraints(start=START, budget_eur=500),
    )
    assert plan.status is PlanStatus.INFEASIBLE
    assert plan.explanation[0].startswith(
        "The budget of EUR 500 is EUR 340 short of the cheapest plan covering every coverable "
        "essential skill (EUR 840 after funding)"
    )
    assert [s.uri for s in plan.missing_after_plan] == uris(0, 1)


def test_too_early_deadline_names_the_fastest_finish() -> None:
    opps = [opportunity("a", [0], weeks=4, hours=40), opportunity("b", [1], weeks=4, hours=40)]
    plan = solve(
        have=[],
        essential=[S[0], S[1]],
        opportunities=opps,
        constraints=PlanConstraints(
            start=START, deadline=START + timedelta(weeks=6), hours_per_week=10
        ),
    )
    assert plan.status is PlanStatus.INFEASIBLE
    assert "too early" in plan.explanation[0]
    assert "8.0 weeks at 10 hours a week" in (plan.explanation[0])


def test_prerequisites_are_ordered_and_dates_honoured() -> None:
    opps = [
        opportunity("basics", [5], weeks=3, start_dates=[START + timedelta(weeks=1)]),
        opportunity(
            "advanced",
            [0],
            prereq_skills=[5],
            weeks=2,
            start_dates=[START + timedelta(weeks=2), START + timedelta(weeks=6)],
        ),
    ]
    plan = solve(
        have=[],
        essential=[S[0]],
        opportunities=opps,
        constraints=PlanConstraints(start=START),
        objective=Objective.TIME,
    )
    assert [s.opportunity.id for s in plan.steps] == ["basics", "advanced"]
    basics, advanced = plan.steps
    assert basics.start == START + timedelta(weeks=1)
    assert basics.end == START + timedelta(weeks=4)
    assert advanced.start == START + timedelta(weeks=6)  # week 2 is before basics ends
    assert plan.finish == START + timedelta(weeks=8)
    assert "prerequisite of 'Course advanced'" in basics.why


def test_prerequisite_held_needs_no_course() -> None:
    opps = [opportunity("basics", [5]), opportunity("advanced", [0], prereq_skills=[5])]
    plan = solve(
        have=uris(5), essential=[S[0]], opportunities=opps, constraints=PlanConstraints(start=START)
    )
    assert ids(plan) == {"advanced"}


def test_mutual_prerequisites_cannot_cover_each_other() -> None:
    opps = [
        opportunity("x", [0], prereq_skills=[1], cost=10),
        opportunity("y", [1], prereq_skills=[0], cost=10),
        opportunity("z", [0, 1], cost=500),
    ]
    plan = solve(
        have=[],
        essential=[S[0], S[1]],
        opportunities=opps,
        constraints=PlanConstraints(start=START),
    )
    assert ids(plan) == {"z"}


def test_optional_skills_only_break_ties_unless_included() -> None:
    opps = [opportunity("a", [0], cost=100), opportunity("b", [0, 1], cost=150)]
    common = {"have": [], "essential": [S[0]], "optional": [S[1]], "opportunities": opps}
    lean = solve(**common, constraints=PlanConstraints(start=START, include_optional=False))  # type: ignore[arg-type]
    assert ids(lean) == {"a"}
    assert [s.uri for s in lean.missing_after_plan] == uris(1)
    full = solve(**common, constraints=PlanConstraints(start=START))  # type: ignore[arg-type]
    assert ids(full) == {"b"}
    assert [s.uri for s in full.covered_optional] == uris(1)
    capped = solve(**common, constraints=PlanConstraints(start=START, budget_eur=120))  # type: ignore[arg-type]
    assert ids(capped) == {"a"}  # as many optional skills as the budget allows


def test_funding_cap_is_shared_across_courses() -> None:
    opps = [opportunity("a", [0], cost=400), opportunity("b", [1], cost=400)]
    grant = AppliedFunding(programme_id="g", programme_name="G", amount_eur=300, reason="ok")
    plan = solve(
        have=[],
        essential=[S[0], S[1]],
        opportunities=opps,
        funding=lambda o: [grant],
        funding_caps={"g": 500},
        constraints=PlanConstraints(start=START),
    )
    assert plan.total_funded_cost_eur == 300  # 800 - min(600, 500)
    second = plan.steps[1].funding[0]
    assert second.amount_eur == 200
    assert "cap of EUR 500 is reached" in second.reason


def test_objectives_choose_differently() -> None:
    opps = [
        opportunity("cheap-long", [0], cost=100, hours=100, weeks=20),
        opportunity("dear-short", [0], cost=900, hours=10, weeks=1),
    ]
    for objective, expected in [
        (Objective.COST, "cheap-long"),
        (Objective.HOURS, "dear-short"),
        (Objective.TIME, "dear-short"),
    ]:
        plan = solve(
            have=[],
            essential=[S[0]],
            opportunities=opps,
            objective=objective,
            constraints=PlanConstraints(start=START),
        )
        assert ids(plan) == {expected}, objective
