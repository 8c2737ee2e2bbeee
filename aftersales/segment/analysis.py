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
This module also holds the layering as SQL for data larger than memory.
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
           "what_if_table", "MEASURES", "strategy_table", "segment", "layer_sql", "layers_duckdb"]


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
