"""A synthetic community, so that the pages and dashboards have something to show.

Every organisation, partnership, practice and post it makes is invented, carries
``synthetic=True`` and says "(synthetic)" in its name or title; regions (NUTS), sectors (NACE)
and capability areas are real codes. The numbers are drawn from a seeded generator: the same
seed gives the same community. Seeding twice adds nothing (organisations are found by name).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from skillpass.community.models import (
    CommitmentCreate,
    CommunityRole,
    Offering,
    PartnershipCreate,
    PartnershipKind,
    PostCreate,
    PostKind,
    PracticeCreate,
    PracticeType,
    ProfileCreate,
    ProgressCreate,
)

__all__ = ["SYNTHETIC_LABEL", "SeedPlan", "SeedReport", "plan_seed"]

#: Appended to every generated name and title.
SYNTHETIC_LABEL = "(synthetic)"

#: (name stem, country, NUTS region, role, NACE sectors, offered areas, needed areas, services
#: offered, services needed)
_ORGANISATIONS: tuple[
    tuple[str, str, str, CommunityRole, list[str], list[str], list[str], list[str], list[str]],
    ...,
] = (
    (
        "Västkust Battery Cells AB",
        "SE",
        "SE232",
        CommunityRole.EMPLOYER,
        ["C27"],
        [],
        ["batteries", "advanced_manufacturing"],
        ["work placements"],
        ["training places"],
    ),
    (
        "Göteborg Technical College",
        "SE",
        "SE232",
        CommunityRole.VET_PROVIDER,
        ["P85.3"],
        ["batteries", "advanced_manufacturing"],
        [],
        ["training places", "apprenticeships"],
        ["work placements"],
    ),
    (
        "Stockholm Institute of Technology",
        "SE",
        "SE110",
        CommunityRole.UNIVERSITY,
        ["P85.4"],
        ["ai_data", "quantum", "cybersecurity"],
        [],
        ["trainers"],
        ["work placements"],
    ),
    (
        "Nordic Fintech Security Oy",
        "FI",
        "FI1B1",
        CommunityRole.EMPLOYER,
        ["K64", "J62"],
        [],
        ["cybersecurity", "ai_data"],
        [],
        ["training places"],
    ),
    (
        "Schwaben Automotive Systems GmbH",
        "DE",
        "DE111",
        CommunityRole.EMPLOYER,
        ["C29"],
        [],
        ["advanced_manufacturing", "batteries", "semiconductors"],
        ["work placements"],
        ["training places"],
    ),
    (
        "Berufskolleg Neckar",
        "DE",
        "DE111",
        CommunityRole.VET_PROVIDER,
        ["P85.3"],
        ["advanced_manufacturing", "engineering"],
        [],
        ["apprenticeships", "training places"],
        [],
    ),
    (
        "Brainport Chip Academy",
        "NL",
        "NL414",
        CommunityRole.VET_PROVIDER,
        ["P85.3"],
        ["semiconductors", "photonics"],
        [],
        ["training places"],
        ["trainers"],
    ),
    (
        "Eindhoven Wafer Fab B.V.",
        "NL",
        "NL414",
        CommunityRole.EMPLOYER,
        ["C26"],
        [],
        ["semiconductors"],
        ["trainers"],
        ["training places"],
    ),
    (
        "Madrid Regional Employment Service",
        "ES",
        "ES300",
        CommunityRole.PUBLIC_BODY,
        ["O84"],
        [],
        ["clean_energy"],
        ["funding advice"],
        [],
    ),
    (
        "Solar Iberia Installers Association",
        "ES",
        "ES300",
        CommunityRole.SOCIAL_PARTNER,
        ["F43"],
        ["clean_energy"],
        ["clean_energy"],
        ["apprenticeships"],
        ["training places"],
    ),
    (
        "Kraków Chamber of Industry",
        "PL",
        "PL213",
        CommunityRole.CHAMBER,
        ["S94"],
        [],
        ["ai_data", "engineering"],
        ["work placements"],
        ["trainers"],
    ),
    (
        "Małopolska Life Sciences Campus",
        "PL",
        "PL213",
        CommunityRole.UNIVERSITY,
        ["P85.4"],
        ["life_sciences", "ai_data"],
        [],
        ["trainers", "training places"],
        [],
    ),
)

_PRACTICES: tuple[tuple[str, PracticeType, list[str], list[str], list[str], str], ...] = (
    (
        "Battery technician apprenticeships with a cell maker",
        PracticeType.INDUSTRY_EDUCATION,
        ["C27"],
        ["SE"],
        ["batteries"],
        "A college and a battery plant share a curriculum, trainers and a training line.",
    ),
    (
        "Stackable micro-credentials in chip design",
        PracticeType.MICRO_CREDENTIALS,
        ["C26"],
        ["NL"],
        ["semiconductors"],
        "Five short courses that stack into a recognised certificate, taught in the evening.",
    ),
    (
        "Girls in cybersecurity summer camp",
        PracticeType.STEM_PROMOTION,
        ["J62"],
        ["FI"],
        ["cybersecurity"],
        "A week of capture-the-flag challenges for secondary-school students.",
    ),
    (
        "Centre of vocational excellence for automotive electrification",
        PracticeType.VET_EXCELLENCE,
        ["C29"],
        ["DE"],
        ["advanced_manufacturing", "batteries"],
        "A regional hub of schools, firms and the chamber retraining mechanics for electric cars.",
    ),
    (
        "Solar installer upskilling for mid-career workers",
        PracticeType.LIFELONG_LEARNING,
        ["F43"],
        ["ES"],
        ["clean_energy"],
        "Roofers and electricians learn photovoltaics in twelve weeks, part-time and funded.",
    ),
)


class SeedReport(BaseModel):
    """What the synthetic seed made (existing items are counted as skipped)."""

    model_config = ConfigDict(frozen=True)

    organisations: int
    skipped_organisations: int
    commitments: int
    progress_reports: int
    partnerships: int
    practices: int
    posts: int
    synthetic: bool = True


@dataclass
class OrganisationPlan:
    """One generated organisation with its profile and commitments."""

    name: str
    country: str
    region: str
    profile: ProfileCreate
    commitments: list[tuple[CommitmentCreate, list[ProgressCreate]]] = field(default_factory=list)


@dataclass
class SeedPlan:
    """Everything the seed will write, before it is written."""

    organisations: list[OrganisationPlan]
    partnerships: list[tuple[PartnershipCreate, str, list[str]]]  # coordinator, members
    practices: list[tuple[str, PracticeCreate]]  # organisation name, practice
    posts: list[PostCreate]


def plan_seed(seed: int = 7, *, this_year: int | None = None) -> SeedPlan:
    """Plan a synthetic community (deterministic for a seed).

    Args:
        seed: Seed of the random numbers.
        this_year: The current year (progress is reported for the three years before it).

    Returns:
        The plan; :meth:`skillpass.community.facade.CommunityService.seed_synthetic` writes it.
    """
    rng = random.Random(seed)
    year = this_year or datetime.now(UTC).year
    organisations: list[OrganisationPlan] = []
    for stem, country, region, role, sectors, offers, needs, gives, wants in _ORGANISATIONS:
        name = f"{stem} {SYNTHETIC_LABEL}"
        plan = OrganisationPlan(
            name=name,
            country=country,
            region=region,
            profile=ProfileCreate(
                role=role,
                description=f"An invented {role.value.replace('_', ' ')} for the demo "
                f"{SYNTHETIC_LABEL}.",
                sectors=sectors,
                regions=[region],
                offers=Offering(capability_areas=offers, services=gives),
                needs=Offering(capability_areas=needs, services=wants),
                contact_email=f"contact@{stem.split()[0].lower()}.synthetic.example",
            ),
        )
        areas = offers or needs
        for n in range(rng.randint(1, 2)):
            area = areas[n % len(areas)] if areas else None
            people = rng.choice([50, 100, 200, 500, 1000, 2500])
            target_year = year + rng.randint(1, 4)
            topic = (area or "green and digital skills").replace("_", " ")
            commitment = CommitmentCreate(
                title=f"Upskill {people} people in {topic} by {target_year} {SYNTHETIC_LABEL}",
                capability_area=area,
                target_people=people,
                target_investment_eur=float(people * rng.choice([300, 600, 1200])),
                target_training_places=people // rng.choice([2, 4, 5]),
                target_year=target_year,
                sectors=sectors,
                regions=[region],
            )
            reports: list[ProgressCreate] = []
            reached = 0
            for past in range(year - 3, year):
                step = int(people * rng.uniform(0.08, 0.3))
                reached += step
                reports.append(
                    ProgressCreate(
                        year=past,
                        people_reached=step,
                        investment_eur=round(step * rng.uniform(200, 900), 2),
                        courses_delivered=max(1, step // rng.randint(10, 25)),
                        note=f"Synthetic survey answer {SYNTHETIC_LABEL}",
                    )
                )
            plan.commitments.append((commitment, reports))
        organisations.append(plan)
    names = [o.name for o in organisations]
    partnerships = [
        (
            PartnershipCreate(
                name=f"Automotive and batteries skills partnership {SYNTHETIC_LABEL}",
                kind=PartnershipKind.LARGE_SCALE,
                sector="Automotive",
                description="A large-scale, EU-wide partnership of the automotive ecosystem "
                f"{SYNTHETIC_LABEL}.",
            ),
            names[4],
            [names[0], names[5], names[7], names[1]],
        ),
        (
            PartnershipCreate(
                name=f"West Sweden regional skills partnership {SYNTHETIC_LABEL}",
                kind=PartnershipKind.REGIONAL,
                region="SE232",
                description=f"Employers and colleges of Västra Götaland {SYNTHETIC_LABEL}.",
            ),
            names[1],
            [names[0], names[2]],
        ),
    ]
    practices = [
        (
            names[i % len(names)],
            PracticeCreate(
                title=f"{title} {SYNTHETIC_LABEL}",
                summary=summary,
                what=summary + " The programme runs every year.",
                who="Invented partners for the demo.",
                where=f"{countries[0]} (synthetic example)",
                results=f"{rng.randint(40, 400)} people trained; "
                f"{rng.randint(60, 95)}% in a job a year later (synthetic figures).",
                contact=None,
                practice_type=kind,
                sectors=sectors,
                countries=countries,
                capability_areas=areas,
            ),
        )
        for i, (title, kind, sectors, countries, areas, summary) in enumerate(_PRACTICES)
    ]
    start = datetime(year, 1, 1, 9, tzinfo=UTC) + timedelta(days=rng.randint(120, 300))
    posts = [
        PostCreate(
            kind=PostKind.NEWS,
            title=f"Annual member survey results published {SYNTHETIC_LABEL}",
            body="The community reached more people than last year; see the dashboard.",
        ),
        PostCreate(
            kind=PostKind.EVENT,
            title=f"Matchmaking day for industry–education partnerships {SYNTHETIC_LABEL}",
            body="Meet employers and training providers from your region.",
            starts_at=start,
            location="Online",
            registration_url="https://events.synthetic.example/matchmaking",
        ),
    ]
    return SeedPlan(
        organisations=organisations, partnerships=partnerships, practices=practices, posts=posts
    )
