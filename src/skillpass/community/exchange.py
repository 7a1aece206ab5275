"""Partner finding and contact requests (the scoring itself is in
:mod:`skillpass.community.partners`).

A member asks for contact with a suggested organisation; the receiving organisation's members
accept or decline. Contact details (the profile's contact e-mail and web site) are added to a
request — for both sides — only once it is accepted; before that, and after a decline, nobody
sees them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from skillpass.auth.models import User
from skillpass.community.library_repository import LibraryRepository
from skillpass.community.models import (
    CommunityRole,
    ContactRequest,
    ContactStatus,
    MatchedCourse,
    PartnerSuggestion,
    Profile,
)
from skillpass.community.partners import nuts_relation, score_partner
from skillpass.community.repository import CommunityRepository
from skillpass.community.service import CommunityAccess, OrganisationService
from skillpass.errors import Conflict, InvalidInput, NotFound
from skillpass.ids import new_public_id
from skillpass.pathways.catalogue import CatalogueService
from skillpass.pathways.models import Opportunity, OpportunityQuery

__all__ = ["PartnerService"]


class PartnerService:
    """Suggest partners with reasons; contact requests.

    Args:
        repository: Community storage.
        library: Storage of contact requests.
        access: Permission checks.
        organisations: Profiles and area labels.
        catalogue: The course catalogue (providers' courses for employers' needs).
    """

    def __init__(
        self,
        repository: CommunityRepository,
        library: LibraryRepository,
        access: CommunityAccess,
        organisations: OrganisationService,
        catalogue: CatalogueService,
    ) -> None:
        self._repo = repository
        self._library = library
        self._access = access
        self._organisations = organisations
        self._catalogue = catalogue

    def suggest(
        self,
        organisation_id: str,
        *,
        role: CommunityRole | None = None,
        region: str | None = None,
        limit: int = 10,
    ) -> list[PartnerSuggestion]:
        """Organisations that complement this one, best first, each with its reasons.

        Args:
            organisation_id: Who is looking.
            role: Only partners of this role (e.g. ``vet_provider``).
            region: Only partners working in this NUTS region (or inside it).
            limit: At most this many.

        Raises:
            NotFound: The organisation has not joined.
        """
        me = self._organisations.profile(organisation_id)
        others = [p for p in self._repo.profiles() if p.organisation_id != organisation_id]
        if role is not None:
            others = [p for p in others if p.role is role]
        if region:
            wanted = region.strip().upper()
            others = [
                p for p in others if any(nuts_relation(wanted, r) == "region" for r in p.places)
            ]
        skills = {*me.needs.skills, *me.offers.skills}
        for other in others:
            skills.update(other.offers.skills)
            skills.update(other.needs.skills)
        labels = self._repo.skill_labels(skills)
        areas = self._organisations.area_labels()
        found = [
            suggestion
            for other in others
            if (
                suggestion := score_partner(
                    me,
                    other,
                    area_labels=areas,
                    skill_labels=labels,
                    courses=self._courses,
                )
            )
            is not None
        ]
        found.sort(key=lambda s: (-s.score, s.profile.name))
        return found[:limit]

    def _courses(self, employer: Profile, provider: Profile) -> list[MatchedCourse]:
        """The provider's catalogue courses in the employer's region meeting its needs."""
        areas = self._organisations.area_labels()
        needs: list[tuple[str, OpportunityQuery]] = [
            (
                areas.get(area, area),
                OpportunityQuery(provider_id=provider.organisation_id, capability_area=area),
            )
            for area in employer.needs.capability_areas
        ]
        labels = self._repo.skill_labels(employer.needs.skills)
        needs += [
            (
                labels.get(uri, uri.rsplit("/", 1)[-1]),
                OpportunityQuery(provider_id=provider.organisation_id, skill=uri),
            )
            for uri in employer.needs.skills
        ]
        matched: dict[str, tuple[Opportunity, list[str]]] = {}
        for word, query in needs:
            hits, _ = self._catalogue.search(query.model_copy(update={"limit": 20}))
            for course in hits:
                if not self._near(employer, course):
                    continue
                entry = matched.setdefault(course.id, (course, []))
                if word not in entry[1]:
                    entry[1].append(word)
        ranked = sorted(matched.values(), key=lambda pair: (-len(pair[1]), pair[0].title))
        return [
            MatchedCourse(
                opportunity_id=course.id,
                title=course.title,
                region=course.region,
                country=course.country,
                covers=covers,
            )
            for course, covers in ranked
        ]

    @staticmethod
    def _near(employer: Profile, course: Opportunity) -> bool:
        if course.region:
            return any(nuts_relation(place, course.region) == "region" for place in employer.places)
        return course.country == employer.country

    # --- contact requests ---------------------------------------------------------------------

    def request_contact(
        self, actor: User | None, from_id: str, to_id: str, message: str
    ) -> ContactRequest:
        """Ask another organisation for contact.

        Raises:
            PermissionDenied: The actor is not a member of ``from_id``.
            InvalidInput: Asking oneself; an empty or long message.
            Conflict: A request between them is pending already.
            NotFound: Either has not joined the community.
        """
        self._access.check_member(actor, from_id, "ask for contact on its behalf")
        if from_id == to_id:
            raise InvalidInput("Choose another organisation than your own.")
        text = message.strip()
        if not text or len(text) > 2000:
            raise InvalidInput(
                "Write a short message (up to 2,000 characters) saying why you want to meet.",
                details={"field": "message"},
            )
        self._organisations.profile(from_id)
        self._organisations.profile(to_id)
        for existing in self._library.contact_requests(organisation_ids=[from_id]):
            if existing.status is ContactStatus.PENDING and {
                existing.from_organisation_id,
                existing.to_organisation_id,
            } == {from_id, to_id}:
                raise Conflict(
                    "A contact request between these organisations is waiting for an answer "
                    "already.",
                    details={"request": existing.id},
                )
        public_id = new_public_id()
        self._library.add_contact_request(
            public_id,
            from_id,
            to_id,
            text,
            requested_by=actor.public_id if actor else None,
            created_at=datetime.now(UTC),
        )
        return self._library.contact_request(public_id)

    def _visible(self, actor: User | None, request: ContactRequest) -> ContactRequest:
        """The request as ``actor`` sees it: with the other side's details once accepted."""
        if request.status is not ContactStatus.ACCEPTED:
            return request
        other = (
            request.to_organisation_id
            if self._access.is_member(actor, request.from_organisation_id)
            else request.from_organisation_id
        )
        return request.model_copy(update={"contact": self._repo.contact_details(other)})

    def get_request(self, actor: User | None, request_id: str) -> ContactRequest:
        """One request, for a member of either side.

        Raises:
            NotFound: No such request, or the actor is on neither side.
        """
        request = self._library.contact_request(request_id)
        if not (
            self._access.is_member(actor, request.from_organisation_id)
            or self._access.is_member(actor, request.to_organisation_id)
        ):
            raise NotFound(f"No contact request with the id {request_id!r}.")
        return self._visible(actor, request)

    def requests(self, actor: User | None, organisation_id: str) -> list[ContactRequest]:
        """Requests an organisation sent or received (for its members).

        Raises:
            PermissionDenied: The actor is not a member.
        """
        self._access.check_member(actor, organisation_id, "see its contact requests")
        return [
            self._visible(actor, r)
            for r in self._library.contact_requests(organisation_ids=[organisation_id])
        ]

    def decide(self, actor: User | None, request_id: str, accept: bool) -> ContactRequest:
        """The receiving organisation accepts (sharing contact details both ways) or declines.

        Raises:
            NotFound: No such request.
            PermissionDenied: The actor is not a member of the receiving organisation.
            Conflict: Decided already.
        """
        request = self._library.contact_request(request_id)
        self._access.check_member(
            actor, request.to_organisation_id, "answer contact requests sent to it"
        )
        if request.status is not ContactStatus.PENDING:
            raise Conflict(f"This request was {request.status.value} already.")
        self._library.decide_contact_request(
            request_id,
            ContactStatus.ACCEPTED if accept else ContactStatus.DECLINED,
            decided_by=actor.public_id if actor else None,
            at=datetime.now(UTC),
        )
        return self._visible(actor, self._library.contact_request(request_id))
