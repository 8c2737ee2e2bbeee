"""Write notebooks/05_after_sales_segmentation.ipynb (the .ipynb is what ships, stored without outputs).

    python notebooks/build_05_segmentation.py            # rewrite the notebook
    python notebooks/build_05_segmentation.py --out DIR  # write it to DIR instead
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_notebook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from build_notebooks import code, md  # noqa: E402  (the series' own cell builders)

NAME = "05_after_sales_segmentation.ipynb"


CELLS = [
    md("""
    # 05 Stratified after-sales analytics (售后分析精细化分层)

    **Learning objectives**

    By the end of this notebook you can

    1. collect after-sales **case records (售后工单)** from two systems with different shapes and
       **clean** them so that nothing is lost: rows in = clean rows + **set-aside rows (待修正记录)**;
    2. compute **RFM customer value tiers (客户价值分层)** from the brand's orders;
    3. split after-sales cost into **layers (分层)** by category, reason, channel and customer tier,
       and find the **vital few (关键少数)** layers that carry 80% of the cost with a **Pareto (帕累托)**;
    4. estimate what cutting one cause would save, and tell **cost saved (节省成本)** from
       **sales kept (保住的销售额)**;
    5. turn the layers into a **strategy table (策略表)** by stated rules, and explore the layers
       yourself with the self-serve controls, the way a BI tool would.

    The data are synthetic: made by `aftersales.casegen` for the brand of the scenario (the
    article's demo womenswear brand), with realistic patterns and deliberate mess.
    """),
    code('''
    # Parameters: change them here and run all cells, or let papermill inject others
    # (papermill NB.ipynb OUT.ipynb -p layer_dims "category,channel" -p cut 0.2).
    scenario = "seed-demo"                     # the brand: a name from data/scenarios or a .toml path
    cases_file = "cases_sample.csv"            # canonical case file (a name in data/ or a path)
    export_file = "cases_export_sample.csv"    # a second system's export ("" for none)
    orders_file = "cases_sample_orders.csv"    # the brand's orders (for RFM tiers and rates per order)
    layer_dims = "category,reason"             # layer dimensions, any of category,reason,channel,customer_tier,case_type
    pareto_threshold = 0.8                     # share of cost the vital few must carry (0-1)
    cut = 0.3                                  # share of one cause's cases a measure avoids (0-1)
    seed = 0                                   # seed of the fresh data set in the stability check
    lang = "en"                                # language of the figure labels: "en" or "zh"
    ''', tags=["parameters"]),
    code('''
    from aftersales.params import (ParameterError, existing_file, label_language, scenario_from_parameters,
                                   share, whole_number)
    from aftersales.segmentation import parse_by

    sc = scenario_from_parameters(scenario)
    try:
        by = parse_by(layer_dims)
    except ValueError as exc:
        raise ParameterError(f"parameter layer_dims={layer_dims!r} is invalid: {exc}") from None
    pareto_threshold = share("pareto_threshold", pareto_threshold, allow_zero=False)
    cut = share("cut", cut, allow_zero=False)
    seed = whole_number("seed", seed, low=0)
    lang = label_language(lang)
    files = [existing_file("cases_file", cases_file)]
    if export_file:
        files.append(existing_file("export_file", export_file))
    orders_path = existing_file("orders_file", orders_file)
    print(f"Scenario {sc.name!r}: {sc.description}")
    print(f"Layers by {' x '.join(by) or '(none)'}; cases from {', '.join(p.name for p in files)}")
    '''),
    md("""
    ## Collect: one record format for every system (数据收集)

    The article's first step is to collect the after-sales records of every system in one place.
    Our **case record** has one row per case: `case_id, order_id, customer_id, opened_at, channel,
    category, case_type, reason`, six amounts in yuan (`item_price, refund_amount, logistics_cost,
    handling_cost, discount_loss, service_revenue`), and the optional `satisfaction` (1-5) and
    `resolution_days`.

    * **cost of a case** = logistics + handling + discount loss; its **net** = service revenue - cost.
      A refund is not a cost: the money goes back with the item. It is *sales lost*.
    * `case_type` (退货, 换货, 维修, 投诉, 改造, 清洗, 存储) and `reason` (尺码不合适, 质量问题, 描述不符,
      物流延误, ...) come from closed lists; `channel` and `category` are free text. Chinese and English
      labels, stray spaces and capitals are unified through the **alias table** `data/aliases.csv`.
    * The second file is a customer-service desk's export: Chinese headers in another order, dates as
      `2024/03/05` or `2024年03月05日`, amounts as `¥1,280.00`. The same table maps its headers.
    """),
    code('''
    import pandas as pd
    from aftersales.segmentation import load_dataset

    ds = load_dataset(files, orders_path)
    res = ds.result
    print(f"rows in {res.rows_in:,} = clean {res.rows_clean:,} + set aside {res.rows_set_aside:,}")
    pd.Series(res.reasons, name="rows").rename_axis("set-aside reason").to_frame()
    '''),
    md("""
    ## Clean with nothing lost (数据清洗)

    A row that cannot be used is **set aside with its reason**, never dropped: a missing id, a
    `case_id` already seen (the first is kept), a date that is not a calendar date, an amount that is
    negative or not a number, a label that is not in the alias table, a satisfaction outside 1-5. Why
    so strict? A silently dropped row is a silently wrong total: if the rows that fail are the
    expensive ones (a damaged parcel with a mistyped cost), every cost share below would be biased
    and nobody would know. Counting in = clean + set aside is the cheapest audit there is.

    Each set-aside row says what is wrong and where it came from, so a person can fix it:
    """),
    code('''
    assert res.rows_in == res.rows_clean + res.rows_set_aside
    with pd.option_context("display.max_colwidth", 70):
        display(res.set_aside[["case_id", "set_aside_reason", "set_aside_detail", "source_file", "source_row"]]
                .groupby("set_aside_reason").head(1))
    '''),
    md("""
    `res.write(folder)` writes `cases_clean.csv` and `cases_set_aside.csv`; fix the set-aside file
    in a spreadsheet and load it again with the clean one (`load_cases([clean, fixed])`): the fixed
    rows join the clean ones, the rest come back with their reasons. Exercise 4 does exactly that.

    ## Customer value tiers from the orders (RFM 客户价值分层)

    **RFM** scores each customer 1-5 on **recency** (days since the last order; recent is better),
    **frequency** (number of orders) and **monetary** value (yuan spent), by quintiles. Their sum
    (3-15) gives the **value tier**: high (12 and above), low (6 and below), mid in between. The ten
    segment names (champions, at risk, ...) are the usual marketing map of the same scores.
    """),
    code('''
    tiers = ds.tiers
    print(f"{len(tiers):,} customers with {len(ds.orders):,} orders")
    pd.crosstab(tiers["segment"], tiers["value_tier"], margins=True)
    '''),
    md("""
    ## Layers and the Pareto (分层与帕累托)

    Now the analysis of the article: which layers drive the cost? A **layer** is one cell of the
    chosen dimensions (e.g. dresses x size_fit). The **layer table** gives each layer's cases, cost,
    net, share of all cost and the **cumulative share** in order of cost; with the orders, also the
    **case rate** and **return rate per order** of the layer's category / channel / tier cell. Layer
    costs always add up to the total cost: every case sits in exactly one layer.

    The Pareto chart sorts the layers by cost; the red bars are the **vital few** that together carry
    80% of the cost. A long red run means cost is spread out (no single fix will do); a short one
    means a few targeted measures pay.
    """),
    code('''
    from aftersales.segmentation import layer_table, pareto
    from aftersales.segment_plots import pareto_chart

    layers = pareto(layer_table(ds.cases, by, orders=ds.orders), pareto_threshold)
    print(f"total cost {ds.cases['cost'].sum() / 1e4:,.1f} wan yuan, net {ds.cases['net'].sum() / 1e4:,.1f} wan yuan; "
          f"{int(layers['vital_few'].sum())} of {len(layers)} layers carry {pareto_threshold:.0%} of the cost")
    pareto_chart(layers, top=20, threshold=pareto_threshold, lang=lang)
    '''),
    code('''
    show = [*by, "cases", "cost", "net", "share_of_cost", "cumulative_share", "cost_per_case"]
    show += [c for c in ("case_rate", "return_rate") if c in layers.columns]
    layers[show].head(12).style.format({"cost": "{:,.0f}", "net": "{:,.0f}", "share_of_cost": "{:.1%}",
                                        "cumulative_share": "{:.1%}", "cost_per_case": "{:,.1f}",
                                        "case_rate": "{:.2%}", "return_rate": "{:.2%}"}, na_rep="-")
    '''),
    md("""
    Read the reason `other` with care: it holds the value-added service requests (remake, deep clean,
    storage, paid repairs). Their cost is real, but their revenue pays for it: look at their **net**,
    not their cost. Ranking by cost alone would put a profitable service on the list of problems.

    ## Where the cost sits: category x reason (热力图)

    The heat map shows the same cost in two dimensions at once: fit problems in dresses and trousers,
    quality in knitwear, transit damage where a channel's carrier is weak.
    """),
    code('''
    from aftersales.segment_plots import cost_heatmap

    cost_heatmap(ds.cases, "category", "reason", lang=lang)
    '''),
    code('''
    cost_heatmap(ds.cases, "channel", "reason", lang=lang)
    '''),
    md("""
    ## Cost against value by customer tier (成本与客户价值)

    A high-value customer's return costs about as much as anyone's, but she spends far more: after-sales
    cost is a small share of her spending, so there is room to serve her better (free returns, a
    fast-track desk, free repairs). For the low tier the same cost is a large share of a small spend:
    that is where cost control (self-service returns, consolidated pick-ups) belongs.
    """),
    code('''
    from aftersales.segmentation import tier_table
    from aftersales.segment_plots import cost_by_tier

    tt = tier_table(ds.cases, ds.orders, ds.tiers)
    display(tt.style.format({"revenue": "{:,.0f}", "cost": "{:,.0f}", "net": "{:,.0f}",
                             "value_per_customer": "{:,.0f}", "case_rate": "{:.2%}", "cost_per_case": "{:,.1f}",
                             "cost_per_customer": "{:,.1f}", "cost_share_of_revenue": "{:.2%}"}).hide(axis="index"))
    cost_by_tier(tt, lang=lang)
    '''),
    md("""
    ## What would a cut of one cause save? (单一原因改善的收益)

    The article's examples: better product descriptions, faster logistics, and returns falling by
    20-30%. If a measure avoids a share `cut` of a cause's cases, it saves that share of their cost
    (assuming the avoided cases are average ones). Two figures must not be mixed up:

    * **cost saved** is after-sales money not spent: it goes straight to profit;
    * **refunds avoided** are sales kept; only their gross margin is profit, and only if the customer
      keeps the item.

    The saving is an upper bound for a year's effect: the measure has its own cost (better photos, a
    dearer carrier), which the brand must set against it.
    """),
    code('''
    from aftersales.segmentation import cut_savings, what_if_table

    top = layers.iloc[0]
    where = {k: top[k] for k in by if k not in ("reason", "case_type")}
    reasons = top["reason"] if "reason" in by else None
    one = cut_savings(ds.cases, cut, reasons=reasons, where=where)
    print(f"A {cut:.0%} cut of the largest layer ({' / '.join(str(top[k]) for k in by)}) saves "
          f"{one['cost_saved']:,.0f} yuan ({one['share_of_total_cost']:.1%} of all after-sales cost); "
          f"refunds avoided {one['refunds_avoided']:,.0f} yuan are sales kept, not profit")
    what_if_table(ds.cases).style.format({"cut": "{:.0%}", "cases_avoided": "{:,.0f}", "cost_saved": "{:,.0f}",
                                          "net_gain": "{:,.0f}", "refunds_avoided": "{:,.0f}",
                                          "share_of_total_cost": "{:.1%}"}).hide(axis="index")
    '''),
    md("""
    ## From layers to strategy (分层策略)

    A strategy table is only as good as its rules, so the rules are stated and their thresholds are
    parameters (`StrategyRules`) you can change and argue about:

    1. **product fix (产品改进)**: a category x reason layer with reason quality_defect carrying at least 2% of all cost;
    2. **description fix (描述优化)**: the same for description_mismatch, color_difference and size_fit
       (size guide, fit notes, true-colour photos);
    3. **carrier change (更换承运商)**: a channel whose delays and transit damage are at least 1.5x their share
       of cost over all channels;
    4. **premium service (高价值客户专属服务)**: the high tier, when its after-sales cost is below 5% of its spending;
    5. **cost control (低价值客户成本控制)**: the low tier, when its cost share of spending is at least 1.2x the average;
    6. **preventive care (预防性维护)**: a category where repairs and quality defects are at least 25% of its cases.
    """),
    code('''
    from aftersales.segmentation import StrategyRules, strategy_table

    plan = strategy_table(ds.cases, ds.orders, ds.tiers, StrategyRules())
    with pd.option_context("display.max_colwidth", 90):
        display(plan[["action", "action_zh", "layer", "cost", "share_of_cost", "evidence"]].style.format(
            {"cost": "{:,.0f}", "share_of_cost": "{:.1%}"}).hide(axis="index"))
    '''),
    md("""
    ## Self-serve: slice it yourself (自助分析)

    This is the BI experience the article describes, in Jupyter. Tick the dimensions to layer by, pick
    filters (say channel = douyin), and the Pareto and the table redraw. Try: which reasons carry the
    cost of the high tier? Is transit damage a douyin problem in every category?
    """),
    code('''
    from aftersales.segment_widgets import explorer

    ex = explorer(ds, by=by, threshold=pareto_threshold, lang=lang)
    ex
    '''),
    md("""
    ## Is the Pareto a fact or an accident? (稳定性)

    With a few thousand cases, the order of small layers can change by chance. Generate a fresh data
    set for the same brand with another seed and compare the top layers: the big ones should stay.
    """),
    code('''
    from aftersales.casegen import generate

    fresh, _ = generate(sc, rows=5_000, seed=seed)
    fresh = fresh.assign(cost=fresh["logistics_cost"] + fresh["handling_cost"] + fresh["discount_loss"],
                         net=lambda d: d["service_revenue"] - d["cost"])
    base_dims = [d for d in by if d != "customer_tier"] or ["category"]
    compare = pd.DataFrame({
        "sample": layer_table(ds.cases, base_dims)[base_dims].head(5).agg(" / ".join, axis=1).to_numpy(),
        f"fresh (seed {seed})": layer_table(fresh, base_dims)[base_dims].head(5).agg(" / ".join, axis=1).to_numpy()})
    compare
    '''),
    code('''
    from aftersales.exercises import record

    record({"rows_in": res.rows_in, "rows_clean": res.rows_clean, "rows_set_aside": res.rows_set_aside,
            "total_cost": float(ds.cases["cost"].sum()), "total_net": float(ds.cases["net"].sum()),
            "vital_few": int(layers["vital_few"].sum()), "layers": len(layers)},
           notebook="05_after_sales_segmentation", extra={"set_aside_reasons": res.reasons, "by": list(by)})
    '''),
    md("""
    ## Exercises

    Work with `ds.cases` (the clean cases, one row per case, with `cost`, `net` and `customer_tier`)
    and `ds.orders`. Write your answer in the cell, then run the check below it.

    **Exercise 1.** What share of all after-sales cost do the three most expensive category x reason
    layers carry together? Use pandas `groupby` yourself (not `layer_table`). Answer as a share 0-1.
    """),
    code('''
    ### BEGIN SOLUTION
    by_cr = ds.cases.groupby(["category", "reason"], observed=True)["cost"].sum().sort_values(ascending=False)
    answer_1 = by_cr.head(3).sum() / ds.cases["cost"].sum()
    ### END SOLUTION
    answer_1
    '''),
    code('''
    from aftersales.exercises import check

    check("1", answer_1, layer_table(ds.cases, ("category", "reason"))["cumulative_share"].iloc[2],
          tolerance=1e-9, why="sum the three largest layer costs and divide by the total cost");
    '''),
    md("""
    **Exercise 2.** Better size guides are expected to avoid 30% of the size_fit cases in dresses.
    How much after-sales cost (yuan) would that save?
    """),
    code('''
    ### BEGIN SOLUTION
    dresses_fit = ds.cases[(ds.cases["category"] == "dresses") & (ds.cases["reason"] == "size_fit")]
    answer_2 = 0.3 * dresses_fit["cost"].sum()
    ### END SOLUTION
    answer_2
    '''),
    code('''
    check("2", answer_2, cut_savings(ds.cases, 0.3, reasons="size_fit", where={"category": "dresses"})["cost_saved"],
          tolerance=0.01, why="30% of the cost of the dresses x size_fit cases (cost = logistics + handling + discount loss)");
    '''),
    md("""
    **Exercise 3.** What is the case rate per order of the douyin channel (its cases divided by its
    orders)? Compare it with the store channel: why might live-stream selling produce more cases?
    """),
    code('''
    ### BEGIN SOLUTION
    answer_3 = (ds.cases["channel"] == "douyin").sum() / (ds.orders["channel"] == "douyin").sum()
    store_rate = (ds.cases["channel"] == "store").sum() / (ds.orders["channel"] == "store").sum()
    print(f"douyin {answer_3:.2%} of orders, store {store_rate:.2%}: impulse buying in a live stream, "
          "claims that oversell, no trying on; in a store the customer tried it on and carried it home")
    ### END SOLUTION
    '''),
    code('''
    ch = layer_table(ds.cases, ("channel",), orders=ds.orders).set_index("channel")
    check("3", answer_3, ch.loc["douyin", "case_rate"], tolerance=1e-9, why="douyin cases / douyin orders");
    '''),
    md("""
    **Exercise 4.** Fix and reload. Write the cleaning result to a temporary folder, then fix the
    set-aside rows whose satisfaction is out of range by emptying their satisfaction (the score is
    unknown, the case is not), save the file, and load it again together with the clean file. How
    many rows are clean now? (Rows with other problems stay set aside.)
    """),
    code('''
    import tempfile
    from pathlib import Path
    from aftersales.cases import load_cases

    folder = Path(tempfile.mkdtemp())
    written = res.write(folder)
    ### BEGIN SOLUTION
    fix = pd.read_csv(written["set_aside"], dtype=str, keep_default_na=False)
    bad_score = fix["set_aside_reason"] == "satisfaction_out_of_range"
    fix.loc[bad_score, "satisfaction"] = ""
    fix.to_csv(folder / "fixed.csv", index=False)
    again = load_cases([written["clean"], folder / "fixed.csv"])
    answer_4 = again.rows_clean
    ### END SOLUTION
    answer_4
    '''),
    code('''
    check("4", answer_4, res.rows_clean + res.reasons.get("satisfaction_out_of_range", 0),
          tolerance=0, why="the clean rows plus the rows whose only problem was the satisfaction score");
    '''),
    md("""
    **Exercise 5.** Make the strategy rules stricter: a cause layer must carry at least 4% of the cost
    (`StrategyRules(min_share=0.04)`). Which actions disappear from the strategy table, and why might a
    manager prefer fewer, larger actions? (No check: discuss your answer.)
    """),
    code('''
    ### BEGIN SOLUTION
    strict = strategy_table(ds.cases, ds.orders, ds.tiers, StrategyRules(min_share=0.04))
    gone = sorted(set(plan["layer"]) - set(strict["layer"]))
    print(f"{len(plan)} actions -> {len(strict)}; gone:", *(gone or ["none"]), sep="\\n  ")
    print("Fewer, larger actions: each costs management attention and a budget of its own; the layers left "
          "carry most of the cost, so the team fixes what pays first.")
    ### END SOLUTION
    '''),
]


def build() -> nbformat.NotebookNode:
    nb = new_notebook(cells=CELLS)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (aftersales)",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"seg05-{i:02d}"          # stable ids: the file changes only when the text does
    nbformat.validate(nb)
    return nb


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(HERE))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    nbformat.write(build(), out / NAME)
    print(f"wrote {out / NAME}")


if __name__ == "__main__":
    main()
