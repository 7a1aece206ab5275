"""Issue 6 acceptance, end to end on the full ESCO: the welder's worked example.

A welder with employer-attested workplace learning (signed on the platform by a Swedish employer)
targets the ESCO occupation *battery manufacturing technician* in Germany. The recognition
report shows coverage with evidence and the gaps, and an officer records a decision; the plan
covers every coverable essential skill at the minimum cost after funding, equal to brute force
over the reduced catalogue; Hamburg's further-training bonus is applied with its reasons. Bad
input (unknown target, infeasible constraints, an empty catalogue) gets a clear explanation, not
an exception — through the services and through the HTTP API.

Runs on a private copy of the session's full-ESCO database. The numbers here are the ones quoted
in the worked example of docs/pathways.md.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass, build
from skillpass.errors import NotFound
from skillpass.passport.models import Strength
from skillpass.pathways.models import (
    AppliedFunding,
    Objective,
    PlanConstraints,
    PlanStatus,
    TargetKind,
    TargetRef,
)
from skillpass.recognition.models import DecisionKind, MatchHow, RecognitionRequest
from tests.conftest import make_settings
from tests.pathways import _welder as ex
from tests.pathways.planner_oracle import brute_force

pytestmark = [pytest.mark.esco, pytest.mark.slow]

HH_BONUS = "de-hh-weiterbildungsbonus"


@pytest.fixture
def app(
    esco_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SkillPass]:
    """A SkillPass on a private copy of the full-ESCO database (the test writes), with lexical
    matching."""
    shutil.copy(esco_database / "skillpass.sqlite3", tmp_path / "skillpass.sqlite3")
    skillpass = build(make_settings(tmp_path))
    ex.lexical(skillpass, monkeypatch)
    yield skillpass
    skillpass.close()


def _combined(applied: list[AppliedFunding]) -> AppliedFunding | None:
    """One programme entry per course for the oracle (this example has one programme)."""
    if not applied:
        return None
    assert len({a.programme_id for a in applied}) == 1, applied
    return applied[0].model_copy(update={"amount_eur": sum(a.amount_eur for a in applied)})


def test_welder_to_battery_technician_in_germany(app: SkillPass) -> None:
    w = ex.set_up(app)
    uris = ex.skill_uris(app)
    label_of = {uri: label for label, uri in uris.items()}

    # --- the passport: the attestation is verified, employer-attested evidence -------------
    profile = app.passport.profile(w.learner)
    held = {s.uri for s in profile.skills}
    assert {uris[label] for label in (*ex.WELDING, *ex.ON_THE_LINE)} <= held
    assert all(s.strength is Strength.EMPLOYER_ATTESTED for s in profile.skills)

    # --- recognition: coverage with evidence, gaps, levels, credits, verification ----------
    report = app.recognition.report(
        w.learner, RecognitionRequest(target=ex.TARGET, learner_id=w.learner.public_id)
    )
    assert report.target_label == "battery manufacturing technician"
    essential = {c.skill.label: c for c in report.essential}
    assert len(essential) == 17
    for label in ex.ON_THE_LINE:
        cover = essential[label]
        assert cover.credit == 1.0
        best = cover.evidence[0]
        assert best.how is MatchHow.EXACT
        assert best.strength is Strength.EMPLOYER_ATTESTED
        assert best.verified is True
        assert "Welder, battery-module line" in best.item_title
        assert best.explanation
    missing = {s.label for s in report.missing_essential}
    assert set(ex.UNTAUGHT) <= missing
    assert {"assemble batteries", "battery chemistry", "electrical engineering"} <= missing
    assert 3 / 17 - 1e-9 <= report.essential_coverage < 1
    for cover in report.essential:  # every indirect credit is explained
        for evidence in cover.evidence:
            assert evidence.explanation, evidence
    assert [e.verified for e in report.evidence] == [True]
    assert report.evidence[0].issuer_name == "Nordsvets AB"
    assert report.evidence[0].issuer_country == "SE"
    assert report.summary
    assert "battery manufacturing technician" in report.summary
    assert report.suggested_decision in {DecisionKind.PARTIAL, DecisionKind.NONE}
    assert report.credits.evidence_ects >= 0

    # the recognition officer works from the credential as issued (never the passport)
    officer_report = app.recognition.report(
        w.officer, RecognitionRequest(target=ex.TARGET, documents=[w.attestation_document])
    )
    assert {s.uri for s in officer_report.missing_essential} == {
        s.uri for s in report.missing_essential
    }
    assert officer_report.evidence[0].verified is True
    decision = app.recognition.decide(
        w.officer,
        officer_report.id,
        DecisionKind.PARTIAL,
        "Complete courses covering battery assembly, chemistry and testing.",
    )
    assert app.recognition.decisions(w.officer, officer_report.id) == [decision]
    assert decision.officer_name == "Petra Schulz"

    # --- the plan: every coverable essential skill at minimum funded cost ------------------
    plan = app.pathways.plan_for(
        w.learner, ex.TARGET, ex.CONSTRAINTS, ex.SITUATION, Objective.COST, alternatives=1
    )
    assert plan.status is PlanStatus.OPTIMAL, plan.explanation
    needs = app.targets.requirements(ex.TARGET)
    taught = {o.uri for course in w.courses.values() for o in course.outcomes}
    gaps = [s.uri for s in needs.essential if s.uri not in held]
    assert {s.uri for s in plan.covered_essential} == {u for u in gaps if u in taught}
    essential_uris = {s.uri for s in needs.essential}
    untaught = {label_of[s.uri] for s in plan.uncoverable if s.uri in essential_uris}
    assert untaught == set(ex.UNTAUGHT)
    assert not plan.missing_after_plan
    chosen = {step.opportunity.id for step in plan.steps}
    assert w.courses["F"].id not in chosen  # cheaper, but on site in France
    assert w.courses["I"].id not in chosen  # the bootcamp costs more than smaller courses

    # the eligible funding is applied, with reasons
    for step in plan.steps:
        assert step.funding, f"{step.opportunity.title} got no funding"
        (bonus,) = step.funding
        assert bonus.programme_id == HH_BONUS
        assert bonus.amount_eur == pytest.approx(min(step.cost_eur * 0.5, 750))
        assert "eligible because" in bonus.reason
        assert step.funded_cost_eur == pytest.approx(step.cost_eur - bonus.amount_eur)
        assert step.why
    assert plan.total_funded_cost_eur == pytest.approx(
        plan.total_cost_eur - sum(f.amount_eur for s in plan.steps for f in s.funding)
    )
    assert plan.objective_value == pytest.approx(plan.total_funded_cost_eur)
    assert plan.alternatives
    assert plan.alternatives[0].total_funded_cost_eur >= plan.total_funded_cost_eur

    # ... and equals brute force over every subset of the reduced catalogue
    opportunities = list(w.courses.values())
    funding = {
        o.id: f
        for o in opportunities
        if (f := _combined(app.funding.funding_for(ex.SITUATION, o))) is not None
    }
    best = brute_force(
        have=held,
        essential=[s.uri for s in needs.essential],
        optional=[s.uri for s in needs.optional],
        opps=opportunities,
        funding=funding,
        constraints=ex.CONSTRAINTS,
        objective=Objective.COST,
    )
    assert best is not None
    assert plan.objective_value == pytest.approx(best.value, abs=1e-6)
    assert frozenset(chosen) in best.sets

    # the programmes that do not apply say why
    results = {p.id: r for p, r in app.funding.search(situation=ex.SITUATION) if r is not None}
    assert results[HH_BONUS].eligible
    assert not results["de-sgb3-82-weiterbildung-beschaeftigter"].eligible
    assert any("not eligible" in r for r in results["fr-cpf"].reasons)

    # the destinations ranking finds the welder first among occupations
    destinations = app.pathways.destinations(w.learner, limit=50)
    labels = [d.label for d in destinations]
    assert "welder" in labels
    assert labels.index("welder") < 5


def test_bad_input_is_explained_not_raised(app: SkillPass) -> None:
    w = ex.set_up(app, courses=False)

    # an empty catalogue: a plan whose status and explanation say so
    empty = app.pathways.plan_for(w.learner, ex.TARGET, ex.CONSTRAINTS, ex.SITUATION)
    assert empty.status in {PlanStatus.INFEASIBLE, PlanStatus.NOTHING_TO_DO}
    assert not empty.steps
    essential_uris = {s.uri for s in app.targets.requirements(ex.TARGET).essential}
    assert len([s for s in empty.uncoverable if s.uri in essential_uris]) == 14
    assert any("no course in the catalogue" in line.lower() for line in empty.explanation)
    assert any("catalogue is empty" in line for line in empty.explanation)

    # an unknown target: NotFound with a message that says where to look
    unknown = TargetRef(kind=TargetKind.OCCUPATION, id=f"{ex.ESCO}occupation/not-an-occupation")
    with pytest.raises(NotFound) as raised:
        app.pathways.plan_for(w.learner, unknown)
    assert "occupation" in raised.value.message.lower()

    # infeasible constraints: a budget of nothing
    assert ex.add_courses(app)
    broke = PlanConstraints(country="DE", budget_eur=0, include_optional=False)
    infeasible = app.pathways.plan_for(w.learner, ex.TARGET, broke, ex.SITUATION)
    assert infeasible.status is PlanStatus.INFEASIBLE
    assert infeasible.explanation
    assert any("budget" in line.lower() for line in infeasible.explanation)

    # the same through the HTTP API: 404 and 200-with-infeasible, in the one envelope
    client = TestClient(create_api(app))
    token = app.auth.create_token(w.learner.public_id, "test").token
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post(
        "/api/v1/pathways/plan",
        json={"have": [], "target": {"kind": "occupation", "id": unknown.id}},
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["message"]
    response = client.post(
        "/api/v1/pathways/plan/me",
        json={
            "target": ex.TARGET.model_dump(),
            "constraints": {"country": "DE", "budget_eur": 0, "include_optional": False},
            "situation": ex.SITUATION.model_dump(mode="json"),
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "infeasible"
    assert response.json()["explanation"]
    response = client.post(
        "/api/v1/pathways/plan",
        json={"have": [], "target": {"kind": "occupation", "id": ex.BATTERY_TECHNICIAN},
              "constraints": {"budget_eur": -5}},
    )  # fmt: skip
    assert response.status_code == 422
    assert "budget_eur" in response.json()["error"]["message"]
