"""Use cases of the Pact for Skills community: who may act, organisations and their
commitments, partnerships, and the facade :class:`CommunityService` that ``app.build`` wires.

Who may do what (one check each, in :class:`CommunityAccess`):

* **organisation member** — a user listed in ``organisation_members`` for the organisation
  (any role there): edits its profile, commitments and progress, asks for contact, answers
  contact requests, submits practices for it. Anyone signed in may register a new organisation
  and becomes its first member (``manager``).
* **partnership coordinator** — a member of an organisation that coordinates the partnership:
  edits it, adds and removes members, names coordinators, makes shared commitments.
* **moderator** — the global ``moderator`` role: publishes or rejects practices, posts news and
  events.
* ``admin`` may do all of it; ``actor=None`` is the operator (the CLI) and may too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from skillpass.auth.models import Role, User
from skillpass.community.dashboard import aggregate
from skillpass.community.models import (
    Commitment,
    CommitmentCreate,
    CommunityRole,
    Dashboard,
    Partnership,
    PartnershipCreate,
    Profile,
    ProfileCreate,
    ProgressCreate,
)
from skillpass.community.repository import CommunityRepository
from skillpass.credentials.membership_repository import MembershipRepository
from skillpass.credentials.records import MemberRole
from skillpass.errors import InvalidInput, NotFound, PermissionDenied
from skillpass.ids import new_public_id
from skillpass.pathways.funding import FundingService
from skillpass.pathways.models import Applicant, EligibilityResult, FundingProgramme, Situation
from skillpass.taxonomy.capabilities import CapabilityService

__all__ = [
    "ORGANISATION_KIND",
    "CommunityAccess",
    "OrganisationService",
    "PartnershipService",
    "funding_applicant",
]

#: The ``organisations.kind`` (issuer kind) an organisation registered in the community gets.
ORGANISATION_KIND: dict[CommunityRole, str] = {
    CommunityRole.EMPLOYER: "employer",
    CommunityRole.VET_PROVIDER: "vet",
    CommunityRole.UNIVERSITY: "higher_education",
    CommunityRole.SOCIAL_PARTNER: "social_partner",
    CommunityRole.CHAMBER: "professional_body",
    CommunityRole.PUBLIC_BODY: "public_body",
}

_FUNDING_APPLICANT: dict[CommunityRole, Applicant] = {
    CommunityRole.EMPLOYER: Applicant.EMPLOYERS,
    CommunityRole.VET_PROVIDER: Applicant.PROVIDERS,
    CommunityRole.UNIVERSITY: Applicant.PROVIDERS,
    CommunityRole.SOCIAL_PARTNER: Applicant.EMPLOYERS,
    CommunityRole.CHAMBER: Applicant.EMPLOYERS,
    CommunityRole.PUBLIC_BODY: Applicant.PUBLIC_BODIES,
}


def funding_applicant(role: CommunityRole) -> Applicant:
    """Who applies for funding, for an organisation of this community role."""
    return _FUNDING_APPLICANT[role]


def _now() -> datetime:
    return datetime.now(UTC)


class CommunityAccess:
    """The community's permission checks (see the module docstring).

    Args:
        repository: Community storage.
        members: Organisation membership storage (shared with the issuers).
    """

    def __init__(self, repository: CommunityRepository, members: MembershipRepository) -> None:
        self._repo = repository
        self._members = members

    def organisations_of(self, actor: User | None) -> list[str]:
        """The organisations a user is a member of (public ids); none for the operator."""
        if actor is None:
            return []
        return self._members.issuer_ids_for(actor.public_id)

    def is_member(self, actor: User | None, organisation_id: str) -> bool:
        """Whether ``actor`` may act for the organisation (operator and admins always may)."""
        if actor is None or Role.ADMIN in actor.roles:
            return True
        return self._members.get(organisation_id, actor.public_id) is not None

    def check_member(self, actor: User | None, organisation_id: str, what: str) -> None:
        """Refuse unless ``actor`` may act for the organisation.

        Args:
            actor: The signed-in user (None: the operator).
            organisation_id: The organisation's public id.
            what: What they tried, for the message (``edit its commitments``).

        Raises:
            NotFound: No such organisation.
            PermissionDenied: Not a member; the message says how to become one.
        """
        name = self._repo.organisation_name(organisation_id)
        if self.is_member(actor, organisation_id):
            return
        assert actor is not None
        raise PermissionDenied(
            f"Only members of {name} may {what}. You are signed in as {actor.email}, who is "
            f"not a member; ask a colleague's administrator to run "
            f"`skillpass issuer add-member {organisation_id} {actor.email}`.",
            details={"organisation": organisation_id, "needed": "organisation member"},
        )

    def check_coordinator(self, actor: User | None, partnership: Partnership, what: str) -> None:
        """Refuse unless ``actor`` is a member of one of the partnership's coordinators.

        Raises:
            PermissionDenied: Not a coordinator; the message names the coordinators.
        """
        if actor is None or Role.ADMIN in actor.roles:
            return
        coordinators = partnership.coordinators
        if any(self.is_member(actor, c.organisation_id) for c in coordinators):
            return
        names = ", ".join(c.name for c in coordinators) or "none"
        raise PermissionDenied(
            f"Only the coordinators of {partnership.name} may {what}. Its coordinators are: "
            f"{names}; ask one of them.",
            details={"partnership": partnership.id, "needed": "partnership coordinator"},
        )

    @staticmethod
    def check_moderator(actor: User | None, what: str) -> None:
        """Refuse unless ``actor`` holds the moderator (or admin) role.

        Raises:
            AuthenticationRequired: Nobody is signed in.
            PermissionDenied: Not a moderator.
        """
        if actor is None or actor.roles & {Role.MODERATOR, Role.ADMIN}:
            return
        raise PermissionDenied(
            f"Only moderators may {what}. Ask an administrator to run "
            f"`skillpass admin set-roles {actor.email} --role moderator` if you should.",
            details={"needed": ["moderator", "admin"]},
        )


class OrganisationService:
    """Organisations in the community: join, profiles, commitments, progress, dashboards.

    Args:
        repository: Community storage.
        access: Permission checks.
        members: Organisation membership storage.
        capabilities: For capability-area ids and labels.
        funding: The one funding directory (shared with the pathway planner).
    """

    def __init__(
        self,
        repository: CommunityRepository,
        access: CommunityAccess,
        members: MembershipRepository,
        capabilities: CapabilityService,
        funding: FundingService,
    ) -> None:
        self._repo = repository
        self._access = access
        self._members = members
        self._capabilities = capabilities
        self._funding = funding

    def area_labels(self) -> dict[str, str]:
        """Capability-area labels by id."""
        return {area.id: area.label for area in self._capabilities.definitions}

    def check_areas(self, areas: Iterable[str]) -> None:
        """Refuse unknown capability-area ids (InvalidInput lists the known ones)."""
        known = self.area_labels()
        unknown = [a for a in areas if a not in known]
        if unknown:
            raise InvalidInput(
                f"Unknown capability area(s): {', '.join(unknown)}. Use one of: "
                f"{', '.join(sorted(known))}.",
                details={"field": "capability_areas", "unknown": unknown},
            )

    # --- joining ------------------------------------------------------------------------------

    def join(
        self,
        actor: User | None,
        profile: ProfileCreate,
        *,
        organisation_id: str | None = None,
        name: str | None = None,
        country: str | None = None,
        region: str | None = None,
        synthetic: bool = False,
    ) -> Profile:
        """An organisation joins the community (or updates its profile).

        Either name an existing organisation the actor is a member of (``organisation_id``),
        or register a new one (``name``, ``country``, ``region``); the actor becomes its first
        member (``manager``).

        Args:
            actor: Who asks (None: the operator).
            profile: Role, offers, needs, sectors, regions, contact details.
            organisation_id: An existing organisation.
            name: Legal name of a new organisation.
            country: Its ISO 3166 country code.
            region: Its NUTS region.
            synthetic: Mark generated data.

        Returns:
            The public profile.

        Raises:
            InvalidInput: Neither an organisation nor a name and country; unknown area.
            Conflict: A new organisation's name exists in that country already.
            PermissionDenied: The actor is not a member of the existing organisation.
        """
        self.check_areas([*profile.offers.capability_areas, *profile.needs.capability_areas])
        if organisation_id is None:
            organisation_id = self._register(actor, name, country, region, profile, synthetic)
        else:
            self._access.check_member(actor, organisation_id, "edit its community profile")
        existing = self._repo.profile(organisation_id)
        self._repo.put_profile(
            organisation_id,
            profile,
            joined_at=existing.joined_at if existing else _now(),
            synthetic=synthetic,
        )
        return self.profile(organisation_id)

    def _register(
        self,
        actor: User | None,
        name: str | None,
        country: str | None,
        region: str | None,
        profile: ProfileCreate,
        synthetic: bool,
    ) -> str:
        legal_name = " ".join((name or "").split())
        code = (country or "").strip().upper()
        if not legal_name or len(code) != 2 or not code.isalpha():
            raise InvalidInput(
                "To join, give your organisation's legal name and two-letter country code "
                "(or the id of an organisation you are a member of).",
                details={"fields": ["name", "country"]},
            )
        if len(legal_name) > 300:
            raise InvalidInput("The organisation's name is longer than 300 characters.")
        nuts = (region or "").strip().upper() or None
        if nuts is not None and (not nuts.isalnum() or not 2 <= len(nuts) <= 5):
            raise InvalidInput(f"The region {region!r} is not a NUTS code such as SE110.")
        public_id = new_public_id()
        self._repo.add_organisation(
            public_id=public_id,
            legal_name=legal_name,
            country=code,
            region=nuts,
            kind=ORGANISATION_KIND[profile.role],
            synthetic=synthetic,
            created_at=_now(),
        )
        if actor is not None:
            self._members.put(public_id, actor.public_id, MemberRole.MANAGER, _now())
        return public_id

    def profile(self, organisation_id: str) -> Profile:
        """An organisation's public profile.

        Raises:
            NotFound: No such organisation, or it has not joined the community.
        """
        found = self._repo.profile(organisation_id)
        if found is None:
            self._repo.organisation_name(organisation_id)  # NotFound for an unknown id
            raise NotFound(
                f"The organisation {organisation_id!r} has not joined the community yet; a "
                "member joins it with POST /api/v1/organisations.",
                details={"organisation": organisation_id},
            )
        return found

    def profiles(self) -> list[Profile]:
        """Every organisation in the community, by name."""
        return self._repo.profiles()

    def mine(self, actor: User | None) -> list[Profile]:
        """The community profiles of the organisations ``actor`` is a member of."""
        wanted = set(self._access.organisations_of(actor))
        return [p for p in self._repo.profiles() if p.organisation_id in wanted]

    def may_edit(self, actor: User | None, organisation_id: str) -> bool:
        """Whether ``actor`` may edit the organisation (for showing forms)."""
        return actor is not None and self._access.is_member(actor, organisation_id)

    # --- commitments and progress -------------------------------------------------------------

    def commit(
        self,
        actor: User | None,
        organisation_id: str,
        commitment: CommitmentCreate,
        *,
        synthetic: bool = False,
    ) -> Commitment:
        """Publish a commitment for an organisation.

        A commitment naming a partnership is shared: the organisation must be a member of it.

        Raises:
            NotFound: No such organisation or partnership.
            PermissionDenied: The actor is not a member of the organisation.
            InvalidInput: Unknown capability area; no target; not in the partnership.
        """
        self._access.check_member(actor, organisation_id, "make commitments for it")
        self.profile(organisation_id)
        if commitment.capability_area:
            self.check_areas([commitment.capability_area])
        if not (
            commitment.target_people
            or commitment.target_investment_eur
            or commitment.target_training_places
        ):
            raise InvalidInput(
                "A commitment needs at least one target: people to upskill, investment in "
                "euros or training places.",
                details={"fields": ["target_people", "target_investment_eur"]},
            )
        if commitment.partnership_id:
            found = self._repo.partnerships(commitment.partnership_id)
            if not found:
                raise NotFound(f"No partnership with the id {commitment.partnership_id!r}.")
            if organisation_id not in {m.organisation_id for m in found[0].members}:
                raise InvalidInput(
                    f"The organisation is not a member of {found[0].name}; ask its "
                    "coordinators to add it before sharing a commitment there.",
                    details={"field": "partnership_id"},
                )
        public_id = new_public_id()
        self._repo.add_commitment(
            public_id,
            organisation_id,
            commitment,
            created_by=actor.public_id if actor else None,
            created_at=_now(),
            synthetic=synthetic,
        )
        return self._repo.commitment(public_id)

    def commitment(self, commitment_id: str) -> Commitment:
        """One commitment with its progress. Raises NotFound."""
        return self._repo.commitment(commitment_id)

    def commitments(
        self, organisation_id: str | None = None, partnership_id: str | None = None
    ) -> list[Commitment]:
        """Commitments of one organisation, shared in one partnership, or all; newest first."""
        return self._repo.commitments(
            organisation_ids=[organisation_id] if organisation_id else None,
            partnership_id=partnership_id,
        )

    def report_progress(
        self, actor: User | None, commitment_id: str, report: ProgressCreate
    ) -> Commitment:
        """Report (or correct) a year's progress on a commitment: the member survey.

        Raises:
            NotFound: No such commitment.
            PermissionDenied: The actor is not a member of the committing organisation.
            InvalidInput: The year is in the future.
        """
        commitment = self._repo.commitment(commitment_id)
        self._access.check_member(
            actor, commitment.organisation_id, "report progress on its commitments"
        )
        if report.year > _now().year:
            raise InvalidInput(
                f"Progress for {report.year} can be reported once that year has started.",
                details={"field": "year"},
            )
        self._repo.put_progress(
            commitment_id,
            report,
            reported_by=actor.public_id if actor else None,
            reported_at=_now(),
        )
        return self._repo.commitment(commitment_id)

    # --- dashboards and funding ---------------------------------------------------------------

    def dashboard(self, organisation_id: str | None = None) -> Dashboard:
        """The community's (or one organisation's) totals, trend and breakdowns."""
        return aggregate(self.commitments(organisation_id), area_labels=self.area_labels())

    def funding(
        self, organisation_id: str, *, capability_area: str | None = None
    ) -> list[tuple[FundingProgramme, EligibilityResult | None]]:
        """Funding programmes for an organisation, from the one funding directory, with its
        eligibility checked against what the profile says (who applies, country, region,
        sector).

        Raises:
            NotFound: The organisation has not joined.
        """
        profile = self.profile(organisation_id)
        situation = funding_situation(profile)
        return self._funding.search(
            applicant=situation.applicant,
            country=profile.country,
            capability_area=capability_area,
            situation=situation,
        )


def funding_situation(profile: Profile) -> Situation:
    """The funding situation of an organisation: who applies, where, in which sector."""
    return Situation(
        applicant=funding_applicant(profile.role),
        country=profile.country,
        region=profile.region,
        sector=profile.sectors[0] if profile.sectors else None,
    )


class PartnershipService:
    """Skills partnerships: create, members, coordinators, the partnership dashboard.

    Args:
        repository: Community storage.
        access: Permission checks.
        organisations: For profiles, commitments and area labels.
    """

    def __init__(
        self,
        repository: CommunityRepository,
        access: CommunityAccess,
        organisations: OrganisationService,
    ) -> None:
        self._repo = repository
        self._access = access
        self._organisations = organisations

    def create(
        self,
        actor: User | None,
        coordinator_id: str,
        partnership: PartnershipCreate,
        *,
        synthetic: bool = False,
    ) -> Partnership:
        """Create a partnership coordinated by an organisation the actor is a member of.

        Raises:
            PermissionDenied: The actor is not a member of the coordinating organisation.
            NotFound: The organisation has not joined the community.
            Conflict: The name is taken.
            InvalidInput: A regional partnership without a region.
        """
        self._access.check_member(actor, coordinator_id, "coordinate a partnership for it")
        self._organisations.profile(coordinator_id)
        if partnership.kind.value == "regional" and not partnership.region:
            raise InvalidInput(
                "A regional partnership needs its NUTS region (e.g. SE110).",
                details={"field": "region"},
            )
        public_id = new_public_id()
        self._repo.add_partnership(
            public_id, partnership, coordinator_id, created_at=_now(), synthetic=synthetic
        )
        return self.get(public_id)

    def get(self, partnership_id: str) -> Partnership:
        """One partnership with its members. Raises NotFound."""
        found = self._repo.partnerships(partnership_id)
        if not found:
            raise NotFound(
                f"No partnership with the id {partnership_id!r}. "
                "List them with GET /api/v1/partnerships.",
                details={"partnership": partnership_id},
            )
        return found[0]

    def all(self) -> list[Partnership]:
        """Every partnership, by name."""
        return self._repo.partnerships()

    def add_member(
        self,
        actor: User | None,
        partnership_id: str,
        organisation_id: str,
        role: str = "member",
    ) -> Partnership:
        """Add an organisation (or change its role: ``member`` or ``coordinator``).

        Raises:
            PermissionDenied: The actor is not a coordinator.
            NotFound: No such partnership, or the organisation has not joined.
            InvalidInput: Unknown role.
        """
        if role not in ("member", "coordinator"):
            raise InvalidInput(
                f"Unknown partnership role {role!r}; use member or coordinator.",
                details={"field": "role"},
            )
        partnership = self.get(partnership_id)
        self._access.check_coordinator(actor, partnership, "add or change its members")
        self._organisations.profile(organisation_id)
        self._repo.put_partnership_member(partnership_id, organisation_id, role, _now())
        return self.get(partnership_id)

    def remove_member(
        self, actor: User | None, partnership_id: str, organisation_id: str
    ) -> Partnership:
        """Take an organisation out (the last coordinator stays).

        Raises:
            PermissionDenied: The actor is not a coordinator.
            InvalidInput: It is the last coordinator.
        """
        partnership = self.get(partnership_id)
        self._access.check_coordinator(actor, partnership, "remove its members")
        coordinators = [c.organisation_id for c in partnership.coordinators]
        if coordinators == [organisation_id]:
            raise InvalidInput(
                "That is the partnership's only coordinator; name another coordinator first."
            )
        self._repo.remove_partnership_member(partnership_id, organisation_id)
        return self.get(partnership_id)

    def commit(
        self, actor: User | None, partnership_id: str, commitment: CommitmentCreate
    ) -> Commitment:
        """A shared commitment of the partnership, made by a coordinator for it.

        Raises:
            PermissionDenied: The actor is not a coordinator.
        """
        partnership = self.get(partnership_id)
        self._access.check_coordinator(actor, partnership, "make shared commitments")
        coordinator = next(
            (
                c.organisation_id
                for c in partnership.coordinators
                if self._access.is_member(actor, c.organisation_id)
            ),
            partnership.coordinators[0].organisation_id,
        )
        shared = commitment.model_copy(update={"partnership_id": partnership_id})
        return self._organisations.commit(None, coordinator, shared)

    def may_coordinate(self, actor: User | None, partnership: Partnership) -> bool:
        """Whether ``actor`` may edit the partnership (for showing forms)."""
        if actor is None:
            return False
        try:
            self._access.check_coordinator(actor, partnership, "edit it")
        except PermissionDenied:
            return False
        return True

    def commitments(self, partnership_id: str) -> list[Commitment]:
        """What the partnership aggregates: its shared commitments and every member
        organisation's own commitments (each once)."""
        partnership = self.get(partnership_id)
        return self._repo.commitments(
            organisation_ids=[m.organisation_id for m in partnership.members],
            partnership_id=partnership_id,
        )

    def dashboard(self, partnership_id: str) -> Dashboard:
        """The partnership's totals, trend and breakdowns over :meth:`commitments`."""
        return aggregate(
            self.commitments(partnership_id), area_labels=self._organisations.area_labels()
        )
