"""Benchmark the skills-intelligence indicators over 10 million advert × skill rows.

Data: ``tests/intelligence/planted.py`` writes a store of about 2 million synthetic adverts and
10 million advert × skill rows (Zipf background of 2,000 skills, planted rising skills, 12
countries, 36 months, Parquet in 4 files per table); it is generated once into ``--data`` and
reused.

Measured, each run in a fresh subprocess (so peak memory is that run's own):

* **DuckDB** (Ibis, ``memory_limit`` from ``--memory-limit``, spill folder set) — the six
  indicators pandas also does, then the full set of eight (share by country × month and by
  capability area × quarter, growth, emerging, location quotients, specialisation, genome,
  shortage);
* **pandas** doing the same six indicators by hand (``read_parquet`` + ``groupby``);
* **Spark** local (``--spark``; ``local[*]``, 2 GB driver) — the same Ibis expressions.

Reported: median wall time over ``--repeats`` runs and the peak resident memory of the Python
process (``ru_maxrss``; for Spark the JVM's heap is capped separately by ``spark.driver.memory``).

Run: ``python benchmarks/bench_indicators.py [--rows 10000000] [--repeats 3] [--spark]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIX = ("share", "growth", "emerging", "location_quotient", "specialisation", "genome")


def _ensure_data(folder: Path, rows: int) -> None:
    marker = folder / "rows.json"
    if marker.exists() and json.loads(marker.read_text())["target"] == rows:
        return
    import shutil

    from tests.intelligence.planted import generate

    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    truth = generate(folder, adverts=int(rows / 5.0), seed=3)
    marker.write_text(json.dumps({"target": rows, "rows": truth.rows, "adverts": truth.adverts}))
    print(
        f"generated {truth.rows:,} advert x skill rows ({truth.adverts:,} adverts) in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )


# --- workers (one per subprocess) --------------------------------------------------------------


def _ibis_worker(engine_name: str, store: Path, memory_limit: str, full: bool) -> dict[str, Any]:
    import pandas as pd

    from skillpass.config import Settings
    from skillpass.intelligence.engines import connect, open_store
    from skillpass.intelligence.indicators import IndicatorRunner

    settings = Settings(
        data_dir=Path("/tmp/skillpass-bench-indicators-home"),
        intel_memory_limit=memory_limit,
        spark_master="local[*]",
    )
    started_connect = time.perf_counter()
    with connect(settings, engine_name) as engine:
        connected = time.perf_counter() - started_connect
        r = IndicatorRunner(engine, open_store(engine, store))
        started = time.perf_counter()
        rows = {
            "share": len(r.share(by=["country"], period="month")),
            "growth": len(r.growth(by=["country"], period="month")),
            "emerging": len(r.emerging(by=["country"], window=3, top=20)),
            "location_quotient": len(r.location_quotients(region="country", period="year")),
            "specialisation": len(r.specialisation(region="country", period="year")),
            "genome": len(r.genome(group="isco", top=20)),
        }
        six = time.perf_counter() - started
        if full:
            rows["share_area_quarter"] = len(
                r.share(by=["country"], period="quarter", item="capability_area")
            )
            supply = pd.DataFrame({"country": ["DE", "FR"], "item": ["x", "y"], "supply": [10, 20]})
            rows["shortage"] = len(r.shortage(supply))
        total = time.perf_counter() - started
    return {"six": six, "full": total, "connect": connected, "rows": rows}


def _pandas_worker(store: Path) -> dict[str, Any]:
    import numpy as np
    import pandas as pd

    started = time.perf_counter()
    s = pd.read_parquet(
        store / "advert_skills", columns=["month", "country", "employer_id", "isco", "skill_uri"]
    )
    a = pd.read_parquet(store / "adverts", columns=["month", "country", "employer_id", "isco"])
    for frame in (s, a):
        frame["country"] = frame["country"].astype(str)
        frame["isco"] = frame["isco"].astype(str)
        month = pd.to_datetime(frame["month"])
        frame["mi"] = month.dt.year * 12 + month.dt.month - 1
        frame["year"] = month.dt.year
    s["skill_uri"] = s["skill_uri"].astype(str)

    def cells(keys: list[str]) -> pd.DataFrame:
        num = s.groupby([*keys, "skill_uri"], observed=True).agg(
            mentions=("employer_id", "size"), employers_with=("employer_id", "nunique")
        )
        den = a.groupby(keys, observed=True).agg(
            adverts=("employer_id", "size"), employers=("employer_id", "nunique")
        )
        out = num.reset_index().merge(den.reset_index(), on=keys)
        out["share"] = out.mentions / out.adverts
        out["suppressed"] = (out.mentions < 10) | (out.employers_with < 3)
        out.loc[out.suppressed, "share"] = np.nan
        return out

    rows: dict[str, int] = {}
    share = cells(["country", "mi"])
    rows["share"] = len(share)
    base = share.assign(mi=share.mi + 12)[
        ["country", "mi", "skill_uri", "mentions", "adverts", "employers_with"]
    ]
    g = share.merge(base, on=["country", "mi", "skill_uri"], suffixes=("", "_base"))
    g["log_ratio"] = np.log((g.mentions / g.adverts) / (g.mentions_base / g.adverts_base))
    g["se"] = np.sqrt(1 / g.mentions - 1 / g.adverts + 1 / g.mentions_base - 1 / g.adverts_base)
    g["suppressed"] = g.suppressed | (g.mentions_base < 10) | (g.employers_with_base < 3)
    rows["growth"] = len(g)
    # emerging: last 3 months vs the same months a year before, per country
    last = int(s.mi.max())
    now = s.mi.between(last - 2, last)
    was = s.mi.between(last - 14, last - 12)
    sw = s[now | was].assign(now=now[now | was])
    num = sw.groupby(["country", "skill_uri"], observed=True).agg(
        x1=("now", "sum"), x0=("now", lambda v: (~v).sum())
    )
    emp = sw[sw.now].groupby(["country", "skill_uri"], observed=True).employer_id.nunique()
    num = num.join(emp.rename("e1"))
    anow = a.mi.between(last - 2, last)
    awas = a.mi.between(last - 14, last - 12)
    den = pd.DataFrame(
        {"n1": a[anow].groupby("country").size(), "n0": a[awas].groupby("country").size()}
    )
    e = num.reset_index().merge(den.reset_index(), on="country")
    x1, n1, x0, n0 = e.x1 + 0.5, e.n1 + 0.5, e.x0 + 0.5, e.n0 + 0.5
    e["lower"] = (
        np.log(x1 / n1) - np.log(x0 / n0) - 1.96 * np.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0)
    )
    e = e[(e.lower > 0) & (e.x1 >= 20) & (e.e1 >= 3)]
    e = e.sort_values(["country", "lower"], ascending=[True, False]).groupby("country").head(20)
    rows["emerging"] = len(e)
    # location quotients and specialisation by country and year
    reg = cells(["country", "year"])
    ref_num = s.groupby(["year", "skill_uri"], observed=True).size().rename("x")
    ref_den = a.groupby("year").size().rename("n")
    ref = ref_num.reset_index().merge(ref_den.reset_index(), on="year")
    ref["reference_share"] = ref.x / ref.n
    ref["b"] = ref.x / ref.groupby("year").x.transform("sum")
    lq = reg.merge(ref[["year", "skill_uri", "reference_share", "b"]], on=["year", "skill_uri"])
    lq["lq"] = (lq.mentions / lq.adverts) / lq.reference_share
    rows["location_quotient"] = len(lq)
    lq["a"] = lq.mentions / lq.groupby(["country", "year"]).mentions.transform("sum")
    k = lq.assign(t=(lq.a - lq.b).abs() - lq.b).groupby(["country", "year"]).t.sum() + 1
    rows["specialisation"] = len(k)
    # genome per occupation
    gen = cells(["isco"])
    n_groups = a.isco.nunique()
    gen["idf"] = np.log(n_groups / gen.groupby("skill_uri").isco.transform("size"))
    gen["tfidf"] = gen.mentions / gen.adverts * gen.idf
    gen = gen.sort_values(["isco", "tfidf", "skill_uri"], ascending=[True, False, True])
    gen["rank"] = gen.groupby("isco").cumcount() + 1
    rows["genome"] = int((gen["rank"] <= 20).sum())
    return {"six": time.perf_counter() - started, "rows": rows}


def _worker(argv: list[str]) -> None:
    engine, store, memory_limit, full = argv[0], Path(argv[1]), argv[2], argv[3] == "1"
    if engine == "pandas":
        result = _pandas_worker(store)
    else:
        result = _ibis_worker(engine, store, memory_limit, full)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result["peak_bytes"] = peak
    print("RESULT " + json.dumps(result), flush=True)


def _run(engine: str, store: Path, memory_limit: str, full: bool = True) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            engine,
            str(store),
            memory_limit,
            "1" if full else "0",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line[7:])
            return result
    raise SystemExit(f"{engine} run failed:\n{out.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--memory-limit", default="2GB")
    parser.add_argument("--data", type=Path, default=Path("/tmp/skillpass-bench-indicators"))
    parser.add_argument("--spark", action="store_true", help="Also run Spark local (one run).")
    parser.add_argument("--skip-pandas", action="store_true")
    args = parser.parse_args()
    store = args.data / f"rows-{args.rows}"
    _ensure_data(store, args.rows)
    meta = json.loads((store / "rows.json").read_text())
    print(
        f"{meta['rows']:,} advert x skill rows, {meta['adverts']:,} adverts; "
        f"{os.cpu_count()} cores; DuckDB memory_limit {args.memory_limit}",
        flush=True,
    )
    results: dict[str, list[dict[str, Any]]] = {"duckdb": [], "pandas": []}
    for _ in range(args.repeats):
        results["duckdb"].append(_run("duckdb", store, args.memory_limit))
        print("duckdb", results["duckdb"][-1], flush=True)
        if not args.skip_pandas:
            results["pandas"].append(_run("pandas", store, args.memory_limit))
            print("pandas", results["pandas"][-1], flush=True)
    if args.spark:
        results["spark"] = [_run("spark", store, args.memory_limit)]
        print("spark", results["spark"][-1], flush=True)

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name])

    print("\n| engine | six indicators | full set (8) | peak memory (process) |")
    print("|---|---|---|---|")
    for name in results:
        if not results[name]:
            continue
        full = f"{med(name, 'full'):.1f} s" if "full" in results[name][0] else "—"
        print(
            f"| {name} | {med(name, 'six'):.1f} s | {full} | "
            f"{med(name, 'peak_bytes') / 2**30:.2f} GiB |"
        )
    if results["pandas"]:
        print(
            f"\npandas / DuckDB: {med('pandas', 'six') / med('duckdb', 'six'):.1f}x time, "
            f"{med('pandas', 'peak_bytes') / med('duckdb', 'peak_bytes'):.1f}x memory"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _worker(sys.argv[2:])
    else:
        main()
