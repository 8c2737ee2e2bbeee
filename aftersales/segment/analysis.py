"""Stratified after-sales analytics (售后分析精细化分层): one import for layers, tiers, strategy.

The second seed article asks what a BI tool would do for after-sales: collect the case
records, clean them, find what drives the cost, split it into **layers (分层)** and turn the
layers into strategy. The code lives by concept and is re-exported here:

- :mod:`~aftersales.segment.orders`: the orders file, checked row by row (bad rows set aside);
- :mod:`~aftersales.segment.tiers`: RFM scores and the **customer value tier (客户价值分层)**;
- :mod:`~aftersales.segment.layers`: cases, cost, net and rates by any dimensions (time too),
  the Pareto order and the vital few;
- :mod:`~aftersales.segment.strategy`: what a cut would save and the strategy rules;
- :mod:`~aftersales.segment.joins`: repair records and customer feedback joined to the cases;
- :mod:`~aftersales.segment.pipeline`: :func:`segment`, the JSON of ``python -m aftersales segment``.

Money in yuan; shares 0-1; rates per order. Layer costs always sum to the total cost.
This module also holds the layering as SQL for data larger than memory, and the tables and
sentences notebook 05 shows, in English or Chinese (``lang``, the glossary's rule), rendered from
the structured results (the codes stay English in the data: ``size_fit``, ``douyin``, ``bad_date``).
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from aftersales.segment.layers import (DIMENSIONS, ORDER_DIMENSIONS, TIME_DIMENSIONS, ZH, layer_table,
                                       pareto, parse_by, vital_few, vital_few_summary)
from aftersales.segment.orders import load_orders
from aftersales.segment.pipeline import Dataset, load_dataset, segment
from aftersales.segment.strategy import (MEASURES, StrategyRules, cut_savings, strategy_table,
                                         what_if_table)
from aftersales.segment.tiers import CUSTOMER_TIERS, SEGMENTS, attach_tiers, rfm_tiers, tier_table

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["DIMENSIONS", "ORDER_DIMENSIONS", "TIME_DIMENSIONS", "CUSTOMER_TIERS", "SEGMENTS", "ZH", "Dataset",
           "StrategyRules", "load_orders", "load_dataset", "rfm_tiers", "attach_tiers", "parse_by",
           "layer_table", "pareto", "vital_few", "vital_few_summary", "tier_table", "cut_savings",
           "what_if_table", "MEASURES", "strategy_table", "segment", "layer_sql", "layers_duckdb",
           "LABELLED_COLUMNS", "seg_label", "column_label", "layer_name", "localise", "sources_summary",
           "cleaning_summary", "set_aside_reasons", "unattributed_table", "set_aside_detail", "set_aside_examples",
           "tiers_summary", "tier_crosstab", "layers_summary", "layer_view", "tier_view", "cut_summary",
           "what_if_view", "strategy_view", "halves"]


# ------------------------------------------------------------------------------ out of memory
def layer_sql(by=("category", "reason"), source: str = "cases") -> str:
    """The layering of :func:`layer_table` as SQL (DuckDB), for data larger than memory.

    source: a table name or a DuckDB table expression such as read_parquet('cases/*.parquet').
    """
    by = list(parse_by(by))
    keys = ", ".join(by)
    sel = f"{keys}, " if by else "'all' AS layer, "
    group = f"GROUP BY {keys}" if by else ""
    order = ", ".join(["cost DESC"] + (by or ["layer"]))
    return (f"WITH layers AS (\n"
            f"  SELECT {sel}count(*) AS cases,\n"
            f"         sum(logistics_cost + handling_cost + discount_loss) AS cost,\n"
            f"         sum(service_revenue - logistics_cost - handling_cost - discount_loss) AS net\n"
            f"  FROM {source}\n  {group}\n)\n"
            f"SELECT *, cost / sum(cost) OVER () AS share_of_cost,\n"
            f"       sum(cost) OVER (ORDER BY {order} ROWS UNBOUNDED PRECEDING) / sum(cost) OVER ()"
            f" AS cumulative_share\n"
            f"FROM layers\nORDER BY {order}")


def layers_duckdb(parquet: str | os.PathLike, by=("category", "reason")) -> "pd.DataFrame":
    """Run :func:`layer_sql` with DuckDB over Parquet file(s) (a path or a glob), as a DataFrame."""
    import duckdb

    src = "read_parquet('" + str(parquet).replace("'", "''") + "')"
    con = duckdb.connect()
    try:
        return con.execute(layer_sql(by, src)).df()
    finally:
        con.close()


# ------------------------------------------------------------------------------ shown in the student's language
# The tables and sentences of notebook 05 and the explorer, in English or Chinese (the glossary's
# rule), rendered from the structured results: the cleaning, the layers and the strategy keep
# their English codes (size_fit, douyin, bad_date), the reader sees them in her language.
#: Columns whose values are codes with a name in the glossary (``segv_<code>``).
LABELLED_COLUMNS = ("category", "reason", "channel", "case_type", "customer_tier", "segment", "value_tier",
                    "set_aside_reason", "action", "layer", "field")


def _key(value) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "_", str(value).casefold()).strip("_")


def seg_label(value, lang: str = "en") -> str:
    """A code of the case data in ``lang``: ``seg_label("size_fit", "zh") == "尺码不合适"``; others as they are."""
    from aftersales.glossary import has_label, label

    key = f"segv_{_key(value)}"
    return label(key, lang) if lang != "en" and has_label(key) else str(value)


def column_label(column: str, lang: str = "en") -> str:
    """A column's header in ``lang`` (``"cost_per_case"`` -> ``"单件成本(元)"``); English keeps the column name."""
    from aftersales.glossary import has_label, label

    if lang == "en":
        return column
    for key in (f"segc_{_key(column)}", f"seg_{column}"):
        if has_label(key):
            return label(key, lang)
    return column


def layer_name(layer: str, lang: str = "en") -> str:
    """A strategy layer ``"category=dresses, fit problems"`` in ``lang`` ("品类=连衣裙，尺码问题")."""
    if lang == "en":
        return layer
    parts = []
    for part in str(layer).split(", "):
        k, eq, v = part.partition("=")
        parts.append(f"{column_label(k, lang)}={seg_label(v, lang)}" if eq else seg_label(part, lang))
    return "，".join(parts)


def localise(frame: "pd.DataFrame", lang: str = "en") -> "pd.DataFrame":
    """``frame`` with the codes of :data:`LABELLED_COLUMNS` and the headers in ``lang`` (English: as is)."""
    if lang == "en":
        return frame
    out = frame.copy()
    for c in out.columns:
        if c in LABELLED_COLUMNS and c != "layer":
            out[c] = [seg_label(v, lang) for v in out[c].astype(str)]
    if out.index.name in LABELLED_COLUMNS:
        out.index = [seg_label(v, lang) for v in out.index.astype(str)]
    return out.rename(columns=lambda c: column_label(str(c), lang))


def _styled(frame: "pd.DataFrame", formats: dict, lang: str, hide_index: bool = True):
    shown = localise(frame, lang)
    fm = {column_label(k, lang): v for k, v in formats.items() if k in frame.columns}
    st = shown.style.format(fm, na_rep="-")
    return st.hide(axis="index") if hide_index else st


_LAYER_FORMATS = {"cost": "{:,.0f}", "net": "{:,.0f}", "share_of_cost": "{:.1%}", "cumulative_share": "{:.1%}",
                  "cost_per_case": "{:,.1f}", "case_rate": "{:.2%}", "return_rate": "{:.2%}",
                  "cost_per_order": "{:,.1f}"}


def sources_summary(sc, by, files, orders_path, lang: str = "en") -> str:
    """Two lines: the scenario, and what the layers are cut by and where the cases came from."""
    from aftersales.glossary import label, scenario_name

    dims = " x ".join(column_label(d, lang) for d in by) or label("seg_none", lang)
    text = label("seg_scenario_line", lang, name=scenario_name(sc.name, lang) if lang != "en" else repr(sc.name))
    text += f": {sc.description}" if lang == "en" and sc.description else ""
    text += "\n" + label("seg_sources_line", lang, by=dims, files=", ".join(p.name for p in files))
    return text + ("" if orders_path else label("seg_no_orders_note", lang))


def cleaning_summary(res, lang: str = "en") -> str:
    """Rows in = clean + set aside, and the cost set aside, in one sentence."""
    from aftersales.glossary import fmt_number, fmt_yuan, label

    return label("seg_rows_line", lang, rows_in=fmt_number(res.rows_in), clean=fmt_number(res.rows_clean),
                 aside=fmt_number(res.rows_set_aside), cost=fmt_yuan(res.cost_set_aside, lang, 2))


def set_aside_reasons(res, lang: str = "en") -> "pd.DataFrame":
    """Rows set aside by reason (one column, ``rows``)."""
    import pandas as pd

    t = pd.Series(res.reasons, name="rows", dtype="int64").rename_axis("set_aside_reason").to_frame()
    t = localise(t, lang)
    t.index.name = column_label("set-aside reason", lang) if lang != "en" else "set-aside reason"
    return t


def unattributed_table(res, lang: str = "en") -> "pd.DataFrame":
    """The fields set aside (the case stays): cases and cost by field."""
    import pandas as pd

    t = pd.DataFrame(res.unattributed_summary()).T.drop(columns="reasons", errors="ignore")
    t = t.rename_axis("field")
    if lang == "en":
        return t.rename_axis("field set aside")
    t.index = [column_label(f, lang) for f in t.index.astype(str)]
    return t.rename(columns=lambda c: column_label(str(c), lang)).rename_axis(column_label("field set aside", lang))


def set_aside_detail(reason: str, detail: str, lang: str = "en") -> str:
    """A set-aside row's detail in ``lang``, rebuilt from its reason and the column and value it names."""
    import re

    from aftersales.glossary import has_label, label

    key = f"seg_detail_{reason}"
    if lang == "en" or not has_label(key):
        return detail
    col = str(detail).split(" ", 1)[0]
    m = re.search(r"'(.*)'|\((empty)\)", str(detail))
    val = label("seg_empty_value", lang) if m and m.group(2) else (f"'{m.group(1)}'" if m else "")
    return label(key, lang, col=column_label(col, lang), val=val)


def set_aside_examples(res, lang: str = "en") -> "pd.DataFrame":
    """The first set-aside row of each reason: what is wrong and where it came from."""
    cols = ["case_id", "set_aside_reason", "set_aside_detail", "source_file", "source_row"]
    t = res.set_aside[cols].groupby("set_aside_reason").head(1).copy()
    if lang != "en":
        t["set_aside_detail"] = [set_aside_detail(r, d, lang) for r, d in zip(t["set_aside_reason"],
                                                                               t["set_aside_detail"])]
    return localise(t, lang)


def tiers_summary(ds, lang: str = "en") -> str:
    from aftersales.glossary import fmt_number, label

    if ds.tiers is None:
        return label("seg_no_tiers", lang)
    return label("seg_tiers_line", lang, customers=fmt_number(len(ds.tiers)), orders=fmt_number(len(ds.orders)))


def tier_crosstab(tiers: "pd.DataFrame", lang: str = "en") -> "pd.DataFrame":
    """Customers by RFM segment x value tier, with totals."""
    import pandas as pd

    seg = [seg_label(v, lang) for v in tiers["segment"].astype(str)]
    tier = [seg_label(v, lang) for v in tiers["value_tier"].astype(str)]
    t = pd.crosstab(pd.Series(seg, name=column_label("segment", lang)),
                    pd.Series(tier, name=column_label("value_tier", lang)), margins=True,
                    margins_name=column_label("All", lang) if lang != "en" else "All")
    return t


def layers_summary(cases: "pd.DataFrame", vf: dict, threshold: float, lang: str = "en") -> str:
    """Total cost and net, and how many layers carry the threshold share of the cost."""
    from aftersales.glossary import fmt_wan, label

    return label("seg_total_line", lang, cost=fmt_wan(float(cases["cost"].sum()), lang),
                 net=fmt_wan(float(cases["net"].sum()), lang), n=vf["vital_few_layers"], layers=vf["layers"],
                 threshold=threshold, cases=vf["vital_few_share_of_cases"])


def layer_view(layers: "pd.DataFrame", by, lang: str = "en", n: int = 12):
    """The first ``n`` layers with their cost, net, shares and rates, formatted, in ``lang``."""
    show = [*(by or ["layer"]), "cases", "cost", "net", "share_of_cost", "cumulative_share", "cost_per_case"]
    show += [c for c in ("case_rate", "return_rate", "cost_per_order") if c in layers.columns]
    t = layers[[c for c in show if c in layers.columns]].head(n)
    if "layer" in t.columns and lang != "en":
        t = t.assign(layer=[seg_label(v, lang) for v in t["layer"]])
    return _styled(t, _LAYER_FORMATS, lang, hide_index=False)


def tier_view(tt: "pd.DataFrame", lang: str = "en"):
    """The tier table, formatted, in ``lang``."""
    return _styled(tt, {"revenue": "{:,.0f}", "cost": "{:,.0f}", "net": "{:,.0f}", "value_per_customer": "{:,.0f}",
                        "case_rate": "{:.2%}", "cost_per_case": "{:,.1f}", "cost_per_customer": "{:,.1f}",
                        "cost_share_of_revenue": "{:.2%}"}, lang)


def cut_summary(one: dict, cut: float, top, by, lang: str = "en") -> str:
    """What a cut of the largest layer saves: cost, cash, the salaried team and the refunds kept."""
    from aftersales.glossary import fmt_yuan, label

    return label("seg_cut_line", lang, cut=cut, layer=" / ".join(seg_label(top[k], lang) for k in by) or
                 seg_label("all", lang), saved=fmt_yuan(one["cost_saved"], lang), share=one["share_of_total_cost"],
                 cash=fmt_yuan(one["cash_saved"], lang), fixed=fmt_yuan(one["fixed_cost_kept"], lang),
                 refunds=fmt_yuan(one["refunds_avoided"], lang))


def what_if_view(table: "pd.DataFrame", lang: str = "en"):
    """The article's measures side by side (:func:`what_if_table`), formatted, in ``lang``."""
    t = table.drop(columns="measure_zh") if lang == "en" else \
        table.assign(measure=table["measure_zh"]).drop(columns="measure_zh")
    fm = {c: "{:,.0f}" for c in ("cases_avoided", "cost_saved", "cash_saved", "fixed_cost_kept", "net_gain",
                                 "refunds_avoided")}
    return _styled(t, {**fm, "cut": "{:.0%}", "share_of_total_cost": "{:.1%}"}, lang)


def _evidence(row, lang: str) -> str:
    import math
    import re

    from aftersales.glossary import fmt_number, label

    if lang == "en":
        return row["evidence"]
    if str(row["layer"]).startswith("customer_tier="):
        return label("seg_evidence_tier", lang, rate=row["rate"], ratio=row["rate_ratio"], avg=row["average_rate"])
    what = str(row["layer"]).split(", ", 1)[-1]
    unit = "orders" if re.search(r" in [\d,]+ orders:", str(row["evidence"])) else "cases"
    z = row["z"] if row["z"] is not None and not math.isnan(row["z"]) else float("nan")
    return label("seg_evidence_rate", lang, cases=fmt_number(row["cases"]), what=seg_label(what, lang),
                 base=fmt_number(row["base"]), unit=label(f"seg_unit_{unit}", lang), rate=row["rate"],
                 ratio=row["rate_ratio"], avg=row["average_rate"], z=z)


def strategy_view(plan: "pd.DataFrame", lang: str = "en"):
    """The strategy table (:func:`strategy_table`), its evidence in words, formatted, in ``lang``."""
    t = plan[["action", "action_zh", "layer", "cases", "rate", "average_rate", "cash_cost", "evidence"]].copy()
    t["evidence"] = [_evidence(r, lang) for _, r in plan.iterrows()]
    if lang != "en":
        t = t.drop(columns="action_zh").assign(layer=[layer_name(v, lang) for v in t["layer"]])
    return _styled(t, {"cash_cost": "{:,.0f}", "rate": "{:.1%}", "average_rate": "{:.1%}"}, lang)


def halves(cases: "pd.DataFrame", dims, seed: int = 0, lang: str = "en", n: int = 5):
    """The top ``n`` layers of two random halves of the cases side by side, and a sentence on how many agree."""
    import numpy as np
    import pandas as pd

    from aftersales.glossary import label

    half = np.random.default_rng(seed).permutation(len(cases)) < len(cases) // 2
    tops = []
    for part in (cases.loc[half], cases.loc[~half]):
        t = layer_table(part, dims)[list(dims)].astype(str).head(n)
        tops.append([" / ".join(seg_label(v, lang) for v in row) for row in t.itertuples(index=False)])
    same = len(set(tops[0]) & set(tops[1]))
    compare = pd.DataFrame({column_label("half A", lang): tops[0], column_label("half B", lang): tops[1]})
    return compare, label("seg_halves_line", lang, same=same, n=len(tops[0]))
