"""The orders file (the shop's order export): read as exported, checked row by row, nothing lost.

Orders are read with the same rules as the cases (GBK or UTF-8 CSV or .xlsx, date-times,
¥ amounts, the alias table for headers and labels). A row that cannot be used is set aside
with its reason, file and source row; one bad row never stops the load:

- missing_id: order_id or customer_id empty;
- bad_date: ordered_at not a date;
- non_numeric_money / negative_money: amount (or refund_amount) not a number >= 0;
- duplicate_order_id: an order_id seen before; of rows sharing an id the one first in the
  order (ordered_at, amount, customer_id) is kept, so the result does not depend on row order.

An empty channel or category is the layer ``unknown``. refund_amount (optional, 0 when absent)
is what was refunded on the order: RFM monetary value is amount - refund_amount.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aftersales.segment.schema import ORDER_COLUMNS, ORDER_REQUIRED, UNKNOWN

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["ORDER_SET_ASIDE_REASONS", "OrdersResult", "read_orders", "load_orders", "clean_orders"]

ORDER_SET_ASIDE_REASONS = ("missing_id", "bad_date", "non_numeric_money", "negative_money",
                           "duplicate_order_id")


@dataclass
class OrdersResult:
    """The outcome of cleaning an orders export: the clean orders, the rows set aside, the rows read.

    rows in = clean orders + rows set aside, always.

    Parameters
    ----------
    orders : pandas.DataFrame
        The clean orders: order_id, customer_id, ordered_at (the day), channel, category (the
        layer ``unknown`` when empty or not known), amount and refund_amount (yuan).
    set_aside : pandas.DataFrame
        The rows that cannot be used, as read (text), with set_aside_reason (one of
        :data:`ORDER_SET_ASIDE_REASONS`), set_aside_detail (the column and value), source_file and
        source_row (the header is row 1).
    rows_in : int
        The rows read.
    absent : tuple of str, optional
        The optional columns (channel, category, refund_amount) the rows did not have: read as
        empty, so every order is in the layer ``unknown`` of that dimension (default ``()``).
    source_file : str, optional
        The file name (default ``""``).

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"order_id": ["A1", "A2"], "customer_id": ["c1", "c2"],
    ...                     "ordered_at": ["2024-03-05", "someday"], "amount": ["¥1,299.00", "80"]})
    >>> result = clean_orders(raw, "orders.csv")
    >>> result.summary()
    {'rows_in': 2, 'rows_clean': 1, 'rows_set_aside': 1, 'set_aside_reasons': {'bad_date': 1}}
    >>> result.absent
    ('channel', 'category', 'refund_amount')
    >>> row = result.set_aside.iloc[0]
    >>> row["set_aside_detail"], int(row["source_row"])
    ("ordered_at 'someday' is not a date", 3)
    """

    orders: "pd.DataFrame"
    set_aside: "pd.DataFrame"
    rows_in: int
    absent: tuple = ()
    source_file: str = ""

    def summary(self) -> dict:
        counts = self.set_aside["set_aside_reason"].value_counts()
        return {"rows_in": self.rows_in, "rows_clean": len(self.orders), "rows_set_aside": len(self.set_aside),
                "set_aside_reasons": {r: int(counts[r]) for r in ORDER_SET_ASIDE_REASONS if r in counts.index}}


def clean_orders(table, source_file: str = "", first_row: int = 2, aliases=None) -> OrdersResult:
    """Clean order rows given as text (an Arrow table or DataFrame with the ORDER_COLUMNS).

    Each row is checked in turn and set aside with the first reason that fits (see the module
    docstring); one bad row never stops the rest.

    Parameters
    ----------
    table : pyarrow.Table or pandas.DataFrame
        The rows as text, with the columns order_id, customer_id, ordered_at, amount;
        refund_amount, channel and category may be absent (refund_amount is then 0 yuan, the
        labels ``unknown``). Amounts may carry ¥, 元 and thousands separators; dates may carry a
        time of day (the day is kept).
    source_file : str, optional
        The file name, recorded in the set-aside rows (default ``""``).
    first_row : int, optional
        The source row of the first row (default 2: the header is row 1).
    aliases : Aliases, optional
        The alias table for channel and category labels (the shipped one when None).

    Returns
    -------
    OrdersResult
        The clean orders, the rows set aside and the count read.

    Notes
    -----
    Of the rows sharing an order_id, the usable one first by (ordered_at, amount, customer_id)
    is kept and the others are set aside as ``duplicate_order_id``: the choice does not depend on
    the row order. A row already set aside for another reason does not make a duplicate.

    Examples
    --------
    Two rows of order A2 (the earlier one is kept) and an order without its customer:

    >>> import pandas as pd
    >>> raw = pd.DataFrame({"order_id": ["A1", "A2", "A2", "A3"],
    ...                     "customer_id": ["c1", "c2", "c2", ""],
    ...                     "ordered_at": ["2024-03-05", "2024/3/6 9:05", "2024-03-07", "2024-03-08"],
    ...                     "amount": ["¥1,299.00", "616元", "616", "80"],
    ...                     "channel": ["天猫", "", "京东", "门店"]})
    >>> result = clean_orders(raw, "orders.csv")
    >>> result.orders[["order_id", "ordered_at", "channel", "amount"]].astype(str).values.tolist()
    [['A1', '2024-03-05', 'tmall', '1299.0'], ['A2', '2024-03-06', 'unknown', '616.0']]
    >>> result.set_aside[["order_id", "set_aside_reason", "source_row"]].values.tolist()
    [['A2', 'duplicate_order_id', 4], ['A3', 'missing_id', 5]]
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from aftersales.segment.aliases import load_aliases
    from aftersales.segment.parsing import (as_numpy, empty_placeholders, map_labels, parse_dates, parse_numbers,
                                            text_column)

    aliases = aliases or load_aliases()
    absent = tuple(c for c in ORDER_COLUMNS if c not in ORDER_REQUIRED
                   and c not in (table.columns if isinstance(table, pd.DataFrame) else table.column_names))
    if isinstance(table, pd.DataFrame):
        table = pa.table({c: pa.array(table[c].astype(str).where(table[c].notna(), ""), pa.string())
                          for c in table.columns if c in ORDER_COLUMNS})
    n = table.num_rows
    text = {c: text_column(table[c]) if c in table.column_names else pa.array([""] * n, pa.string())
            for c in ORDER_COLUMNS}
    code = np.zeros(n, np.int8)
    detail = np.full(n, "", dtype=object)

    def flag(mask, reason, what, col):
        new = np.asarray(mask, bool) & (code == 0)
        if new.any():
            code[new] = ORDER_SET_ASIDE_REASONS.index(reason) + 1
            vals = as_numpy(text[col]).astype(object)[new]
            detail[new] = [f"{col} {v!r} {what}" if v else f"{col} is empty" for v in vals]

    for c in ("order_id", "customer_id"):
        flag(as_numpy(pc.equal(text[c], ""), bool), "missing_id", "is empty", c)
    day = parse_dates(text["ordered_at"])
    flag(np.isnat(day), "bad_date", "is not a date", "ordered_at")
    money = {}
    for c in ("amount", "refund_amount"):
        v, ok = parse_numbers(text[c])
        empty = as_numpy(pc.equal(empty_placeholders(text[c]), ""), bool)
        if c == "refund_amount":
            v[empty], ok = 0.0, ok | empty
        flag(~ok, "non_numeric_money", "is not an amount in yuan", c)
        with np.errstate(invalid="ignore"):
            flag(ok & (v < 0), "negative_money", "is negative", c)
        money[c] = v
    # duplicates: of the rows sharing an order_id, the first by (ordered_at, amount, customer_id) is kept
    usable = code == 0
    oid = as_numpy(text["order_id"]).astype(object)
    keys = pa.table({"o": text["order_id"], "d": pa.array(np.where(usable, day, np.datetime64(0, "s"))),
                     "a": pa.array(np.where(usable, money["amount"], 0.0)), "c": text["customer_id"],
                     "u": pa.array(~usable)})
    order = as_numpy(pc.sort_indices(keys, sort_keys=[("u", "ascending"), ("o", "ascending"), ("d", "ascending"),
                                                 ("a", "ascending"), ("c", "ascending")]), np.int64)
    so = oid[order]
    rep = np.zeros(n, bool)
    if n > 1:
        rep[order[1:]] = (so[1:] == so[:-1]) & usable[order[1:]]
    flag(rep, "duplicate_order_id", "appeared before; one is kept", "order_id")
    good = code == 0
    src_row = np.arange(first_row, first_row + n, dtype=np.int64)
    sa = pd.DataFrame({c: as_numpy(text[c]).astype(object)[~good] for c in ORDER_COLUMNS})
    sa["set_aside_reason"] = np.array(ORDER_SET_ASIDE_REASONS, dtype=object)[code[~good] - 1] if (~good).any() \
        else np.array([], dtype=object)
    sa["set_aside_detail"] = detail[~good]
    sa["source_file"] = source_file
    sa["source_row"] = src_row[~good]
    gm = pa.array(good)
    out = {"order_id": pd.arrays.ArrowExtensionArray(pc.filter(text["order_id"], gm).combine_chunks()
                                                     if isinstance(text["order_id"], pa.ChunkedArray)
                                                     else pc.filter(text["order_id"], gm))}
    cust = pc.dictionary_encode(pc.filter(text["customer_id"], gm))
    if isinstance(cust, pa.ChunkedArray):
        cust = cust.combine_chunks()
    out["customer_id"] = pd.Categorical.from_codes(as_numpy(cust.indices, np.int64),
                                                   categories=pd.Index(cust.dictionary.to_pylist()))
    out["ordered_at"] = day[good]
    for c in ("channel", "category"):
        lab, known = map_labels(text[c], aliases.lookup(c), None)
        cats = [x for x in lab.categories if x != UNKNOWN] + [UNKNOWN]
        codes = np.where(known, lab.codes, len(cats) - 1)[good]
        out[c] = pd.Categorical.from_codes(codes, categories=cats).remove_unused_categories()
    out["amount"] = money["amount"][good]
    out["refund_amount"] = money["refund_amount"][good]
    return OrdersResult(pd.DataFrame(out), sa.reset_index(drop=True), n, absent, source_file)


def read_orders(path: str | os.PathLike, aliases=None, encoding: str | None = None) -> OrdersResult:
    r"""Read and clean an orders file (CSV in any encoding, or .xlsx).

    Parameters
    ----------
    path : str or os.PathLike
        The orders export. A name that does not exist as given is looked for in the project's
        ``data`` folder.
    aliases : Aliases, optional
        The alias table for headers and labels (the shipped one when None).
    encoding : str, optional
        The text encoding of a CSV file; detected when None (a byte-order mark, else valid
        UTF-8, else GB18030).

    Returns
    -------
    OrdersResult
        The clean orders and the rows set aside, each with the file name and source row; its
        ``absent`` names the optional columns the file lacks.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If a required column is missing; the message names the file.

    Notes
    -----
    Required columns order_id, customer_id, ordered_at, amount (headers through the alias
    table, e.g. 订单编号, 买家会员名, 下单时间, 实付金额); channel, category and refund_amount are
    optional.

    Examples
    --------
    An export as a shop downloads it, in GBK with Chinese headers:

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as d:
    ...     export = Path(d) / "orders.csv"
    ...     _ = export.write_text("订单编号,买家会员名,下单时间,实付金额\n"
    ...                           "O1,C1,2024-01-05 10:00:00,￥873.00\n"
    ...                           "O2,C2,2024-01-05 10:00:01,-5\n", encoding="gbk")
    ...     result = read_orders(export)
    >>> result.summary()["set_aside_reasons"], result.orders["amount"].tolist()
    ({'negative_money': 1}, [873.0])
    >>> row = result.set_aside.iloc[0]
    >>> row["source_file"], int(row["source_row"]), row["set_aside_detail"]
    ('orders.csv', 3, "amount '-5' is negative")
    """
    from aftersales.segment.aliases import load_aliases
    from aftersales.segment.readers import read_source
    from aftersales.segment.schema import data_path

    aliases = aliases or load_aliases()
    p = data_path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such orders file")
    table, info = read_source(p, ORDER_COLUMNS, ORDER_REQUIRED, aliases, encoding, what="orders file")
    result = clean_orders(table, info["file"], 2, aliases)
    result.absent = tuple(c for c in ORDER_COLUMNS if c in info["absent"] and c not in ORDER_REQUIRED)
    return result


def load_orders(path: str | os.PathLike, aliases=None, block_size: int = 1 << 24,
                encoding: str | None = None) -> "pd.DataFrame":
    r"""The clean orders of a file (:func:`read_orders` without the report of rows set aside).

    Parameters
    ----------
    path : str or os.PathLike
        The orders export (as in :func:`read_orders`).
    aliases : Aliases, optional
        The alias table (the shipped one when None).
    block_size : int, optional
        Kept for callers and unused.
    encoding : str, optional
        The text encoding of a CSV file (detected when None).

    Returns
    -------
    pandas.DataFrame
        Columns order_id, customer_id, ordered_at, channel, category, amount, refund_amount
        (yuan); the rows set aside are left out (use :func:`read_orders` to see them).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as d:
    ...     export = Path(d) / "orders.csv"
    ...     _ = export.write_text("order_id,customer_id,ordered_at,amount,refund_amount\n"
    ...                           "O1,C1,2024-01-05,873,100\n", encoding="utf-8")
    ...     orders = load_orders(export)
    >>> net = orders["amount"] - orders["refund_amount"]    # the RFM monetary value, yuan
    >>> net.tolist()
    [773.0]
    """
    return read_orders(path, aliases, encoding).orders
