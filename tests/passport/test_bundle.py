"""Portability: the passport bundle round-trips into a second SkillPass instance (credentials
verified again there, self-declared items and evidence kept), re-imports skip duplicates,
tampered entries are refused alone; the CV page escapes everything."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skillpass.app import SkillPass, build
from skillpass.auth.models import User
from skillpass.errors import InvalidInput
from skillpass.passport.bundle import BUNDLE_FORMAT
from skillpass.passport.models import ItemKind, ItemSource, SkillRef, Strength
from skillpass.passport.service import ExperienceCreate
from tests.conftest import make_settings

from ._core import issue_to, learner, tamper

PDF = b"%PDF-1.7\nevidence\n%%EOF\n"


@pytest.fixture
def second(tmp_path: Path) -> Iterator[SkillPass]:
    """Another SkillPass instance with its own database (and its own issuers' keys)."""
    app = build(make_settings(tmp_path / "second"))
    yield app
    app.close()


def _filled(app: SkillPass) -> tuple[User, dict[str, Any]]:
    ana = learner(app)
    claimed = app.passport.claim(ana, issue_to(app, ana).id)
    app.passport.add_document(
        ana.public_id,
        issue_to(app, ana, "ob3-jwt").document,
        ItemSource.RPL,
        issued_credential=None,
    )
    experience = app.passport.declare(
        ana,
        ExperienceCreate(
            category="volunteering",
            title="Repair café",
            description="Soldering <b>every</b> Saturday",
            skills=[SkillRef(uri="http://data.europa.eu/esco/skill/solder", label="soldering")],
        ),
    )
    app.passport.add_evidence(ana, experience.id, "photo.pdf", PDF)
    assert claimed.verified
    return ana, app.passport.export_bundle(ana)


def test_bundle_holds_credentials_as_issued_and_evidence(skillpass: SkillPass) -> None:
    ana, bundle = _filled(skillpass)
    assert bundle["format"] == BUNDLE_FORMAT
    assert bundle["version"] == 1
    assert bundle["holder"]["email"] == ana.email
    items = bundle["items"]
    assert isinstance(items, list)
    assert len(items) == 3
    documents = {i["credential"]["document"] for i in items if i["credential"]}
    stored = {i.document for i in skillpass.passport.items(ana)} - {None}
    assert documents == stored
    experience = next(i for i in items if i["kind"] == "experience")
    assert experience["evidence"][0]["filename"] == "photo.pdf"
    json.dumps(bundle)


def test_round_trip_into_a_second_instance(skillpass: SkillPass, second: SkillPass) -> None:
    _, bundle = _filled(skillpass)
    ben = learner(second, "Ana Elsewhere")
    result = second.passport.import_bundle(ben, json.dumps(bundle).encode())
    assert result.imported == 3
    assert result.skipped_duplicates == 0
    assert result.refused == []
    items = {item.id: item for item in second.passport.items(ben)}
    assert set(items) == set(result.items)
    by_kind = sorted((i.kind, i.source, i.verified) for i in items.values())
    assert by_kind == sorted(
        [
            (ItemKind.CREDENTIAL, ItemSource.IMPORTED, True),  # claimed there: imported here
            (ItemKind.CREDENTIAL, ItemSource.RPL, True),  # RPL keeps its provenance
            (ItemKind.EXPERIENCE, ItemSource.SELF, None),  # still self-declared
        ]
    )
    experience = next(i for i in items.values() if i.kind is ItemKind.EXPERIENCE)
    assert experience.description == "Soldering <b>every</b> Saturday"
    assert experience.strength is Strength.SELF_DECLARED
    file, content = second.passport.evidence_content(ben, experience.evidence[0].id)
    assert content == PDF
    assert file.filename == "photo.pdf"
    # importing the same bundle again changes nothing
    again = second.passport.import_bundle(ben, bundle)
    assert again.imported == 0
    assert again.skipped_duplicates == 3
    assert len(second.passport.items(ben)) == 3


def test_tampered_entry_is_refused_and_the_rest_imported(
    skillpass: SkillPass, second: SkillPass
) -> None:
    _, bundle = _filled(skillpass)
    items = bundle["items"]
    assert isinstance(items, list)
    target = next(i for i in items if i["credential"] and i["credential"]["format"] == "ob3")
    target["credential"]["document"] = tamper(target["credential"]["document"])
    bad_evidence = next(i for i in items if i["kind"] == "experience")
    bad_evidence["evidence"][0]["content_base64"] = "TVqQAAMAAAAEAAAA//8AALgA"  # a program
    items.append({"kind": "credential", "source": "imported", "title": "No document"})
    items.append({"title": "no kind"})
    ben = learner(second)
    result = second.passport.import_bundle(ben, bundle)
    assert result.imported == 1
    assert len(result.refused) == 4
    text = " ".join(result.refused)
    assert "proof does not verify" in text
    assert "SHA-256" in text or "not an accepted evidence type" in text
    assert len(second.passport.items(ben)) == 1  # the refused experience left no trace


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json", "not JSON"),
        (b"[]", "not a SkillPass passport bundle"),
        (json.dumps({"format": "something-else"}).encode(), "not a SkillPass passport bundle"),
        (json.dumps({"format": BUNDLE_FORMAT, "version": 99}).encode(), "version 99"),
        (json.dumps({"format": BUNDLE_FORMAT, "version": 1}).encode(), "no 'items'"),
    ],
)
def test_not_a_bundle_is_refused(skillpass: SkillPass, data: bytes, message: str) -> None:
    ana = learner(skillpass)
    with pytest.raises(InvalidInput, match=message):
        skillpass.passport.import_bundle(ana, data)
    assert skillpass.passport.items(ana) == []


def test_cv_html_is_complete_and_escapes_everything(skillpass: SkillPass) -> None:
    ana = skillpass.auth.create_user(
        "eve@example.org", "Eve <script>alert(1)</script>", "correct horse battery"
    )
    skillpass.passport.claim(ana, issue_to(skillpass, ana).id)
    skillpass.passport.declare(
        ana,
        ExperienceCreate(
            category="project",
            title='<img src=x onerror="alert(2)">',
            description='Tom & Jerry\'s "lab"',
        ),
    )
    page = skillpass.passport.cv_html(ana)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Tom &amp; Jerry&#x27;s &quot;lab&quot;" in page
    assert "verified" in page
    assert "self-declared" in page
    assert "http" not in page.split("<body>", 1)[0].replace("http-equiv", "")  # no outside links
