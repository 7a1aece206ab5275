"""/api/v1/intelligence/* through the ASGI app, on a store generated and ingested like a user does.

The store: 3,000 synthetic adverts (``intel generate``) ingested in fast mode with lexical
matching on a hand-made taxonomy (tests/intelligence/generated_store.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from skillpass.api.app import create_api
from skillpass.app import SkillPass, build
from skillpass.intelligence.indicators import PublicationRule
from skillpass.intelligence.reports import PUBLICATION_RULE
from tests.conftest import make_settings
from tests.intelligence.generated_store import generated_app

BASE = "/api/v1/intelligence"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SkillPass]:
    folder = tmp_path_factory.mktemp("intel-api")
    app = generated_app(folder)
    yield app
    app.close()


@pytest.fixture(scope="module")
def client(generated: SkillPass) -> Iterator[TestClient]:
    with TestClient(create_api(generated)) as test_client:
        yield test_client


def _rule_holds(row: dict[str, object]) -> bool:
    """A published row passes the rule; a suppressed one shows no values."""
    rule = PublicationRule()
    if row["suppressed"]:
        return row["mentions"] is None and row["share"] is None
    mentions, employers = row["mentions"], row["employers_with"]
    assert isinstance(mentions, int)
    assert isinstance(employers, int)
    return mentions >= rule.min_adverts and employers >= rule.min_employers


def test_share_by_country_and_area_carries_provenance_and_marks_suppressed_cells(
    client: TestClient,
) -> None:
    response = client.get(
        f"{BASE}/indicators/share", params={"by": "country,capability_area", "period": "year"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["by"] == ["country"]
    assert body["item"] == "capability_area"
    origin = body["provenance"]
    assert origin["synthetic"] is True
    assert origin["sources"]
    assert all(s.startswith("synthetic:") for s in origin["sources"])
    assert origin["store"] == "intelligence"
    assert origin["engine"] == "duckdb"
    assert origin["matching_mode"] == "fast"
    assert origin["generated_at"]
    assert 0 < body["suppressed"] < body["total"] == len(body["rows"])
    assert all(_rule_holds(r) for r in body["rows"])
    assert {r["period"] for r in body["rows"]} == {"2023", "2024", "2025"}


def test_country_filter_computes_shares_within_that_country(client: TestClient) -> None:
    params = {"by": "capability_area", "period": "year", "country": "DE"}
    body = client.get(f"{BASE}/indicators/share", params=params).json()
    assert body["by"] == ["country"]
    assert body["rows"]
    assert {r["country"] for r in body["rows"]} == {"DE"}
    everywhere = client.get(
        f"{BASE}/indicators/share", params={"by": "country,capability_area", "period": "year"}
    ).json()
    german = [r for r in everywhere["rows"] if r["country"] == "DE"]
    assert body["rows"] == german


def test_area_skill_and_period_filters(client: TestClient) -> None:
    batteries = client.get(
        f"{BASE}/indicators/share",
        params={"period": "year", "area": "batteries", "from": "2024", "to": "2025"},
    ).json()
    labels = {r["label"] for r in batteries["rows"]}
    assert "battery chemistry" in labels
    assert "write code" not in labels
    assert {r["period"] for r in batteries["rows"]} == {"2024", "2025"}
    one = client.get(
        f"{BASE}/indicators/share", params={"period": "year", "skill": "Battery Chemistry"}
    ).json()
    assert {r["label"] for r in one["rows"]} == {"battery chemistry"}
    rising = [r["share"] for r in one["rows"] if not r["suppressed"]]
    assert len(rising) >= 2
    assert rising == sorted(rising)  # planted to rise year on year


def test_emerging_recovers_a_planted_rising_skill(client: TestClient) -> None:
    body = client.get(f"{BASE}/indicators/emerging", params={"min_mentions": 10}).json()
    assert body["rows"], "no emerging skill found"
    assert body["rows"][0]["rank"] == 1
    assert all(r["lower"] > 0 for r in body["rows"])
    planted = {"battery chemistry", "battery components", "assemble batteries"}
    assert planted & {r["label"] for r in body["rows"][:5]}


@pytest.mark.parametrize(
    ("indicator", "params", "column"),
    [
        ("growth", {"period": "year", "by": "capability_area"}, "growth"),
        ("location_quotient", {"period": "year", "by": "country,capability_area"}, "lq"),
        ("specialisation", {"period": "year"}, "krugman"),
        ("genome", {"by": "occupation", "top": 5}, "tfidf"),
        ("shortage", {"by": "capability_area"}, "signal"),
    ],
)
def test_every_indicator_is_served(
    client: TestClient, indicator: str, params: dict[str, object], column: str
) -> None:
    body = client.get(f"{BASE}/indicators/{indicator}", params=params).json()
    assert body["indicator"] == indicator
    assert column in body["columns"]
    assert body["rows"]
    assert body["provenance"]["synthetic"] is True


def test_csv_variant_has_every_row_and_provenance_headers(client: TestClient) -> None:
    params = {"by": "country,capability_area", "period": "year"}
    response = client.get(f"{BASE}/indicators/share.csv", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "skillpass-share-synthetic.csv" in response.headers["content-disposition"]
    assert response.headers["x-skillpass-synthetic"] == "true"
    assert "synthetic:" in response.headers["x-skillpass-sources"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    body = client.get(f"{BASE}/indicators/share", params=params).json()
    assert len(rows) == body["total"]
    hidden = [r for r in rows if r["suppressed"] == "True"]
    assert len(hidden) == body["suppressed"]
    assert all(r["share"] == "" for r in hidden)


def test_paging_and_bad_requests(client: TestClient) -> None:
    full = client.get(f"{BASE}/indicators/share", params={"period": "year"}).json()
    page = client.get(
        f"{BASE}/indicators/share", params={"period": "year", "offset": 2, "limit": 3}
    ).json()
    assert page["total"] == full["total"]
    assert page["rows"] == full["rows"][2:5]
    unknown = client.get(f"{BASE}/indicators/share", params={"by": "planet"})
    assert unknown.status_code == 422
    assert "Cannot group by 'planet'" in unknown.json()["error"]["message"]
    area = client.get(f"{BASE}/indicators/share", params={"area": "alchemy"})
    assert area.status_code == 422
    assert "batteries" in area.json()["error"]["message"]
    region_rows = client.get(f"{BASE}/indicators/specialisation", params={"skill": "x"})
    assert region_rows.status_code == 422
    assert client.get(f"{BASE}/indicators/nonsense").status_code == 422


def test_dashboard_and_overview(client: TestClient) -> None:
    overview = client.get(f"{BASE}/indicators").json()
    assert overview["has_adverts"] is True
    assert overview["publication_rule"] == PUBLICATION_RULE
    assert len(overview["indicators"]) == 7
    board = client.get(f"{BASE}/dashboard", params={"period": "year", "country": "DE"}).json()
    assert board["filters"] == {"country": "DE", "area": None, "period": "year"}
    assert board["provenance"]["synthetic"] is True
    assert {r["country"] for r in board["demand"]["rows"]} == {"DE"}
    assert all(str(r["region"]).startswith("DE") for r in board["regions"]["rows"])
    assert "DE" in board["countries"]
    assert board["areas"]["batteries"] == "Batteries & energy storage"


def test_publication_rule_text_matches_the_rule() -> None:
    rule = PublicationRule()
    assert f"at least {rule.min_adverts} adverts" in PUBLICATION_RULE
    assert f"at least {rule.min_employers} distinct employers" in PUBLICATION_RULE


def test_without_adverts_the_api_says_which_commands_to_run(tmp_path: Path) -> None:
    app = build(make_settings(tmp_path))
    try:
        with TestClient(create_api(app)) as client:
            assert client.get(f"{BASE}/indicators").json()["has_adverts"] is False
            board = client.get(f"{BASE}/dashboard")
            assert board.status_code == 404
            message = board.json()["error"]["message"]
            assert "skillpass intel generate" in message
            assert "skillpass intel ingest" in message
            share = client.get(f"{BASE}/indicators/share")
            assert share.status_code == 404
    finally:
        app.close()
