"""The community on a real PostgreSQL: the same behaviour as on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from skillpass.app import build
from skillpass.community.models import (
    CommitmentCreate,
    ContactStatus,
    PracticeQuery,
    ProgressCreate,
)
from tests.community._helpers import college, employer, person
from tests.conftest import make_settings

pytestmark = pytest.mark.postgres


def test_community_on_postgres(tmp_path: Path, postgres_schema_url: str) -> None:
    app = build(make_settings(tmp_path, database_url=postgres_schema_url))
    try:
        report = app.community.seed_synthetic()
        assert report.organisations == 12
        assert app.community.seed_synthetic().organisations == 0
        hr = person(app, "hr@voltcell.example")
        dean = person(app, "dean@college.example")
        volt = employer(app, hr)
        school = college(app, dean)
        year = datetime.now(UTC).year - 1
        made = app.community.organisations.commit(
            hr,
            volt.organisation_id,
            CommitmentCreate(title="Places", target_training_places=9, target_year=year + 3),
        )
        for reached in (3, 5):  # the second report of a year replaces the first
            app.community.organisations.report_progress(
                hr, made.id, ProgressCreate(year=year, people_reached=reached)
            )
        assert app.community.organisations.commitment(made.id).people_reached == 5
        asked = app.community.partners.request_contact(
            hr, volt.organisation_id, school.organisation_id, "Hello"
        )
        accepted = app.community.partners.decide(dean, asked.id, True)
        assert accepted.status is ContactStatus.ACCEPTED
        assert accepted.contact is not None
        suggestions = app.community.partners.suggest(volt.organisation_id)
        assert school.organisation_id in [s.profile.organisation_id for s in suggestions]
        board = app.community.organisations.dashboard()
        assert board.totals.organisations == 13
        document = app.community.export()
        assert len(document["practices"]) == len(app.community.library.search(PracticeQuery()))
    finally:
        app.close()
