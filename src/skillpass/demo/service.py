"""Demo seeding: clearly-labelled synthetic organisations and one synthetic user per role.

Used by ``skillpass serve --demo`` and ``skillpass demo`` so a newcomer sees a working system.
Every organisation name ends in "(synthetic)" and is stored with ``synthetic=True``; every demo user
is stored with ``synthetic=True`` and has an address under ``demo.skillpass.example`` (a reserved
domain that can never receive mail). The demo issuer is a member of every synthetic organisation,
so it can define, issue and revoke for them. Seeding is idempotent and refused in production.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine

from skillpass.auth.models import Role, User
from skillpass.auth.service import AuthService
from skillpass.config import Environment
from skillpass.credentials.membership_repository import MembershipRepository
from skillpass.credentials.records import MemberRole
from skillpass.demo.repository import OrganisationRepository, StoredOrganisation
from skillpass.errors import ConfigurationError, Conflict, NotFound
from skillpass.ids import new_public_id

__all__ = [
    "DEMO_EMAIL_DOMAIN",
    "DEMO_ORGANISATIONS",
    "DEMO_PASSWORD",
    "DemoAccount",
    "DemoOrganisation",
    "DemoReport",
    "DemoService",
    "DemoStatus",
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
