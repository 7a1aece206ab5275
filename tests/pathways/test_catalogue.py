"""The learning-opportunity catalogue on the full ESCO: publishing with permission checks,
search and filters, import with validation, the synthetic generator."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from skillpass.app import SkillPass, build
from skillpass.auth.models import Role
from skillpass.errors import InvalidInput, NotFound, PermissionDenied
from skillpass.pathways.models import OpportunityCreate, OpportunityMode, OpportunityQuery
from tests.conftest import make_settings

pytestmark = pytest.mark.esco

BATTERY_TECHNICIAN = "http://data.europa.eu/esco/occupation/10841c22-0154-48ab-aaca-ce61b9a8e448"
WELDER = "http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b"


@pytest.fixture
def app(esco_database: Path, tmp_path: Path) -> Iterator[SkillPass]:
    """A SkillPass on a private copy of the full-ESCO database (tests may write)."""
    shutil.copy(esco_database / "skillpass.sqlite3", tmp_path / "skillpass.sqlite3")
    built = build(make_settings(tmp_path), migrate=False)
    yield built
    built.close()


def skills_of(app: SkillPass, occupation: str, count: int = 3) -> list[str]:
    concept = app.taxonomy.get_concept(occupation)
    return [s.uri for s in concept.skills[:count]]


def draft(outcomes: list[str], **changes: Any) -> OpportunityCreate:
    values: dict[str, Any] = {
        "title": "Battery cell production basics",
        "provider": "Test Academy",
        "country": "DE",
        "languages": ["de", "en"],
        "mode": OpportunityMode.BLENDED,
        "duration_weeks": 6,
        "hours": 60,
        "ects": 2,
        "cost_eur": 900,
        "eqf": 5,
        "outcomes": outcomes,
    }
    values.update(changes)
    return OpportunityCreate(**values)


class Recorder:
    """A Progress that remembers what it was told."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, int | None]] = []
        self.advanced = 0

    def stage(self, description: str, total: int | None = None) -> None:
        self.stages.append((description, total))

    def advance(self, amount: int = 1) -> None:
        self.advanced += amount


# --- publishing -------------------------------------------------------------------------------


def test_create_labels_outcomes_and_finds_capability_areas(app: SkillPass) -> None:
    skills = skills_of(app, BATTERY_TECHNICIAN, 5)
    created = app.catalogue.create(None, draft(skills))
    assert len(created.id) == 16
    assert [s.uri for s in created.outcomes] == skills
    assert all(s.label for s in created.outcomes)
    expected = {a.id for uri in skills for a in app.capabilities.areas_for(uri)}
    assert set(created.capability_areas) == expected
    assert app.catalogue.get(created.id) == created


def test_create_rejects_unknown_and_non_skill_uris(app: SkillPass) -> None:
    unknown = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"
    with pytest.raises(InvalidInput) as raised:
        app.catalogue.create(None, draft([unknown, WELDER]))
    problems = raised.value.details["problems"]
    assert any(unknown in p and "not an ESCO skill" in p for p in problems)
    assert any("is an ESCO occupation, not a skill" in p for p in problems)
    assert app.catalogue.search(OpportunityQuery())[1] == 0


def test_unknown_prerequisite_opportunity_is_refused(app: SkillPass) -> None:
    skills = skills_of(app, WELDER)
    with pytest.raises(InvalidInput, match="no opportunity 'nope'"):
        app.catalogue.create(None, draft(skills, prerequisite_opportunities=["nope"]))


def test_update_keeps_created_at_and_refuses_requiring_itself(app: SkillPass) -> None:
    skills = skills_of(app, WELDER)
    first = app.catalogue.create(None, draft(skills))
    changed = app.catalogue.update(
        None, first.id, draft(skills, title="Welding again", cost_eur=10)
    )
    assert changed.id == first.id
    assert changed.created_at == first.created_at
    assert app.catalogue.get(first.id).title == "Welding again"
    with pytest.raises(InvalidInput, match="cannot require itself"):
        app.catalogue.update(None, first.id, draft(skills, prerequisite_opportunities=[first.id]))
    with pytest.raises(NotFound):
        app.catalogue.update(None, "missing", draft(skills))


def test_delete_withdraws(app: SkillPass) -> None:
    created = app.catalogue.create(None, draft(skills_of(app, WELDER)))
    app.catalogue.delete(None, created.id)
    with pytest.raises(NotFound):
        app.catalogue.get(created.id)
    with pytest.raises(NotFound):
        app.catalogue.delete(None, created.id)


def test_only_members_publish_for_a_provider_and_only_admins_without_one(app: SkillPass) -> None:
    password = "a long enough passphrase 42"
    member = app.auth.create_user("member@example.org", "Member", password, [Role.ISSUER])
    outsider = app.auth.create_user("outsider@example.org", "Out", password, [Role.ISSUER])
    admin = app.auth.create_user("admin@example.org", "Admin", password, [Role.ADMIN])
    provider = app.issuers.create(name="Battery School", country="DE", kind="vet")
    app.issuers.add_member(provider.id, member.public_id)
    skills = skills_of(app, BATTERY_TECHNICIAN)

    published = app.catalogue.create(member, draft(skills, provider_id=provider.id))
    assert published.provider_id == provider.id
    with pytest.raises(PermissionDenied):
        app.catalogue.create(outsider, draft(skills, provider_id=provider.id))
    with pytest.raises(PermissionDenied):
        app.catalogue.update(outsider, published.id, draft(skills))
    with pytest.raises(PermissionDenied):
        app.catalogue.delete(outsider, published.id)
    with pytest.raises(PermissionDenied, match="provider_id"):
        app.catalogue.create(member, draft(skills))
    assert app.catalogue.create(admin, draft(skills)).provider_id is None
    found, total = app.catalogue.search(OpportunityQuery(provider_id=provider.id))
    assert total == 1
    assert found[0].id == published.id


# --- search -----------------------------------------------------------------------------------


def test_search_filters_combine(app: SkillPass) -> None:
    battery = skills_of(app, BATTERY_TECHNICIAN, 4)
    welding = skills_of(app, WELDER, 4)
    a = app.catalogue.create(None, draft(battery, title="Battery modules", cost_eur=500))
    b = app.catalogue.create(
        None,
        draft(
            welding,
            title="Welding online",
            country="FR",
            languages=["fr"],
            mode=OpportunityMode.ONLINE,
            cost_eur=1500,
            eqf=3,
        ),
    )

    def ids(**filters: Any) -> set[str]:
        return {o.id for o in app.catalogue.search(OpportunityQuery(**filters))[0]}

    assert ids() == {a.id, b.id}
    assert ids(country="fr") == {b.id}
    assert ids(language="de") == {a.id}
    assert ids(language="e") == set()  # whole codes only
    assert ids(mode=OpportunityMode.ONLINE) == {b.id}
    assert ids(max_cost_eur=500) == {a.id}
    assert ids(eqf=3) == {b.id}
    assert ids(skill=battery[0]) == {a.id}
    assert ids(text="welding ONLINE") == {b.id}
    assert ids(text=a.outcomes[0].label) >= {a.id}  # skill labels are searchable
    assert ids(text="100%") == set()  # wildcards are literal
    area = a.capability_areas[0]
    assert a.id in ids(capability_area=area)
    page, total = app.catalogue.search(OpportunityQuery(limit=1, offset=1))
    assert total == 2
    assert [o.id for o in page] == [b.id]  # ordered by title
    assert {o.id for o in app.catalogue.providing([welding[0], "x"])} == {b.id}
    assert {o.id for o in app.catalogue.all()} == {a.id, b.id}


# --- import -----------------------------------------------------------------------------------


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    header = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def csv_row(outcomes: list[str], **changes: str) -> dict[str, str]:
    row = {
        "title": "Battery safety",
        "provider": "Test Academy",
        "country": "DE",
        "languages": "de;en",
        "mode": "onsite",
        "duration_weeks": "4",
        "hours": "40",
        "cost_eur": "450",
        "eqf": "4",
        "outcomes": ";".join(outcomes),
        "start_dates": "2026-03-02; 2026-06-01",
        "description": "Line one\nline two",  # a multi-line cell
    }
    row.update(changes)
    return row


def test_import_csv_creates_with_progress(app: SkillPass, tmp_path: Path) -> None:
    skills = skills_of(app, BATTERY_TECHNICIAN)
    path = write_csv(
        tmp_path / "courses.csv",
        [csv_row(skills), csv_row(skills[:1], title="Second", mode="online")],
    )
    progress = Recorder()
    result = app.catalogue.import_file(path, progress=progress)
    assert result.errors == []
    assert (result.rows, result.created, result.updated) == (2, 2, 0)
    assert [total for _, total in progress.stages] == [2, 2]
    assert progress.advanced == 4
    found, _ = app.catalogue.search(OpportunityQuery(text="Battery safety"))
    assert found[0].start_dates == [date(2026, 3, 2), date(2026, 6, 1)]
    assert found[0].languages == ["de", "en"]


def test_import_csv_lists_every_row_error_and_writes_nothing(
    app: SkillPass, tmp_path: Path
) -> None:
    skills = skills_of(app, WELDER)
    path = write_csv(
        tmp_path / "bad.csv",
        [
            csv_row(skills),
            csv_row(skills, country="Germany", cost_eur="-5"),
            csv_row(["http://example.org/not-esco"]),
            csv_row(["http://example.org/also-bad"], mode="by carrier pigeon", languages="german"),
        ],
    )
    result = app.catalogue.import_file(path)
    assert result.created == 0
    assert result.rows == 4
    joined = "\n".join(result.errors)
    assert "row 2 (line 4): country:" in joined
    assert "e.g. DE" in joined
    assert "row 2 (line 4): cost_eur:" in joined
    assert "row 3 (line 6): outcomes: 'http://example.org/not-esco' is not an ESCO skill" in joined
    assert "row 4 (line 8): mode:" in joined
    assert "row 4 (line 8): languages: 'german'" in joined
    assert "row 4 (line 8): outcomes: 'http://example.org/also-bad'" in joined
    assert not any(e.startswith("row 1 ") for e in result.errors)
    assert app.catalogue.search(OpportunityQuery())[1] == 0


def test_import_csv_refuses_unknown_and_missing_columns(app: SkillPass, tmp_path: Path) -> None:
    row = csv_row(skills_of(app, WELDER), colour="blue")
    del row["hours"]
    result = app.catalogue.import_file(write_csv(tmp_path / "c.csv", [row]))
    assert any("unknown column(s) colour" in e for e in result.errors)
    assert any("missing column(s) hours" in e for e in result.errors)


def test_import_json_and_jsonl_update_by_id(app: SkillPass, tmp_path: Path) -> None:
    skills = skills_of(app, WELDER)
    created = app.catalogue.create(None, draft(skills))
    body = draft(skills, title="Renamed by import").model_dump(mode="json")
    (tmp_path / "up.json").write_text(json.dumps([{"id": created.id, **body}]))
    result = app.catalogue.import_file(tmp_path / "up.json")
    assert (result.created, result.updated) == (0, 1)
    assert app.catalogue.get(created.id).title == "Renamed by import"

    lines = [json.dumps(body), "", json.dumps({"id": "missing", **body}), "{not json"]
    (tmp_path / "rows.jsonl").write_text("\n".join(lines))
    result = app.catalogue.import_file(tmp_path / "rows.jsonl")
    assert result.created == 0
    assert any(e.startswith("row 3: id: no opportunity 'missing'") for e in result.errors)
    assert any(e.startswith("row 4: not valid JSON") for e in result.errors)


def test_import_refuses_unknown_extensions(app: SkillPass, tmp_path: Path) -> None:
    (tmp_path / "courses.xlsx").write_bytes(b"PK")
    with pytest.raises(InvalidInput, match="unknown extension"):
        app.catalogue.import_file(tmp_path / "courses.xlsx")


# --- synthetic --------------------------------------------------------------------------------


def test_generate_synthetic_is_realistic_and_deterministic(app: SkillPass) -> None:
    written = app.catalogue.generate_synthetic(300, seed=7, today=date(2026, 1, 1))
    assert written == 300
    first = app.catalogue.all()
    assert len(first) == 300
    assert all(o.synthetic for o in first)
    areas = Counter(area for o in first for area in o.capability_areas)
    assert len(areas) >= 12
    assert areas["batteries"] > 0
    assert len({o.country for o in first}) >= 12
    assert {o.mode for o in first} == set(OpportunityMode)
    assert any(o.prerequisite_opportunities for o in first)
    ids = {o.id for o in first}
    assert all(set(o.prerequisite_opportunities) <= ids for o in first)
    costs = sorted(o.cost_eur for o in first)
    assert 200 <= costs[len(costs) // 2] <= 3000  # a plausible median price
    assert all(o.title[0].isupper() for o in first)

    # every outcome comes from an ESCO occupation profile
    sample = first[0]
    assert all(app.taxonomy.get_concept(s.uri).type.value == "skill" for s in sample.outcomes)

    def signature(items: list[Any]) -> list[tuple[str, str, float]]:
        return sorted((o.title, o.provider, o.cost_eur) for o in items)

    app.catalogue.generate_synthetic(300, seed=7, today=date(2026, 1, 1), replace=True)
    again = app.catalogue.all()
    assert signature(again) == signature(first)
    app.catalogue.generate_synthetic(300, seed=8, today=date(2026, 1, 1), replace=True)
    assert signature(app.catalogue.all()) != signature(first)


def test_generate_synthetic_count_is_bounded(app: SkillPass) -> None:
    with pytest.raises(InvalidInput, match="between 1 and"):
        app.catalogue.generate_synthetic(0)
