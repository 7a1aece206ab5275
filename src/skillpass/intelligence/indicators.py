"""Skills-intelligence indicators, written once as Ibis expressions (docs/indicators.md).

Every indicator is a function ``*_expr(tables, ...)`` that builds an Ibis expression over the
store's tables (:class:`~skillpass.intelligence.engines.StoreTables`); the same expression runs
on DuckDB and on Spark (and would compile to Trino, BigQuery or Snowflake SQL). No
engine-specific SQL appears here. :class:`IndicatorRunner` executes them on an engine and returns
pandas frames in a stable order, each with a ``suppressed`` column:

* :func:`share_expr` — adverts mentioning an item / adverts, per group and period;
* :func:`growth_expr` — share now vs. one year earlier, log share ratio with a delta-method CI;
* :func:`emerging_expr` — items whose lower confidence bound of the log share ratio (recent
  window vs. the same window a year before) is above zero, with minimum counts;
* :func:`location_quotient_expr` and :func:`specialisation_expr` — regional vs. overall share,
  and the Krugman dissimilarity index of each region's skill mix;
* :func:`genome_expr` — TF-IDF distinctiveness of items per occupation or sector;
* :func:`shortage_expr` — demand share vs. supply share (a signal, not a measurement).

An *item* is an ESCO skill (``skill``) or a capability area (``capability_area``: an advert
mentions the area when it mentions any of its skills). Publication rule: a cell is published only
when at least ``min_adverts`` adverts from at least ``min_employers`` distinct employers make it;
otherwise its values are null and ``suppressed`` is true.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import ibis
import ibis.expr.types as ir
import pandas as pd

from skillpass.errors import InvalidInput

if TYPE_CHECKING:
    from skillpass.intelligence.engines import Engine, StoreTables

__all__ = [
    "DIMENSIONS",
    "INDICATORS",
    "IndicatorRunner",
    "Item",
    "Period",
    "PublicationRule",
    "emerging_expr",
    "genome_expr",
    "growth_expr",
    "location_quotient_expr",
    "parse_by",
    "share_expr",
    "shortage_expr",
    "specialisation_expr",
]

Period = Literal["month", "quarter", "year"]
Item = Literal["skill", "capability_area"]

#: Grouping dimensions and the store column each reads (aliases accepted by :func:`parse_by`).
DIMENSIONS: dict[str, str] = {
    "country": "country",
    "region": "nuts",
    "nuts": "nuts",
    "sector": "nace",
    "nace": "nace",
    "occupation": "isco",
    "isco": "isco",
}
#: Indicator names, as the CLI and the benchmark use them.
INDICATORS = (
    "share",
    "growth",
    "emerging",
    "location_quotient",
    "specialisation",
    "genome",
    "shortage",
)
#: A year earlier, in periods of each length.
_YEAR_LAG: dict[str, int] = {"month": 12, "quarter": 4, "year": 1}
_UNKNOWN = "unknown"
_F64 = "float64"


@dataclass(frozen=True)
class PublicationRule:
    """Publish a cell only with ≥ ``min_adverts`` adverts from ≥ ``min_employers`` employers."""

    min_adverts: int = 10
    min_employers: int = 3

    def fails(self, adverts: ir.IntegerValue, employers: ir.IntegerValue) -> ir.BooleanValue:
        """The Ibis condition under which a cell is suppressed."""
        return (adverts < self.min_adverts) | (employers < self.min_employers)


def parse_by(by: str | Iterable[str] | None) -> tuple[tuple[str, ...], Item]:
    """Split ``--by country,capability_area`` into store columns and the item kind.

    ``capability_area`` (or ``area``) is not a grouping of adverts but switches the item from
    single skills to capability areas.

    Args:
        by: Comma-separated text or names: country, region/nuts, sector/nace, occupation/isco,
            capability_area.

    Returns:
        The store columns to group by (in order, no repeats) and the item kind.

    Raises:
        InvalidInput: An unknown name.
    """
    if by is None:
        names: list[str] = []
    elif isinstance(by, str):
        names = [n.strip().lower() for n in by.split(",") if n.strip()]
    else:
        names = [n.strip().lower() for n in by if n.strip()]
    columns: list[str] = []
    item: Item = "skill"
    for name in names:
        if name in {"capability_area", "area", "capability"}:
            item = "capability_area"
        elif name in {"skill", "skills"}:
            continue
        elif name in DIMENSIONS:
            column = DIMENSIONS[name]
            if column not in columns:
                columns.append(column)
        else:
            raise InvalidInput(
                f"Cannot group by '{name}': use country, region, sector, occupation or "
                "capability_area (comma-separated)."
            )
    return tuple(columns), item


# --- building blocks -------------------------------------------------------------------------


def _period_index(month: ir.DateValue, period: str) -> ir.IntegerValue:
    """Consecutive integers per period: ``year*12 + month - 1``, ``year*4 + quarter - 1``, year."""
    year = month.year().cast("int64")
    if period == "month":
        return year * 12 + month.month() - 1
    if period == "quarter":
        return year * 4 + (month.month() - 1) // 3
    if period == "year":
        return year
    raise InvalidInput(f"Unknown period '{period}': use month, quarter or year.")


def _period_label(index: ir.IntegerValue, period: str) -> ir.StringValue:
    """``2024-03``, ``2024-Q1`` or ``2024`` from a period index (computed after aggregation)."""
    if period == "month":
        return (index // 12).cast("string") + "-" + (index % 12 + 1).cast("string").lpad(2, "0")
    if period == "quarter":
        return (index // 4).cast("string") + "-Q" + (index % 4 + 1).cast("string")
    return index.cast("string")


def _month_index(month: ir.DateValue) -> ir.IntegerValue:
    return month.year() * 12 + month.month() - 1


def _clean(table: ir.Table, dims: Sequence[str]) -> dict[str, ir.Value]:
    """Group columns with null replaced by ``unknown`` (nulls never match in joins)."""
    return {d: table[d].cast("string").fill_null(_UNKNOWN) for d in dims}


def _adverts(tables: StoreTables) -> ir.Table:
    """One row per advert (the denominators); derived from advert_skills when not stored."""
    if tables.adverts is not None:
        return tables.adverts
    s = tables.advert_skills
    return s.select(
        "advert_id", "month", "country", "nuts", "employer_id", "nace", "isco"
    ).distinct()


def _mentions(tables: StoreTables, item: Item) -> ir.Table:
    """One row per advert × item: advert_id, employer_id, month, dims, ``item``, ``label``."""
    s = tables.advert_skills
    base = ("advert_id", "employer_id", "month", "country", "nuts", "nace", "isco")
    if item == "skill":
        return s.select(*base, item=s.skill_uri, label=s.skill_label)
    if item != "capability_area":
        raise InvalidInput(f"Unknown item '{item}': use skill or capability_area.")
    if tables.skill_areas is None:
        raise InvalidInput(
            "This store has no skill_areas.parquet, so capability areas are unknown: ingest "
            "again with the capability framework loaded, or group by skill."
        )
    areas = tables.skill_areas.select(
        area_skill=tables.skill_areas.skill_uri, area=tables.skill_areas.area_id
    )
    joined = s.join(areas, s.skill_uri == areas.area_skill)
    return joined.select(*base, item=joined.area, label=joined.area).distinct()


def _cells(tables: StoreTables, dims: Sequence[str], period: str | None, item: Item) -> ir.Table:
    """Raw (unsuppressed) cells: dims, [period], item, label, mentions, employers_with,
    adverts, employers."""
    m = _mentions(tables, item)
    a = _adverts(tables)
    pm = {"period_index": _period_index(m.month, period)} if period else {}
    pa_ = {"period_index": _period_index(a.month, period)} if period else {}
    keys = [*dims, *(("period_index",) if period else ())]
    # distinct employers in two stages (per employer, then per cell): exact, and several times
    # cheaper than COUNT(DISTINCT) on DuckDB and Spark alike
    num = (
        m.mutate(**_clean(m, dims), **pm)
        .group_by([*keys, "item", "employer_id"])
        .agg(label=ibis._.label.max(), n=ibis._.count())
        .group_by([*keys, "item"])
        .agg(label=ibis._.label.max(), mentions=ibis._.n.sum(), employers_with=ibis._.count())
    )
    den = (
        a.mutate(**_clean(a, dims), **pa_)
        .group_by([*keys, "employer_id"])
        .agg(n=ibis._.count())
        .group_by(keys)
        .agg(adverts=ibis._.n.sum(), employers=ibis._.count())
    )
    den = den.rename({f"den_{k}": k for k in keys})
    joined = num.join(den, [num[k] == den[f"den_{k}"] for k in keys])
    columns = ["item", "label", "mentions", "employers_with", "adverts", "employers"]
    if not period:
        return joined.select(*keys, *columns)
    return joined.select(
        *dims, "period_index", *columns, period=_period_label(joined.period_index, period)
    ).relocate("period", before="period_index")


def _reference(tables: StoreTables, period: Period, item: Item) -> ir.Table:
    """Every region together, per period and item: ``r_period_index``, ``r_item``,
    ``r_mentions`` and ``r_adverts`` — counts only (a reference share needs no employer count,
    which is the expensive part of :func:`_cells`)."""
    m = _mentions(tables, item)
    a = _adverts(tables)
    num = m.group_by(r_period_index=_period_index(m.month, period), r_item=m.item).agg(
        r_mentions=ibis._.count()
    )
    den = a.group_by(d_period_index=_period_index(a.month, period)).agg(r_adverts=ibis._.count())
    joined = num.join(den, num.r_period_index == den.d_period_index)
    return joined.select("r_period_index", "r_item", "r_mentions", "r_adverts")


def _null_if(condition: ir.BooleanValue, value: ir.Value, dtype: str = _F64) -> ir.Value:
    return ibis.ifelse(condition, ibis.null(dtype), value)


# --- indicators --------------------------------------------------------------------------------


def share_expr(
    tables: StoreTables,
    *,
    by: Sequence[str] = (),
    period: Period = "month",
    item: Item = "skill",
    rule: PublicationRule | None = PublicationRule(),
) -> ir.Table:
    """Skill share: adverts mentioning the item / adverts, per group and period.

    ``share = mentions / adverts``; ``mentions`` counts adverts (not occurrences) in the cell,
    ``adverts`` all adverts of the group and period. Only items mentioned at least once appear.

    Args:
        tables: The store's tables.
        by: Store columns to group by (country, nuts, nace, isco).
        period: month, quarter or year.
        item: skill or capability_area.
        rule: Publication rule; None returns raw values (for internal use and tests).

    Returns:
        Columns: *by, period, period_index, item, label, mentions, employers_with, adverts,
        employers, share, suppressed.
    """
    c = _cells(tables, by, period, item)
    c = c.mutate(share=c.mentions.cast(_F64) / c.adverts)
    return _publish(c, rule, ["mentions", "employers_with", "share"])


def _publish(c: ir.Table, rule: PublicationRule | None, values: Sequence[str]) -> ir.Table:
    if rule is None:
        return c.mutate(suppressed=ibis.literal(False))
    hidden = rule.fails(c.mentions, c.employers_with)
    c = c.mutate(suppressed=hidden)
    return c.mutate(**{v: _null_if(c.suppressed, c[v], str(c[v].type())) for v in values})


def growth_expr(
    tables: StoreTables,
    *,
    by: Sequence[str] = (),
    period: Period = "month",
    item: Item = "skill",
    z: float = 1.96,
    rule: PublicationRule | None = PublicationRule(),
) -> ir.Table:
    """Growth: share in a period vs. the same period a year earlier, with a confidence interval.

    ``log_ratio = ln(p1/p0)``; its delta-method standard error for two independent binomial
    proportions is ``se = sqrt(1/x1 - 1/n1 + 1/x0 - 1/n0)`` (Katz et al. 1978);
    ``growth = p1/p0 - 1`` with bounds ``exp(log_ratio ± z·se) - 1``. Only items seen in both
    periods appear; a cell is suppressed when either period fails the publication rule.

    Returns:
        Columns: *by, period, period_index, base_period, item, label, mentions, adverts,
        base_mentions, base_adverts, share, base_share, log_ratio, se, growth, growth_low,
        growth_high, suppressed.
    """
    lag = _YEAR_LAG[period]
    c = _cells(tables, by, period, item)
    b = c.view()
    b = b.select(
        *[b[d].name(f"b_{d}") for d in by],
        b_item=b.item,
        b_index=b.period_index + lag,
        base_period=b.period,
        base_mentions=b.mentions,
        base_employers_with=b.employers_with,
        base_adverts=b.adverts,
    )
    preds = [c[d] == b[f"b_{d}"] for d in by] + [
        c.item == b.b_item,
        c.period_index == b.b_index,
    ]
    j = c.join(b, preds)
    x1, n1 = j.mentions.cast(_F64), j.adverts.cast(_F64)
    x0, n0 = j.base_mentions.cast(_F64), j.base_adverts.cast(_F64)
    log_ratio = (x1 / n1).ln() - (x0 / n0).ln()
    se = (1.0 / x1 - 1.0 / n1 + 1.0 / x0 - 1.0 / n0).sqrt()
    out = j.select(
        *by,
        "period",
        "period_index",
        "base_period",
        "item",
        "label",
        "mentions",
        "employers_with",
        "adverts",
        "base_mentions",
        "base_employers_with",
        "base_adverts",
        share=x1 / n1,
        base_share=x0 / n0,
        log_ratio=log_ratio,
        se=se,
        growth=log_ratio.exp() - 1.0,
        growth_low=(log_ratio - z * se).exp() - 1.0,
        growth_high=(log_ratio + z * se).exp() - 1.0,
    )
    values = [
        "mentions",
        "employers_with",
        "base_mentions",
        "base_employers_with",
        "share",
        "base_share",
        "log_ratio",
        "se",
        "growth",
        "growth_low",
        "growth_high",
    ]
    if rule is None:
        return out.mutate(suppressed=ibis.literal(False))
    hidden = rule.fails(out.mentions, out.employers_with) | rule.fails(
        out.base_mentions, out.base_employers_with
    )
    out = out.mutate(suppressed=hidden)
    return out.mutate(**{v: _null_if(out.suppressed, out[v], str(out[v].type())) for v in values})


def emerging_expr(
    tables: StoreTables,
    *,
    as_of: int,
    by: Sequence[str] = (),
    item: Item = "skill",
    window: int = 3,
    lag: int = 12,
    z: float = 1.96,
    min_mentions: int = 20,
    rule: PublicationRule = PublicationRule(),
) -> ir.Table:
    """Emerging items: the lower confidence bound of the log share ratio is above zero.

    Compares the ``window`` months ending at month index ``as_of`` (``year*12 + month - 1``)
    with the same months ``lag`` months earlier (a year: seasonality cancels). With a
    Haldane–Anscombe correction of 0.5 on every count, ``log_ratio = ln((x1+½)/(n1+½)) -
    ln((x0+½)/(n0+½))``, ``se = sqrt(1/(x1+½) - 1/(n1+½) + 1/(x0+½) - 1/(n0+½))`` and
    ``lower = log_ratio - z·se``. An item is emerging when ``lower > 0``, it has at least
    ``min_mentions`` adverts in the recent window, and the recent cell passes the publication
    rule. Ranked by ``lower`` (the growth one can be confident of), not by the raw ratio, which
    small counts dominate.

    Returns:
        Columns: *by, item, label, mentions, employers_with, adverts, base_mentions,
        base_adverts, share, base_share, log_ratio, se, lower, emerging, rank, suppressed.
    """
    m = _mentions(tables, item)
    a = _adverts(tables)
    now_lo, now_hi = as_of - window + 1, as_of
    base_lo, base_hi = now_lo - lag, now_hi - lag

    def windowed(t: ir.Table) -> ir.Table:
        idx = _month_index(t.month)
        t = t.mutate(**_clean(t, by), _now=(idx >= now_lo) & (idx <= now_hi))
        return t.filter(((idx >= now_lo) & (idx <= now_hi)) | ((idx >= base_lo) & (idx <= base_hi)))

    mw = windowed(m)
    num = mw.group_by([*by, "item"]).agg(
        label=mw.label.max(),
        mentions=mw._now.cast("int64").sum(),
        base_mentions=(~mw._now).cast("int64").sum(),
        employers_with=mw.employer_id.nunique(where=mw._now),
    )
    aw = windowed(a)
    den = aw.aggregate(
        by=list(by),
        adverts=aw._now.cast("int64").sum(),
        base_adverts=(~aw._now).cast("int64").sum(),
    )
    if by:
        den = den.rename({f"den_{d}": d for d in by})
        j = num.join(den, [num[d] == den[f"den_{d}"] for d in by])
    else:
        j = num.cross_join(den)
    j = j.filter(j.mentions > 0, j.base_adverts > 0)
    x1 = j.mentions.cast(_F64) + 0.5
    n1 = j.adverts.cast(_F64) + 0.5
    x0 = j.base_mentions.cast(_F64) + 0.5
    n0 = j.base_adverts.cast(_F64) + 0.5
    log_ratio = (x1 / n1).ln() - (x0 / n0).ln()
    se = (1.0 / x1 - 1.0 / n1 + 1.0 / x0 - 1.0 / n0).sqrt()
    out = j.select(
        *by,
        "item",
        "label",
        "mentions",
        "employers_with",
        "adverts",
        "base_mentions",
        "base_adverts",
        share=j.mentions.cast(_F64) / j.adverts,
        base_share=j.base_mentions.cast(_F64) / j.base_adverts,
        log_ratio=log_ratio,
        se=se,
        lower=log_ratio - z * se,
    )
    hidden = rule.fails(out.mentions, out.employers_with)
    out = out.mutate(
        suppressed=hidden,
        emerging=(out.lower > 0) & (out.mentions >= min_mentions) & ~hidden,
    )
    out = out.filter(out.emerging)
    out = out.mutate(
        rank=ibis.row_number().over(
            group_by=[out[d] for d in by], order_by=[ibis.desc(out.lower), out.item]
        )
        + 1
    )
    return out


def location_quotient_expr(
    tables: StoreTables,
    *,
    region: str = "country",
    period: Period = "year",
    item: Item = "skill",
    rule: PublicationRule | None = PublicationRule(),
) -> ir.Table:
    """Location quotient: a region's share of an item over the share in all regions together.

    ``LQ = (x_rs / n_r) / (x_s / n)`` for region r, item s, in the same period; the reference
    is every advert in the store (the EU when the store covers the EU). LQ > 1: the region asks
    for the item more than the reference does.

    Returns:
        Columns: region column, period, period_index, item, label, mentions, employers_with,
        adverts, share, reference_share, lq, suppressed.
    """
    regional = _cells(tables, [region], period, item)
    ref = _reference(tables, period, item)
    ref = ref.select(
        "r_period_index", "r_item", reference_share=ref.r_mentions.cast(_F64) / ref.r_adverts
    )
    j = regional.join(
        ref, [regional.period_index == ref.r_period_index, regional.item == ref.r_item]
    )
    share = j.mentions.cast(_F64) / j.adverts
    out = j.select(
        region,
        "period",
        "period_index",
        "item",
        "label",
        "mentions",
        "employers_with",
        "adverts",
        "employers",
        "reference_share",
        share=share,
        lq=share / j.reference_share,
    )
    return _publish(out, rule, ["mentions", "employers_with", "share", "lq"])


def specialisation_expr(
    tables: StoreTables,
    *,
    region: str = "country",
    period: Period = "year",
    item: Item = "skill",
    rule: PublicationRule | None = PublicationRule(),
) -> ir.Table:
    """Krugman specialisation index of each region's skill mix against all regions.

    ``K_r = Σ_s |a_rs - b_s|`` with ``a_rs = x_rs / Σ_k x_rk`` (the item's part of the region's
    mentions) and ``b_s`` the same over all regions; 0 = same mix, 2 = nothing in common. Items
    the region never mentions add ``b_s``, so ``K_r = 1 + Σ_{s in r} (|a_rs - b_s| - b_s)``
    (no outer join needed). A region is published when it has ≥ ``min_adverts`` adverts from ≥
    ``min_employers`` employers.

    Returns:
        Columns: region column, period, period_index, adverts, employers, items, krugman,
        suppressed.
    """
    regional = _cells(tables, [region], period, item)
    regional = regional.mutate(
        a=regional.mentions.cast(_F64)
        / regional.mentions.sum().over(group_by=[regional[region], regional.period_index])
    )
    ref = _reference(tables, period, item)
    ref = ref.select(
        "r_period_index",
        "r_item",
        b=ref.r_mentions.cast(_F64) / ref.r_mentions.sum().over(group_by=[ref.r_period_index]),
    )
    j = regional.join(
        ref, [regional.period_index == ref.r_period_index, regional.item == ref.r_item]
    )
    g = j.group_by([region, "period", "period_index"]).agg(
        adverts=j.adverts.max(),
        employers=j.employers.max(),
        items=j.count(),
        krugman=1.0 + ((j.a - j.b).abs() - j.b).sum(),
    )
    if rule is None:
        return g.mutate(suppressed=ibis.literal(False))
    g = g.mutate(suppressed=rule.fails(g.adverts, g.employers))
    return g.mutate(krugman=_null_if(g.suppressed, g.krugman))


def genome_expr(
    tables: StoreTables,
    *,
    group: str = "isco",
    item: Item = "skill",
    top: int | None = 20,
    rule: PublicationRule | None = PublicationRule(),
) -> ir.Table:
    """Skill genome: the items most distinctive of each occupation (ISCO) or sector (NACE).

    TF-IDF with the group as the document: ``tf = x_gs / n_g`` (the item's share of the
    group's adverts), ``idf = ln(G / G_s)`` with G groups that have adverts and G_s groups that
    mention the item; ``tfidf = tf · idf``. A skill every group asks for scores 0. Ranked within
    each group by tfidf, ties by item; ``top`` keeps the first ranks.

    Returns:
        Columns: group column, item, label, mentions, employers_with, adverts, tf, groups,
        groups_with, idf, tfidf, rank, suppressed.
    """
    c = _cells(tables, [group], None, item)
    a = _adverts(tables)
    groups = a.select(g=_clean(a, [group])[group]).distinct().aggregate(groups=ibis._.count())
    # groups mentioning the item as a window over the cells: one pass, not a second aggregation
    j = c.mutate(groups_with=ibis._.count().over(group_by="item")).cross_join(groups)
    tf = j.mentions.cast(_F64) / j.adverts
    idf = (j.groups.cast(_F64) / j.groups_with).ln()
    out = j.select(
        group,
        "item",
        "label",
        "mentions",
        "employers_with",
        "adverts",
        "employers",
        "groups",
        "groups_with",
        tf=tf,
        idf=idf,
        tfidf=tf * idf,
    )
    out = out.mutate(
        rank=ibis.row_number().over(group_by=out[group], order_by=[ibis.desc(out.tfidf), out.item])
        + 1
    )
    if top is not None:
        out = out.filter(out["rank"] <= top)
    return _publish(out, rule, ["mentions", "employers_with", "tf", "tfidf"])


def shortage_expr(
    tables: StoreTables,
    supply: ir.Table,
    *,
    by_country: bool = True,
    item: Item = "skill",
    since: int | None = None,
    rule: PublicationRule | None = PublicationRule(),
) -> ir.Table:
    """Shortage signal: an item's part of demand over its part of platform supply.

    ``demand_share = x_s / Σ_k x_k`` (the item's part of all item mentions in adverts),
    ``supply_share = (y_s + ½) / (Σ_k y_k + ½)`` where ``y`` counts credentials issued and
    passport holders with the item on this platform (:mod:`skillpass.intelligence.supply`);
    ``signal = ln(demand_share / supply_share)``; null where the group has no supply recorded
    at all. Positive: adverts ask for the item more than
    the platform's learners hold it. A signal of where to look, not a measured shortage: the
    platform's learners are not the labour force (docs/indicators.md, "Limits").

    Args:
        tables: The store's tables.
        supply: Ibis table with columns ``country``, ``item``, ``supply`` (counts only).
        by_country: Per country, or all countries together.
        item: skill or capability_area (``supply.item`` must be of the same kind).
        since: First month index (``year*12 + month - 1``) of demand; None: all months.
        rule: Publication rule on the demand cell.

    Returns:
        Columns: [country], item, label, mentions, employers_with, demand_share, supply,
        supply_share, signal, suppressed.
    """
    m = _mentions(tables, item)
    if since is not None:
        m = m.filter(_month_index(m.month) >= since)
    dims = ["country"] if by_country else []
    m = m.mutate(**_clean(m, dims))
    d = m.group_by([*dims, "item"]).agg(
        label=m.label.max(), mentions=m.count(), employers_with=m.employer_id.nunique()
    )
    over = [d[x] for x in dims]
    d = d.mutate(demand_share=d.mentions.cast(_F64) / d.mentions.sum().over(group_by=over))
    s = supply.mutate(**_clean(supply, dims))
    s = s.group_by([*dims, "item"]).agg(supply=s.supply.sum())
    s = s.select(*[s[x].name(f"s_{x}") for x in dims], s_item=s.item, supply=s.supply)
    preds = [d[x] == s[f"s_{x}"] for x in dims] + [d.item == s.s_item]
    j = d.left_join(s, preds)
    y = j.supply.fill_null(0)
    j = j.mutate(y=y)
    total = j.y.sum().over(group_by=[j[x] for x in dims])
    # no supply recorded for the group at all: no signal rather than a made-up one
    supply_share = _null_if(total == 0, (j.y.cast(_F64) + 0.5) / (total.cast(_F64) + 0.5))
    out = j.select(
        *dims,
        "item",
        "label",
        "mentions",
        "employers_with",
        "demand_share",
        supply=j.y,
        supply_share=supply_share,
        signal=(j.demand_share / supply_share).ln(),
    )
    return _publish(out, rule, ["mentions", "employers_with", "demand_share", "signal"])


# --- execution ---------------------------------------------------------------------------------


class IndicatorRunner:
    """Runs the indicator expressions on one engine and returns sorted pandas frames.

    Args:
        engine: From :func:`skillpass.intelligence.engines.connect`.
        tables: From :func:`skillpass.intelligence.engines.open_store`.
        rule: The publication rule (≥ 10 adverts, ≥ 3 employers by default).
    """

    def __init__(
        self, engine: Engine, tables: StoreTables, rule: PublicationRule = PublicationRule()
    ) -> None:
        self.engine = engine
        self.tables = tables
        self.rule = rule

    def execute(self, expr: ir.Table, order: Sequence[str]) -> pd.DataFrame:
        """Execute ``expr`` and return it sorted by ``order`` with a fresh index."""
        frame: pd.DataFrame = self.engine.to_pandas(expr)
        keys = [k for k in order if k in frame.columns]
        if keys:
            frame = frame.sort_values(keys, kind="mergesort")
        return frame.reset_index(drop=True)

    def latest_month_index(self) -> int:
        """Month index (``year*12 + month - 1``) of the newest advert."""
        s = self.tables.advert_skills
        value = self._scalar(_month_index(s.month.max()))
        if value is None or pd.isna(value):
            raise InvalidInput("The store has no adverts with a month: ingest adverts first.")
        return int(value)

    def has_synthetic(self) -> bool:
        """Whether any advert in the store is synthetic (outputs must then say so)."""
        s = self.tables.advert_skills
        return bool(self._scalar(s.synthetic.cast("int64").max()) or 0)

    def _scalar(self, expr: ir.Scalar) -> Any:
        return self.engine.scalar(expr)

    def share(
        self, *, by: Sequence[str] = (), period: Period = "month", item: Item = "skill"
    ) -> pd.DataFrame:
        """Skill share (:func:`share_expr`)."""
        expr = share_expr(self.tables, by=by, period=period, item=item, rule=self.rule)
        return self.execute(expr.drop("period_index"), [*by, "period", "item"])

    def growth(
        self, *, by: Sequence[str] = (), period: Period = "month", item: Item = "skill"
    ) -> pd.DataFrame:
        """Growth on a year earlier (:func:`growth_expr`)."""
        expr = growth_expr(self.tables, by=by, period=period, item=item, rule=self.rule)
        return self.execute(expr.drop("period_index"), [*by, "period", "item"])

    def emerging(
        self,
        *,
        by: Sequence[str] = (),
        item: Item = "skill",
        window: int = 3,
        as_of: int | None = None,
        min_mentions: int = 20,
        top: int | None = 20,
    ) -> pd.DataFrame:
        """Emerging items (:func:`emerging_expr`), best first, ``top`` per group."""
        if window < 1 or window > 12:
            raise InvalidInput("The emerging window is 1 to 12 months.")
        as_of = self.latest_month_index() if as_of is None else as_of
        expr = emerging_expr(
            self.tables,
            as_of=as_of,
            by=by,
            item=item,
            window=window,
            min_mentions=min_mentions,
            rule=self.rule,
        )
        if top is not None:
            expr = expr.filter(expr["rank"] <= top)
        frame = self.execute(expr, [*by, "rank"])
        frame.insert(0, "as_of", _month_label(as_of))
        return frame

    def location_quotients(
        self, *, region: str = "country", period: Period = "year", item: Item = "skill"
    ) -> pd.DataFrame:
        """Location quotients (:func:`location_quotient_expr`)."""
        expr = location_quotient_expr(
            self.tables, region=region, period=period, item=item, rule=self.rule
        )
        return self.execute(expr.drop("period_index"), [region, "period", "item"])

    def specialisation(
        self, *, region: str = "country", period: Period = "year", item: Item = "skill"
    ) -> pd.DataFrame:
        """Krugman specialisation per region (:func:`specialisation_expr`)."""
        expr = specialisation_expr(
            self.tables, region=region, period=period, item=item, rule=self.rule
        )
        return self.execute(expr.drop("period_index"), [region, "period"])

    def genome(
        self, *, group: str = "isco", item: Item = "skill", top: int | None = 20
    ) -> pd.DataFrame:
        """Skill genome per occupation or sector (:func:`genome_expr`)."""
        expr = genome_expr(self.tables, group=group, item=item, top=top, rule=self.rule)
        return self.execute(expr, [group, "rank"])

    def shortage(
        self,
        supply: pd.DataFrame,
        *,
        by_country: bool = True,
        item: Item = "skill",
        months: int | None = 12,
    ) -> pd.DataFrame:
        """Shortage signal (:func:`shortage_expr`) over the last ``months`` of demand.

        Args:
            supply: Columns ``country``, ``item``, ``supply`` (see
                :meth:`skillpass.intelligence.supply.SupplyCounts.as_frame`).
            by_country: Per country or all together.
            item: skill or capability_area.
            months: Months of demand up to the newest; None: all.
        """
        since = None if months is None else self.latest_month_index() - months + 1
        import pyarrow as pa

        arrow = pa.table(
            {
                "country": pa.array(supply["country"].astype(str).tolist(), pa.string()),
                "item": pa.array(supply["item"].astype(str).tolist(), pa.string()),
                "supply": pa.array([int(v) for v in supply["supply"]], pa.int64()),
            }
        )
        supply_table = ibis.memtable(arrow)
        expr = shortage_expr(
            self.tables,
            supply_table,
            by_country=by_country,
            item=item,
            since=since,
            rule=self.rule,
        )
        keys = ["country", "item"] if by_country else ["item"]
        result = self.execute(expr, keys)
        return result

    def run(self, name: str, **options: Any) -> pd.DataFrame:
        """Run one indicator by name (``INDICATORS``) with its keyword options."""
        if name not in INDICATORS:
            raise InvalidInput(f"Unknown indicator '{name}': use one of {', '.join(INDICATORS)}.")
        method = "location_quotients" if name == "location_quotient" else name
        result: pd.DataFrame = getattr(self, method)(**options)
        return result


def _month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
