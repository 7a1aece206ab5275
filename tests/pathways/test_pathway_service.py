"""PathwayService and TargetResolver on the full ESCO: the worked example of docs/pathways.md (a
welder targets battery manufacturing technician in Germany), targets, destinations, bad input."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from skillpass.app import SkillPass, build
from skillpass.errors import NotFound
from skillpass.passport.models import SkillsProfile
from skillpass.pathways.models import (
    AppliedFunding,
    EmploymentStatus,
    OpportunityCreate,
    OpportunityMode,
    PlanConstraints,
    PlanRequest,
    PlanStatus,
    Situation,
    TargetKind,
    TargetRef,
)
from skillpass.pathways.targets import AREA_ESSENTIAL
from tests.conftest import make_settings
from tests.pathways.planner_oracle import brute_force

pytestmark = pytest.mark.esco

WELDER = "http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b"
BATTERY = "http://data.europa.eu/esco/occupation/10841c22-0154-48ab-aaca-ce61b9a8e448"
START = date(2026, 3, 2)


@pytest.fixture
def app(esco_database: Path, tmp_path: Path) -> Iterator[SkillPass]:
    folder = tmp_path / "db"
    shutil.copytree(esco_database, folder)  # the shared database stays read-only
    built = build(make_settings(folder))
    yield built
    built.close()


def essential_of(app: SkillPass, occupation: str) -> list[str]:
    needs = app.targets.requirements(TargetRef(kind=TargetKind.OCCUPATION, id=occupation))
    return [s.uri for s in needs.essential]


def course(title: str, outcomes: list[str], **changes: Any) -> OpportunityCreate:
    base: dict[str, Any] = {
        "title": title,
        "provider": "Berufsbildungszentrum Nord (synthetic)",
        "country": "DE",
        "languages": ["de", "en"],
        "mode": OpportunityMode.ONSITE,
        "duration_weeks": 4,
        "hours": 40,
        "cost_eur": 600,
        "eqf": 4,
        "outcomes": outcomes,
        "synthetic": True,
    }
    return OpportunityCreate(**{**base, **changes})


def battery_catalogue(app: SkillPass, needs: list[str]) -> list[str]:
    """A small catalogue for the worked example; the last essential skill is taught nowhere."""
    n = len(needs)
    third = n // 3
    made = [
        app.catalogue.create(None, course("Battery cell production basics", needs[:third])),
        app.catalogue.create(
            None,
            course(
                "Battery cell production basics (online)",
                needs[:third],
                mode=OpportunityMode.ONLINE,
                cost_eur=900,
                languages=["en"],
            ),
        ),
        app.catalogue.create(
            None,
            course("Module and pack assembly", needs[third : 2 * third], cost_eur=1200, hours=80),
        ),
        app.catalogue.create(
            None,
            course(
                "Assemblage de modules (Lyon)",
                needs[third : 2 * third],
                country="FR",
                languages=["fr"],
                cost_eur=500,
            ),
        ),
        app.catalogue.create(
            None,
            course("Quality and safety in battery plants", needs[2 * third : n - 1], cost_eur=700),
        ),
        app.catalogue.create(
            None,
            course(
                "Battery production technician bootcamp",
                needs[: n - 1],
                cost_eur=4200,
                hours=320,
                duration_weeks=12,
            ),
        ),
    ]
    return [o.id for o in made]


def test_worked_example_welder_to_battery_technician_in_germany(app: SkillPass) -> None:
    app.funding.ensure_seeded()
    have = essential_of(app, WELDER)  # attested workplace learning as a welder
    needs = [u for u in essential_of(app, BATTERY) if u not in have]
    battery_catalogue(app, needs)
    situation = Situation(
        country="DE",
        region="DE600",
        age=45,
        employment_status=EmploymentStatus.EMPLOYED,
        company_size=120,
    )
    request = PlanRequest(
        have=have,
        target=TargetRef(kind=TargetKind.OCCUPATION, id=BATTERY),
        constraints=PlanConstraints(start=START, country="DE", include_optional=False),
        situation=situation,
    )
    plan = app.pathways.plan(request, today=START)

    assert plan.status is PlanStatus.OPTIMAL
    assert "battery manufacturing technician" in plan.explanation[0]
    # the last essential skill (and every optional one) is taught by no course
    assert [s.uri for s in plan.uncoverable if s.uri in needs] == [needs[-1]]
    assert {s.uri for s in plan.covered_essential} == set(needs[:-1])
    titles = {s.opportunity.title for s in plan.steps}
    assert titles == {
        "Battery cell production basics",
        "Module and pack assembly",
        "Quality and safety in battery plants",
    }
    funded = [f for s in plan.steps for f in s.funding]
    assert funded, "the Hamburg further-training bonus applies"
    assert all(f.reason for f in funded)
    assert plan.total_funded_cost_eur < plan.total_cost_eur
    assert all(s.why for s in plan.steps)

    # the same answer as brute force over the reduced catalogue
    opportunities = app.catalogue.all()
    funding = {}
    for o in opportunities:
        applied = app.funding.funding_for(situation, o)
        if applied:
            funding[o.id] = AppliedFunding(
                programme_id="all",
                programme_name="all",
                amount_eur=sum(f.amount_eur for f in applied),
                reason="",
            )
    best = brute_force(
        have=set(have),
        essential=essential_of(app, BATTERY),
        optional=[],
        opps=opportunities,
        funding=funding,
        constraints=request.constraints,
        objective=request.objective,
    )
    assert best is not None
    assert plan.objective_value == pytest.approx(best.value)
    assert frozenset(s.opportunity.id for s in plan.steps) in best.sets


def test_plan_for_uses_the_learners_profile(
    app: SkillPass, monkeypatch: pytest.MonkeyPatch
) -> None:
    have = essential_of(app, WELDER)
    needs = [u for u in essential_of(app, BATTERY) if u not in have]
    battery_catalogue(app, needs)
    profile = SkillsProfile.model_validate(
        {
            "owner_id": "u1",
            "skills": [
                {"uri": u, "label": u, "strength": "employer_attested", "evidence": []}
                for u in have
            ],
            "areas": [],
            "ects_total": 0,
            "hours_total": 0,
            "eqf_levels": {},
            "highest_eqf": None,
            "items": 1,
            "unverified_items": 0,
        }
    )
    monkeypatch.setattr(app.passport, "profile", lambda user: profile)
    plan = app.pathways.plan_for(
        object(),  # type: ignore[arg-type]
        TargetRef(kind=TargetKind.OCCUPATION, id=BATTERY),
        PlanConstraints(start=START, country="DE", include_optional=False),
        today=START,
    )
    assert plan.status is PlanStatus.OPTIMAL
    assert {s.uri for s in plan.already_have} == set(have) & set(essential_of(app, BATTERY))


def test_unknown_target_is_not_found_with_a_hint(app: SkillPass) -> None:
    for target in [
        TargetRef(kind=TargetKind.OCCUPATION, id="http://data.europa.eu/esco/occupation/nope"),
        TargetRef(kind=TargetKind.CAPABILITY_AREA, id="alchemy"),
        TargetRef(kind=TargetKind.ACHIEVEMENT, id="no-such-definition"),
    ]:
        with pytest.raises(NotFound):
            app.pathways.plan(PlanRequest(have=[], target=target))


def test_empty_catalogue_gives_an_explanation(app: SkillPass) -> None:
    plan = app.pathways.plan(
        PlanRequest(have=[], target=TargetRef(kind=TargetKind.OCCUPATION, id=BATTERY))
    )
    assert plan.status is PlanStatus.NOTHING_TO_DO
    assert len(plan.uncoverable) == len(essential_of(app, BATTERY)) + len(
        app.targets.requirements(TargetRef(kind=TargetKind.OCCUPATION, id=BATTERY)).optional
    )
    assert any("catalogue is empty" in line for line in plan.explanation)


def test_capability_area_target_ranks_core_skills_by_occupational_use(app: SkillPass) -> None:
    needs = app.targets.requirements(TargetRef(kind=TargetKind.CAPABILITY_AREA, id="batteries"))
    assert 0 < len(needs.essential) <= AREA_ESSENTIAL
    assert "core skills" in needs.note
    assert not {s.uri for s in needs.essential} & {s.uri for s in needs.optional}


def test_destinations_rank_occupations_by_share_of_essential_skills(app: SkillPass) -> None:
    have = essential_of(app, WELDER)
    ranked = app.pathways.destinations_for(have, limit=5)
    assert ranked[0].target.id == WELDER
    assert ranked[0].closeness == 1.0
    assert [d.closeness for d in ranked] == sorted((d.closeness for d in ranked), reverse=True)
