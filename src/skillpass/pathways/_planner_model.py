"""The planner's mixed-integer programme and exact scheduler (see :mod:`skillpass.pathways.planner`
and docs/pathways.md): the model over ``highspy``, its relaxation with lazy checks and cuts, the
earliest-end bounds and the Dijkstra-style schedule."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import highspy
import numpy as np

from skillpass.pathways.models import AppliedFunding, Objective, Opportunity, PlanConstraints

_INF = highspy.kHighsInf
#: Tie-breaks (hours for a cost objective, cost otherwise; optional skills covered) together weigh
#: less than 0.001 of the objective's unit, so they never change the optimum of the objective
#: (funded costs are rounded to cents).
_TIE = 4e-4


# --- the eligible catalogue ------------------------------------------------------------------


@dataclass(slots=True)
class _Course:
    """One eligible opportunity, with what the model needs."""

    opp: Opportunity
    funded: float  # cost after funding, cents
    funding: list[AppliedFunding]
    dates: list[float]  # candidate start weeks (offsets from the plan start); [] = self-paced
    earliest: float  # earliest start week
    weeks: float  # duration
    teaches: set[str]
    eel: float = 0.0  # earliest possible end week, with the fastest prerequisite chain
    needs_skills: set[str] = field(default_factory=set)  # prerequisite skills not in `have`
    needs_courses: set[str] = field(default_factory=set)  # prerequisite ids not satisfied

    consumer: bool = False  # has prerequisites the person lacks (set once they are known)


@dataclass
class _Problem:
    courses: list[_Course]
    essential: list[str]  # coverable missing essential skills
    optional: list[str]  # coverable missing optional skills
    objective: Objective
    constraints: PlanConstraints
    deadline_weeks: float | None
    caps: dict[str, float]


@dataclass
class _Solution:
    chosen: list[int]
    value: float


# --- the mixed-integer programme ---------------------------------------------------------------


class _Mip:
    """A thin builder over ``highspy``: columns and rows, then one ``passModel``-like load."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[float, float, list[int], list[float]]] = []

    def var(self, lo: float = 0.0, hi: float = 1.0, *, integer: bool = False) -> int:
        self.lower.append(lo)
        self.upper.append(hi)
        if integer:
            self.integer.append(len(self.lower) - 1)
        return len(self.lower) - 1

    def row(self, lo: float, hi: float, terms: Iterable[tuple[int, float]]) -> None:
        idx: list[int] = []
        val: list[float] = []
        for i, v in terms:
            idx.append(i)
            val.append(v)
        self.rows.append((lo, hi, idx, val))

    def build(self, time_limit: float) -> highspy.Highs:
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 1e-4)
        h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("threads", 1)
        n = len(self.lower)
        h.addVars(n, np.array(self.lower, dtype=np.float64), np.array(self.upper, dtype=np.float64))
        if self.integer:
            idx = np.array(self.integer, dtype=np.int32)
            h.changeColsIntegrality(
                len(idx), idx, np.full(len(idx), highspy.HighsVarType.kInteger, dtype=np.uint8)
            )
        if self.rows:
            starts: list[int] = []
            indices: list[int] = []
            values: list[float] = []
            for _, _, idx_, val in self.rows:
                starts.append(len(indices))
                indices.extend(idx_)
                values.extend(val)
            h.addRows(
                len(self.rows),
                np.array([r[0] for r in self.rows], dtype=np.float64),
                np.array([r[1] for r in self.rows], dtype=np.float64),
                len(indices),
                np.array(starts, dtype=np.int32),
                np.array(indices, dtype=np.int32),
                np.array(values, dtype=np.float64),
            )
        return h


class _Model:
    """The planner's MIP for one problem, with the switches the infeasibility diagnosis needs.

    With ``timing=False`` it is a relaxation: a prerequisite only needs some provider in the
    plan (no order, no dates) and a course's end is bounded below by its earliest possible end.
    A relaxed optimum that the exact scheduler can order within the time constraints is the true
    optimum; otherwise cycle cuts are added, and as a last resort the full model is built.
    """

    def __init__(
        self,
        p: _Problem,
        *,
        budget: bool = True,
        time: bool = True,
        timing: bool = True,
        time_limit: float = 30.0,
    ) -> None:
        self.p = p
        c = p.constraints
        courses = p.courses
        m = _Mip()
        self.x = [m.var(integer=True) for _ in courses]
        index = {course.opp.id: i for i, course in enumerate(courses)}
        teachers: dict[str, list[int]] = defaultdict(list)
        for i, course in enumerate(courses):
            for uri in course.teaches:
                teachers[uri].append(i)
        for uri in p.essential:
            m.row(1, _INF, ((self.x[i], 1.0) for i in teachers[uri]))
        self.cover = []
        for uri in p.optional:
            k = m.var()
            self.cover.append(k)
            m.row(-_INF, 0, [(k, 1.0), *((self.x[i], -1.0) for i in teachers[uri])])

        deadline = p.deadline_weeks if time else None
        needs_time = p.objective is Objective.TIME or deadline is not None
        # A bound on any course's end in an earliest-start schedule: the last start date, then
        # the longest course, then every dependent course one after another.
        dated_max = max((d for course in courses for d in course.dates), default=0.0)
        horizon = (
            dated_max
            + max((course.weeks for course in courses), default=0.0)
            + sum(course.weeks for course in courses if course.consumer)
            + 1.0
        )
        if deadline is not None:
            horizon = min(horizon, deadline + 1.0)
        # Start week of each course: a variable for courses that depend on others, else fixed.
        start: dict[int, list[tuple[int, float]]] = {}  # s[o] as terms; constant handled apart
        for i, course in enumerate(courses):
            if not course.consumer or not timing:
                continue
            if course.dates:
                ys = [(m.var(integer=True), d) for d in course.dates]
                m.row(0, 0, [*((y, 1.0) for y, _ in ys), (self.x[i], -1.0)])
                start[i] = [(y, d) for y, d in ys]
            else:
                s = m.var(0.0, horizon)
                m.row(-_INF, 0, [(s, 1.0), (self.x[i], -horizon)])
                start[i] = [(s, 1.0)]

        def end_terms(j: int) -> tuple[list[tuple[int, float]], float]:
            """e[j] = s[j] + weeks[j] as (terms, constant), valid when x[j] = 1."""
            if j in start:
                return start[j], courses[j].weeks
            return [], courses[j].earliest + courses[j].weeks

        big_m = horizon + max((course.weeks for course in courses), default=0.0)
        for i, course in enumerate(courses):
            if not course.consumer:
                continue
            if not timing:
                for pid in course.needs_courses:
                    m.row(0, _INF, [(self.x[index[pid]], 1.0), (self.x[i], -1.0)])
                # only providers that can end before this course's last possible start
                latest = max(course.dates) if course.dates else math.inf
                for uri in course.needs_skills:
                    row_ = [
                        (self.x[j], 1.0)
                        for j in teachers[uri]
                        if j != i and courses[j].eel <= latest + 1e-9
                    ]
                    m.row(0, _INF, [*row_, (self.x[i], -1.0)])
                continue

            # s[i] >= e[j] - M (1 - z), with z = u[i, j] (skills) or x[i] (prerequisite course)
            def precede(j: int, z: int, i: int = i) -> None:
                terms, const = end_terms(j)
                m.row(
                    const - big_m,
                    _INF,
                    [*start[i], *((t, -v) for t, v in terms), (z, -big_m)],
                )

            for pid in course.needs_courses:
                j = index[pid]
                m.row(0, _INF, [(self.x[j], 1.0), (self.x[i], -1.0)])
                precede(j, self.x[i])
            providers: dict[int, int] = {}
            for uri in course.needs_skills:
                row: list[tuple[int, float]] = [(self.x[i], -1.0)]
                for j in teachers[uri]:
                    if j == i:
                        continue
                    if j not in providers:
                        u = m.var(integer=True)
                        providers[j] = u
                        m.row(-_INF, 0, [(u, 1.0), (self.x[j], -1.0)])
                        m.row(-_INF, 0, [(u, 1.0), (self.x[i], -1.0)])
                        precede(j, u)
                    row.append((providers[j], 1.0))
                m.row(0, _INF, row)

        self.t: int | None = None
        if needs_time:
            self.t = m.var(0.0, deadline if deadline is not None else _INF)
            for i in range(len(courses)):
                terms, const = end_terms(i)
                if terms:
                    m.row(
                        const - big_m,
                        _INF,
                        [(self.t, 1.0), *((t, -v) for t, v in terms), (self.x[i], -big_m)],
                    )
                m.row(0, _INF, [(self.t, 1.0), (self.x[i], -courses[i].eel)])
        hpw = c.hours_per_week if time else None
        if hpw is not None and self.t is not None:
            m.row(
                0,
                _INF,
                [
                    (self.t, 1.0),
                    *((self.x[i], -co.opp.hours / hpw) for i, co in enumerate(courses)),
                ],
            )

        # Funding with annual caps: g[o, programme] <= amount x[o]; sum_o g <= cap.
        self.cost_terms: list[tuple[int, float]] = []
        capped: dict[str, list[int]] = defaultdict(list)
        for i, course in enumerate(courses):
            base = course.opp.cost_eur
            for f in course.funding:
                if f.programme_id in p.caps:
                    g = m.var(0.0, f.amount_eur)
                    m.row(-_INF, 0, [(g, 1.0), (self.x[i], -f.amount_eur)])
                    capped[f.programme_id].append(g)
                    self.cost_terms.append((g, -1.0))
                else:
                    base -= f.amount_eur
            self.cost_terms.append((self.x[i], max(0.0, round(base, 2))))
        for pid, gs in capped.items():
            m.row(-_INF, p.caps[pid], ((g, 1.0) for g in gs))
        if budget and c.budget_eur is not None:
            m.row(-_INF, c.budget_eur + 1e-6, self.cost_terms)

        self.mip = m
        self.h = m.build(time_limit)
        self.n = len(m.lower)
        self.opt_row: int | None = None

    # objective vectors ---------------------------------------------------------------------

    def _vector(self, terms: Iterable[tuple[int, float]]) -> np.ndarray:
        v = np.zeros(self.n)
        for i, w in terms:
            v[i] += w
        return v

    def primary(self, objective: Objective) -> np.ndarray:
        courses = self.p.courses
        if objective is Objective.COST:
            return self._vector(self.cost_terms)
        if objective is Objective.HOURS:
            return self._vector((self.x[i], co.opp.hours) for i, co in enumerate(courses))
        assert self.t is not None
        return self._vector([(self.t, 1.0)])

    def tie_break(self, objective: Objective) -> np.ndarray:
        courses = self.p.courses
        if objective is Objective.COST:
            total = sum(co.opp.hours for co in courses) or 1.0
            v = self._vector(
                (self.x[i], _TIE * co.opp.hours / total) for i, co in enumerate(courses)
            )
        else:
            total = sum(abs(w) for _, w in self.cost_terms) or 1.0
            v = self._vector((i, _TIE * w / total) for i, w in self.cost_terms)
        if self.cover:
            v += self._vector((k, -_TIE / len(self.cover)) for k in self.cover)
        return v

    def run(self, cost: np.ndarray) -> tuple[list[int], np.ndarray] | None:
        """Minimise ``cost``; the chosen course indices and the column values, or None."""
        self.h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), cost)
        self.h.run()
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            if status == highspy.HighsModelStatus.kInfeasible:
                return None
            if self.h.getInfo().primal_solution_status != 2:  # no feasible point found
                return None
        values = np.array(self.h.getSolution().col_value)
        return [i for i, col in enumerate(self.x) if values[col] > 0.5], values

    def cut(self, chosen: list[int]) -> None:
        """Exclude this set and its supersets."""
        idx = np.array([self.x[i] for i in chosen], dtype=np.int32)
        self.h.addRow(-_INF, len(chosen) - 1, len(idx), idx, np.ones(len(idx)))

    def cycle_cut(self, stuck: set[int], providers: set[int]) -> None:
        """Not all of ``stuck`` unless one of ``providers`` (outside it) is chosen: the first of
        them to start needs its prerequisites from outside."""
        terms = [(self.x[i], 1.0) for i in stuck] + [(self.x[j], -1.0) for j in providers]
        idx = np.array([t for t, _ in terms], dtype=np.int32)
        val = np.array([v for _, v in terms], dtype=np.float64)
        self.h.addRow(-_INF, len(stuck) - 1, len(idx), idx, val)

    def optimise(self, objective: Objective, include_optional: bool) -> _Solution | None:
        """Lexicographic: most optional skills first when asked, then the objective."""
        if self.opt_row is not None:
            self.h.changeRowBounds(self.opt_row, -_INF, _INF)
        primary = self.primary(objective)
        tie = self.tie_break(objective)
        if include_optional and self.cover:
            first = self.run(self._vector((k, -1.0) for k in self.cover) + 1e-6 * tie)
            if first is None:
                return None
            best = sum(first[1][k] for k in self.cover)
            idx = np.array(self.cover, dtype=np.int32)
            bound = math.floor(best + 1e-6) - 1e-6
            if self.opt_row is None:
                self.h.addRow(bound, _INF, len(idx), idx, np.ones(len(idx)))
                self.opt_row = self.h.getNumRow() - 1
            else:
                self.h.changeRowBounds(self.opt_row, bound, _INF)
        result = self.run(primary + tie)
        if result is None:
            return None
        chosen, values = result
        return _Solution(chosen, float(primary @ values))


class _Solver:
    """Solve the relaxed model and check its optimum with the exact scheduler; add cycle cuts
    while they separate; build the full (timed) model only when the relaxation is not exact."""

    def __init__(
        self, p: _Problem, *, budget: bool = True, time: bool = True, time_limit: float = 30.0
    ) -> None:
        self.p = p
        self.budget, self.time, self.time_limit = budget, time, time_limit
        self.relaxed = _Model(p, budget=budget, time=time, timing=False, time_limit=time_limit)
        self.full: _Model | None = None
        self.cuts: list[list[int]] = []

    def cut(self, chosen: list[int]) -> None:
        self.cuts.append(chosen)
        self.relaxed.cut(chosen)
        if self.full is not None:
            self.full.cut(chosen)

    def optimise(self, objective: Objective, include_optional: bool) -> _Solution | None:
        if self.full is None:
            for _ in range(100):
                sol = self.relaxed.optimise(objective, include_optional)
                if sol is None:
                    return None  # the relaxation is infeasible, so is the problem
                verdict = self._check(sol, objective)
                if verdict is True:
                    return sol
                if verdict is False:
                    break
                self.relaxed.cycle_cut(*verdict)
            self.full = _Model(
                self.p, budget=self.budget, time=self.time, timing=True, time_limit=self.time_limit
            )
            for chosen in self.cuts:
                self.full.cut(chosen)
        return self.full.optimise(objective, include_optional)

    def _check(self, sol: _Solution, objective: Objective) -> bool | tuple[set[int], set[int]]:
        """True: the relaxed optimum is exact. A (stuck, providers) cycle cut that separates it.
        False: neither (the full model decides)."""
        courses = self.p.courses
        starts, stuck = _schedule(courses, sol.chosen)
        if stuck:
            wanted_ids = {pid for i in stuck for pid in courses[i].needs_courses}
            wanted_skills = {u for i in stuck for u in courses[i].needs_skills}
            providers = {
                j
                for j, co in enumerate(courses)
                if j not in stuck and (co.opp.id in wanted_ids or co.teaches & wanted_skills)
            }
            if providers & set(sol.chosen):
                return False
            return stuck, providers
        if not self.time:
            return True
        c = self.p.constraints
        finish = max((starts[i] + courses[i].weeks for i in sol.chosen), default=0.0)
        if c.hours_per_week:
            hours = sum(courses[i].opp.hours for i in sol.chosen)
            finish = max(finish, hours / c.hours_per_week)
        if self.p.deadline_weeks is not None and finish > self.p.deadline_weeks + 1e-9:
            return False
        return not (objective is Objective.TIME and finish > sol.value + 1e-6)


def _start_after(course: _Course, ready: float) -> float:
    """The first start week at or after ``ready`` (inf when no date is left)."""
    if not course.dates:
        return ready
    return min((d for d in course.dates if d >= ready - 1e-9), default=math.inf)


def _earliest_ends(courses: Mapping[str, _Course]) -> dict[str, float]:
    """Earliest end week of every course if the fastest provider of each prerequisite were taken
    (a lower bound on its end in any plan; inf when it can never start)."""
    ends = {oid: co.earliest + co.weeks for oid, co in courses.items() if not co.consumer}
    consumers = {oid: co for oid, co in courses.items() if co.consumer}
    for oid in consumers:
        ends[oid] = math.inf
    wanted = {u for co in consumers.values() for u in co.needs_skills}
    teachers: dict[str, list[str]] = defaultdict(list)
    for oid, co in courses.items():
        for u in co.teaches & wanted:
            teachers[u].append(oid)
    changed = True
    while changed:
        changed = False
        # the two fastest providers of each prerequisite skill (a course cannot provide itself)
        fastest: dict[str, list[tuple[float, str]]] = {
            u: sorted((ends[q], q) for q in qs)[:2] for u, qs in teachers.items()
        }
        for oid, co in consumers.items():
            ready = max((ends.get(pid, math.inf) for pid in co.needs_courses), default=0.0)
            for u in co.needs_skills:
                best = next((e for e, q in fastest.get(u, []) if q != oid), math.inf)
                ready = max(ready, best)
            if math.isinf(ready):
                continue
            end = _start_after(co, ready) + co.weeks
            if end < ends[oid] - 1e-12:
                ends[oid] = end
                changed = True
    return ends


# --- the schedule (timeline) -------------------------------------------------------------------


def _schedule(courses: list[_Course], chosen: list[int]) -> tuple[dict[int, float], set[int]]:
    """Earliest start week of each chosen course, and the courses that cannot be scheduled.

    Generalised Dijkstra: a prerequisite skill comes from the chosen course that ends first; each
    course starts on its first date after its prerequisites end; the pending course that would
    end first is fixed next (durations are positive, so no later course can make it earlier).
    """
    pick = set(chosen)
    by_id = {courses[i].opp.id: i for i in pick}
    starts: dict[int, float] = {}
    ends: dict[int, float] = {}
    pending = set(pick)
    while pending:
        best: tuple[float, int] | None = None
        for i in pending:
            course = courses[i]
            ready = 0.0
            for pid in course.needs_courses:
                j = by_id.get(pid)
                ready = max(ready, ends[j] if j is not None and j in ends else math.inf)
            for uri in course.needs_skills:
                options = [ends[j] for j in ends if uri in courses[j].teaches]
                ready = max(ready, min(options, default=math.inf))
            begin = _start_after(course, ready) if not math.isinf(ready) else math.inf
            if not math.isinf(begin) and (best is None or (begin + course.weeks, i) < best):
                best = (begin + course.weeks, i)
        if best is None:
            return starts, pending
        end, i = best
        starts[i] = end - courses[i].weeks
        ends[i] = end
        pending.discard(i)
    return starts, set()
