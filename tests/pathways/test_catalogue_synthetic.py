"""The synthetic course generator on a hand-made taxonomy (no ESCO needed), and the catalogue's
answers when no ESCO is imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from skillpass.app import SkillPass
from skillpass.errors import TaxonomyNotLoaded
from skillpass.pathways.models import CourseType, OpportunityMode, OpportunityQuery
from skillpass.pathways.synthetic import (
    AreaSource,
    SyntheticOccupation,
    SyntheticSkill,
    generate_courses,
)


def skill(n: int, knowledge: bool = False) -> SyntheticSkill:
    label = f"battery topic {n}" if knowledge else f"assemble battery part {n}"
    return SyntheticSkill(uri=f"urn:skill:{n}", label=label, knowledge=knowledge)


AREAS = [
    AreaSource(
        "batteries",
        (
            SyntheticOccupation(
                uri="urn:occ:1",
                label="battery assembler",
                isco_group="8212",
                essential=tuple(skill(n, knowledge=n % 2 == 0) for n in range(8)),
                optional=tuple(skill(n) for n in range(8, 12)),
            ),
        ),
        frozenset({"urn:skill:1", "urn:skill:2"}),
    ),
    AreaSource(
        "quantum",
        (
            SyntheticOccupation(
                uri="urn:occ:2",
                label="quantum engineer",
                isco_group="2149",
                essential=tuple(skill(n, knowledge=True) for n in range(20, 26)),
                optional=(),
            ),
        ),
    ),
    AreaSource("empty", ()),  # an area without occupations is skipped
]


def test_same_seed_same_courses_other_seed_other_courses() -> None:
    first = generate_courses(AREAS, 200, seed=3, today=date(2026, 1, 1))
    assert first == generate_courses(AREAS, 200, seed=3, today=date(2026, 1, 1))
    assert first != generate_courses(AREAS, 200, seed=4, today=date(2026, 1, 1))


def test_courses_are_synthetic_plain_and_drawn_from_the_profiles() -> None:
    courses = generate_courses(AREAS, 300, seed=1, today=date(2026, 1, 1))
    assert len(courses) == 300
    profile = {
        s.uri for area in AREAS for o in area.occupations for s in (*o.essential, *o.optional)
    }
    for course in courses:
        draft = course.draft
        assert draft.synthetic
        assert draft.description.startswith("Synthetic demo course")
        assert 3 <= len(draft.outcomes) <= 6
        assert set(draft.outcomes) <= profile
        assert set(draft.prerequisite_skills) <= profile
        assert not set(draft.prerequisite_skills) & set(draft.outcomes)
        assert all(d >= date(2026, 1, 1) and d.weekday() == 0 for d in draft.start_dates)
        if draft.ects is not None:
            assert 25 <= draft.hours / draft.ects <= 30
        if draft.course_type is CourseType.APPRENTICESHIP:
            assert draft.cost_eur == 0
        assert course.area_id in {"batteries", "quantum"}
    assert {c.area_id for c in courses} == {"batteries", "quantum"}
    assert {c.draft.mode for c in courses} == set(OpportunityMode)
    assert any(c.draft.title.endswith("for battery assemblers") for c in courses)
    assert any(c.draft.title.startswith("Introduction to ") for c in courses)


def test_series_require_an_earlier_course_of_the_same_provider() -> None:
    courses = generate_courses(AREAS, 300, seed=2, today=date(2026, 1, 1))
    chained = [(n, c) for n, c in enumerate(courses) if c.after is not None]
    assert chained
    for n, course in chained:
        assert course.after is not None
        assert course.after < n
        earlier = courses[course.after].draft
        assert earlier.provider == course.draft.provider
        assert earlier.stackable_towards == course.draft.stackable_towards is not None


def test_no_usable_area_gives_no_courses() -> None:
    assert generate_courses([AreaSource("empty", ())], 10, today=date(2026, 1, 1)) == []


def test_generate_without_esco_says_to_import_it(skillpass: SkillPass) -> None:
    with pytest.raises(TaxonomyNotLoaded, match="skillpass taxonomy import"):
        skillpass.catalogue.generate_synthetic(10)


def test_import_without_esco_explains_why_nothing_was_written(
    skillpass: SkillPass, tmp_path: Path
) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"title": "Course", "provider": "A provider", "country": "DE", "languages": ["de"], '
        '"mode": "online", "duration_weeks": 2, "hours": 10, "cost_eur": 0, '
        '"outcomes": ["http://data.europa.eu/esco/skill/x"]}\n'
    )
    result = skillpass.catalogue.import_file(path)
    assert result.errors == [
        "no ESCO taxonomy is imported, so the outcome skills cannot be checked; run "
        "`skillpass taxonomy import PATH` first"
    ]
    assert skillpass.catalogue.search(OpportunityQuery()) == ([], 0)
