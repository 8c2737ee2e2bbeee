"""Notebook 05, stratified after-sales analytics: the vital few, a cut's saving, cost per case, fix and reload.

The context is the notebook's cleaned data (``ds``, a :class:`~aftersales.segment.analysis.Dataset`):
``ds.cases`` (one row per clean case, with ``cost``, ``handling_cost``, ``category``, ``reason``,
``channel``) and ``ds.result`` (the cleaning outcome: ``rows_clean``, ``reasons``). The answers are
computed here with pandas from those columns, the way the question words them, so they hold for the
generated brand year and for any shop export.
"""
from __future__ import annotations

from aftersales.course.checker import Question

CONTEXT = "dataset"
#: the share of the size_fit cases a better size guide avoids (q2)
CUT = 0.3


def _total(ds) -> float:
    return float(ds.cases["cost"].sum())


def _layers(ds):
    """Cost by category x reason, largest first."""
    return ds.cases.groupby(["category", "reason"], observed=True)["cost"].sum().sort_values(ascending=False)


def _share(ds, n: int) -> float:
    total = _total(ds)
    return float(_layers(ds).head(n).sum()) / total if total > 0 else float("nan")


def _fit(ds):
    """The size_fit cases of the category whose size_fit cases cost the most."""
    c = ds.cases
    fit = c[c["reason"].astype(str) == "size_fit"]
    if fit.empty:
        return fit
    worst = fit.groupby(fit["category"].astype(str))["cost"].sum().idxmax()
    return fit[fit["category"].astype(str) == worst]


def _busiest(ds):
    """The cases of the channel with the most cases."""
    ch = ds.cases["channel"].astype(str)
    return ds.cases[ch == ch.value_counts().idxmax()]


QUESTIONS = (
    Question("q1", "share", 4, lambda ds: _share(ds, 3),
             method="cost by category x reason with groupby(...)['cost'].sum(), sorted largest first; add "
                    "the first three and divide by the total cost of all cases.",
             why="the same share as the third row of layer_table's cumulative_share: a few layers carry much "
                 "of the cost, the vital few a Pareto looks for.",
             traps=((lambda ds: _share(ds, 1), "That is the largest layer alone: add the next two."),)),
    Question("q2", "wan", 2, lambda ds: CUT * float(_fit(ds)["cost"].sum()) / 1e4,
             method="take the size_fit cases, find the category whose size_fit cases cost the most, add their "
                    "cost (logistics + handling + discount loss), take 30% of it and divide by 10,000 for 万.",
             why="a measure saves the cost of the cases it avoids, no more: the same figure as cut_savings("
                 "ds.cases, 0.3, reasons='size_fit', where={'category': ...})['cost_saved'].",
             traps=((lambda ds: float(_fit(ds)["cost"].sum()) / 1e4,
                     "That is the cost of all those cases: the size guide avoids only 30% of them."),
                    (lambda ds: CUT * float((_fit(ds)["cost"] - _fit(ds)["handling_cost"]).sum()) / 1e4,
                     "That is the cash saved, without the salaried handling; the question asks for all the "
                     "cost the avoided cases would have had."))),
    Question("q3", "yuan", 2, lambda ds: float(_busiest(ds)["cost"].mean()),
             method="count the cases by channel (value_counts), take the channel with the most, and divide the "
                    "cost of its cases by their number.",
             why="a busy channel is not an expensive one per case: compare its cost per case with the "
                 "others' before blaming it.",
             per=lambda ds: len(_busiest(ds)), per_kind="per", per_word="case",
             traps=((lambda ds: float(ds.cases["cost"].mean()),
                     "That is the cost per case over all channels; the question asks for the busiest one."),)),
    Question("q4", "rows", 0, lambda ds: ds.result.rows_clean + ds.result.reasons.get("bad_date", 0),
             method="res.write(folder); read the set-aside file, give the rows whose set_aside_reason is "
                    "bad_date the date 2024-01-01, save it and load_cases([clean file, fixed file]); read "
                    "rows_clean.",
             why="the fixed rows join the clean ones; the rows with another problem come back set aside with "
                 "their reasons: rows in = clean + set aside, still.",
             traps=((lambda ds: ds.result.rows_clean,
                     "That is the number of clean rows before the fix: load the fixed file together with the "
                     "clean one."),
                    (lambda ds: ds.result.reasons.get("bad_date", 0),
                     "That counts only the rows you fixed; the clean file's rows are clean too."))),
)

#: the Chinese texts of the checker (method, why[, traps]), shown with lang="zh"
ZH = {
    "q1": ("用 groupby(...)['cost'].sum() 按品类 × 原因汇总成本，从大到小排序；把前三项相加，再除以全部工单的总成本。",
           "这与 layer_table 中第三行的累计占比相同：少数几层承担了大部分成本，这正是帕累托分析要找的关键少数。",
           ("这只是最大的一层：再加上接下来的两层。",)),
    "q2": ("取原因为尺码不合适的工单，找出这类工单成本最高的品类，把它们的成本（物流 + 处理 + 折价损失）相加，"
           "取其中的 30%，再除以 10,000 换算成万元。",
           "一项措施节省的只是它避免的那些工单的成本：与 `cut_savings(ds.cases, 0.3, reasons='size_fit', "
           "where={'category': ...})['cost_saved']` 相同。",
           ("这是这些工单的全部成本：尺码指引只能避免其中的 30%。",
            "这是节省的现金，不含固定薪酬的处理成本；题目问的是被避免的工单本来会产生的全部成本。")),
    "q3": ("按渠道统计工单数（value_counts），取工单最多的渠道，用它的工单总成本除以工单数。",
           "工单多的渠道不一定单件成本高：先把它的单件成本与其他渠道比较，再下结论。",
           ("这是所有渠道的单件成本；题目问的是工单最多的那个渠道。",)),
    "q4": ("res.write(folder)；读取待修正文件，把 set_aside_reason 为 bad_date 的行的日期改为 2024-01-01，"
           "保存后执行 load_cases([清洗后文件, 修正后文件])；读取 rows_clean。",
           "修正后的行加入了清洗后的数据；有其他问题的行连同原因再次被列为待修正：输入行数 = 清洗后 + 待修正，依然成立。",
           ("这是修正前的清洗后行数：要把修正后的文件与清洗后的文件一起加载。",
            "这只数了你修正的行；清洗后文件中的行也是干净的。")),
}
