"""The glossary's words of the notebooks' own printed lines and tables (merged into ``LABELS``).

Read through :mod:`aftersales.glossary`; kept apart from :mod:`aftersales.glossary.tables` so each
file stays short. Keys are unique across the glossary's tables.
"""
from __future__ import annotations

__all__ = ["NOTEBOOK_LABELS", "LEAKAGE_FIELDS", "TABLE_WORDS", "GAP_REASONS_ZH"]

#: key -> (English, Chinese) templates of the notebooks' lines and tables.
NOTEBOOK_LABELS: dict[str, tuple[str, str]] = {
    # a check of one's own computation against the library's
    "mine_library": ("mine {mine}, the library's {library}", "我的结果 {mine},库的结果 {library}"),
    "wan_short": ("万", "万"),
    # notebook 00: the scenario files
    "scenario_files": ("Scenario files:", "情景文件:"),
    "file_section_brand": ("[brand]", "[品牌]"),
    "file_section_traditional": ("[traditional]", "[传统售后(元/年)]"),
    "file_section_value_added": ("[value_added]", "[增值售后(元/年)]"),
    "file_section_leakage": ("[leakage]", "[价值泄漏示例]"),
    "file_description": ("description", "说明"),
    # notebook 01: the value-leakage example
    "leakage_note_table": ("The example is the [leakage] table of scenario {name}.",
                           "示例取自情景 {name} 的价值泄漏表。"),
    "leakage_note_brand": ("Scenario {name} has no [leakage] table, so the example is built from its brand: "
                           "price = order value ({price} yuan), cost of goods = 1 - product margin "
                           "({cogs}), the article's recovery rate ({rho}), "
                           "items = customers x purchases x return rate ({items}), and {fees}.",
                           "情景 {name} 没有价值泄漏表,示例由品牌数据构建:原价 = 客单价({price} 元),"
                           "商品成本 = 1 - 商品毛利率({cogs}),回收率取原文的 {rho},"
                           "件数 = 客户数 × 年购买次数 × 退货率({items}),以及{fees}。"),
    "leakage_fees_service": ("the fees and cost of its {service} service", "其“{service}”服务的改造费与成本"),
    "leakage_fees_article": ("the article's remake fees and cost in proportion to the price",
                             "按原价比例换算的原文改造费与成本"),
    "slip_leakage": ("leakage against price (2), a year:   {v}", "相对原价的价值泄漏 (2),全年:{v}"),
    "slip_accounting": ("accounting loss (3), a year:         {v}", "相对成本的会计损失 (3),全年:{v}"),
    "slip_budget": ("whole traditional after-sales budget: {v}", "传统售后全年预算:          {v}"),
    "slip_booked": ("resale loss booked in that budget:    {v} = {per} an item",
                    "预算中记入的折价处理损失:    {v} = 每件 {per}"),
    "method_choice": ("method", "方法"),
    "route_choice": ("route", "路径"),
    "route_own_short": ("own", "原顾客"),
    "route_new_short": ("new", "新顾客"),
    # notebook 06: the homework case
    "case_line": ("Case of student {sid}: {parts}", "学生 {sid} 的案例:{parts}"),
    "case_of": ("Case of student {sid}", "学生 {sid} 的案例"),       # the line's head, for lang="both"
    # a homework answer, as answer() shows it (and its warning for a share outside 0-1)
    "answer_recorded": ("{question} = {value}   (answer recorded)", "{question} = {value}   (已记录答案)"),
    "answer_recorded_note": ("answer recorded", "已记录答案"),            # for lang="both"
    "answer_share_warning": ("Warning: {question} asks for a share between 0 and 1; {value} looks like a percentage. "
                             "Write {fraction} for {percent}%.",
                             "注意:{question} 要求 0 到 1 之间的比例;{value} 像是百分数。"
                             "{percent}% 请写作 {fraction}。"),
    "case_scenario": ("scenario", "情景"),
    "case_active_customers": ("active customers", "活跃客户数"),
    "case_avg_order_value": ("avg order value", "客单价"),
    "case_acceptance_multiplier": ("acceptance multiplier", "接受度倍数"),
    "case_price_multiplier": ("price multiplier", "价格倍数"),
    "case_brand_1": ("Active customers: {n}   order value: {aov} yuan", "活跃客户数:{n}   客单价:{aov} 元"),
    "case_brand_2": ("12-month repurchase today (p0): {p0}   conversion of woken customers (c): {c}   LTV today: {ltv} yuan",
                     "当前12个月复购率(p0):{p0}   被唤醒客户的转化率(c):{c}   当前LTV:{ltv} 元"),
    "case_brand_3": ("Returned garments resold at {rho} of their price", "退回的衣物按原价的 {rho} 折价转售"),
    "per_use": ("per_use", "按次"),
    "per_month": ("per_month", "按月"),
    "price_yuan_col": ("price (yuan)", "价格(元)"),
    "billing": ("billing", "计费方式"),
    "uses_per_user_year": ("uses per user a year", "每位用户年使用次数"),
    "unit_cost_yuan_col": ("unit cost (yuan)", "单位成本(元)"),
    "wakeup_rate_col": ("wake-up rate", "唤醒率"),
}

#: Chinese names of the fields of a scenario file's [leakage] table (the brand and cost fields are
#: in :data:`aftersales.glossary.INPUTS`).
LEAKAGE_FIELDS: dict[str, tuple[str, str]] = {
    "original_price": ("original price P", "原价 P"),
    "recovery_rate": ("recovery rate rho", "回收率 ρ"),
    "cogs_ratio": ("cost of goods, share of P", "商品成本占原价比例"),
    "items_per_year": ("items resold a year n", "每年折价处理件数 n"),
    "remake_fee_own_customer": ("remake fee, own customer", "改造费(原顾客)"),
    "remake_fee_new_customer": ("remake fee, new customer", "改造费(新顾客)"),
    "remake_unit_cost": ("remake unit cost k", "单件改造成本 k"),
}
NOTEBOOK_LABELS.update({f"field_{k}": v for k, v in LEAKAGE_FIELDS.items()})

#: The notebooks' table columns and cell texts (English as the cell or the model names them) -> Chinese.
TABLE_WORDS: dict[str, str] = {
    "name": "服务", "service": "服务", "kind": "类型", "users": "使用人数", "uses": "使用次数",
    "billable_units": "计费单位", "revenue": "收入(元)", "cost": "成本(元)", "gross_margin": "毛利率",
    "wakeups": "唤醒人数", "contribution": "贡献(元)", "revenue (seed)": "收入(原文代码,元)",
    "wakeup_rate": "唤醒率", "wake-up rate": "唤醒率", "contribution rank": "贡献排名",
    "wake-ups rank": "唤醒人数排名", "gross margin": "毛利率", "article low": "原文下限",
    "article high": "原文上限", "within the article's range": "在原文区间内", "touched": "使用过服务",
    "woken": "被唤醒", "repurchased": "复购合计", "repurchased_natural": "自然复购(p0)",
    "repurchased_woken": "因唤醒复购", "month": "购买后月份", "price": "价格(元)", "unit cost": "单位成本(元)",
    "gross margin (computed)": "毛利率(计算)", "article printed": "原文印刷值", "figure": "指标",
    "unit": "单位", "seed": "原文代码", "corrected": "修正方法", "difference": "差额",
    "article headline": "原文标题数字", "seed (article's code)": "原文代码", "why they differ": "差异原因",
    "acceptance": "客户接受度", "uses_per_user_per_year": "人均年使用次数", "remake": "旧衣改造",
    "deep_clean": "深度清洗护理", "repair": "修补翻新", "storage": "季节性存储", "yuan": "元",
    "people": "人", "share": "比例", "not given": "未给出", "brand": "品牌",
    "LTV gain (boosts + wake-up sales)": "LTV增量(提升+唤醒收入)", "wake-up customers": "被唤醒客户",
    "wakeup_conversion": "唤醒转化率 c", "wake-up revenue": "唤醒收入", "wake-up contribution": "唤醒贡献",
}

NOTEBOOK_LABELS.update({
    # notebook 02: the service matrix
    "line_service_revenue": ("service revenue      {v:>14}   (seed {s})", "服务收入 {v:>14}   (原文代码 {s})"),
    "line_service_cost": ("service cost         {v:>14}   (seed {s})", "服务成本 {v:>14}   (原文代码 {s})"),
    "line_service_contribution": ("service contribution {v:>14}   (seed {s})", "服务贡献 {v:>14}   (原文代码 {s})"),
    "line_share_low": ("share woken, full overlap (lower bound): {v}", "被唤醒客户占比,完全重叠(下界):{v}"),
    "line_share_mid": ("share woken, independent services:       {v}   (the model)",
                       "被唤醒客户占比,各服务相互独立:  {v}   (模型采用)"),
    "line_share_high": ("share woken, no overlap (upper bound):   {v}", "被唤醒客户占比,没有重叠(上界):  {v}"),
    "line_highest_margin": ("Highest gross margin: {name} ({kind}, {margin})", "毛利率最高:{name}({kind},{margin})"),
    "line_highest_margin_kind_named": ("Highest gross margin: {name} ({margin})", "毛利率最高:{name}({margin})"),
    "line_uses_code": ("{name}: uses a year as the code computes them (N x a x u): {v}",
                       "{name}:代码计算的年使用次数(N x a x u):{v}"),
    "line_uses_comment": ("{name}: uses a year as the comment reads (N x u):          {v}",
                          "{name}:按注释理解的年使用次数(N x u):  {v}"),
    "line_best_services": ("largest contribution: {earner}; highest margin: {best}", "贡献最大:{earner};毛利率最高:{best}"),
})

NOTEBOOK_LABELS.update({
    # notebook 03: the lifecycle
    "line_touch_month": ("Month of the first touch per service kind: {months}", "各类服务首次使用的月份:{months}"),
    "line_wakeup_lag": ("A woken customer orders {lag} months after the touch.", "被唤醒的客户在使用服务 {lag} 个月后下单。"),
    "line_sum_wakeups": ("sum of per-service wake-ups:           {v:>12}", "各服务唤醒人数之和:          {v:>12}"),
    "line_woken_once": ("customers woken at least once (N x omega): {v:>8}   omega = {omega}",
                        "至少被唤醒一次的客户(N x ω):  {v:>12}   ω = {omega}"),
    "line_code_counts": ("the article's code counts:             {v:>12}", "原文代码的计数:              {v:>12}"),
    "line_p0": ("p0, 12-month repurchase without services: {v}", "p0,没有服务时的12个月复购率:{v}"),
    "line_p1": ("p1, with services:                        {v}", "p1,有服务时:               {v}"),
    "line_orders": ("incremental orders a year:                {orders} x {aov} yuan = {sales} of sales",
                    "每年新增订单:               {orders} x {aov} 元 = 销售额 {sales}"),
    "line_orders_contribution": ("their contribution at {gm} product margin: {v}", "按 {gm} 商品毛利率计的贡献:{v}"),
    "line_timeline": ("on the timeline: repurchased by month 12 {at12}, by month {m} {atm} (= p1)",
                      "时间线上:第12个月的复购占比 {at12},第{m}个月 {atm}(= p1)"),
    "line_multipliers": ("M(p0) = {m0} years, M(p1) = {m1} years", "M(p0) = {m0} 年,M(p1) = {m1} 年"),
    "line_a0": ("annual value a0 = base LTV / M(p0) = {v} yuan", "年价值 a0 = 基础LTV / M(p0) = {v} 元"),
    "line_product_margin": ("annual product margin AOV x f x gm  = {v} yuan   (side by side)",
                            "年商品毛利 客单价 x 年购买次数 x 毛利率 = {v} 元   (对照)"),
    "line_s": ("service contribution per customer s = {v} yuan a year", "每位客户的服务贡献 s = 每年 {v} 元"),
    "line_ltv_today": ("LTV today:               {v} yuan", "当前LTV:         {v} 元"),
    "line_ltv_services": ("LTV with services:       {v} yuan (corrected)", "有服务时的LTV:   {v} 元(修正方法)"),
    "line_ltv_seed": ("LTV by the article code: {v} yuan (seed)", "原文代码的LTV:   {v} 元(原文代码)"),
    "line_sim_repurchase": ("12-month repurchase: simulated {sim}, closed form {closed}",
                            "12个月复购率:模拟 {sim},闭式解 {closed}"),
    "line_sim_ltv": ("LTV: simulated {sim} yuan (standard error {se}), closed form {closed} yuan: {gap} standard errors apart",
                     "LTV:模拟 {sim} 元(标准误 {se}),闭式解 {closed} 元:相差 {gap} 个标准误"),
})

#: The reasons of the article's gaps (:data:`aftersales.model.article.GAP_REASONS`), in Chinese, by code.
GAP_REASONS_ZH: dict[str, str] = {
    "service_revenue": "原文印刷的合计不等于它自己印出的各行之和({sum_rows});代码得出 {seed}。修正方法按月计费存储(多 {more}),且不把人数向下取整。",
    "va_cost": "代码把团队和物流({fixed})加到服务成本({service_cost})上;印出的 {printed} 需要服务成本为 {needed}。修正方法还保留退货的质检和折价处理损失({returns}):退货仍在发生。",
    "va_net": "印刷值 = 印出的收入 - 印出的成本,但代码在这一行印的是总效应({total})。若像代码那样按次计费存储,修正后的净额为 {per_use},接近标题数字 {headline}。",
    "wakeup_customers": "代码把各服务的唤醒人数相加,被两项服务唤醒的客户算了两次({seed});修正方法每人只算一次:N x (1 - prod(1 - a x w)) = {corrected}。印出的 {printed} 两者都推不出。",
    "wakeup_revenue": "即使按它自己的 {printed} 名被唤醒客户 x {aov} 元 x 0.6 = {sales},也是印出的 {printed_revenue} 的十倍。修正方法只计入本来不会购买的客户(1 - p0)。",
    "wakeup_contribution": "销售额不是利润:修正方法记入唤醒收入 x 商品毛利率({gm});代码记入的是销售额本身。",
    "ltv_gain": "代码所谓的“服务LTV增量”是“LTV延长”输入({boost})加唤醒收入({sales})= {gain},而不是印出的 {printed}。修正方法没有这个指标:输入不是现金流。",
    "total_effect": "代码把净额、“LTV延长”金额({boost},是输入,不是现金流)和唤醒收入相加;修正方法把净额与唤醒贡献相加。",
    "repurchase_12m_value_added": "代码从未计算复购率;标题中的 38% 在代码里无从得出。修正方法:p1 = p0 + (1 - p0) x 被唤醒客户占比 x 转化率。",
    "ltv_value_added": "代码把一年的LTV提升和人均唤醒收入加到基础LTV上;修正方法用年价值加服务贡献,乘以 p1 下折现后的预期客户寿命。两个印刷值都不能由代码得出。",
}

NOTEBOOK_LABELS.update({
    # notebook 04: the P&L
    "line_demo_per_use": ("Corrected net of the demo, storage billed per use: {v}", "原文示例按次计费存储时的修正净额:{v}"),
    "line_demo_margin": ("Highest gross margin in the demo: {name} ({margin})", "原文示例中毛利率最高:{name}({margin})"),
    "line_seed_formula": ("seed:      total effect = net + LTV extension + wake-up sales",
                          "原文代码: 总效应 = 净额 + LTV延长 + 唤醒收入"),
    "line_seed_sum": ("           {total} = {net} + {ltv} + {sales}", "           {total} = {net} + {ltv} + {sales}"),
    "line_corrected_formula": ("corrected: total effect = net + wake-up contribution", "修正方法: 总效应 = 净额 + 唤醒贡献"),
    "line_corrected_sum": ("           {total} = {net} + {contribution}   (wake-up sales {sales})",
                           "           {total} = {net} + {contribution}   (唤醒收入 {sales})"),
    "line_break_even": ("{param}: value-added net breaks even at x{v:.3f} ({reach}; {how})",
                        "{param} 为 x{v:.3f} 时增值售后净额盈亏平衡({reach};{how})"),
    "line_no_break_even": ("{param}: {message}", "{param}:{message}"),
    "no_break_even": ("no break-even in the range searched", "在搜索区间内找不到盈亏平衡点"),
    "reach_ok": ("all shares within 0-1", "所有比例都在 0-1 之内"),
    "reach_out": ("an acceptance would exceed 100%: out of reach", "有服务的接受度将超过 100%:无法达到"),
    "solved_exactly": ("solved exactly", "精确求解"),
    "solved_by_bracketing": ("solved by bracketing in {n} rounds", "迭代求解,共 {n} 轮"),
    "line_mc_draws": ("{draws} draws, seed {seed}: value-added net p5 {p5}, median of the net {p50}, p95 {p95}",
                      "{draws} 次抽样,种子 {seed}:增值售后净额 p5 {p5},净额中位数 {p50},p95 {p95}"),
    "line_mc_total": ("Counting the wake-up contribution, the total effect is 0 or more in {p} of the draws "
                      "(median of the total effect {median}).",
                      "计入唤醒贡献后,{p} 的抽样中总效应不低于 0(总效应中位数 {median})。"),
})
