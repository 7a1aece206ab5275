"""SQL storage of recognition reports and decisions (``recognition_reports``,
``recognition_decisions``).

SQLAlchemy Core over :mod:`skillpass.storage.tables`, on SQLite and PostgreSQL. Public ids go in
and out; database keys stay here. A report is stored as its JSON (it is a value: never changed
after it is made); decisions are only ever added, so the decisions of a report are its audit
trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, select

from skillpass.errors import NotFound
from skillpass.recognition.models import DecisionKind, RecognitionDecision, RecognitionReport
from skillpass.storage.tables import recognition_decisions, recognition_reports, users

__all__ = ["RecognitionRepository", "StoredReport"]


@dataclass(frozen=True)
class StoredReport:
    """A stored report and who may see it."""

    report: RecognitionReport
    created_by: str | None  # user public id (None once the account is erased)
    learner_id: str | None  # user public id


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _not_found(report_id: str) -> NotFound:
    return NotFound(
        f"No recognition report {report_id!r} that you may see; check the id, or ask whoever "
        "made the report.",
        details={"report": report_id},
    )


class RecognitionRepository:
    """Reports and decisions."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @staticmethod
    def _user_pk(conn: Connection, public_id: str | None) -> int | None:
        if public_id is None:
            return None
        pk = conn.execute(select(users.c.id).where(users.c.public_id == public_id)).scalar()
        if pk is None:
            raise NotFound(f"No user {public_id!r}; check the id.", details={"user": public_id})
        return int(pk)

    def add_report(self, report: RecognitionReport) -> None:
        """Store a new report (its ``created_by`` and ``learner_id`` must be known users)."""
        with self._engine.begin() as conn:
            conn.execute(
                insert(recognition_reports).values(
                    public_id=report.id,
                    created_by=self._user_pk(conn, report.created_by),
                    learner_id=self._user_pk(conn, report.learner_id),
                    target_kind=report.target.kind.value,
                    target_id=report.target.id,
                    report=report.model_dump_json(),
                    created_at=report.created_at,
                )
            )

    def get_report(self, report_id: str) -> StoredReport:
        """A stored report.

        Raises:
            NotFound: No such report.
        """
        creator = users.alias("creator")
        learner = users.alias("learner")
        query = (
            select(
                recognition_reports.c.report,
                creator.c.public_id.label("creator"),
                learner.c.public_id.label("learner"),
            )
            .select_from(
                recognition_reports.outerjoin(
                    creator, creator.c.id == recognition_reports.c.created_by
                ).outerjoin(learner, learner.c.id == recognition_reports.c.learner_id)
            )
            .where(recognition_reports.c.public_id == report_id)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise _not_found(report_id)
        report = RecognitionReport.model_validate_json(row.report)
        return StoredReport(report=report, created_by=row.creator, learner_id=row.learner)

    def add_decision(self, decision: RecognitionDecision) -> None:
        """Append a decision to its report's audit trail.

        Raises:
            NotFound: No such report or officer.
        """
        with self._engine.begin() as conn:
            report_pk = conn.execute(
                select(recognition_reports.c.id).where(
                    recognition_reports.c.public_id == decision.report_id
                )
            ).scalar()
            if report_pk is None:
                raise _not_found(decision.report_id)
            conn.execute(
                insert(recognition_decisions).values(
                    public_id=decision.id,
                    report_id=report_pk,
                    decision=decision.decision.value,
                    conditions=decision.conditions,
                    officer_id=self._user_pk(conn, decision.officer_id),
                    officer_name=decision.officer_name,
                    decided_at=decision.decided_at,
                    credential_id=decision.credential_id,
                    document=decision.document,
                )
            )

    def decisions(self, report_id: str) -> list[RecognitionDecision]:
        """Every decision on a report, oldest first."""
        query = (
            select(
                recognition_decisions,
                users.c.public_id.label("officer_public_id"),
            )
            .select_from(
                recognition_decisions.join(
                    recognition_reports,
                    recognition_reports.c.id == recognition_decisions.c.report_id,
                ).outerjoin(users, users.c.id == recognition_decisions.c.officer_id)
            )
            .where(recognition_reports.c.public_id == report_id)
            .order_by(recognition_decisions.c.decided_at, recognition_decisions.c.id)
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            RecognitionDecision(
                id=row.public_id,
                report_id=report_id,
                decision=DecisionKind(row.decision),
                conditions=row.conditions,
                officer_id=row.officer_public_id,
                officer_name=row.officer_name,
                decided_at=_aware(row.decided_at),
                credential_id=row.credential_id,
                document=row.document,
            )
            for row in rows
        ]
