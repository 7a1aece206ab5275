"""Web pages that need no ESCO: layout, accessibility basics, errors, levels, headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import build
from skillpass.config import Environment, Settings

PAGES = ["/", "/taxonomy/search", "/capabilities", "/levels", "/login"]


@pytest.mark.parametrize("url", PAGES)
def test_page_has_landmarks_one_h1_and_a_skip_link(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    html = response.text
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert '<a class="skip-link" href="#main">' in html


@pytest.mark.parametrize("url", PAGES)
def test_every_input_and_select_has_a_label(client: TestClient, url: str) -> None:
    html = client.get(url).text
    ids = re.findall(r'<(?:input|select)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html)
    unlabelled = [i for i in ids if f'for="{i}"' not in html]
    assert unlabelled == []
    # every visible input or select has an id (so it can be labelled)
    controls = re.findall(r'<(?:input|select)(?![^>]*type="hidden")[^>]*>', html)
    assert all(" id=" in control for control in controls)


def test_pages_load_scripts_and_styles_from_this_site_only(client: TestClient) -> None:
    html = client.get("/").text
    sources = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)
    assert "/static/htmx.min.js" in sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    htmx = client.get("/static/htmx.min.js")
    assert htmx.status_code == 200
    assert "htmx" in htmx.text[:200]


def test_pages_send_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_home_without_esco_says_exactly_how_to_import_it(client: TestClient) -> None:
    html = client.get("/").text
    assert "No ESCO taxonomy imported yet" in html
    assert "skillpass taxonomy import PATH" in html
    assert "SKILLPASS_ESCO" in html
    assert "https://esco.ec.europa.eu/en/use-esco/download" in html


def test_home_names_every_audience(client: TestClient) -> None:
    html = client.get("/").text
    for audience in ("Learners", "Issuers", "Verifiers and recognition officers", "Assessors"):
        assert audience in html
    assert "Analysts" in html


def test_search_without_esco_explains_instead_of_failing(client: TestClient) -> None:
    response = client.get("/taxonomy/search", params={"q": "python"})
    assert response.status_code == 200
    assert "skillpass taxonomy import PATH" in response.text


def test_skill_page_without_esco_is_a_friendly_409(client: TestClient) -> None:
    response = client.get("/skills/ccd0a1d9-afda-43d9-b901-96344886e14d")
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("text/html")
    assert "No ESCO taxonomy" in response.text
    assert "skillpass taxonomy import PATH" in response.text


def test_unknown_address_is_a_friendly_html_404(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Page not found</h1>" in response.text


def test_unknown_api_address_keeps_the_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")


def test_unknown_capability_area_is_a_404_page_naming_valid_ids(client: TestClient) -> None:
    response = client.get("/capabilities/no-such-area")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "quantum" in response.text


def test_capabilities_page_without_esco_shows_no_chart_but_how_to_import(
    client: TestClient,
) -> None:
    html = client.get("/capabilities").text
    assert "<svg" not in html
    assert "skillpass taxonomy import PATH" in html


def test_levels_page_shows_the_eight_eqf_levels(client: TestClient) -> None:
    html = client.get("/levels").text
    for level in range(1, 9):
        assert f"EQF {level}</th>" in html


def test_levels_compares_swedish_5_with_german_5_through_eqf(client: TestClient) -> None:
    response = client.get("/levels", params={"country": "SE", "level": "5", "targets": "DE"})
    assert response.status_code == 200
    html = response.text
    assert "SeQF level 5 (Sweden) is referenced to EQF level 5" in html
    row = re.search(r"<th scope=\"row\">Germany</th>(.*?)</tr>", html, re.S)
    assert row, "Germany is not in the comparison table"
    assert "DQR" in row.group(1)
    assert "<td>5</td>" in row.group(1)
    assert "Caveats" in html
    assert "https://" in html.split("<h3>Sources</h3>", 1)[1]


def test_levels_with_an_unknown_level_explains_the_valid_ones(client: TestClient) -> None:
    response = client.get("/levels", params={"country": "SE", "level": "12"})
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert "has no level" in response.text


def test_levels_with_an_unknown_country_is_404_with_the_form_still_there(
    client: TestClient,
) -> None:
    response = client.get("/levels", params={"country": "XX", "level": "5"})
    assert response.status_code == 404
    assert '<form class="fields" method="get" action="/levels"' in response.text


def test_demo_footer_only_in_the_demo_environment(client: TestClient, tmp_path: Path) -> None:
    assert "Demo data is synthetic" not in client.get("/").text
    demo_settings = Settings(
        environment=Environment.DEMO,
        data_dir=tmp_path / "demo",
        database_url=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    )
    app = build(demo_settings)
    try:
        with TestClient(create_api(app)) as demo_client:
            assert "Demo data is synthetic" in demo_client.get("/").text
    finally:
        app.close()
