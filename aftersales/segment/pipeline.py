"""The whole pipeline: load every source, join, tier, layer; the JSON of ``segment``."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from aftersales.segment.layers import TIME_DIMENSIONS, layer_table, parse_by, vital_few_summary
from aftersales.segment.tiers import attach_tiers, orders_lack_refunds, rfm_tiers

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Dataset", "load_dataset", "segment", "OUTPUT_FILES", "output_files", "assemble", "merge_summaries",
           "totals_of"]

#: The files ``segment --out DIR`` writes (UTF-8 with BOM); none is overwritten without --force.
OUTPUT_FILES = ("cases_clean.csv", "cases_set_aside.csv", "fields_set_aside.csv", "layers.csv",
                "unmatched.csv", "orders_set_aside.csv", "strategy.csv")


def output_files(orders_path=None, strategy: bool = True) -> tuple[str, ...]:
    """The :data:`OUTPUT_FILES` one request writes: orders_set_aside.csv only with orders,
    strategy.csv only with the strategy table."""
    skip = {"orders_set_aside.csv"} if orders_path is None else set()
    skip |= set() if strategy else {"strategy.csv"}
    return tuple(n for n in OUTPUT_FILES if n not in skip)


@dataclass
class Dataset:
    """Clean cases (with customer_tier), the cleaning outcome, orders and customer tiers.

    joins: {"orders", "repairs", "feedback"} reports of the joins that were made;
    unmatched: the unmatched rows of every join (see :data:`~aftersales.segment.joins.UNMATCHED_COLUMNS`);
    orders_result: the orders' cleaning outcome (rows set aside) when orders were loaded.
    """

    cases: "pd.DataFrame"
    result: object            # aftersales.segment.cleaning.CleanResult
    orders: "pd.DataFrame | None" = None
    tiers: "pd.DataFrame | None" = None
    joins: dict = field(default_factory=dict)
    unmatched: "pd.DataFrame | None" = None
    orders_result: object = None
    extra_results: list = field(default_factory=list)


def load_dataset(cases_paths, orders_path=None, as_of=None, *, repairs=None, feedback=None,
                 aliases=None, encoding: str | None = None) -> Dataset:
    """Load and clean case file(s), join repair records and feedback, load orders, tier the customers.

    Parameters
    ----------
    cases_paths : one or more case files (CSV in any encoding or .xlsx).
    orders_path : the orders file (optional): customer tiers and rates per order.
    as_of : the RFM reference day (the day after the last order by default).
    repairs, feedback : repair-records and feedback files (optional; a path or a list).
    aliases : the alias table (:func:`~aftersales.segment.aliases.load_aliases`).
    encoding : the text encoding of the CSV files (detected when None).

    Returns
    -------
    Dataset
        RFM monetary value is net of refunds: the orders' refund_amount when the orders file
        has one, else the refunds of the clean cases.
    """
    import pandas as pd

    from aftersales.segment.aliases import load_aliases
    from aftersales.segment.cleaning import load_cases
    from aftersales.segment.joins import UNMATCHED_COLUMNS, join_feedback, join_repairs, match_orders
    from aftersales.segment.orders import read_orders
    from aftersales.segment.schema import data_path

    aliases = aliases or load_aliases()
    if isinstance(cases_paths, (str, os.PathLike)):
        cases_paths = [cases_paths]
    result = load_cases([data_path(p) for p in cases_paths], aliases, encoding)
    cases = result.clean
    joins, unmatched, extra = {}, [], []
    for p in ([repairs] if isinstance(repairs, (str, os.PathLike)) else list(repairs or [])):
        cases, res, rep, um = join_repairs(cases, data_path(p), aliases, encoding)
        joins.setdefault("repairs", []).append(rep)
        unmatched.append(um)
        extra.append(res)
    for p in ([feedback] if isinstance(feedback, (str, os.PathLike)) else list(feedback or [])):
        cases, sa, rep, um = join_feedback(cases, data_path(p), aliases, encoding)
        joins.setdefault("feedback", []).append(rep)
        unmatched.append(um)
    orders = tiers = ores = None
    if orders_path is not None:
        ores = read_orders(orders_path, aliases, encoding)
        orders = ores.orders
        refunds = None
        if orders_lack_refunds(orders):
            refunds = cases.groupby(cases["customer_id"].astype(str))["refund_amount"].sum()
        tiers = rfm_tiers(orders, as_of=as_of, refunds=refunds)
        cases = attach_tiers(cases, tiers)
        rep, um = match_orders(cases, orders)
        joins["orders"] = {**rep, **{f"orders_{k}": v for k, v in ores.summary().items()}}
        unmatched.append(um)
    um = pd.concat(unmatched, ignore_index=True) if unmatched else pd.DataFrame(columns=UNMATCHED_COLUMNS)
    return Dataset(cases, result, orders, tiers, joins, um, ores, extra)


def check_request(by, orders_path, out_dir, force: bool, strategy: bool = True) -> tuple[str, ...]:
    """The layer dimensions of a segment request, checked before any file is read (both engines).

    ValueError when customer tiers are asked for without orders, or when ``out_dir`` is a file;
    FileExistsError naming an output file that this request would write (:func:`output_files`)
    and that exists, unless ``force``.
    """
    by = parse_by(by)
    if "customer_tier" in by and orders_path is None:
        raise ValueError("--by customer_tier needs --orders FILE (the tiers come from the orders)")
    if out_dir is not None and Path(out_dir).exists() and not Path(out_dir).is_dir():
        raise ValueError(f"--out {out_dir} is a file; --out must be a folder (it is created if missing)")
    if out_dir is not None and not force:
        for name in output_files(orders_path, strategy):
            if (Path(out_dir) / name).exists():
                raise FileExistsError(f"{Path(out_dir) / name} exists; use --force to overwrite it")
    return by


def segment(cases_paths, by=("category", "reason"), orders_path=None, out_dir=None,
            force: bool = False, *, repairs=None, feedback=None, aliases_path=None,
            encoding: str | None = None, strategy: bool = False) -> dict:
    """Load, clean, join and layer; the JSON object of ``python -m aftersales segment --json``.

    Keys (version 0.2, unchanged): rows_in, rows_clean, rows_set_aside, set_aside_reasons
    (reason -> count), total_cost, total_net (yuan), layers (list of {keys..., cases, cost,
    net, share_of_cost, cumulative_share}).
    Added in 0.3: cost_set_aside (yuan, the readable cost of the cases set aside),
    unattributed ({field: {cases, cost, reasons}}: fields set aside, their cases kept in the
    ``unknown`` layer), files (per file: encoding, format, columns absent), totals (cases,
    returns, orders, return_rate, case_rate, cost_per_order, cost_per_case), each layer's
    returns, cost_per_case and with orders its orders, case_rate, return_rate, cost_per_order;
    vital_few (see :func:`~aftersales.segment.layers.vital_few_summary`), joins (orders,
    repairs, feedback reports), and with ``strategy`` the strategy table (list of rows).
    out_dir: also write the :func:`output_files` of the request there, UTF-8 with BOM (refusing to
    overwrite unless force).
    """
    from aftersales.segment.aliases import load_aliases
    from aftersales.segment.schema import RETURN_TYPES

    by = check_request(by, orders_path, out_dir, force, strategy)
    aliases = load_aliases(extra=aliases_path) if aliases_path else load_aliases()
    ds = load_dataset(cases_paths, orders_path, repairs=repairs, feedback=feedback, aliases=aliases,
                      encoding=encoding)
    table = layer_table(ds.cases, by, orders=ds.orders, tiers=ds.tiers)
    strat = None
    if strategy:
        from aftersales.segment.strategy import strategy_table

        strat = strategy_table(ds.cases, ds.orders, ds.tiers)
    if out_dir is not None:
        from aftersales.segment.writers import write_csv

        import pandas as pd

        d = Path(out_dir)
        ds.result.write(d, force=True)
        if ds.extra_results:          # repair records set aside: in the same reports as the cases
            write_csv(pd.concat([ds.result.set_aside] + [r.set_aside for r in ds.extra_results], ignore_index=True),
                      d / "cases_set_aside.csv", force=True)
            write_csv(pd.concat([ds.result.unattributed] + [r.unattributed for r in ds.extra_results],
                                ignore_index=True), d / "fields_set_aside.csv", force=True)
        write_csv(table, d / "layers.csv", force=True)
        write_csv(ds.unmatched, d / "unmatched.csv", force=True)
        if ds.orders_result is not None:
            write_csv(ds.orders_result.set_aside, d / "orders_set_aside.csv", force=True)
        if strat is not None:
            write_csv(strat, d / "strategy.csv", force=True)
    cases = ds.cases
    summary = merge_summaries(ds.result.summary(), ds.extra_results)
    totals = totals_of(int(len(cases)), int(cases["case_type"].isin(RETURN_TYPES).sum()),
                       float(cases["cost"].sum()), int(len(ds.orders)) if ds.orders is not None else None)
    return assemble(summary, float(cases["cost"].sum()), float(cases["net"].sum()), table, by, totals,
                    ds.result.files, ds.joins, strat)


def clean_value(v):
    """A number of a frame as plain JSON (NaN as None)."""
    import numpy as np

    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if v != v else float(v)
    return v


def merge_summaries(summary: dict, extras) -> dict:
    """The cases' summary with the rows of the repair records (their CleanResults) added."""
    for extra in extras:        # repair records set aside count as rows of the report
        for k in ("rows_in", "rows_clean", "rows_set_aside"):
            summary[k] += extra.summary()[k]
        for r, c in extra.reasons.items():
            summary["set_aside_reasons"][r] = summary["set_aside_reasons"].get(r, 0) + c
        summary["cost_set_aside"] += extra.cost_set_aside
        for f, u in extra.unattributed_summary().items():
            cur = summary["unattributed"].setdefault(f, {"cases": 0, "cost": 0.0, "reasons": {}})
            cur["cases"] += u["cases"]
            cur["cost"] += u["cost"]
            for r, c in u["reasons"].items():
                cur["reasons"][r] = cur["reasons"].get(r, 0) + c
    return summary


def totals_of(n_cases: int, returns: int, total_cost: float, n_orders: int | None) -> dict:
    """The ``totals`` of the JSON."""
    return {"cases": n_cases, "returns": returns, "orders": n_orders,
            "return_rate": returns / n_orders if n_orders else None,
            "case_rate": n_cases / n_orders if n_orders else None,
            "cost_per_order": total_cost / n_orders if n_orders else None,
            "cost_per_case": total_cost / n_cases if n_cases else None}


def assemble(summary: dict, total_cost: float, total_net: float, table, by, totals: dict, files, joins,
             strat=None) -> dict:
    """The JSON object of ``segment`` from its parts (both engines)."""
    keys = list(by) or ["layer"]
    num = ["cases", "cost", "net", "share_of_cost", "cumulative_share", "returns", "cost_per_case",
           "orders", "case_rate", "return_rate", "cost_per_order"]
    num = [c for c in num if c in table.columns]
    layers = [{k: clean_value(v) for k, v in row.items()} for row in table[keys + num].to_dict("records")]
    old = ("rows_in", "rows_clean", "rows_set_aside", "set_aside_reasons")   # the 0.2 keys first, in order
    out = {**{k: summary[k] for k in old}, "total_cost": total_cost, "total_net": total_net,
           "layers": layers, **{k: v for k, v in summary.items() if k not in old}, "by": list(by),
           "time_dimensions": [b for b in by if b in TIME_DIMENSIONS],
           "totals": totals, "vital_few": vital_few_summary(table), "files": files, "joins": joins}
    if strat is not None:
        out["strategy"] = [{k: clean_value(v) for k, v in r.items()} for r in strat.to_dict("records")]
    return out
