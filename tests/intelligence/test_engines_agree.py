"""The same Ibis indicator expressions give identical results on DuckDB and on Spark.

Counts and suppression flags must be equal; floating-point values equal to 1e-12 relative
(the engines may round the last bit of a logarithm differently). Spark is started once for the
module (a local session, ``local[2]``); without PySpark or Java the tests are skipped with the
reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from skillpass.config import Settings
from skillpass.intelligence.engines import (
    Engine,
    StoreTables,
    connect_duckdb,
    connect_spark,
    open_store,
    spark_available,
)
from skillpass.intelligence.indicators import IndicatorRunner
from tests.intelligence.indicator_data import PY, WELD, write_store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.spark,
    pytest.mark.skipif(spark_available() is not None, reason=str(spark_available())),
]

SUPPLY = pd.DataFrame({"country": ["DE", "DE", "FR"], "item": [PY, WELD, PY], "supply": [30, 5, 4]})

#: Every indicator, in the variants the CLI offers.
CASES: dict[str, Callable[[IndicatorRunner], pd.DataFrame]] = {
    "share_country_month": lambda r: r.share(by=["country"], period="month"),
    "share_all_quarter": lambda r: r.share(period="quarter"),
    "share_region_sector_year": lambda r: r.share(by=["nuts", "nace"], period="year"),
    "share_area_country_year": lambda r: r.share(
        by=["country"], period="year", item="capability_area"
    ),
    "growth_country_month": lambda r: r.growth(by=["country"], period="month"),
    "growth_area_year": lambda r: r.growth(period="year", item="capability_area"),
    "emerging_country": lambda r: r.emerging(by=["country"], window=1, min_mentions=5),
    "emerging_all": lambda r: r.emerging(window=3, min_mentions=1, top=None),
    "location_quotient": lambda r: r.location_quotients(region="country", period="year"),
    "location_quotient_nuts": lambda r: r.location_quotients(region="nuts", period="month"),
    "specialisation": lambda r: r.specialisation(region="country", period="year"),
    "genome_isco": lambda r: r.genome(group="isco", top=None),
    "genome_nace_areas": lambda r: r.genome(group="nace", item="capability_area", top=2),
    "shortage": lambda r: r.shortage(SUPPLY, months=None),
    "shortage_all": lambda r: r.shortage(SUPPLY, by_country=False, months=12),
}


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, IndicatorRunner]]:
    root = tmp_path_factory.mktemp("agree")
    store = write_store(root / "store")
    settings = Settings(data_dir=root / "data", spark_master="local[2]")
    opened: list[Engine] = [connect_duckdb(settings), connect_spark(settings)]
    try:
        tables: list[StoreTables] = [open_store(e, store) for e in opened]
        yield {e.name.value: IndicatorRunner(e, t) for e, t in zip(opened, tables, strict=True)}
    finally:
        for engine in opened:
            engine.close()


@pytest.mark.parametrize("case", list(CASES))
def test_duckdb_and_spark_agree(engines: dict[str, IndicatorRunner], case: str) -> None:
    duck = CASES[case](engines["duckdb"])
    spark = CASES[case](engines["spark"])
    assert not duck.empty, "a case that returns nothing proves nothing"
    assert list(duck.columns) == list(spark.columns)
    assert len(duck) == len(spark)
    for column in duck.columns:
        left, right = duck[column], spark[column]
        assert (left.isna() == right.isna()).all(), column
        if pd.api.types.is_float_dtype(left) or pd.api.types.is_float_dtype(right):
            pd.testing.assert_series_equal(
                left.astype(float), right.astype(float), rtol=1e-12, atol=0, check_names=False
            )
        else:
            assert left.fillna(-1).astype(str).tolist() == right.fillna(-1).astype(str).tolist(), (
                column
            )
    assert duck.suppressed.tolist() == spark.suppressed.tolist()


def test_spark_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from skillpass.errors import ConfigurationError
    from skillpass.intelligence import engines as engines_module

    monkeypatch.setattr(engines_module, "spark_available", lambda: "PySpark is not installed")
    with pytest.raises(ConfigurationError, match="PySpark is not installed"):
        engines_module.connect(Settings(data_dir=tmp_path), "spark")
