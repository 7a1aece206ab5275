"""SQL storage of recognition-of-prior-learning cases, their audit trail and evidence.

SQLAlchemy Core over :mod:`skillpass.storage.tables` (``rpl_cases``, ``rpl_events``,
``evidence_files`` rows with ``rpl_case_id``), on SQLite and PostgreSQL. Public ids go in and
out; database keys stay here.

Every change of a case is a conditional update (the status and assessor the service saw) and
its :class:`~skillpass.passport.models.RplEvent` row, in one transaction: a step either happens
and is recorded, or neither; two people acting on the same case at once cannot both succeed.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, insert, or_, select, update
from sqlalchemy.sql import ColumnElement, Select

from skillpass.errors import NotFound
from skillpass.passport.evidence import CheckedEvidence
from skillpass.passport.models import (
    AssessmentMethod,
    EvidenceFile,
    RplCase,
    RplEvent,
    RplStatus,
    SkillRef,
)
from skillpass.storage.tables import (
    achievements,
    evidence_files,
    issued_credentials,
    organisations,
    rpl_cases,
    rpl_events,
    users,
)

__all__ = ["OPEN_STATUSES", "CaseChange", "NewCase", "NewEvent", "RplRepository"]

#: A case in one of these states can still change; the others are final.
OPEN_STATUSES = frozenset({RplStatus.SUBMITTED, RplStatus.IN_REVIEW, RplStatus.MORE_INFO_REQUESTED})


class _Unchanged:
    """Marker: leave the assessor as it is."""


UNCHANGED = _Unchanged()


@dataclass(frozen=True)
class NewEvent:
    """One audit step to record."""

    action: str
    actor_id: str | None  # user public id; None for the platform itself
    actor_role: str  # learner | assessor | manager | admin | system
    note: str | None
    at: datetime


@dataclass(frozen=True)
class NewCase:
    """A case as the service validated it."""

    public_id: str
    learner_id: str
    achievement_id: str
    skills: Sequence[SkillRef]
    statement: str  # personal data
    created_at: datetime


@dataclass(frozen=True)
class CaseChange:
    """A conditional update: applies only while the case has ``expect_status`` and
    ``expect_assessor`` (a user public id or None for unassigned)."""

    expect_status: RplStatus
    expect_assessor: str | None
    status: RplStatus | None = None
    assessor_id: str | _Unchanged | None = UNCHANGED
    method: AssessmentMethod | None = None
    decision_note: str | None = None
    issued_credential_id: str | None = None
    events: Sequence[NewEvent] = field(default_factory=tuple)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _case_query() -> Select[Any]:
    learner = users.alias("learner")
    assessor = users.alias("assessor")
    return (
        select(
            rpl_cases,
            learner.c.public_id.label("learner_public_id"),
            learner.c.display_name.label("learner_name"),
            assessor.c.public_id.label("assessor_public_id"),
            achievements.c.public_id.label("achievement_public_id"),
            achievements.c.title.label("achievement_title"),
            organisations.c.public_id.label("issuer_public_id"),
            issued_credentials.c.public_id.label("credential_public_id"),
        )
        .select_from(
            rpl_cases.join(learner, learner.c.id == rpl_cases.c.learner_id)
            .join(achievements, achievements.c.id == rpl_cases.c.achievement_id)
            .join(organisations, organisations.c.id == achievements.c.organisation_id)
            .outerjoin(assessor, assessor.c.id == rpl_cases.c.assessor_id)
            .outerjoin(
                issued_credentials, issued_credentials.c.id == rpl_cases.c.issued_credential_id
            )
        )
        .order_by(rpl_cases.c.created_at.desc(), rpl_cases.c.id.desc())
    )


def _evidence(row: Any) -> EvidenceFile:
    return EvidenceFile(
        id=row.public_id,
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        created_at=_aware(row.created_at),
    )


def _pk(conn: Connection, table: Any, public_id: str, what: str) -> int:
    pk = conn.execute(select(table.c.id).where(table.c.public_id == public_id)).scalar_one_or_none()
    if pk is None:
        raise NotFound(f"No {what} with id {public_id!r}.", details={what: public_id})
    return int(pk)


def _user_pk(conn: Connection, public_id: str | None) -> int | None:
    return None if public_id is None else _pk(conn, users, public_id, "user")


def _insert_events(conn: Connection, case_pk: int, events: Iterable[NewEvent]) -> None:
    rows = [
        {
            "case_id": case_pk,
            "actor_id": _user_pk(conn, event.actor_id),
            "actor_role": event.actor_role,
            "action": event.action,
            "note": event.note,
            "created_at": event.at,
        }
        for event in events
    ]
    if rows:
        conn.execute(insert(rpl_events), rows)


class RplRepository:
    """Reads and writes RPL cases, their events and their evidence files.

    Args:
        engine: The database engine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # --- reading --------------------------------------------------------------------------

    def _load(self, conn: Connection, where: ColumnElement[bool] | None) -> list[RplCase]:
        query = _case_query()
        if where is not None:
            query = query.where(where)
        rows = conn.execute(query).all()
        if not rows:
            return []
        pks = [row.id for row in rows]
        events: dict[int, list[RplEvent]] = {pk: [] for pk in pks}
        for event in conn.execute(
            select(rpl_events, users.c.public_id.label("actor_public_id"))
            .select_from(rpl_events.outerjoin(users, users.c.id == rpl_events.c.actor_id))
            .where(rpl_events.c.case_id.in_(pks))
            .order_by(rpl_events.c.created_at, rpl_events.c.id)
        ):
            events[event.case_id].append(
                RplEvent(
                    action=event.action,
                    actor_id=event.actor_public_id,
                    actor_role=event.actor_role,
                    note=event.note,
                    at=_aware(event.created_at),
                )
            )
        files: dict[int, list[EvidenceFile]] = {pk: [] for pk in pks}
        for row in conn.execute(
            select(
                evidence_files.c.rpl_case_id,
                evidence_files.c.public_id,
                evidence_files.c.filename,
                evidence_files.c.media_type,
                evidence_files.c.size,
                evidence_files.c.sha256,
                evidence_files.c.created_at,
            )
            .where(evidence_files.c.rpl_case_id.in_(pks))
            .order_by(evidence_files.c.created_at, evidence_files.c.id)
        ):
            files[row.rpl_case_id].append(_evidence(row))
        return [
            RplCase(
                id=row.public_id,
                learner_id=row.learner_public_id,
                learner_name=row.learner_name,
                achievement_id=row.achievement_public_id,
                achievement_title=row.achievement_title,
                issuer_id=row.issuer_public_id,
                skills=[SkillRef(**s) for s in json.loads(row.skills or "[]")],
                statement=row.statement,
                status=RplStatus(row.status),
                assessor_id=row.assessor_public_id,
                method=AssessmentMethod(row.method) if row.method else None,
                decision_note=row.decision_note,
                credential_id=row.credential_public_id,
                evidence=files[row.id],
                events=events[row.id],
                created_at=_aware(row.created_at),
                updated_at=_aware(row.updated_at),
            )
            for row in rows
        ]

    def get(self, public_id: str) -> RplCase | None:
        """A case by public id, whoever asks (the service checks visibility)."""
        with self._engine.connect() as conn:
            found = self._load(conn, rpl_cases.c.public_id == public_id)
        return found[0] if found else None

    def for_learner(self, learner_id: str) -> list[RplCase]:
        """A learner's cases, newest first."""
        with self._engine.connect() as conn:
            learner_pk = conn.execute(
                select(users.c.id).where(users.c.public_id == learner_id)
            ).scalar_one_or_none()
            if learner_pk is None:
                return []
            return self._load(conn, rpl_cases.c.learner_id == learner_pk)

    def open_cases(
        self, *, assessor_id: str | None = None, organisation_ids: Collection[str] | None = None
    ) -> list[RplCase]:
        """Open cases, newest first: every one when both filters are None; else those assigned
        to ``assessor_id`` plus the unassigned ones of ``organisation_ids``."""
        where: ColumnElement[bool] = rpl_cases.c.status.in_([s.value for s in OPEN_STATUSES])
        with self._engine.connect() as conn:
            if assessor_id is not None or organisation_ids is not None:
                mine: list[ColumnElement[bool]] = []
                if assessor_id is not None:
                    assessor_pk = conn.execute(
                        select(users.c.id).where(users.c.public_id == assessor_id)
                    ).scalar_one_or_none()
                    if assessor_pk is not None:
                        mine.append(rpl_cases.c.assessor_id == assessor_pk)
                if organisation_ids:
                    org_achievements = (
                        select(achievements.c.id)
                        .join(organisations, organisations.c.id == achievements.c.organisation_id)
                        .where(organisations.c.public_id.in_(list(organisation_ids)))
                    )
                    mine.append(
                        and_(
                            rpl_cases.c.assessor_id.is_(None),
                            rpl_cases.c.achievement_id.in_(org_achievements),
                        )
                    )
                if not mine:
                    return []
                where = and_(where, or_(*mine))
            return self._load(conn, where)

    def has_open_case(self, learner_id: str, achievement_id: str) -> bool:
        """Whether the learner has an open case for this definition."""
        with self._engine.connect() as conn:
            found = conn.execute(
                select(rpl_cases.c.id)
                .join(users, users.c.id == rpl_cases.c.learner_id)
                .join(achievements, achievements.c.id == rpl_cases.c.achievement_id)
                .where(
                    users.c.public_id == learner_id,
                    achievements.c.public_id == achievement_id,
                    rpl_cases.c.status.in_([s.value for s in OPEN_STATUSES]),
                )
                .limit(1)
            ).first()
        return found is not None

    def learner_contact(self, case_id: str) -> tuple[str, str]:
        """The e-mail address and display name of a case's learner.

        Raises:
            NotFound: No such case.
        """
        with self._engine.connect() as conn:
            row = conn.execute(
                select(users.c.email, users.c.display_name)
                .select_from(rpl_cases.join(users, users.c.id == rpl_cases.c.learner_id))
                .where(rpl_cases.c.public_id == case_id)
            ).first()
        if row is None:
            raise NotFound(f"No RPL case with id {case_id!r}.")
        return str(row.email), str(row.display_name)

    def user_roles(self, user_id: str) -> tuple[str, frozenset[str]] | None:
        """A user's display name and role names, or None when there is no such user."""
        with self._engine.connect() as conn:
            row = conn.execute(
                select(users.c.display_name, users.c.roles, users.c.is_active).where(
                    users.c.public_id == user_id
                )
            ).first()
        if row is None or not row.is_active:
            return None
        roles = frozenset(part.strip() for part in str(row.roles).split(",") if part.strip())
        return str(row.display_name), roles

    def evidence_content(self, case_id: str, evidence_id: str) -> tuple[EvidenceFile, bytes] | None:
        """An evidence file of a case and its bytes."""
        with self._engine.connect() as conn:
            row = conn.execute(
                select(evidence_files)
                .join(rpl_cases, rpl_cases.c.id == evidence_files.c.rpl_case_id)
                .where(rpl_cases.c.public_id == case_id, evidence_files.c.public_id == evidence_id)
            ).first()
        return (_evidence(row), bytes(row.content)) if row is not None else None

    # --- writing --------------------------------------------------------------------------

    def add(self, new: NewCase, event: NewEvent) -> RplCase:
        """Store a new case (status ``submitted``) and its first event.

        Raises:
            NotFound: No such learner or definition.
        """
        with self._engine.begin() as conn:
            case_pk = conn.execute(
                insert(rpl_cases)
                .values(
                    public_id=new.public_id,
                    learner_id=_pk(conn, users, new.learner_id, "user"),
                    achievement_id=_pk(conn, achievements, new.achievement_id, "definition"),
                    skills=json.dumps([s.model_dump() for s in new.skills]),
                    statement=new.statement,
                    status=RplStatus.SUBMITTED.value,
                    created_at=new.created_at,
                    updated_at=new.created_at,
                )
                .returning(rpl_cases.c.id)
            ).scalar_one()
            _insert_events(conn, int(case_pk), [event])
        found = self.get(new.public_id)
        assert found is not None
        return found

    def change(self, case_id: str, change: CaseChange, at: datetime) -> bool:
        """Apply ``change`` and record its events, if the case is still as expected.

        Returns:
            False when the case changed meanwhile (nothing was written).
        """
        with self._engine.begin() as conn:
            row = conn.execute(
                select(rpl_cases.c.id).where(rpl_cases.c.public_id == case_id)
            ).first()
            if row is None:
                return False
            case_pk = int(row.id)
            expected_assessor = _user_pk(conn, change.expect_assessor)
            values: dict[str, Any] = {"updated_at": at}
            if change.status is not None:
                values["status"] = change.status.value
            if not isinstance(change.assessor_id, _Unchanged):
                values["assessor_id"] = _user_pk(conn, change.assessor_id)
            if change.method is not None:
                values["method"] = change.method.value
            if change.decision_note is not None:
                values["decision_note"] = change.decision_note
            if change.issued_credential_id is not None:
                values["issued_credential_id"] = _pk(
                    conn, issued_credentials, change.issued_credential_id, "credential"
                )
            assessor_matches = (
                rpl_cases.c.assessor_id.is_(None)
                if expected_assessor is None
                else rpl_cases.c.assessor_id == expected_assessor
            )
            changed = conn.execute(
                update(rpl_cases)
                .where(
                    rpl_cases.c.id == case_pk,
                    rpl_cases.c.status == change.expect_status.value,
                    assessor_matches,
                )
                .values(**values)
            ).rowcount
            if not changed:
                return False
            _insert_events(conn, case_pk, change.events)
        return True

    def record(self, case_id: str, event: NewEvent) -> None:
        """Record an event that changes nothing else (e.g. the passport step after approval)."""
        with self._engine.begin() as conn:
            _insert_events(conn, _pk(conn, rpl_cases, case_id, "RPL case"), [event])

    def add_evidence(
        self,
        case_id: str,
        expect_status: RplStatus,
        public_id: str,
        checked: CheckedEvidence,
        event: NewEvent,
    ) -> EvidenceFile | None:
        """Store an evidence file of a case and its event, if the case still has
        ``expect_status`` (None otherwise; nothing written)."""
        with self._engine.begin() as conn:
            row = conn.execute(
                select(rpl_cases.c.id, rpl_cases.c.learner_id).where(
                    rpl_cases.c.public_id == case_id,
                    rpl_cases.c.status == expect_status.value,
                )
            ).first()
            if row is None:
                return None
            conn.execute(
                update(rpl_cases).where(rpl_cases.c.id == row.id).values(updated_at=event.at)
            )
            conn.execute(
                insert(evidence_files).values(
                    public_id=public_id,
                    owner_id=row.learner_id,
                    rpl_case_id=row.id,
                    filename=checked.filename,
                    media_type=checked.media_type,
                    size=checked.size,
                    sha256=checked.sha256,
                    content=checked.content,
                    created_at=event.at,
                )
            )
            _insert_events(conn, int(row.id), [event])
        return EvidenceFile(
            id=public_id,
            filename=checked.filename,
            media_type=checked.media_type,
            size=checked.size,
            sha256=checked.sha256,
            created_at=event.at,
        )
