"""The pathway planner: the optimal stack of learning opportunities to close a skills gap.

:func:`solve` is pure (no storage, no clock unless ``today`` is left out): it takes the skills a
person has, the essential and optional skills a target needs, the candidate opportunities, the
funding each opportunity would get, the constraints and an objective, and returns a
:class:`~skillpass.pathways.models.Plan`. The plan is the optimum of a mixed-integer programme
solved with HiGHS (``highspy``); the formulation, the time model and their limits are written out
in ``docs/pathways.md``. In short:

* ``x[o]`` (binary): opportunity ``o`` is in the plan. Every missing essential skill that some
  eligible opportunity teaches must be covered (``sum x[o] >= 1`` over its teachers); optional
  skills ``c[k] <= sum x[o]`` are maximised first when ``include_optional`` (as far as budget and
  time allow), otherwise they only break ties.
* Prerequisites: a prerequisite skill comes from ``have`` or from a chosen opportunity that ends
  before ``o`` starts (``u[o, p]`` binary, big-M precedence on start weeks); a prerequisite
  opportunity must be chosen and end before, unless the person already has all its outcomes.
* Start dates are honoured (a dated course starts on one of its dates, ``y[o, d]`` binary, only
  for courses whose start depends on another course); self-paced courses start any time.
* Budget on the funded cost (per-course funding; a programme's annual cap bounds its total).
* Time: every course ends by the deadline and the total workload fits the weekly hours
  (``total hours / hours_per_week <= weeks until the deadline``); courses may run in parallel.
* Objective: funded cost, total hours, or weeks to completion (the last course's end, and no
  earlier than the workload allows).

Alternatives are re-solves with a cut that excludes the previous plans' sets (and their
supersets), so each is the next best genuinely different plan.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from skillpass.passport.models import SkillRef
from skillpass.pathways._planner_model import (
    _Course,
    _earliest_ends,
    _Problem,
    _schedule,
    _Solution,
    _Solver,
)
from skillpass.pathways.models import (
    AppliedFunding,
    Objective,
    Opportunity,
    OpportunityMode,
    Plan,
    PlanConstraints,
    PlanStatus,
    PlanStep,
)

__all__ = ["FundingFn", "solve"]

#: The funding a person would get for one opportunity (already combined, never above its cost).
FundingFn = Callable[[Opportunity], Sequence[AppliedFunding]]


def _weeks(start: date, day: date) -> float:
    return (day - start).days / 7


def _filter_reason(opp: Opportunity, c: PlanConstraints) -> str | None:
    """Why a filter excludes an opportunity (None: it passes)."""
    if c.languages and not set(c.languages) & set(opp.languages):
        return "your languages"
    if c.online_only and opp.mode is not OpportunityMode.ONLINE:
        return "online only"
    if c.country and opp.mode is not OpportunityMode.ONLINE and opp.country != c.country:
        return "the country"
    return None


# --- solve -------------------------------------------------------------------------------------


def solve(
    *,
    have: Iterable[str],
    essential: Sequence[SkillRef],
    optional: Sequence[SkillRef] = (),
    opportunities: Sequence[Opportunity],
    funding: FundingFn | None = None,
    funding_caps: Mapping[str, float] | None = None,
    constraints: PlanConstraints | None = None,
    objective: Objective = Objective.COST,
    alternatives: int = 0,
    today: date | None = None,
    time_limit: float = 30.0,
) -> Plan:
    """Plan the optimal set of opportunities towards a target.

    Args:
        have: ESCO skill URIs the person already has.
        essential: The target's essential skills (every coverable missing one must be covered).
        optional: The target's optional skills.
        opportunities: Candidate opportunities (typically the whole catalogue).
        funding: The funding each opportunity would get for this person (with reasons).
        funding_caps: Programme id -> the most it pays one person in total (annual cap).
        constraints: Budget, time, language, mode and country constraints.
        objective: What to minimise.
        alternatives: How many next-best plans to add.
        today: The plan's default start (``constraints.start`` wins); default: today.
        time_limit: Seconds the solver may take per solve.

    Returns:
        The plan; infeasible constraints and empty catalogues give a status and an explanation
        (what cannot be covered, what to relax), never an exception.
    """
    c = constraints or PlanConstraints()
    start = c.start or today or date.today()
    owned = set(have)
    labels: dict[str, str] = {}
    for ref in [*essential, *optional]:
        labels.setdefault(ref.uri, ref.label)

    def refs(uris: Iterable[str]) -> list[SkillRef]:
        return [SkillRef(uri=u, label=labels.get(u, u)) for u in uris]

    ess = list(dict.fromkeys(s.uri for s in essential))
    opt = [u for u in dict.fromkeys(s.uri for s in optional) if u not in set(ess)]
    already = [u for u in [*ess, *opt] if u in owned]
    miss_ess = [u for u in ess if u not in owned]
    miss_opt = [u for u in opt if u not in owned]
    explanation: list[str] = []
    deadline_weeks = _weeks(start, c.deadline) if c.deadline is not None else None

    # 1. filters, dates and funding
    excluded: dict[str, str] = {}
    courses: dict[str, _Course] = {}
    filtering = bool(c.languages or c.online_only or c.country)
    for opp in opportunities:
        reason = _filter_reason(opp, c) if filtering else None
        dates: list[float] = []
        if reason is None and opp.start_dates:
            dates = sorted({_weeks(start, d) for d in opp.start_dates if d >= start})
            if opp.start_dates and not dates:
                reason = "start dates in the past"
        if reason is None and deadline_weeks is not None:
            dates = [d for d in dates if d + opp.duration_weeks <= deadline_weeks + 1e-9]
            if (opp.start_dates and not dates) or (
                not opp.start_dates and opp.duration_weeks > deadline_weeks + 1e-9
            ):
                reason = "the deadline"
        if reason is not None:
            excluded[opp.id] = reason
            continue
        courses[opp.id] = _Course(
            opp=opp,
            funded=opp.cost_eur,  # after funding: set below, for the relevant courses only
            funding=[],
            dates=dates,
            earliest=dates[0] if dates else 0.0,
            weeks=opp.duration_weeks,
            teaches={r.uri for r in opp.outcomes},
            needs_skills=(
                {r.uri for r in opp.prerequisite_skills} - owned
                if opp.prerequisite_skills
                else set()
            ),
        )
    referenced = {pid for o in opportunities for pid in o.prerequisite_opportunities}
    catalogue_outcomes = {
        o.id: {r.uri for r in o.outcomes} for o in opportunities if o.id in referenced
    }
    for course in courses.values():
        if course.opp.prerequisite_opportunities:
            course.needs_courses = {
                pid
                for pid in course.opp.prerequisite_opportunities
                if not (pid in catalogue_outcomes and catalogue_outcomes[pid] <= owned)
            }
        course.consumer = bool(course.needs_skills or course.needs_courses)

    # 2. the earliest each course can end with the fastest prerequisite chain; a course that can
    #    never start, or never end by the deadline, cannot be in any plan
    ends = _earliest_ends(courses)
    for oid in list(courses):
        end = ends.get(oid, math.inf)
        if math.isinf(end):
            excluded[oid] = "prerequisites no course provides (in time for its start dates)"
        elif deadline_weeks is not None and end > deadline_weeks + 1e-9:
            excluded[oid] = "the deadline"
        else:
            courses[oid].eel = end
            continue
        del courses[oid]

    # 3. keep the relevant courses: teach a missing skill, or a prerequisite of one that does
    wanted = set(miss_ess) | set(miss_opt)
    teachers: dict[str, list[str]] = defaultdict(list)
    for oid, co in courses.items():
        for u in co.teaches:
            teachers[u].append(oid)
    relevant = _relevant(courses, set(courses), wanted, teachers)
    for oid in relevant:
        co = courses[oid]
        co.funding = list(funding(co.opp)) if funding is not None else []
        paid = sum(f.amount_eur for f in co.funding)
        co.funded = max(0.0, round(co.opp.cost_eur - paid, 2))
        for ref in [*co.opp.outcomes, *co.opp.prerequisite_skills]:
            labels.setdefault(ref.uri, ref.label)
    chosen_courses = [courses[oid] for oid in sorted(relevant)]
    taught = set().union(*(co.teaches for co in chosen_courses)) if chosen_courses else set()
    cov_ess = [u for u in miss_ess if u in taught]
    cov_opt = [u for u in miss_opt if u in taught]
    uncoverable = [u for u in [*miss_ess, *miss_opt] if u not in taught]

    # explain what cannot be covered and why
    if not opportunities:
        explanation.append("The catalogue is empty: no learning opportunity is published yet.")
    taught_anywhere: dict[str, list[str]] = defaultdict(list)
    if uncoverable:
        lost = set(uncoverable)
        for opp in opportunities:
            for r in opp.outcomes:
                if r.uri in lost:
                    taught_anywhere[r.uri].append(opp.id)
    for u in uncoverable:
        kind = "essential" if u in set(miss_ess) else "optional"
        anywhere = taught_anywhere[u]
        if not anywhere:
            explanation.append(
                f"No course in the catalogue teaches the {kind} skill '{labels.get(u, u)}'."
            )
        else:
            why = sorted({excluded.get(oid, "") for oid in anywhere} - {""})
            explanation.append(
                f"The {kind} skill '{labels.get(u, u)}' is taught only by courses excluded by "
                f"{_join(why)}; relax that to cover it."
            )

    already_refs, uncoverable_refs = refs(already), refs(uncoverable)

    def empty(status: PlanStatus, value: float | None, missing: list[str], why: list[str]) -> Plan:
        return Plan(
            status=status,
            objective=objective,
            objective_value=value,
            steps=[],
            covered_essential=[],
            covered_optional=[],
            already_have=already_refs,
            uncoverable=uncoverable_refs,
            missing_after_plan=refs(missing),
            total_cost_eur=0.0,
            total_funded_cost_eur=0.0,
            total_hours=0.0,
            finish=None,
            explanation=why,
        )

    if not cov_ess and not (c.include_optional and cov_opt):
        if not miss_ess:
            explanation.insert(0, "You already have every essential skill of the target.")
        else:
            explanation.insert(
                0,
                f"None of the {len(miss_ess)} missing essential skills is taught by an eligible "
                "course, so there is nothing to plan.",
            )
        if cov_opt:
            explanation.append(
                f"{len(cov_opt)} optional skills could be covered; include optional skills to "
                "plan for them."
            )
        return empty(PlanStatus.NOTHING_TO_DO, None, cov_opt, explanation)

    problem = _Problem(
        courses=chosen_courses,
        essential=cov_ess,
        optional=cov_opt,
        objective=objective,
        constraints=c,
        deadline_weeks=deadline_weeks,
        caps=dict(funding_caps or {}),
    )
    cheapest: dict[str, float] = {}
    for oid in relevant:
        for u in courses[oid].teaches:
            cheapest[u] = min(cheapest.get(u, math.inf), courses[oid].funded)
    ctx = _Context(problem, start, labels, already_refs, uncoverable_refs, cheapest, teachers)
    model = _Solver(problem, time_limit=time_limit)
    best = model.optimise(objective, c.include_optional)
    if best is None:
        reasons = _diagnose(problem, start, time_limit)
        return empty(PlanStatus.INFEASIBLE, None, [*cov_ess, *cov_opt], [*reasons, *explanation])
    plans = [_plan(ctx, best, explanation)]
    for _ in range(alternatives):
        model.cut(best.chosen)
        nxt = model.optimise(objective, c.include_optional)
        if nxt is None:
            break
        plans.append(_plan(ctx, nxt, []))
        best = nxt
    return plans[0].model_copy(update={"alternatives": plans[1:]})


def _relevant(
    courses: Mapping[str, _Course],
    allowed: set[str],
    wanted: set[str],
    teachers: Mapping[str, list[str]],
) -> set[str]:
    """Allowed courses that teach a wanted skill, and (transitively) their prerequisites."""
    relevant = {oid for oid in allowed if courses[oid].teaches & wanted}
    frontier = list(relevant)
    while frontier:
        co = courses[frontier.pop()]
        more = set(co.needs_courses) | {oid for u in co.needs_skills for oid in teachers[u]}
        for oid in (more & allowed) - relevant:
            relevant.add(oid)
            frontier.append(oid)
    return relevant


def _join(words: Sequence[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _quoted(words: Iterable[str]) -> str:
    return _join([f"'{w}'" for w in words])


def _eur(v: float) -> str:
    text = f"{v:,.2f}"
    return "EUR " + (text[:-3] if text.endswith(".00") else text)


def _diagnose(p: _Problem, start: date, time_limit: float) -> list[str]:
    """Explain an infeasible problem in plain words: which constraint, by how much, what to
    relax. Each check re-solves without the other constraints."""
    c = p.constraints
    cheapest = _Solver(p, budget=False, time=False, time_limit=time_limit).optimise(
        Objective.COST, False
    )
    if cheapest is None:
        return [
            "No order of the courses meets every prerequisite on the courses' start dates; "
            "choose a later start or look for courses with later dates."
        ]
    reasons: list[str] = []
    budget_ok = c.budget_eur is None or cheapest.value <= c.budget_eur + 1e-6
    if not budget_ok:
        assert c.budget_eur is not None
        reasons.append(
            f"The budget of {_eur(c.budget_eur)} is {_eur(cheapest.value - c.budget_eur)} short "
            f"of the cheapest plan covering every coverable essential skill "
            f"({_eur(cheapest.value)} after funding); raise the budget or find more funding."
        )
    timed = _Solver(p, budget=False, time=True, time_limit=time_limit)
    in_time = timed.optimise(Objective.COST, False)
    if in_time is None:
        untimed = replace(p, deadline_weeks=None, objective=Objective.TIME)
        quick = _Solver(untimed, budget=False, time=True, time_limit=time_limit).optimise(
            Objective.TIME, False
        )
        if quick is not None and c.deadline is not None:
            finish = start + timedelta(days=math.ceil(quick.value * 7 - 1e-9))
            pace = f" at {c.hours_per_week:g} hours a week" if c.hours_per_week else ""
            more = " or give more hours a week" if c.hours_per_week else ""
            reasons.append(
                f"The deadline {c.deadline.isoformat()} is too early: the fastest plan covering "
                f"every coverable essential skill finishes on {finish.isoformat()} "
                f"({quick.value:.1f} weeks{pace}); move the deadline{more}."
            )
        else:
            reasons.append("The time constraints cannot be met; move the deadline.")
    if budget_ok and in_time is not None:
        extra = f" (the cheapest plan that meets the deadline costs {_eur(in_time.value)})"
        reasons.append(
            "The budget and the deadline can each be met, but not together"
            + extra
            + "; relax one of them."
        )
    return reasons


@dataclass
class _Context:
    """What turning solutions into plans needs besides the solution."""

    problem: _Problem
    start: date
    labels: Mapping[str, str]
    already: list[SkillRef]
    uncoverable: list[SkillRef]
    cheapest: Mapping[str, float]  # skill -> lowest funded cost of an eligible course teaching it
    teachers: Mapping[str, list[str]]  # skill -> eligible course ids teaching it


def _plan(ctx: _Context, sol: _Solution, explanation: list[str]) -> Plan:
    """Turn a solution into a plan: timeline, funding (caps applied in order), reasons."""
    p = ctx.problem
    courses = p.courses
    starts, _ = _schedule(courses, sol.chosen)
    order = sorted(sol.chosen, key=lambda i: (starts[i], courses[i].opp.title, courses[i].opp.id))
    ess, opt = set(p.essential), set(p.optional)

    def ref(u: str) -> SkillRef:
        return SkillRef(uri=u, label=ctx.labels.get(u, u))

    cap_left = dict(p.caps)
    steps: list[PlanStep] = []
    for i in order:
        course = courses[i]
        applied: list[AppliedFunding] = []
        for f in course.funding:
            amount = f.amount_eur
            reason = f.reason
            if f.programme_id in cap_left:
                amount = min(amount, cap_left[f.programme_id])
                cap_left[f.programme_id] -= amount
                if amount < f.amount_eur - 1e-9:
                    cap = _eur(p.caps[f.programme_id])
                    reason += f" (reduced: the programme's cap of {cap} is reached)"
            if amount > 0:
                applied.append(
                    f.model_copy(update={"amount_eur": round(amount, 2), "reason": reason})
                )
        funded = max(0.0, round(course.opp.cost_eur - sum(f.amount_eur for f in applied), 2))
        covers = [u for u in sorted(course.teaches) if u in ess or u in opt]
        begin = ctx.start + timedelta(days=round(starts[i] * 7))
        steps.append(
            PlanStep(
                opportunity=course.opp,
                start=begin,
                end=begin + timedelta(days=round(course.weeks * 7)),
                cost_eur=course.opp.cost_eur,
                funding=applied,
                funded_cost_eur=funded,
                covers=[ref(u) for u in covers],
                why=_why(ctx, i, order, covers),
            )
        )
    hours = sum(s.opportunity.hours for s in steps)
    finish_weeks = max((starts[i] + courses[i].weeks for i in order), default=0.0)
    if p.constraints.hours_per_week:
        finish_weeks = max(finish_weeks, hours / p.constraints.hours_per_week)
    covered: set[str] = set().union(*(courses[i].teaches for i in order))
    funded_total = round(sum(s.funded_cost_eur for s in steps), 2)
    before = round(sum(s.cost_eur for s in steps), 2)
    value = {
        Objective.COST: funded_total,
        Objective.HOURS: hours,
        Objective.TIME: round(finish_weeks, 4),
    }[p.objective]
    n_ess = len([u for u in p.essential if u in covered])
    n_opt = len([u for u in p.optional if u in covered])
    summary = (
        f"{len(steps)} course{'s' if len(steps) != 1 else ''} cover {n_ess} missing essential "
        f"and {n_opt} optional skills for {_eur(funded_total)} after funding ({_eur(before)} "
        f"before), {hours:g} hours, finishing in {finish_weeks:.1f} weeks: the lowest "
        f"{_objective_words(p.objective)}"
        + (
            " among plans covering the most optional skills"
            if p.optional and p.constraints.include_optional
            else ""
        )
        + "."
    )
    return Plan(
        status=PlanStatus.OPTIMAL,
        objective=p.objective,
        objective_value=value,
        steps=steps,
        covered_essential=[ref(u) for u in p.essential if u in covered],
        covered_optional=[ref(u) for u in p.optional if u in covered],
        already_have=ctx.already,
        uncoverable=ctx.uncoverable,
        missing_after_plan=[ref(u) for u in p.optional if u not in covered],
        total_cost_eur=before,
        total_funded_cost_eur=funded_total,
        total_hours=hours,
        finish=ctx.start + timedelta(days=math.ceil(finish_weeks * 7 - 1e-9)),
        explanation=[summary, *explanation],
    )


def _objective_words(objective: Objective) -> str:
    return {
        Objective.COST: "cost after funding",
        Objective.HOURS: "total hours",
        Objective.TIME: "time to completion",
    }[objective]


def _why(ctx: _Context, i: int, order: list[int], covers: list[str]) -> str:
    """Why course ``i`` is in the plan, in one sentence."""
    p = ctx.problem
    course = p.courses[i]
    label = ctx.labels.get
    parts: list[str] = []
    essential = [label(u, u) for u in covers if u in set(p.essential)]
    optional = [label(u, u) for u in covers if u not in set(p.essential)]
    if essential:
        parts.append("covers essential " + _quoted(essential))
    if optional:
        parts.append("covers optional " + _quoted(optional))
    only = [label(u, u) for u in covers if ctx.teachers.get(u) == [course.opp.id]]
    if only:
        parts.append("the only eligible course teaching " + _quoted(only))
    if p.objective is Objective.COST:
        cheapest = [
            label(u, u)
            for u in covers
            if ctx.teachers.get(u) != [course.opp.id]
            and course.funded <= ctx.cheapest.get(u, math.inf) + 1e-9
        ]
        if cheapest and len(cheapest) == len(covers):
            parts.append("no course teaches any of them for less after funding")
        elif cheapest:
            parts.append("the cheapest way after funding to learn " + _quoted(cheapest))
    for j in order:
        other = p.courses[j]
        if j == i:
            continue
        gives = sorted(other.needs_skills & course.teaches)
        if course.opp.id in other.needs_courses or gives:
            what = f" (teaches {_quoted(label(u, u) for u in gives)})" if gives else ""
            parts.append(f"a prerequisite of '{other.opp.title}'{what}")
    if not parts:
        parts.append("part of the optimal combination")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."
