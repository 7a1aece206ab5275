"""SQL storage of employer attestation requests (``attestations``).

SQLAlchemy Core over :mod:`skillpass.storage.tables`, on SQLite and PostgreSQL. Public ids go in
and out; database keys stay here. Deciding is a conditional update (``WHERE status =
'requested'``), so two people deciding the same request at once cannot both succeed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.sql import Select

from skillpass.errors import NotFound
from skillpass.passport.models import (
    AttestationRequest,
    AttestationStatus,
    SkillRef,
    SkillSuggestion,
)
from skillpass.storage.tables import attestations, concepts, organisations, passport_items, users

__all__ = ["AttestationRepository", "NewAttestation"]


@dataclass(frozen=True)
class NewAttestation:
    """A request as the service validated it."""

    public_id: str
    learner_id: str
    organisation_id: str
    role_title: str
    period_start: date
    period_end: date | None
    tasks: str  # personal data
    lang: str | None
    suggested_skills: Sequence[SkillSuggestion]
    requested_at: datetime


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _query() -> Select[Any]:
    learner = users.alias("learner")
    decider = users.alias("decider")
    return (
        select(
            attestations,
            learner.c.public_id.label("learner_public_id"),
            learner.c.display_name.label("learner_name"),
            organisations.c.public_id.label("organisation_public_id"),
            organisations.c.legal_name.label("organisation_name"),
            decider.c.public_id.label("decider_public_id"),
            passport_items.c.public_id.label("item_public_id"),
        )
        .select_from(
            attestations.join(learner, learner.c.id == attestations.c.learner_id)
            .join(organisations, organisations.c.id == attestations.c.organisation_id)
            .outerjoin(decider, decider.c.id == attestations.c.decided_by)
            .outerjoin(passport_items, passport_items.c.id == attestations.c.item_id)
        )
        .order_by(attestations.c.requested_at.desc(), attestations.c.id.desc())
    )


def _request(row: Any) -> AttestationRequest:
    return AttestationRequest(
        id=row.public_id,
        learner_id=row.learner_public_id,
        learner_name=row.learner_name,
        organisation_id=row.organisation_public_id,
        organisation_name=row.organisation_name,
        role_title=row.role_title,
        period_start=row.period_start,
        period_end=row.period_end,
        tasks=row.tasks,
        lang=row.lang,
        suggested_skills=[SkillSuggestion(**s) for s in json.loads(row.suggested_skills or "[]")],
        confirmed_skills=[SkillRef(**s) for s in json.loads(row.confirmed_skills or "[]")],
        status=AttestationStatus(row.status),
        note=row.note,
        requested_at=_aware(row.requested_at) or datetime.now(UTC),
        decided_at=_aware(row.decided_at),
        decided_by=row.decider_public_id,
        credential_id=row.credential_id,
        document=row.document,
        item_id=row.item_public_id,
    )


def _pk(conn: Connection, table: Any, public_id: str, what: str) -> int:
    pk = conn.execute(select(table.c.id).where(table.c.public_id == public_id)).scalar_one_or_none()
    if pk is None:
        raise NotFound(f"No {what} with id {public_id!r}.", details={what: public_id})
    return int(pk)


class AttestationRepository:
    """Reads and writes ``attestations``.

    Args:
        engine: The database engine.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, new: NewAttestation) -> AttestationRequest:
        """Store a new request (status ``requested``).

        Raises:
            NotFound: No such learner or organisation.
        """
        with self._engine.begin() as conn:
            conn.execute(
                insert(attestations).values(
                    public_id=new.public_id,
                    learner_id=_pk(conn, users, new.learner_id, "user"),
                    organisation_id=_pk(conn, organisations, new.organisation_id, "organisation"),
                    role_title=new.role_title,
                    period_start=new.period_start,
                    period_end=new.period_end,
                    tasks=new.tasks,
                    lang=new.lang,
                    suggested_skills=json.dumps(
                        [s.model_dump(mode="json") for s in new.suggested_skills]
                    ),
                    confirmed_skills="[]",
                    status=AttestationStatus.REQUESTED.value,
                    requested_at=new.requested_at,
                )
            )
        found = self.get(new.public_id)
        assert found is not None
        return found

    def get(self, public_id: str) -> AttestationRequest | None:
        """A request by public id, whoever asks (the service checks visibility)."""
        with self._engine.connect() as conn:
            row = conn.execute(_query().where(attestations.c.public_id == public_id)).first()
        return _request(row) if row is not None else None

    def for_learner(self, learner_id: str) -> list[AttestationRequest]:
        """A learner's requests, newest first."""
        with self._engine.connect() as conn:
            learner_pk = select(users.c.id).where(users.c.public_id == learner_id).scalar_subquery()
            rows = conn.execute(_query().where(attestations.c.learner_id == learner_pk)).all()
        return [_request(row) for row in rows]

    def for_organisations(
        self, organisation_ids: Iterable[str] | None, status: AttestationStatus | None
    ) -> list[AttestationRequest]:
        """Requests addressed to these organisations (every organisation when None), newest
        first, optionally only those with ``status``."""
        query = _query()
        if organisation_ids is not None:
            wanted = list(organisation_ids)
            if not wanted:
                return []
            query = query.where(organisations.c.public_id.in_(wanted))
        if status is not None:
            query = query.where(attestations.c.status == status.value)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [_request(row) for row in rows]

    def decide(
        self,
        public_id: str,
        *,
        status: AttestationStatus,
        decided_by: str,
        decided_at: datetime,
        note: str | None,
        confirmed_skills: Sequence[SkillRef] = (),
        credential_id: str | None = None,
        document: str | None = None,
    ) -> bool:
        """Record a decision on a request that is still ``requested``.

        Returns:
            False when it was decided already (nothing changed).
        """
        with self._engine.begin() as conn:
            changed = conn.execute(
                update(attestations)
                .where(
                    attestations.c.public_id == public_id,
                    attestations.c.status == AttestationStatus.REQUESTED.value,
                )
                .values(
                    status=status.value,
                    decided_by=_pk(conn, users, decided_by, "user"),
                    decided_at=decided_at,
                    note=note,
                    confirmed_skills=json.dumps([s.model_dump() for s in confirmed_skills]),
                    credential_id=credential_id,
                    document=document,
                )
            ).rowcount
        return bool(changed)

    def undo_decision(self, public_id: str) -> None:
        """Put a request back to ``requested`` (when storing the signed attestation failed)."""
        with self._engine.begin() as conn:
            conn.execute(
                update(attestations)
                .where(attestations.c.public_id == public_id)
                .values(
                    status=AttestationStatus.REQUESTED.value,
                    decided_by=None,
                    decided_at=None,
                    note=None,
                    confirmed_skills="[]",
                    credential_id=None,
                    document=None,
                )
            )

    def link_item(self, public_id: str, item_id: str) -> None:
        """Remember the passport item the signed attestation became."""
        with self._engine.begin() as conn:
            item_pk = _pk(conn, passport_items, item_id, "passport item")
            conn.execute(
                update(attestations)
                .where(attestations.c.public_id == public_id)
                .values(item_id=item_pk)
            )

    def learner_contact(self, public_id: str) -> tuple[str, str]:
        """The e-mail address and display name of the learner who made a request.

        Raises:
            NotFound: No such request.
        """
        with self._engine.connect() as conn:
            row = conn.execute(
                select(users.c.email, users.c.display_name)
                .select_from(attestations.join(users, users.c.id == attestations.c.learner_id))
                .where(attestations.c.public_id == public_id)
            ).first()
        if row is None:
            raise NotFound(f"No attestation request with id {public_id!r}.")
        return str(row.email), str(row.display_name)

    def skill_labels(self, uris: Iterable[str]) -> dict[str, str]:
        """English preferred labels of those URIs that are ESCO skills in the taxonomy."""
        wanted = sorted(set(uris))
        if not wanted:
            return {}
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(concepts.c.uri, concepts.c.preferred_label).where(
                    concepts.c.uri.in_(wanted), concepts.c.type == "skill"
                )
            ).all()
        return {str(uri): str(label) for uri, label in rows}
