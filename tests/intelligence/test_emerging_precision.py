"""Emerging skills recover the planted trends (precision@10), where a raw ratio does not.

Adverts with planted trends (tests/intelligence/planted.py: 200,000 adverts, ten skills rising
from 0.3 % to 5 % of adverts over 36 months, five stable controls, a Zipf background of 2,000
skills). The emerging list (lower confidence bound of the log share ratio > 0, last 3 months
against the same months a year earlier) must put the planted skills at the top; ranking the
same cells by their raw share ratio is dominated by rare skills and is reported for contrast.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from skillpass.config import Settings
from skillpass.intelligence.engines import connect_duckdb, open_store
from skillpass.intelligence.indicators import IndicatorRunner
from tests.intelligence.planted import Planted, generate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def planted_store(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[IndicatorRunner, Planted]]:
    root = tmp_path_factory.mktemp("planted")
    truth = generate(root / "store", adverts=200_000, seed=11)
    with connect_duckdb(Settings(data_dir=root / "data")) as engine:
        yield IndicatorRunner(engine, open_store(engine, root / "store")), truth


def test_emerging_list_recovers_planted_trends(
    planted_store: tuple[IndicatorRunner, Planted],
) -> None:
    runner, truth = planted_store
    top = runner.emerging(window=3, top=10, min_mentions=20)
    precision = len(set(top["item"]) & set(truth.rising)) / 10
    print(f"precision@10 (lower bound): {precision:.2f}")
    assert precision >= 0.9
    assert not set(top["item"]) & set(truth.stable)
    assert (top.lower > 0).all()


def test_raw_ratio_is_dominated_by_small_counts(
    planted_store: tuple[IndicatorRunner, Planted],
) -> None:
    runner, truth = planted_store
    every = runner.emerging(window=3, top=None, min_mentions=1)
    assert set(every.as_of) == {"2024-12"}
    lb_top = set(every.head(10)["item"])
    # rank the same cells by the raw share ratio instead
    raw = every.assign(ratio=every.share / every.base_share.where(every.base_share > 0))
    raw_top = set(raw.sort_values("ratio", ascending=False).head(10)["item"])
    raw_precision = len(raw_top & set(truth.rising)) / 10
    lb_precision = len(lb_top & set(truth.rising)) / 10
    print(f"precision@10: lower bound {lb_precision:.2f}, raw ratio {raw_precision:.2f}")
    assert lb_precision > raw_precision
