"""Funding eligibility rules (pure), the shipped examples, the directory service and imports."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from skillpass.app import SkillPass
from skillpass.errors import InvalidInput, NotFound
from skillpass.passport.models import SkillRef
from skillpass.pathways.funding import benefit_amount, evaluate, load_seed, parse_programmes
from skillpass.pathways.models import (
    Applicant,
    CourseType,
    EligibilityRules,
    EmploymentStatus,
    FundingBenefit,
    FundingLevel,
    FundingProgramme,
    Opportunity,
    OpportunityMode,
    Situation,
)

SKILL = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000001"


def programme(
    id: str = "test-programme",
    *,
    rules: EligibilityRules | None = None,
    benefit: FundingBenefit | None = None,
    applicants: list[Applicant] | None = None,
    **extra: Any,
) -> FundingProgramme:
    return FundingProgramme(
        id=id,
        name=extra.pop("name", f"Programme {id}"),
        funder="A funder",
        level=extra.pop("level", FundingLevel.NATIONAL),
        country=extra.pop("country", "DE"),
        applicants=applicants or [Applicant.INDIVIDUALS],
        description="Pays for courses.",
        eligibility_text="People who live here.",
        amount_text="Up to EUR 1,000 (2025).",
        rules=rules or EligibilityRules(),
        benefit=benefit,
        **extra,
    )


def opportunity(**changes: Any) -> Opportunity:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    values: dict[str, Any] = {
        "id": "opp1",
        "title": "Battery cell assembly",
        "provider": "A provider",
        "country": "DE",
        "languages": ["de"],
        "mode": OpportunityMode.ONSITE,
        "course_type": CourseType.MICRO_CREDENTIAL,
        "start_dates": [],
        "duration_weeks": 6,
        "hours": 120,
        "cost_eur": 1000,
        "eqf": 5,
        "outcomes": [SkillRef(uri=SKILL, label="assemble batteries")],
        "capability_areas": ["batteries"],
        "created_at": now,
        "updated_at": now,
    }
    values.update(changes)
    return Opportunity(**values)


# --- rules ----------------------------------------------------------------------------------


def test_passing_rules_are_joined_into_one_eligible_because_sentence() -> None:
    rules = EligibilityRules(countries=["DE"], employment_status=[EmploymentStatus.EMPLOYED])
    result = evaluate(
        programme(rules=rules),
        Situation(country="DE", employment_status=EmploymentStatus.EMPLOYED),
    )
    assert result.eligible
    assert result.reasons == ["eligible because you live in DE and you are employed"]
    assert result.unknown == []


def test_too_young_is_not_eligible_with_both_ages_in_the_sentence() -> None:
    result = evaluate(programme(rules=EligibilityRules(min_age=25)), Situation(age=22))
    assert not result.eligible
    assert result.reasons == [
        "not eligible: this programme is for people aged 25 or over; you are 22"
    ]


def test_age_range_bounds_are_inclusive() -> None:
    rules = EligibilityRules(min_age=27, max_age=62)
    assert evaluate(programme(rules=rules), Situation(age=27)).eligible
    assert evaluate(programme(rules=rules), Situation(age=62)).eligible
    over = evaluate(programme(rules=rules), Situation(age=63))
    assert over.reasons == ["not eligible: this programme is for people aged 27 to 62; you are 63"]


def test_an_unanswered_rule_is_unknown_and_not_eligible() -> None:
    rules = EligibilityRules(countries=["DE"], min_age=40)
    result = evaluate(programme(rules=rules), Situation(country="DE"))
    assert not result.eligible
    assert result.unknown == ["age"]
    assert result.reasons[0].startswith("tell us your age to check this")


def test_every_unanswered_rule_is_listed() -> None:
    rules = EligibilityRules(
        countries=["AT"],
        regions=["AT13"],
        min_age=18,
        employment_status=[EmploymentStatus.EMPLOYED],
        sectors=["C"],
        max_annual_income_eur=30_000,
        max_company_size=49,
    )
    result = evaluate(programme(rules=rules), Situation())
    assert result.unknown == [
        "country",
        "region",
        "age",
        "employment_status",
        "sector",
        "annual_income_eur",
        "company_size",
    ]
    assert len(result.reasons) == 7
    assert all(reason.startswith("tell us") for reason in result.reasons)


def test_a_failed_rule_and_an_unknown_one_are_both_reported() -> None:
    rules = EligibilityRules(countries=["FR"], min_age=16)
    result = evaluate(programme(rules=rules), Situation(country="DE"))
    assert not result.eligible
    assert result.reasons[0] == (
        "not eligible: this programme is for people living in FR; you live in DE"
    )
    assert result.unknown == ["age"]


def test_region_is_a_nuts_prefix() -> None:
    rules = EligibilityRules(countries=["BE"], regions=["BE2"])
    inside = evaluate(programme(rules=rules), Situation(country="BE", region="BE23"))
    assert inside.eligible
    assert inside.reasons == ["eligible because you live in region BE23 (BE)"]
    outside = evaluate(programme(rules=rules), Situation(country="BE", region="BE10"))
    assert not outside.eligible
    assert "you live in BE10" in outside.reasons[0]


def test_income_sector_and_company_size_limits() -> None:
    rules = EligibilityRules(sectors=["C"], max_annual_income_eur=30_000, max_company_size=49)
    ok = Situation(sector="C27", annual_income_eur=30_000, company_size=49)
    assert evaluate(programme(rules=rules), ok).eligible
    bad = Situation(sector="F", annual_income_eur=30_001, company_size=50)
    reasons = evaluate(programme(rules=rules), bad).reasons
    assert len(reasons) == 3
    assert all(reason.startswith("not eligible") for reason in reasons)


def test_applicant_closed_programme_and_passed_deadline_each_fail() -> None:
    employers = programme(applicants=[Applicant.EMPLOYERS])
    result = evaluate(employers, Situation())
    assert result.reasons == ["not eligible: this programme is for employers, not individuals"]
    closed = programme(active=False, status_text="ENDED in 2023.")
    assert evaluate(closed, Situation()).reasons == [
        "not eligible: this programme is closed (ENDED in 2023.)"
    ]
    late = programme(deadline=date(2025, 3, 5))
    assert not evaluate(late, Situation(), on=date(2025, 3, 6)).eligible
    assert evaluate(late, Situation(), on=date(2025, 3, 5)).eligible


def test_no_conditions_still_gives_a_reason() -> None:
    result = evaluate(programme(), Situation())
    assert result.eligible
    assert result.reasons == [
        "eligible because the programme is open to individuals without conditions"
    ]


def test_course_rules_check_the_opportunity_and_price_it() -> None:
    rules = EligibilityRules(
        course_types=[CourseType.MICRO_CREDENTIAL],
        capability_areas=["batteries"],
        course_countries=["DE"],
        min_eqf=4,
        max_eqf=6,
        min_hours=100,
    )
    benefit = FundingBenefit(percent=50, cap_eur=400)
    result = evaluate(programme(rules=rules, benefit=benefit), Situation(), opportunity())
    assert result.eligible
    assert result.amount_eur == 400
    assert "the course is in the batteries capability area" in result.reasons[0]
    assert result.reasons[1].startswith("it would pay EUR 400 of the EUR 1,000 cost")


def test_course_rules_fail_for_the_wrong_course() -> None:
    rules = EligibilityRules(
        course_types=[CourseType.VET_MODULE], capability_areas=["quantum"], min_hours=400
    )
    result = evaluate(programme(rules=rules), Situation(), opportunity())
    assert not result.eligible
    assert len(result.reasons) == 3
    assert result.amount_eur is None


def test_a_course_without_eqf_level_leaves_the_level_rule_unknown() -> None:
    result = evaluate(
        programme(rules=EligibilityRules(min_eqf=5)), Situation(), opportunity(eqf=None)
    )
    assert not result.eligible
    assert result.unknown == ["eqf"]


def test_without_a_course_the_course_conditions_are_named() -> None:
    rules = EligibilityRules(countries=["DE"], min_hours=400, min_eqf=5)
    result = evaluate(programme(rules=rules), Situation(country="DE"))
    assert result.eligible
    assert result.reasons[1] == "the course must also be at EQF 5 to 8 and at least 400 hours"


@pytest.mark.parametrize(
    ("benefit", "cost", "expected"),
    [
        (FundingBenefit(percent=50), 800, 400),
        (FundingBenefit(percent=90, cap_eur=175), 1000, 175),
        (FundingBenefit(fixed_eur=345), 200, 200),  # never more than the cost
        (FundingBenefit(percent=100, annual_cap_eur=750), 1000, 750),
        (FundingBenefit(percent=10, fixed_eur=100), 1000, 200),
        (FundingBenefit(percent=100), 0, 0),
    ],
)
def test_benefit_amount_respects_cost_and_caps(
    benefit: FundingBenefit, cost: float, expected: float
) -> None:
    assert benefit_amount(benefit, cost) == expected


# --- the shipped examples -------------------------------------------------------------------


def test_seed_programmes_are_examples_with_sources_and_stated_amounts() -> None:
    seed = load_seed()
    assert len(seed) >= 34
    assert len({p.id for p in seed}) == len(seed)
    for p in seed:
        assert p.example, p.id
        assert p.sources, p.id
        assert p.amount_text, p.id
        assert p.eligibility_text, p.id
    ids = {p.id for p in seed}
    assert {"fr-cpf", "de-aufstiegs-bafoeg", "eu-esf-plus", "sg-skillsfuture-credit"} <= ids
    assert sum(p.benefit is not None for p in seed) >= 10
    closed = {p.id for p in seed if not p.active}
    assert {"nl-stap-budget", "at-bildungskarenz", "fi-adult-education-allowance"} <= closed


def test_seed_waff_tiers_pick_the_right_share_by_income() -> None:
    seed = {p.id: p for p in load_seed()}
    tiers = [seed[f"at-wien-waff-bildungskonto-{pct}"] for pct in (50, 40, 30)]
    situation = Situation(
        country="AT",
        region="AT13",
        employment_status=EmploymentStatus.EMPLOYED,
        annual_income_eur=28_000,
    )
    assert [evaluate(t, situation).eligible for t in tiers] == [False, True, True]


# --- the directory ----------------------------------------------------------------------------


def test_ensure_seeded_loads_once(skillpass: SkillPass) -> None:
    loaded = skillpass.funding.ensure_seeded()
    assert loaded == len(load_seed())
    assert skillpass.funding.ensure_seeded() == 0
    assert skillpass.funding.get("fr-cpf").country == "FR"


def test_get_unknown_programme_is_not_found(skillpass: SkillPass) -> None:
    with pytest.raises(NotFound, match="skillpass funding search"):
        skillpass.funding.get("no-such-programme")


def test_search_by_country_keeps_eu_programmes_and_ranks_eligible_first(
    skillpass: SkillPass,
) -> None:
    situation = Situation(country="SG", age=45, employment_status=EmploymentStatus.EMPLOYED)
    found = skillpass.funding.search(country="SG", situation=situation)
    assert {p.id for p, _ in found} == {
        "sg-skillsfuture-credit",
        "sg-skillsfuture-credit-mid-career",
        "sg-mid-career-enhanced-subsidy",
    }
    assert all(result is not None and result.eligible for _, result in found)
    german = skillpass.funding.search(country="DE", situation=Situation(country="DE", age=30))
    ids = [p.id for p, _ in german]
    assert "eu-esf-plus" in ids
    assert "de-aufstiegs-bafoeg" in ids
    assert "fr-cpf" not in ids
    ranks = [r is not None and r.eligible for _, r in german]
    assert ranks == sorted(ranks, reverse=True)


def test_search_leaves_closed_programmes_out_unless_asked(skillpass: SkillPass) -> None:
    open_ids = {p.id for p, _ in skillpass.funding.search(country="NL")}
    all_ids = {p.id for p, _ in skillpass.funding.search(country="NL", include_inactive=True)}
    assert "nl-stap-budget" not in open_ids
    assert "nl-stap-budget" in all_ids


def test_search_text_applicant_and_area_filters(skillpass: SkillPass) -> None:
    found = skillpass.funding.search(text="springboard")
    assert [p.id for p, _ in found] == ["ie-springboard-plus"]
    employers = skillpass.funding.search(applicant=Applicant.EMPLOYERS)
    assert all(Applicant.EMPLOYERS in p.applicants for p, _ in employers)
    digital = {p.id for p, _ in skillpass.funding.search(capability_area="batteries")}
    assert "pt-cheque-formacao-digital" not in digital  # funds only digital areas
    assert "fr-cpf" in digital  # funds any area


def test_funding_for_applies_the_best_single_programme(skillpass: SkillPass) -> None:
    skillpass.funding.upsert(programme("small", benefit=FundingBenefit(percent=20)))
    skillpass.funding.upsert(programme("big", benefit=FundingBenefit(percent=60)))
    applied = skillpass.funding.funding_for(Situation(), opportunity(cost_eur=1000))
    assert [(a.programme_id, a.amount_eur) for a in applied] == [("big", 600)]
    assert applied[0].reason.startswith("eligible because")


def test_funding_for_combines_stackable_programmes_without_exceeding_the_cost(
    skillpass: SkillPass,
) -> None:
    skillpass.funding.upsert(programme("alone", benefit=FundingBenefit(percent=70)))
    skillpass.funding.upsert(
        programme("subsidy", benefit=FundingBenefit(percent=90, stackable=True))
    )
    skillpass.funding.upsert(
        programme("credit", benefit=FundingBenefit(fixed_eur=345, stackable=True))
    )
    applied = skillpass.funding.funding_for(Situation(), opportunity(cost_eur=1000))
    assert [(a.programme_id, a.amount_eur) for a in applied] == [
        ("subsidy", 900),
        ("credit", 100),
    ]
    assert sum(a.amount_eur for a in applied) == 1000
    assert "combined with" in applied[1].reason
    assert "EUR 100 applied" in applied[1].reason


def test_funding_for_the_seed_mid_career_worker_in_singapore(skillpass: SkillPass) -> None:
    situation = Situation(country="SG", age=45)
    applied = skillpass.funding.funding_for(situation, opportunity(cost_eur=5000))
    total = sum(a.amount_eur for a in applied)
    assert total == 5000  # 90% subsidy, then the credits cover the rest
    assert applied[0].programme_id == "sg-mid-career-enhanced-subsidy"
    young = skillpass.funding.funding_for(Situation(country="SG", age=30), opportunity())
    assert [a.programme_id for a in young] == ["sg-skillsfuture-credit"]


def test_funding_for_ignores_ineligible_and_free_courses(skillpass: SkillPass) -> None:
    skillpass.funding.upsert(
        programme(
            "de-only", rules=EligibilityRules(countries=["DE"]), benefit=FundingBenefit(percent=50)
        )
    )
    assert skillpass.funding.funding_for(Situation(country="FR"), opportunity()) == []
    assert skillpass.funding.funding_for(Situation(country="DE"), opportunity(cost_eur=0)) == []


# --- import -----------------------------------------------------------------------------------


def _programme_data(id: str, **changes: Any) -> dict[str, Any]:
    data = programme(id).model_dump(mode="json", exclude_defaults=True)
    data.update(changes)
    return data


def test_import_yaml_creates_and_replaces_by_id(skillpass: SkillPass, tmp_path: Path) -> None:
    path = tmp_path / "funding.yaml"
    first = _programme_data("real-1", example=False, benefit={"percent": 40})
    path.write_text(yaml.safe_dump({"programmes": [first]}), encoding="utf-8")
    assert skillpass.funding.import_file(path) == 1
    stored = skillpass.funding.get("real-1")
    assert not stored.example
    assert stored.benefit == FundingBenefit(percent=40)
    path.write_text(
        yaml.safe_dump({"programmes": [{**first, "name": "Renamed"}]}), encoding="utf-8"
    )
    skillpass.funding.import_file(path)
    assert skillpass.funding.get("real-1").name == "Renamed"


def test_import_lists_every_problem_and_writes_nothing(
    skillpass: SkillPass, tmp_path: Path
) -> None:
    path = tmp_path / "funding.json"
    good = _programme_data("good")
    bad_level = _programme_data("bad-level", level="planetary")
    typo = _programme_data("typo", rules={"min_agee": 40})
    duplicate = _programme_data("good")
    path.write_text(json.dumps({"programmes": [good, bad_level, typo, duplicate]}))
    with pytest.raises(InvalidInput) as raised:
        skillpass.funding.import_file(path)
    problems = raised.value.details["problems"]
    assert len(problems) == 3
    assert problems[0].startswith("programme 2 (bad-level): level:")
    assert problems[1].startswith("programme 3 (typo): rules: unknown field 'min_agee'")
    assert problems[2].startswith("programme 4 (good): the id 'good' is also used by programme 1")
    with pytest.raises(NotFound):
        skillpass.funding.get("good")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("f.txt", "x", "unknown extension"),
        ("f.yaml", "a: [", "cannot be parsed"),
        ("f.yaml", "title: x", "no 'programmes' list"),
        ("f.json", '{"programmes": []}', "non-empty list"),
    ],
)
def test_import_rejects_unreadable_files(
    skillpass: SkillPass, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InvalidInput, match=message):
        skillpass.funding.import_file(path)


def test_parse_programmes_accepts_a_bare_list() -> None:
    parsed = parse_programmes([_programme_data("one")])
    assert [p.id for p in parsed] == ["one"]
