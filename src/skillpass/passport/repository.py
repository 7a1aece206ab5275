"""SQL storage of the passport: items, their evidence files, and the reads and deletes that GDPR
access and erasure need across the passport tables (SQLAlchemy Core over ``storage.tables``).

Database keys stay in here; callers speak public ids and domain models. A unique-key clash
becomes :class:`~skillpass.errors.Conflict`, never a driver exception.
"""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from skillpass.errors import Conflict, NotFound
from skillpass.ids import new_public_id
from skillpass.passport.evidence import CheckedEvidence
from skillpass.passport.models import (
    EvidenceFile,
    ExperienceCategory,
    ItemKind,
    ItemSource,
    PassportItem,
    SkillRef,
)
from skillpass.storage.tables import (
    achievements,
    api_tokens,
    attestations,
    concepts,
    evidence_files,
    holder_keys,
    issued_credentials,
    organisation_members,
    organisations,
    passport_items,
    rpl_cases,
    rpl_events,
    share_accesses,
    shares,
    users,
)

__all__ = ["EvidenceAccess", "NewItem", "PassportRepository", "StoredEvidence"]


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _required(value: datetime | None) -> datetime:
    aware = _aware(value)
    assert aware is not None
    return aware


@dataclass(frozen=True)
class NewItem:
    """Everything stored for a new passport item (the repository adds ids and timestamps)."""

    kind: ItemKind
    source: ItemSource
    title: str
    description: str = ""  # personal data
    category: ExperienceCategory | None = None
    issuer_name: str | None = None
    issuer_id: str | None = None
    issuer_country: str | None = None
    format: str | None = None
    document: str | None = None  # personal data
    credential_id: str | None = None
    verified: bool | None = None
    verification: dict[str, Any] | None = None
    checked_at: datetime | None = None
    issued_at: datetime | None = None
    valid_until: datetime | None = None
    period_start: date | None = None
    period_end: date | None = None
    skills: tuple[SkillRef, ...] = ()
    eqf: int | None = None
    ects: float | None = None
    hours: float | None = None
    issued_credential: str | None = None  # public id in issued_credentials


@dataclass(frozen=True)
class StoredEvidence:
    """An evidence file with its bytes and who may see it."""

    file: EvidenceFile
    content: bytes
    owner_id: str  # user public id
    assessor_id: str | None  # user public id of the assessor of its RPL case, if any


@dataclass(frozen=True)
class EvidenceAccess:
    """Evidence bytes for the bundle and the GDPR download."""

    file: EvidenceFile
    content: bytes


def _evidence(row: Any) -> EvidenceFile:
    return EvidenceFile(
        id=row.public_id,
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        created_at=_required(row.created_at),
    )


_EVIDENCE_META = (
    evidence_files.c.public_id,
    evidence_files.c.filename,
    evidence_files.c.media_type,
    evidence_files.c.size,
    evidence_files.c.sha256,
    evidence_files.c.created_at,
)


def _item(row: Any, evidence: list[EvidenceFile]) -> PassportItem:
    return PassportItem(
        id=row.public_id,
        kind=ItemKind(row.kind),
        source=ItemSource(row.source),
        category=ExperienceCategory(row.category) if row.category else None,
        title=row.title,
        description=row.description or "",
        issuer_name=row.issuer_name,
        issuer_id=row.issuer_id,
        issuer_country=row.issuer_country,
        format=row.format,
        document=row.document,
        credential_id=row.credential_id,
        verified=row.verified,
        verification=json.loads(row.verification) if row.verification else None,
        checked_at=_aware(row.checked_at),
        issued_at=_aware(row.issued_at),
        valid_until=_aware(row.valid_until),
        period_start=row.period_start,
        period_end=row.period_end,
        skills=[SkillRef.model_validate(s) for s in json.loads(row.skills or "[]")],
        eqf=row.eqf,
        ects=row.ects,
        hours=row.hours,
        evidence=evidence,
        created_at=_required(row.created_at),
        updated_at=_required(row.updated_at),
    )


class PassportRepository:
    """Reads and writes ``passport_items`` and ``evidence_files``; GDPR reads and erasure.

    Args:
        engine: The database engine (SQLite or PostgreSQL).
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # --- users ------------------------------------------------------------------------------

    @staticmethod
    def _user_pk(conn: Connection, public_id: str) -> int:
        pk = conn.execute(select(users.c.id).where(users.c.public_id == public_id)).scalar()
        if pk is None:
            raise NotFound(f"No user {public_id!r}.")
        return int(pk)

    def user_email(self, public_id: str) -> tuple[str, str]:
        """The e-mail and display name of a user.

        Raises:
            NotFound: No such user.
        """
        with self._engine.connect() as conn:
            row = conn.execute(
                select(users.c.email, users.c.display_name).where(users.c.public_id == public_id)
            ).first()
        if row is None:
            raise NotFound(f"No user {public_id!r}.")
        return str(row.email), str(row.display_name)

    def holder_dids(self, owner_id: str) -> list[str]:
        """The learner's holder DIDs, the active one first."""
        with self._engine.connect() as conn:
            pk = self._user_pk(conn, owner_id)
            rows = conn.execute(
                select(holder_keys.c.did, holder_keys.c.status)
                .where(holder_keys.c.user_id == pk)
                .order_by(holder_keys.c.id.desc())
            ).all()
        return [r.did for r in sorted(rows, key=lambda r: r.status != "active")]

    # --- items ------------------------------------------------------------------------------

    def _evidence_for(self, conn: Connection, item_pks: list[int]) -> dict[int, list[EvidenceFile]]:
        found: dict[int, list[EvidenceFile]] = defaultdict(list)
        if not item_pks:
            return found
        rows = conn.execute(
            select(evidence_files.c.item_id, *_EVIDENCE_META)
            .where(evidence_files.c.item_id.in_(item_pks))
            .order_by(evidence_files.c.id)
        )
        for row in rows:
            found[int(row.item_id)].append(_evidence(row))
        return found

    def _items(self, conn: Connection, where: Any) -> list[PassportItem]:
        rows = conn.execute(
            select(passport_items)
            .where(where)
            .order_by(passport_items.c.created_at.desc(), passport_items.c.id.desc())
        ).all()
        evidence = self._evidence_for(conn, [int(r.id) for r in rows])
        return [_item(row, evidence.get(int(row.id), [])) for row in rows]

    def items(self, owner_id: str) -> list[PassportItem]:
        """Every item of a learner, newest first."""
        with self._engine.connect() as conn:
            pk = self._user_pk(conn, owner_id)
            return self._items(conn, passport_items.c.owner_id == pk)

    def items_by_ids(self, owner_id: str, item_ids: list[str]) -> list[PassportItem]:
        """The learner's items among ``item_ids`` (others' items and unknown ids are left out)."""
        if not item_ids:
            return []
        with self._engine.connect() as conn:
            pk = self._user_pk(conn, owner_id)
            return self._items(
                conn,
                (passport_items.c.owner_id == pk) & passport_items.c.public_id.in_(item_ids),
            )

    def get_item(self, owner_id: str, item_id: str) -> PassportItem:
        """One item of a learner.

        Raises:
            NotFound: Not in this learner's passport (also when it is someone else's).
        """
        found = self.items_by_ids(owner_id, [item_id])
        if not found:
            raise NotFound(
                f"No item {item_id!r} in your passport; list your items to find its id.",
                details={"item": item_id},
            )
        return found[0]

    def has_credential(self, owner_id: str, credential_id: str) -> bool:
        """Whether the learner's passport already holds a credential with this id."""
        with self._engine.connect() as conn:
            pk = self._user_pk(conn, owner_id)
            found = conn.execute(
                select(passport_items.c.id).where(
                    (passport_items.c.owner_id == pk)
                    & (passport_items.c.credential_id == credential_id)
                )
            ).first()
        return found is not None

    def has_experience(
        self, owner_id: str, title: str, period_start: date | None, description: str
    ) -> bool:
        """Whether the learner already declared this experience (bundle re-imports)."""
        with self._engine.connect() as conn:
            pk = self._user_pk(conn, owner_id)
            rows = conn.execute(
                select(passport_items.c.period_start, passport_items.c.description).where(
                    (passport_items.c.owner_id == pk)
                    & (passport_items.c.kind == ItemKind.EXPERIENCE.value)
                    & (passport_items.c.title == title)
                )
            ).all()
        return any(r.period_start == period_start and r.description == description for r in rows)

    def add_item(
        self, owner_id: str, new: NewItem, evidence: list[CheckedEvidence] | None = None
    ) -> PassportItem:
        """Store a new item, with its evidence files, in one transaction.

        Raises:
            NotFound: No such user, or no such issued credential.
            Conflict: The passport already holds a credential with this id.
        """
        now = datetime.now(UTC)
        public_id = new_public_id()
        try:
            with self._engine.begin() as conn:
                pk = self._user_pk(conn, owner_id)
                issued_pk = None
                if new.issued_credential is not None:
                    issued_pk = conn.execute(
                        select(issued_credentials.c.id).where(
                            issued_credentials.c.public_id == new.issued_credential
                        )
                    ).scalar()
                    if issued_pk is None:
                        raise NotFound(f"No credential {new.issued_credential!r} issued here.")
                inserted = conn.execute(
                    insert(passport_items).values(
                        public_id=public_id,
                        owner_id=pk,
                        kind=new.kind.value,
                        source=new.source.value,
                        category=new.category.value if new.category else None,
                        title=new.title[:500],
                        description=new.description,
                        issuer_name=new.issuer_name[:300] if new.issuer_name else None,
                        issuer_id=new.issuer_id[:500] if new.issuer_id else None,
                        issuer_country=new.issuer_country,
                        format=new.format,
                        document=new.document,
                        credential_id=new.credential_id,
                        verified=new.verified,
                        verification=json.dumps(new.verification)
                        if new.verification is not None
                        else None,
                        checked_at=new.checked_at,
                        issued_at=new.issued_at,
                        valid_until=new.valid_until,
                        period_start=new.period_start,
                        period_end=new.period_end,
                        skills=json.dumps([s.model_dump() for s in new.skills]),
                        eqf=new.eqf,
                        ects=new.ects,
                        hours=new.hours,
                        issued_credential_id=issued_pk,
                        created_at=now,
                        updated_at=now,
                    )
                ).inserted_primary_key
                assert inserted is not None
                item_pk = int(inserted[0])
                for checked in evidence or []:
                    self._insert_evidence(conn, pk, item_pk, checked, now)
                return self._items(conn, passport_items.c.id == item_pk)[0]
        except IntegrityError:
            raise Conflict(
                "This credential is already in your passport.",
                details={"credential_id": new.credential_id},
            ) from None

    def set_verification(
        self, owner_id: str, item_id: str, verified: bool, report: dict[str, Any], at: datetime
    ) -> PassportItem:
        """Keep a new verification report for an item.

        Raises:
            NotFound: Not in this learner's passport.
        """
        with self._engine.begin() as conn:
            pk = self._user_pk(conn, owner_id)
            where = (passport_items.c.owner_id == pk) & (passport_items.c.public_id == item_id)
            done = conn.execute(
                update(passport_items)
                .where(where)
                .values(
                    verified=verified, verification=json.dumps(report), checked_at=at, updated_at=at
                )
            )
            if done.rowcount == 0:
                raise NotFound(f"No item {item_id!r} in your passport.")
            return self._items(conn, where)[0]

    def delete_item(self, owner_id: str, item_id: str) -> None:
        """Delete an item and its evidence files.

        Raises:
            NotFound: Not in this learner's passport.
        """
        with self._engine.begin() as conn:
            pk = self._user_pk(conn, owner_id)
            item_pk = conn.execute(
                select(passport_items.c.id).where(
                    (passport_items.c.owner_id == pk) & (passport_items.c.public_id == item_id)
                )
            ).scalar()
            if item_pk is None:
                raise NotFound(f"No item {item_id!r} in your passport.")
            conn.execute(delete(evidence_files).where(evidence_files.c.item_id == item_pk))
            conn.execute(
                update(attestations).where(attestations.c.item_id == item_pk).values(item_id=None)
            )
            conn.execute(delete(passport_items).where(passport_items.c.id == item_pk))

    # --- evidence ---------------------------------------------------------------------------

    @staticmethod
    def _insert_evidence(
        conn: Connection, owner_pk: int, item_pk: int, checked: CheckedEvidence, now: datetime
    ) -> str:
        public_id = new_public_id()
        conn.execute(
            insert(evidence_files).values(
                public_id=public_id,
                owner_id=owner_pk,
                item_id=item_pk,
                rpl_case_id=None,
                filename=checked.filename,
                media_type=checked.media_type,
                size=checked.size,
                sha256=checked.sha256,
                content=checked.content,
                created_at=now,
            )
        )
        return public_id

    def add_evidence(self, owner_id: str, item_id: str, checked: CheckedEvidence) -> EvidenceFile:
        """Attach an evidence file to a learner's item.

        Raises:
            NotFound: Not in this learner's passport.
        """
        now = datetime.now(UTC)
        with self._engine.begin() as conn:
            pk = self._user_pk(conn, owner_id)
            item_pk = conn.execute(
                select(passport_items.c.id).where(
                    (passport_items.c.owner_id == pk) & (passport_items.c.public_id == item_id)
                )
            ).scalar()
            if item_pk is None:
                raise NotFound(f"No item {item_id!r} in your passport.")
            public_id = self._insert_evidence(conn, pk, int(item_pk), checked, now)
            conn.execute(
                update(passport_items).where(passport_items.c.id == item_pk).values(updated_at=now)
            )
            row = conn.execute(
                select(*_EVIDENCE_META).where(evidence_files.c.public_id == public_id)
            ).one()
        return _evidence(row)

    def evidence(self, evidence_id: str) -> StoredEvidence:
        """An evidence file with its bytes, its owner and the assessor of its RPL case.

        Raises:
            NotFound: No such file.
        """
        owner = users.alias("owner")
        assessor = users.alias("assessor")
        query = (
            select(
                *_EVIDENCE_META,
                evidence_files.c.content,
                owner.c.public_id.label("owner_public_id"),
                assessor.c.public_id.label("assessor_public_id"),
            )
            .join(owner, owner.c.id == evidence_files.c.owner_id)
            .outerjoin(rpl_cases, rpl_cases.c.id == evidence_files.c.rpl_case_id)
            .outerjoin(assessor, assessor.c.id == rpl_cases.c.assessor_id)
            .where(evidence_files.c.public_id == evidence_id)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"No evidence file {evidence_id!r}.")
        return StoredEvidence(
            file=_evidence(row),
            content=bytes(row.content),
            owner_id=row.owner_public_id,
            assessor_id=row.assessor_public_id,
        )

    def evidence_of_items(self, owner_id: str) -> dict[str, list[EvidenceAccess]]:
        """Every evidence file of a learner's items with its bytes, by item public id."""
        query = (
            select(*_EVIDENCE_META, evidence_files.c.content, passport_items.c.public_id.label("i"))
            .join(passport_items, passport_items.c.id == evidence_files.c.item_id)
            .where(passport_items.c.owner_id == users.c.id)
            .where(users.c.public_id == owner_id)
            .order_by(evidence_files.c.id)
        )
        found: dict[str, list[EvidenceAccess]] = defaultdict(list)
        with self._engine.connect() as conn:
            for row in conn.execute(query):
                found[row.i].append(EvidenceAccess(_evidence(row), bytes(row.content)))
        return found

    # --- issued credentials (claiming, erasure) -----------------------------------------------

    def issued_to(self, learner_keys: list[str]) -> list[str]:
        """Public ids of credentials issued here under any of these learner keys, newest first."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(issued_credentials.c.public_id)
                .where(issued_credentials.c.learner_key.in_(learner_keys))
                .order_by(issued_credentials.c.issued_at.desc(), issued_credentials.c.id.desc())
            ).all()
        return [r.public_id for r in rows]

    def claimed(self, owner_id: str) -> set[str]:
        """Public ids of issued credentials already in the learner's passport."""
        with self._engine.connect() as conn:
            pk = self._user_pk(conn, owner_id)
            rows = conn.execute(
                select(issued_credentials.c.public_id, passport_items.c.credential_id)
                .select_from(passport_items)
                .outerjoin(
                    issued_credentials,
                    issued_credentials.c.id == passport_items.c.issued_credential_id,
                )
                .where(passport_items.c.owner_id == pk)
            ).all()
        return {r.public_id for r in rows if r.public_id} | {
            r.credential_id for r in rows if r.credential_id
        }

    # --- GDPR -------------------------------------------------------------------------------

    def personal_records(self, owner_id: str, learner_keys: list[str]) -> dict[str, Any]:
        """What the passport tables hold about a user besides their items, as plain JSON data."""
        with self._engine.connect() as conn:
            pk = self._user_pk(conn, owner_id)
            attested = conn.execute(
                select(attestations, organisations.c.legal_name.label("organisation"))
                .join(organisations, organisations.c.id == attestations.c.organisation_id)
                .where(attestations.c.learner_id == pk)
                .order_by(attestations.c.id)
            ).all()
            cases = conn.execute(
                select(rpl_cases, achievements.c.title.label("achievement"))
                .join(achievements, achievements.c.id == rpl_cases.c.achievement_id)
                .where(rpl_cases.c.learner_id == pk)
                .order_by(rpl_cases.c.id)
            ).all()
            events: dict[int, list[dict[str, Any]]] = defaultdict(list)
            if cases:
                for event in conn.execute(
                    select(rpl_events)
                    .where(rpl_events.c.case_id.in_([c.id for c in cases]))
                    .order_by(rpl_events.c.id)
                ):
                    events[int(event.case_id)].append(
                        {
                            "action": event.action,
                            "actor_role": event.actor_role,
                            "note": event.note,
                            "at": _iso(event.created_at),
                        }
                    )
            rpl_evidence = conn.execute(
                select(*_EVIDENCE_META, evidence_files.c.rpl_case_id)
                .where(evidence_files.c.owner_id == pk)
                .where(evidence_files.c.rpl_case_id.is_not(None))
            ).all()
            share_rows = conn.execute(
                select(shares).where(shares.c.owner_id == pk).order_by(shares.c.id)
            ).all()
            accesses: dict[int, list[dict[str, Any]]] = defaultdict(list)
            if share_rows:
                for access in conn.execute(
                    select(share_accesses)
                    .where(share_accesses.c.share_id.in_([s.id for s in share_rows]))
                    .order_by(share_accesses.c.id)
                ):
                    accesses[int(access.share_id)].append(
                        {
                            "kind": access.kind,
                            "client": access.client,
                            "domain": access.domain,
                            "at": _iso(access.accessed_at),
                        }
                    )
            keys = conn.execute(
                select(holder_keys.c.did, holder_keys.c.status, holder_keys.c.created_at).where(
                    holder_keys.c.user_id == pk
                )
            ).all()
            tokens = conn.execute(
                select(
                    api_tokens.c.public_id,
                    api_tokens.c.name,
                    api_tokens.c.created_at,
                    api_tokens.c.last_used_at,
                    api_tokens.c.revoked,
                ).where(api_tokens.c.user_id == pk)
            ).all()
            memberships = conn.execute(
                select(organisations.c.public_id, organisations.c.legal_name)
                .join(
                    organisation_members,
                    organisation_members.c.organisation_id == organisations.c.id,
                )
                .where(organisation_members.c.user_id == pk)
            ).all()
            issued = (
                conn.execute(
                    select(
                        issued_credentials.c.public_id,
                        issued_credentials.c.format,
                        issued_credentials.c.learner_name,
                        issued_credentials.c.learner_email,
                        issued_credentials.c.learner_did,
                        issued_credentials.c.issued_at,
                        issued_credentials.c.revoked_at,
                        achievements.c.title,
                    )
                    .join(achievements, achievements.c.id == issued_credentials.c.achievement_id)
                    .where(issued_credentials.c.learner_key.in_(learner_keys))
                ).all()
                if learner_keys
                else []
            )
        return {
            "attestation_requests": [
                {
                    "id": a.public_id,
                    "organisation": a.organisation,
                    "role_title": a.role_title,
                    "period_start": _iso(a.period_start),
                    "period_end": _iso(a.period_end),
                    "tasks": a.tasks,
                    "confirmed_skills": json.loads(a.confirmed_skills or "[]"),
                    "status": a.status,
                    "note": a.note,
                    "requested_at": _iso(a.requested_at),
                    "decided_at": _iso(a.decided_at),
                    "credential_id": a.credential_id,
                }
                for a in attested
            ],
            "rpl_cases": [
                {
                    "id": c.public_id,
                    "achievement": c.achievement,
                    "skills": json.loads(c.skills or "[]"),
                    "statement": c.statement,
                    "status": c.status,
                    "method": c.method,
                    "decision_note": c.decision_note,
                    "created_at": _iso(c.created_at),
                    "events": events.get(int(c.id), []),
                    "evidence": [
                        _evidence(e).model_dump(mode="json")
                        for e in rpl_evidence
                        if e.rpl_case_id == c.id
                    ],
                }
                for c in cases
            ],
            "shares": [
                {
                    "id": s.public_id,
                    "label": s.label,
                    "item_ids": json.loads(s.item_ids or "[]"),
                    "expires_at": _iso(s.expires_at),
                    "revoked_at": _iso(s.revoked_at),
                    "created_at": _iso(s.created_at),
                    "accesses": accesses.get(int(s.id), []),
                }
                for s in share_rows
            ],
            "holder_keys": [
                {"did": k.did, "status": k.status, "created_at": _iso(k.created_at)} for k in keys
            ],
            "api_tokens": [
                {
                    "id": t.public_id,
                    "name": t.name,
                    "created_at": _iso(t.created_at),
                    "last_used_at": _iso(t.last_used_at),
                    "revoked": bool(t.revoked),
                }
                for t in tokens
            ],
            "organisations": [{"id": m.public_id, "name": m.legal_name} for m in memberships],
            "credentials_issued_here": [
                {
                    "id": i.public_id,
                    "title": i.title,
                    "format": i.format,
                    "learner_name": i.learner_name,
                    "learner_email": i.learner_email,
                    "learner_did": i.learner_did,
                    "issued_at": _iso(i.issued_at),
                    "revoked_at": _iso(i.revoked_at),
                }
                for i in issued
            ],
        }

    def erase(self, owner_id: str, learner_keys: list[str]) -> None:
        """Delete a user and everything personal about them, in one transaction.

        Credentials issued to them here keep their row (status lists and issuer keys are
        untouched, so every copy still verifies) but lose the learner's name, e-mail, DID,
        salted e-mail hash and the keyed hash of the e-mail that linked them to the person.
        Audit trails that others rely on keep the step but not the person: RPL events they
        acted in and attestations they decided lose the actor.

        Raises:
            NotFound: No such user.
        """
        with self._engine.begin() as conn:
            pk = self._user_pk(conn, owner_id)
            issued_pks = (
                conn.execute(
                    select(issued_credentials.c.id).where(
                        issued_credentials.c.learner_key.in_(learner_keys)
                    )
                )
                .scalars()
                .all()
                if learner_keys
                else []
            )
            for issued_pk in issued_pks:
                conn.execute(
                    update(issued_credentials)
                    .where(issued_credentials.c.id == issued_pk)
                    .values(
                        # a random key unlinks the row from the e-mail address for good
                        learner_key="erased-" + secrets.token_hex(28),
                        learner_name=None,
                        learner_email=None,
                        learner_did=None,
                        learner_email_hash=None,
                        learner_email_salt=None,
                    )
                )
            case_pks = select(rpl_cases.c.id).where(rpl_cases.c.learner_id == pk)
            conn.execute(delete(evidence_files).where(evidence_files.c.owner_id == pk))
            conn.execute(delete(evidence_files).where(evidence_files.c.rpl_case_id.in_(case_pks)))
            conn.execute(delete(rpl_events).where(rpl_events.c.case_id.in_(case_pks)))
            conn.execute(delete(rpl_cases).where(rpl_cases.c.learner_id == pk))
            conn.execute(
                update(rpl_events).where(rpl_events.c.actor_id == pk).values(actor_id=None)
            )
            conn.execute(
                update(rpl_cases).where(rpl_cases.c.assessor_id == pk).values(assessor_id=None)
            )
            conn.execute(delete(attestations).where(attestations.c.learner_id == pk))
            conn.execute(
                update(attestations).where(attestations.c.decided_by == pk).values(decided_by=None)
            )
            share_pks = select(shares.c.id).where(shares.c.owner_id == pk)
            conn.execute(delete(share_accesses).where(share_accesses.c.share_id.in_(share_pks)))
            conn.execute(delete(shares).where(shares.c.owner_id == pk))
            conn.execute(delete(passport_items).where(passport_items.c.owner_id == pk))
            conn.execute(delete(holder_keys).where(holder_keys.c.user_id == pk))
            conn.execute(delete(api_tokens).where(api_tokens.c.user_id == pk))
            conn.execute(delete(organisation_members).where(organisation_members.c.user_id == pk))
            conn.execute(delete(users).where(users.c.id == pk))

    # --- taxonomy ---------------------------------------------------------------------------

    def skill_labels(self, uris: list[str]) -> dict[str, str] | None:
        """English preferred labels of ESCO skills that exist; None when no taxonomy is loaded."""
        with self._engine.connect() as conn:
            loaded = conn.execute(
                select(concepts.c.uri).where(concepts.c.type == "skill").limit(1)
            ).first()
            if loaded is None:
                return None
            if not uris:
                return {}
            rows = conn.execute(
                select(concepts.c.uri, concepts.c.preferred_label).where(
                    concepts.c.uri.in_(uris), concepts.c.type == "skill"
                )
            ).all()
        return {r.uri: r.preferred_label.strip() for r in rows}


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        aware = _aware(value)
        assert aware is not None
        return aware.isoformat()
    return value.isoformat()
