"""Every indicator on the hand-made store, checked against values worked out by hand here.

The store (tests/intelligence/indicator_data.py) is small enough to count on paper; the plain
Python below recounts it independently of Ibis, and a few cells are also written out literally.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from skillpass.config import Settings
from skillpass.errors import InvalidInput, NotFound
from skillpass.intelligence.engines import connect, open_store
from skillpass.intelligence.indicators import IndicatorRunner, PublicationRule, parse_by
from tests.intelligence.indicator_data import (
    AREAS,
    BAT,
    ML,
    PY,
    WELD,
    Advert,
    adverts,
    write_store,
)

RULE = PublicationRule()


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndicatorRunner]:
    root = tmp_path_factory.mktemp("intel")
    store = write_store(root / "store")
    settings = Settings(data_dir=root / "data", intel_memory_limit="256MB")
    with connect(settings) as engine:
        yield IndicatorRunner(engine, open_store(engine, store))


def _year(a: Advert) -> str:
    return f"{a.month.year}"


def _month(a: Advert) -> str:
    return f"{a.month:%Y-%m}"


def _cells(key, items=lambda a: a.skills):  # type: ignore[no-untyped-def]
    """(group, item) -> (mentions, employers_with) and group -> (adverts, employers)."""
    mentions: dict[tuple[object, str], set[str]] = defaultdict(set)
    emp_with: dict[tuple[object, str], set[str]] = defaultdict(set)
    ads: dict[object, set[str]] = defaultdict(set)
    emps: dict[object, set[str]] = defaultdict(set)
    for a in adverts():
        g = key(a)
        ads[g].add(a.advert_id)
        emps[g].add(a.employer_id)
        for s in set(items(a)):
            mentions[g, s].add(a.advert_id)
            emp_with[g, s].add(a.employer_id)
    cells = {k: (len(v), len(emp_with[k])) for k, v in mentions.items()}
    groups = {g: (len(v), len(emps[g])) for g, v in ads.items()}
    return cells, groups


def _published(x: int, e: int) -> bool:
    return x >= RULE.min_adverts and e >= RULE.min_employers


def _row(frame: pd.DataFrame, **keys: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for k, v in keys.items():
        mask &= frame[k] == v
    hits = frame[mask]
    assert len(hits) == 1, f"{keys}: {len(hits)} rows"
    return hits.iloc[0]


def test_share_by_country_and_month_matches_hand_counts(runner: IndicatorRunner) -> None:
    frame = runner.share(by=["country"], period="month")
    cells, groups = _cells(lambda a: (a.country, _month(a)))
    assert len(frame) == len(cells)
    for (g, s), (x, e) in cells.items():
        row = _row(frame, country=g[0], period=g[1], item=s)
        assert row.adverts == groups[g][0]
        if _published(x, e):
            assert not row.suppressed
            assert row.mentions == x
            assert row.share == pytest.approx(x / groups[g][0], rel=1e-12)
        else:
            assert row.suppressed
            assert pd.isna(row.share)
            assert pd.isna(row.mentions)
    # by hand: 16 of Germany's 20 January 2024 adverts ask for Python
    assert _row(frame, country="DE", period="2024-01", item=PY).share == pytest.approx(0.8)


def test_suppression_holds_on_both_counts(runner: IndicatorRunner) -> None:
    frame = runner.share(by=["country"], period="month")
    # 4 adverts: too few
    assert _row(frame, country="DE", period="2023-01", item=BAT).suppressed
    # 5 adverts of France 2023 ask for Python but from 2 employers only
    assert _row(frame, country="FR", period="2023-01", item=PY).suppressed
    # exactly 10 adverts from 3 employers: published
    row = _row(frame, country="FR", period="2024-01", item=PY)
    assert not row.suppressed
    assert row.share == pytest.approx(10 / 15)
    published = frame[~frame.suppressed]
    assert (published.mentions >= 10).all()
    assert (published.employers_with >= 3).all()
    assert frame[frame.suppressed].share.isna().all()


def test_share_of_capability_areas_counts_each_advert_once(runner: IndicatorRunner) -> None:
    frame = runner.share(by=["country"], period="year", item="capability_area")
    cells, groups = _cells(
        lambda a: (a.country, _year(a)), items=lambda a: {AREAS[s] for s in a.skills}
    )
    assert len(frame) == len(cells)
    for (g, area), (x, e) in cells.items():
        row = _row(frame, country=g[0], period=g[1], item=area)
        assert row.suppressed == (not _published(x, e))
        if not row.suppressed:
            assert row.share == pytest.approx(x / groups[g][0], rel=1e-12)
    # Germany 2024: Python i<16 and machine learning 8<=i<14 overlap; 'ai' is 16 adverts
    assert _row(frame, country="DE", period="2024", item="ai").mentions == 16


def test_share_without_grouping_uses_all_adverts(runner: IndicatorRunner) -> None:
    frame = runner.share(period="year")
    row = _row(frame, period="2024", item=PY)
    assert row.adverts == 35
    assert row.share == pytest.approx(26 / 35)


def test_growth_has_the_delta_method_interval(runner: IndicatorRunner) -> None:
    frame = runner.growth(by=["country"], period="month")
    cur, groups = _cells(lambda a: (a.country, _month(a)))
    row = _row(frame, country="DE", period="2024-01", item=PY)
    assert row.base_period == "2023-01"
    x1, n1, x0, n0 = 16, 20, 12, 20
    assert cur[("DE", "2024-01"), PY][0] == x1
    log_ratio = math.log((x1 / n1) / (x0 / n0))
    se = math.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0)
    assert row.growth == pytest.approx(1 / 3, rel=1e-12)
    assert row.log_ratio == pytest.approx(log_ratio, rel=1e-12)
    assert row.se == pytest.approx(se, rel=1e-12)
    assert row.growth_low == pytest.approx(math.exp(log_ratio - 1.96 * se) - 1, rel=1e-12)
    assert row.growth_high == pytest.approx(math.exp(log_ratio + 1.96 * se) - 1, rel=1e-12)
    assert not row.suppressed
    # the base month fails the rule (4 adverts) -> suppressed although January 2024 passes
    assert _row(frame, country="DE", period="2024-01", item=BAT).suppressed
    # only items seen in both years appear: machine learning is new in 2024
    assert frame[frame.item == ML].empty
    expected = {(g[0], s) for (g, s) in cur if g[1] == "2024-01" and ((g[0], "2023-01"), s) in cur}
    assert set(zip(frame.country, frame.item, strict=True)) == expected
    assert groups[("DE", "2024-01")] == (20, 5)


def test_emerging_uses_the_lower_bound_and_minimum_counts(runner: IndicatorRunner) -> None:
    frame = runner.emerging(by=["country"], window=1, min_mentions=10, top=None)
    assert set(frame.as_of) == {"2024-01"}

    def lower(x1: int, n1: int, x0: int, n0: int) -> float:
        x1h, n1h, x0h, n0h = x1 + 0.5, n1 + 0.5, x0 + 0.5, n0 + 0.5
        lr = math.log(x1h / n1h) - math.log(x0h / n0h)
        return lr - 1.96 * math.sqrt(1 / x1h - 1 / n1h + 1 / x0h - 1 / n0h)

    cells, groups = _cells(lambda a: (a.country, _month(a)))
    expected = {}
    for (g, s), (x1, e1) in cells.items():
        if g[1] != "2024-01":
            continue
        x0 = cells.get(((g[0], "2023-01"), s), (0, 0))[0]
        n1, n0 = groups[g][0], groups[(g[0], "2023-01")][0]
        lb = lower(x1, n1, x0, n0)
        if lb > 0 and x1 >= 10 and _published(x1, e1):
            expected[g[0], s] = lb
    got = {(r.country, r.item): r.lower for r in frame.itertuples()}
    assert got.keys() == expected.keys()
    for key, lb in expected.items():
        assert got[key] == pytest.approx(lb, rel=1e-12)
    # by hand: batteries in Germany 4/20 -> 12/20 is emerging; Python 12/20 -> 16/20 is not
    # (its lower bound is below zero: a rise that small could be chance)
    assert ("DE", BAT) in got
    assert ("DE", PY) not in got
    assert (frame.groupby("country")["rank"].min() == 1).all()


def test_emerging_ranks_by_lower_bound_not_by_raw_ratio(runner: IndicatorRunner) -> None:
    frame = runner.emerging(window=1, min_mentions=1, top=None)
    assert list(frame.lower) == sorted(frame.lower, reverse=True)
    assert list(frame["rank"]) == list(range(1, len(frame) + 1))


def test_location_quotient_against_all_regions(runner: IndicatorRunner) -> None:
    frame = runner.location_quotients(region="country", period="year")
    cells, groups = _cells(lambda a: (a.country, _year(a)))
    ref_cells, ref_groups = _cells(_year)
    for (g, s), (x, e) in cells.items():
        row = _row(frame, country=g[0], period=g[1], item=s)
        ref = ref_cells[g[1], s][0] / ref_groups[g[1]][0]
        assert row.reference_share == pytest.approx(ref, rel=1e-12)
        if _published(x, e):
            assert row.lq == pytest.approx((x / groups[g][0]) / ref, rel=1e-12)
        else:
            assert row.suppressed
            assert pd.isna(row.lq)
    # by hand: France 2024 Python 10/15 against 26/35 in both countries
    assert _row(frame, country="FR", period="2024", item=PY).lq == pytest.approx(
        (10 / 15) / (26 / 35)
    )


def test_krugman_specialisation_by_hand(runner: IndicatorRunner) -> None:
    frame = runner.specialisation(region="country", period="year")
    cells, groups = _cells(lambda a: (a.country, _year(a)))
    ref, _ = _cells(_year)
    for (country, year), (n, e) in groups.items():
        row = _row(frame, country=country, period=year)
        if not _published(n, e):
            assert row.suppressed
            assert pd.isna(row.krugman)
            continue
        skills = {s for (g, s) in ref if g == year}
        region_total = sum(x for (g, _), (x, _) in cells.items() if g == (country, year))
        ref_total = sum(x for (g, _), (x, _) in ref.items() if g == year)
        k = sum(
            abs(
                cells.get(((country, year), s), (0, 0))[0] / region_total
                - ref[year, s][0] / ref_total
            )
            for s in skills
        )
        assert row.krugman == pytest.approx(k, rel=1e-12)
    assert frame.krugman.dropna().min() >= 0
    assert frame.krugman.dropna().max() <= 2


def test_genome_is_tf_idf_per_occupation(runner: IndicatorRunner) -> None:
    frame = runner.genome(group="isco", top=None)
    cells, groups = _cells(lambda a: a.isco)
    n_groups = len(groups)
    df: dict[str, int] = defaultdict(int)
    for _, s in cells:
        df[s] += 1
    for (g, s), (x, e) in cells.items():
        row = _row(frame, isco=g, item=s)
        idf = math.log(n_groups / df[s])
        assert row.idf == pytest.approx(idf, abs=1e-12)
        if _published(x, e):
            assert row.tfidf == pytest.approx(x / groups[g][0] * idf, abs=1e-12)
    # welding is asked for in 7212 only (28 of its 33 adverts): the most distinctive skill there
    top = _row(frame, isco="7212", rank=1)
    assert top["item"] == WELD
    assert top.tfidf == pytest.approx(math.log(2) * 28 / 33)
    top2 = runner.genome(group="isco", top=2)
    assert (top2["rank"] <= 2).all()


def test_shortage_signal_compares_demand_and_supply_shares(runner: IndicatorRunner) -> None:
    supply = pd.DataFrame(
        {"country": ["DE", "DE", "FR"], "item": [PY, WELD, PY], "supply": [30, 5, 4]}
    )
    frame = runner.shortage(supply, months=None)
    cells, _ = _cells(lambda a: a.country)
    held = {("DE", PY): 30, ("DE", WELD): 5, ("FR", PY): 4}
    for (country, s), (x, e) in cells.items():
        row = _row(frame, country=country, item=s)
        total = sum(v for (c, _), (v, _) in cells.items() if c == country)
        y = held.get((country, s), 0)
        y_total = sum(v for (c, _), v in held.items() if c == country)
        assert row.supply == y
        if _published(x, e):
            expected = math.log((x / total) / ((y + 0.5) / (y_total + 0.5)))
            assert row.signal == pytest.approx(expected, rel=1e-12)
        else:
            assert row.suppressed
    # batteries: asked for in Germany, held by nobody here -> a positive signal
    assert _row(frame, country="DE", item=BAT).signal > 0
    assert _row(frame, country="DE", item=PY).signal < _row(frame, country="DE", item=BAT).signal


def test_parse_by_and_errors(tmp_path: Path, runner: IndicatorRunner) -> None:
    assert parse_by("country,capability_area") == (("country",), "capability_area")
    assert parse_by("region, sector") == (("nuts", "nace"), "skill")
    assert parse_by(None) == ((), "skill")
    with pytest.raises(InvalidInput, match="Cannot group by 'colour'"):
        parse_by("colour")
    with pytest.raises(InvalidInput, match="Unknown indicator"):
        runner.run("horoscope")
    with pytest.raises(NotFound, match="ingest adverts first"):
        open_store(runner.engine, tmp_path)
    with pytest.raises(InvalidInput, match="period"):
        runner.share(period="decade")  # type: ignore[arg-type]


def test_null_groups_are_reported_as_unknown(runner: IndicatorRunner) -> None:
    frame = runner.share(by=["nuts"], period="year")
    assert set(frame.nuts) == {"DE1", "FR1", "unknown"}
