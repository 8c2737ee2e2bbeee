r"""The assumptions of the corrected method, each in one plain sentence, and where each is used.

Notebooks 02-04 and the report show them as an "Assumptions" box: :func:`assumptions_box` returns
the Markdown of that box for one notebook (``IPython.display.Markdown(assumptions_box("04"))``).
docs/model.md lists the same sentences.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Assumption", "ASSUMPTIONS", "assumptions_for", "assumptions_box", "price_response_sentence"]


@dataclass(frozen=True)
class Assumption:
    """One assumption: a key, its sentence in English and Chinese, and the notebooks that use it."""

    key: str
    en: str
    zh: str
    notebooks: tuple[str, ...]


ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption("independent_wakeups",
               "Services wake customers independently of each other: the share woken is "
               "1 - prod(1 - a_i w_i); full overlap (max a_i w_i) and no overlap (min(1, sum a_i w_i)) "
               "are shown as bounds.",
               "各项服务相互独立地唤醒客户:被唤醒比例为 1 - prod(1 - a_i w_i);完全重叠与完全不重叠两端作为上下界展示。",
               ("02", "03", "04")),
    Assumption("causal_wakeup",
               "The 90-day wake-up rate is read as caused by the service: customers who would have "
               "come back anyway are only removed through (1 - p0), not measured.",
               "90 天唤醒率被当作服务带来的因果效应:本来就会回购的客户只通过 (1 - p0) 扣除,并未实测。",
               ("02", "03", "04")),
    Assumption("conversion",
               "A woken customer orders with probability c (wake-up conversion), once, at the "
               "brand's average order value and product gross margin.",
               "被唤醒的客户以转化率 c 下单一次,按品牌的客单价和商品毛利计算。",
               ("03", "04")),
    Assumption("p1_month_14",
               "p1, called the 12-month repurchase, is the share repurchased by month 14 of the "
               "article's timeline (clean at month 12, order two months later), not by month 12.",
               "p1 虽称“12 个月复购率”,实为文章时间线第 14 个月的复购比例(第 12 个月清洗,两个月后下单)。",
               ("03",)),
    Assumption("geometric_retention",
               "Retention is geometric: every customer repurchases each year with the same "
               "probability p, and a customer who misses a year is gone for good.",
               "留存按几何分布:每位客户每年以相同概率 p 回购,一年不买即永久流失。",
               ("03", "04")),
    Assumption("annual_value",
               "A customer's yearly value a0 is base_ltv / M(p0) and follows spend: moving order "
               "value, purchases or product margin scales base_ltv by the ratio of annual product margins.",
               "客户年价值 a0 = 基础LTV / M(p0),并随消费变化:客单价、购买频次或商品毛利变动时,"
               "基础LTV按年度商品毛利之比缩放。",
               ("03", "04")),
    Assumption("price_response",
               "Acceptance answers a price move only through the price elasticity e: a x (p_new / "
               "p_file)^e; with e = 0 (the article's assumption) demand does not answer price.",
               "客户接受度只通过价格弹性 e 响应价格变动:a x (新价格 / 原价格)^e;e = 0(文章的假设)时需求不随价格变化。",
               ("02", "04")),
    Assumption("returns_costs_stay",
               "Returns keep arriving: the value-added P&L keeps the quality check and "
               "discounted-resale loss unless the scenario says otherwise.",
               "退换货不会消失:增值模式的损益保留质检和折价处理损失,除非情景另有设定。",
               ("04",)),
    Assumption("service_logistics",
               "Each service use costs logistics_per_use yuan (shipping both ways, packaging), once "
               "per use, not per billed month; 0 unless the scenario gives it.",
               "每次服务产生“每次物流成本”(元)(往返运输、包装),按次计算而非按计费月计算;情景未给时为 0。",
               ("02", "04")),
    Assumption("uncertain_not_decided",
               "The Monte Carlo draws only what the brand cannot choose (acceptance, wake-up rate, "
               "usage per user, unit cost; c if given a range) and holds prices, which are decisions.",
               "蒙特卡洛只抽取品牌无法决定的量(客户接受度、唤醒率、人均使用次数、单位成本,以及给出区间时的 c),"
               "价格是决策,保持不变。",
               ("04",)),
    Assumption("range_rule",
               "A kind's range [lo, hi] is read relative to its midpoint m: a service's value v "
               "becomes v x / m, in the tornado and the Monte Carlo alike.",
               "某类服务的区间 [lo, hi] 相对其中点 m 理解:单项服务的值 v 变为 v x / m,龙卷风图与蒙特卡洛一致。",
               ("04",)),
)


def assumptions_for(notebook: str) -> list[Assumption]:
    """The assumptions a notebook ("02", "03", "04") uses, in the order of :data:`ASSUMPTIONS`.

    Examples
    --------
    >>> [a.key for a in assumptions_for("03")][:3]
    ['independent_wakeups', 'causal_wakeup', 'conversion']
    """
    nb = str(notebook)[:2]
    found = [a for a in ASSUMPTIONS if nb in a.notebooks]
    if not found:
        raise ValueError(f"no assumptions recorded for notebook {notebook!r} (known: 02, 03, 04)")
    return found


def assumptions_box(notebook: str, lang: str = "en") -> str:
    """The Markdown "Assumptions" box of a notebook: one plain sentence per assumption.

    Parameters
    ----------
    notebook : str
        "02", "03" or "04" (a notebook file name starting with them also works).
    lang : {"en", "zh", "both"}
        The glossary's language rule ("both": the English sentence, then the Chinese).

    Returns
    -------
    str
        A Markdown block quote headed **Assumptions**.

    Examples
    --------
    >>> print(assumptions_box("02").splitlines()[0])
    > **Assumptions** (what the figures below take for granted)

    References
    ----------
    Seed article (its hidden assumptions are the course's lesson); docs/model.md lists them all.
    """
    from aftersales.glossary import check_lang

    check_lang(lang)
    head = {"en": "> **Assumptions** (what the figures below take for granted)",
            "zh": "> **假设**(以下数字默认成立的前提)",
            "both": "> **Assumptions 假设** (what the figures below take for granted)"}[lang]
    lines = [head, ">"]
    for a in assumptions_for(notebook):
        text = {"en": a.en, "zh": a.zh, "both": f"{a.en} {a.zh}"}[lang]
        lines.append(f"> - {text}")
    return "\n".join(lines)


def price_response_sentence(scenario, lang: str = "en") -> str:
    """What happens to demand when a price moves, for this scenario, in one sentence.

    Parameters
    ----------
    scenario : Scenario
        Its ``brand.price_elasticity`` e is read.
    lang : {"en", "zh", "both"}
        The glossary's language rule.

    Returns
    -------
    str
        With e = 0: that demand does not answer price (the article's assumption); otherwise the
        rule a x (新价格 / 原价格)^e with the value of e.

    Examples
    --------
    >>> from aftersales.model.scenario import load_scenario
    >>> print(price_response_sentence(load_scenario("seed-demo")))  # doctest: +ELLIPSIS
    Price elasticity e = 0: demand does not answer price here, ...
    """
    from aftersales.glossary import check_lang

    check_lang(lang)
    e = scenario.brand.price_elasticity
    if e == 0:
        en = ("Price elasticity e = 0: demand does not answer price here, so a higher price keeps every "
              "customer (the article's assumption; set [brand] price_elasticity to change it).")
        zh = "价格弹性 e = 0:此处需求不随价格变化,涨价不会流失客户(文章的假设;可在情景文件 `[brand]` 表的 `price_elasticity` 中修改)。"
    else:
        en = (f"Price elasticity e = {e:g}: when a price moves, that service's acceptance becomes "
              f"a x (p_new / p_file)^{e:g}, clipped to 0-1.")
        zh = f"价格弹性 e = {e:g}:价格变动时,该服务的客户接受度变为 a x (新价格 / 原价格)^{e:g},限制在 0-1 之间。"
    return {"en": en, "zh": zh, "both": en + "\n" + zh}[lang]
