"""Small shop exports shaped like the platforms' back-office downloads, made by a seeded generator.

One brand (the scenario's), one generation of cases and orders, written the way the shop's
systems export them, so that ``segment`` can be tried on them with no manual step:

- ``tmall_cases.csv``: GB18030 (GBK) CSV, Taobao/Tmall headers (售后单号, 订单编号, 买家会员名,
  申请时间 as ``2024-03-05 14:23:11``, 售后类型 退货退款/仅退款/换货, 退货原因 such as 尺码偏小,
  amounts as ``¥1,299.00``, ``-`` for none), some rows exported twice, some reasons empty;
- ``jd_cases.xlsx``: an Excel workbook, JD headers (服务单号, 订单号, 客户账号, 服务类型 with
  保修, 问题描述), real date-times and numbers;
- ``douyin_cases.csv``: UTF-8 with BOM, Douyin wording (申请时间 as ``2024/3/5 14:23``, amounts as
  ``319.00元``, 七天无理由, 大小不合适, 仅退款);
- ``repair_records.csv``: the repair workshop's records (维修单号, 关联售后单号, 维修费用), joined to
  the cases; a few walk-in repairs have no case;
- ``shop_orders.csv``: the orders export (GBK; 订单编号, 买家会员名, 下单时间, 实付金额, 退款金额).

The true figures are known by construction (:func:`shop_truth`), so a test can check the
loaded totals against them and against its own reading of the raw files.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["SHOP_FILES", "shop_frames", "write_shop_samples", "shop_truth"]

SHOP_FILES = ("tmall_cases.csv", "jd_cases.xlsx", "douyin_cases.csv", "repair_records.csv", "shop_orders.csv")
_TYPE_ZH = {"return": "退货退款", "exchange": "换货", "repair": "维修", "complaint": "投诉", "refund_only": "仅退款"}
_JD_TYPE = {"return": "退货", "exchange": "换货", "repair": "保修", "complaint": "投诉", "refund_only": "仅退款"}
_REASON_ZH = {  # per reason, the platforms' words (cycled)
    "size_fit": ("尺码偏小", "大小不合适", "尺码不合适"), "quality_defect": ("质量问题", "做工问题", "污渍"),
    "description_mismatch": ("与描述不符", "商品与描述不符"), "logistics_delay": ("发货慢", "物流延误"),
    "transit_damage": ("包装破损", "商品破损"), "changed_mind": ("七天无理由", "7天无理由"),
    "color_difference": ("色差", "颜色与图片不符"), "other": ("其他",)}
_CHANNEL_ZH = {"tmall": "天猫", "jd": "京东", "douyin": "抖音", "wechat_mall": "微信小程序", "store": "门店"}
_CAT_ZH = {"dresses": "连衣裙", "trousers": "裤装", "tops": "上衣", "knitwear": "针织衫", "outerwear": "外套",
           "shoes": "鞋履", "accessories": "配饰"}


def shop_frames(scenario="seed-demo", rows: int = 1_200, seed: int = 7) -> dict:
    """The shop's data before export, and the frames its systems export.

    Platform cases: tmall and wechat_mall cases in the Tmall file, jd and store in the JD
    workbook, douyin in the Douyin file. A tenth of the return cases whose item was never sent
    back become refund-only (仅退款: no return logistics). Repair cases keep part of their
    handling in the export; the repair work (60% of it) is a repair record linked by case_id.

    Parameters
    ----------
    scenario : str, optional
        The scenario whose brand is generated (default ``"seed-demo"``; see
        :func:`~aftersales.segment.generate.generate`).
    rows : int, optional
        Case rows to generate (default 1200). The orders must number at least 501 (three
        walk-in repairs take orders 5, 50 and 500): 113 rows or more for ``"seed-demo"`` (its
        18% return rate gives 501 orders for 113 cases), fewer for a scenario that returns less.
    seed : int, optional
        The random seed (default 7); the same seed gives the same frames.

    Returns
    -------
    dict of str to pandas.DataFrame
        The canonical values ``cases``, ``orders`` and ``repairs`` (yuan), and the export frames
        ``tmall``, ``jd``, ``douyin``, ``repair_records`` and ``orders_export`` (the platforms'
        Chinese headers, labels and money formats).

    Raises
    ------
    ValueError
        If ``rows`` is too small for 501 orders (the message names the minimum number of rows
        for the scenario), or if the Tmall export gets fewer than 21 cases (it repeats its 4th,
        11th and 21st case).

    Notes
    -----
    The Tmall export repeats three of its cases at the end (exported twice), about 3% of the
    reasons are left empty, and one order's amount is ``待付款`` (unusable: set aside on load).

    Examples
    --------
    >>> frames = shop_frames(rows=200, seed=7)
    >>> len(frames["cases"]), len(frames["tmall"]) + len(frames["jd"]) + len(frames["douyin"])
    (200, 203)
    >>> list(frames["tmall"].columns[:4]), frames["tmall"].iloc[0, :4].tolist()
    (['售后单号', '订单编号', '买家会员名', '申请时间'], ['TS00000001', 'O00000002', 'C0000297', '2024-01-26 09:00:00'])

    Too few rows is one clear error naming the minimum:

    >>> shop_frames(rows=100)
    Traceback (most recent call last):
    ...
    ValueError: shop_frames needs at least 501 orders (three walk-in repairs take orders 5, 50 and 500); rows=100 gives 445 orders for scenario 'seed-demo': give rows >= 113
    """
    import numpy as np
    import pandas as pd

    from aftersales.model.scenario import load_scenario
    from aftersales.segment.generate import generate, orders_for_rows

    return_rate = load_scenario(scenario).brand.return_rate
    if isinstance(rows, (int, np.integer)) and not isinstance(rows, bool) and rows >= 1 \
            and orders_for_rows(return_rate, int(rows)) < 501:
        need = next(r for r in range(1, 502) if orders_for_rows(return_rate, r) >= 501)
        raise ValueError(f"shop_frames needs at least 501 orders (three walk-in repairs take orders 5, 50 and "
                         f"500); rows={rows} gives {orders_for_rows(return_rate, int(rows))} orders for scenario "
                         f"{scenario!r}: give rows >= {need}")
    cases, orders = generate(scenario, rows=rows, seed=seed, days=365, service_share=0.0, id_prefix="TS")
    n_tmall = int(np.isin(cases["channel"].astype(str), ["tmall", "wechat_mall"]).sum())
    if n_tmall < 21:
        raise ValueError(f"shop_frames needs at least 21 Tmall cases (the export repeats its 4th, 11th and 21st); "
                         f"rows={rows}, seed={seed} gives {n_tmall}: give more rows")
    rng = np.random.default_rng(seed + 100)
    cases = cases.copy()
    ct = cases["case_type"].astype(object).to_numpy().copy()
    ro = (ct == "return") & np.isin(cases["reason"].astype(str), ["description_mismatch", "changed_mind"]) \
        & (rng.uniform(size=len(cases)) < 0.15)
    ct[ro] = "refund_only"
    cases["case_type"] = ct
    cases.loc[ro, "logistics_cost"] = 0.0
    rep = (ct == "repair")
    work = np.round(cases["handling_cost"].to_numpy() * 0.6, 2)
    repairs = pd.DataFrame({"repair_id": [f"WX{i:05d}" for i in range(1, int(rep.sum()) + 1)],
                            "case_id": cases.loc[rep, "case_id"].to_numpy(),
                            "order_id": cases.loc[rep, "order_id"].to_numpy(),
                            "customer_id": cases.loc[rep, "customer_id"].to_numpy(),
                            "opened_at": cases.loc[rep, "opened_at"].to_numpy() + np.timedelta64(2, "D"),
                            "category": cases.loc[rep, "category"].astype(str).to_numpy(),
                            "repair_cost": work[rep], "logistics_cost": 12.0, "service_revenue": 0.0})
    cases.loc[rep, "handling_cost"] = np.round(cases.loc[rep, "handling_cost"].to_numpy() - work[rep], 2)
    if len(repairs):        # one repair case whose record is missing, three walk-in repairs without a case
        repairs = repairs.iloc[1:].reset_index(drop=True)
    walk = pd.DataFrame({"repair_id": ["WX90001", "WX90002", "WX90003"], "case_id": "",
                         "order_id": orders["order_id"].iloc[[5, 50, 500]].to_numpy(),
                         "customer_id": orders["customer_id"].iloc[[5, 50, 500]].to_numpy(),
                         "opened_at": np.array(["2024-06-01", "2024-07-15", "2024-11-30"], dtype="datetime64[s]"),
                         "category": ["outerwear", "shoes", "knitwear"], "repair_cost": [80.0, 45.5, 120.0],
                         "logistics_cost": [0.0, 0.0, 15.0], "service_revenue": [99.0, 59.0, 0.0]})
    repairs = pd.concat([repairs, walk], ignore_index=True)
    ch = cases["channel"].astype(str).to_numpy()
    platform = np.where(np.isin(ch, ["tmall", "wechat_mall"]), "tmall", np.where(np.isin(ch, ["jd", "store"]),
                                                                                   "jd", "douyin"))
    cases["_platform"] = platform
    # some reasons left empty by the service desk (the case stays; its cost lands in reason=unknown)
    cases["_reason_empty"] = rng.uniform(size=len(cases)) < 0.03
    k = np.arange(len(cases))

    def reason_text(row_reason, i, empty):
        words = _REASON_ZH[row_reason]
        return "" if empty else words[i % len(words)]

    def money(v, style):
        if v == 0 and style != "plain":
            return "-"
        return {"yen": f"¥{v:,.2f}", "fw": f"￥{v:,.2f}", "yuan": f"{v:.2f}元", "plain": v}[style]

    exports = {}
    t = cases[cases["_platform"] == "tmall"]
    ti = k[cases["_platform"] == "tmall"]
    exports["tmall"] = pd.DataFrame({
        "售后单号": t["case_id"], "订单编号": t["order_id"], "买家会员名": t["customer_id"],
        "申请时间": [(d + np.timedelta64(int(9 * 3600 + (i * 7919) % 40000), "s")).strftime("%Y-%m-%d %H:%M:%S")
                 for d, i in zip(t["opened_at"], ti)],
        "店铺渠道": t["channel"].astype(str).map(_CHANNEL_ZH), "商品类目": t["category"].astype(str).map(_CAT_ZH),
        "售后类型": t["case_type"].map(_TYPE_ZH),
        "退货原因": [reason_text(r, i, e) for r, i, e in zip(t["reason"].astype(str), ti, t["_reason_empty"])],
        "商品金额": [money(v, "yen") for v in t["item_price"]], "退款金额": [money(v, "fw") for v in t["refund_amount"]],
        "运费": [money(v, "yen") for v in t["logistics_cost"]], "处理成本": [money(v, "yen") for v in t["handling_cost"]],
        "折价损失": [money(v, "yen") for v in t["discount_loss"]],
        "满意度": t["satisfaction"].astype(object).where(t["satisfaction"].notna(), "")})
    # exported twice: the same cases appear again at the end of the download
    exports["tmall"] = pd.concat([exports["tmall"], exports["tmall"].iloc[[3, 10, 20]]], ignore_index=True)
    j = cases[cases["_platform"] == "jd"]
    ji = k[cases["_platform"] == "jd"]
    exports["jd"] = pd.DataFrame({
        "服务单号": j["case_id"], "订单号": j["order_id"], "客户账号": j["customer_id"],
        "申请时间": [pd.Timestamp(d) + pd.Timedelta(seconds=int(8 * 3600 + (i * 104729) % 43000))
                 for d, i in zip(j["opened_at"], ji)],
        "渠道": j["channel"].astype(str).map(_CHANNEL_ZH), "品类": j["category"].astype(str).map(_CAT_ZH),
        "服务类型": j["case_type"].map(_JD_TYPE),
        "问题描述": [reason_text(r, i + 1, e) for r, i, e in zip(j["reason"].astype(str), ji, j["_reason_empty"])],
        "商品价格": j["item_price"].to_numpy(), "退款金额": j["refund_amount"].to_numpy(),
        "物流费用": j["logistics_cost"].to_numpy(), "处理费用": j["handling_cost"].to_numpy(),
        "折价损失": j["discount_loss"].to_numpy()})
    d = cases[cases["_platform"] == "douyin"]
    di = k[cases["_platform"] == "douyin"]
    exports["douyin"] = pd.DataFrame({
        "售后单号": d["case_id"], "订单编号": d["order_id"], "用户账号": d["customer_id"],
        "申请时间": [f"{x.year}/{x.month}/{x.day} {9 + i % 12}:{i % 60:02d}" for x, i in
                 zip(pd.to_datetime(d["opened_at"]), di)],
        "渠道": "抖音", "商品类目": d["category"].astype(str).map(_CAT_ZH), "售后类型": d["case_type"].map(_TYPE_ZH),
        "售后原因": [reason_text(r, i + 2, e) for r, i, e in zip(d["reason"].astype(str), di, d["_reason_empty"])],
        "商品金额": [money(v, "yuan") for v in d["item_price"]], "退款金额": [money(v, "yuan") for v in d["refund_amount"]],
        "运费": [money(v, "yuan") for v in d["logistics_cost"]], "处理成本": [money(v, "yuan") for v in d["handling_cost"]],
        "折价损失": [money(v, "yuan") for v in d["discount_loss"]]})
    exports["repair_records"] = pd.DataFrame({
        "维修单号": repairs["repair_id"], "关联售后单号": repairs["case_id"], "订单号": repairs["order_id"],
        "客户编号": repairs["customer_id"], "送修时间": pd.to_datetime(repairs["opened_at"]).dt.strftime("%Y/%m/%d"),
        "品类": repairs["category"].map(_CAT_ZH), "维修费用": [f"¥{v:,.2f}" for v in repairs["repair_cost"]],
        "回寄运费": [f"{v:.2f}" for v in repairs["logistics_cost"]],
        "维修收费": [money(v, "yen") for v in repairs["service_revenue"]]})
    refunded = cases.groupby("order_id")["refund_amount"].sum()
    orders = orders.assign(refund_amount=refunded.reindex(orders["order_id"]).fillna(0.0).to_numpy())
    oe = pd.DataFrame({
        "订单编号": orders["order_id"], "买家会员名": orders["customer_id"],
        "下单时间": [(pd.Timestamp(x) + pd.Timedelta(seconds=int(10 * 3600 + i % 30000))).strftime("%Y-%m-%d %H:%M:%S")
                 for i, x in enumerate(orders["ordered_at"])],
        "渠道": orders["channel"].astype(str).map(_CHANNEL_ZH), "商品类目": orders["category"].astype(str).map(_CAT_ZH),
        "实付金额": [f"¥{v:,.2f}" for v in orders["amount"]], "退款金额": [money(v, "yen") for v in orders["refund_amount"]]})
    oe.loc[oe.index[[17]], "实付金额"] = "待付款"          # one unusable row: set aside, the rest load
    exports["orders_export"] = oe
    return {"cases": cases.drop(columns=["_platform", "_reason_empty"]), "orders": orders, "repairs": repairs,
            **exports}


def shop_truth(frames: dict) -> dict:
    """The true figures of :func:`shop_frames`: what loading its exports must give.

    Parameters
    ----------
    frames : dict
        The result of :func:`shop_frames`.

    Returns
    -------
    dict
        ``cases`` (the cases plus the walk-in repairs, which load as cases of their own),
        ``total_cost`` (yuan: logistics + handling + discount loss of every case, plus the repair
        work and return postage of every repair record) and ``orders`` (the orders that load:
        all but the one made unusable).

    Notes
    -----
    total_cost = sum(logistics_cost + handling_cost + discount_loss) over the cases
    + sum(repair_cost + logistics_cost) over the repair records.

    Examples
    --------
    >>> frames = shop_frames(rows=200, seed=7)
    >>> truth = shop_truth(frames)
    >>> truth
    {'cases': 203, 'total_cost': 53930.48, 'orders': 888}
    >>> truth["cases"] == len(frames["cases"]) + int((frames["repairs"]["case_id"] == "").sum())
    True
    """
    cases, repairs = frames["cases"], frames["repairs"]
    cost = float((cases["logistics_cost"] + cases["handling_cost"] + cases["discount_loss"]).sum())
    rcost = float((repairs["repair_cost"] + repairs["logistics_cost"]).sum())
    walk_in = int((repairs["case_id"] == "").sum())
    return {"cases": len(cases) + walk_in, "total_cost": cost + rcost, "orders": len(frames["orders"]) - 1}


def write_shop_samples(data_dir: str | os.PathLike, scenario="seed-demo", rows: int = 1_200, seed: int = 7,
                       force: bool = False) -> dict[str, Path]:
    """Write :data:`SHOP_FILES` into a folder, as the platforms export them.

    Parameters
    ----------
    data_dir : str or os.PathLike
        The folder (made if missing).
    scenario, rows, seed
        As for :func:`shop_frames` (defaults ``"seed-demo"``, 1200, 7).
    force : bool, optional
        Overwrite files that exist (default False: refuse before writing any).

    Returns
    -------
    dict of str to pathlib.Path
        File name to path: ``tmall_cases.csv`` (GB18030), ``jd_cases.xlsx``,
        ``douyin_cases.csv`` (UTF-8 with BOM), ``repair_records.csv`` (UTF-8) and
        ``shop_orders.csv`` (GB18030). The same arguments give the same bytes.

    Raises
    ------
    FileExistsError
        If one of the files exists and ``force`` is False.

    Examples
    --------
    Written to a temporary folder (``segment`` loads them as a shop's exports; their true figures
    are :func:`shop_truth`'s):

    >>> import tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> paths = write_shop_samples(folder.name, rows=200, seed=7)
    >>> sorted(paths)
    ['douyin_cases.csv', 'jd_cases.xlsx', 'repair_records.csv', 'shop_orders.csv', 'tmall_cases.csv']
    >>> try:
    ...     write_shop_samples(folder.name, rows=200)
    ... except FileExistsError:
    ...     print("refused")
    refused
    >>> folder.cleanup()
    """
    import openpyxl

    d = Path(data_dir)
    paths = {name: d / name for name in SHOP_FILES}
    for p in paths.values():
        if p.exists() and not force:
            raise FileExistsError(f"{p} exists; use force=True to overwrite it")
    d.mkdir(parents=True, exist_ok=True)
    f = shop_frames(scenario, rows, seed)
    f["tmall"].to_csv(paths["tmall_cases.csv"], index=False, encoding="gb18030")
    f["douyin"].to_csv(paths["douyin_cases.csv"], index=False, encoding="utf-8-sig")
    f["repair_records"].to_csv(paths["repair_records.csv"], index=False, encoding="utf-8")
    f["orders_export"].to_csv(paths["shop_orders.csv"], index=False, encoding="gb18030")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "售后服务单"
    jd = f["jd"]
    ws.append(list(jd.columns))
    for row in jd.itertuples(index=False):
        ws.append([v.to_pydatetime() if hasattr(v, "to_pydatetime") else (float(v) if isinstance(v, float) else v)
                   for v in row])
    wb.properties.created = __import__("datetime").datetime(2024, 1, 1)   # the same bytes every run
    wb.save(paths["jd_cases.xlsx"])
    return paths
