"""Partner scoring: complementary offers and needs, region, value chain, courses."""

from __future__ import annotations

from datetime import UTC, datetime

from skillpass.community.models import CommunityRole, MatchedCourse, Offering, Profile
from skillpass.community.partners import nuts_relation, score_partner

NOW = datetime(2026, 1, 1, tzinfo=UTC)
AREAS = {"batteries": "Batteries", "quantum": "Quantum"}
SKILL = "http://data.europa.eu/esco/skill/abc"


def _profile(
    oid: str,
    role: CommunityRole,
    *,
    region: str = "SE232",
    sectors: tuple[str, ...] = (),
    offers: Offering | None = None,
    needs: Offering | None = None,
) -> Profile:
    return Profile(
        organisation_id=oid,
        name=oid.title(),
        country=region[:2],
        region=region,
        role=role,
        sectors=list(sectors),
        offers=offers or Offering(),
        needs=needs or Offering(),
        joined_at=NOW,
    )


EMPLOYER = _profile(
    "volt",
    CommunityRole.EMPLOYER,
    sectors=("C27",),
    needs=Offering(capability_areas=["batteries"], skills=[SKILL]),
    offers=Offering(services=["work placements"]),
)


def test_complementary_offer_in_the_same_region_and_value_chain_scores_with_every_reason() -> None:
    college = _profile(
        "college",
        CommunityRole.VET_PROVIDER,
        sectors=("C27.2",),
        offers=Offering(capability_areas=["batteries"], skills=[SKILL]),
        needs=Offering(services=["Work placements"]),
    )
    found = score_partner(
        EMPLOYER, college, area_labels=AREAS, skill_labels={SKILL: "assemble cells"}
    )
    assert found is not None
    # 3 (area) + 2 (skill) + 1/2 (their need) + 1.5 (pair) + 2 (region) + 1.5 (division)
    assert found.score == 10.5
    assert found.reasons == [
        "They offer what you need: capability area Batteries, skill 'assemble cells'.",
        "You offer what they need: work placements.",
        "Industry–education cooperation: you are an employer, they are a VET provider.",
        "Same region: you are both in SE232.",
        "Same value chain: you both work in sector C27.",
    ]


def test_nothing_complementary_is_not_suggested_even_next_door() -> None:
    neighbour = _profile(
        "other",
        CommunityRole.EMPLOYER,
        sectors=("C27",),
        offers=Offering(capability_areas=["quantum"]),
    )
    assert score_partner(EMPLOYER, neighbour, area_labels=AREAS, skill_labels={}) is None


def test_a_providers_courses_in_the_region_make_an_industry_education_pair() -> None:
    provider = _profile("uni", CommunityRole.UNIVERSITY, region="SE110")
    course = MatchedCourse(
        opportunity_id="o1",
        title="Cell chemistry",
        region="SE232",
        country="SE",
        covers=["Batteries"],
    )
    found = score_partner(
        EMPLOYER,
        provider,
        area_labels=AREAS,
        skill_labels={},
        courses=lambda me, other: [course],
    )
    assert found is not None
    assert found.courses == [course]
    assert "Courses in your region that meet your needs: 'Cell chemistry' (SE232: Batteries)." in (
        found.reasons
    )
    assert "Same country: SE." in found.reasons


def test_nuts_relation() -> None:
    assert nuts_relation("SE232", "SE23") == "region"
    assert nuts_relation("SE232", "SE110") == "country"
    assert nuts_relation("SE232", "DE111") is None
