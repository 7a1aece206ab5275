"""The mobility pages: the flow matrix and a country page, with uncertainty and labels."""

from __future__ import annotations

from fastapi.testclient import TestClient

from skillpass.app import SkillPass
from skillpass.mobility.categories import Period
from skillpass.mobility.synthetic import SyntheticConfig


def _released(skillpass: SkillPass) -> None:
    skillpass.mobility.generate_synthetic(
        SyntheticConfig(people=3000, start=Period(2026, 2, 2), quarters=2, seed=5)
    )
    skillpass.mobility.release("2026Q2", 0.2)
    skillpass.mobility.release("2026Q3", 0.2)


def test_without_releases_the_page_says_how_to_release(client: TestClient) -> None:
    page = client.get("/mobility")
    assert page.status_code == 200
    assert "skillpass mobility release" in page.text
    assert 'href="/mobility"' in page.text  # in the navigation


def test_flow_matrix_page_shows_chart_intervals_and_synthetic_label(
    skillpass: SkillPass, client: TestClient
) -> None:
    _released(skillpass)
    page = client.get("/mobility")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "Synthetic data." in page.text
    assert "2026Q2, 2026Q3" in page.text
    assert "uncertain" in page.text
    assert "noise dominates" in page.text
    filtered = client.get("/mobility", params={"area": "ai_data"})
    assert "Artificial intelligence &amp; data" in filtered.text


def test_country_page_shows_arrivals_departures_and_capabilities(
    skillpass: SkillPass, client: TestClient
) -> None:
    _released(skillpass)
    skillpass.mobility.import_official_bytes(
        b"origin,destination,field,year,count\nIN,DE,ICT,2024,15230\n", source="Destatis"
    )
    page = client.get("/mobility/DE")
    assert page.status_code == 200
    assert "STEM mobility: Germany" in page.text
    assert "Who arrives" in page.text
    assert "Cybersecurity" in page.text
    assert page.text.count("<svg") >= 2
    assert "Retention after 1 quarter" in page.text
    assert "Destatis" in page.text
    assert client.get("/mobility/ZZ").status_code == 404
