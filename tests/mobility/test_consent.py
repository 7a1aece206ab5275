"""Only consented passport moves are counted; withdrawal stops counting at the next release."""

from __future__ import annotations

from datetime import date

import pytest

from skillpass.app import SkillPass
from skillpass.auth.models import Role, User
from skillpass.errors import InvalidInput, NotFound, PermissionDenied
from skillpass.mobility.models import MoveCreate, QueryName

MOVE = MoveCreate(origin="DE", destination="FR", moved_on=date(2026, 8, 3), area_id="ict")
CELL = ("DE", "FR", "ict")


def _learner(app: SkillPass, name: str) -> User:
    return app.auth.create_user(
        f"{name}@example.org", name, "correct horse battery", [Role.LEARNER]
    )


def _released(app: SkillPass) -> tuple[int, int, int]:
    """Moves, corridor and inflow counts of the cell, released with almost no noise (σ ≈ 0.1)."""
    result = app.mobility.release("2026Q3", 400.0)
    tables = {t.query: t for t in result.tables}
    return (
        tables[QueryName.MOVES].values[CELL],
        tables[QueryName.CORRIDORS].values[("DE", "FR")],
        tables[QueryName.FLOWS].values[("FR", "ict", "in")],
    )


def test_only_consented_moves_are_counted_and_withdrawal_stops_counting(
    skillpass: SkillPass,
) -> None:
    skillpass.mobility.set_budget("2026", 10_000.0, 10_000.0)
    consenting, refusing = _learner(skillpass, "ana"), _learner(skillpass, "bo")
    skillpass.mobility.set_consent(consenting, granted=True)
    skillpass.mobility.declare_move(consenting, MOVE)
    skillpass.mobility.declare_move(refusing, MOVE)  # in the passport, never consented
    assert skillpass.mobility.consent(consenting).active
    assert not skillpass.mobility.consent(refusing).active

    assert _released(skillpass) == (1, 1, 1)

    skillpass.mobility.set_consent(consenting, granted=False)
    assert _released(skillpass) == (0, 0, 0)

    skillpass.mobility.set_consent(refusing, granted=True)
    assert _released(skillpass) == (1, 1, 1)
    # The learner keeps their own record either way.
    assert [m.destination for m in skillpass.mobility.moves(consenting)] == ["FR"]


def test_moves_are_the_learners_own(skillpass: SkillPass) -> None:
    ana, bo = _learner(skillpass, "ana"), _learner(skillpass, "bo")
    move = skillpass.mobility.declare_move(ana, MOVE)
    with pytest.raises(NotFound):
        skillpass.mobility.delete_move(bo, move.public_id)
    skillpass.mobility.delete_move(ana, move.public_id)
    assert skillpass.mobility.moves(ana) == []


def test_declaring_needs_a_learner_and_a_real_move(skillpass: SkillPass) -> None:
    analyst = skillpass.auth.create_user(
        "an@example.org", "an", "correct horse battery", [Role.ANALYST]
    )
    with pytest.raises(PermissionDenied):
        skillpass.mobility.declare_move(analyst, MOVE)
    ana = _learner(skillpass, "ana")
    with pytest.raises(InvalidInput):
        skillpass.mobility.declare_move(ana, MOVE.model_copy(update={"destination": "DE"}))
    with pytest.raises(ValueError, match="unknown capability area"):
        MoveCreate(origin="DE", destination="FR", moved_on=date(2026, 1, 1), area_id="poetry")
