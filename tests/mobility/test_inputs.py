"""Inputs: the synthetic generator, official statistics, platform events."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillpass.app import SkillPass
from skillpass.errors import InvalidInput
from skillpass.mobility.categories import EU27, Period
from skillpass.mobility.models import EventKind
from skillpass.mobility.official import parse_official_csv
from skillpass.mobility.synthetic import SyntheticConfig, generate_events

SMALL = SyntheticConfig(people=800, start=Period(2026, 1, 1), quarters=2, seed=3)


def test_synthetic_events_are_deterministic_labelled_and_realistic() -> None:
    first = list(generate_events(SMALL))
    assert first == list(generate_events(SMALL))
    assert all(e.synthetic for e in first)
    moves = [e for e in first if e.kind is EventKind.MOVE]
    assert moves
    assert any(e.origin not in EU27 and e.destination in EU27 for e in moves)  # arrivals
    active = [e for e in first if e.kind is EventKind.ACTIVE]
    assert len(active) == 800 * 2  # everyone is active every quarter
    assert all(e.origin != e.destination for e in moves)


def test_bad_generator_parameters_are_refused() -> None:
    with pytest.raises(InvalidInput):
        list(generate_events(SyntheticConfig(countries=("US",))))
    with pytest.raises(InvalidInput):
        list(generate_events(SyntheticConfig(move_rate=2.0)))


def test_generating_again_replaces_synthetic_events(skillpass: SkillPass) -> None:
    first = skillpass.mobility.generate_synthetic(SMALL)
    skillpass.mobility.generate_synthetic(SMALL)
    counts = skillpass.mobility.repository.event_counts()
    assert sum(counts.values()) == sum(first.events.values())
    assert first.periods == ["2026Q1", "2026Q2"]


OFFICIAL = b"""origin,destination,field,year,count,source
IN,DE,ICT,2024,15230,Destatis
DE,AT,ENG,2024,"2,100",Statistik Austria
"""


def test_official_statistics_import_and_replace(skillpass: SkillPass, tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    path.write_bytes(OFFICIAL)
    result = skillpass.mobility.import_official(path)
    assert result.rows == 2
    assert result.sources == ["Destatis", "Statistik Austria"]
    path.write_bytes(OFFICIAL.replace(b"15230", b"15000"))
    skillpass.mobility.import_official(path)
    rows = skillpass.mobility.official("DE")
    assert len(rows) == 2
    assert {r.count for r in rows} == {15000.0, 2100.0}


def test_official_import_lists_every_bad_row_and_imports_nothing() -> None:
    bad = b"origin,destination,field,year,count\nIN,DE,ICT,twenty,1\nX,DE,ICT,2024,-3\n"
    with pytest.raises(InvalidInput) as raised:
        parse_official_csv(bad, default_source="file")
    problems = raised.value.details["problems"]
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 3"]
    with pytest.raises(InvalidInput, match="source"):
        parse_official_csv(b"origin,destination,field,year,count\n")


def test_platform_events_are_cross_border_with_an_area(skillpass: SkillPass) -> None:
    events = skillpass.mobility.events
    assert events.record_verification(
        subject="learner-key", issuer_country="PT", verifier_country="de", area_id="ict", eqf=6
    )
    assert events.record_recognition(
        subject="learner-key", issuer_country="IN", recognising_country="FR", area_id="quantum"
    )
    assert not events.record_verification(
        subject="k", issuer_country="DE", verifier_country="DE", area_id="ict"
    )
    assert not events.record_verification(
        subject="k", issuer_country="DE", verifier_country="FR", area_id=None
    )
    assert events.record_activity(subject="k", country="DE", area_id="ict")
    with pytest.raises(InvalidInput):
        events.record_verification(
            subject="k", issuer_country="D1", verifier_country="FR", area_id="ict"
        )
    counts = skillpass.mobility.repository.event_counts()
    assert counts == {"verification": 1, "recognition": 1, "active": 1}
