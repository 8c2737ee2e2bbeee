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

__all__ = ["write_example_files", "Dataset", "load_dataset", "segment", "OUTPUT_FILES", "output_files", "assemble", "merge_summaries",
           "totals_of"]

#: The files ``segment --out DIR`` writes (UTF-8 with BOM); none is overwritten without --force.
OUTPUT_FILES = ("cases_clean.csv", "cases_set_aside.csv", "fields_set_aside.csv", "layers.csv",
                "unmatched.csv", "orders_set_aside.csv", "strategy.csv")


def output_files(orders_path=None, strategy: bool = True) -> tuple[str, ...]:
    """The :data:`OUTPUT_FILES` one request writes.

    Parameters
    ----------
    orders_path : str or os.PathLike, optional
        The request's orders file: ``orders_set_aside.csv`` is written only with orders.
    strategy : bool, optional
        Whether the request makes the strategy table (``strategy.csv``); default True.

    Returns
    -------
    tuple of str
        File names, in the order of :data:`OUTPUT_FILES`.

    Examples
    --------
    >>> output_files()
    ('cases_clean.csv', 'cases_set_aside.csv', 'fields_set_aside.csv', 'layers.csv', 'unmatched.csv', 'strategy.csv')
    >>> "orders_set_aside.csv" in output_files("orders.csv", strategy=False)
    True
    """
    skip = {"orders_set_aside.csv"} if orders_path is None else set()
    skip |= set() if strategy else {"strategy.csv"}
    return tuple(n for n in OUTPUT_FILES if n not in skip)


@dataclass
class Dataset:
    """Clean cases (with customer_tier), the cleaning outcome, orders and customer tiers.

    What :func:`load_dataset` gives; :func:`segment` layers it.

    Parameters
    ----------
    cases : pandas.DataFrame
        The clean cases, repair records and feedback joined, with ``customer_tier`` when orders
        were loaded.
    result : CleanResult
        The cases' cleaning outcome (:class:`~aftersales.segment.cleaning.CleanResult`): rows
        in, set aside, fields set aside, files.
    orders : pandas.DataFrame, optional
        The clean orders, when an orders file was loaded.
    tiers : pandas.DataFrame, optional
        The customers' RFM tiers (:func:`~aftersales.segment.tiers.rfm_tiers`), with orders.
    joins : dict, optional
        ``{"orders", "repairs", "feedback"}``: the reports of the joins that were made.
    unmatched : pandas.DataFrame, optional
        The unmatched rows of every join (see
        :data:`~aftersales.segment.joins.UNMATCHED_COLUMNS`).
    orders_result : OrdersResult, optional
        The orders' cleaning outcome (rows set aside) when orders were loaded.
    extra_results : list of CleanResult, optional
        The cleaning outcomes of the repair-record files (counted in the report's rows).

    Examples
    --------
    >>> import pandas as pd
    >>> from aftersales.segment.cleaning import clean_cases
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> raw = pd.DataFrame({"case_id": ["A1", "A2"], "opened_at": ["2024-03-05", "2024-03-09"],
    ...                     "case_type": ["return", "repair"], "handling_cost": ["40", "60"]})
    >>> result = clean_cases(raw.reindex(columns=CASE_COLUMNS, fill_value=""))
    >>> ds = Dataset(result.clean, result)
    >>> len(ds.cases), ds.orders is None, ds.joins
    (2, True, {})
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
    r"""Load and clean case file(s), join repair records and feedback, load orders, tier the customers.

    Parameters
    ----------
    cases_paths : str, os.PathLike or sequence of them
        One or more case files (CSV in any encoding, or .xlsx); a bare name not found is looked
        up in the project's ``data`` folder (e.g. ``"shop/tmall_cases.csv"``).
    orders_path : str or os.PathLike, optional
        The orders file: customer tiers and rates per order.
    as_of : date-like, optional
        The RFM reference day (the day after the last order by default).
    repairs, feedback : str, os.PathLike or list of them, optional
        Repair-record and feedback files.
    aliases : Aliases, optional
        The alias table (:func:`~aftersales.segment.aliases.load_aliases`; the shipped one by
        default).
    encoding : str, optional
        The text encoding of the CSV files (detected when None).

    Returns
    -------
    Dataset
        The clean cases (with ``customer_tier`` when orders were given), the cleaning outcome,
        orders, tiers, join reports and unmatched rows.

    Raises
    ------
    FileNotFoundError, ValueError
        One line naming the file (and row or column) when a source cannot be read.

    Notes
    -----
    RFM monetary value is net of refunds: the orders' refund_amount when the orders file has
    one, else the refunds of the clean cases (summed per customer).

    Examples
    --------
    Four cases, one of them exported twice and one with a negative handling cost, and five
    orders of three customers:

    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = tempfile.TemporaryDirectory()
    >>> cases_csv, orders_csv = write_example_files(folder.name)
    >>> ds = load_dataset(cases_csv, orders_csv)
    >>> ds.cases[["case_id", "cost", "customer_tier"]].values.tolist()
    [['A1', 60.0, 'mid'], ['A2', 70.0, 'low'], ['A3', 160.0, 'mid']]
    >>> ds.result.set_aside[["case_id", "set_aside_reason", "source_row"]].values.tolist()
    [['A3', 'duplicate_case_id', 5], ['A4', 'negative_money', 6]]
    >>> ds.joins["orders"]["orders_without_case"]
    2
    >>> folder.cleanup()
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
    r"""Load, clean, join and layer; the JSON object of ``python -m aftersales segment --json``.

    Parameters
    ----------
    cases_paths : str, os.PathLike or sequence of them
        One or more case files (see :func:`load_dataset`).
    by : str or sequence of str, optional
        Layer dimensions (default category and reason; see
        :data:`~aftersales.segment.layers.DIMENSIONS`), e.g. ``"category,reason"`` or
        ``("channel", "month")``.
    orders_path : str or os.PathLike, optional
        The orders file (needed for ``customer_tier`` and the rates per order).
    out_dir : str or os.PathLike, optional
        Also write the :func:`output_files` of the request there (UTF-8 with BOM); the folder is
        made if missing.
    force : bool, optional
        Overwrite output files that exist (default False: refuse before reading anything).
    repairs, feedback : str, os.PathLike or list of them, optional
        Repair-record and feedback files.
    aliases_path : str, os.PathLike or list of them, optional
        Your own alias table(s), merged over the shipped one.
    encoding : str, optional
        The text encoding of the CSV files (detected when None).
    strategy : bool, optional
        Add the strategy table (:func:`~aftersales.segment.strategy.strategy_table`); default
        False.

    Returns
    -------
    dict
        Keys (version 0.2, unchanged): rows_in, rows_clean, rows_set_aside, set_aside_reasons
        (reason -> count), total_cost, total_net (yuan), layers (list of {keys..., cases, cost,
        net, share_of_cost, cumulative_share}). Added in 0.3: cost_set_aside (yuan, the readable
        cost of the cases set aside), unattributed ({field: {cases, cost, reasons}}: fields set
        aside, their cases kept in the ``unknown`` layer), files (per file: encoding, format,
        columns absent), by, time_dimensions, totals (see :func:`totals_of`), each layer's
        returns, cost_per_case and with orders its orders, case_rate, return_rate,
        cost_per_order; vital_few (see :func:`~aftersales.segment.layers.vital_few_summary`),
        joins (orders, repairs, feedback reports), and with ``strategy`` the strategy table (list
        of rows).

    Raises
    ------
    ValueError
        If ``customer_tier`` is asked for without orders, ``out_dir`` is a file, or a source
        cannot be read (one line naming the file).
    FileExistsError
        If an output file of the request exists in ``out_dir`` and ``force`` is False (checked
        before any file is read).

    Notes
    -----
    rows_in = rows_clean + rows_set_aside always; the layer costs sum to total_cost.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = tempfile.TemporaryDirectory()
    >>> cases_csv, orders_csv = write_example_files(folder.name)
    >>> report = segment(cases_csv, "category", orders_path=orders_csv,
    ...                  out_dir=Path(folder.name) / "report")
    >>> {k: report[k] for k in ("rows_in", "rows_clean", "rows_set_aside", "set_aside_reasons")}
    {'rows_in': 5, 'rows_clean': 3, 'rows_set_aside': 2, 'set_aside_reasons': {'duplicate_case_id': 1, 'negative_money': 1}}
    >>> report["total_cost"], report["cost_set_aside"]
    (290.0, 185.0)
    >>> [(layer["category"], layer["cases"], layer["cost"], layer["orders"]) for layer in report["layers"]]
    [('knitwear', 1, 160.0, 2), ('dresses', 2, 130.0, 3)]
    >>> report["totals"]["return_rate"], report["totals"]["cost_per_order"]
    (0.4, 58.0)
    >>> sorted(p.name for p in (Path(folder.name) / "report").iterdir())
    ['cases_clean.csv', 'cases_set_aside.csv', 'fields_set_aside.csv', 'layers.csv', 'orders_set_aside.csv', 'unmatched.csv']
    >>> try:
    ...     segment(cases_csv, "category", orders_path=orders_csv, out_dir=Path(folder.name) / "report")
    ... except FileExistsError as exc:
    ...     print(Path(str(exc).split(" exists")[0]).name)
    cases_clean.csv
    >>> folder.cleanup()
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
                    ds.result.files, ds.joins, strat, order_warnings(ds.orders_result, by, strategy))


def clean_value(v):
    """A number of a frame as plain JSON (NaN as None)."""
    import numpy as np

    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if v != v else float(v)
    return v


def merge_summaries(summary: dict, extras) -> dict:
    """The cases' summary with the rows of the repair records (their CleanResults) added.

    Parameters
    ----------
    summary : dict
        The cases' ``CleanResult.summary()``; it is **changed in place** and returned.
    extras : iterable of CleanResult
        The cleaning outcomes of the repair-record files.

    Returns
    -------
    dict
        ``summary``, its rows_in, rows_clean, rows_set_aside, set_aside_reasons,
        cost_set_aside (yuan) and unattributed counts and costs summed with those of ``extras``.

    Examples
    --------
    >>> import pandas as pd
    >>> from aftersales.segment.cleaning import clean_cases
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> def cleaned(ids, days, costs):
    ...     raw = pd.DataFrame({"case_id": ids, "opened_at": days, "case_type": "repair",
    ...                         "handling_cost": costs})
    ...     return clean_cases(raw.reindex(columns=CASE_COLUMNS, fill_value=""))
    >>> cases = cleaned(["A1", "A1", "A2"], ["2024-03-05"] * 3, ["40", "40", "60"])
    >>> repairs = cleaned(["R1", "R2"], ["2024-03-07", "bad"], ["90", "30"])
    >>> s = merge_summaries(cases.summary(), [repairs])
    >>> s["rows_in"], s["rows_set_aside"], s["set_aside_reasons"], s["cost_set_aside"]
    (5, 2, {'duplicate_case_id': 1, 'bad_date': 1}, 70.0)
    """
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
    """The ``totals`` of the JSON: counts and the rates per order and per case.

    Parameters
    ----------
    n_cases : int
        Clean cases.
    returns : int
        Of them, the returns and exchanges (an item comes back).
    total_cost : float
        Their cost, yuan.
    n_orders : int or None
        Orders, when an orders file was given.

    Returns
    -------
    dict
        cases, returns, orders, return_rate (returns / orders), case_rate (cases / orders),
        cost_per_order and cost_per_case (yuan); a ratio is None without orders (or cases).

    Examples
    --------
    >>> totals_of(3, 2, 300.0, 5)
    {'cases': 3, 'returns': 2, 'orders': 5, 'return_rate': 0.4, 'case_rate': 0.6, 'cost_per_order': 60.0, 'cost_per_case': 100.0}
    >>> totals_of(3, 2, 300.0, None)["return_rate"] is None
    True
    """
    return {"cases": n_cases, "returns": returns, "orders": n_orders,
            "return_rate": returns / n_orders if n_orders else None,
            "case_rate": n_cases / n_orders if n_orders else None,
            "cost_per_order": total_cost / n_orders if n_orders else None,
            "cost_per_case": total_cost / n_cases if n_cases else None}


def order_warnings(orders_result, by, strategy: bool = False) -> list[str]:
    """One sentence per layer dimension the orders file cannot give, because it lacks the column.

    Parameters
    ----------
    orders_result : OrdersResult or None
        The orders read (:func:`~aftersales.segment.orders.read_orders`); None: no orders, no
        warning.
    by : sequence of str
        The layer dimensions.
    strategy : bool, optional
        The strategy rules are asked for too (they count orders by category and channel).

    Returns
    -------
    list of str
        Empty when every category / channel asked for is a column of the orders file. Otherwise
        a sentence naming the file and the column: the orders are all in the layer ``unknown``
        of that dimension, so its layers have no orders and no rates per order.

    Examples
    --------
    >>> import pandas as pd
    >>> from aftersales.segment.orders import clean_orders
    >>> res = clean_orders(pd.DataFrame({"order_id": ["O1"], "customer_id": ["C1"],
    ...                                  "ordered_at": ["2024-03-05"], "amount": ["80"]}), "orders.csv")
    >>> order_warnings(res, ("category", "reason"))
    ['the orders file orders.csv has no category column: the layers by category have no orders, so no case_rate, return_rate or cost_per_order']
    >>> order_warnings(res, ("reason",)), order_warnings(None, ("category",))
    ([], [])
    """
    if orders_result is None:
        return []
    dims = [d for d in ("category", "channel") if d in by or strategy]
    name = orders_result.source_file or "given"
    out = []
    for d in dims:
        if d in orders_result.absent:
            what = f"the layers by {d} have no orders, so no case_rate, return_rate or cost_per_order" if d in by \
                else f"the strategy rules by {d} find no orders"
            out.append(f"the orders file {name} has no {d} column: {what}")
    return out


def assemble(summary: dict, total_cost: float, total_net: float, table, by, totals: dict, files, joins,
             strat=None, warnings=None) -> dict:
    """The JSON object of ``segment`` from its parts (both engines build it here).

    Parameters
    ----------
    summary : dict
        The cleaning summary (:func:`merge_summaries` of ``CleanResult.summary()``).
    total_cost, total_net : float
        Over the clean cases, yuan.
    table : pandas.DataFrame
        The layer table (:func:`~aftersales.segment.layers.layer_table`).
    by : sequence of str
        Its dimensions (empty: one layer ``layer``).
    totals : dict
        From :func:`totals_of`.
    files : list of dict
        Per source file: encoding, format, columns absent.
    joins : dict
        The join reports.
    strat : pandas.DataFrame, optional
        The strategy table; adds the key ``strategy``.
    warnings : list of str, optional
        Sentences about what the sources could not give (:func:`order_warnings`): the key
        ``warnings``, an empty list when None.

    Returns
    -------
    dict
        The keys of :func:`segment`, the version 0.2 keys first; numbers as plain JSON (NaN as
        None).

    Examples
    --------
    >>> import pandas as pd
    >>> from aftersales.segment.cleaning import clean_cases
    >>> from aftersales.segment.layers import layer_table
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> raw = pd.DataFrame({"case_id": ["A1", "A2"], "opened_at": ["2024-03-05", "2024-03-09"],
    ...                     "case_type": ["return", "repair"], "handling_cost": ["40", "60"]})
    >>> result = clean_cases(raw.reindex(columns=CASE_COLUMNS, fill_value=""))
    >>> table = layer_table(result.clean, ("case_type",))
    >>> out = assemble(result.summary(), 100.0, -100.0, table, ("case_type",),
    ...                totals_of(2, 1, 100.0, None), result.files, {})
    >>> list(out)[:7]
    ['rows_in', 'rows_clean', 'rows_set_aside', 'set_aside_reasons', 'total_cost', 'total_net', 'layers']
    >>> out["layers"][0]
    {'case_type': 'repair', 'cases': 1, 'cost': 60.0, 'net': -60.0, 'share_of_cost': 0.6, 'cumulative_share': 0.6, 'returns': 0, 'cost_per_case': 60.0}
    """
    keys = list(by) or ["layer"]
    num = ["cases", "cost", "net", "share_of_cost", "cumulative_share", "returns", "cost_per_case",
           "orders", "case_rate", "return_rate", "cost_per_order"]
    num = [c for c in num if c in table.columns]
    layers = [{k: clean_value(v) for k, v in row.items()} for row in table[keys + num].to_dict("records")]
    old = ("rows_in", "rows_clean", "rows_set_aside", "set_aside_reasons")   # the 0.2 keys first, in order
    out = {**{k: summary[k] for k in old}, "total_cost": total_cost, "total_net": total_net,
           "layers": layers, **{k: v for k, v in summary.items() if k not in old}, "by": list(by),
           "time_dimensions": [b for b in by if b in TIME_DIMENSIONS],
           "totals": totals, "vital_few": vital_few_summary(table), "files": files, "joins": joins,
           "warnings": list(warnings or [])}
    if strat is not None:
        out["strategy"] = [{k: clean_value(v) for k, v in r.items()} for r in strat.to_dict("records")]
    return out


def write_example_files(folder) -> tuple[Path, Path]:
    """Write the examples' small case and order files into ``folder``: ``cases.csv``, ``orders.csv``.

    Five case rows (A3 twice, an exact duplicate; A4 with no reason and a negative handling cost, to
    be set aside) over four orders, and five orders of three customers (O5 with no case).

    Parameters
    ----------
    folder : str or pathlib.Path
        An existing folder (a temporary one in the examples); files of those names are replaced.

    Returns
    -------
    tuple of pathlib.Path
        The case file and the order file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     cases_csv, orders_csv = write_example_files(folder)
    ...     len(cases_csv.read_text().splitlines()), len(orders_csv.read_text().splitlines())
    (6, 6)
    """
    cases_csv, orders_csv = Path(folder) / "cases.csv", Path(folder) / "orders.csv"
    cases_csv.write_text(
        "case_id,order_id,customer_id,opened_at,category,case_type,reason,logistics_cost,handling_cost\n"
        "A1,O1,C1,2024-03-05,dresses,return,size_fit,20,40\n"
        "A2,O2,C2,2024-03-09,dresses,exchange,size_fit,30,40\n"
        "A3,O3,C1,2024-04-02,knitwear,repair,quality_defect,10,150\n"
        "A3,O3,C1,2024-04-02,knitwear,repair,quality_defect,10,150\n"
        "A4,O4,C3,2024-04-20,knitwear,return,,25,-5\n", encoding="utf-8")
    orders_csv.write_text(
        "order_id,customer_id,ordered_at,category,amount\n"
        "O1,C1,2024-03-01,dresses,600\nO2,C2,2024-03-03,dresses,800\nO3,C1,2024-03-20,knitwear,900\n"
        "O4,C3,2024-04-10,knitwear,400\nO5,C3,2024-04-12,dresses,300\n", encoding="utf-8")
    return cases_csv, orders_csv
