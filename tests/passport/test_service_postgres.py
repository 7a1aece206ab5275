"""The passport core on a real PostgreSQL: column sizes, the unique credential per passport,
evidence bytes, the bundle round trip and erasure under enforced foreign keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from skillpass.app import SkillPass, build
from skillpass.errors import Conflict, InvalidInput, NotFound
from skillpass.passport.service import ExperienceCreate
from tests.conftest import make_settings

from ._core import issue_to, learner, ob3_vector, tamper

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(tmp_path: Path, postgres_schema_url: str) -> Iterator[SkillPass]:
    app = build(make_settings(tmp_path, database_url=postgres_schema_url))
    yield app
    app.close()


def test_passport_core_on_postgres(pg_app: SkillPass, tmp_path: Path) -> None:
    ana, ben = learner(pg_app), learner(pg_app, "Ben Other")
    issued = issue_to(pg_app, ana, "ob3-jwt")
    with pytest.raises(InvalidInput):
        pg_app.passport.import_credential(ana, tamper(issued.document))
    item = pg_app.passport.claim(ana, issued.id)
    assert item.format == "ob3-jwt"
    assert item.verified is True
    with pytest.raises(Conflict):
        pg_app.passport.import_credential(ana, issued.document)
    vector = ob3_vector()
    if vector is not None:
        assert pg_app.passport.import_credential(ana, vector).verified is False
    experience = pg_app.passport.declare(ana, ExperienceCreate(category="work", title="Shift lead"))
    file = pg_app.passport.add_evidence(ana, experience.id, "notes.txt", b"notes")
    assert pg_app.passport.evidence_content(ana, file.id)[1] == b"notes"
    with pytest.raises(NotFound):
        pg_app.passport.get_item(ben, item.id)

    bundle = pg_app.passport.export_bundle(ana)
    result = pg_app.passport.import_bundle(ben, bundle)
    assert result.refused == []
    assert result.imported == len(bundle["items"])

    pg_app.passport.erase_account(ana)
    with pytest.raises(NotFound):
        pg_app.auth.get_user(ana.public_id)
    assert pg_app.credentials.get(issued.id).learner_name is None
    assert item.document is not None
    assert pg_app.trust.verify(item.document).verified
    assert len(pg_app.passport.items(ben)) == result.imported
