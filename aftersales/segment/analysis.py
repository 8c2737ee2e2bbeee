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

    Parameters
    ----------
    by : str or sequence of str, optional
        The layer dimensions (see :func:`parse_by`); default ``("category", "reason")``. None or
        ``()``: one layer ``'all'``. Time dimensions need their period column in the source.
    source : str, optional
        A table name or a DuckDB table expression such as ``read_parquet('cases/*.parquet')``
        (default ``"cases"``). It needs logistics_cost, handling_cost, discount_loss and
        service_revenue (yuan) and the ``by`` columns.

    Returns
    -------
    str
        One query giving the columns of the ``by`` keys, cases, cost, net, share_of_cost and
        cumulative_share, largest cost first (ties by the keys), as :func:`layer_table`.

    Raises
    ------
    ValueError
        If a dimension is unknown.

    Notes
    -----
    cost = logistics_cost + handling_cost + discount_loss and net = service_revenue - cost per
    case; share_of_cost = layer cost / total cost; cumulative_share is the running sum of the
    shares in the Pareto order (a window ``ORDER BY cost DESC, keys``). Unlike
    :func:`layer_table`, no returns, cost per case or rates per order.

    Examples
    --------
    >>> print(layer_sql("category"))
    WITH layers AS (
      SELECT category, count(*) AS cases,
             sum(logistics_cost + handling_cost + discount_loss) AS cost,
             sum(service_revenue - logistics_cost - handling_cost - discount_loss) AS net
      FROM cases
      GROUP BY category
    )
    SELECT *, cost / sum(cost) OVER () AS share_of_cost,
           sum(cost) OVER (ORDER BY cost DESC, category ROWS UNBOUNDED PRECEDING) / sum(cost) OVER () AS cumulative_share
    FROM layers
    ORDER BY cost DESC, category
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
    """Run :func:`layer_sql` with DuckDB over Parquet file(s), as a DataFrame.

    Parameters
    ----------
    parquet : str or os.PathLike
        A Parquet file or a glob of them (``"cases/*.parquet"``), with the columns
        :func:`layer_sql` needs.
    by : str or sequence of str, optional
        The layer dimensions (default ``("category", "reason")``).

    Returns
    -------
    pandas.DataFrame
        The layers: keys, cases, cost, net (yuan), share_of_cost, cumulative_share, largest
        cost first.

    Examples
    --------
    The same layers as :func:`layer_table` in memory:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from aftersales.segment.generate import generate
    >>> cases, orders = generate(rows=300, seed=1)
    >>> cases = cases.assign(cost=cases.logistics_cost + cases.handling_cost + cases.discount_loss)
    >>> cases = cases.assign(net=cases.service_revenue - cases.cost)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     cases.to_parquet(Path(d) / "cases.parquet")
    ...     out = layers_duckdb(Path(d) / "cases.parquet", "category")
    >>> in_memory = layer_table(cases, "category")
    >>> out["category"].tolist() == in_memory["category"].tolist()
    True
    >>> bool(((out["cost"] - in_memory["cost"]).abs() < 1e-6).all()), round(float(out["cumulative_share"].iloc[-1]), 9)
    (True, 1.0)
    """
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
    """A code of the case data in ``lang``; other values as they are.

    Parameters
    ----------
    value : object
        A code (a category, reason, channel, case type, tier, set-aside reason ...); compared
        case-folded, runs of other characters as ``_``.
    lang : {"en", "zh", "both"}, optional
        The language (default ``"en"``: the code itself).

    Returns
    -------
    str
        The glossary's name of the code (``segv_<code>``) in ``lang``, else ``str(value)``.

    Examples
    --------
    >>> seg_label("size_fit", "zh"), seg_label("douyin", "zh"), seg_label("high", "both")
    ('尺码不合适', '抖音', 'high (高价值)')
    >>> seg_label("size_fit"), seg_label("O00000042", "zh")
    ('size_fit', 'O00000042')
    """
    from aftersales.glossary import has_label, label

    key = f"segv_{_key(value)}"
    return label(key, lang) if lang != "en" and has_label(key) else str(value)


def column_label(column: str, lang: str = "en") -> str:
    """A column's header in ``lang``; English keeps the column name.

    Parameters
    ----------
    column : str
        A column of the case data or of a layer, tier or strategy table.
    lang : {"en", "zh", "both"}, optional
        The language (default ``"en"``).

    Returns
    -------
    str
        The glossary's header (``segc_<column>``, else ``seg_<column>``), or the column name
        when there is none or ``lang`` is ``"en"``.

    Examples
    --------
    >>> column_label("cost_per_case", "zh"), column_label("category", "zh")
    ('单件成本(元)', '品类')
    >>> column_label("cost_per_case"), column_label("not_a_column", "zh")
    ('cost_per_case', 'not_a_column')
    """
    from aftersales.glossary import has_label, label

    if lang == "en":
        return column
    for key in (f"segc_{_key(column)}", f"seg_{column}"):
        if has_label(key):
            return label(key, lang)
    return column


def layer_name(layer: str, lang: str = "en") -> str:
    """A strategy layer such as ``"category=dresses, fit problems"`` in ``lang``.

    Parameters
    ----------
    layer : str
        The ``layer`` of a :func:`strategy_table` row: ``column=value`` parts and plain parts,
        joined by ``", "``.
    lang : {"en", "zh", "both"}, optional
        The language (default ``"en"``: as is).

    Returns
    -------
    str
        Each part named in ``lang`` (column by :func:`column_label`, value by :func:`seg_label`),
        joined by a Chinese comma when not English.

    Examples
    --------
    >>> layer_name("category=dresses, fit problems", "zh")
    '品类=连衣裙，尺码问题'
    >>> layer_name("category=dresses, fit problems")
    'category=dresses, fit problems'
    """
    if lang == "en":
        return layer
    parts = []
    for part in str(layer).split(", "):
        k, eq, v = part.partition("=")
        parts.append(f"{column_label(k, lang)}={seg_label(v, lang)}" if eq else seg_label(part, lang))
    return "，".join(parts)


def localise(frame: "pd.DataFrame", lang: str = "en") -> "pd.DataFrame":
    """``frame`` with the codes of :data:`LABELLED_COLUMNS` and the headers in ``lang``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table of the analysis (codes in English).
    lang : {"en", "zh", "both"}, optional
        The language (default ``"en"``: the frame itself, unchanged).

    Returns
    -------
    pandas.DataFrame
        A copy with the values of the labelled columns (but ``layer``) and of a labelled index
        named by :func:`seg_label`, and the headers by :func:`column_label`.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"category": ["dresses"], "reason": ["size_fit"], "cost": [700.0]})
    >>> localise(t, "zh").to_dict("records")
    [{'品类': '连衣裙', '原因': '尺码不合适', '成本(元)': 700.0}]
    >>> localise(t) is t
    True
    """
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
    """Two lines: the scenario, and what the layers are cut by and where the cases came from.

    Parameters
    ----------
    sc : Scenario
        The scenario of the analysis.
    by : sequence of str
        The layer dimensions.
    files : sequence of pathlib.Path
        The case files read (named by their file name).
    orders_path : str or os.PathLike or None
        The orders file; None adds a note that without orders there are no tiers and no rates
        per order.
    lang : {"en", "zh", "both"}, optional
        The language (default ``"en"``).

    Returns
    -------
    str

    Examples
    --------
    >>> from pathlib import Path
    >>> from aftersales import load_scenario
    >>> demo = load_scenario("seed-demo")
    >>> print(sources_summary(demo, ("category", "reason"), [Path("cases.csv")], "orders.csv"))
    Scenario 'seed-demo': The article's DEMO parameters: 80,000 customers, five services, storage billed per month.
    Layers by category x reason; cases from cases.csv
    >>> print(sources_summary(demo, (), [Path("cases.csv")], None, "zh"))
    情景：原文示例
    分层维度：（无）；工单来自 cases.csv；没有订单（没有客户分层，也没有单均比率）
    """
    from aftersales.glossary import label, scenario_name

    dims = " x ".join(column_label(d, lang) for d in by) or label("seg_none", lang)
    text = label("seg_scenario_line", lang, name=scenario_name(sc.name, lang) if lang != "en" else repr(sc.name))
    text += f": {sc.description}" if lang == "en" and sc.description else ""
    text += "\n" + label("seg_sources_line", lang, by=dims, files=", ".join(p.name for p in files))
    return text + ("" if orders_path else label("seg_no_orders_note", lang))


def cleaning_summary(res, lang: str = "en") -> str:
    """Rows in = clean + set aside, and the cost set aside, in one sentence.

    Parameters
    ----------
    res : CleanResult
        The cleaning outcome.
    lang : {"en", "zh", "both"}, optional
        The language (default ``"en"``).

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> from aftersales.segment.cleaning import clean_cases
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> blank = dict.fromkeys(CASE_COLUMNS, "")
    >>> res = clean_cases(pd.DataFrame([
    ...     {**blank, "case_id": "AS1", "opened_at": "2024-03-05", "case_type": "return", "logistics_cost": "20"},
    ...     {**blank, "case_id": "AS2", "opened_at": "yesterday", "case_type": "return", "handling_cost": "30"}]))
    >>> cleaning_summary(res)
    'rows in 2 = clean 1 + set aside 1 (cost set aside 30.00 yuan)'
    >>> cleaning_summary(res, "zh")
    '输入 2 行 = 清洗后 1 行 + 待修正 1 行（待修正记录的成本 30.00 元）'
    """
    from aftersales.glossary import fmt_number, fmt_yuan, label

    return label("seg_rows_line", lang, rows_in=fmt_number(res.rows_in), clean=fmt_number(res.rows_clean),
                 aside=fmt_number(res.rows_set_aside), cost=fmt_yuan(res.cost_set_aside, lang, 2))


def set_aside_reasons(res, lang: str = "en") -> "pd.DataFrame":
    """Rows set aside by reason (one column, ``rows``).

    Parameters
    ----------
    res : CleanResult
        The cleaning outcome.
    lang : {"en", "zh", "both"}, optional
        The language of the reasons and headers (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        Indexed by the reasons that occur, in the order of SET_ASIDE_REASONS.

    Examples
    --------
    >>> import pandas as pd
    >>> from aftersales.segment.cleaning import clean_cases
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> blank = dict.fromkeys(CASE_COLUMNS, "")
    >>> res = clean_cases(pd.DataFrame([
    ...     {**blank, "case_id": "AS1", "opened_at": "2024-03-05", "case_type": "return", "logistics_cost": "20"},
    ...     {**blank, "case_id": "AS2", "opened_at": "yesterday", "case_type": "return", "handling_cost": "30"}]))
    >>> set_aside_reasons(res)["rows"].to_dict()
    {'bad_date': 1}
    >>> set_aside_reasons(res, "zh").to_dict()
    {'行数': {'日期无效': 1}}
    """
    import pandas as pd

    t = pd.Series(res.reasons, name="rows", dtype="int64").rename_axis("set_aside_reason").to_frame()
    t = localise(t, lang)
    t.index.name = column_label("set-aside reason", lang) if lang != "en" else "set-aside reason"
    return t


def unattributed_table(res, lang: str = "en") -> "pd.DataFrame":
    """The fields set aside (the case stays): cases and cost by field.

    Parameters
    ----------
    res : CleanResult
        The cleaning outcome.
    lang : {"en", "zh", "both"}, optional
        The language of the fields and headers (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        Indexed by field (alphabetical), columns cases and cost (yuan); empty when no field is
        set aside.

    Examples
    --------
    The clean case has neither order nor customer id, nor labels:

    >>> import pandas as pd
    >>> from aftersales.segment.cleaning import clean_cases
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> blank = dict.fromkeys(CASE_COLUMNS, "")
    >>> res = clean_cases(pd.DataFrame([
    ...     {**blank, "case_id": "AS1", "opened_at": "2024-03-05", "case_type": "return", "logistics_cost": "20"},
    ...     {**blank, "case_id": "AS2", "opened_at": "yesterday", "case_type": "return", "handling_cost": "30"}]))
    >>> unattributed_table(res).loc[["order_id", "reason"]].to_dict("index")
    {'order_id': {'cases': 1, 'cost': 20.0}, 'reason': {'cases': 1, 'cost': 20.0}}
    """
    import pandas as pd

    t = pd.DataFrame(res.unattributed_summary()).T.drop(columns="reasons", errors="ignore")
    t = t.rename_axis("field")
    if lang == "en":
        return t.rename_axis("field set aside")
    t.index = [column_label(f, lang) for f in t.index.astype(str)]
    return t.rename(columns=lambda c: column_label(str(c), lang)).rename_axis(column_label("field set aside", lang))


def set_aside_detail(reason: str, detail: str, lang: str = "en") -> str:
    """A set-aside row's detail in ``lang``, rebuilt from its reason and the column and value it names.

    Parameters
    ----------
    reason : str
        The set-aside reason (``bad_date`` ...).
    detail : str
        The English detail, as the cleaning wrote it: the column first, the value in quotes or
        ``(empty)``.
    lang : {"en", "zh", "both"}, optional
        The language (default ``"en"``: the detail as it is).

    Returns
    -------
    str
        The detail in ``lang``; as it is when the glossary has no sentence for the reason.

    Examples
    --------
    >>> set_aside_detail("bad_date", "opened_at 'yesterday' is not a date (YYYY-MM-DD)", "zh")
    "申请日期 'yesterday' 不是日期（年-月-日）"
    >>> set_aside_detail("bad_date", "opened_at 'yesterday' is not a date (YYYY-MM-DD)")
    "opened_at 'yesterday' is not a date (YYYY-MM-DD)"
    """
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
    """The first set-aside row of each reason: what is wrong and where it came from.

    Parameters
    ----------
    res : CleanResult
        The cleaning outcome.
    lang : {"en", "zh", "both"}, optional
        The language of the reasons, details and headers (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        case_id, set_aside_reason, set_aside_detail, source_file, source_row: one row per
        reason, the first in the order of the set-aside rows.

    Examples
    --------
    >>> import pandas as pd
    >>> from aftersales.segment.cleaning import clean_cases
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> blank = dict.fromkeys(CASE_COLUMNS, "")
    >>> res = clean_cases(pd.DataFrame([
    ...     {**blank, "case_id": "AS1", "opened_at": "2024-03-05", "case_type": "return", "logistics_cost": "20"},
    ...     {**blank, "case_id": "AS2", "opened_at": "yesterday", "case_type": "return", "handling_cost": "30"}]))
    >>> set_aside_examples(res)[["case_id", "set_aside_detail", "source_row"]].values.tolist()
    [['AS2', "opened_at 'yesterday' is not a date (YYYY-MM-DD)", 2]]
    """
    cols = ["case_id", "set_aside_reason", "set_aside_detail", "source_file", "source_row"]
    t = res.set_aside[cols].groupby("set_aside_reason").head(1).copy()
    if lang != "en":
        t["set_aside_detail"] = [set_aside_detail(r, d, lang) for r, d in zip(t["set_aside_reason"],
                                                                               t["set_aside_detail"])]
    return localise(t, lang)


def tiers_summary(ds, lang: str = "en") -> str:
    """One line: how many customers were tiered from how many orders.

    Parameters
    ----------
    ds : Dataset
        A loaded dataset (its tiers and orders).
    lang : {"en", "zh", "both"}, optional
        The language (default ``"en"``).

    Returns
    -------
    str
        The line, or a note that there are no tiers when the dataset has no orders.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"order_id": ["O1", "O2", "O3"], "customer_id": ["C1", "C1", "C2"],
    ...                        "ordered_at": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-02-03"]),
    ...                        "amount": [800.0, 600, 300]})
    >>> ds = Dataset(cases=pd.DataFrame(), result=None, orders=orders, tiers=rfm_tiers(orders))
    >>> tiers_summary(ds)
    '2 customers with 3 orders (monetary value net of refunds)'
    """
    from aftersales.glossary import fmt_number, label

    if ds.tiers is None:
        return label("seg_no_tiers", lang)
    return label("seg_tiers_line", lang, customers=fmt_number(len(ds.tiers)), orders=fmt_number(len(ds.orders)))


def tier_crosstab(tiers: "pd.DataFrame", lang: str = "en") -> "pd.DataFrame":
    """Customers by RFM segment x value tier, with totals.

    Parameters
    ----------
    tiers : pandas.DataFrame
        RFM tiers per customer (from :func:`rfm_tiers`): segment and value_tier.
    lang : {"en", "zh", "both"}, optional
        The language of the segments, tiers and headers (default ``"en"``).

    Returns
    -------
    pandas.DataFrame
        Customers, segments as rows and value tiers as columns (each sorted by its label in
        ``lang``), with an ``All`` row and column.

    Examples
    --------
    >>> from aftersales.segment.generate import generate
    >>> cases, orders = generate(rows=300, seed=1)
    >>> cases = cases.assign(cost=cases.logistics_cost + cases.handling_cost + cases.discount_loss)
    >>> cases = cases.assign(net=cases.service_revenue - cases.cost)
    >>> table = tier_crosstab(rfm_tiers(orders))
    >>> table.columns.tolist(), table.loc["All"].tolist()
    (['high', 'low', 'mid', 'All'], [67, 70, 122, 259])
    """
    import pandas as pd

    seg = [seg_label(v, lang) for v in tiers["segment"].astype(str)]
    tier = [seg_label(v, lang) for v in tiers["value_tier"].astype(str)]
    t = pd.crosstab(pd.Series(seg, name=column_label("segment", lang)),
                    pd.Series(tier, name=column_label("value_tier", lang)), margins=True,
                    margins_name=column_label("All", lang) if lang != "en" else "All")
    return t


def layers_summary(cases: "pd.DataFrame", vf: dict, threshold: float, lang: str = "en") -> str:
    """Total cost and net, and how many layers carry the threshold share of the cost.

    Parameters
    ----------
    cases : pandas.DataFrame
        The cases layered (cost and net, yuan).
    vf : dict
        Their :func:`vital_few_summary`.
    threshold : float
        The share of the cost (0-1) of the vital few.
    lang : {"en", "zh", "both"}, optional
        The language (default ``"en"``).

    Returns
    -------
    str
        Money in wan yuan (1 wan = 10,000 yuan).

    Examples
    --------
    >>> from aftersales.segment.generate import generate
    >>> cases, orders = generate(rows=300, seed=1)
    >>> cases = cases.assign(cost=cases.logistics_cost + cases.handling_cost + cases.discount_loss)
    >>> cases = cases.assign(net=cases.service_revenue - cases.cost)
    >>> vf = vital_few_summary(layer_table(cases, "category"))
    >>> layers_summary(cases, vf, 0.8)
    'total cost 7.9 wan yuan, net -7.5 wan yuan; 5 of 7 layers carry 80% of the cost and hold 85.3% of the cases'
    """
    from aftersales.glossary import fmt_wan, label

    return label("seg_total_line", lang, cost=fmt_wan(float(cases["cost"].sum()), lang),
                 net=fmt_wan(float(cases["net"].sum()), lang), n=vf["vital_few_layers"], layers=vf["layers"],
                 threshold=threshold, cases=vf["vital_few_share_of_cases"])


def layer_view(layers: "pd.DataFrame", by, lang: str = "en", n: int = 12):
    """The first ``n`` layers with their cost, net, shares and rates, formatted, in ``lang``.

    Parameters
    ----------
    layers : pandas.DataFrame
        A layer table (from :func:`layer_table`).
    by : sequence of str
        Its dimensions (the key columns shown first).
    lang : {"en", "zh", "both"}, optional
        The language of the values and headers (default ``"en"``).
    n : int, optional
        How many layers (default 12).

    Returns
    -------
    pandas.io.formats.style.Styler
        Yuan with thousands separators, shares and rates as per cent.

    Examples
    --------
    >>> from aftersales.segment.generate import generate
    >>> cases, orders = generate(rows=300, seed=1)
    >>> cases = cases.assign(cost=cases.logistics_cost + cases.handling_cost + cases.discount_loss)
    >>> cases = cases.assign(net=cases.service_revenue - cases.cost)
    >>> view = layer_view(layer_table(cases, "category", orders=orders), ["category"], "zh", n=3)
    >>> view.data.shape, list(view.data.columns[:4])
    ((3, 10), ['品类', '工单数', '成本(元)', '净额(元)'])
    """
    show = [*(by or ["layer"]), "cases", "cost", "net", "share_of_cost", "cumulative_share", "cost_per_case"]
    show += [c for c in ("case_rate", "return_rate", "cost_per_order") if c in layers.columns]
    t = layers[[c for c in show if c in layers.columns]].head(n)
    if "layer" in t.columns and lang != "en":
        t = t.assign(layer=[seg_label(v, lang) for v in t["layer"]])
    return _styled(t, _LAYER_FORMATS, lang, hide_index=False)


def tier_view(tt: "pd.DataFrame", lang: str = "en"):
    """The tier table, formatted, in ``lang``.

    Parameters
    ----------
    tt : pandas.DataFrame
        A tier table (from :func:`tier_table`).
    lang : {"en", "zh", "both"}, optional
        The language of the tiers and headers (default ``"en"``).

    Returns
    -------
    pandas.io.formats.style.Styler
        Yuan with thousands separators, rates and shares as per cent, no index.

    Examples
    --------
    >>> from aftersales.segment.generate import generate
    >>> cases, orders = generate(rows=300, seed=1)
    >>> cases = cases.assign(cost=cases.logistics_cost + cases.handling_cost + cases.discount_loss)
    >>> cases = cases.assign(net=cases.service_revenue - cases.cost)
    >>> view = tier_view(tier_table(cases, orders), "zh")
    >>> list(view.data.columns[:4])
    ['客户层级', '客户数', '订单数', '消费额(元)']
    """
    return _styled(tt, {"revenue": "{:,.0f}", "cost": "{:,.0f}", "net": "{:,.0f}", "value_per_customer": "{:,.0f}",
                        "case_rate": "{:.2%}", "cost_per_case": "{:,.1f}", "cost_per_customer": "{:,.1f}",
                        "cost_share_of_revenue": "{:.2%}"}, lang)


def cut_summary(one: dict, cut: float, top, by, lang: str = "en", largest: bool | None = None) -> str:
    """What a cut of a layer saves: cost, cash, the salaried team and the refunds kept.

    Parameters
    ----------
    one : dict
        The outcome of :func:`cut_savings` for that layer.
    cut : float
        The share (0-1) of the layer's cases cut.
    top : mapping
        The layer: its value per dimension (a row of a layer table, or just the values).
    by : sequence of str
        The dimensions of the layer (none: the layer ``all``).
    lang : {"en", "zh", "both"}, optional
        The language (default ``"en"``).
    largest : bool, optional
        Whether the sentence calls it "the largest layer". None (default): read from ``top``,
        the largest when it is a row of a layer table in first place (its ``cumulative_share``
        is its own ``share_of_cost``, above 0); a plain mapping of values is "the layer".

    Returns
    -------
    str
        Money in yuan.

    Notes
    -----
    As :func:`cut_savings` counts it: the cost saved is cut x the layer's cost; the cash saved
    leaves out the salaried handling cost (paid anyway); refunds avoided are sales kept, not
    profit.

    Examples
    --------
    >>> from aftersales.segment.generate import generate
    >>> cases, orders = generate(rows=300, seed=1)
    >>> cases = cases.assign(cost=cases.logistics_cost + cases.handling_cost + cases.discount_loss)
    >>> cases = cases.assign(net=cases.service_revenue - cases.cost)
    >>> one = cut_savings(cases, 0.3, reasons="size_fit")
    >>> cut_summary(one, 0.3, {"reason": "size_fit"}, ["reason"])
    'A 30% cut of the layer size_fit saves 5,919 yuan of cost (7.5% of all after-sales cost), of which 2,286 yuan in cash: the salaried team (3,633 yuan) is paid anyway; refunds avoided 20,567 yuan are sales kept, not profit'
    >>> cut_summary(one, 0.3, {"reason": "size_fit"}, ["reason"], largest=True)[:41]
    'A 30% cut of the largest layer (size_fit)'
    """
    from aftersales.glossary import fmt_yuan, label

    if largest is None:
        try:
            share, cum = float(top["share_of_cost"]), float(top["cumulative_share"])
        except (KeyError, TypeError, ValueError):
            largest = False
        else:
            largest = share > 0 and abs(cum - share) <= 1e-12
    return label("seg_cut_line" if largest else "seg_cut_line_layer", lang, cut=cut, layer=" / ".join(seg_label(top[k], lang) for k in by) or
                 seg_label("all", lang), saved=fmt_yuan(one["cost_saved"], lang), share=one["share_of_total_cost"],
                 cash=fmt_yuan(one["cash_saved"], lang), fixed=fmt_yuan(one["fixed_cost_kept"], lang),
                 refunds=fmt_yuan(one["refunds_avoided"], lang))


def what_if_view(table: "pd.DataFrame", lang: str = "en"):
    """The article's measures side by side (:func:`what_if_table`), formatted, in ``lang``.

    Parameters
    ----------
    table : pandas.DataFrame
        A what-if table (from :func:`what_if_table`).
    lang : {"en", "zh", "both"}, optional
        The language (default ``"en"``): the measure's name in English or Chinese.

    Returns
    -------
    pandas.io.formats.style.Styler
        Yuan with thousands separators, the cut and the share of total cost as per cent.

    References
    ----------
    .. [1] "售后分析精细化分层" (the second seed article): the measures it proposes (better
       descriptions, size guides, faster logistics, fewer returns).

    Examples
    --------
    >>> from aftersales.segment.generate import generate
    >>> cases, orders = generate(rows=300, seed=1)
    >>> cases = cases.assign(cost=cases.logistics_cost + cases.handling_cost + cases.discount_loss)
    >>> cases = cases.assign(net=cases.service_revenue - cases.cost)
    >>> table = what_if_table(cases)
    >>> what_if_view(table).data.iloc[0, 0], what_if_view(table, "zh").data.iloc[0, 0]
    ('better product descriptions', '优化商品描述')
    """
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
    """The strategy table (:func:`strategy_table`), its evidence in words, formatted, in ``lang``.

    Parameters
    ----------
    plan : pandas.DataFrame
        A strategy table (from :func:`strategy_table`).
    lang : {"en", "zh", "both"}, optional
        The language (default ``"en"``); in Chinese the layer names and the evidence are
        rebuilt from the figures and the English action column is dropped.

    Returns
    -------
    pandas.io.formats.style.Styler
        action (and action_zh in English), layer, cases, rate, average_rate, cash_cost (yuan),
        evidence.

    Examples
    --------
    >>> from aftersales.segment.generate import generate
    >>> cases, orders = generate(rows=1000, seed=1)
    >>> cases = cases.assign(cost=cases.logistics_cost + cases.handling_cost + cases.discount_loss)
    >>> cases = cases.assign(net=cases.service_revenue - cases.cost)
    >>> view = strategy_view(strategy_table(cases, orders), "zh")
    >>> list(view.data.columns)
    ['措施', '分层', '工单数', '比率', '平均比率', '现金成本(元)', '依据']
    >>> view.data.iloc[0, 1]
    '品类=连衣裙，描述不符与色差'
    """
    t = plan[["action", "action_zh", "layer", "cases", "rate", "average_rate", "cash_cost", "evidence"]].copy()
    t["evidence"] = [_evidence(r, lang) for _, r in plan.iterrows()]
    if lang != "en":
        t = t.drop(columns="action_zh").assign(layer=[layer_name(v, lang) for v in t["layer"]])
    return _styled(t, {"cash_cost": "{:,.0f}", "rate": "{:.1%}", "average_rate": "{:.1%}"}, lang)


def halves(cases: "pd.DataFrame", dims, seed: int = 0, lang: str = "en", n: int = 5):
    """The top ``n`` layers of two random halves of the cases side by side, and how many agree.

    A check that the layers are not noise: the vital few of a real cause come out in both halves.

    Parameters
    ----------
    cases : pandas.DataFrame
        The cases (cost, net and the ``dims`` columns).
    dims : sequence of str
        The layer dimensions.
    seed : int, optional
        The seed of the random split (default 0).
    lang : {"en", "zh", "both"}, optional
        The language (default ``"en"``).
    n : int, optional
        How many top layers to compare (default 5).

    Returns
    -------
    compare : pandas.DataFrame
        Columns ``half A`` and ``half B``: the top layers of each, largest cost first.
    sentence : str
        How many of the top layers are the same in both halves.

    Examples
    --------
    >>> from aftersales.segment.generate import generate
    >>> cases, orders = generate(rows=300, seed=1)
    >>> cases = cases.assign(cost=cases.logistics_cost + cases.handling_cost + cases.discount_loss)
    >>> cases = cases.assign(net=cases.service_revenue - cases.cost)
    >>> compare, sentence = halves(cases, ["category"], seed=0, n=3)
    >>> compare.values.tolist()
    [['dresses', 'trousers'], ['tops', 'dresses'], ['trousers', 'outerwear']]
    >>> sentence
    '2 of the top 3 layers are the same in both halves'
    """
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
