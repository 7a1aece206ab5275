"""A brute-force reference for the planner: every subset of a small catalogue, checked directly.

It re-states the model's rules in the simplest possible way (see docs/pathways.md) so the MIP is
compared with an independent reading of them.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
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

START = date(2026, 1, 5)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def skill(i: int) -> SkillRef:
    return SkillRef(uri=f"http://data.europa.eu/esco/skill/s{i}", label=f"skill {i}")


def opportunity(
    oid: str,
    outcomes: Sequence[int],
    *,
    cost: float = 100.0,
    hours: float = 20.0,
    weeks: float = 4.0,
    prereq_skills: Sequence[int] = (),
    prereq_opps: Sequence[str] = (),
    start_dates: Sequence[date] = (),
    mode: OpportunityMode = OpportunityMode.ONLINE,
    country: str = "DE",
    languages: Sequence[str] = ("en",),
    title: str | None = None,
) -> Opportunity:
    return Opportunity(
        id=oid,
        title=title or f"Course {oid}",
        provider="Provider",
        country=country,
        languages=list(languages),
        mode=mode,
        course_type=CourseType.MICRO_CREDENTIAL,
        start_dates=list(start_dates),
        duration_weeks=weeks,
        hours=hours,
        cost_eur=cost,
        outcomes=[skill(i) for i in outcomes],
        prerequisite_skills=[skill(i) for i in prereq_skills],
        prerequisite_opportunities=list(prereq_opps),
        created_at=NOW,
        updated_at=NOW,
    )


def random_catalogue(rng: random.Random, n: int, n_skills: int) -> list[Opportunity]:
    """Small random catalogues with prerequisites, start dates, modes and integer numbers."""
    opps: list[Opportunity] = []
    for k in range(n):
        outcomes = rng.sample(range(n_skills), rng.randint(1, 3))
        prereq_skills = (
            rng.sample([s for s in range(n_skills) if s not in outcomes], 1)
            if rng.random() < 0.25
            else []
        )
        prereq_opps = [opps[rng.randrange(k)].id] if k and rng.random() < 0.1 else []
        dates = (
            sorted({START + timedelta(weeks=rng.randint(0, 20)) for _ in range(rng.randint(1, 3))})
            if rng.random() < 0.5
            else []
        )
        opps.append(
            opportunity(
                f"o{k}",
                outcomes,
                cost=float(rng.randint(0, 40) * 25),
                hours=float(rng.randint(1, 12) * 5),
                weeks=float(rng.randint(1, 10)),
                prereq_skills=prereq_skills,
                prereq_opps=prereq_opps,
                start_dates=dates,
                mode=rng.choice(list(OpportunityMode)),
                country=rng.choice(["DE", "FR"]),
                languages=rng.choice([["en"], ["de"], ["en", "fr"]]),
            )
        )
    return opps


def random_funding(rng: random.Random, opps: Sequence[Opportunity]) -> dict[str, AppliedFunding]:
    out: dict[str, AppliedFunding] = {}
    for o in opps:
        if rng.random() < 0.3 and o.cost_eur > 0:
            amount = float(min(o.cost_eur, rng.randint(1, 8) * 25))
            out[o.id] = AppliedFunding(
                programme_id="p1", programme_name="Programme", amount_eur=amount, reason="test"
            )
    return out


@dataclass
class Best:
    value: float
    optional: int
    sets: list[frozenset[str]]


def _weeks(d: date) -> float:
    return (d - START).days / 7


def brute_force(
    *,
    have: set[str],
    essential: list[str],
    optional: list[str],
    opps: list[Opportunity],
    funding: dict[str, AppliedFunding],
    constraints: PlanConstraints,
    objective: Objective,
    caps: dict[str, float] | None = None,
    exclude: Sequence[frozenset[str]] = (),
) -> Best | None:
    """The best subset by (most optional skills if asked, then the objective), or None."""
    c = constraints
    deadline = _weeks(c.deadline) if c.deadline else None
    by_id = {o.id: o for o in opps}

    def eligible(o: Opportunity) -> bool:
        if c.languages and not set(c.languages) & set(o.languages):
            return False
        if c.online_only and o.mode is not OpportunityMode.ONLINE:
            return False
        return not (c.country and o.mode is not OpportunityMode.ONLINE and o.country != c.country)

    def in_time(o: Opportunity) -> bool:
        dates = [_weeks(d) for d in o.start_dates if d >= START]
        if o.start_dates and not dates:
            return False
        if deadline is None:
            return True
        return any(d + o.duration_weeks <= deadline + 1e-9 for d in dates or [0.0])

    pool = [o for o in opps if eligible(o) and in_time(o)]
    missing_ess = [u for u in essential if u not in have]
    missing_opt = [u for u in optional if u not in have and u not in essential]

    def prereq_ok(o: Opportunity, pid: str) -> bool:
        return pid in by_id and {r.uri for r in by_id[pid].outcomes} <= have

    def start_after(o: Opportunity, ready: float) -> float:
        if not o.start_dates:
            return ready
        cands = [_weeks(d) for d in o.start_dates if d >= START and _weeks(d) >= ready - 1e-9]
        return min(cands, default=math.inf)

    def ends_of(chosen: Sequence[Opportunity], fixed: bool) -> dict[str, float]:
        """Earliest ends: ``fixed`` schedules a set one course at a time (the one that would end
        first); otherwise every course's fastest possible end (relaxing until stable)."""
        ends: dict[str, float] = {}
        pending = {o.id: o for o in chosen}
        while pending:
            tentative: dict[str, float] = {}
            for oid, o in pending.items():
                ready = 0.0
                for pid in o.prerequisite_opportunities:
                    if not prereq_ok(o, pid):
                        ready = max(ready, ends.get(pid, math.inf))
                for r in o.prerequisite_skills:
                    if r.uri not in have:
                        options = [
                            ends[q]
                            for q in ends
                            if q != oid and r.uri in {x.uri for x in by_id[q].outcomes}
                        ]
                        ready = max(ready, min(options, default=math.inf))
                if ready < math.inf:
                    tentative[oid] = start_after(o, ready) + o.duration_weeks
            tentative = {k: v for k, v in tentative.items() if v < math.inf}
            if not tentative:
                break
            if fixed:
                oid = min(tentative, key=lambda k: (tentative[k], k))
                ends[oid] = tentative[oid]
                del pending[oid]
            else:
                changed = {k: v for k, v in tentative.items() if v < ends.get(k, math.inf) - 1e-12}
                if not changed:
                    break
                ends.update(changed)
                pending = {o.id: o for o in chosen}
        return ends

    def finish(chosen: Sequence[Opportunity]) -> float | None:
        ends = ends_of(chosen, fixed=True)
        if len(ends) < len(chosen):
            return None
        return max(ends.values(), default=0.0)

    # documented rule: a course whose fastest prerequisite chain never lets it start (or end by
    # the deadline) is not eligible
    fastest = ends_of(pool, fixed=False)
    pool = [
        o
        for o in pool
        if o.id in fastest and (deadline is None or fastest[o.id] <= deadline + 1e-9)
    ]

    best: Best | None = None
    for r in range(len(pool) + 1):
        for combo in itertools.combinations(pool, r):
            ids = frozenset(o.id for o in combo)
            if any(ex <= ids for ex in exclude):
                continue
            taught = {x.uri for o in combo for x in o.outcomes}
            coverable_ess = [
                u for u in missing_ess if any(u in {x.uri for x in o.outcomes} for o in pool)
            ]
            if not all(u in taught for u in coverable_ess):
                continue
            end = finish(combo)
            if end is None:
                continue
            hours = sum(o.hours for o in combo)
            end_all = max(end, hours / c.hours_per_week) if c.hours_per_week else end
            if deadline is not None and end_all > deadline + 1e-9:
                continue
            per_programme: dict[str, float] = {}
            cost = 0.0
            for o in combo:
                f = funding.get(o.id)
                cost += o.cost_eur
                if f:
                    per_programme[f.programme_id] = (
                        per_programme.get(f.programme_id, 0) + f.amount_eur
                    )
            for pid, amount in per_programme.items():
                cost -= min(amount, (caps or {}).get(pid, math.inf))
            if c.budget_eur is not None and cost > c.budget_eur + 1e-9:
                continue
            n_opt = len([u for u in missing_opt if u in taught]) if c.include_optional else 0
            value = {Objective.COST: cost, Objective.HOURS: hours, Objective.TIME: end_all}[
                objective
            ]
            key = (-n_opt, round(value, 6))
            if best is None or key < (-best.optional, round(best.value, 6)):
                best = Best(value, n_opt, [ids])
            elif key == (-best.optional, round(best.value, 6)):
                best.sets.append(ids)
    return best
