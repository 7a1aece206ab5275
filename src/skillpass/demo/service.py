"""Demo seeding: clearly-labelled synthetic organisations and one synthetic user per role.

Used by ``skillpass serve --demo`` and ``skillpass demo`` so a newcomer sees a working system.
Every organisation name ends in "(synthetic)" and is stored with ``synthetic=True``; every demo user
is stored with ``synthetic=True`` and has an address under ``demo.skillpass.example`` (a reserved
domain that can never receive mail). The demo issuer is a member of every synthetic organisation,
so it can define, issue and revoke for them. Seeding is idempotent and refused in production.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine

from skillpass.auth.models import Role, User
from skillpass.auth.service import AuthService
from skillpass.config import Environment
from skillpass.credentials.membership_repository import MembershipRepository
from skillpass.credentials.records import MemberRole
from skillpass.demo.repository import OrganisationRepository, StoredOrganisation
from skillpass.errors import ConfigurationError, Conflict, NotFound, SkillPassError
from skillpass.ids import new_public_id
from skillpass.passport.models import ExperienceCategory, SkillRef
from skillpass.passport.service import ExperienceCreate

if TYPE_CHECKING:
    from skillpass.app import SkillPass

__all__ = [
    "DEMO_EMAIL_DOMAIN",
    "DEMO_ORGANISATIONS",
    "DEMO_PASSWORD",
    "DemoAccount",
    "DemoOrganisation",
    "DemoPassport",
    "DemoReport",
    "DemoService",
    "DemoStatus",
    "seed_passport_demo",
]

#: The password of every demo user. It is public on purpose: demo data only.
DEMO_PASSWORD = "skillpass-demo"
#: Demo users live under this reserved (RFC 2606) domain.
DEMO_EMAIL_DOMAIN = "demo.skillpass.example"

#: (legal name, ISO 3166 country, NUTS region, kind). Names are invented; regions are real.
DEMO_ORGANISATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("Demo University of Northvale (synthetic)", "SE", "SE110", "university"),
    ("Demo Vocational College Eastmark (synthetic)", "DE", "DE300", "vet_provider"),
    ("Demo Microchip Works B.V. (synthetic)", "NL", "NL414", "employer"),
    ("Demo Battery Cells sp. z o.o. (synthetic)", "PL", "PL213", "employer"),
    ("Demo Institute of Applied Engineers (synthetic)", "IE", "IE061", "professional_body"),
    ("Demo Metal and Electrical Workers' Union (synthetic)", "ES", "ES300", "social_partner"),
)

#: Organisation kinds whose RPL cases the demo assessor may take.
_ASSESSED_KINDS = frozenset({"university", "vet_provider"})
_ALLOWED = frozenset({Environment.DEVELOPMENT, Environment.DEMO, Environment.TEST})
_ESCO_HINT = (
    "No ESCO download is configured. Download the ESCO v1.2 CSV package from "
    "https://esco.ec.europa.eu/en/use-esco/download, then run "
    "`skillpass taxonomy import PATH` (a folder or the .zip), or set SKILLPASS_ESCO=PATH."
)


class DemoOrganisation(BaseModel):
    """A synthetic organisation of the demo."""

    model_config = ConfigDict(frozen=True)

    id: str
    legal_name: str
    country: str
    region: str | None
    kind: str
    synthetic: bool
    created: bool


class DemoAccount(BaseModel):
    """A synthetic demo user and how to log in as them."""

    model_config = ConfigDict(frozen=True)

    id: str
    email: str
    display_name: str
    roles: list[str]
    password: str | None  # None when the account existed and is not a demo account
    synthetic: bool
    created: bool


class DemoReport(BaseModel):
    """What :meth:`DemoService.seed` created or found already there."""

    model_config = ConfigDict(frozen=True)

    synthetic: bool = True
    organisations: list[DemoOrganisation]
    users: list[DemoAccount]
    organisations_created: int
    users_created: int
    demo_password: str
    esco: str | None
    next_steps: list[str]


class DemoStatus(BaseModel):
    """Whether demo data is present and allowed."""

    model_config = ConfigDict(frozen=True)

    environment: str
    allowed: bool
    seeded: bool
    synthetic_organisations: int
    synthetic_users: int


def _demo_email(role: Role) -> str:
    return f"{role.value}@{DEMO_EMAIL_DOMAIN}"


class DemoService:
    """Seeds clearly-labelled synthetic organisations and users.

    Args:
        engine: The database engine.
        auth: The auth service (demo users are created through it; its settings say
            whether demo data is allowed).
    """

    def __init__(self, engine: Engine, auth: AuthService) -> None:
        self._engine = engine
        self._auth = auth
        self._organisations = OrganisationRepository(engine)
        self._members = MembershipRepository(engine)

    def seed(self) -> DemoReport:
        """Create the demo organisations and one demo user per role, unless they exist.

        Running it again changes nothing and reports everything as existing.

        Returns:
            The organisations and users, with the demo password and next steps.

        Raises:
            ConfigurationError: The environment is production.
        """
        settings = self._auth.settings
        if settings.environment not in _ALLOWED:
            raise ConfigurationError(
                "Demo data is refused in production: it creates users with a public password. "
                "Use a separate database with SKILLPASS_ENVIRONMENT=demo to try SkillPass."
            )
        organisations = [self._organisation(*spec) for spec in DEMO_ORGANISATIONS]
        users = [self._account(role) for role in Role]
        issuer = next(user for user in users if user.email == _demo_email(Role.ISSUER))
        for organisation in organisations:
            if self._members.get(organisation.id, issuer.id) is None:
                self._members.put(organisation.id, issuer.id, MemberRole.ISSUER, datetime.now(UTC))
        esco = str(settings.esco) if settings.esco else None
        next_steps = [
            "Log in on the web UI as any demo user, e.g. "
            f"{_demo_email(Role.LEARNER)} with the password {DEMO_PASSWORD!r}.",
            f"Get an API token: skillpass admin create-token {_demo_email(Role.ADMIN)} --name demo",
        ]
        if esco:
            next_steps.append(f"Import the configured ESCO: skillpass taxonomy import {esco}")
        else:
            next_steps.append(_ESCO_HINT)
        return DemoReport(
            organisations=organisations,
            users=users,
            organisations_created=sum(org.created for org in organisations),
            users_created=sum(user.created for user in users),
            demo_password=DEMO_PASSWORD,
            esco=esco,
            next_steps=next_steps,
        )

    def status(self) -> DemoStatus:
        """How much synthetic data there is, and whether seeding is allowed here."""
        environment = self._auth.settings.environment
        organisations = self._organisations.count(synthetic=True)
        users = len(self._auth.list_users(synthetic=True))
        return DemoStatus(
            environment=environment.value,
            allowed=environment in _ALLOWED,
            seeded=organisations > 0 or users > 0,
            synthetic_organisations=organisations,
            synthetic_users=users,
        )

    def _organisation(
        self, legal_name: str, country: str, region: str, kind: str
    ) -> DemoOrganisation:
        stored = self._organisations.find(legal_name, country)
        created = False
        if stored is None:
            try:
                stored = self._organisations.add(
                    public_id=new_public_id(),
                    legal_name=legal_name,
                    country=country,
                    region=region,
                    kind=kind,
                    synthetic=True,
                    created_at=datetime.now(UTC),
                )
                created = True
            except Conflict:  # seeded concurrently by another process
                stored = self._organisations.find(legal_name, country)
                assert stored is not None
        return _organisation_out(stored, created)

    def _account(self, role: Role) -> DemoAccount:
        email = _demo_email(role)
        created = False
        try:
            user = self._auth.get_user_by_email(email)
        except NotFound:
            try:
                user = self._auth.create_user(
                    email,
                    f"Demo {role.value.capitalize()} (synthetic)",
                    DEMO_PASSWORD,
                    [role],
                    synthetic=True,
                )
                created = True
            except Conflict:  # seeded concurrently by another process
                user = self._auth.get_user_by_email(email)
        return _account_out(user, created)


def _organisation_out(stored: StoredOrganisation, created: bool) -> DemoOrganisation:
    return DemoOrganisation(
        id=stored.public_id,
        legal_name=stored.legal_name,
        country=stored.country,
        region=stored.region,
        kind=stored.kind,
        synthetic=stored.synthetic,
        created=created,
    )


def _account_out(user: User, created: bool) -> DemoAccount:
    return DemoAccount(
        id=user.public_id,
        email=user.email,
        display_name=user.display_name,
        roles=sorted(role.value for role in user.roles),
        password=DEMO_PASSWORD if user.synthetic else None,
        synthetic=user.synthetic,
        created=created,
    )


# --- passport demo content (issue 5) ----------------------------------------------------------

_ESCO = "http://data.europa.eu/esco/skill/"
#: Two synthetic micro-credential definitions: (organisation kind, title, EQF, ECTS, outcomes).
_DEMO_DEFINITIONS: tuple[
    tuple[str, str, int, float, tuple[tuple[str, tuple[str, ...]], ...]], ...
] = (
    (
        "university",
        "Battery cell data analytics (synthetic demo)",
        6,
        3,
        (
            (
                "Analyse cycling and formation test data of lithium-ion cells to find ageing "
                "and defects.",
                (
                    "2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f perform data analysis",
                    "84cc8c9d-db57-42ec-8948-9b632bf06124 battery chemistry",
                ),
            ),
            (
                "Set up and run battery test equipment and document the results.",
                ("7c8a86b2-b0ae-4969-901a-5949d9974755 operate battery test equipment",),
            ),
        ),
    ),
    (
        "vet_provider",
        "Battery module assembly and safety (synthetic demo)",
        4,
        2,
        (
            (
                "Assemble battery cells into modules safely, including welding of cell connectors.",
                (
                    "42f92768-cc76-488d-a721-e90c59ccaade assemble batteries",
                    "2fcd95a4-1f9a-41cf-95a9-4701bde476b4 operate welding equipment",
                ),
            ),
            (
                "Identify battery components and their function in a module.",
                ("8cf03262-b6b0-4fe8-9d66-91063bb32db3 battery components",),
            ),
        ),
    ),
)
_DEMO_TASKS = (
    "Assembled lithium-ion battery cells into modules and packs on the production line. "
    "Operated and monitored cell stacking and laser welding machines. Performed quality "
    "inspections and electrical tests of battery modules. Followed safety procedures for "
    "handling hazardous chemicals and reported defects."
)


class DemoPassport(BaseModel):
    """What :func:`seed_passport_demo` made (or found already there)."""

    model_config = ConfigDict(frozen=True)

    synthetic: bool = True
    definitions: list[str]
    passport_items: int
    attestation_requests: int
    rpl_cases: int
    notes: list[str]


def _demo_definition(
    organisation: DemoOrganisation,
    title: str,
    eqf: int,
    ects: float,
    outcomes: tuple[tuple[str, tuple[str, ...]], ...],
) -> dict[str, Any]:
    return {
        "title": title,
        "description": f"A synthetic demo micro-credential of {organisation.legal_name}.",
        "awarding_bodies": [
            {
                "name": organisation.legal_name,
                "country": organisation.country,
                "region": organisation.region,
            }
        ],
        "learning_outcomes": [
            {
                "text": text,
                "esco_skills": [
                    {"uri": _ESCO + skill.split(" ", 1)[0], "label": skill.split(" ", 1)[1]}
                    for skill in skills
                ],
            }
            for text, skills in outcomes
        ],
        "workload": {"ects": ects, "hours": ects * 25},
        "level": {"eqf": eqf},
        "assessment": {
            "type": "practical_demonstration",
            "description": "Practical assessment (synthetic).",
        },
        "participation": {"mode": "blended", "setting": "non_formal"},
        "quality_assurance": "Internal quality assurance (synthetic demo organisation).",
        "languages": ["en"],
    }


def seed_passport_demo(skillpass: SkillPass, *, attestation_request: bool = False) -> DemoPassport:
    """Give the demo learner a passport and the demo employer and assessor something to do.

    All of it is synthetic and idempotent: two micro-credential definitions (a university and a
    VET college); one credential issued to the demo learner and claimed into their passport; a
    self-declared project; a recognition-of-prior-learning case waiting in the queue of the demo
    assessor (made a member of the demo university and VET college); and, on request, a request
    to the demo battery employer to attest a battery-production technician role (waiting in the
    inbox of the demo issuer, who is a member of every demo organisation). Calls
    :meth:`DemoService.seed` first.

    Args:
        skillpass: The services.
        attestation_request: Also file the attestation request. Off by default: its skill
            suggestions start the matching engine, which takes from 20 s to minutes the first
            time on the full ESCO, too long for starting a demo server.

    Returns:
        What exists now.

    Raises:
        ConfigurationError: The environment is production.
    """
    report = skillpass.demo.seed()
    by_kind = {org.kind: org for org in report.organisations}
    # The demo assessor assesses recognition of prior learning for the education providers.
    assessor = skillpass.auth.get_user_by_email(_demo_email(Role.ASSESSOR))
    members = {
        org.id: {m.user_id for m in skillpass.issuers.members(org.id)}
        for org in report.organisations
    }
    for organisation in report.organisations:
        if (
            organisation.kind in _ASSESSED_KINDS
            and assessor.public_id not in members[organisation.id]
        ):
            skillpass.issuers.add_member(organisation.id, assessor.public_id)
    learner = skillpass.auth.get_user_by_email(_demo_email(Role.LEARNER))
    notes: list[str] = []
    ids: list[str] = []
    for kind, title, eqf, ects, outcomes in _DEMO_DEFINITIONS:
        organisation = by_kind[kind]
        existing = [
            record
            for record in skillpass.achievements.list_achievements(organisation.id)
            if record.title == title
        ]
        if existing:
            ids.append(existing[0].id)
            continue
        record = skillpass.achievements.create(
            organisation.id, _demo_definition(organisation, title, eqf, ects, outcomes)
        )
        ids.append(record.id)
    university_definition, college_definition = ids

    if not skillpass.passport.items(learner):
        credential = skillpass.credentials.issue(
            university_definition, learner.email, learner.display_name, None, "ob3"
        )
        skillpass.passport.claim(learner, credential.id)
        skillpass.passport.declare(
            learner,
            ExperienceCreate(
                category=ExperienceCategory.PROJECT,
                title="Home battery storage build (synthetic demo)",
                description="Designed and built a 5 kWh home storage pack with a battery "
                "management system; documented the wiring and the safety checks.",
                period_start=date(2022, 4, 1),
                period_end=date(2022, 9, 30),
                skills=[
                    SkillRef(
                        uri=_ESCO + "1cdd0afe-196f-4d8a-924f-4d7473cce3c7",
                        label="battery management systems",
                    )
                ],
            ),
        )
    if attestation_request and not skillpass.attestations.for_learner(learner):
        try:
            skillpass.attestations.request(
                learner,
                _battery_employer(report),
                "Battery production technician",
                date(2021, 3, 1),
                date(2024, 2, 29),
                _DEMO_TASKS,
                "en",
            )
        except SkillPassError as error:
            notes.append(f"No attestation request was made: {error.message}")
    if not skillpass.rpl.for_learner(learner):
        skillpass.rpl.request(
            learner,
            college_definition,
            [],
            "Three years assembling and welding battery modules at a cell factory "
            "(synthetic demo).",
        )
    return DemoPassport(
        definitions=ids,
        passport_items=len(skillpass.passport.items(learner)),
        attestation_requests=len(skillpass.attestations.for_learner(learner)),
        rpl_cases=len(skillpass.rpl.for_learner(learner)),
        notes=notes,
    )


def _battery_employer(report: DemoReport) -> str:
    return next(org.id for org in report.organisations if org.legal_name.startswith("Demo Battery"))
