"""SQL storage of community profiles, commitments with progress, and partnerships.

SQLAlchemy Core over :mod:`skillpass.storage.tables` (``organisations``, ``community_profiles``,
``commitments``, ``commitment_progress``, ``partnerships``, ``partnership_members``); works on
SQLite and PostgreSQL. Public ids go in and out; database keys stay here. Lists are stored as
comma-separated codes, offers and needs as JSON.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from skillpass.community.models import (
    Commitment,
    CommitmentCreate,
    CommunityRole,
    ContactDetails,
    Offering,
    Partnership,
    PartnershipCreate,
    PartnershipKind,
    PartnershipMember,
    Profile,
    ProfileCreate,
    Progress,
    ProgressCreate,
)
from skillpass.errors import Conflict, NotFound
from skillpass.storage.tables import (
    commitment_progress,
    commitments,
    community_profiles,
    concepts,
    organisations,
    partnership_members,
    partnerships,
    users,
)

__all__ = ["CommunityRepository", "aware", "join_codes", "split_codes"]


def aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def split_codes(value: str | None) -> list[str]:
    """``"C27,C28"`` → ``["C27", "C28"]``."""
    return [part for part in (value or "").split(",") if part]


def join_codes(values: Iterable[str]) -> str:
    """``["C27", "C28"]`` → ``"C27,C28"``."""
    return ",".join(values)


def _offering(text: str | None) -> Offering:
    try:
        return Offering.model_validate(json.loads(text or "{}"))
    except (ValueError, TypeError):
        return Offering()


_PROFILE_COLUMNS = (
    organisations.c.public_id,
    organisations.c.legal_name,
    organisations.c.country,
    organisations.c.region,
    community_profiles.c.role,
    community_profiles.c.description,
    community_profiles.c.sectors,
    community_profiles.c.regions,
    community_profiles.c.offers,
    community_profiles.c.needs,
    community_profiles.c.website,
    community_profiles.c.joined_at,
    community_profiles.c.synthetic,
)


def _profile(row: Any) -> Profile:
    return Profile(
        organisation_id=row.public_id,
        name=row.legal_name,
        country=row.country,
        region=row.region,
        role=CommunityRole(row.role),
        description=row.description or "",
        sectors=split_codes(row.sectors),
        regions=split_codes(row.regions),
        offers=_offering(row.offers),
        needs=_offering(row.needs),
        website=row.website,
        joined_at=aware(row.joined_at),
        synthetic=bool(row.synthetic),
    )


class CommunityRepository:
    """Reads and writes profiles, commitments, progress and partnerships.

    Args:
        engine: The database engine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        """The engine (for the other community repositories)."""
        return self._engine

    # --- keys ---------------------------------------------------------------------------------

    @staticmethod
    def org_pk(conn: Connection, organisation_id: str) -> int:
        """The database key of an organisation. Raises NotFound."""
        pk = conn.execute(
            select(organisations.c.id).where(organisations.c.public_id == organisation_id)
        ).scalar_one_or_none()
        if pk is None:
            raise NotFound(
                f"No organisation with the id {organisation_id!r}. "
                "List them with GET /api/v1/organisations or `skillpass community export`.",
                details={"organisation": organisation_id},
            )
        return int(pk)

    @staticmethod
    def user_pk(conn: Connection, user_id: str | None) -> int | None:
        """The database key of a user (None for the operator or an unknown user)."""
        if user_id is None:
            return None
        pk = conn.execute(select(users.c.id).where(users.c.public_id == user_id)).scalar()
        return int(pk) if pk is not None else None

    @staticmethod
    def _partnership_pk(conn: Connection, partnership_id: str) -> int:
        pk = conn.execute(
            select(partnerships.c.id).where(partnerships.c.public_id == partnership_id)
        ).scalar_one_or_none()
        if pk is None:
            raise NotFound(
                f"No partnership with the id {partnership_id!r}. "
                "List them with GET /api/v1/partnerships.",
                details={"partnership": partnership_id},
            )
        return int(pk)

    # --- organisations and profiles -----------------------------------------------------------

    def add_organisation(
        self,
        *,
        public_id: str,
        legal_name: str,
        country: str,
        region: str | None,
        kind: str,
        synthetic: bool,
        created_at: datetime,
    ) -> None:
        """Insert an organisation (without signing keys: it can get them as an issuer later).

        Raises:
            Conflict: One with this legal name already exists in this country.
        """
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(organisations).values(
                        public_id=public_id,
                        legal_name=legal_name,
                        country=country,
                        region=region,
                        kind=kind,
                        synthetic=synthetic,
                        created_at=created_at,
                    )
                )
        except IntegrityError as error:
            raise Conflict(
                f"An organisation named {legal_name!r} already exists in {country}. If it is "
                "yours, ask one of its members or an administrator to add you "
                "(`skillpass issuer add-member`), then join with its id.",
                details={"legal_name": legal_name, "country": country},
            ) from error

    def organisation_name(self, organisation_id: str) -> str:
        """The legal name of an organisation. Raises NotFound."""
        with self._engine.connect() as conn:
            pk = self.org_pk(conn, organisation_id)
            return str(
                conn.execute(
                    select(organisations.c.legal_name).where(organisations.c.id == pk)
                ).scalar_one()
            )

    def find_organisation(self, legal_name: str, country: str) -> str | None:
        """The public id of the organisation with this name in this country, if any."""
        with self._engine.connect() as conn:
            found = conn.execute(
                select(organisations.c.public_id).where(
                    organisations.c.legal_name == legal_name, organisations.c.country == country
                )
            ).scalar_one_or_none()
        return str(found) if found is not None else None

    def put_profile(
        self,
        organisation_id: str,
        profile: ProfileCreate,
        *,
        joined_at: datetime,
        synthetic: bool = False,
    ) -> None:
        """Create or replace an organisation's community profile (keeps the first join date)."""
        values = {
            "role": profile.role.value,
            "description": profile.description,
            "sectors": join_codes(profile.sectors),
            "regions": join_codes(profile.regions),
            "offers": profile.offers.model_dump_json(),
            "needs": profile.needs.model_dump_json(),
            "contact_email": profile.contact_email,
            "website": profile.website,
        }
        with self._engine.begin() as conn:
            pk = self.org_pk(conn, organisation_id)
            exists = conn.execute(
                select(community_profiles.c.organisation_id).where(
                    community_profiles.c.organisation_id == pk
                )
            ).scalar_one_or_none()
            if exists is None:
                conn.execute(
                    insert(community_profiles).values(
                        organisation_id=pk, joined_at=joined_at, synthetic=synthetic, **values
                    )
                )
            else:
                conn.execute(
                    update(community_profiles)
                    .where(community_profiles.c.organisation_id == pk)
                    .values(**values)
                )

    def _profiles(self, where: Any = None) -> list[Profile]:
        query = (
            select(*_PROFILE_COLUMNS)
            .select_from(
                community_profiles.join(
                    organisations, organisations.c.id == community_profiles.c.organisation_id
                )
            )
            .order_by(organisations.c.legal_name)
        )
        if where is not None:
            query = query.where(where)
        with self._engine.connect() as conn:
            return [_profile(row) for row in conn.execute(query)]

    def profile(self, organisation_id: str) -> Profile | None:
        """An organisation's community profile, or None when it has not joined."""
        found = self._profiles(organisations.c.public_id == organisation_id)
        return found[0] if found else None

    def profiles(self) -> list[Profile]:
        """Every organisation in the community, by name."""
        return self._profiles()

    def contact_details(self, organisation_id: str) -> ContactDetails:
        """An organisation's contact details (to share after an accepted request)."""
        query = (
            select(
                organisations.c.public_id,
                organisations.c.legal_name,
                organisations.c.contact_email.label("org_email"),
                organisations.c.url,
                community_profiles.c.contact_email,
                community_profiles.c.website,
            )
            .select_from(
                organisations.outerjoin(
                    community_profiles,
                    community_profiles.c.organisation_id == organisations.c.id,
                )
            )
            .where(organisations.c.public_id == organisation_id)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            raise NotFound(f"No organisation with the id {organisation_id!r}.")
        return ContactDetails(
            organisation_id=row.public_id,
            name=row.legal_name,
            contact_email=row.contact_email or row.org_email,
            website=row.website or row.url,
        )

    # --- commitments and progress -------------------------------------------------------------

    def add_commitment(
        self,
        public_id: str,
        organisation_id: str,
        commitment: CommitmentCreate,
        *,
        created_by: str | None,
        created_at: datetime,
        synthetic: bool = False,
    ) -> None:
        """Store a commitment. Raises NotFound for an unknown organisation or partnership."""
        with self._engine.begin() as conn:
            conn.execute(
                insert(commitments).values(
                    public_id=public_id,
                    organisation_id=self.org_pk(conn, organisation_id),
                    partnership_id=self._partnership_pk(conn, commitment.partnership_id)
                    if commitment.partnership_id
                    else None,
                    title=commitment.title,
                    capability_area=commitment.capability_area,
                    target_people=commitment.target_people,
                    target_investment_eur=commitment.target_investment_eur,
                    target_training_places=commitment.target_training_places,
                    target_year=commitment.target_year,
                    sectors=join_codes(commitment.sectors),
                    regions=join_codes(commitment.regions),
                    synthetic=synthetic,
                    created_by=self.user_pk(conn, created_by),
                    created_at=created_at,
                )
            )

    def commitments(
        self,
        *,
        organisation_ids: Iterable[str] | None = None,
        partnership_id: str | None = None,
        commitment_id: str | None = None,
    ) -> list[Commitment]:
        """Commitments with their progress, newest first; filters are combined with OR
        (an organisation's own and a partnership's shared ones), none gives every one."""
        t = commitments
        c = t.c
        query = (
            select(
                c.id,
                c.public_id,
                organisations.c.public_id.label("org_public_id"),
                organisations.c.legal_name,
                partnerships.c.public_id.label("partnership_public_id"),
                c.title,
                c.capability_area,
                c.target_people,
                c.target_investment_eur,
                c.target_training_places,
                c.target_year,
                c.sectors,
                c.regions,
                c.synthetic,
                c.created_at,
            )
            .select_from(
                t.join(organisations, organisations.c.id == c.organisation_id).outerjoin(
                    partnerships, partnerships.c.id == c.partnership_id
                )
            )
            .order_by(c.created_at.desc(), c.id.desc())
        )
        conditions: list[Any] = []
        if organisation_ids is not None:
            conditions.append(organisations.c.public_id.in_(list(organisation_ids)))
        if partnership_id is not None:
            conditions.append(partnerships.c.public_id == partnership_id)
        if commitment_id is not None:
            query = query.where(c.public_id == commitment_id)
        if conditions:
            query = query.where(or_(*conditions))
        with self._engine.connect() as conn:
            rows = list(conn.execute(query))
            progress: dict[int, list[Progress]] = defaultdict(list)
            if rows:
                p = commitment_progress
                for prow in conn.execute(
                    select(p)
                    .where(p.c.commitment_id.in_([row.id for row in rows]))
                    .order_by(p.c.year)
                ):
                    progress[prow.commitment_id].append(
                        Progress(
                            year=prow.year,
                            people_reached=prow.people_reached,
                            investment_eur=prow.investment_eur,
                            courses_delivered=prow.courses_delivered,
                            note=prow.note,
                            reported_at=aware(prow.reported_at),
                        )
                    )
        return [
            Commitment(
                id=row.public_id,
                organisation_id=row.org_public_id,
                organisation_name=row.legal_name,
                partnership_id=row.partnership_public_id,
                title=row.title,
                capability_area=row.capability_area,
                target_people=row.target_people,
                target_investment_eur=row.target_investment_eur,
                target_training_places=row.target_training_places,
                target_year=row.target_year,
                sectors=split_codes(row.sectors),
                regions=split_codes(row.regions),
                synthetic=bool(row.synthetic),
                created_at=aware(row.created_at),
                progress=progress.get(row.id, []),
            )
            for row in rows
        ]

    def commitment(self, commitment_id: str) -> Commitment:
        """One commitment. Raises NotFound."""
        found = self.commitments(commitment_id=commitment_id)
        if not found:
            raise NotFound(
                f"No commitment with the id {commitment_id!r}.",
                details={"commitment": commitment_id},
            )
        return found[0]

    def put_progress(
        self,
        commitment_id: str,
        report: ProgressCreate,
        *,
        reported_by: str | None,
        reported_at: datetime,
    ) -> None:
        """Create or replace the progress of one year."""
        p = commitment_progress
        with self._engine.begin() as conn:
            pk = conn.execute(
                select(commitments.c.id).where(commitments.c.public_id == commitment_id)
            ).scalar_one_or_none()
            if pk is None:
                raise NotFound(f"No commitment with the id {commitment_id!r}.")
            values = {
                "people_reached": report.people_reached,
                "investment_eur": report.investment_eur,
                "courses_delivered": report.courses_delivered,
                "note": report.note,
                "reported_by": self.user_pk(conn, reported_by),
                "reported_at": reported_at,
            }
            existing = conn.execute(
                select(p.c.id).where(p.c.commitment_id == pk, p.c.year == report.year)
            ).scalar_one_or_none()
            if existing is None:
                conn.execute(insert(p).values(commitment_id=pk, year=report.year, **values))
            else:
                conn.execute(update(p).where(p.c.id == existing).values(**values))

    # --- partnerships -------------------------------------------------------------------------

    def add_partnership(
        self,
        public_id: str,
        partnership: PartnershipCreate,
        coordinator_id: str,
        *,
        created_at: datetime,
        synthetic: bool = False,
    ) -> None:
        """Store a partnership with its first coordinator.

        Raises:
            Conflict: A partnership with this name exists.
        """
        try:
            with self._engine.begin() as conn:
                org = self.org_pk(conn, coordinator_id)
                pk = conn.execute(
                    insert(partnerships)
                    .values(
                        public_id=public_id,
                        name=partnership.name,
                        kind=partnership.kind.value,
                        sector=partnership.sector,
                        region=partnership.region,
                        description=partnership.description,
                        synthetic=synthetic,
                        created_at=created_at,
                    )
                    .returning(partnerships.c.id)
                ).scalar_one()
                conn.execute(
                    insert(partnership_members).values(
                        partnership_id=pk,
                        organisation_id=org,
                        role="coordinator",
                        joined_at=created_at,
                    )
                )
        except IntegrityError as error:
            raise Conflict(
                f"A partnership named {partnership.name!r} exists already; join it, or choose "
                "another name.",
                details={"name": partnership.name},
            ) from error

    def partnerships(self, partnership_id: str | None = None) -> list[Partnership]:
        """Partnerships with their members (coordinators first), by name."""
        query = select(partnerships).order_by(partnerships.c.name)
        if partnership_id is not None:
            query = query.where(partnerships.c.public_id == partnership_id)
        m = partnership_members
        with self._engine.connect() as conn:
            rows = list(conn.execute(query))
            members: dict[int, list[PartnershipMember]] = defaultdict(list)
            if rows:
                for mrow in conn.execute(
                    select(
                        m.c.partnership_id,
                        m.c.role,
                        m.c.joined_at,
                        organisations.c.public_id,
                        organisations.c.legal_name,
                        organisations.c.country,
                    )
                    .select_from(m.join(organisations, organisations.c.id == m.c.organisation_id))
                    .where(m.c.partnership_id.in_([row.id for row in rows]))
                    .order_by(m.c.role, organisations.c.legal_name)
                ):
                    members[mrow.partnership_id].append(
                        PartnershipMember(
                            organisation_id=mrow.public_id,
                            name=mrow.legal_name,
                            country=mrow.country,
                            role=mrow.role,
                            joined_at=aware(mrow.joined_at),
                        )
                    )
        return [
            Partnership(
                id=row.public_id,
                name=row.name,
                kind=PartnershipKind(row.kind),
                sector=row.sector,
                region=row.region,
                description=row.description or "",
                synthetic=bool(row.synthetic),
                created_at=aware(row.created_at),
                members=members.get(row.id, []),
            )
            for row in rows
        ]

    def put_partnership_member(
        self, partnership_id: str, organisation_id: str, role: str, joined_at: datetime
    ) -> None:
        """Add an organisation to a partnership, or change its role there."""
        m = partnership_members
        with self._engine.begin() as conn:
            pk = self._partnership_pk(conn, partnership_id)
            org = self.org_pk(conn, organisation_id)
            existing = conn.execute(
                select(m.c.role).where(m.c.partnership_id == pk, m.c.organisation_id == org)
            ).scalar_one_or_none()
            if existing is None:
                conn.execute(
                    insert(m).values(
                        partnership_id=pk, organisation_id=org, role=role, joined_at=joined_at
                    )
                )
            else:
                conn.execute(
                    update(m)
                    .where(m.c.partnership_id == pk, m.c.organisation_id == org)
                    .values(role=role)
                )

    def remove_partnership_member(self, partnership_id: str, organisation_id: str) -> None:
        """Take an organisation out of a partnership (NotFound when it is not in it)."""
        m = partnership_members
        with self._engine.begin() as conn:
            pk = self._partnership_pk(conn, partnership_id)
            org = self.org_pk(conn, organisation_id)
            gone = conn.execute(
                delete(m).where(m.c.partnership_id == pk, m.c.organisation_id == org)
            ).rowcount
        if not gone:
            raise NotFound(
                f"The organisation {organisation_id!r} is not a member of this partnership."
            )

    # --- labels -------------------------------------------------------------------------------

    def skill_labels(self, uris: Iterable[str]) -> dict[str, str]:
        """English preferred labels of ESCO concepts (missing ones are left out: no ESCO yet)."""
        wanted = sorted(set(uris))
        if not wanted:
            return {}
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(concepts.c.uri, concepts.c.preferred_label).where(concepts.c.uri.in_(wanted))
            )
            return {row.uri: row.preferred_label for row in rows}
