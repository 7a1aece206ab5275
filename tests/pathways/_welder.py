"""The worked example of issue 6, shared by the acceptance test and the browser journey.

Jonas, a welder, worked on a battery-module line at a Swedish employer (Nordsvets AB), which
attests his workplace learning on SkillPass: welding skills plus the three skills of the ESCO
occupation *battery manufacturing technician* he used on the line (troubleshooting, operating
automated process control, product testing). He now lives in Hamburg (DE60), is employed at a
company of 120 people, is 44, and aims at that occupation in Germany. A reduced catalogue of
eleven courses (one in France, cheaper but on site) teaches twelve of his fourteen missing
essential skills; "battery formation" and "have computer literacy" are taught by none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.matching.service import MatchingService
from skillpass.pathways.models import (
    CourseType,
    EmploymentStatus,
    Opportunity,
    OpportunityCreate,
    OpportunityMode,
    PlanConstraints,
    Situation,
    TargetKind,
    TargetRef,
)

PASSWORD = "correct horse battery"
ESCO = "http://data.europa.eu/esco/"
#: ESCO v1.2 "battery manufacturing technician" (alternative label: battery production associate).
BATTERY_TECHNICIAN = f"{ESCO}occupation/10841c22-0154-48ab-aaca-ce61b9a8e448"
WELDER = f"{ESCO}occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b"
TARGET = TargetRef(kind=TargetKind.OCCUPATION, id=BATTERY_TECHNICIAN)

#: Welder skills the employer attests (ESCO preferred labels) ...
WELDING = (
    "apply arc welding techniques",
    "perform metal active gas welding",
    "perform tungsten inert gas welding",
    "operate welding equipment",
    "join metals",
    "interpret 2D plans",
    "follow safety precautions in work practices",
    "wear appropriate protective gear",
    "spot metal imperfections",
    "quality standards",
)
#: ... and the battery technician's essential skills he used on the line.
ON_THE_LINE = ("troubleshoot", "operate automated process control", "perform product testing")
#: Missing essential skills no course in the catalogue teaches.
UNTAUGHT = ("battery formation", "have computer literacy")

#: (key, title, country, mode, cost €, hours, weeks, outcome labels)
COURSES: tuple[tuple[str, str, str, OpportunityMode, float, float, float, tuple[str, ...]], ...] = (
    ("A", "Battery cell chemistry and components", "DE", OpportunityMode.ONSITE, 900, 60, 6,
     ("battery chemistry", "battery components")),
    ("B", "Lithium-ion module and pack assembly", "DE", OpportunityMode.BLENDED, 1200, 80, 8,
     ("assemble batteries", "battery components", "remove defective products")),
    ("C", "Battery testing and test data", "PL", OpportunityMode.ONLINE, 600, 40, 5,
     ("battery testers", "analyse test data")),
    ("D", "Electrical engineering for production technicians", "DE", OpportunityMode.ONSITE,
     1500, 120, 10, ("electrical engineering", "safety engineering")),
    ("E", "Lean production and process improvement", "NL", OpportunityMode.ONLINE, 400, 30, 4,
     ("production processes", "identify process improvements")),
    ("F", "Materials for battery manufacturing", "FR", OpportunityMode.ONSITE, 300, 30, 3,
     ("materials engineering", "battery chemistry")),
    ("G", "Materials engineering essentials", "DE", OpportunityMode.ONLINE, 700, 50, 6,
     ("materials engineering",)),
    ("H", "Maintenance of production equipment", "DE", OpportunityMode.ONSITE, 500, 40, 4,
     ("ensure equipment maintenance", "remove defective products")),
    ("I", "Battery production bootcamp", "DE", OpportunityMode.ONSITE, 4200, 300, 12,
     ("assemble batteries", "battery chemistry", "battery components", "battery testers",
      "analyse test data", "production processes")),
    ("J", "Industrial safety engineering", "DE", OpportunityMode.ONLINE, 350, 25, 3,
     ("safety engineering",)),
    ("K", "Quality inspection in battery plants", "DE", OpportunityMode.ONSITE, 450, 30, 3,
     ("remove defective products", "analyse test data")),
)  # fmt: skip

SITUATION = Situation(
    country="DE",
    region="DE60",
    age=44,
    employment_status=EmploymentStatus.EMPLOYED,
    company_size=120,
)
#: On-site and blended courses must be in Germany; the plan starts on a fixed day.
CONSTRAINTS = PlanConstraints(country="DE", start=date(2026, 9, 7), include_optional=False)


@dataclass(frozen=True)
class Welder:
    """The example's people and ids."""

    learner: User
    employer_staff: User
    officer: User
    employer_id: str
    recognition_body_id: str
    attestation_document: str
    courses: dict[str, Opportunity]


def lexical(app: SkillPass, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lexical matching only, for the passport's skill suggestions and recognition's semantic
    credit (no embedding model to load or distil: seconds, not minutes, on the full ESCO)."""
    matching = MatchingService(app.engine, app.settings.data_dir, semantic=False)
    monkeypatch.setattr(app.passport, "_matching", matching)
    monkeypatch.setattr(app.recognition, "_matching", matching)


def skill_uris(app: SkillPass) -> dict[str, str]:
    """Preferred label -> ESCO URI of the welder's and the battery technician's skills."""
    found: dict[str, str] = {}
    for occupation in (WELDER, BATTERY_TECHNICIAN):
        needs = app.targets.requirements(TargetRef(kind=TargetKind.OCCUPATION, id=occupation))
        for ref in (*needs.essential, *needs.optional):
            found.setdefault(ref.label, ref.uri)
    return found


def _user(app: SkillPass, email: str, name: str, *roles: Role) -> User:
    return app.auth.create_user(email, name, PASSWORD, roles)


def set_up(app: SkillPass, *, courses: bool = True) -> Welder:
    """People, the signed workplace attestation in Jonas's passport, and (optionally) the
    reduced catalogue, on an app with the full ESCO imported."""
    jonas = _user(app, "jonas@example.org", "Jonas Weber", Role.LEARNER)
    hr = _user(app, "hr@nordsvets.example", "Karin Holm", Role.ISSUER)
    officer = _user(app, "officer@recognition.example", "Petra Schulz", Role.VERIFIER)
    employer = app.issuers.create(name="Nordsvets AB", country="SE", kind="employer")
    app.issuers.add_member(employer.id, hr.email)
    body = app.issuers.create(
        name="Anerkennungsstelle Hamburg (synthetic)", country="DE", kind="public_body"
    )
    app.issuers.add_member(body.id, officer.email)
    request = app.attestations.request(
        jonas,
        employer.id,
        "Welder, battery-module line",
        date(2019, 3, 1),
        date(2025, 12, 31),
        "MIG/MAG and TIG welding of battery-module housings and busbars; read drawings; "
        "inspected welds; troubleshot the automated line and ran end-of-line product tests.",
        lang="en",
    )
    uris = skill_uris(app)
    skills = [uris[label] for label in (*WELDING, *ON_THE_LINE)]
    attested = app.attestations.attest(hr, request.id, skills, note="Six years on our line.")
    assert attested.document, "the attestation was not signed"
    made = add_courses(app) if courses else {}
    return Welder(
        learner=jonas,
        employer_staff=hr,
        officer=officer,
        employer_id=employer.id,
        recognition_body_id=body.id,
        attestation_document=attested.document,
        courses=made,
    )


def add_courses(app: SkillPass) -> dict[str, Opportunity]:
    """Publish the reduced catalogue (as the operator); the opportunities by key."""
    uris = skill_uris(app)
    made: dict[str, Opportunity] = {}
    for key, title, country, mode, cost, hours, weeks, outcomes in COURSES:
        made[key] = app.catalogue.create(
            None,
            OpportunityCreate(
                title=title,
                provider=f"Provider {key} (synthetic)",
                country=country,
                languages=["en", "de"],
                mode=mode,
                course_type=CourseType.MICRO_CREDENTIAL,
                duration_weeks=weeks,
                hours=hours,
                cost_eur=cost,
                eqf=4,
                outcomes=[uris[label] for label in outcomes],
                synthetic=True,
            ),
        )
    return made
