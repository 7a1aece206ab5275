"""The mobility pages: the flow matrix, the EQF levels table and a country page, with
uncertainty and labels."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient

from skillpass.app import SkillPass
from skillpass.mobility.categories import AREA_LABELS, Period
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


def _level_rows(html: str) -> dict[str, list[str]]:
    """The levels table's rows: area label -> the text of its nine cells (EQF 1–8, all)."""
    table = html.split('aria-labelledby="levels"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr><td>(.*?)</tr>", table, flags=re.S):
        label, *cells = re.split(r"</td><td>", row)
        rows[unescape(label)] = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]
    return rows


def test_overview_page_shows_the_levels_table_with_intervals_and_suppressed_cells(
    skillpass: SkillPass, client: TestClient
) -> None:
    skillpass.mobility.generate_synthetic(
        SyntheticConfig(people=3000, start=Period(2026, 2, 2), quarters=2, seed=5)
    )
    skillpass.mobility.release("2026Q2", 0.2, levels=True)
    skillpass.mobility.release("2026Q3", 0.2)  # no levels table this quarter
    overview = skillpass.mobility.overview()
    assert overview.levels_periods == ["2026Q2"]

    page = client.get("/mobility")
    assert page.status_code == 200
    assert "Levels of the credentials that cross borders" in page.text
    assert "quarters 2026Q2)" in page.text
    rows = _level_rows(page.text)
    assert len(rows) == len(overview.levels) == 15
    shown = suppressed = 0
    for row in overview.levels:
        cells = rows[row.label]
        assert len(cells) == 9
        for estimate, text in zip([*row.levels, row.total], cells, strict=True):
            number = f"{estimate.value:,.0f} ({estimate.ci_low:,.0f} to {estimate.ci_high:,.0f})"
            if estimate.reliable:
                assert text.startswith(number)
                shown += 1
            elif estimate is row.total:
                assert text.startswith(number)  # totals are shown, marked uncertain
                assert text.endswith("uncertain")
            else:
                assert text == "suppressed"  # the value is not shown
                suppressed += 1
    assert shown > 0
    assert suppressed > 0

    one_area = client.get("/mobility", params={"area": "ict"})
    assert list(_level_rows(one_area.text)) == [AREA_LABELS["ict"]]


def test_without_a_levels_release_the_page_says_how_to_release_it(
    skillpass: SkillPass, client: TestClient
) -> None:
    _released(skillpass)
    page = client.get("/mobility")
    assert "has not been released for these quarters" in page.text
    assert "--levels" in page.text
    assert 'aria-labelledby="levels"' not in page.text
