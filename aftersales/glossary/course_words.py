"""The glossary's words of the course's tools: the exercise checker's messages, the margin shown
for a free service, the axis and legend words of notebook 07's charts, and the words of the
course site.

Read through :mod:`aftersales.glossary`; kept apart from :mod:`aftersales.glossary.tables` so each
file stays short. Unlike :data:`~aftersales.glossary.LABELS` these tables are not looked up by
:func:`~aftersales.glossary.label`: the checker fills its templates with its own fields, and the
site takes one edition's words at a time. Every entry is (English, Chinese) unless said otherwise.
"""
from __future__ import annotations

__all__ = ["QUESTION_UNITS", "PRECISION_WORDS", "PER_WORDS", "CHECKER_MESSAGES", "FREE_SERVICE", "SITE_WORDS",
           "CUSTOMER_CHART_WORDS"]

#: unit key -> how an exercise asks for it (English, Chinese).
QUESTION_UNITS: dict[str, tuple[str, str]] = {
    "yuan": ("yuan", "元"),
    "wan": ("万 yuan", "万元"),
    "share": ("a share between 0 and 1, 0.25 for 25%", "0到1之间的比例（25%写作0.25）"),
    "count": ("a number of items", "件数"),
    "customers": ("a number of customers", "客户人数"),
    "years": ("years", "年"),
    "multiplier": ("a multiplier (1 = as in the file)", "倍数（1表示与文件相同）"),
    "number": ("a number", "数字"),
    "dollars": ("US dollars", "美元"),
    "rows": ("a number of rows", "行数"),
    "purchases": ("a number of purchases", "购买次数"),
}

#: decimals asked for -> the precision in words (English, Chinese).
PRECISION_WORDS: dict[int, tuple[str, str]] = {
    0: ("the nearest whole number", "取整数"),
    1: ("one decimal", "保留一位小数"),
    2: ("two decimals", "保留两位小数"),
    3: ("three decimals", "保留三位小数"),
    4: ("four decimals", "保留四位小数"),
}

#: what one unit of a per-unit question is (English, Chinese).
PER_WORDS: dict[str, tuple[str, str]] = {
    "customer": ("customer", "客户"),
    "item": ("item", "件商品"),
    "case": ("case", "售后工单"),
}

#: message key -> the checker's templates (English, Chinese); fields: id, unit, prec, per,
#: detail, method, why, shown, agree.
CHECKER_MESSAGES: dict[str, tuple[str, str]] = {
    "unanswered": ("{id}: not answered yet. Replace None with your answer ({unit}, {prec}) and run the cell.",
                   "{id}：尚未作答。把 None 换成你的答案（{unit}，{prec}），再运行本单元。"),
    "invalid": ("{id}: not checked. The answer must be a number ({unit}), got {detail}; "
                "write it without quotes, commas or a % sign.",
                "{id}：无法检查。答案必须是数字（{unit}），收到的是 {detail}；不要加引号、逗号或百分号。"),
    "right": ("{id}: right. {shown} agrees with the expected answer {agree}.",
              "{id}：正确。{shown} 与答案一致（{agree}）。"),
    "agree": ("to {prec}, as asked", "{prec}"),
    "wrong": ("{id}: not yet ({shown}).", "{id}：还不对（{shown}）。"),
    "percent": ("It looks like a percentage. The question asks for a share: write 0.25 for 25%.",
                "这看起来是百分数。题目要的是比例：25% 写作 0.25。"),
    "yuan_for_wan": ("It looks like yuan. The question asks for 万 yuan: divide yuan by 10,000.",
                     "这看起来是以元为单位。题目要的是万元：元除以 10,000。"),
    "wan_for_yuan": ("It looks like 万 yuan. The question asks for yuan: multiply 万 by 10,000.",
                     "这看起来是以万元为单位。题目要的是元：万元乘以 10,000。"),
    "sign": ("The size is right, the sign is not: which way does the money (or the change) go?",
             "数值大小对了，符号不对：这笔钱（或这个变化）是流入还是流出？"),
    "total_for_per": ("That is a total. The question asks per {per}: divide by the number of {per}s.",
                      "这是总数。题目要的是每个{per}的数值：除以{per}数。"),
    "per_for_total": ("That is per {per}. The question asks for the total: multiply by the number of {per}s.",
                      "这是每个{per}的数值。题目要的是总数：乘以{per}数。"),
    "trap": ("{detail}", "{detail}"),
    "hint": ("Try again: check the unit ({unit}) and which figures of the scenario you used.",
             "再试一次：检查单位（{unit}）以及你用了情景中的哪些数字。"),
    "method": ("Method: {method}", "方法：{method}"),
    "why": ("Why: {why}", "原因：{why}"),
}

#: key -> the axis and legend words of notebook 07's charts (:mod:`aftersales.course.customer_charts`).
CUSTOMER_CHART_WORDS: dict[str, tuple[str, str]] = {
    "days": ("days after the first purchase", "首次购买后的天数"),
    "share_again": ("share who bought again", "再次购买的客户占比"),
    "quarter": ("quarter", "季度"),
    "active": ("share of the cohort active", "队列中活跃客户占比"),
    "observed": ("observed", "实际"),
    "geometric": ("geometric model", "几何模型"),
    "gone": ("share of buyers the geometric model calls gone", "被几何模型判为流失的购买者占比"),
    "years": ("years after the first purchase", "首次购买后的年数"),
    "value": ("value per customer", "每位客户价值"),
    "closed": ("closed form (geometric)", "闭式公式（几何）"),
    "bgnbd": ("BG/NBD", "BG/NBD"),
    "week": ("week", "周"),
    "days_since_start": ("days since the log's first day", "自交易记录首日起的天数"),
    "cum": ("cumulative repeat purchases", "累计复购次数"),
    "model": ("BG/NBD model", "BG/NBD 模型"),
    "cal_end": ("end of calibration", "校准期结束"),
}

#: What a margin column shows for a service with a price of 0, by ``lang`` ("both" keeps the
#: short Chinese word).
FREE_SERVICE: dict[str, str] = {"en": "n/a: free service", "zh": "不适用：免费服务",
                                "both": "n/a: free service (免费服务)"}

#: The words of the course site, per edition ("en", "zh"); Markdown, with HTML where a page
#: needs it.
SITE_WORDS: dict[str, dict[str, str]] = {
    "en": {"title": "After-sales economics for fashion brands (服装品牌售后经济学)", "series": "The series",
           "index": "Course index", "prev": "Previous", "next": "Next",
           "intro": "The notebook series of the course, executed, with every output and figure. "
                    "Read the pages in order; to work with them, open the notebooks in JupyterLab.",
           "others": "Other notebooks",
           "others_intro": "Notebooks of this folder that the course's table of contents does not list, "
                           "after the series:",
           "scenarios": "Scenario files (情景文件)",
           "scenarios_intro": "The inputs of every case, as TOML files a notebook loads by name:",
           "app": "What-if app",
           "app_intro": "Students who do not code can move the sliders of the P&L in the what-if app: "
                        "`python -m aftersales app` starts it and prints its address.",
           "other": "中文版 (Chinese edition)", "solution": "Solution (答案)",
           "explorer": "This explorer's sliders move in JupyterLab or in the what-if app "
                       "(<code>python -m aftersales app</code>); here is the picture it drew."},
    "zh": {"title": "服装品牌售后经济学", "series": "课程目录", "index": "课程首页", "prev": "上一节", "next": "下一节",
           "intro": "本课程的全部笔记本,已执行,包含所有输出与图表。请按顺序阅读;如需动手,请在 JupyterLab 中打开笔记本。",
           "others": "其他笔记本",
           "others_intro": "本文件夹中课程目录未列出的笔记本,排在课程之后:",
           "scenarios": "情景文件", "scenarios_intro": "每个案例的输入,笔记本按名称加载的 TOML 文件:",
           "app": "假设分析应用", "app_intro": "不写代码的同学可以在假设分析应用中拖动滑块:"
           "运行 `python -m aftersales app` 启动并显示地址(中文界面:在地址后加 `?lang=zh`)。",
           "other": "English edition", "solution": "答案",
           "explorer": "此交互工具的滑块可在 JupyterLab 或假设分析应用中拖动"
                       "(<code>python -m aftersales app</code>,地址后加 <code>?lang=zh</code>);此处为其绘制的图。"},
}
