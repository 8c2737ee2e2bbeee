"""The glossary's tables: terms, inputs, labels, units and the Chinese names of shipped things.

Read through :mod:`aftersales.glossary` (its functions apply the language rule).
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LANGS", "check_lang", "pick", "Term", "UNITS", "TERMS", "INPUTS", "LABELS", "SERVICE_NAMES",
           "SCENARIO_NAMES", "SCENARIO_DESCRIPTIONS"]

#: The label languages.
LANGS = ("en", "zh", "both")


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`; ValueError naming the choices otherwise."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(repr(x) for x in LANGS)}, got {lang!r}")
    return lang


def pick(en: str, zh: str, lang: str = "en") -> str:
    """The language rule applied to one English and one Chinese text.

    Examples
    --------
    >>> pick("value leakage", "价值泄漏", "both")
    'value leakage (价值泄漏)'
    >>> pick("cost", "成本", "zh")
    '成本'
    """
    check_lang(lang)
    if lang == "zh":
        return zh
    if lang == "both":
        if en == zh:
            return en
        return f"{en}\n({zh})" if "\n" in en else f"{en} ({zh})"
    return en


@dataclass(frozen=True)
class Term:
    """A figure or concept: English and Chinese name, and its unit (a key of :data:`UNITS`)."""

    en: str
    zh: str
    unit: str = ""

    def __call__(self, lang: str = "en") -> str:
        return pick(self.en, self.zh, lang)


#: unit key -> (English, Chinese) as shown after a number.
UNITS = {
    "yuan": ("yuan", "元"),
    "wan": ("wan yuan", "万元"),
    "share": ("", ""),
    "count": ("", ""),
    "people": ("customers", "人"),
    "customers": ("customers", "人"),
    "years": ("years", "年"),
    "months": ("months", "个月"),
    "uses": ("uses", "次"),
}

#: The course's terms. Keys are the figure names of the ``evaluate --json`` contract and of the
#: model's kernel where one exists.
TERMS: dict[str, Term] = {
    # -- the after-sales case
    "after_sales": Term("after-sales", "售后"),
    "cost_centre": Term("cost centre", "成本中心"),
    "profit_channel": Term("profit channel", "利润渠道"),
    "remake": Term("remake", "旧衣改造"),
    "deep_clean": Term("deep cleaning and care", "深度清洗护理"),
    "repair": Term("repair", "修补翻新"),
    "storage": Term("seasonal storage", "季节性存储"),
    "value_leakage": Term("value leakage", "价值泄漏"),
    "ltv": Term("customer lifetime value", "客户生命周期价值", "yuan"),
    "wakeup_share": Term("share of customers woken", "被唤醒客户占比", "share"),
    "repurchase_12m": Term("12-month repurchase rate", "12个月复购率", "share"),
    "seed_method": Term("the article's code", "原文代码"),
    "corrected_method": Term("corrected", "修正方法"),
    # -- P&L figures (evaluate --json keys and kernel figure names)
    "service_revenue": Term("service revenue", "服务收入", "yuan"),
    "service_cost": Term("service cost", "服务成本", "yuan"),
    "service_contribution": Term("service contribution", "服务贡献", "yuan"),
    "traditional_cost": Term("traditional cost", "传统售后成本", "yuan"),
    "traditional_net": Term("traditional net", "传统售后净额", "yuan"),
    "va_cost": Term("value-added cost", "增值售后成本", "yuan"),
    "va_net": Term("value-added net", "增值售后净额", "yuan"),
    "value_added_cost": Term("value-added after-sales cost", "增值售后成本", "yuan"),
    "value_added_net": Term("value-added net", "增值售后净额", "yuan"),
    "wakeup_customers": Term("woken customers", "被唤醒客户", "people"),
    "wakeup_orders": Term("wake-up orders", "唤醒订单", "count"),
    "wakeup_revenue": Term("wake-up revenue", "唤醒收入", "yuan"),
    "wakeup_contribution": Term("wake-up contribution", "唤醒贡献", "yuan"),
    "total_effect": Term("total effect", "总效应", "yuan"),
    "repurchase_12m_traditional": Term("12-month repurchase, traditional", "12个月复购率(传统)", "share"),
    "repurchase_12m_value_added": Term("12-month repurchase, value-added", "12个月复购率(增值)", "share"),
    "ltv_traditional": Term("LTV, traditional", "LTV(传统)", "yuan"),
    "ltv_value_added": Term("LTV, value-added", "LTV(增值)", "yuan"),
    # -- per service (evaluate --json services[...] keys)
    "users": Term("users", "使用人数", "people"),
    "uses": Term("uses", "使用次数", "uses"),
    "billable_units": Term("billable units", "计费单位", "count"),
    "revenue": Term("revenue", "收入", "yuan"),
    "cost": Term("cost", "成本", "yuan"),
    "contribution": Term("contribution", "贡献", "yuan"),
    "wakeups": Term("wake-ups", "唤醒人数", "people"),
    # -- value leakage per item (evaluate --json leakage keys)
    "traditional_recovery": Term("traditional recovery", "传统折价回收", "yuan"),
    "leakage_vs_price": Term("leakage against price", "相对原价的价值泄漏", "yuan"),
    "accounting_loss": Term("accounting loss", "账面损失", "yuan"),
    "remake_own_recovery": Term("remake recovery, own customer", "改造回收(原顾客)", "yuan"),
    "remake_new_recovery": Term("remake recovery, new customer", "改造回收(新顾客)", "yuan"),
}

#: Inputs by field name (``brand.<field>``, ``service[..].<field>``, ``scale.<field>``).
INPUTS: dict[str, Term] = {
    "price": Term("price", "价格", "yuan"),
    "acceptance": Term("acceptance", "客户接受度", "share"),
    "uses_per_user_per_year": Term("uses per user per year", "人均年使用次数", "count"),
    "wakeup_rate": Term("wake-up rate", "唤醒率", "share"),
    "material_cost": Term("material cost", "材料成本", "yuan"),
    "labor_cost": Term("labour cost", "人工成本", "yuan"),
    "gross_margin": Term("gross margin", "毛利率", "share"),
    "unit_cost": Term("unit cost", "单位成本", "yuan"),
    "months_per_use": Term("months per use", "每次存储月数", "months"),
    "ltv_extension": Term("LTV extension", "LTV延长", "yuan"),
    "logistics_per_use": Term("logistics per use", "每次物流费", "yuan"),
    "active_customers": Term("active customers", "活跃客户数", "people"),
    "avg_order_value": Term("order value", "客单价", "yuan"),
    "base_ltv": Term("base LTV", "基础LTV", "yuan"),
    "return_rate": Term("return rate", "退货率", "share"),
    "purchases_per_year": Term("purchases per year", "年购买次数", "count"),
    "baseline_repurchase_12m": Term("baseline repurchase p0", "基准复购率 p0", "share"),
    "wakeup_conversion": Term("wake-up conversion c", "唤醒转化率 c", "share"),
    "product_gross_margin": Term("product gross margin", "商品毛利率", "share"),
    "discount_rate": Term("discount rate d", "折现率 d", "share"),
    "price_elasticity": Term("price elasticity", "价格弹性", "count"),
    "team_salary": Term("team salary", "团队薪酬", "yuan"),
    "logistics": Term("logistics", "物流", "yuan"),
    "quality_check": Term("quality check", "质检", "yuan"),
    "discounted_resale_loss": Term("discounted resale loss", "折价转售损失", "yuan"),
    "scale_acceptance": Term("acceptance multiplier", "接受度倍数", "count"),
}

#: Words of figures, tables, explorers and the report: key -> (English, Chinese) templates.
LABELS: dict[str, tuple[str, str]] = {
    # methods and units
    "seed": ("seed", "原文代码"),
    "corrected": ("corrected", "修正方法"),
    "wan_per_year": ("wan yuan (10,000 yuan) per year", "万元/年"),
    "wan_axis": ("wan yuan (10,000 yuan)", "万元"),
    "yuan_axis": ("yuan", "元"),
    "people_axis": ("customers", "人"),
    "share_pct": ("share of the cohort, %", "占比(%)"),
    "free": ("free", "免费"),
    "no_price_note": ("a price of 0 has no margin", "价格为0,无毛利率"),
    # dashboard
    "dashboard_title": ("After-sales dashboard: {scenario}, {method} method", "售后盈利分析面板:{scenario}({method})"),
    "rev_vs_cost": ("Revenue vs cost per service", "各服务收入与成本"),
    "margin_title": ("Gross margin per service", "各服务毛利率"),
    "gross_margin_pct": ("gross margin, %", "毛利率(%)"),
    "line60": ("60% line", "健康线(60%)"),
    "article_range": ("article's range", "原文区间"),
    "pnl_title": ("Traditional vs value-added after-sales", "传统售后与增值售后盈亏"),
    "trad_net": ("traditional\nnet", "传统售后\n净额"),
    "va_net_bar": ("value-added\nnet", "增值售后\n净额"),
    "total_seed": ("total effect\n(+ LTV boost\n+ wake-up sales)", "总效应\n(+LTV提升\n+唤醒收入)"),
    "total_corrected": ("total effect\n(+ wake-up\ncontribution)", "总效应\n(+唤醒贡献)"),
    "ltv_title": ("Customer LTV waterfall", "客户生命周期价值(LTV)瀑布图"),
    "ltv_yuan": ("LTV, yuan per customer", "LTV(元/人)"),
    "final_ltv": ("final LTV", "最终LTV"),
    "wakeup_effect": ("wake-up\neffect", "唤醒效应"),
    "retention": ("retention\n{p0} -> {p1}", "复购提升\n{p0}→{p1}"),
    "service_contribution_step": ("service\ncontribution", "服务贡献"),
    # method comparison
    "comparison_title": ("Seed vs corrected: {scenario}", "原文代码与修正方法对比:{scenario}"),
    "va_cost_bar": ("value-added\ncost", "增值售后\n成本"),
    "wakeup_revenue_bar": ("wake-up\nrevenue", "唤醒收入"),
    "total_effect_bar": ("total\neffect", "总效应"),
    "traditional_line": ("traditional net", "传统售后净额"),
    # leakage
    "leakage_title": ("Value of one discounted return, {route} ({method} method)", "一件折价退货的价值({route},{method})"),
    "route_own": ("remade for the own customer", "为原顾客改造"),
    "route_new": ("remade for a new customer", "改造后卖给新顾客"),
    "original_price": ("original\nprice", "原价"),
    "leakage_step": ("leakage\n(vs price)", "价值泄漏\n(相对原价)"),
    "recovered": ("recovered on\ndiscounted resale", "折价回收"),
    "remake_fee": ("+ remake fee", "+改造费"),
    "remake_cost": ("- remake cost", "-改造成本"),
    "remake_cost_seed": ("- remake cost\n(left out)", "-改造成本\n(原文未计)"),
    "remake_recovery": ("remake\nrecovery", "改造后回收"),
    "cogs_line": ("cost of goods", "商品成本"),
    "yuan_per_item": ("yuan per item", "元/件"),
    # what-if
    "tornado_title": ("What moves {figure} most", "{figure}的敏感性(龙卷风图)"),
    "low_input": ("input at low end", "参数取低值"),
    "high_input": ("input at high end", "参数取高值"),
    "base": ("base", "基准"),
    "outside_range": ("* the scenario's value lies outside the article's range: both ends move the figure the same way",
                      "* 情景取值在原文区间之外:两端使指标同向变化"),
    "grid_title": ("{figure} over two inputs", "{figure}双因素表"),
    "mc_title": ("Total effect over {draws:,} draws ({method} method)", "总效应分布({draws:,}次抽样,{method})"),
    "draws": ("draws", "抽样数"),
    "p_beats": ("P(value-added beats traditional) = {p:.1%}", "增值售后胜过传统售后的概率 = {p:.1%}"),
    "p_break_even": ("P(value-added net >= 0) = {p:.1%}", "增值售后自身盈亏平衡的概率 = {p:.1%}"),
    # lifecycle
    "cohort_title": ("One buying cohort, month by month", "一批购买客户的逐月轨迹"),
    "month": ("month after purchase", "购买后月份"),
    "touched": ("used a service", "使用过服务"),
    "woken": ("woken", "被唤醒"),
    "repurchased_natural": ("repurchased anyway (p0)", "自然复购(p0)"),
    "repurchased_woken": ("repurchased because woken", "因唤醒复购"),
    "repurchased": ("repurchased, total", "复购合计"),
    "p1_note": ("p1 = {p1:.1%}", "p1 = {p1:.1%}"),
    "service_econ_title": ("Service economics: {scenario}, {method} method", "服务经济性:{scenario}({method})"),
    # explorers and tables
    "scenario": ("scenario", "情景"),
    "dashboard": ("dashboard", "面板"),
    "brand": ("Brand", "品牌"),
    "services": ("Services", "服务"),
    "service": ("service", "服务"),
    "kind": ("kind", "类型"),
    "figure": ("figure", "指标"),
    "unit": ("unit", "单位"),
    "pnl_caption": ("Annual P&L, {scenario} (yuan per year)", "年度损益:{scenario}(元/年)"),
    "lifecycle_summary": ("12-month repurchase {p0} &rarr; {p1}; woken at least once {share}; LTV {ltv0} &rarr; {ltv1} yuan ({lift})",
                          "12个月复购率 {p0} &rarr; {p1};至少被唤醒一次 {share};LTV {ltv0} &rarr; {ltv1} 元({lift})"),
    "redraw_error": ("Could not redraw", "无法重绘"),
    "yuan_col": ("{name} (yuan)", "{name}(元)"),
    "wan_col": ("{name} (wan)", "{name}(万元)"),
    # the report
    "report_title": ("After-sales report: {scenario}", "售后报告:{scenario}"),
    "report_services": ("Services (per year; money in wan yuan = 10,000 yuan)", "服务(每年;金额单位:万元)"),
    "report_pnl": ("P&L and lifecycle", "损益与客户生命周期"),
    "report_leakage": ("Value leakage of one discounted return (yuan per item)", "一件折价退货的价值泄漏(元/件)"),
    "report_png": ("Dashboard written to {path}", "面板已写入 {path}"),
    "report_p1_note": ("Note: the '12-month repurchase' p1 is the share repurchased by month 14 of the article's "
                       "timeline (clean at month 12, order two months later).",
                       "注:所谓“12个月复购率”p1,是原文时间线中第14个月的复购占比(第12个月清洗,两个月后下单)。"),
    "report_bounds": ("Wake-up share bounds (corrected): overlap between services is unknown",
                      "被唤醒客户占比的上下界(修正方法):各服务唤醒的客户重叠多少并不知道"),
    "full_overlap": ("full overlap", "完全重叠"),
    "independent": ("independent", "相互独立"),
    "no_overlap": ("no overlap", "没有重叠"),
    "report_mc": ("Chance of breaking even (Monte Carlo over the uncertainties, prices held, seed 0)",
                  "盈亏平衡的可能性(对不确定输入做蒙特卡洛模拟,价格保持不变,种子 0)"),
    "report_elasticity_zero": ("Price elasticity is 0: demand does not answer price in this scenario.",
                               "价格弹性为 0:本情景中需求不随价格变化。"),
    "report_assumptions": ("Assumptions (corrected method)", "假设(修正方法)"),
    "report_verdict": ("Verdict (corrected method)", "结论(修正方法)"),
    "report_verdict_seed": ("Verdict the article's code would give (seed method)", "原文代码会给出的结论"),
    "revenue_seed": ("revenue seed", "收入(原文)"),
    "revenue_corrected": ("revenue corr", "收入(修正)"),
    "margin": ("margin", "毛利率"),
    "verdict_pays": ("After-sales pays for itself: value-added net {net} against {trad} today.",
                     "增值售后自负盈亏:增值售后净额 {net},当前为 {trad}。"),
    "verdict_narrows": ("Value-added after-sales narrows the loss from {trad} to {net} ({gain} better) but does not break even on its own.",
                        "增值售后把亏损从 {trad} 缩小到 {net}(改善 {gain}),但自身仍未盈亏平衡。"),
    "verdict_worse": ("Value-added after-sales loses more than today ({net} against {trad}): review prices and costs before launching.",
                      "增值售后比现在亏得更多({net},当前为 {trad}):上线前请复核价格与成本。"),
    "verdict_what_corrected": ("wake-up contribution", "唤醒贡献"),
    "verdict_what_seed": ("LTV boost and wake-up sales", "LTV提升与唤醒收入"),
    "verdict_total": ("Counting the {what}, the total effect is {total} a year.", "计入{what}后,总效应为每年 {total}。"),
    "verdict_negative": ("Even counting the {what}, the total effect stays negative ({total}).", "即使计入{what},总效应仍为负({total})。"),
    "verdict_best": ("Highest gross margin: {best} ({margin}); largest contribution: {earner} ({contribution}).",
                     "毛利率最高:{best}({margin});贡献最大:{earner}({contribution})。"),
    # the stratified analysis (segment charts)
    "seg_cost_wan": ("cost, wan yuan", "成本(万元)"),
    "seg_cumulative": ("cumulative share of cost, %", "成本累计占比(%)"),
    "seg_pareto_title": ("Pareto of after-sales cost by {keys}: {n} of {total} layers carry {threshold:.0%}",
                         "售后成本帕累托图(按{keys}):{total}层中的{n}层占{threshold:.0%}"),
    "seg_value_wan": ("{value}, wan yuan", "{value}(万元)"),
    "seg_heatmap_title": ("After-sales {value} by {rows} x {cols}", "售后{value}热力图:{rows} x {cols}"),
    "seg_cost_per_customer": ("after-sales cost per customer", "人均售后成本"),
    "seg_spend_per_customer": ("spend per customer", "人均消费"),
    "seg_yuan_per_customer_log": ("yuan per customer (log scale)", "元/人(对数刻度)"),
    "seg_tier_title": ("Cost against value by customer tier", "各价值层成本与价值"),
    "seg_cost_share": ("after-sales cost, % of the tier's spending", "售后成本占该层消费(%)"),
    "seg_cost_share_title": ("Cost share of spending", "成本占消费比例"),
    "seg_category": ("category", "品类"),
    "seg_reason": ("reason", "原因"),
    "seg_channel": ("channel", "渠道"),
    "seg_customer_tier": ("customer tier", "客户层级"),
    "seg_case_type": ("case type", "售后类型"),
    "seg_layer": ("layer", "分层"),
    "seg_net": ("net", "净额"),
    # the notebooks' own lines
    "scenario_line": ("Scenario {name}: {description}", "情景 {name}:{description}"),
    "scenario_counts": ("{customers} active customers, {n} services: {names}", "{customers} 名活跃客户,{n} 项服务:{names}"),
    "difference": ("difference", "差额"),
    "share_word": ("share", "比例"),
    "nb_verdict_corrected": ("Corrected method:", "修正方法:"),
    "nb_verdict_seed": ("The article's code (seed method):", "原文代码:"),
    "nb_mc_chance": ("Chance of breaking even (Monte Carlo, prices held): ", "盈亏平衡的可能性(蒙特卡洛模拟,价格不变):"),
}

#: Chinese names of the shipped services, by their name in the scenario files.
SERVICE_NAMES: dict[str, str] = {
    "Basic remake": "基础旧衣改造", "Designer remake": "设计师款旧衣改造",
    "Deep clean & care": "深度清洗护理", "Repair & refresh": "修补翻新",
    "Seasonal storage": "季节性存储", "Quick repair": "快速修补", "Restyle remake": "改款改造",
    "Wash & care": "清洗护理", "Repair (zip, seam, patch)": "修补(拉链、接缝、补丁)",
    "Re-proofing & technical wash": "防水复原与专业洗护", "Worn Wear trade-in remake": "以旧换新改造",
    "Off-season gear storage": "换季装备存储",
}
#: Chinese names of the shipped scenarios, by file name.
SCENARIO_NAMES: dict[str, str] = {
    "seed-demo": "原文示例", "article-headline": "原文标题数字", "fast-fashion": "快时尚品牌",
    "outdoor-repair": "户外修补品牌",
}

#: Chinese descriptions of the shipped scenarios, by file name (the files hold the English ones).
SCENARIO_DESCRIPTIONS: dict[str, str] = {
    "seed-demo": "原文代码中的示例参数:80,000 名客户,五项服务,存储按月计费。",
    "article-headline": "复现原文标题损益的假设(成本 520万,收入 340万,净额 -180万)。",
    "fast-fashion": "50万名客户,客单价 260 元,退货率 28%,修补便宜,改造很少。",
    "outdoor-repair": "12万名客户,客单价 2,400 元,退货率 10%,以修补为核心。",
}

from aftersales.glossary.notebook_labels import NOTEBOOK_LABELS  # noqa: E402

_twice = set(NOTEBOOK_LABELS) & set(LABELS)
assert not _twice, f"labels defined twice: {sorted(_twice)}"
LABELS.update(NOTEBOOK_LABELS)
