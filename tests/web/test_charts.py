"""The members-per-area chart: a Vega-Lite spec rendered to SVG on the server."""

from __future__ import annotations

from skillpass.taxonomy.capabilities import CapabilityArea
from skillpass.web.charts import members_per_area_spec, members_per_area_svg


def _area(area_id: str, label: str, skills: int, occupations: int) -> CapabilityArea:
    return CapabilityArea(
        id=area_id,
        label=label,
        kind="strategic_area",
        description="",
        skills=skills,
        occupations=occupations,
        version="1",
    )


AREAS = [
    _area("quantum", "Quantum technologies", 27, 6),
    _area("space", "Space & aeronautics", 40, 9),
]


def test_spec_carries_skills_and_occupations_per_area_inline() -> None:
    spec = members_per_area_spec(AREAS)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    values = spec["data"]["values"]
    assert {"area": "Quantum technologies", "kind": "Skills", "members": 27} in values
    assert {"area": "Space & aeronautics", "kind": "Occupations", "members": 9} in values
    assert len(values) == 4
    assert spec["encoding"]["y"]["sort"] == ["Quantum technologies", "Space & aeronautics"]


def test_svg_is_rendered_on_the_server_with_every_area_label() -> None:
    svg = members_per_area_svg(AREAS)
    assert svg.startswith("<svg")
    assert "Quantum technologies" in svg
    assert "Space &amp; aeronautics" in svg
    assert "<script" not in svg
