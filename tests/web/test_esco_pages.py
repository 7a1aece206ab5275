"""Web pages over the full ESCO: search (page and htmx fragment), concepts, capability areas."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.esco

PYTHON = "ccd0a1d9-afda-43d9-b901-96344886e14d"
AI_ENGINEER = "35553663-deab-4d9a-bf22-15c1625d28e8"
HX = {"HX-Request": "true"}


def _links(html: str) -> list[tuple[str, str]]:
    return [
        (href, text.strip()) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    ]


def test_search_ranks_python_first_and_links_its_skill_page(esco_client: TestClient) -> None:
    response = esco_client.get("/taxonomy/search", params={"q": "python", "type": "skill"})
    assert response.status_code == 200
    results = response.text.split('<ol class="results"', 1)[1].split("</ol>", 1)[0]
    assert _links(results)[0] == (f"/skills/{PYTHON}", "Python (computer programming)")


def test_search_for_htmx_returns_only_the_results_fragment(esco_client: TestClient) -> None:
    response = esco_client.get("/taxonomy/search", params={"q": "pyhton programing"}, headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "<form" not in response.text
    assert f"/skills/{PYTHON}" in response.text
    assert "HX-Request" in response.headers["vary"]


def test_htmx_history_restore_gets_the_whole_page(esco_client: TestClient) -> None:
    headers = {**HX, "HX-History-Restore-Request": "true"}
    response = esco_client.get("/taxonomy/search", params={"q": "python"}, headers=headers)
    assert "<html" in response.text


def test_search_page_works_without_javascript_as_a_get_form(esco_client: TestClient) -> None:
    html = esco_client.get("/taxonomy/search", params={"q": "welder"}).text
    assert '<form class="fields" action="/taxonomy/search" method="get"' in html
    assert 'hx-trigger="keyup changed delay:250ms, search"' in html
    assert 'value="welder"' in html
    assert "results for “welder”" in html


def test_search_type_filter_keeps_only_occupations(esco_client: TestClient) -> None:
    html = esco_client.get(
        "/taxonomy/search", params={"q": "machine learning engineer", "type": "occupation"}
    ).text
    results = html.split('<ol class="results"', 1)[1].split("</ol>", 1)[0]
    hrefs = [href for href, _ in _links(results)]
    assert hrefs
    assert all(href.startswith("/occupations/") for href in hrefs)
    assert f"/occupations/{AI_ENGINEER}" in hrefs[:3]
    assert '<option value="occupation" selected>' in html


def test_search_with_a_too_long_query_is_explained(esco_client: TestClient) -> None:
    response = esco_client.get("/taxonomy/search", params={"q": "x" * 600})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")


def test_skill_page_lists_the_occupations_that_need_it(esco_client: TestClient) -> None:
    response = esco_client.get(f"/skills/{PYTHON}")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Python (computer programming)</h1>" in html
    essential = html.split('id="essential-occupations-list"', 1)[1].split("</ul>", 1)[0]
    assert (f"/occupations/{AI_ENGINEER}", "artificial intelligence engineer") in _links(essential)
    assert 'id="optional-occupations-list"' in html
    assert "Python 3K" in html  # an alternative label
    assert "knowledge" in html  # skill type
    assert "digital" in html  # collection


def test_skill_page_shows_its_capability_areas_with_links(esco_client: TestClient) -> None:
    html = esco_client.get(f"/skills/{PYTHON}").text
    areas = html.split('<h2 id="areas">', 1)[1].split("</ul>", 1)[0]
    assert re.search(r'<a href="/capabilities/[a-z_]+">', areas)


def test_occupation_page_lists_essential_and_optional_skills(esco_client: TestClient) -> None:
    response = esco_client.get(f"/occupations/{AI_ENGINEER}")
    assert response.status_code == 200
    html = response.text
    assert "<h1>artificial intelligence engineer</h1>" in html
    essential = html.split('id="essential-skills-list"', 1)[1].split("</ul>", 1)[0]
    assert (f"/skills/{PYTHON}", "Python (computer programming)") in _links(essential)
    optional = html.split('id="optional-skills-list"', 1)[1].split("</ul>", 1)[0]
    assert all(href.startswith("/skills/") for href, _ in _links(optional))
    assert "ISCO-08 group" in html
    assert 'href="/capabilities/' in html


def test_broader_groups_link_to_pages_that_exist(esco_client: TestClient) -> None:
    html = esco_client.get(f"/skills/{PYTHON}").text
    broader = html.split('id="broader-list"', 1)[1].split("</ul>", 1)[0]
    links = _links(broader)
    assert links
    for href, label in links:
        page = esco_client.get(href)
        assert page.status_code == 200, href
        assert f"<h1>{label}</h1>" in page.text


def test_an_occupation_id_on_the_skill_route_is_a_404_page(esco_client: TestClient) -> None:
    response = esco_client.get(f"/skills/{AI_ENGINEER}")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert f"/occupations/{AI_ENGINEER}" in response.text


def test_unknown_skill_id_is_a_404_page(esco_client: TestClient) -> None:
    response = esco_client.get("/skills/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text


def test_capabilities_page_has_an_inline_svg_chart_and_the_same_numbers_in_tables(
    esco_client: TestClient,
) -> None:
    response = esco_client.get("/capabilities")
    assert response.status_code == 200
    html = response.text
    figure = html.split('<figure class="chart">', 1)[1].split("</figure>", 1)[0]
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in figure
    assert 'role="img"' in figure
    assert "Members per capability area" in figure
    rows = re.findall(
        r'<a href="/capabilities/([a-z_]+)">([^<]+)</a>.*?<td class="num">(\d+)</td>\s*'
        r'<td class="num">(\d+)</td>',
        html,
        re.S,
    )
    assert len(rows) >= 9
    for _area_id, label, _skills, _occupations in rows:
        assert label.replace("&amp;", "&") in figure.replace("&amp;", "&")
    assert all(int(skills) >= 15 and int(occupations) >= 3 for *_, skills, occupations in rows)


def test_capability_detail_lists_members_with_reasons_and_filters_by_kind(
    esco_client: TestClient,
) -> None:
    html = esco_client.get("/capabilities/quantum").text
    assert 'id="member-occupations"' in html
    assert 'id="member-skills"' in html
    assert "Why it is here" in html
    only_skills = esco_client.get("/capabilities/quantum", params={"type": "skill"}).text
    assert 'id="member-skills"' in only_skills
    assert 'id="member-occupations"' not in only_skills
    assert '<option value="skill" selected>' in only_skills
