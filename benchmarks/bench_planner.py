"""Benchmark the pathway planner: 10,000 opportunities, 100 target skills.

The catalogue is synthetic (seeded): 1,000 skills, each opportunity teaching 1–4 of them, costs
EUR 0–3,000, 5–200 hours, a quarter with a prerequisite skill, half with start dates, a third
funded. The target needs 100 skills (70 essential, 30 optional); the person has 10 of them.

Reported: the median wall time of ``planner.solve`` (everything: eligibility, pruning, model
building, HiGHS, the plan and its explanations) over repeats, per objective, and a greedy
weighted set-cover baseline (repeatedly take the opportunity with the lowest funded cost per newly
covered essential skill, ignoring prerequisites) for its cost and time.

Run: ``python benchmarks/bench_planner.py [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from skillpass.passport.models import SkillRef
from skillpass.pathways.models import (
    AppliedFunding,
    CourseType,
    Objective,
    Opportunity,
    OpportunityMode,
    PlanConstraints,
)
from skillpass.pathways.planner import solve

START = date(2026, 1, 5)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _skill(i: int) -> SkillRef:
    return SkillRef(uri=f"http://data.europa.eu/esco/skill/bench-{i}", label=f"skill {i}")


def catalogue(
    n: int, n_skills: int, seed: int, *, prereq_share: float = 0.2, foundation_size: int = 150
) -> tuple[list[Opportunity], dict[str, AppliedFunding]]:
    """A synthetic catalogue and the funding each opportunity gets. Prerequisites are drawn from
    the first ``foundation_size`` skills (foundational skills that more specialised courses
    build on); ``foundation_size=n_skills`` makes them uniformly random (a stress case)."""
    rng = random.Random(seed)
    foundation = list(range(foundation_size))
    opps: list[Opportunity] = []
    funding: dict[str, AppliedFunding] = {}
    for k in range(n):
        outcomes = rng.sample(range(n_skills), rng.randint(1, 4))
        prereq = (
            [rng.choice([s for s in foundation if s not in outcomes])]
            if rng.random() < prereq_share
            else []
        )
        dates = (
            sorted({START + timedelta(weeks=rng.randint(0, 30)) for _ in range(rng.randint(1, 3))})
            if rng.random() < 0.5
            else []
        )
        cost = float(rng.randint(0, 120) * 25)
        opp = Opportunity(
            id=f"opp-{k}",
            title=f"Course {k}",
            provider=f"Provider {k % 300}",
            country=rng.choice(["DE", "FR", "NL", "PL", "ES", "IT"]),
            languages=rng.choice([["en"], ["de"], ["fr"], ["en", "de"]]),
            mode=rng.choice(list(OpportunityMode)),
            course_type=CourseType.MICRO_CREDENTIAL,
            start_dates=dates,
            duration_weeks=float(rng.randint(1, 16)),
            hours=float(rng.randint(1, 40) * 5),
            cost_eur=cost,
            outcomes=[_skill(i) for i in outcomes],
            prerequisite_skills=[_skill(i) for i in prereq],
            created_at=NOW,
            updated_at=NOW,
            synthetic=True,
        )
        opps.append(opp)
        if cost and rng.random() < 0.33:
            funding[opp.id] = AppliedFunding(
                programme_id="bench",
                programme_name="Benchmark programme",
                amount_eur=round(min(cost, cost * 0.5), 2),
                reason="synthetic",
            )
    return opps, funding


def greedy(
    have: set[str],
    essential: list[str],
    opps: list[Opportunity],
    funding: dict[str, AppliedFunding],
) -> tuple[float, int]:
    """Weighted greedy set cover of the essential skills (prerequisites ignored)."""
    missing = {u for u in essential if u not in have}
    taught = {r.uri for o in opps for r in o.outcomes}
    missing &= taught
    total = 0.0
    chosen = 0
    price = {
        o.id: max(0.0, o.cost_eur - (funding[o.id].amount_eur if o.id in funding else 0))
        for o in opps
    }
    outcome_sets = {o.id: {r.uri for r in o.outcomes} for o in opps}
    while missing:
        best = min(
            (o for o in opps if outcome_sets[o.id] & missing),
            key=lambda o: price[o.id] / len(outcome_sets[o.id] & missing),
        )
        total += price[best.id]
        chosen += 1
        missing -= outcome_sets[best.id]
    return total, chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--opportunities", type=int, default=10_000)
    parser.add_argument("--skills", type=int, default=1_000)
    parser.add_argument(
        "--stress",
        action="store_true",
        help="a quarter of the courses need a uniformly random skill first",
    )
    args = parser.parse_args()

    if args.stress:
        opps, funding = catalogue(
            args.opportunities,
            args.skills,
            seed=1,
            prereq_share=0.25,
            foundation_size=args.skills,
        )
    else:
        opps, funding = catalogue(args.opportunities, args.skills, seed=1)
    rng = random.Random(2)
    target = rng.sample(range(150, args.skills), 100)
    essential = [_skill(i) for i in target[:70]]
    optional = [_skill(i) for i in target[70:]]
    # a mid-career worker: 10 of the target skills and 40 of the 150 foundational ones
    have = {_skill(i).uri for i in [*rng.sample(target, 10), *rng.sample(range(150), 40)]}

    def fund(o: Opportunity) -> list[AppliedFunding]:
        return [funding[o.id]] if o.id in funding else []

    print(
        f"{len(opps):,} opportunities, {len(essential) + len(optional)} target skills "
        f"({len(essential)} essential), {len(have)} skills held"
        f"{' (stress: uniform prerequisites)' if args.stress else ''}; "
        f"median of {args.repeats} runs"
    )
    scenarios = [
        ("cost", Objective.COST, PlanConstraints(start=START, include_optional=False), 0),
        ("cost + optional", Objective.COST, PlanConstraints(start=START), 0),
        ("cost, budget 20,000", Objective.COST, PlanConstraints(start=START, budget_eur=20_000), 0),
        ("hours", Objective.HOURS, PlanConstraints(start=START, include_optional=False), 0),
        (
            "time, 10 h/week",
            Objective.TIME,
            PlanConstraints(start=START, hours_per_week=10, include_optional=False),
            0,
        ),
        (
            "cost + 2 alternatives",
            Objective.COST,
            PlanConstraints(start=START, include_optional=False),
            2,
        ),
    ]
    mip_cost = None
    for name, objective, constraints, alternatives in scenarios:
        times = []
        cpu = []
        plan = None
        for _ in range(args.repeats):
            started = time.perf_counter()
            cpu_started = time.process_time()
            plan = solve(
                have=have,
                essential=essential,
                optional=optional,
                opportunities=opps,
                funding=fund,
                constraints=constraints,
                objective=objective,
                alternatives=alternatives,
                today=START,
            )
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        assert plan is not None
        if name == "cost":
            mip_cost = plan.total_funded_cost_eur
        print(
            f"  {name:24s} {statistics.median(times) * 1000:6.0f} ms wall"
            f" {statistics.median(cpu) * 1000:5.0f} ms cpu  status={plan.status.value}"
            f" value={plan.objective_value} steps={len(plan.steps)}"
            f" cost=EUR {plan.total_funded_cost_eur:,.0f} hours={plan.total_hours:g}"
            f" covered={len(plan.covered_essential)}+{len(plan.covered_optional)}"
            f" uncoverable={len(plan.uncoverable)}"
        )
    g_times = []
    g_cpu = []
    g_cost, g_n = 0.0, 0
    for _ in range(args.repeats):
        started = time.perf_counter()
        cpu_started = time.process_time()
        g_cost, g_n = greedy(have, [s.uri for s in essential], opps, funding)
        g_times.append(time.perf_counter() - started)
        g_cpu.append(time.process_time() - cpu_started)
    print(
        f"  greedy set cover         {statistics.median(g_times) * 1000:6.0f} ms wall"
        f" {statistics.median(g_cpu) * 1000:5.0f} ms cpu  "
        f"cost=EUR {g_cost:,.0f} steps={g_n} (prerequisites ignored)"
    )
    print(f"  (load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    if mip_cost is not None and mip_cost > 0:
        print(f"  greedy / optimal cost: {g_cost / mip_cost:.3f}")


if __name__ == "__main__":
    main()
