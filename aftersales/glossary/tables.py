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
    """``lang`` if it is one of :data:`LANGS`; ValueError naming the choices otherwise.

    Parameters
    ----------
    lang : str
        A label language: ``"en"``, ``"zh"`` or ``"both"``.

    Returns
    -------
    str
        ``lang`` itself, so a caller can check and use it in one expression.

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`LANGS`; the message names the three choices.

    Examples
    --------
    >>> check_lang("zh")
    'zh'
    >>> check_lang("cn")
    Traceback (most recent call last):
    ...
    ValueError: lang must be one of 'en', 'zh', 'both', got 'cn'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(repr(x) for x in LANGS)}, got {lang!r}")
    return lang


def pick(en: str, zh: str, lang: str = "en") -> str:
    """The language rule applied to one English and one Chinese text.

    Parameters
    ----------
    en, zh : str
        The English and the Chinese text.
    lang : {"en", "zh", "both"}, optional
        English only (default), Chinese only, or ``"English (中文)"``.

    Returns
    -------
    str
        The text in ``lang``.

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`LANGS` (:func:`check_lang`).

    Notes
    -----
    With ``"both"``, a text the same in both languages (a proper name such as ``LTV``) is written
    once, and the Chinese goes on a line of its own when the English is split over lines (a chart's
    axis label), so that the two-line English label stays together.

    Examples
    --------
    >>> pick("value leakage", "价值泄漏", "both")
    'value leakage (价值泄漏)'
    >>> pick("cost", "成本", "zh")
    '成本'
    >>> pick("gross\\nmargin", "毛利率", "both"), pick("LTV", "LTV", "both")
    ('gross\\nmargin\\n(毛利率)', 'LTV')
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
    """A figure or concept: English and Chinese name, and its unit (a key of :data:`UNITS`).

    Calling a term with a language applies the language rule (:func:`pick`).

    Parameters
    ----------
    en : str
        English name.
    zh : str
        Chinese name.
    unit : str, optional
        Key of :data:`UNITS` the figure is measured in (``"yuan"``, ``"share"``, ``"people"``, ...);
        empty (the default) for a concept without a unit.

    Examples
    --------
    >>> ltv = TERMS["ltv"]
    >>> ltv("both"), ltv.unit
    ('customer lifetime value (客户生命周期价值)', 'yuan')
    >>> Term("repair", "修补翻新")("zh")
    '修补翻新'
    """

    en: str
    zh: str
    unit: str = ""

    def __call__(self, lang: str = "en") -> str:
        """The name in ``lang`` (``"en"``, ``"zh"`` or ``"both"``)."""
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
    # the key-figures record of each notebook (course/records.py)
    "record_heading": ("Key figures recorded:", "已记录的关键数字："),
    "record_heading_for": ("Key figures recorded for {notebook}:", "已记录的关键数字（{notebook}）："),
    "record_also": ("also: ", "另有："),
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
    # notebook 05 in Chinese: values of the case fields (segv_<value>), columns (segc_<column>), sentences
    "segv_accessories": ("accessories", "配饰"), "segv_dresses": ("dresses", "连衣裙"),
    "segv_knitwear": ("knitwear", "针织衫"), "segv_outerwear": ("outerwear", "外套"),
    "segv_shoes": ("shoes", "鞋履"), "segv_tops": ("tops", "上衣"), "segv_trousers": ("trousers", "裤装"),
    "segv_douyin": ("douyin", "抖音"), "segv_jd": ("jd", "京东"), "segv_store": ("store", "门店"),
    "segv_tmall": ("tmall", "天猫"), "segv_wechat_mall": ("wechat_mall", "微信商城"),
    "segv_return": ("return", "退货"), "segv_exchange": ("exchange", "换货"), "segv_repair": ("repair", "维修"),
    "segv_complaint": ("complaint", "投诉"), "segv_remake": ("remake", "改造"), "segv_deep_clean": ("deep_clean", "清洗"),
    "segv_storage": ("storage", "存储"), "segv_refund_only": ("refund_only", "仅退款"),
    "segv_size_fit": ("size_fit", "尺码不合适"), "segv_quality_defect": ("quality_defect", "质量问题"),
    "segv_description_mismatch": ("description_mismatch", "描述不符"),
    "segv_logistics_delay": ("logistics_delay", "物流延误"), "segv_transit_damage": ("transit_damage", "运输损坏"),
    "segv_changed_mind": ("changed_mind", "不想要了"), "segv_color_difference": ("color_difference", "色差"),
    "segv_other": ("other", "其他"), "segv_unknown": ("unknown", "未知"), "segv_all": ("all", "全部"),
    "segv_high": ("high", "高价值"), "segv_mid": ("mid", "中价值"), "segv_low": ("low", "低价值"),
    "segv_champions": ("champions", "重要价值客户"), "segv_loyal": ("loyal", "忠诚客户"),
    "segv_can_t_lose_them": ("can't lose them", "重要挽留客户"), "segv_at_risk": ("at risk", "流失风险客户"),
    "segv_new": ("new", "新客户"), "segv_promising": ("promising", "潜力新客"),
    "segv_potential_loyalists": ("potential loyalists", "潜在忠诚客户"),
    "segv_need_attention": ("need attention", "需关注客户"), "segv_about_to_sleep": ("about to sleep", "即将沉睡客户"),
    "segv_lost_hibernating": ("lost / hibernating", "流失/沉睡客户"),
    "segv_missing_id": ("missing_id", "缺少编号"), "segv_duplicate_case_id": ("duplicate_case_id", "工单号重复"),
    "segv_bad_date": ("bad_date", "日期无效"), "segv_non_numeric_money": ("non_numeric_money", "金额不是数字"),
    "segv_negative_money": ("negative_money", "金额为负"), "segv_unknown_label": ("unknown_label", "未知标签"),
    "segv_satisfaction_out_of_range": ("satisfaction_out_of_range", "满意度不在1-5之间"),
    "segv_bad_resolution_days": ("bad_resolution_days", "处理天数无效"),
    "segv_product_fix": ("product fix", "产品改进"), "segv_description_fix": ("description fix", "描述优化"),
    "segv_carrier_change": ("carrier change", "更换承运商"), "segv_premium_service": ("premium service", "高价值客户专属服务"),
    "segv_cost_control": ("cost control", "低价值客户成本控制"), "segv_preventive_care": ("preventive care", "预防性维护"),
    "segv_quality_defects": ("quality defects", "质量问题"),
    "segv_description_and_colour_mismatches": ("description and colour mismatches", "描述不符与色差"),
    "segv_fit_problems": ("fit problems", "尺码问题"),
    "segv_delays_and_transit_damage": ("delays and transit damage", "物流延误与运输损坏"),
    "segv_repairs_and_quality_defects": ("repairs and quality defects", "维修与质量问题"),
    "segc_cases": ("cases", "工单数"), "segc_cost": ("cost", "成本(元)"), "segc_net": ("net", "净额(元)"),
    "segc_share_of_cost": ("share_of_cost", "成本占比"), "segc_cumulative_share": ("cumulative_share", "累计占比"),
    "segc_cost_per_case": ("cost_per_case", "单件成本(元)"), "segc_case_rate": ("case_rate", "单均工单率"),
    "segc_return_rate": ("return_rate", "单均退货率"), "segc_cost_per_order": ("cost_per_order", "单均成本(元)"),
    "segc_orders": ("orders", "订单数"), "segc_customers": ("customers", "客户数"),
    "segc_revenue": ("revenue", "消费额(元)"), "segc_value_per_customer": ("value_per_customer", "人均消费(元)"),
    "segc_cost_per_customer": ("cost_per_customer", "人均成本(元)"),
    "segc_cost_share_of_revenue": ("cost_share_of_revenue", "成本占消费"),
    "segc_action": ("action", "措施"), "segc_rate": ("rate", "比率"), "segc_average_rate": ("average_rate", "平均比率"),
    "segc_cash_cost": ("cash_cost", "现金成本(元)"), "segc_evidence": ("evidence", "依据"),
    "segc_measure": ("measure", "措施"), "segc_cut": ("cut", "减少比例"), "segc_cases_avoided": ("cases_avoided", "避免的工单"),
    "segc_cost_saved": ("cost_saved", "节省成本(元)"), "segc_cash_saved": ("cash_saved", "节省现金(元)"),
    "segc_fixed_cost_kept": ("fixed_cost_kept", "仍需支付的固定成本(元)"), "segc_net_gain": ("net_gain", "净额改善(元)"),
    "segc_refunds_avoided": ("refunds_avoided", "避免的退款(元)"),
    "segc_share_of_total_cost": ("share_of_total_cost", "占总成本"),
    "segc_case_id": ("case_id", "售后单号"), "segc_order_id": ("order_id", "订单号"),
    "segc_customer_id": ("customer_id", "客户编号"), "segc_opened_at": ("opened_at", "申请日期"),
    "segc_refund_amount": ("refund_amount", "退款金额(元)"), "segc_source_file": ("source_file", "来源文件"),
    "segc_source_row": ("source_row", "来源行"), "segc_set_aside_reason": ("set_aside_reason", "待修正原因"),
    "segc_set_aside_detail": ("set_aside_detail", "说明"), "segc_segment": ("segment", "RFM分群"),
    "segc_value_tier": ("value_tier", "价值层"), "segc_rows": ("rows", "行数"), "segc_field": ("field", "字段"),
    "segc_month": ("month", "月份"), "segc_week": ("week", "周"), "segc_quarter": ("quarter", "季度"),
    "segc_half_a": ("half A", "前一半"), "segc_half_b": ("half B", "后一半"), "segc_all": ("All", "合计"),
    "segc_set_aside_reason_index": ("set-aside reason", "待修正原因"), "segc_field_set_aside": ("field set aside", "被搁置的字段"),
    "seg_scenario_line": ("Scenario {name}", "情景：{name}"),
    "seg_sources_line": ("Layers by {by}; cases from {files}", "分层维度：{by}；工单来自 {files}"),
    "seg_no_orders_note": ("; no orders (no tiers, no rates per order)", "；没有订单（没有客户分层，也没有单均比率）"),
    "seg_none": ("(none)", "（无）"),
    "seg_rows_line": ("rows in {rows_in} = clean {clean} + set aside {aside} (cost set aside {cost})",
                      "输入 {rows_in} 行 = 清洗后 {clean} 行 + 待修正 {aside} 行（待修正记录的成本 {cost}）"),
    "seg_tiers_line": ("{customers} customers with {orders} orders (monetary value net of refunds)",
                       "{customers} 位客户，{orders} 笔订单（消费金额已扣除退款）"),
    "seg_no_tiers": ("no orders: no RFM tiers", "没有订单：无法计算 RFM 客户分层"),
    "seg_total_line": ("total cost {cost}, net {net}; {n} of {layers} layers carry {threshold:.0%} of the cost "
                       "and hold {cases:.1%} of the cases",
                       "总成本 {cost}，净额 {net}；{layers} 层中的 {n} 层承担了 {threshold:.0%} 的成本，占工单的 {cases:.1%}"),
    "seg_cut_line": ("A {cut:.0%} cut of the largest layer ({layer}) saves {saved} of cost ({share:.1%} of all after-sales "
                     "cost), of which {cash} in cash: the salaried team ({fixed}) is paid anyway; refunds avoided "
                     "{refunds} are sales kept, not profit",
                     "把最大的一层（{layer}）减少 {cut:.0%}，可节省成本 {saved}（占全部售后成本的 {share:.1%}），其中现金 "
                     "{cash}：固定薪酬的团队（{fixed}）照样要付；避免的退款 {refunds} 是保住的销售额，不是利润"),
    "seg_cut_line_layer": ("A {cut:.0%} cut of the layer {layer} saves {saved} of cost ({share:.1%} of all after-sales "
                           "cost), of which {cash} in cash: the salaried team ({fixed}) is paid anyway; refunds avoided "
                           "{refunds} are sales kept, not profit",
                           "把这一层（{layer}）减少 {cut:.0%}，可节省成本 {saved}（占全部售后成本的 {share:.1%}），其中现金 "
                           "{cash}：固定薪酬的团队（{fixed}）照样要付；避免的退款 {refunds} 是保住的销售额，不是利润"),
    "seg_halves_line": ("{same} of the top {n} layers are the same in both halves", "前 {n} 层中有 {same} 层在两半数据中相同"),
    "seg_actions_left": ("{before} actions -> {after}; the actions that are gone:", "措施从 {before} 项减少到 {after} 项；消失的措施："),
    "seg_evidence_rate": ("{cases} {what} in {base} {unit}: {rate:.1%}, {ratio:.2f}x the average {avg:.1%} (z = {z:.1f})",
                          "{base} {unit}中有 {cases} 件{what}：{rate:.1%}，是平均值 {avg:.1%} 的 {ratio:.2f} 倍（z = {z:.1f}）"),
    "seg_evidence_tier": ("after-sales cost is {rate:.1%} of the tier's spending, {ratio:.2f}x the {avg:.1%} over all tiers",
                          "售后成本占该层消费的 {rate:.1%}，是全部客户层平均值 {avg:.1%} 的 {ratio:.2f} 倍"),
    "seg_unit_orders": ("orders", "笔订单"), "seg_unit_cases": ("cases", "件工单"),
    "seg_explorer_dims": ("Layer by", "分层维度"), "seg_explorer_filter": ("Filter", "筛选"),
    "seg_explorer_drill": ("Drill down", "下钻到工单"), "seg_layers_shown": ("layers shown", "显示层数"),
    "seg_cases_of_layer": ("cases of layer", "该层的工单"), "seg_pick_layer": ("(pick a layer)", "（选择一层）"),
    "seg_explorer_summary": ("{cases} cases, cost {cost}, net {net}; {n} of {layers} layers carry {threshold:.0%} of the cost",
                             "{cases} 件工单，成本 {cost}，净额 {net}；{layers} 层中的 {n} 层承担了 {threshold:.0%} 的成本"),
    "seg_drill_line": ("{cases} cases, cost {cost}", "{cases} 件工单，成本 {cost}"),
    "seg_cannot_draw": ("cannot draw this selection: {error}", "无法绘制这一选择：{error}"),
    "segc_handling_cost": ("handling_cost", "处理费用"), "segc_logistics_cost": ("logistics_cost", "物流费用"),
    "segc_discount_loss": ("discount_loss", "折价损失"), "segc_service_revenue": ("service_revenue", "服务收入"),
    "segc_item_price": ("item_price", "商品价格"), "segc_satisfaction": ("satisfaction", "满意度"),
    "segc_resolution_days": ("resolution_days", "处理天数"), "segc_layer": ("layer", "分层"),
    "seg_empty_value": ("(empty)", "（空）"),
    "seg_year_cases_file": ("brand_year_cases.csv", "品牌年度工单.csv"),
    "seg_year_orders_file": ("brand_year_orders.csv", "品牌年度订单.csv"),
    "seg_detail_missing_id": ("{col} is empty", "{col}为空"),
    "seg_detail_duplicate_case_id": ("case_id {val} appeared earlier; the first is kept", "售后单号 {val} 此前已出现；保留第一条"),
    "seg_detail_bad_date": ("{col} {val} is not a date (YYYY-MM-DD)", "{col} {val} 不是日期（年-月-日）"),
    "seg_detail_non_numeric_money": ("{col} {val} is not an amount in yuan", "{col} {val} 不是以元计的金额"),
    "seg_detail_negative_money": ("{col} {val} is negative", "{col} {val} 为负数"),
    "seg_detail_unknown_label": ("{col} {val} is not a known label (add it to the alias table)",
                                 "{col} {val} 不是已知标签（请加入别名表）"),
    "seg_detail_satisfaction_out_of_range": ("satisfaction {val} is not a whole number 1-5", "满意度 {val} 不是 1-5 的整数"),
    "seg_detail_bad_resolution_days": ("resolution_days {val} is not a number of days >= 0", "处理天数 {val} 不是不小于 0 的天数"),
    # notebook 07 (real customers), printed lines
    "cust_parameters": ("calibration to {end}, time unit {unit}", "校准期截至 {end}，时间单位：{unit}"),
    "cust_unit_W": ("weeks", "周"), "cust_unit_D": ("days", "天"),
    "cust_data": ("{customers} customers, {transactions} purchases, {first} to {last}; rows set aside: {aside}",
                  "{customers} 位客户，{transactions} 次购买，{first} 至 {last}；待修正记录：{aside} 行"),
    "cust_within": ("within {days} days: {share}", "{days} 天内：{share}"),
    "cust_quarter": ("quarter {k}: active {obs}   geometric {geo}   retention to next {ret}",
                     "第 {k} 季度：实际活跃 {obs}   几何模型 {geo}   到下一季度的留存率 {ret}"),
    "cust_called_gone": ("share of each quarter's buyers the geometric model had called gone: {shares}",
                         "各季度购买者中被几何模型判为流失的比例：{shares}"),
    "cust_fit": ("r = {r}, alpha = {alpha} ({unit}), a = {a}, b = {b}, log-likelihood = {ll}",
                 "r = {r}，alpha = {alpha}（{unit}），a = {a}，b = {b}，对数似然 = {ll}"),
    "cust_holdout": ("holdout repeat purchases: predicted {predicted}, actual {actual}",
                     "验证期复购次数：预测 {predicted}，实际 {actual}"),
    "cust_ltv": ("{years} year(s): closed form {closed}   BG/NBD {bgnbd}   observed {observed}   (US dollars)",
                 "{years} 年：闭式公式 {closed}   BG/NBD {bgnbd}   实际 {observed}   （美元）"),
    "cust_na": ("n/a", "无"),
    "segc_returns": ("returns", "退换货数"), "segc_vital_few": ("vital_few", "关键少数"),
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
