"""The /intelligence dashboard: empty state, charts with tables and CSV, filters, labels."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from tests.intelligence.generated_store import generated_app


@pytest.fixture(scope="module")
def generated_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("intel-web")
    app = generated_app(folder)
    try:
        with TestClient(create_api(app)) as test_client:
            yield test_client
    finally:
        app.close()


def test_without_adverts_the_page_says_which_commands_to_run(client: TestClient) -> None:
    page = client.get("/intelligence")
    assert page.status_code == 200
    assert "No job adverts have been ingested yet" in page.text
    assert "skillpass intel generate --adverts" in page.text
    assert "skillpass intel ingest adverts.csv" in page.text
    assert "<svg" not in page.text
    assert 'href="/intelligence"' in page.text  # in the navigation
    assert client.get("/intelligence/demand.csv").status_code == 404


def test_dashboard_shows_three_charts_tables_csv_links_and_provenance(
    generated_client: TestClient,
) -> None:
    page = generated_client.get("/intelligence", params={"period": "year"})
    assert page.status_code == 200
    html = page.text
    for chart in ("demand-chart", "emerging-chart", "regions-chart"):
        assert f'id="{chart}"' in html
    assert html.count("<svg") == 3
    assert "Synthetic data." in html
    assert "synthetic:board-a" in html  # a source, in the provenance
    assert "Publication rule" in html
    assert "suppressed</span>" in html
    for section in ("demand", "emerging", "regions"):
        assert f'href="/intelligence/{section}.csv?period=year"' in html
    assert "Batteries &amp; energy storage" in html
    assert "battery" in html  # a planted rising skill among the emerging ones


def test_csv_downloads_match_the_tables(generated_client: TestClient) -> None:
    params = {"period": "year", "country": "DE"}
    response = generated_client.get("/intelligence/regions.csv", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "skillpass-regions-synthetic.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows
    assert all(r["region"].startswith("DE") for r in rows)
    assert all(r["lq"] == "" for r in rows if r["suppressed"] == "True")
    demand = list(
        csv.DictReader(
            io.StringIO(generated_client.get("/intelligence/demand.csv", params=params).text)
        )
    )
    assert {r["period"] for r in demand} == {"2023", "2024", "2025"}
    assert {r["country"] for r in demand} == {"DE"}


def test_filters_narrow_the_views(generated_client: TestClient) -> None:
    page = generated_client.get(
        "/intelligence", params={"country": "DE", "area": "batteries", "period": "year"}
    )
    assert page.status_code == 200
    assert '<option value="DE" selected>' in page.text
    assert '<option value="batteries" selected>' in page.text
    assert "regions of DE" in page.text
    demand = generated_client.get(
        "/intelligence/demand.csv", params={"country": "DE", "area": "batteries", "period": "year"}
    ).text
    assert {r["area"] for r in csv.DictReader(io.StringIO(demand))} == {"batteries"}
    bad = generated_client.get("/intelligence", params={"area": "alchemy"})
    assert bad.status_code == 422
    assert "Unknown capability area" in bad.text
